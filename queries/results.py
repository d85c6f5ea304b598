"""Query results (:class:`Results`, from the embedded store or an endpoint) and how they are written: the
W3C SPARQL 1.1 result formats CSV (header row, plain values, CRLF line ends), TSV, JSON and XML, and
``table`` for people (the only one that writes IRIs with prefixes).

Why these writers are ours and not pyoxigraph's ``QuerySolutions.serialize``: that one writes only a
live result iterator straight from ``Store.query`` (no ``QuerySolutions`` can be made from rows, and our
results are rows: the server counts them against its limit, ``qc`` counts hits, an endpoint's answer is
parsed into them), and its bytes differ from ours in every format (compared on every stored query on the
corpus graph): JSON and XML have the same content but no line breaks; TSV abbreviates numbers and
booleans (``1``, ``false`` where ours, like the goldens, write ``"1"^^xsd:integer``); CSV does not quote
an IRI that holds a comma (one more column: a breach of RFC 4180, which W3C CSV results follow) and
writes an ASK answer without its header line. The terms themselves are pyoxigraph's: TSV writes each in
its N-Triples form (``str(term)``).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import pyoxigraph as ox

from livertox_kg.errors import QueryError
from livertox_kg.queries.prefixes import shorten
from livertox_kg.rdf.vocab import XSD

Row = list[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None]


@dataclass
class Results:
    variables: list[str]
    rows: list[Row]
    boolean: bool | None = None  # the answer of an ASK query (then variables and rows are empty)


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
    if results.boolean is not None:
        writer.writerow(["boolean"])
        writer.writerow(["true" if results.boolean else "false"])
        return buf.getvalue()
    writer.writerow(results.variables)
    for row in results.rows:
        writer.writerow([plain(t) for t in row])
    return buf.getvalue()


def tsv_term(term: Any) -> str:
    """A term in the W3C TSV results form: its N-Triples form (plain strings quoted), ``""`` unbound."""
    return "" if term is None else str(term)


def to_tsv(results: Results) -> str:
    if results.boolean is not None:
        return "?boolean\n" + ("true" if results.boolean else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in results.variables)]
    lines.extend("\t".join(tsv_term(t) for t in row) for row in results.rows)
    return "\n".join(lines) + "\n"


def _json_term(term: Any) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if not isinstance(term, ox.Literal):
        raise QueryError(f"cannot write {term} in SPARQL JSON results")
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD.string:
        out["datatype"] = term.datatype.value
    return out


def to_json(results: Results) -> str:
    if results.boolean is not None:
        return json.dumps({"head": {}, "boolean": results.boolean}) + "\n"
    bindings = [
        {v: _json_term(t) for v, t in zip(results.variables, row, strict=True) if t is not None} for row in results.rows
    ]
    doc = {"head": {"vars": results.variables}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{xml_escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{xml_escape(term.value)}</bnode>"
    if not isinstance(term, ox.Literal):
        raise QueryError(f"cannot write {term} in SPARQL XML results")
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{xml_escape(term.value)}</literal>"
    if term.datatype.value != XSD.string:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{xml_escape(term.value)}</literal>"
    return f"<literal>{xml_escape(term.value)}</literal>"


def to_xml(results: Results) -> str:
    lines = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    lines.extend(f"<variable name={quoteattr(v)}/>" for v in results.variables)
    lines.append("</head>")
    if results.boolean is not None:
        lines.append(f"<boolean>{'true' if results.boolean else 'false'}</boolean>")
    else:
        lines.append("<results>")
        for row in results.rows:
            lines.append("<result>")
            lines.extend(
                f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(results.variables, row, strict=True)
                if t is not None
            )
            lines.append("</result>")
        lines.append("</results>")
    lines.append("</sparql>")
    return "\n".join(lines) + "\n"


def to_table(results: Results, max_width: int = 60) -> str:
    """For people: aligned columns, plain values, IRIs written with the graph's prefixes
    (:func:`livertox_kg.queries.prefixes.shorten`), cells cut at ``max_width``, the number of rows."""
    if results.boolean is not None:
        return ("true" if results.boolean else "false") + "\n"

    def cut(text: str) -> str:
        text = text.replace("\n", " ")
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    cells = [[cut(shorten(t.value) if isinstance(t, ox.NamedNode) else plain(t)) for t in row] for row in results.rows]
    widths = [len(v) for v in results.variables]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(results.variables, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells)
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines) + "\n"


FORMATTERS = {"table": to_table, "csv": to_csv, "tsv": to_tsv, "json": to_json, "xml": to_xml}

MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
