"""Pages for every other IRI: what the store says about it (its statements, grouped by property, and the
statements that point to it), and the ontology as one page with an anchor per term."""

from __future__ import annotations

import pyoxigraph as ox

from livertox_kg.rdf.vocab import LTX, PREFIXES
from livertox_kg.remote.pages import data
from livertox_kg.remote.pages.data import text
from livertox_kg.remote.pages.html import esc, link, query_ui, short, table, term

TITLE_PREDICATES = tuple(PREFIXES[p.split(":")[0]] + p.split(":")[1] for p in data.LABELS)


def _title(iri: str, pairs: list[tuple[str, data.Term]]) -> str:
    for predicate in TITLE_PREDICATES:
        for p, o in pairs:
            if p == predicate and isinstance(o, ox.Literal):
                return o.value
    return iri.rstrip("/").rsplit("/", 1)[-1]


def described(store: ox.Store, iri: str) -> tuple[str, str]:
    """(title, body) of the generic page."""
    pairs = data.outgoing(store, iri)
    links_in = data.incoming(store, iri)
    named = [o.value for _, o in pairs if isinstance(o, ox.NamedNode)]
    labels = data.labels(store, [p for p, _ in pairs] + named + [s for _, subjects, _ in links_in for s in subjects])
    rows = []
    for predicate in dict.fromkeys(p for p, _ in pairs):
        values = [term(o, labels) for p, o in pairs if p == predicate]
        rows.append([link(predicate, short(predicate)), "<br>".join(values)])
    body = ["<h2>Statements</h2>" + table(["property", "value"], rows)]
    if links_in:
        cited = []
        for predicate, subjects, count in links_in:
            more = f"<br><small>{count - len(subjects)} more: see the query UI</small>" if count > len(subjects) else ""
            cited.append(
                [link(predicate, short(predicate)), ", ".join(link(s, labels.get(s)) for s in subjects) + more]
            )
        body.append("<h2>Pointed to by</h2>" + table(["property", "from"], cited))
    if store.contains_named_graph(ox.NamedNode(iri)):
        size = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(iri)))
        body.append(
            f"<h2>Named graph</h2><p>{size} statements; the data formats above give them all; "
            f'<a href="{esc(query_ui(f"SELECT * WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }} LIMIT 100"))}">'
            "query them</a>.</p>"
        )
    return _title(iri, pairs), "\n".join(body)


def ontology(store: ox.Store) -> tuple[str, str]:
    """(title, body) of ``/ontology``: every class and property, each with an anchor ``#Name``."""
    title, about = described(store, data.ONTOLOGY)
    rows = []
    for row in data.firsts(data.ontology_terms(store), "term"):
        iri = text(row, "term")
        name = iri[len(LTX.iri) :] if iri.startswith(LTX.iri) else iri
        kind = short(text(row, "kind"))
        domain = link(text(row, "domain"), short(text(row, "domain"))) if text(row, "domain") else ""
        range_ = link(text(row, "range"), short(text(row, "range"))) if text(row, "range") else ""
        rows.append(
            [
                f'<a id="{esc(name)}" href="#{esc(name)}">ltx:{esc(name)}</a>',
                esc(kind),
                esc(text(row, "label")),
                esc(text(row, "comment")),
                domain,
                range_,
            ]
        )
    terms = "<h2>Terms</h2>" + table(["term", "kind", "label", "meaning", "domain", "range"], rows)
    return title, terms + about
