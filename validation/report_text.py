"""The text report ``validate`` prints, for people: the entries' own findings first, each with its place in the
file, then one line per kind for what the rest of the graph gives (``--all`` lists those too).

For a chapter file, every finding names the file and line, the element there and quotes the source::

    entry new/aldesleukin.nxml
      what the file gets wrong (the reader's findings)
        Warning    new/aldesleukin.nxml:55 section OVERVIEW > Hepatotoxicity
                   likelihood statement with no readable score: 'Likelihood score: F[HD] ...'; not loaded: ...
                   > Likelihood score: F[HD] (probable cause of clinically apparent liver injury ...)
      PubMed 1297418 "Hypersensitivity to aldesleukin ..." (https://pubmed.ncbi.nlm.nih.gov/1297418/)
        Warning    PubMed id and year: "1297418": PubMed id 1297418 is below 11,151,090, the lowest expected for 2003
                   The PubMed id is far lower than PubMed gives articles of this year: ...
                   at new/aldesleukin.nxml:160, reference <ref id="Aldesleukin.R12">
                   > Shah NR, ... J Clin Oncol 2003; 21: 3127-32. ... 1297418

An entry given as Turtle or JSON-LD has no places (its nodes are its own lines of RDF), so its report is the
plain one (the README shows one).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from livertox_kg.validation.engine import Result, order
from livertox_kg.validation.places import Place
from livertox_kg.validation.report import PREFIXES, SEVERITY_WORDS, Entry, Report, path_name, value_text
from livertox_kg.validation.shapes_graph import ShapesGraph
from livertox_kg.validation.terms import iri_value, is_iri, short

_PAD = " " * 15  # under the severity column


def to_text(report: Report, shapes: ShapesGraph, everything: bool = False) -> str:
    """The report; ``everything``: list the results elsewhere in the graph too, not only their counts."""
    lines: list[str] = []
    for entry in report.entries:
        if entry.results or entry.findings:
            lines.append(f"entry {entry.name}")
            lines.extend(_findings(entry))
            lines.extend(_by_node(report, entry.results, entry, shapes))
            lines.append("")
    if report.elsewhere:
        lines.extend(_elsewhere(report, shapes, everything))
        lines.append("")
    lines.append(report.counts_line())
    return "\n".join(lines) + "\n"


def _findings(entry: Entry) -> list[str]:
    if not entry.findings:
        return []
    lines = ["  what the file gets wrong (the reader's findings)"]
    for finding, place in entry.findings:
        lines.append(f"    {'Warning':<9}  {place.where()} {place.element}")
        lines.append(f"{_PAD}{finding.message}")
        if place.excerpt:
            lines.append(f"{_PAD}> {place.excerpt}")
    return lines


def _by_node(report: Report, results: Sequence[Result], entry: Entry | None, shapes: ShapesGraph) -> list[str]:
    lines: list[str] = []
    by_node: dict[str, list[Result]] = {}
    for r in sorted(results, key=order):
        by_node.setdefault(r.focus, []).append(r)
    for node in sorted(by_node, key=lambda n: ((report.labels.get(n) or n).casefold(), n)):
        label = report.labels.get(node) or short(node, PREFIXES)
        shown = is_iri(node) and label != short(node, PREFIXES)
        lines.append(f"  {label} ({iri_value(node)})" if shown else f"  {label}")
        for r in by_node[node]:
            lines.extend(_result(r, shapes, entry.places.get(r.key()) if entry is not None else None))
    return lines


def _result(r: Result, shapes: ShapesGraph, place: Place | None) -> list[str]:
    word = SEVERITY_WORDS.get(r.severity, r.severity)
    what = path_name(r, shapes)
    found = r.detail
    if r.value is not None and r.value != r.focus:
        found = f"{value_text(r.value)}: {r.detail}" if r.detail else value_text(r.value)
    lines = [f"    {word:<9}  {what}: {found}" if found else f"    {word:<9}  {what}"]
    if r.message:
        lines.append(f"{_PAD}{r.message}")
    if place is not None:
        lines.append(f"{_PAD}at {place.where()}, {place.element}")
        if place.excerpt:
            lines.append(f"{_PAD}> {place.excerpt}")
    return lines


def _elsewhere(report: Report, shapes: ShapesGraph, everything: bool) -> list[str]:
    """What the store gives without the entries: one line per kind with its count (or every result)."""
    head = "elsewhere in the graph (the store gives these without the entries, on nodes they share)"
    if everything:
        return [head, *_by_node(report, report.elsewhere, None, shapes)]
    lines = [head + "; --all lists them"]
    kinds = Counter((r.severity, r.shape) for r in report.elsewhere)
    for (severity, shape), n in sorted(kinds.items(), key=lambda k: (order_of(k[0][0]), k[0][1])):
        example = next(r for r in report.elsewhere if (r.severity, r.shape) == (severity, shape))
        word = SEVERITY_WORDS.get(severity, severity)
        lines.append(f"  {word:<9}  {n:>4} x {path_name(example, shapes)} ({short(shape, PREFIXES)})")
    return lines


def order_of(severity: str) -> int:
    """Violations first, then warnings, then infos."""
    return list(SEVERITY_WORDS).index(severity) if severity in SEVERITY_WORDS else len(SEVERITY_WORDS)
