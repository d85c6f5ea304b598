"""Reading from the store what a validation needs: the whole graph, or the context of a few entries.

Everything is read with SPARQL ``CONSTRUCT`` queries serialised to N-Triples by pyoxigraph (in Rust): the
store holds a triple once per chapter graph that states it (a PubMed article cited by 20 chapters), and the
query returns it once. The store is only read.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Final

import pyoxigraph as ox

from livertox_kg.rdf.vocab import DESCRIPTION_GRAPH, VOCAB_GRAPH
from livertox_kg.validation.datagraph import RDF_TYPE, DataGraph
from livertox_kg.validation.terms import is_iri, is_literal

EXCLUDED_GRAPHS: Final = frozenset({DESCRIPTION_GRAPH})
"""The build's description of the dataset (VoID/DCAT, ``livertox_kg.store.description``) is generated metadata, not
curated content, so it is not validated against the shapes."""
_BATCH = 2000  # terms per VALUES clause


def _not_in(graphs: Iterable[str]) -> str:
    names = sorted(set(graphs) | EXCLUDED_GRAPHS)
    return "FILTER (?g NOT IN (" + ", ".join(f"<{g}>" for g in names) + "))"


def _construct(store: ox.Store, query: str) -> str:
    result = store.query(query)
    assert isinstance(result, ox.QueryTriples)
    data = result.serialize(format=ox.RdfFormat.N_TRIPLES)
    assert data is not None
    return data.decode("utf-8")


def whole_graph(store: ox.Store) -> DataGraph:
    """The union of the store's graphs (chapters and vocabulary), without the dataset description."""
    data = DataGraph()
    data.add_ntriples_text(
        _construct(
            store,
            "CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
            f"{_not_in(())} }} }}",
        )
    )
    return data


def vocabulary(store: ox.Store) -> str:
    return _construct(store, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{VOCAB_GRAPH}> {{ ?s ?p ?o }} }}")


def _batches(terms: Collection[str]) -> Iterable[str]:
    ordered = sorted(terms)
    for i in range(0, len(ordered), _BATCH):
        yield " ".join(ordered[i : i + _BATCH])


def neighbourhood(
    store: ox.Store,
    describe: Collection[str],
    mentioned: Collection[str],
    reverse: Collection[tuple[str, str]],
    by_value: dict[str, Collection[str]],
    skip_graphs: Collection[str],
) -> str:
    """What the store says around some nodes, as N-Triples, leaving out ``skip_graphs``:

    * every triple whose subject is one of ``describe`` (the nodes to validate);
    * the types of ``mentioned`` nodes and of the objects of those triples (what ``sh:class`` needs);
    * for each ``(predicate, node)`` of ``reverse``, the triples ``?x predicate node`` and the types of
      ``?x`` (what ``sh:targetObjectsOf`` and reverse lookups need);
    * for each predicate of ``by_value``, the triples ``?x predicate value`` (a chapter id in use).

    ``SELECT DISTINCT`` inside the ``CONSTRUCT`` removes the copies of a triple stated by many chapter
    graphs before pyoxigraph decodes them: for a chapter citing 400 articles, 190,000 quads are 5,000
    triples.
    """
    skip = _not_in(skip_graphs)
    described = {n for n in describe if is_iri(n)}
    out, objects = _described(store, described, skip)
    objects |= {m for m in mentioned if is_iri(m)}
    out.extend(_types(store, objects - described, skip))
    out.extend(_reverse(store, sorted(reverse), skip))
    for predicate, values in sorted(by_value.items()):
        out.extend(_by_value(store, predicate, values, skip))
    return "".join(out)


def _described(store: ox.Store, described: set[str], skip: str) -> tuple[list[str], set[str]]:
    """Every triple whose subject is in ``described``, and the IRIs among their objects."""
    out: list[str] = []
    objects: set[str] = set()
    for batch in _batches(described):
        text = _construct(
            store,
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?s {{ {batch} }}"
            f" GRAPH ?g {{ ?s ?p ?o }} {skip} }} }}",
        )
        out.append(text)
        for line in text.split("\n"):
            if line:
                obj = line[:-2].split(" ", 2)[2].rstrip()
                if is_iri(obj):
                    objects.add(obj)
    return out, objects


def _types(store: ox.Store, nodes: set[str], skip: str) -> list[str]:
    return [
        _construct(
            store,
            f"CONSTRUCT {{ ?s {RDF_TYPE} ?t }} WHERE {{ SELECT DISTINCT ?s ?t WHERE {{ VALUES ?s {{ {batch} }}"
            f" GRAPH ?g {{ ?s {RDF_TYPE} ?t }} {skip} }} }}",
        )
        for batch in _batches(nodes)
    ]


def _reverse(store: ox.Store, pairs: list[tuple[str, str]], skip: str) -> list[str]:
    """For each ``(predicate, node)``, the triples ``?x predicate node`` and the types of ``?x``."""
    out: list[str] = []
    for i in range(0, len(pairs), _BATCH):
        rows = " ".join(f"({p} {o})" for p, o in pairs[i : i + _BATCH])
        out.append(
            _construct(
                store,
                f"CONSTRUCT {{ ?x ?p ?o . ?x {RDF_TYPE} ?t }} WHERE {{ SELECT DISTINCT ?x ?p ?o ?t WHERE {{"
                f" VALUES (?p ?o) {{ {rows} }} GRAPH ?g {{ ?x ?p ?o }} {skip}"
                f" OPTIONAL {{ GRAPH ?g2 {{ ?x {RDF_TYPE} ?t }} }} }} }}",
            )
        )
    return out


def _by_value(store: ox.Store, predicate: str, values: Collection[str], skip: str) -> list[str]:
    """The triples ``?x predicate value`` for each value (a chapter id in use elsewhere)."""
    return [
        _construct(
            store,
            f"CONSTRUCT {{ ?x {predicate} ?v }} WHERE {{ SELECT DISTINCT ?x ?v WHERE {{ VALUES ?v {{ {batch} }}"
            f" GRAPH ?g {{ ?x {predicate} ?v }} {skip} }} }}",
        )
        for batch in _batches([v for v in values if is_literal(v) or is_iri(v)])
    ]


def graphs_containing(
    store: ox.Store, patterns: Collection[tuple[str, str | None, str | None]]
) -> dict[tuple[str, str | None, str | None], list[str]]:
    """For each ``(subject, predicate or None, object or None)``, the named graphs holding a matching triple."""
    found: dict[tuple[str, str | None, str | None], set[str]] = {p: set() for p in patterns}
    full = [p for p in patterns if p[1] is not None and p[2] is not None]
    half = [p for p in patterns if p[1] is not None and p[2] is None]
    subject_only = {p[0] for p in patterns}
    for i in range(0, len(full), 500):
        chunk = full[i : i + 500]
        rows = " ".join(f"({s} {p} {o})" for s, p, o in chunk)
        for sol in _select(
            store, f"SELECT DISTINCT ?s ?p ?o ?g WHERE {{ VALUES (?s ?p ?o) {{ {rows} }} GRAPH ?g {{ ?s ?p ?o }} }}"
        ):
            found[(str(sol["s"]), str(sol["p"]), str(sol["o"]))].add(sol["g"].value)
    for i in range(0, len(half), 500):
        chunk = half[i : i + 500]
        rows = " ".join(f"({s} {p})" for s, p, _ in chunk)
        for sol in _select(
            store, f"SELECT DISTINCT ?s ?p ?g WHERE {{ VALUES (?s ?p) {{ {rows} }} GRAPH ?g {{ ?s ?p ?o }} }}"
        ):
            found[(str(sol["s"]), str(sol["p"]), None)].add(sol["g"].value)
    by_subject: dict[str, set[str]] = {}
    for batch in _batches({s for s in subject_only if is_iri(s)}):
        for sol in _select(store, f"SELECT DISTINCT ?s ?g WHERE {{ VALUES ?s {{ {batch} }} GRAPH ?g {{ ?s ?p ?o }} }}"):
            by_subject.setdefault(str(sol["s"]), set()).add(sol["g"].value)
    # a node described nowhere (a misspelt class, a missing work) is where it is mentioned
    unplaced = {p[0] for p, graphs in found.items() if not graphs and p[0] not in by_subject}
    by_object: dict[str, set[str]] = {}
    for batch in _batches(unplaced):
        for sol in _select(store, f"SELECT DISTINCT ?o ?g WHERE {{ VALUES ?o {{ {batch} }} GRAPH ?g {{ ?s ?p ?o }} }}"):
            by_object.setdefault(str(sol["o"]), set()).add(sol["g"].value)
    out: dict[tuple[str, str | None, str | None], list[str]] = {}
    for pattern, graphs in found.items():
        chosen = graphs or by_subject.get(pattern[0]) or by_object.get(pattern[0], set())
        out[pattern] = sorted(g for g in chosen if g not in EXCLUDED_GRAPHS)
    return out


def _select(store: ox.Store, query: str) -> Iterable[ox.QuerySolution]:
    result = store.query(query)
    assert isinstance(result, ox.QuerySolutions)
    return result
