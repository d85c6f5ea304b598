"""What the dataset description records about each graph and archive, and how those records are kept.

A record says how many triples a graph has, its checksum (SHA-256 of its sorted N-Quads lines, what ``push``
compares with a server's description), the chapter it holds and the source file (and archive) it came from.
The records of the store's description are read back at every build, so the records of chapters not loaded
again are kept; the chapters just loaded bring their own (:class:`LoadedChapter`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Final, Protocol

import pyoxigraph as ox

from livertox_kg.queries.results import plain
from livertox_kg.rdf import iris
from livertox_kg.rdf.vocab import (
    DCTERMS,
    DESCRIPTION_GRAPH,
    ID,
    LTX,
    MAPPING_GRAPH,
    PAV,
    PROV,
    SPDX,
    VOCAB_GRAPH,
    VOID,
)
from livertox_kg.store.converter import PREFIX as CONVERTER_PREFIX
from livertox_kg.store.converter import converter_iri

_SOURCE_LINE: Final = re.compile(
    rb"^<(" + re.escape(ID.encode()) + rb"source/[0-9a-f]{64})> <" + re.escape(LTX.sha256.encode()), re.M
)
_ARCHIVE_SUFFIXES: Final = (".tar.gz", ".tgz", ".tar")


class KeptChapter(Protocol):
    """A chapter a build found unchanged (its source and the converter as when it was loaded): its record is
    kept, but the archive it now comes from is recorded anew."""

    @property
    def source(self) -> str: ...

    @property
    def graph(self) -> str: ...


class LoadedChapter(Protocol):
    """What :func:`livertox_kg.store.description.update` reads of each chapter a build loaded."""

    @property
    def chapter_id(self) -> str: ...

    @property
    def source(self) -> str:
        """The source's name as the build read it: ``x.nxml``, or ``x.tar.gz!member.nxml`` for an archive member."""
        ...

    @property
    def sha256(self) -> str:
        """:func:`checksum_lines` of the chapter graph's N-Quads."""
        ...

    @property
    def statements(self) -> int:
        """The number of those lines."""
        ...

    @property
    def source_node(self) -> str | None:
        """The ``ltxid:source/{sha256}`` node the N-Quads name as the chapter's source file (:func:`source_of`)."""
        ...


@dataclass(frozen=True)
class GraphRecord:
    graph: str  # named graph IRI
    triples: int
    sha256: str  # of the graph's sorted N-Quads lines
    chapter: str | None = None  # chapter IRI (None: the vocabulary)
    source: str | None = None  # ltxid:source/{sha256} of the file the chapter was read from
    archive: str | None = None  # ltxid:source/{sha256} of the archive that file was a member of
    converter: str | None = None  # the converter that made the graph (livertox_kg.store.converter.converter_iri)


@dataclass(frozen=True)
class ArchiveRecord:
    iri: str
    name: str  # file name only, so that the description does not depend on where the file was
    sha256: str
    size: int


@dataclass
class Records:
    graphs: dict[str, GraphRecord] = field(default_factory=dict)
    archives: dict[str, ArchiveRecord] = field(default_factory=dict)


def checksum_lines(nquads: bytes) -> tuple[str, int]:
    """SHA-256 of the sorted, newline-terminated lines of ``nquads``, and their number (hashed in one call:
    every chapter of a build is checksummed, 900,000 lines on the scale corpus)."""
    lines = [line for line in nquads.split(b"\n") if line.strip()]
    lines.sort()
    digest = hashlib.sha256()
    if lines:
        digest.update(b"\n".join(lines))
        digest.update(b"\n")
    return digest.hexdigest(), len(lines)


def source_of(nquads: bytes) -> str | None:
    """The ``ltxid:source/{sha256}`` node a chapter's N-Quads name as its source file."""
    m = _SOURCE_LINE.search(nquads)
    return m.group(1).decode() if m else None


def archive_path(source_name: str) -> Path | None:
    """``x.tar.gz`` of ``"x.tar.gz!member.nxml"``; None for a plain file."""
    head, sep, _ = source_name.partition("!")
    return Path(head) if sep and head.lower().endswith(_ARCHIVE_SUFFIXES) else None


def archive_record(path: Path) -> ArchiveRecord:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    sha = digest.hexdigest()
    return ArchiveRecord(iris.source(sha), path.name, sha, size)


def terms(store: ox.Store, query: str) -> list[list[str]]:
    """The rows of a SELECT query, each value as its plain text."""
    rows = store.query(query)
    assert isinstance(rows, ox.QuerySolutions)
    return [[plain(sol[v]) for v in rows.variables] for sol in rows]


def read_records(store: ox.Store) -> Records:
    """The records in the store's description graph (empty when it has none)."""
    g = f"<{DESCRIPTION_GRAPH}>"
    records = Records()
    for name, sha, size, a in terms(
        store,
        f"SELECT ?name ?sha ?size ?a WHERE {{ GRAPH {g} {{ ?a a <{LTX.SourceFile}> ; <{LTX.sourceName}> ?name ;"
        f" <{LTX.sha256}> ?sha ; <{DCTERMS.extent}> ?size }} }}",
    ):
        records.archives[a] = ArchiveRecord(a, name, sha, int(size))
    for graph, triples, sha, chapter, source, archive, conv in terms(
        store,
        f"SELECT ?g ?n ?sha ?c ?src ?arc ?conv WHERE {{ GRAPH {g} {{ ?d <{VOID.subset}> ?g . ?g <{VOID.triples}> ?n"
        f" ; <{SPDX.checksum}> ?k . ?k <{SPDX.checksumValue}> ?sha . OPTIONAL {{ ?g <{VOID.rootResource}> ?c }}"
        f" OPTIONAL {{ ?g <{PROV.wasDerivedFrom}> ?src OPTIONAL {{ ?src <{DCTERMS.isPartOf}> ?arc }} }}"
        f' OPTIONAL {{ ?g <{PAV.createdWith}> ?conv FILTER(STRSTARTS(STR(?conv), "{CONVERTER_PREFIX}")) }} }} }}',
    ):
        records.graphs[graph] = GraphRecord(
            graph, int(triples), sha, chapter or None, source or None, archive or None, conv or None
        )
    return records


def chapter_graphs(store: ox.Store) -> dict[str, str]:
    """``{graph IRI: chapter id}`` of every chapter graph in the store."""
    rows = terms(
        store, f"SELECT DISTINCT ?g ?id WHERE {{ GRAPH ?g {{ ?c a <{LTX.Chapter}> ; <{LTX.chapterId}> ?id }} }}"
    )
    return {g: cid for g, cid in rows}


def graph_ntriples(store: ox.Store, graph: str) -> bytes:
    """The statements of one named graph, as Oxigraph writes them in N-Triples."""
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))
    assert data is not None
    return data


def _record_from_store(store: ox.Store, graph: str, chapter_id: str | None) -> GraphRecord:
    """A record computed from the stored graph (for a store written before descriptions existed)."""
    data = graph_ntriples(store, graph)
    tail = f" <{graph}> .".encode()
    sha, count = checksum_lines(b"\n".join(line[:-2] + tail for line in data.split(b"\n") if line.strip()))
    chapter = iris.chapter(chapter_id) if chapter_id else None
    source = None
    if chapter:
        rows = terms(store, f"SELECT ?s WHERE {{ GRAPH <{graph}> {{ <{chapter}> <{PROV.wasDerivedFrom}> ?s }} }}")
        source = rows[0][0] if rows else None
    return GraphRecord(graph, count, sha, chapter, source, None)


class Archives:
    """The archives sources come from, each checksummed once (:func:`archive_record`)."""

    def __init__(self) -> None:
        self._seen: dict[Path, ArchiveRecord] = {}

    def of(self, source_name: str) -> ArchiveRecord | None:
        """The record of the archive ``source_name`` is a member of (None for a plain file)."""
        path = archive_path(source_name)
        if path is None or not path.is_file():
            return None
        if path not in self._seen:
            self._seen[path] = archive_record(path)
        return self._seen[path]


def records_after_load(
    store: ox.Store,
    loaded: Sequence[LoadedChapter],
    vocabulary_nquads: bytes,
    kept: Sequence[KeptChapter] = (),
    archives: Archives | None = None,
    mapping: GraphRecord | None = None,
    old: Records | None = None,
) -> Records:
    """The records of a staged store after ``loaded`` chapters were written into it.

    Records of chapters not loaded now are kept from the previous description (those of ``kept`` chapters
    with the archive they come from now); the archives the chapters came from are read once to checksum them;
    archives no graph comes from any more are dropped.
    """
    old = read_records(store) if old is None else old  # ``old``: what the caller read of it already
    records = Records(archives=dict(old.archives))
    archives = archives or Archives()
    converter = converter_iri()
    for conv in loaded:
        rec = archives.of(conv.source)
        if rec is not None:
            records.archives[rec.iri] = rec
        graph = iris.graph(conv.chapter_id)
        chapter = iris.chapter(conv.chapter_id)
        records.graphs[graph] = GraphRecord(
            graph, conv.statements, conv.sha256, chapter, conv.source_node, rec.iri if rec else None, converter
        )
    for unchanged in kept:
        rec = archives.of(unchanged.source)
        if rec is not None:
            records.archives[rec.iri] = rec
        if unchanged.graph in old.graphs:
            records.graphs[unchanged.graph] = replace(old.graphs[unchanged.graph], archive=rec.iri if rec else None)
    for graph, chapter_id in chapter_graphs(store).items():
        if graph not in records.graphs:
            records.graphs[graph] = old.graphs.get(graph) or _record_from_store(store, graph, chapter_id)
    sha, count = checksum_lines(vocabulary_nquads)
    records.graphs[VOCAB_GRAPH] = GraphRecord(VOCAB_GRAPH, count, sha)
    if mapping is not None:  # kept as it was, or written by the build just before
        records.graphs[MAPPING_GRAPH] = mapping
    elif store.contains_named_graph(ox.NamedNode(MAPPING_GRAPH)):  # written by the build just before
        records.graphs[MAPPING_GRAPH] = replace(_record_from_store(store, MAPPING_GRAPH, None), converter=converter)
    used_archives = {r.archive for r in records.graphs.values() if r.archive}
    records.archives = {k: v for k, v in records.archives.items() if k in used_archives}
    return records
