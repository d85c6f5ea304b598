"""What the dataset description counts over the described graphs: instances per class, the vocabularies used,
the latest chapter update."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from livertox_kg.rdf.vocab import DCTERMS, DESCRIPTION_NAMESPACES, ID, LTX, NAMESPACES, PREFIXES, VOCAB_GRAPH
from livertox_kg.store.description_records import terms

# Class partitions, in this order; the first five are the counts people ask for.
COUNTED_CLASSES: tuple[tuple[str, str], ...] = (
    ("chapters", LTX.Chapter),
    ("agents", LTX.Agent),
    ("assessments", LTX.LikelihoodAssessment),
    ("references", LTX.ChapterReference),
    ("case-reports", LTX.CaseReport),
    ("evidence", LTX.PatternEvidence),
    ("drug-classes", LTX.DrugClass),
    ("sections", LTX.Section),
    ("source-files", LTX.SourceFile),
)


@dataclass(frozen=True)
class Counts:
    by_class: dict[str, int]  # class IRI -> distinct instances
    classes: int
    vocabularies: tuple[str, ...]  # namespace IRIs of the predicates and classes used
    latest_update: str | None  # the latest dcterms:modified of a chapter, as xsd:date text


def _scope(store: ox.Store, graphs: Sequence[str]) -> str:
    """A clause restricting ``?g`` to ``graphs``: the shorter of a VALUES list and a NOT IN filter.

    (Oxigraph joins VALUES graph by graph; over a whole store of a thousand chapters, the filter of the
    few graphs left out is an order of magnitude faster.)
    """
    wanted = set(graphs)
    others = sorted({g.value for g in store.named_graphs()} - wanted)
    if len(wanted) <= len(others):
        return "VALUES ?g { " + " ".join(f"<{g}>" for g in sorted(wanted)) + " }"
    return "FILTER(?g NOT IN (" + ", ".join(f"<{g}>" for g in others) + "))" if others else ""


def _predicates(store: ox.Store, scope: str, graphs: Sequence[str]) -> set[str]:
    """The predicates used: every term of the closed namespaces is asked for (an index lookup each);
    the vocabulary graph, read from the ontology file, is listed in full."""
    candidates = {
        getattr(ns, name) for ns in (*NAMESPACES, *DESCRIPTION_NAMESPACES) for name in ns.terms if name[0].islower()
    }
    used = {p for p in sorted(candidates) if store.query(f"ASK {{ GRAPH ?g {{ ?s <{p}> ?o }} {scope} }}")}
    if VOCAB_GRAPH in graphs:
        used.update(p for (p,) in terms(store, f"SELECT DISTINCT ?p WHERE {{ GRAPH <{VOCAB_GRAPH}> {{ ?s ?p ?o }} }}"))
    return used


def count(store: ox.Store, graphs: Sequence[str]) -> Counts:
    """Instances per class, vocabularies and the latest chapter update, over ``graphs`` only."""
    scope = _scope(store, graphs)
    by_class = {
        cls: int(n)
        for cls, n in terms(
            store,
            f"SELECT ?t (COUNT(DISTINCT ?x) AS ?n) WHERE {{ GRAPH ?g {{ ?x a ?t }} {scope} FILTER(isIRI(?t)) }}"
            " GROUP BY ?t",
        )
    }
    predicates = _predicates(store, scope, graphs)
    namespaces = {ns for term in (*predicates, *by_class) for ns in PREFIXES.values() if term.startswith(ns)}
    namespaces.discard(ID)
    latest = terms(
        store,
        f"SELECT (MAX(STR(?d)) AS ?m) WHERE {{ GRAPH ?g {{ ?c a <{LTX.Chapter}> ;"
        f" <{DCTERMS.modified}> ?d }} {scope} }}",
    )
    return Counts(by_class, len(by_class), tuple(sorted(namespaces)), (latest[0][0] or None) if latest else None)
