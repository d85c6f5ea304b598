"""The shapes themselves: one Turtle case file per constraint, the house conventions, meta-SHACL, coverage.

Each ``tests/shapes/*.ttl`` file is a case in the style of the W3C SHACL test suite: a ``sht:Validate``
manifest whose ``mf:result`` is the exact expected ``sh:ValidationReport``, and the data. The data is
validated together with ``tests/shapes/base.ttl`` (a complete chapter the cases point to, which conforms
on its own) and the vocabulary. A failure prints the results that differ; to fix one, correct the shape
in ``shapes/`` or the expectation in the case file, whichever is wrong.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest

from livertox_kg.validation.datagraph import DataGraph
from livertox_kg.validation.engine import Validator, _Evaluation
from livertox_kg.validation.shapes_graph import SH, Shape, ShapesGraph, load, shape_files
from tests.conftest import corpus_files
from tests.support.shape_cases import (
    CASE_FILES,
    RDF_TYPE,
    TODAY,
    Key,
    base_statements,
    ours,
    read_case,
    vocabulary_statements,
)


@pytest.fixture(scope="module")
def shapes() -> ShapesGraph:
    return load()


@pytest.fixture(scope="module")
def context() -> list[str]:
    return base_statements() + vocabulary_statements()


def _show(keys: Iterable[Key]) -> str:
    return "\n".join("  " + " | ".join(k) for k in sorted(keys))


def test_base_conforms(shapes: ShapesGraph, context: list[str]) -> None:
    found = ours(shapes, context)
    assert not found, "tests/shapes/base.ttl must conform:\n" + _show(found)


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.name for p in CASE_FILES])
def test_case(path: Path, shapes: ShapesGraph, context: list[str]) -> None:
    case = read_case(path)
    assert case.conforms == (not case.expected), f"{path.name}: sh:conforms disagrees with the listed results"
    found = ours(shapes, context, case.statements)
    assert found == case.expected, (
        f"{path.name}\nexpected but not found:\n{_show(case.expected - found)}"
        f"\nfound but not expected:\n{_show(found - case.expected)}"
    )


# -- coverage of the cases ---------------------------------------------------------------------------------

_HELPERS = {"ChapterKind", "AgentKind", "WorkType"}  # value shapes used by qualified constraints


def _local(shape_iri: str) -> str:
    return shape_iri.rsplit("#", 1)[-1].rstrip(">")


def _reported_shapes(shapes: ShapesGraph) -> set[str]:
    """Shapes that can produce a result: those with constraints (node or property shapes)."""
    return {_local(k) for k, s in shapes.shapes.items() if (s.constraints or s.sparql) and _local(k) not in _HELPERS}


def test_every_shape_has_an_invalid_case(shapes: ShapesGraph) -> None:
    covered = {_local(k[4]) for p in CASE_FILES if ".invalid" in p.name for k in read_case(p).expected}
    missing = sorted(_reported_shapes(shapes) - covered)
    assert not missing, f"shapes with no invalid case in tests/shapes/ (add one): {missing}"


def _about_absence(shape: Shape) -> bool:
    """A shape that checks that a value is there (sh:minCount), or that it is not (sh:maxCount 0)."""
    return any(
        c.component.endswith("#MinCountConstraintComponent")
        or (c.component.endswith("#MaxCountConstraintComponent") and c.value.startswith('"0"'))
        for c in shape.constraints
    )


def test_every_shape_has_a_valid_case(shapes: ShapesGraph, context: list[str]) -> None:
    """Each shape checks, in some case file, a node that has a value for its path and passes it."""
    exercised: set[str] = set()
    for path in CASE_FILES:
        case = read_case(path)
        failing = {(k[0], _local(k[4])) for k in case.expected}
        data = DataGraph()
        data.add_statements(context)
        data.add_statements(case.statements)
        new = {s.split(" ", 1)[0] for s in case.statements}
        new |= {s.rsplit(" ", 1)[-1] for s in case.statements if s.split(" ")[1] == RDF_TYPE}
        evaluation = _Evaluation(Validator(shapes, TODAY), data)
        for root in shapes.roots():
            targeted = evaluation.targets(root) & new
            if any((f, _local(root.iri)) not in failing for f in targeted):
                exercised.add(_local(root.iri))
            for prop in root.properties:
                if any(
                    (f, _local(prop.iri)) not in failing and (data.objects(f, prop.path or "") or _about_absence(prop))
                    for f in targeted
                ):
                    exercised.add(_local(prop.iri))
    missing = sorted(_reported_shapes(shapes) - exercised)
    assert not missing, f"shapes no case shows passing (add a .valid case to tests/shapes/): {missing}"


# -- the conventions of shapes/ ----------------------------------------------------------------------------


def _shape_quads() -> list[tuple[str, ox.Quad]]:
    out = []
    for name, data in shape_files():
        out.extend((name, q) for q in ox.parse(data, format=ox.RdfFormat.TURTLE))
    return out


def test_no_blank_nodes_in_shapes() -> None:
    blank = [
        (name, str(q))
        for name, q in _shape_quads()
        if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)
    ]
    assert not blank, f"shapes are named IRIs; blank nodes found: {blank[:5]}"


@pytest.mark.slow
def test_property_shapes_say_what_is_wrong(shapes: ShapesGraph) -> None:
    incomplete = []
    declared = {str(q.subject) for _, q in _shape_quads() if str(q.object) == f"<{SH}PropertyShape>"}
    for iri, shape in shapes.shapes.items():
        if shape.is_property:
            assert iri in declared, f"{iri} has sh:path but is not declared a sh:PropertyShape"
            explicit = {str(q.predicate) for _, q in _shape_quads() if str(q.subject) == iri}
            needed = {f"<{SH}{k}>" for k in ("name", "description", "message", "severity")}
            if not needed <= explicit or not shape.message or not shape.name or not shape.description:
                incomplete.append(iri)
    assert not incomplete, f"property shapes without sh:name, sh:description, sh:message or sh:severity: {incomplete}"


def test_node_shapes_with_constraints_have_a_message(shapes: ShapesGraph) -> None:
    missing = [
        iri
        for iri, s in shapes.shapes.items()
        if not s.is_property and (s.constraints or s.sparql) and s.has_targets and not s.message
    ]
    assert not missing, f"node shapes whose own constraints report without a message: {missing}"


def test_no_closed_shapes_and_no_rdf_lists() -> None:
    bad = [
        (name, str(q.predicate))
        for name, q in _shape_quads()
        if str(q.predicate) in (f"<{SH}closed>", f"<{SH}in>", f"<{SH}ignoredProperties>")
    ]
    assert not bad, f"sh:closed / sh:in are not used (see shapes/graph.ttl): {bad}"


@pytest.mark.slow
def test_shapes_pass_meta_shacl() -> None:
    """pySHACL validates shapes/ against the SHACL-SHACL shapes before using them (``meta_shacl=True``)."""
    pyshacl = pytest.importorskip("pyshacl")
    rdflib = pytest.importorskip("rdflib")
    graph = rdflib.Graph()
    for _, data in shape_files():
        graph.parse(data=data, format="turtle")
    conforms, _, text = pyshacl.validate(rdflib.Graph(), shacl_graph=graph, meta_shacl=True, inference="none")
    assert conforms, text


# -- every class and property the graph emits has a shape --------------------------------------------------


@functools.cache
def _emitted() -> frozenset[tuple[str, str]]:
    """(class, property) pairs of the real chapters' graphs: the shipped sample and, when present, the corpus."""
    from livertox_kg.interpret import load as load_chapter
    from livertox_kg.rdf import chapter as rdf
    from livertox_kg.sources import SourceDoc, iter_sources
    from livertox_kg.store.convert import default_sources

    paths = default_sources() + corpus_files()
    pairs: set[tuple[str, str]] = set()
    for item in iter_sources(paths):
        if not isinstance(item, SourceDoc):
            continue
        data = DataGraph()
        data.add_statements(rdf.chapter_triples(load_chapter(item)))
        for s, p, _ in data.triples():
            for t in data.types(s):
                pairs.add((t, p))
    return frozenset(pairs)


@pytest.mark.slow
def test_every_emitted_class_and_property_has_a_shape(shapes: ShapesGraph) -> None:
    data = DataGraph()
    data.add_statements(vocabulary_statements())
    covered: set[tuple[str, str]] = set()
    for root in shapes.roots():
        classes: set[str] = set()
        for c in root.target_classes:
            classes |= data.subclasses(c)
        for prop in root.properties:
            for c in classes:
                covered.add((c, prop.path or ""))
    by_target_objects = {p for s in shapes.shapes.values() for p in s.target_objects_of}
    missing = sorted(
        (t, p)
        for t, p in _emitted()
        if (t, p) not in covered and not (p in by_target_objects or t.startswith("<http://purl.org/spar/fabio/"))
    )
    assert not missing, f"(class, property) pairs the graph emits with no property shape: {missing}"


def test_cited_work_properties_have_shapes(shapes: ShapesGraph) -> None:
    """Works are targeted as objects of ltx:citedWork, not by class: check their properties separately."""
    work_shape = shapes.shapes["<https://w3id.org/livertox-kg/shapes#WorkShape>"]
    paths = {p.path for p in work_shape.properties}
    fabio = "<http://purl.org/spar/fabio/"
    emitted = {p for t, p in _emitted() if t.startswith(fabio)}
    assert emitted <= paths, f"work properties with no shape: {sorted(emitted - paths)}"
