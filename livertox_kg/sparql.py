"""Stored queries (``queries/*.rq``): reading their header, running them, writing results.

Each ``.rq`` file starts with a header of ``#+ key: value`` lines (``summary``, ``description``,
``params``, ``tags``; a value may continue on lines starting with ``#+   ``). An unknown key or a
file without a summary is an error, never ignored.

Results are written in the W3C SPARQL 1.1 result formats: CSV (header row, plain values, CRLF line
ends), TSV, JSON; ``table`` is for people.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from livertox_kg import resources
from livertox_kg.errors import QueryError

HEADER_KEYS = ("summary", "description", "params", "tags")
_HEADER_LINE = re.compile(r"^#\+ (?P<key>[a-z_]+):(?P<value>.*)$")
_CONTINUATION = re.compile(r"^#\+ {3}(?P<value>.*)$")


@dataclass(frozen=True)
class StoredQuery:
    name: str
    text: str
    summary: str
    description: str = ""
    params: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)


def parse_stored(name: str, text: str) -> StoredQuery:
    header: dict[str, str] = {}
    last: str | None = None
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#+"):
            break
        cont = _CONTINUATION.match(line)
        if cont and last is not None:
            header[last] = f"{header[last]} {cont['value'].strip()}".strip()
            continue
        m = _HEADER_LINE.match(line)
        if not m:
            raise QueryError(f"queries/{name}.rq:{lineno}: malformed header line {line!r}")
        key = m["key"]
        if key not in HEADER_KEYS:
            raise QueryError(
                f"queries/{name}.rq:{lineno}: unknown header key {key!r} (known: {', '.join(HEADER_KEYS)})"
            )
        if key in header:
            raise QueryError(f"queries/{name}.rq:{lineno}: header key {key!r} given twice")
        header[key] = m["value"].strip()
        last = key
    if not header.get("summary"):
        raise QueryError(f"queries/{name}.rq: header has no '#+ summary:' line")
    tags = tuple(t.strip() for t in header.get("tags", "").split(",") if t.strip())
    return StoredQuery(name, text, header["summary"], header.get("description", ""), header.get("params", ""), tags)


def stored_queries() -> dict[str, StoredQuery]:
    out: dict[str, StoredQuery] = {}
    for entry in sorted(resources.queries_dir().iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[:-3]
            out[name] = parse_stored(name, entry.read_text(encoding="utf-8"))
    return out


def stored_query(name: str) -> StoredQuery:
    queries = stored_queries()
    if name not in queries:
        raise QueryError(f"no stored query {name!r}; 'livertox-kg queries' lists them ({', '.join(queries)})")
    return queries[name]


Row = list[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None]


@dataclass
class Results:
    variables: list[str]
    rows: list[Row]


def run(store: ox.Store, text: str) -> Results:
    try:
        solutions = store.query(text)
    except SyntaxError as exc:
        raise QueryError(f"query is not valid SPARQL: {exc}") from None
    if not isinstance(solutions, ox.QuerySolutions):
        raise QueryError("only SELECT queries can be written as a table")
    variables = [v.value for v in solutions.variables]
    rows: list[Row] = [[sol[v] for v in variables] for sol in solutions]
    return Results(variables, rows)


def plain(term: Any) -> str:
    """A term's plain value: IRI text, literal lexical form, ``_:id`` for blank nodes, ``""`` unbound."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term.value)


def to_csv(results: Results) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(results.variables)
    for row in results.rows:
        writer.writerow([plain(t) for t in row])
    return buf.getvalue()


def _tsv_term(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        value = term.value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace('"', '\\"')
        if term.language:
            return f'"{value}"@{term.language}'
        if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
            return f'"{value}"'
        return f'"{value}"^^<{term.datatype.value}>'
    return str(term)


def to_tsv(results: Results) -> str:
    lines = ["\t".join(f"?{v}" for v in results.variables)]
    lines.extend("\t".join(_tsv_term(t) for t in row) for row in results.rows)
    return "\n".join(lines) + "\n"


def _json_term(term: Any) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    assert isinstance(term, ox.Literal)
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def to_json(results: Results) -> str:
    bindings = [
        {v: _json_term(t) for v, t in zip(results.variables, row, strict=True) if t is not None} for row in results.rows
    ]
    doc = {"head": {"vars": results.variables}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def to_table(results: Results, max_width: int = 60) -> str:
    def cut(text: str) -> str:
        text = text.replace("\n", " ")
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    cells = [[cut(plain(t)) for t in row] for row in results.rows]
    widths = [len(v) for v in results.variables]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(results.variables, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells)
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines) + "\n"


FORMATTERS = {"table": to_table, "csv": to_csv, "tsv": to_tsv, "json": to_json}
