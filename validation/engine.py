"""The fast SHACL engine: the shapes of :mod:`livertox_kg.validation.shapes_graph` over a :class:`DataGraph`.

It implements exactly the components the shapes use, with pySHACL's semantics (pySHACL is the reference
engine; ``tests/test_validate.py`` checks that both give the same focus node, path, value, constraint
component, shape and severity): targets with ``rdfs:subClassOf`` closure from the data graph, distinct value
nodes, rdflib's rules for ill-typed literals, Python regular expressions for ``sh:pattern``. SPARQL
constraints run as the native functions of :mod:`livertox_kg.validation.native`, or through pyoxigraph when a
constraint has no native version.

Where the speed comes from: the data is indexed once by (subject, predicate); a property shape is evaluated
for all its focus nodes at once; and a value constraint (datatype, pattern, class, ...) is decided once per
distinct value, not once per focus node and value. The 66,000 references of the scale corpus have 1,140
distinct ``ltx:inChapter`` values: the class check runs 1,140 times, not 66,000.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from itertools import compress, repeat
from typing import Final

from livertox_kg.rdf import vocab
from livertox_kg.validation import native
from livertox_kg.validation.datagraph import RDF_TYPE, DataGraph
from livertox_kg.validation.shapes_graph import SH, Constraint, Shape, ShapesError, ShapesGraph, SparqlConstraint
from livertox_kg.validation.terms import (
    RDF_LANGSTRING,
    XSD_STRING,
    iri_value,
    is_blank,
    is_iri,
    is_literal,
    lexical,
    literal_parts,
    numeric_value,
    well_typed,
)

VIOLATION: Final = SH + "Violation"
WARNING: Final = SH + "Warning"
INFO: Final = SH + "Info"


@dataclass(frozen=True)
class Result:
    """One validation result, as in a ``sh:ValidationReport``; terms are N-Triples text."""

    focus: str
    path: str | None  # predicate term
    value: str | None
    component: str  # constraint component IRI
    shape: str  # source shape term
    severity: str  # sh:Violation / sh:Warning / sh:Info IRI
    message: str
    constraint: str | None = None  # sh:sourceConstraint (the sh:sparql node) term
    detail: str = ""  # what was found, in words (not part of the SHACL result)

    def key(self) -> tuple[str, str, str, str, str, str]:
        """What two engines must agree on."""
        return (self.focus, self.path or "", self.value or "", self.component, self.shape, self.severity)


Found = list[tuple[str, str | None, str]]  # (focus node, value node or None, detail)


class Column:
    """The focus nodes of a shape and, for each, its value nodes: what every check of the shape reads.

    Kept as two parallel lists so that the common questions (how many values, which values are bad) run
    in C (``map``, ``itertools.compress``, set operations) rather than in a Python loop per focus node.
    """

    __slots__ = ("_counts", "_distinct", "focus", "values")

    def __init__(self, focus: list[str], values: list[Collection[str]]) -> None:
        self.focus = focus
        self.values = values
        self._counts: list[int] | None = None
        self._distinct: set[str] | None = None

    @property
    def counts(self) -> list[int]:
        if self._counts is None:
            self._counts = list(map(len, self.values))
        return self._counts

    @property
    def distinct(self) -> set[str]:
        """Every value node, once."""
        if self._distinct is None:
            self._distinct = set().union(*self.values)
        return self._distinct

    def where_count(self, test: Callable[[int], bool]) -> list[tuple[str, Collection[str]]]:
        """``(focus, values)`` of the focus nodes whose number of values passes ``test``."""
        keep = list(map(test, self.counts))
        return list(compress(zip(self.focus, self.values, strict=True), keep))

    def having(self, bad: set[str]) -> list[tuple[str, Collection[str]]]:
        """``(focus, values)`` of the focus nodes with at least one value in ``bad``."""
        keep = list(map(bad.isdisjoint, self.values))
        return [pair for pair, clean in zip(zip(self.focus, self.values, strict=True), keep, strict=True) if not clean]


Run = Callable[[Column], Found]


@dataclass(frozen=True)
class _Compiled:
    component: str  # constraint component IRI reported
    constraint: str | None  # sh:sourceConstraint term (SPARQL constraints)
    run: Run


class Validator:
    def __init__(self, shapes: ShapesGraph, today: dt.date | None = None) -> None:
        self.shapes = shapes
        self.today = today or dt.datetime.now(dt.UTC).date()

    def validate(self, data: DataGraph, focus: Collection[str] | None = None) -> list[Result]:
        """All results for the data graph, or only those whose focus node is in ``focus``."""
        run = _Evaluation(self, data)
        results: list[Result] = []
        for shape in self.shapes.roots():
            if shape.deactivated:
                continue
            targets = run.targets(shape)
            if focus is not None:
                targets = targets & focus if isinstance(focus, set | frozenset) else {t for t in targets if t in focus}
            if targets:
                results.extend(run.evaluate(shape, list(targets)))
        return sorted(set(results), key=order)


_SEVERITY_ORDER = {VIOLATION: 0, WARNING: 1, INFO: 2}


def order(r: Result) -> tuple[int, str, str, str, str, str]:
    """Results sort by severity, then focus node, path, shape, value: the same order every run."""
    return (_SEVERITY_ORDER.get(r.severity, 3), r.focus, r.path or "", r.shape, r.component, r.value or "")


class _Evaluation:
    """One validation of one data graph: caches compiled checks and conformance."""

    def __init__(self, validator: Validator, data: DataGraph) -> None:
        self.v = validator
        self.data = data
        self.checks: dict[str, list[_Compiled]] = {}
        self.conformance: dict[tuple[str, str], bool] = {}
        self.sparql_fallback: native.SparqlFallback | None = None
        self._subclasses: dict[str, frozenset[str]] = {}

    def subclasses(self, cls: str) -> frozenset[str]:
        found = self._subclasses.get(cls)
        if found is None:
            found = self._subclasses[cls] = self.data.subclasses(cls)
        return found

    # -- targets -----------------------------------------------------------------------------------------

    def targets(self, shape: Shape) -> set[str]:
        data = self.data
        found: set[str] = set(shape.target_nodes)
        if shape.target_classes:
            by_type = data.reverse(RDF_TYPE)
            for cls in shape.target_classes:
                for c in self.subclasses(cls):
                    found.update(by_type.get(c, ()))
        for p in shape.target_subjects_of:
            found.update(data.subjects_of(p))
        for p in shape.target_objects_of:
            for values in data.values_of(p).values():
                found.update(values)
        return found

    # -- evaluation --------------------------------------------------------------------------------------

    def evaluate(self, shape: Shape, focus_nodes: Iterable[str]) -> list[Result]:
        results: list[Result] = []
        focus_list = list(focus_nodes)
        self._evaluate_into(shape, focus_list, results)
        for prop in shape.properties:
            if not prop.deactivated:
                self._evaluate_into(prop, focus_list, results)
        return results

    def _evaluate_into(self, shape: Shape, focus_nodes: list[str], out: list[Result]) -> None:
        compiled = self._checks(shape)
        if not compiled:
            return
        path = shape.path
        if path is None:
            column = Column(focus_nodes, [(f,) for f in focus_nodes])
        else:
            empty: frozenset[str] = frozenset()
            column = Column(focus_nodes, list(map(self.data.values_of(path).get, focus_nodes, repeat(empty))))
        for c in compiled:
            for f, value, detail in c.run(column):
                out.append(
                    Result(f, path, value, c.component, shape.iri, shape.severity, shape.message, c.constraint, detail)
                )

    def conforms(self, node: str, shape_iri: str) -> bool:
        """Whether ``node`` conforms to a shape (no result of any severity), as ``sh:node`` needs."""
        key = (shape_iri, node)
        cached = self.conformance.get(key)
        if cached is None:
            shape = self.v.shapes.shapes.get(shape_iri)
            if shape is None:
                raise ShapesError(f"shape {iri_value(shape_iri)} is used but not defined")
            self.conformance[key] = True  # a recursive reference conforms, as pySHACL assumes
            cached = not self.evaluate(shape, [node])
            self.conformance[key] = cached
        return cached

    def _checks(self, shape: Shape) -> list[_Compiled]:
        compiled = self.checks.get(shape.iri)
        if compiled is None:
            compiled = []
            for c in shape.constraints:
                if c.component == SH + "QualifiedValueShapeConstraintComponent":
                    compiled.extend(self._compile_qualified(c))
                else:
                    compiled.append(_Compiled(c.component, None, self._compile(c, shape)))
            for sc in shape.sparql:
                compiled.append(_Compiled(SH + "SPARQLConstraintComponent", sc.iri, self._compile_sparql(sc, shape)))
            self.checks[shape.iri] = compiled
        return compiled

    def _compile_sparql(self, sc: SparqlConstraint, shape: Shape) -> Run:
        impl = native.REGISTRY.get(iri_value(sc.iri))
        if impl is not None:
            ctx = native.Context(self.data, self.v.today, shape.path, sc.select)
            return lambda column: [(f, value, detail) for f in column.focus for value, detail in impl(ctx, f)]
        if self.sparql_fallback is None:
            self.sparql_fallback = native.SparqlFallback(self.data)
        fallback = self.sparql_fallback
        return lambda column: [(f, value, detail) for f in column.focus for value, detail in fallback.run(sc, shape, f)]

    def _compile_qualified(self, c: Constraint) -> list[_Compiled]:
        """``sh:qualifiedValueShape``: results are reported as QualifiedMin/MaxCountConstraintComponent."""
        value_shape = c.param("shape") or ""
        low_term, high_term = c.param("min"), c.param("max")
        vs = self.v.shapes.shapes.get(value_shape)
        vs_name = vs.display if vs else _short(value_shape)

        def conforming(values: set[str]) -> set[str]:
            return {x for x in values if self.conforms(x, value_shape)}

        out: list[_Compiled] = []
        if high_term is not None:
            high = int(lexical(high_term))

            def q_max(column: Column) -> Found:
                many = column.where_count(high.__lt__)
                if not many:
                    return []
                good = conforming(set().union(*(v for _, v in many)))
                return [
                    (f, None, f"{n} values are a {vs_name}, at most {high} allowed")
                    for f, v in many
                    if (n := len(good.intersection(v))) > high
                ]

            out.append(_Compiled(SH + "QualifiedMaxCountConstraintComponent", None, q_max))
        if low_term is not None:
            low = int(lexical(low_term))

            def q_min(column: Column) -> Found:
                if low <= 0:
                    return []
                good = conforming(column.distinct)
                return [
                    (f, None, "no value is a " + vs_name if n == 0 else f"only {n} values are a {vs_name}")
                    for f, v in zip(column.focus, column.values, strict=True)
                    if (n := len(good.intersection(v))) < low
                ]

            out.append(_Compiled(SH + "QualifiedMinCountConstraintComponent", None, q_min))
        return out

    def _compile(self, c: Constraint, shape: Shape) -> Run:
        name = c.component.rsplit("#", 1)[-1]
        v = c.value
        if name == "MinCountConstraintComponent":
            low = int(lexical(v))

            def min_count(column: Column) -> Found:
                return [
                    (f, None, "missing" if not vs else f"{len(vs)} given, at least {low} needed")
                    for f, vs in column.where_count(low.__gt__)
                ]

            return min_count
        if name == "MaxCountConstraintComponent":
            high = int(lexical(v))

            def max_count(column: Column) -> Found:
                return [(f, None, _too_many(vs, high)) for f, vs in column.where_count(high.__lt__)]

            return max_count
        if name == "HasValueConstraintComponent":
            missing = f"{_short(v)} missing"

            def has_value(column: Column) -> Found:
                keep = [v not in vs for vs in column.values]
                return [(f, None, missing) for f in compress(column.focus, keep)]

            return has_value
        if name == "ClassConstraintComponent":
            return self._compile_class(v)
        test, words = self._value_test(name, c, shape)
        return _per_distinct_value(test, words)

    def _compile_class(self, cls: str) -> Run:
        """``sh:class``: the instances of the class and its subclasses are one set; bad values are the rest."""
        by_type = self.data.reverse(RDF_TYPE)
        instances: set[str] = set().union(*(by_type.get(c, ()) for c in self.subclasses(cls)))
        words = f"not a {_short(cls)} in the graph"

        def class_(column: Column) -> Found:
            bad = column.distinct - instances
            if not bad:
                return []
            return [(f, x, words) for f, vs in column.having(bad) for x in sorted(bad.intersection(vs))]

        return class_

    def _value_test(self, name: str, c: Constraint, shape: Shape) -> tuple[Callable[[str], bool], Callable[[str], str]]:
        """``(ok(value), what is wrong with a value)`` for a constraint decided value by value."""
        v = c.value
        if name == "DatatypeConstraintComponent":
            datatype = iri_value(v)
            dt_name = _short(v)
            if datatype == XSD_STRING:
                # a plain literal ends with its closing quote; a tagged or typed one, an IRI, a blank node do not
                return (lambda x: x.endswith('"')), (lambda x: f"{_kind_words(x)}, expected a plain string")

            def datatype_ok(x: str) -> bool:
                if not is_literal(x):
                    return False
                text, actual, _ = literal_parts(x)
                return actual == datatype and (datatype == RDF_LANGSTRING or well_typed(text, datatype))

            def datatype_words(x: str) -> str:
                if is_literal(x) and literal_parts(x)[1] == datatype:
                    return f"not a valid {dt_name}"
                return f"{_kind_words(x)}, expected {dt_name}"

            return datatype_ok, datatype_words
        if name == "NodeKindConstraintComponent":
            kind = iri_value(v).rsplit("#", 1)[-1]
            accept: Callable[[str], bool] = {
                "IRI": is_iri,
                "Literal": is_literal,
                "BlankNode": is_blank,
                "BlankNodeOrIRI": lambda x: is_iri(x) or is_blank(x),
                "BlankNodeOrLiteral": lambda x: is_blank(x) or is_literal(x),
                "IRIOrLiteral": lambda x: is_iri(x) or is_literal(x),
            }[kind]
            return accept, lambda x: f"{_kind_words(x)}, expected {_KIND_WORDS[kind]}"
        if name == "PatternConstraintComponent":
            flags = 0
            for letter in lexical(c.param("flags") or '""'):
                flags |= {"i": re.I, "m": re.M, "s": re.S, "x": re.X}.get(letter, 0)
            try:
                rx = re.compile(lexical(v), flags)
            except re.error as exc:
                raise ShapesError(f"{shape.source}: shape {iri_value(shape.iri)}: bad sh:pattern: {exc}") from None
            return (lambda x: not is_blank(x) and rx.search(lexical(x)) is not None), (
                lambda x: "not of the expected form"
            )
        if name in ("MinLengthConstraintComponent", "MaxLengthConstraintComponent"):
            bound = int(lexical(v))
            if name.startswith("Min"):
                return (lambda x: not is_blank(x) and len(lexical(x)) >= bound), (
                    lambda x: "empty" if not is_blank(x) and not lexical(x) else f"shorter than {bound} characters"
                )
            return (lambda x: not is_blank(x) and len(lexical(x)) <= bound), (
                lambda x: f"longer than {bound} characters"
            )
        if name.endswith(("InclusiveConstraintComponent", "ExclusiveConstraintComponent")):
            limit = numeric_value(v)
            if limit is None:
                raise ShapesError(f"{shape.source}: shape {iri_value(shape.iri)}: only numeric bounds are implemented")
            compare: dict[str, tuple[Callable[[object], bool], str]] = {
                "MinInclusiveConstraintComponent": (lambda n: n >= limit, f"below the minimum {limit}"),  # type: ignore[operator]
                "MaxInclusiveConstraintComponent": (lambda n: n <= limit, f"above the maximum {limit}"),  # type: ignore[operator]
                "MinExclusiveConstraintComponent": (lambda n: n > limit, f"not above {limit}"),  # type: ignore[operator]
                "MaxExclusiveConstraintComponent": (lambda n: n < limit, f"not below {limit}"),  # type: ignore[operator]
            }
            within, words = compare[name]

            def in_range(x: str) -> bool:
                number = numeric_value(x)
                return number is not None and within(number)

            return in_range, lambda x: words if numeric_value(x) is not None else "not a number"
        if name == "InConstraintComponent":
            members = {m for k, m in c.extra if k == "member"}
            return (lambda x: x in members), (lambda x: "not one of the allowed values")
        if name == "NodeConstraintComponent":
            target = self.v.shapes.shapes.get(v)
            shape_name = target.display if target else _short(v)
            return (lambda x: self.conforms(x, v)), (lambda x: f"not a {shape_name}")
        raise ShapesError(f"{shape.source}: shape {iri_value(shape.iri)}: {name} is not implemented")


def _too_many(values: Collection[str], high: int) -> str:
    shown = ", ".join(_value_words(v) for v in sorted(values)[:3]) + (", ..." if len(values) > 3 else "")
    return f"{len(values)} values ({shown}), at most {high} allowed" if high else f"present: {shown}"


def _value_words(term: str) -> str:
    if is_literal(term):
        text = literal_parts(term)[0]
        return '"' + (text if len(text) <= 40 else text[:39] + "…") + '"'
    return _short(term)


def _per_distinct_value(ok: Callable[[str], bool], words: Callable[[str], str]) -> Run:
    """A value constraint over all focus nodes: each distinct value is tested once."""

    def run(column: Column) -> Found:
        bad = {x for x in column.distinct if not ok(x)}
        if not bad:
            return []
        return [(f, x, words(x)) for f, vs in column.having(bad) for x in sorted(bad.intersection(vs))]

    return run


_KIND_WORDS = {
    "IRI": "an IRI",
    "Literal": "a literal",
    "BlankNode": "a blank node",
    "BlankNodeOrIRI": "an IRI or blank node",
    "BlankNodeOrLiteral": "a blank node or literal",
    "IRIOrLiteral": "an IRI or literal",
}

_SHORT = {
    **{p: vocab.PREFIXES[p] for p in ("ltx", "ltxid")},
    "ltxsh": vocab.LTXSH.iri,
    **{p: vocab.PREFIXES[p] for p in ("xsd", "rdf", "rdfs", "skos", "fabio", "sh")},
}


def _short(term: str) -> str:
    value = iri_value(term) if is_iri(term) else term
    for prefix, ns in _SHORT.items():
        if value.startswith(ns):
            return f"{prefix}:{value[len(ns) :]}"
    return value


def _kind_words(term: str) -> str:
    if is_iri(term):
        return "an IRI"
    if is_blank(term):
        return "a blank node"
    _, datatype, lang = literal_parts(term)
    if lang:
        return f"a literal tagged @{lang}"
    if datatype == XSD_STRING:
        return "a plain string"
    return f"a literal of datatype {_short('<' + datatype + '>')}"
