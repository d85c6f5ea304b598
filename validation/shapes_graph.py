"""Reading ``shapes/*.ttl`` into compiled shapes for :mod:`livertox_kg.validation.engine`.

The shapes are parsed with pyoxigraph (no rdflib at run time). Every constraint component the shapes use
must be one the engine implements; anything else (``sh:or``, ``sh:closed``, a path that is not a single
property, ...) is refused when the shapes are read, naming the file and the shape, so a shape can never be
silently skipped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final

import pyoxigraph as ox

from livertox_kg import resources
from livertox_kg.errors import EXIT_INTERNAL, LivertoxError
from livertox_kg.rdf import vocab
from livertox_kg.validation.terms import iri, iri_value, is_iri, is_literal, literal_parts

SH: Final = vocab.SH.iri
RDF_NS: Final = vocab.RDF.iri
RDFS_NS: Final = vocab.RDFS.iri

VIOLATION: Final = SH + "Violation"
WARNING: Final = SH + "Warning"
INFO: Final = SH + "Info"
SEVERITIES: Final = (VIOLATION, WARNING, INFO)

# Parameters the engine implements (SHACL Core and SHACL-SPARQL constraints), and what they belong to.
_SUPPORTED = {
    "class", "datatype", "nodeKind", "minCount", "maxCount", "minInclusive", "maxInclusive", "minExclusive",
    "maxExclusive", "minLength", "maxLength", "pattern", "flags", "hasValue", "in", "node",
    "qualifiedValueShape", "qualifiedMinCount", "qualifiedMaxCount", "sparql",
}  # fmt: skip
_UNSUPPORTED = {
    "or", "and", "xone", "not", "closed", "ignoredProperties", "equals", "disjoint", "lessThan",
    "lessThanOrEquals", "languageIn", "uniqueLang", "qualifiedValueShapesDisjoint",
}  # fmt: skip
_SHAPE_KEYS = {
    "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "severity", "message", "name",
    "description", "deactivated", "property", "path", "order", "group", "defaultValue",
}  # fmt: skip


class ShapesError(LivertoxError):
    """The shapes cannot be used: a file does not parse, or a shape uses what the engine does not implement."""

    exit_code = EXIT_INTERNAL


@dataclass(frozen=True)
class Constraint:
    """One constraint: a component IRI and its parameter(s), as N-Triples terms."""

    component: str  # e.g. http://www.w3.org/ns/shacl#MinCountConstraintComponent
    value: str  # the main parameter (a term); "" when the constraint has several (qualified)
    extra: tuple[tuple[str, str], ...] = ()  # other parameters: (local name, term)

    def param(self, name: str) -> str | None:
        return next((v for k, v in self.extra if k == name), None)


@dataclass(frozen=True)
class SparqlConstraint:
    iri: str  # the sh:sparql node (a term)
    select: str
    prefixes: tuple[tuple[str, str], ...]
    message: str | None


@dataclass
class Shape:
    iri: str  # term
    source: str  # file it is defined in
    path: str | None = None  # predicate term for property shapes
    severity: str = VIOLATION
    message: str = ""
    name: str = ""
    description: str = ""
    label: str = ""
    deactivated: bool = False
    target_classes: list[str] = field(default_factory=list)
    target_nodes: list[str] = field(default_factory=list)
    target_subjects_of: list[str] = field(default_factory=list)
    target_objects_of: list[str] = field(default_factory=list)
    constraints: list[Constraint] = field(default_factory=list)
    sparql: list[SparqlConstraint] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)

    @property
    def is_property(self) -> bool:
        return self.path is not None

    @property
    def has_targets(self) -> bool:
        return bool(self.target_classes or self.target_nodes or self.target_subjects_of or self.target_objects_of)

    @property
    def display(self) -> str:
        return self.name or self.label or iri_value(self.iri).rsplit("#", 1)[-1]


@dataclass
class ShapesGraph:
    shapes: dict[str, Shape]  # by IRI term
    files: tuple[str, ...]
    labels: dict[str, str]  # property / class IRI term -> rdfs:label from the shapes (sh:name of shapes)

    def roots(self) -> list[Shape]:
        """Shapes with targets, in a fixed order."""
        return [self.shapes[k] for k in sorted(self.shapes) if self.shapes[k].has_targets]


def _sh(local: str) -> str:
    return iri(SH + local)


class _Triples:
    def __init__(self) -> None:
        self.by_subject: dict[str, dict[str, list[str]]] = {}
        self.source: dict[str, str] = {}

    def add(self, s: str, p: str, o: str, source: str) -> None:
        self.by_subject.setdefault(s, {}).setdefault(p, []).append(o)
        self.source.setdefault(s, source)

    def values(self, s: str, p: str) -> list[str]:
        return self.by_subject.get(s, {}).get(p, [])

    def one(self, s: str, p: str) -> str | None:
        vals = self.values(s, p)
        return vals[0] if vals else None


def _text(term: str | None) -> str:
    return literal_parts(term)[0] if term and is_literal(term) else ""


def _english(terms: list[str]) -> str:
    """The ``@en`` (or untagged) literal among ``terms``."""
    best = ""
    for t in terms:
        if not is_literal(t):
            continue
        text, _, lang = literal_parts(t)
        if lang in (None, "en"):
            return text
        best = best or text
    return best


def _list(triples: _Triples, head: str) -> list[str]:
    out: list[str] = []
    node = head
    nil = iri(RDF_NS + "nil")
    while node != nil:
        first = triples.one(node, iri(RDF_NS + "first"))
        if first is None:
            break
        out.append(first)
        node = triples.one(node, iri(RDF_NS + "rest")) or nil
    return out


def _fail(triples: _Triples, shape: str, message: str) -> ShapesError:
    return ShapesError(
        f"{triples.source.get(shape, 'shapes')}: shape {iri_value(shape) if is_iri(shape) else shape}: {message}"
    )


def _prefixes(triples: _Triples, node: str) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for owner in triples.values(node, _sh("prefixes")):
        for decl in triples.values(owner, _sh("declare")):
            prefix = _text(triples.one(decl, _sh("prefix")))
            namespace = _text(triples.one(decl, _sh("namespace")))
            if prefix and namespace:
                out.append((prefix, namespace))
    return tuple(sorted(set(out)))


_SIMPLE = {
    "class": "ClassConstraintComponent",
    "datatype": "DatatypeConstraintComponent",
    "nodeKind": "NodeKindConstraintComponent",
    "minCount": "MinCountConstraintComponent",
    "maxCount": "MaxCountConstraintComponent",
    "minInclusive": "MinInclusiveConstraintComponent",
    "maxInclusive": "MaxInclusiveConstraintComponent",
    "minExclusive": "MinExclusiveConstraintComponent",
    "maxExclusive": "MaxExclusiveConstraintComponent",
    "minLength": "MinLengthConstraintComponent",
    "maxLength": "MaxLengthConstraintComponent",
    "hasValue": "HasValueConstraintComponent",
    "node": "NodeConstraintComponent",
}
"""Parameters that are one constraint each, by the component they report."""


def _compile(triples: _Triples, node: str, shapes: dict[str, Shape]) -> Shape:
    """The shape ``node`` (and, recursively, the shapes it refers to), read from the shapes graph."""
    if node in shapes:
        return shapes[node]
    if not is_iri(node):
        raise _fail(triples, node, "shapes must be named IRIs, not blank nodes")
    shape = Shape(iri=node, source=triples.source.get(node, "shapes"))
    shapes[node] = shape
    _check_terms(triples, node)
    _read_declarations(triples, node, shape)
    _read_constraints(triples, node, shape)
    _read_sparql(triples, node, shape)
    for prop in sorted(triples.values(node, _sh("property"))):
        child = _compile(triples, prop, shapes)
        if not child.is_property:
            raise _fail(triples, prop, "a sh:property value must have a sh:path")
        shape.properties.append(child)
    for c in shape.constraints:
        for term in (c.value, *(v for _, v in c.extra)):
            if term and not (is_iri(term) or is_literal(term)):
                raise _fail(triples, node, f"{c.component.rsplit('#', 1)[-1]}: parameters must be IRIs or literals")
        if c.component.endswith(("#NodeConstraintComponent",)):
            _compile(triples, c.value, shapes)
        if c.component.endswith("#QualifiedValueShapeConstraintComponent"):
            _compile(triples, c.param("shape") or "", shapes)
    return shape


def _check_terms(triples: _Triples, node: str) -> None:
    """Refuse what the engine does not implement, rather than ignore it."""
    classes = {iri(RDFS_NS + "Class"), f"<{vocab.OWL.iri}Class>"}
    if classes & set(triples.values(node, iri(RDF_NS + "type"))):
        raise _fail(triples, node, "implicit class targets (a shape that is also a class) are not implemented")
    for p in triples.by_subject.get(node, {}):
        if not p.startswith(f"<{SH}"):
            continue
        local = iri_value(p)[len(SH) :]
        if local in _UNSUPPORTED:
            raise _fail(triples, node, f"sh:{local} is not implemented by the fast validator")
        if local not in _SUPPORTED and local not in _SHAPE_KEYS:
            raise _fail(triples, node, f"unknown or unsupported SHACL term sh:{local}")


def _read_declarations(triples: _Triples, node: str, shape: Shape) -> None:
    """Path, severity, the words, and the targets."""
    path = triples.one(node, _sh("path"))
    if path is not None:
        if not is_iri(path):
            raise _fail(triples, node, "only single-property paths are implemented (no sequence or inverse paths)")
        shape.path = path
    severity = triples.one(node, _sh("severity"))
    if severity is not None:
        if iri_value(severity) not in SEVERITIES:
            raise _fail(triples, node, f"unknown severity {severity}")
        shape.severity = iri_value(severity)
    shape.message = _english(triples.values(node, _sh("message")))
    shape.name = _english(triples.values(node, _sh("name")))
    shape.description = _english(triples.values(node, _sh("description")))
    shape.label = _english(triples.values(node, iri(RDFS_NS + "label")))
    shape.deactivated = _text(triples.one(node, _sh("deactivated"))) == "true"
    shape.target_classes = sorted(triples.values(node, _sh("targetClass")))
    shape.target_nodes = sorted(triples.values(node, _sh("targetNode")))
    shape.target_subjects_of = sorted(triples.values(node, _sh("targetSubjectsOf")))
    shape.target_objects_of = sorted(triples.values(node, _sh("targetObjectsOf")))


def _read_constraints(triples: _Triples, node: str, shape: Shape) -> None:
    """The SHACL Core constraints of the shape."""

    def add(component: str, value: str, extra: Iterable[tuple[str, str]] = ()) -> None:
        shape.constraints.append(Constraint(SH + component, value, tuple(extra)))

    for local, component in _SIMPLE.items():
        for value in sorted(triples.values(node, _sh(local))):
            if local in ("minCount", "maxCount") and not shape.is_property:
                raise _fail(triples, node, f"sh:{local} needs a property shape (sh:path)")
            add(component, value)
    for pattern in triples.values(node, _sh("pattern")):
        flags = triples.one(node, _sh("flags"))
        add("PatternConstraintComponent", pattern, [("flags", flags)] if flags else [])
    for head in triples.values(node, _sh("in")):
        add("InConstraintComponent", "", [("member", m) for m in _list(triples, head)])
    for value_shape in triples.values(node, _sh("qualifiedValueShape")):
        if not shape.is_property:
            raise _fail(triples, node, "sh:qualifiedValueShape needs a property shape (sh:path)")
        extra = [("shape", value_shape)]
        low = triples.one(node, _sh("qualifiedMinCount"))
        high = triples.one(node, _sh("qualifiedMaxCount"))
        if low is not None:
            extra.append(("min", low))
        if high is not None:
            extra.append(("max", high))
        add("QualifiedValueShapeConstraintComponent", "", extra)


def _read_sparql(triples: _Triples, node: str, shape: Shape) -> None:
    """The SHACL-SPARQL constraints of the shape."""
    for sparql_node in sorted(triples.values(node, _sh("sparql"))):
        if not is_iri(sparql_node):
            raise _fail(triples, node, "sh:sparql constraints must be named IRIs")
        select = _text(triples.one(sparql_node, _sh("select")))
        if not select:
            raise _fail(triples, node, f"{iri_value(sparql_node)} has no sh:select")
        message = _english(triples.values(sparql_node, _sh("message"))) or None
        shape.sparql.append(SparqlConstraint(sparql_node, select, _prefixes(triples, sparql_node), message))


def parse(files: Iterable[tuple[str, bytes]]) -> ShapesGraph:
    """Compile shapes from ``(file name, Turtle bytes)`` pairs."""
    triples = _Triples()
    names = []
    for name, data in files:
        names.append(name)
        try:
            quads = list(ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri="https://w3id.org/livertox-kg/shapes"))
        except SyntaxError as exc:
            raise ShapesError(f"{name}: not valid Turtle: {exc}") from None
        for q in quads:
            triples.add(str(q.subject), str(q.predicate), str(q.object), name)
    shapes: dict[str, Shape] = {}
    sh_node_shape = _sh("NodeShape")
    sh_property_shape = _sh("PropertyShape")
    rdf_type = iri(RDF_NS + "type")
    declared = [
        s
        for s, preds in triples.by_subject.items()
        if {sh_node_shape, sh_property_shape} & set(preds.get(rdf_type, ()))
    ]
    for node in sorted(declared):
        _compile(triples, node, shapes)
    labels = {s.path: s.name for s in shapes.values() if s.path and s.name}
    return ShapesGraph(shapes, tuple(names), labels)


def shape_files() -> list[tuple[str, bytes]]:
    """``shapes/*.ttl`` (SHACL Core) and ``shapes/sparql/*.ttl`` (SHACL-SPARQL checks)."""
    root = resources.shapes_dir()
    out = []
    for folder, prefix in ((root, "shapes/"), (root / "sparql", "shapes/sparql/")):
        if not folder.is_dir():
            continue
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".ttl") and entry.is_file():
                out.append((prefix + entry.name, entry.read_bytes()))
    return out


@lru_cache(maxsize=1)
def load() -> ShapesGraph:
    """The shapes shipped in ``shapes/``; none found is an installation error, never an empty validation."""
    files = shape_files()
    shapes = parse(files)
    if not files or not shapes.roots():
        raise ShapesError("shapes/: no SHACL shapes found in the installed package; reinstall livertox-kg")
    return shapes
