"""Reading the shape cases of ``tests/shapes/`` (W3C SHACL test-suite style) and running our engine on them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from livertox_kg import resources
from livertox_kg.validation.datagraph import DataGraph
from livertox_kg.validation.engine import Validator
from livertox_kg.validation.shapes_graph import SH, ShapesGraph
from livertox_kg.validation.terms import is_blank
from tests.conftest import ROOT

CASES = ROOT / "tests" / "shapes"
CASE_FILES = sorted(p for p in CASES.glob("*.ttl") if p.name != "base.ttl")
TODAY = dt.date(2026, 1, 1)  # the SPARQL date checks compare with "today": fixed here so the cases stay true

MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
SHT = "http://www.w3.org/ns/shacl-test#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_MANIFEST_LINKS = {f"<{MF}action>", f"<{MF}result>", f"<{SH}result>"}

Key = tuple[str, str, str, str, str, str]


@dataclass(frozen=True)
class Case:
    name: str
    statements: list[str]  # the data, without the manifest
    expected: set[Key]  # (focus, path, value, component, shape, severity), blank nodes as "_:"
    conforms: bool


def normalise(key: Iterable[str]) -> Key:
    """Blank nodes compare as ``_:`` (their labels differ between parsers)."""
    a, b, c, d, e, f = ("_:" if is_blank(t) else t for t in key)
    return (a, b, c, d, e, f)


def read_case(path: Path) -> Case:
    quads = list(ox.parse(path.read_bytes(), format=ox.RdfFormat.TURTLE, base_iri=f"urn:case:{path.stem}"))
    by_subject: dict[str, list[tuple[str, str]]] = {}
    for q in quads:
        by_subject.setdefault(str(q.subject), []).append((str(q.predicate), str(q.object)))
    manifest = [s for s, po in by_subject.items() if (RDF_TYPE, f"<{SHT}Validate>") in po]
    assert len(manifest) == 1, f"{path.name}: one sht:Validate per case file"
    closure = set(manifest)
    todo = list(manifest)
    while todo:
        for p, o in by_subject.get(todo.pop(), []):
            if p in _MANIFEST_LINKS and o not in closure:
                closure.add(o)
                todo.append(o)
    expected: set[Key] = set()
    conforms = True
    for node in closure:
        po = dict(by_subject.get(node, []))
        if po.get(RDF_TYPE) == f"<{SH}ValidationReport>":
            conforms = po.get(f"<{SH}conforms>", "").startswith('"true"')
        if po.get(RDF_TYPE) == f"<{SH}ValidationResult>":
            expected.add(
                normalise(
                    (
                        po[f"<{SH}focusNode>"],
                        po.get(f"<{SH}resultPath>", ""),
                        po.get(f"<{SH}value>", ""),
                        po[f"<{SH}sourceConstraintComponent>"][1:-1],
                        po[f"<{SH}sourceShape>"],
                        po[f"<{SH}resultSeverity>"][1:-1],
                    )
                )
            )
    statements = [f"{q.subject} {q.predicate} {q.object}" for q in quads if str(q.subject) not in closure]
    return Case(path.stem, statements, expected, conforms)


def vocabulary_statements() -> list[str]:
    return [
        f"{q.subject} {q.predicate} {q.object}" for q in ox.parse(resources.ontology_ttl(), format=ox.RdfFormat.TURTLE)
    ]


def base_statements() -> list[str]:
    return read_rdf(CASES / "base.ttl")


def read_rdf(path: Path) -> list[str]:
    return [f"{q.subject} {q.predicate} {q.object}" for q in ox.parse(path.read_bytes(), format=ox.RdfFormat.TURTLE)]


def ours(shapes: ShapesGraph, *statement_lists: list[str]) -> set[Key]:
    data = DataGraph()
    for statements in statement_lists:
        data.add_statements(statements)
    return {normalise(r.key()) for r in Validator(shapes, TODAY).validate(data)}
