"""Every IRI livertox-kg mints, answered on ``serve`` at the path after ``https://w3id.org/livertox-kg``.

``/id/agent/acetaminophen`` is ``https://w3id.org/livertox-kg/id/agent/acetaminophen``; ``/ontology`` is the
ontology, whose terms (``.../ontology#Agent``) are anchors on its page; ``/graph/{id}`` a chapter's named
graph. By ``Accept`` (W3C "Cool URIs for the Semantic Web": content negotiation, one IRI for the thing):
an HTML page for a browser, Turtle, N-Triples or JSON-LD for a program (Turtle when the client takes
anything); the same documents at the path plus ``.html``, ``.ttl``, ``.nt`` or ``.jsonld`` (the w3id
redirects in ``w3id/.htaccess`` point there). An IRI the store does not know gets 404.

Rendered on request from a read-only pyoxigraph store of the served generation, rather than written by
``build`` as a static site: a page costs a few milliseconds to render, while writing one per agent,
chapter, case report, reference and cited work (about 60,000 on the whole book) would add seconds to every
build, which is kept near pyoxigraph's bulk-load floor (issue #15), and pages could never disagree with
the generation being served.
"""

from __future__ import annotations

import urllib.parse
from typing import Final

import pyoxigraph as ox

from livertox_kg.rdf.vocab import ID, PREFIXES
from livertox_kg.remote.pages import agent, data, views
from livertox_kg.remote.pages.html import SITE, esc, page

FORMATS: Final = {
    "html": ("text/html; charset=utf-8", None),
    "ttl": ("text/turtle; charset=utf-8", ox.RdfFormat.TURTLE),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
}
_ACCEPTED: Final = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/turtle": "ttl",
    "application/x-turtle": "ttl",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
    "*/*": "ttl",
    "text/*": "ttl",
    "application/*": "ttl",
}
DEFAULT: Final = "ttl"

Page = tuple[int, str, bytes]


def negotiate(accept: str) -> str | None:
    """The format ``accept`` prefers (q-values honoured, the first listed on a tie); ``ttl`` when it is
    empty, None when it takes none of ours."""
    if not accept.strip():
        return DEFAULT
    best: tuple[float, int, str] | None = None
    for n, part in enumerate(accept.split(",")):
        media, *params = (p.strip().lower() for p in part.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        fmt = _ACCEPTED.get(media)
        if fmt is not None and q > 0 and (best is None or (-q, n) < (-best[0], best[1])):
            best = (q, n, fmt)
    return best[2] if best else None


def route(target: str) -> tuple[str, str | None]:
    """(the IRI a request target names, the format its suffix asks for or None)."""
    path = urllib.parse.unquote(target.split("?", 1)[0].split("#", 1)[0])
    forced = None
    for suffix in FORMATS:
        if path.endswith("." + suffix):
            path, forced = path[: -len(suffix) - 1], suffix
            break
    return SITE + path, forced


def _view(store: ox.Store, iri: str) -> tuple[str, str]:
    if iri == data.ONTOLOGY:
        return views.ontology(store)
    if iri.startswith(ID + "agent/"):
        return agent.agent_page(store, iri)
    if iri.startswith(ID + "chapter/") and "/" not in iri[len(ID + "chapter/") :]:
        return agent.chapter_page(store, iri)
    return views.described(store, iri)


def _used_prefixes(triples: list[ox.Triple]) -> dict[str, str]:
    terms = [t for triple in triples for t in (triple.subject, triple.predicate, triple.object)]
    iris = {t.value for t in terms if isinstance(t, ox.NamedNode)}
    iris |= {t.datatype.value for t in terms if isinstance(t, ox.Literal)}
    # not ltxid: its local names have slashes, which Turtle writes escaped (ltxid:agent\\/codeine)
    return {p: ns for p, ns in PREFIXES.items() if p != "ltxid" and any(i.startswith(ns) for i in iris)}


def respond(store: ox.Store, target: str, accept: str) -> Page:
    """The answer to ``GET target`` with ``Accept: accept``."""
    iri, forced = route(target)
    fmt = forced or negotiate(accept)
    if fmt is None:
        offered = ", ".join(media.split(";")[0] for media, _ in FORMATS.values())
        return 406, "text/plain; charset=utf-8", f"cannot answer in {accept!r}; offered: {offered}\n".encode()
    if not data.exists(store, iri):
        if fmt != "html":
            return 404, "text/plain; charset=utf-8", f"{iri} is not in this graph\n".encode()
        body = f'<p>This graph has no statement about it. <a href="/">Query the graph</a>.</p><p>{esc(iri)}</p>'
        return 404, FORMATS["html"][0], page("Not found", iri, body, formats=False)
    media, rdf_format = FORMATS[fmt]
    if rdf_format is None:
        title, body = _view(store, iri)
        return 200, media, page(title, iri, body)
    triples = data.triples_about(store, iri)
    prefixes = _used_prefixes(triples) if rdf_format == ox.RdfFormat.TURTLE else None
    return 200, media, ox.serialize(triples, format=rdf_format, prefixes=prefixes) or b""
