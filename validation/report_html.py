"""``validate --format html``: the report as one self-contained page a curator can read, print or send.

No network: the style sheet is inline, there is no script, font, image or link to fetch; ``@media print``
keeps it readable on paper. Grouped by entry, then by severity (Violations, Warnings, Infos), each finding
with its place in the file and the source text quoted. The counts at the top are the text report's
(``Report.counts_line``). ``html.escape`` quotes every text; no template library is needed for one page.
"""

from __future__ import annotations

import html

from livertox_kg.validation.engine import INFO, VIOLATION, WARNING, Result, order
from livertox_kg.validation.places import Place
from livertox_kg.validation.report import SEVERITY_WORDS, Entry, Report, path_name, value_text
from livertox_kg.validation.shapes_graph import ShapesGraph

_CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:70em;color:#222;padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:2px solid #ccc;margin-top:2em}h3{font-size:1em}
.counts{font-weight:600}.finding{border-left:4px solid #999;padding:.3em .8em;margin:.6em 0;break-inside:avoid}
.Violation{border-color:#c00}.Warning{border-color:#d80}.Info{border-color:#36c}
.where{font-family:monospace;color:#555}blockquote{margin:.3em 0;padding:.2em .6em;background:#f4f4f4;
font-family:monospace;white-space:pre-wrap}.sev{font-weight:700}
@media print{body{margin:0;max-width:none;font-size:11pt}.finding{border-left-width:3px}
blockquote{background:none;border:1px solid #bbb}}
"""


def to_html(report: Report, shapes: ShapesGraph) -> str:
    """The page: a title, the counts, then each entry's findings by severity, then the rest of the graph."""
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>livertox-kg validation report</title>',
        f"<style>{_CSS}</style></head><body>",
        "<h1>livertox-kg validation report</h1>",
        f"<p>Validated against {e(report.context)}.</p>",
        f'<p class="counts" id="counts">{e(report.counts_line())}</p>',
    ]
    for entry in report.entries:
        if entry.results or entry.findings:
            parts.append(f"<section><h2>entry {e(entry.name)}</h2>")
            parts.extend(_entry(report, entry, shapes))
            parts.append("</section>")
    if report.elsewhere:
        parts.append("<section><h2>elsewhere in the graph (the store gives these without the entries)</h2>")
        parts.extend(_result(report, r, shapes, None) for r in sorted(report.elsewhere, key=order))
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _entry(report: Report, entry: Entry, shapes: ShapesGraph) -> list[str]:
    out: list[str] = []
    for severity in (VIOLATION, WARNING, INFO):
        word = SEVERITY_WORDS[severity]
        items = [
            _result(report, r, shapes, entry.places.get(r.key()))
            for r in sorted(entry.results, key=order)
            if r.severity == severity
        ]
        if severity == WARNING:
            items = [_finding(f.message, p) for f, p in entry.findings] + items
        if items:
            out.append(f"<h3>{word}s ({len(items)})</h3>")
            out.extend(items)
    return out


def _place(place: Place | None) -> str:
    if place is None:
        return ""
    e = html.escape
    text = f'<div class="where">{e(place.where())} — {e(place.element)}</div>'
    return text + (f"<blockquote>{e(place.excerpt)}</blockquote>" if place.excerpt else "")


def _finding(message: str, place: Place) -> str:
    return f'<div class="finding Warning"><span class="sev">Warning</span> {html.escape(message)}{_place(place)}</div>'


def _result(report: Report, r: Result, shapes: ShapesGraph, place: Place | None) -> str:
    e = html.escape
    word = SEVERITY_WORDS.get(r.severity, r.severity)
    label = report.labels.get(r.focus, r.focus)
    found = r.detail
    if r.value is not None and r.value != r.focus:
        found = f"{value_text(r.value)}: {r.detail}" if r.detail else value_text(r.value)
    return (
        f'<div class="finding {e(word)}"><span class="sev">{e(word)}</span> {e(label)}: '
        f"<b>{e(path_name(r, shapes))}</b>: {e(found)}<br>{e(r.message)}{_place(place)}</div>"
    )
