"""The two sides a diff compares, and what they say about each chapter.

A side is a store folder, an export file read into an in-memory store, or (for ``validate NEW --store S``)
a chapter graph an entry converts to. :func:`chapter_store` copies what a side says about one chapter into a
small in-memory store of its own, so that :mod:`livertox_kg.exports.chapter_changes` compares two chapters
with the same queries whichever side they came from: its named graph (plus the cross-reference links of its
agents from the mapping graph), or, in a Turtle or N-Triples export (the graphs merged), the chapter node, its
parts (sections, likelihood assessments, evidence, case reports, references), the agents it covers and the
works it cites.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from livertox_kg.errors import UsageError
from livertox_kg.exports.formats import RDF_FORMATS, SUFFIXES, TRIPLE_FORMATS, format_of
from livertox_kg.queries.results import plain
from livertox_kg.rdf import iris, vocab
from livertox_kg.rdf.terms import split_statement
from livertox_kg.rdf.vocab import ID, LTX, MAPPING_GRAPH, PROV, SKOS
from livertox_kg.store import generations as store_mod

_PROVENANCE = {f"<{PROV.wasDerivedFrom}>", f"<{LTX.loaderVersion}>"}
_SOURCE_PREFIX = f"<{ID}source/"
MATCH_PREDICATES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch)
"""The links of an agent to another database (the mapping graph's cross-references)."""


@dataclass
class Side:
    label: str
    store: ox.Store
    merged: bool  # a Turtle / N-Triples export: no named graphs

    def select(self, query: str) -> Iterator[list[str]]:
        rows = self.store.query(query, use_default_graph_as_union=True)
        assert isinstance(rows, ox.QuerySolutions)
        names = [v.value for v in rows.variables]
        for sol in rows:
            yield [plain(sol[v]) for v in names]


def open_side(path: Path) -> Side:
    """A store folder, or an export file (format by suffix: .nq .trig .jsonld .ttl .nt)."""
    if path.is_dir():
        return Side(str(path), store_mod.open_read_only(path), merged=False)
    fmt = format_of(path)
    if not path.exists():
        raise UsageError(f"{path}: no such store folder or export file")
    if fmt is None:
        raise UsageError(f"{path}: not a store folder, nor an export ({', '.join(SUFFIXES)})")
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=RDF_FORMATS[fmt])
    except (SyntaxError, ValueError, OSError) as exc:
        raise UsageError(f"{path}: cannot read as {fmt}: {exc}") from None
    return Side(str(path), store, merged=fmt in TRIPLE_FORMATS)


def chapters(side: Side) -> dict[str, str]:
    """``{chapter id: chapter IRI}``."""
    return dict(
        (cid, c) for c, cid in side.select(f"SELECT ?c ?id WHERE {{ ?c a <{LTX.Chapter}> ; <{LTX.chapterId}> ?id }}")
    )


def checksums(side: Side) -> dict[str, str]:
    """``{graph IRI: checksum}`` from the side's dataset description."""
    return dict(
        side.select(f"SELECT ?g ?sum WHERE {{ ?g <{vocab.SPDX.checksum}> ?k . ?k <{vocab.SPDX.checksumValue}> ?sum }}")
    )


def _statements(store: ox.Store, subject: ox.NamedNode | None, graph: ox.NamedNode | None) -> Iterator[str]:
    for q in store.quads_for_pattern(subject, None, None, graph):
        yield str(q.triple)  # the N-Triples statement, as the exports write it (pyoxigraph's text)


def _merged_nodes(side: Side, chapter_iri: str, with_agents: bool) -> list[str]:
    """The chapter node and its parts; with ``with_agents``, also the agents it covers and the works it cites."""
    nodes = [chapter_iri] + [
        x for (x,) in side.select(f"SELECT DISTINCT ?x WHERE {{ ?x <{LTX.inChapter}> <{chapter_iri}> }}")
    ]
    if with_agents:
        nodes += [
            x
            for (x,) in side.select(
                f"SELECT DISTINCT ?x WHERE {{ {{ <{chapter_iri}> <{LTX.coversAgent}> ?x }} UNION"
                f" {{ ?r <{LTX.inChapter}> <{chapter_iri}> ; <{LTX.citedWork}> ?x }} }}"
            )
        ]
    return nodes


def split_provenance(lines: Iterable[str], chapter_iri: str) -> tuple[set[str], set[str]]:
    """(statements, provenance statements): the source file's node and the chapter's links to it and to the
    loader version are provenance, reported apart from the statements."""
    lines = set(lines)
    prov = {
        line
        for line in lines
        if line.startswith(_SOURCE_PREFIX)
        or (line.startswith(f"<{chapter_iri}> ") and split_statement(line)[1] in _PROVENANCE)
    }
    return lines - prov, prov


def chapter_view(side: Side, chapter_iri: str, chapter_id: str, merged: bool) -> tuple[set[str], set[str]]:
    """(statements, provenance statements) of a chapter: its named graph, or its node and parts (merged)."""
    if merged:
        nodes = _merged_nodes(side, chapter_iri, with_agents=False)
        lines = {line for n in nodes for line in _statements(side.store, ox.NamedNode(n), None)}
    else:
        lines = set(_statements(side.store, None, ox.NamedNode(iris.graph(chapter_id))))
    return split_provenance(lines, chapter_iri)


def chapter_store(side: Side, chapter_iri: str, chapter_id: str, merged: bool) -> ox.Store:
    """What ``side`` says about one chapter, in an in-memory store of its own (default graph): see the module."""
    if merged:
        nodes = _merged_nodes(side, chapter_iri, with_agents=True)
        triples = [q.triple for n in nodes for q in side.store.quads_for_pattern(ox.NamedNode(n), None, None, None)]
    else:
        graph = ox.NamedNode(iris.graph(chapter_id))
        triples = [q.triple for q in side.store.quads_for_pattern(None, None, None, graph)]
        agents = [q.object for q in side.store.quads_for_pattern(None, ox.NamedNode(LTX.coversAgent), None, graph)]
        triples += cross_references(side.store, [a for a in agents if isinstance(a, ox.NamedNode)])
    out = ox.Store()
    out.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return out


def cross_references(store: ox.Store, agents: Iterable[ox.NamedNode]) -> list[ox.Triple]:
    """The links of ``agents`` to other databases that the store's mapping graph states."""
    graph = ox.NamedNode(MAPPING_GRAPH)
    return [
        q.triple
        for a in agents
        for p in MATCH_PREDICATES
        for q in store.quads_for_pattern(a, ox.NamedNode(p), None, graph)
    ]
