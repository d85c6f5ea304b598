"""The validation report as a standard ``sh:ValidationReport`` in Turtle, the reader's findings included.

Results are named ``urn:livertox-kg:validation:{digest}`` (no blank nodes): the same results give the same bytes.
"""

from __future__ import annotations

import hashlib
from typing import Final
from urllib.parse import quote

import pyoxigraph as ox

from livertox_kg.rdf import vocab
from livertox_kg.validation.datagraph import RDF_TYPE
from livertox_kg.validation.engine import WARNING, Result, order
from livertox_kg.validation.report import PREFIXES, Report
from livertox_kg.validation.shapes_graph import SH
from livertox_kg.validation.terms import iri_value


def _term(text: str) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    quad = next(iter(ox.parse(f"<urn:s> <urn:p> {text} .", format=ox.RdfFormat.N_TRIPLES)))
    obj = quad.object
    assert isinstance(obj, ox.NamedNode | ox.BlankNode | ox.Literal)
    return obj


# The reader's findings on a chapter file are results too (a Warning on the chapter), of a shape and a
# component the report itself declares: no SHACL engine checks them, the reader does.
_READER: Final = vocab.LTXSH.iri + "SourceReading"
_READER_COMPONENT: Final = vocab.LTXSH.iri + "SourceReadingComponent"


def _finding_results(report: Report) -> list[Result]:
    out = []
    for entry in report.entries:
        focus = f"<{entry.chapter}>" if entry.chapter else f"<urn:livertox-kg:file:{quote(entry.name)}>"
        for finding, place in entry.findings:
            text = f"{place.where()} {place.element}: {finding.message}"
            if place.excerpt:
                text += f" (the file reads: {place.excerpt})"
            out.append(
                Result(
                    focus=focus,
                    path=None,
                    value=None,
                    severity=WARNING,
                    component=_READER_COMPONENT,
                    shape=f"<{_READER}>",
                    constraint=None,
                    message=text,
                    detail="",
                )
            )
    return out


def _key(r: Result) -> tuple[str, ...]:
    """What names a result in the report: a finding's message tells it from the chapter's other findings."""
    return (*r.key(), r.message) if r.shape == f"<{_READER}>" else r.key()


def _reader_declarations() -> list[ox.Triple]:
    rdf_type, comment = ox.NamedNode(iri_value(RDF_TYPE)), ox.NamedNode(vocab.RDFS.comment)
    shape, component = ox.NamedNode(_READER), ox.NamedNode(_READER_COMPONENT)
    why = "what the reader of chapter files found wrong in the source (kept as printed); no SHACL engine checks it"
    return [
        ox.Triple(shape, rdf_type, ox.NamedNode(SH + "NodeShape")),
        ox.Triple(
            shape, ox.NamedNode(SH + "deactivated"), ox.Literal("true", datatype=ox.NamedNode(vocab.XSD.boolean))
        ),
        ox.Triple(shape, comment, ox.Literal(why, language="en")),
        ox.Triple(component, rdf_type, ox.NamedNode(SH + "ConstraintComponent")),
        ox.Triple(component, comment, ox.Literal(why, language="en")),
    ]


def to_turtle(report: Report) -> str:
    """The standard ``sh:ValidationReport``: the shapes' results, then the reader's findings as Warnings."""
    findings = _finding_results(report)
    results = sorted([*report.results, *findings], key=order)
    digest = hashlib.sha256("\n".join("\t".join(_key(r)) for r in results).encode()).hexdigest()[:24]
    node_of_report = ox.NamedNode(f"urn:livertox-kg:validation:{digest}")

    def n(local: str) -> ox.NamedNode:
        return ox.NamedNode(SH + local)

    rdf_type = ox.NamedNode(iri_value(RDF_TYPE))
    triples = [
        ox.Triple(node_of_report, rdf_type, n("ValidationReport")),
        ox.Triple(
            node_of_report,
            n("conforms"),
            ox.Literal("true" if not results else "false", datatype=ox.NamedNode(PREFIXES["xsd"] + "boolean")),
        ),
        *(_reader_declarations() if findings else []),
    ]
    for r in results:
        key = hashlib.sha256("\t".join(_key(r)).encode()).hexdigest()[:24]
        node = ox.NamedNode(f"urn:livertox-kg:validation:{digest}:{key}")
        triples.append(ox.Triple(node_of_report, n("result"), node))
        triples.append(ox.Triple(node, rdf_type, n("ValidationResult")))
        triples.append(ox.Triple(node, n("focusNode"), _term(r.focus)))
        if r.path:
            triples.append(ox.Triple(node, n("resultPath"), _term(r.path)))
        if r.value is not None:
            triples.append(ox.Triple(node, n("value"), _term(r.value)))
        triples.append(ox.Triple(node, n("resultSeverity"), ox.NamedNode(r.severity)))
        triples.append(ox.Triple(node, n("sourceConstraintComponent"), ox.NamedNode(r.component)))
        triples.append(ox.Triple(node, n("sourceShape"), _term(r.shape)))
        if r.constraint:
            triples.append(ox.Triple(node, n("sourceConstraint"), _term(r.constraint)))
        if r.message:
            triples.append(ox.Triple(node, n("resultMessage"), ox.Literal(r.message, language="en")))
    data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    assert data is not None
    return data.decode("utf-8")
