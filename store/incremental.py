"""Which sources a build can skip: those the store last loaded from the same bytes with the same converter.

A chapter graph depends only on its source's bytes, the source's file name and the converter
(:mod:`livertox_kg.store.converter`). The store's description records, per chapter graph, the source file
(``prov:wasDerivedFrom ltxid:source/{sha256}``) and the converter (``pav:createdWith``); the chapter graph names
the file (``ltx:sourceName``). So a source is skipped when the SHA-256 of its bytes, its file name and the
converter all match what the store holds for a chapter: the bytes are hashed and nothing is parsed.
:func:`previous` reads what the current generation holds once (two queries, about 0.3 s on the scale store);
:func:`split` sorts the sources.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from livertox_kg.rdf import iris
from livertox_kg.rdf.vocab import DESCRIPTION_GRAPH, LTX, PROV
from livertox_kg.sources import SourceDoc
from livertox_kg.store import generations
from livertox_kg.store.converter import converter_iri
from livertox_kg.store.description_records import Archives, Records, read_records, terms


@dataclass(frozen=True)
class Unchanged:
    """A source whose chapter the store holds as this build would make it: not converted, not loaded."""

    source: str  # the source's name as the build read it (``x.tar.gz!member.nxml`` for an archive member)
    chapter_id: str
    index: int = field(default=0, compare=False)  # its place among the build's sources

    @property
    def graph(self) -> str:
        return iris.graph(self.chapter_id)


@dataclass
class Previous:
    """What the current generation holds, read once at the start of a build (empty without one)."""

    graphs: set[str] = field(default_factory=set)  # its named graphs
    records: Records = field(default_factory=Records)
    chapters: dict[tuple[str, str], str] = field(default_factory=dict)  # (source node, file name) -> chapter id


def previous(location: Path) -> Previous:
    """The named graphs, description records and chapter sources of the store's current generation."""
    current = generations.current_generation(location)
    if current is None:
        return Previous()
    store = ox.Store.read_only(str(current))
    out = Previous({g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}, read_records(store))
    rows = terms(
        store,
        f"SELECT ?g ?id ?src ?name WHERE {{ GRAPH ?g {{ ?c <{LTX.chapterId}> ?id ; <{PROV.wasDerivedFrom}> ?src ."
        f" ?src <{LTX.sourceName}> ?name }} FILTER(?g != <{DESCRIPTION_GRAPH}>) }}",
    )
    converter = converter_iri()
    for graph, chapter_id, source_node, name in rows:
        record = out.records.graphs.get(graph)
        if record is not None and record.source == source_node and record.converter == converter:
            out.chapters[(source_node, name)] = chapter_id
    return out


def file_name(source_name: str) -> str:
    """The file name a chapter records as its source's (``ltx:sourceName``): what :func:`livertox_kg.loaders.read`
    keeps of the name the build read (no folder, no archive)."""
    return source_name.rsplit("/", 1)[-1].rsplit("!", 1)[-1]


def split(docs: Sequence[SourceDoc], prev: Previous) -> tuple[list[int], list[Unchanged]]:
    """The places of the sources to convert, and the sources whose chapter the store already holds as they
    would make it (each chapter once: the later source)."""
    convert: list[int] = []
    unchanged: dict[str, Unchanged] = {}
    for i, doc in enumerate(docs):
        key = (iris.source(hashlib.sha256(doc.data).hexdigest()), file_name(doc.name))
        chapter_id = prev.chapters.get(key)
        if chapter_id is None:
            convert.append(i)
        else:
            unchanged.pop(chapter_id, None)
            unchanged[chapter_id] = Unchanged(doc.name, chapter_id, i)
    return convert, list(unchanged.values())


def archives_moved(unchanged: Sequence[Unchanged], prev: Previous, archives: Archives) -> bool:
    """Whether an unchanged chapter now comes from another archive (or none) than the store records: then the
    description changes although no chapter does."""
    for u in unchanged:
        record = prev.records.graphs.get(u.graph)
        now = archives.of(u.source)
        if record is None or record.archive != (now.iri if now else None):
            return True
    return False
