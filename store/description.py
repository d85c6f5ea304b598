"""The dataset description: VoID and DCAT, following the W3C HCLS dataset description profile.

The description is one named graph, :data:`DESCRIPTION_GRAPH`, written by every build into the store and
written again into every export (for the chapters exported). It has the profile's three levels:

* summary       ``ltxid:dataset``: title, description, publisher, licence, the source (LiverTox NBK547852);
* version       ``ltxid:dataset/{version}``: ``pav:version`` is a digest of the described graphs' checksums,
                so the same graphs give the same version on any machine; the livertox-kg version that made
                it (``pav:createdWith``); the latest chapter update as ``dcterms:modified``;
* distribution  ``ltxid:dataset/{version}/rdf`` (a ``void:Dataset`` and ``dcat:Distribution``): counts
                (triples, chapters, agents, likelihood assessments, references, ... as class partitions),
                the vocabularies used, and one ``void:subset`` per named graph with its triple count, its
                checksum (``spdx:checksum``) and the source file (``prov:wasDerivedFrom``), itself part of
                the archive it came from (name, SHA-256, size) when the chapter was read from one.

The stored queries are listed as ``sh:SPARQLExecutable`` nodes (as sib-swiss/sparql-examples does), with
their text. No blank nodes; no clock: dates are the ones the source states (each chapter's last update), not
file-system times, so the description of the same graphs is the same bytes everywhere.

A graph's checksum is the SHA-256 of its N-Quads lines (as the build writes them) sorted and joined; it is
what ``push`` compares with the description on a server to send only what changed.

The prose (title, abstract, licence, rights, keywords, publisher, the distribution's format and profile) is
``ontology/dataset.ttl`` (:mod:`.description_prose`); the records of graphs and archives are
:mod:`.description_records`, the counts :mod:`.description_counts`. This module puts them together.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from livertox_kg import __version__
from livertox_kg.queries.headers import StoredQuery, stored_queries
from livertox_kg.rdf.terms import integer, iri, lit, nquads
from livertox_kg.rdf.vocab import (
    DCTERMS,
    DCTYPES,
    DESCRIPTION_GRAPH,
    ID,
    LTX,
    PAV,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SH,
    SPDX,
    VOCAB_GRAPH,
    VOID,
    XSD,
)
from livertox_kg.store.description_counts import COUNTED_CLASSES, Counts, count
from livertox_kg.store.description_prose import SUMMARY, prose
from livertox_kg.store.description_records import (
    ArchiveRecord,
    Archives,
    GraphRecord,
    KeptChapter,
    LoadedChapter,
    Records,
    archive_path,
    archive_record,
    chapter_graphs,
    checksum_lines,
    graph_ntriples,
    read_records,
    records_after_load,
    source_of,
)

__all__ = [
    "COUNTED_CLASSES",
    "DESCRIPTION_GRAPH",
    "SUMMARY",
    "ArchiveRecord",
    "Archives",
    "Counts",
    "Described",
    "GraphRecord",
    "KeptChapter",
    "LoadedChapter",
    "Records",
    "archive_path",
    "archive_record",
    "chapter_graphs",
    "checksum_lines",
    "count",
    "describe",
    "example_queries",
    "graph_ntriples",
    "read_records",
    "source_of",
    "update",
    "version_of",
]


def update(
    store: ox.Store,
    loaded: Sequence[LoadedChapter],
    vocabulary_nquads: bytes,
    kept: Sequence[KeptChapter] = (),
    archives: Archives | None = None,
    mapping: GraphRecord | None = None,
    write: Callable[[str, bytes], object] | None = None,
    old: Records | None = None,
) -> Described:
    """Rewrite the description graph of a staged store after ``loaded`` chapters were written into it; what
    it says, for the build's summary.

    Records of chapters not loaded now are kept from the previous description (``kept``: chapters whose
    source was found unchanged, recorded with the archive they come from now); the archives the chapters
    came from are read once to checksum them. ``mapping``: the mapping graph's record, when the build kept
    that graph as it was or wrote it (else it is read from the store). ``write(graph, nquads)`` replaces the
    graph's content (default: remove, then load).
    ``old``: the records of the description the staged store holds, when the caller has read them already.
    """
    records = records_after_load(store, loaded, vocabulary_nquads, kept, archives, mapping, old)
    graphs = sorted(records.graphs)
    counts = count(store, graphs)
    statements = describe(store, records, graphs, counts)
    text = nquads(statements, DESCRIPTION_GRAPH).encode("utf-8")
    if write is not None:
        write(DESCRIPTION_GRAPH, text)
    else:
        graph_node = ox.NamedNode(DESCRIPTION_GRAPH)
        if store.contains_named_graph(graph_node):
            store.remove_graph(graph_node)
        store.bulk_load(input=text, format=ox.RdfFormat.N_QUADS)
    return Described(records, counts, len(statements))


@dataclass(frozen=True)
class Described:
    """What :func:`update` described: the records of the described graphs (every graph but the description),
    their counts, and the description's own statements."""

    records: Records
    counts: Counts
    statements: int

    @property
    def triples(self) -> int:
        """The statements of the described graphs and of the description."""
        return sum(r.triples for r in self.records.graphs.values()) + self.statements


def example_queries() -> Mapping[str, StoredQuery]:
    """The stored queries shipped with the package, listed in the description as its example queries."""
    return stored_queries()


def version_of(records: Records, graphs: Sequence[str]) -> str:
    """A digest of what the description says: the livertox-kg version, the described graphs and their
    checksums, the archives they came from, the example queries. Same inputs, same version, anywhere."""
    digest = hashlib.sha256(f"livertox-kg {__version__}\n".encode())
    for g in sorted(graphs):
        r = records.graphs[g]
        digest.update(f"{g} {r.sha256} {r.source} {r.archive}\n".encode())
    used = {records.graphs[g].archive for g in graphs}
    for a in sorted((a for a in records.archives.values() if a.iri in used), key=lambda a: a.iri):
        digest.update(f"{a.iri} {a.name} {a.size}\n".encode())
    for name, q in sorted(example_queries().items()):
        digest.update(f"{name}\n{q.text}\n".encode())
    return digest.hexdigest()[:16]


class _Out:
    """The description's statements, as N-Triples text (a set: a statement made twice is written once)."""

    def __init__(self) -> None:
        self.lines: set[str] = set()

    def add(self, s: str, p: str, o: str) -> None:
        """A statement of N-Triples terms."""
        self.lines.add(f"{s} {p} {o}")

    def link(self, s: str, p: str, o: str) -> None:
        self.add(iri(s), iri(p), iri(o))

    def lit(self, s: str, p: str, value: str, datatype: str | None = None, language: str | None = None) -> None:
        self.add(iri(s), iri(p), lit(value, datatype, language))

    def int(self, s: str, p: str, value: int) -> None:
        self.add(iri(s), iri(p), integer(value))


def describe(store: ox.Store, records: Records, graphs: Sequence[str], counts: Counts | None = None) -> list[str]:
    """The description of ``graphs`` (IRIs with a record), as sorted N-Triples statements (``counts``: their
    :func:`count`, when the caller has it)."""
    graphs = sorted(g for g in graphs if g in records.graphs)
    counts = count(store, graphs) if counts is None else counts
    version = version_of(records, graphs)
    out = _Out()
    distribution = _levels(out, version, counts)
    _distribution(out, distribution, records, graphs, counts)
    for g in graphs:
        _subset(out, distribution, records, g)
    _sources(out, distribution, records, graphs)
    _queries(out, distribution)
    return sorted(out.lines)


def _levels(out: _Out, version: str, counts: Counts) -> str:
    """The summary, version and distribution levels' fixed statements and titles; the distribution's IRI."""
    text = prose()
    v = f"{SUMMARY}/{version}"
    d = f"{v}/rdf"
    software = f"{ID}software/livertox-kg-{__version__}"
    for s, p, o in (*text.fixed, *text.version_statements(v, d)):
        out.add(s, p, o)
    out.add(iri(v), iri(DCTERMS.title), text.title_of(f", version {version}"))
    out.add(iri(d), iri(DCTERMS.title), text.title_of(f", version {version}, RDF"))
    out.lit(v, PAV.version, version)
    if counts.latest_update:
        out.lit(v, DCTERMS.modified, counts.latest_update, XSD.date)
    for node in (v, d):
        out.link(node, PAV.createdWith, software)
    out.link(software, RDF.type, DCTYPES.Software)
    out.lit(software, RDFS.label, f"livertox-kg {__version__}")
    out.lit(software, PAV.version, __version__)
    return d


def _distribution(out: _Out, d: str, records: Records, graphs: Sequence[str], counts: Counts) -> None:
    """The distribution's counts: triples, classes, vocabularies, class partitions, an example chapter."""
    out.lit(d, VOID.uriSpace, ID)
    out.int(d, VOID.triples, sum(records.graphs[g].triples for g in graphs))
    out.int(d, VOID.classes, counts.classes)
    for ns in counts.vocabularies:
        out.link(d, VOID.vocabulary, ns)
    for key, cls in COUNTED_CLASSES:
        part = f"{d}/class/{key}"
        out.link(d, VOID.classPartition, part)
        out.link(part, VOID.class_, cls)
        out.int(part, VOID.entities, counts.by_class.get(cls, 0))
    chapters = sorted(r.chapter for g in graphs if (r := records.graphs[g]).chapter)
    if chapters:
        out.link(d, VOID.exampleResource, chapters[0])


def _subset(out: _Out, d: str, records: Records, g: str) -> None:
    """One graph as a ``void:subset``: its triples, checksum, chapter and source file."""
    r = records.graphs[g]
    out.link(d, VOID.subset, g)
    out.link(g, RDF.type, VOID.Dataset)
    out.int(g, VOID.triples, r.triples)
    k = f"{ID}checksum/sha256-{r.sha256}"
    out.link(g, SPDX.checksum, k)
    out.link(k, RDF.type, SPDX.Checksum)
    out.link(k, SPDX.algorithm, SPDX.checksumAlgorithm_sha256)
    out.lit(k, SPDX.checksumValue, r.sha256)
    if r.chapter:
        out.link(g, VOID.rootResource, r.chapter)
    if r.converter:
        out.link(g, PAV.createdWith, r.converter)
        out.link(r.converter, RDF.type, DCTYPES.Software)
    if r.source:
        out.link(g, PROV.wasDerivedFrom, r.source)
        if r.archive and r.archive in records.archives:
            out.link(r.source, DCTERMS.isPartOf, r.archive)
    if g == VOCAB_GRAPH:
        out.link(g, VOID.rootResource, LTX.iri.rstrip("#"))


def _sources(out: _Out, d: str, records: Records, graphs: Sequence[str]) -> None:
    """What the distribution was derived from: the archives (name, SHA-256, size) and the plain source files."""
    for a in sorted({a for g in graphs if (a := records.graphs[g].archive)}):
        rec = records.archives.get(a)
        if rec is None:
            continue
        out.link(d, PROV.wasDerivedFrom, rec.iri)
        out.link(rec.iri, RDF.type, LTX.SourceFile)
        out.lit(rec.iri, LTX.sourceName, rec.name)
        out.lit(rec.iri, LTX.sha256, rec.sha256)
        out.int(rec.iri, DCTERMS.extent, rec.size)
    for r in (records.graphs[g] for g in graphs):
        if r.source and not r.archive:
            out.link(d, PROV.wasDerivedFrom, r.source)


def _queries(out: _Out, d: str) -> None:
    """The stored queries as ``sh:SPARQLExecutable`` nodes with their text, the distribution their target."""
    for name, q in example_queries().items():
        node = f"{ID}query/{name}"
        out.link(node, RDF.type, SH.SPARQLExecutable)
        out.link(node, RDF.type, SH.SPARQLSelectExecutable)
        out.lit(node, RDFS.label, name)
        out.lit(node, RDFS.comment, q.summary, language="en")
        out.lit(node, SH.select, q.text)
        out.link(node, SCHEMA.target, d)
        for tag in q.tags:
            out.lit(node, SCHEMA.keywords, tag)
