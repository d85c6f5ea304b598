"""Validation reports: for people (text), for programs (JSON), and as a standard ``sh:ValidationReport`` (Turtle).

The text report groups results by entry (the file, or the chapter graph, the statements came from), then by
node, named by its label rather than its IRI alone, and ends with the counts (the README shows a whole one)::

    entry broken-entry.ttl
      likelihood assessment 9 of chapter Aldesleukin (https://w3id.org/livertox-kg/id/chapter/Aldesleukin/likelihood/9)
        Violation  category: ltxid:likelihood/F: not a ltx:LikelihoodCategory in the graph
                   A likelihood assessment needs exactly one category, a concept of the likelihood scale: ...

    1 entry checked: 1 violation, 0 warnings, 0 infos; 1 entry has violations

The JSON report gives each result and each of the reader's findings its ``place`` in the source file; the
Turtle report is :mod:`.report_turtle`, the page :mod:`.report_html`, the text :mod:`.report_text`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final, Protocol

from livertox_kg.model import Finding
from livertox_kg.rdf import vocab
from livertox_kg.validation.datagraph import DataGraph
from livertox_kg.validation.engine import INFO, VIOLATION, WARNING, Result, order
from livertox_kg.validation.places import Place
from livertox_kg.validation.shapes_graph import ShapesGraph
from livertox_kg.validation.terms import iri, iri_value, is_iri, is_literal, literal_parts, short

# The prefixes a report shortens IRIs with (and a Turtle report declares), taken from the one prefix table.
_SHOWN = (
    "ltx",
    "ltxid",
    "ltxsh",
    "sh",
    "rdf",
    "rdfs",
    "xsd",
    "skos",
    "dcterms",
    "fabio",
    "bibo",
    "cito",
    "prov",
    "pubmed",
)
PREFIXES: Final = {p: {**vocab.PREFIXES, "ltxsh": vocab.LTXSH.iri, "pubmed": vocab.PUBMED}[p] for p in _SHOWN}
"""The prefixes a report shortens IRIs with (and a Turtle report declares), from the one prefix table."""
SEVERITY_WORDS: Final = {VIOLATION: "Violation", WARNING: "Warning", INFO: "Info"}
_LABELS: Final = tuple(
    f"<{t}>"
    for t in (vocab.RDFS.label, vocab.SKOS.prefLabel, vocab.DCTERMS.title, vocab.SKOS.notation, vocab.LTX.sourceName)
)
_CHAPTER: Final = vocab.ID + "chapter/"
_PARTS: Final = {
    "likelihood": "likelihood assessment",
    "evidence": "pattern evidence",
    "case": "case report",
    "reference": "reference",
    "section": "section",
}


@dataclass
class Entry:
    """What was validated together and is reported together: a file, or a chapter graph of the store."""

    name: str  # "aldesleukin.nxml", "chapter Aldesleukin", ...
    results: list[Result] = field(default_factory=list)
    findings: list[tuple[Finding, Place]] = field(default_factory=list)  # the reader's: Warnings on the source
    places: dict[tuple[str, ...], Place] = field(default_factory=dict)  # result key -> where in the file
    chapter: str | None = None  # the IRI of the chapter a chapter file states


@dataclass
class Report:
    entries: list[Entry]  # every entry checked, in order, with its results
    checked: int  # entries checked (some may have no result)
    labels: dict[str, str]  # node term -> label
    context: str = ""  # what the entries were validated against ("the store /x (57 chapters)")
    elsewhere: list[Result] = field(default_factory=list)  # results the store has without the entries

    @property
    def findings(self) -> int:
        """The reader's findings on the entries' sources, counted as warnings."""
        return sum(len(e.findings) for e in self.entries)

    @property
    def results(self) -> list[Result]:
        seen: dict[tuple[str, ...], Result] = {}
        for e in self.entries:
            for r in e.results:
                seen.setdefault(r.key(), r)
        return sorted(seen.values(), key=order)

    def count(self, severity: str) -> int:
        """Results of a severity; the reader's findings on the sources are warnings."""
        return sum(1 for r in self.results if r.severity == severity) + (self.findings if severity == WARNING else 0)

    @property
    def violations(self) -> int:
        return self.count(VIOLATION)

    @property
    def warnings(self) -> int:
        return self.count(WARNING)

    @property
    def infos(self) -> int:
        return self.count(INFO)

    def counts_line(self) -> str:
        with_violations = sum(1 for e in self.entries if any(r.severity == VIOLATION for r in e.results))
        noun = "entry" if self.checked == 1 else "entries"
        line = (
            f"{self.checked} {noun} checked: {_plural(self.violations, 'violation')}, "
            f"{_plural(self.warnings, 'warning')}, {_plural(self.infos, 'info')}"
        )
        if with_violations:
            line += f"; {with_violations} {'entry has' if with_violations == 1 else 'entries have'} violations"
        if self.elsewhere:
            line += f"; {_plural(len(self.elsewhere), 'result')} elsewhere in the graph, not caused by the entries"
        return line


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# -- labels ------------------------------------------------------------------------------------------------


def node_label(data: DataGraph, node: str, shapes: ShapesGraph | None = None) -> str:
    """A name for people: what the node is (its class's label) and what it is called."""
    if not is_iri(node):
        return short(node, PREFIXES)
    value = iri_value(node)
    kind = _kind(data, node)
    name = ""
    for p in _LABELS:
        values = sorted(data.objects(node, p))
        if values and is_literal(values[0]):
            name = literal_parts(values[0])[0]
            break
    if value.startswith(_CHAPTER):
        rest = value[len(_CHAPTER) :].split("/")
        if len(rest) == 1:
            return f"{kind or 'chapter'} {rest[0]}" + (f' "{_cut(name)}"' if name and name != rest[0] else "")
        if len(rest) == 3:
            part = _PARTS.get(rest[1], rest[1])
            return f"{part} {rest[2]} of chapter {rest[0]}" + (f' "{_cut(name)}"' if name else "")
    if value.startswith(PREFIXES["pubmed"]):
        pmid = value[len(PREFIXES["pubmed"]) :].strip("/")
        return f"PubMed {pmid}" + (f' "{_cut(name)}"' if name else "")
    if name:
        return f"{kind} {_cut(name)}" if kind else _cut(name)
    return f"{kind} {short(node, PREFIXES)}" if kind else short(node, PREFIXES)


def _kind(data: DataGraph, node: str) -> str:
    """The label of the node's most specific class (``drug chapter``, ``agent``...), from the vocabulary graph."""
    types = sorted(data.types(node))
    best = ""
    best_depth = -1
    for t in types:
        labels = [v for v in data.objects(t, "<http://www.w3.org/2000/01/rdf-schema#label>") if is_literal(v)]
        if not labels:
            continue
        depth = len(data.superclasses(t))
        if depth > best_depth:
            best, best_depth = literal_parts(sorted(labels)[0])[0], depth
    return best


def _cut(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def labels_for(data: DataGraph, results: Iterable[Result]) -> dict[str, str]:
    out: dict[str, str] = {}
    for r in results:
        if r.focus not in out:
            out[r.focus] = node_label(data, r.focus)
    return out


# -- text --------------------------------------------------------------------------------------------------


def value_text(term: str | None) -> str:
    if term is None:
        return ""
    if is_literal(term):
        text, datatype, lang = literal_parts(term)
        shown = f'"{_cut(text, 80)}"'
        if lang:
            return f"{shown}@{lang}"
        if datatype != vocab.XSD.string:
            return f"{shown}^^{short(iri(datatype), PREFIXES)}"
        return shown
    return short(term, PREFIXES)


def path_name(result: Result, shapes: ShapesGraph) -> str:
    shape = shapes.shapes.get(result.shape)
    if shape is not None and shape.name:
        return shape.name
    if result.path:
        return short(result.path, PREFIXES)
    return shape.display if shape is not None else short(result.shape, PREFIXES)


# -- JSON --------------------------------------------------------------------------------------------------


def _place_json(place: Place | None) -> dict[str, object] | None:
    if place is None:
        return None
    return {"file": place.file, "line": place.line, "element": place.element, "excerpt": place.excerpt}


def to_json(report: Report, shapes: ShapesGraph, passed: bool) -> str:
    """The report for programs; each result and finding on a chapter file has its ``place`` in the file."""
    entries = []
    for entry in report.entries:
        entries.append(
            {
                "entry": entry.name,
                "findings": [
                    {"severity": "Warning", "where": f.where, "message": f.message, "place": _place_json(place)}
                    for f, place in entry.findings
                ],
                "results": [
                    {
                        "severity": SEVERITY_WORDS.get(r.severity, r.severity),
                        "focus_node": _plain(r.focus),
                        "focus_label": report.labels.get(r.focus, ""),
                        "path": iri_value(r.path) if r.path else None,
                        "property": path_name(r, shapes),
                        "value": r.value,
                        "value_text": value_text(r.value) if r.value is not None else None,
                        "message": r.message,
                        "detail": r.detail,
                        "source_shape": _plain(r.shape),
                        "constraint_component": r.component,
                        "source_constraint": _plain(r.constraint) if r.constraint else None,
                        "place": _place_json(entry.places.get(r.key())),
                    }
                    for r in sorted(entry.results, key=order)
                ],
            }
        )
    doc = {
        "conforms": not report.results,
        "passed": passed,
        "entries_checked": report.checked,
        "counts": {"violations": report.violations, "warnings": report.warnings, "infos": report.infos},
        "entries": entries,
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _plain(term: str) -> str:
    return iri_value(term) if is_iri(term) else term


# -- what ``build`` prints of its validation -----------------------------------------------------------------


class BuildResults(Protocol):
    """What a build's check holds (:class:`livertox_kg.validation.runner.BuildCheck`)."""

    results: list[Result]
    refused: dict[str, list[Result]]
    labels: dict[str, str]
    seconds: float


def build_summary(check: BuildResults) -> str:
    """The one line of counts ``build`` prints."""
    n = Counter(r.severity for r in check.results)
    return (
        f"validation: {n[VIOLATION]} violation(s), {n[WARNING]} warning(s),"
        f" {n[INFO]} info(s) in {check.seconds:.2f} s ('livertox-kg validate' lists them)"
    )


def warning_lines(check: BuildResults) -> list[str]:
    """One line per check that warns, with its count: what looks wrong in the sources (kept as printed)."""
    counts = Counter(r.shape for r in check.results if r.severity == WARNING)
    return [f"  warning  {n:>5}  {shape.rsplit('#', 1)[-1].rstrip('>')}" for shape, n in sorted(counts.items())]


def refused_lines(check: BuildResults, shapes: ShapesGraph) -> list[str]:
    """One line per refused source, then one per violation: node, property, value, what is wrong."""
    lines = []
    for source, results in sorted(check.refused.items()):
        lines.append(f"{source or 'stated by no chapter being loaded (a bug)'}: {len(results)} violation(s)")
        for r in results:
            value = f" {value_text(r.value)}" if r.value is not None and r.value != r.focus else ""
            label = check.labels.get(r.focus, r.focus)
            lines.append(f"  {label}: {path_name(r, shapes)}{value}: {r.detail}. {r.message}")
    return lines
