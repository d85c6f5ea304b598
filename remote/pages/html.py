"""HTML for the pages: one layout, inline CSS, links between our IRIs as local paths.

Hand-written with :func:`html.escape`: the pages are a few tables and lists, and no kept library renders
HTML (a template engine would be a new dependency for about a hundred lines). Nothing is loaded from
anywhere but ``serve`` itself: no script, font or image, no stylesheet but the one inline here, and the icon
Oxigraph serves (``/logo.svg``, so that a browser does not ask for a missing ``/favicon.ico``).
"""

from __future__ import annotations

import html
import urllib.parse
from collections.abc import Iterable
from typing import Final

import pyoxigraph as ox

from livertox_kg.rdf.vocab import BASE, PREFIXES

SITE: Final = BASE.rstrip("/")  # https://w3id.org/livertox-kg: our IRIs are served at the path after it

CSS: Final = """
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d2530;background:#fafafa}
header{background:#23415e;color:#fff;padding:.5em 1.2em;display:flex;gap:1.2em;align-items:baseline}
header a{color:#fff;text-decoration:none}header .brand{font-weight:600}
main{max-width:72em;margin:0 auto;padding:1em 1.2em 3em}
h1{font-size:1.6em;margin:.4em 0 .1em}h2{font-size:1.15em;margin:1.6em 0 .4em;border-bottom:1px solid #ccd}
.iri{font:12px ui-monospace,monospace;color:#556;word-break:break-all}
.formats a{margin-right:.8em;font-size:.9em}
table{border-collapse:collapse;width:100%;background:#fff}
td,th{border:1px solid #dde;padding:.3em .5em;vertical-align:top;text-align:left}
th{background:#eef1f5;font-weight:600}td.k{width:14em;color:#445}
.cat{display:inline-block;min-width:2.2em;text-align:center;font-weight:700;border-radius:4px;
background:#23415e;color:#fff;padding:0 .3em}
q,.sentence{font-style:italic}small,.muted{color:#667}
details{margin:.3em 0}summary{cursor:pointer}
footer{font-size:.85em;color:#667;margin-top:3em}
"""


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def local_path(iri: str) -> str | None:
    """The path on ``serve`` that answers ``iri`` (``/id/agent/x``, ``/ontology#Agent``), or None."""
    if not iri.startswith(BASE):
        return None
    return "/" + iri[len(BASE) :]


def href(iri: str) -> str:
    """Where a link to ``iri`` goes: our own page for our IRIs, the IRI itself for others."""
    return local_path(iri) or iri


def link(iri: str, text: str | None = None) -> str:
    return f'<a href="{esc(href(iri))}">{esc(text if text else short(iri))}</a>'


def short(iri: str) -> str:
    """``ltx:Agent`` for an IRI in a known namespace, else the IRI."""
    best = max(((p, ns) for p, ns in PREFIXES.items() if iri.startswith(ns)), key=lambda x: len(x[1]), default=None)
    return f"{best[0]}:{iri[len(best[1]) :]}" if best else iri


def term(value: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple, labels: dict[str, str]) -> str:
    """A term as HTML: an IRI as a link (with its label when known), a literal as text."""
    if isinstance(value, ox.NamedNode):
        return link(value.value, labels.get(value.value))
    if isinstance(value, ox.Literal):
        text = esc(value.value).replace("\n", "<br>")
        return f"{text} <small>@{esc(value.language)}</small>" if value.language and len(value.value) < 80 else text
    return esc(str(value))


def query_ui(query: str) -> str:
    """A link to Oxigraph's query UI with ``query`` filled in."""
    return "/#" + urllib.parse.urlencode({"query": query}, quote_via=urllib.parse.quote)


def table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """A table; cells are HTML already."""
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>" if body else '<p class="muted">none</p>'


def page(title: str, iri: str, body: str, formats: bool = True) -> bytes:
    """A whole page: header with the query UI link, the IRI and its other formats, ``body``."""
    path = local_path(iri) or "/"
    base = path.split("#")[0]
    alternates = (
        '<p class="formats">'
        + "".join(f'<a href="{esc(base)}.{ext}">{name}</a>' for ext, name in _FORMATS)
        + f'<a href="{esc(query_ui(f"DESCRIBE <{iri}>"))}">query</a></p>'
        if formats
        else ""
    )
    doc = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(title)} · livertox-kg</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" type="image/svg+xml" href="/logo.svg"><style>{CSS}</style></head>
<body><header><a class="brand" href="/id/dataset">livertox-kg</a><a href="/">query</a>
<a href="/ontology">ontology</a></header><main>
<h1>{esc(title)}</h1><div class="iri">{esc(iri)}</div>{alternates}
{body}
<footer>From LiverTox (NIDDK/NLM, NCBI Bookshelf NBK547852), public domain; credit "LiverTox, NIDDK/NLM".
</footer></main></body></html>
"""
    return doc.encode("utf-8")


_FORMATS: Final = (("ttl", "Turtle"), ("nt", "N-Triples"), ("jsonld", "JSON-LD"))
