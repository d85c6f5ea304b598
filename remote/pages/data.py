"""What the pages read from the store: SPARQL on a read-only pyoxigraph store of the served generation,
over the union of its graphs, with the project's prefixes; ``?this`` is the IRI asked for."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

import pyoxigraph as ox

from livertox_kg.rdf.vocab import BASE, LTX, PREFIXES

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Row = dict[str, Term]

LABELS: Final = (
    "rdfs:label",
    "skos:prefLabel",
    "dcterms:title",
    "ltx:chapterId",
)
INCOMING_PER_PREDICATE: Final = 50
ONTOLOGY: Final = LTX.iri.rstrip("#")


def select(store: ox.Store, query: str, this: str | None = None) -> list[Row]:
    """The rows of a SELECT ``query``, ``?this`` replaced by ``<this>`` (an IRI checked by :func:`exists`;
    pyoxigraph's ``substitutions`` want the variable among those selected)."""
    if this is not None:
        query = query.replace("?this", f"<{ox.NamedNode(this).value}>")
    answer = store.query(query, use_default_graph_as_union=True, prefixes=PREFIXES)
    assert isinstance(answer, ox.QuerySolutions)
    names = [v.value for v in answer.variables]
    return [{n: s[n] for n in names if s[n] is not None} for s in answer]


def text(row: Row, key: str, default: str = "") -> str:
    value = row.get(key)
    return value.value if isinstance(value, ox.NamedNode | ox.Literal) else default


def exists(store: ox.Store, iri: str) -> bool:
    """Whether the store has a statement about, or pointing to, ``iri``, or a graph of that name."""
    try:
        node = ox.NamedNode(iri)
    except ValueError:
        return False
    if next(iter(store.quads_for_pattern(node, None, None, None)), None) is not None:
        return True
    if next(iter(store.quads_for_pattern(None, None, node, None)), None) is not None:
        return True
    return store.contains_named_graph(node)


def labels(store: ox.Store, iris: Iterable[str]) -> dict[str, str]:
    """A label for each of ``iris`` that has one (the first of :data:`LABELS` it has)."""
    wanted = sorted({i for i in iris if i})[:2000]
    if not wanted:
        return {}
    values = " ".join(f"<{i}>" for i in wanted)
    alternatives = " UNION ".join(f"{{ ?s {p} ?l BIND({n} AS ?rank) }}" for n, p in enumerate(LABELS))
    out: dict[str, tuple[int, str]] = {}
    for row in select(store, f"SELECT ?s ?l ?rank WHERE {{ VALUES ?s {{ {values} }} {alternatives} }}"):
        s, label, rank = text(row, "s"), text(row, "l"), int(text(row, "rank", "9"))
        if s not in out or (rank, label) < out[s]:
            out[s] = (rank, label)
    return {s: label for s, (_, label) in out.items()}


def outgoing(store: ox.Store, iri: str) -> list[tuple[str, Term]]:
    """Every (predicate, object) of ``iri`` in any graph, once, in a stable order."""
    pairs = {(q.predicate.value, q.object) for q in store.quads_for_pattern(ox.NamedNode(iri), None, None, None)}
    return sorted(pairs, key=lambda po: (po[0], str(po[1])))


def incoming(store: ox.Store, iri: str) -> list[tuple[str, list[str], int]]:
    """(predicate, up to :data:`INCOMING_PER_PREDICATE` subjects, how many) of the links to ``iri``."""
    by_predicate: dict[str, set[str]] = {}
    for q in store.quads_for_pattern(None, None, ox.NamedNode(iri), None):
        if isinstance(q.subject, ox.NamedNode):
            by_predicate.setdefault(q.predicate.value, set()).add(q.subject.value)
    return [(p, sorted(s)[:INCOMING_PER_PREDICATE], len(s)) for p, s in sorted(by_predicate.items())]


def triples_about(store: ox.Store, iri: str) -> list[ox.Triple]:
    """What a resource's RDF answer holds: its statements in every graph (a graph IRI: the graph's own
    statements; the ontology: every ``ltx:`` term's)."""
    node = ox.NamedNode(iri)
    if iri == ONTOLOGY:
        quads: Iterable[ox.Quad] = (
            q
            for q in store.quads_for_pattern(None, None, None, ox.NamedNode(BASE + "graph/vocabulary"))
            if isinstance(q.subject, ox.NamedNode) and (q.subject.value == iri or q.subject.value.startswith(LTX.iri))
        )
    elif store.contains_named_graph(node):
        quads = store.quads_for_pattern(None, None, None, node)
    else:
        quads = store.quads_for_pattern(node, None, None, None)
    return sorted({q.triple for q in quads}, key=str)


def ontology_terms(store: ox.Store) -> list[Row]:
    return select(
        store,
        f"""SELECT ?term ?kind ?label ?comment ?domain ?range WHERE {{
          ?term rdfs:isDefinedBy <{ONTOLOGY}> ; a ?kind .
          OPTIONAL {{ ?term rdfs:label ?label }} OPTIONAL {{ ?term rdfs:comment ?comment }}
          OPTIONAL {{ ?term rdfs:domain ?domain }} OPTIONAL {{ ?term rdfs:range ?range }}
        }} ORDER BY ?kind ?term""",
    )


def firsts(rows: Sequence[Row], key: str) -> list[Row]:
    """``rows`` with one row per value of ``key`` (the first)."""
    seen: set[str] = set()
    out = []
    for row in rows:
        k = text(row, key)
        if k not in seen:
            seen.add(k)
            out.append(row)
    return out
