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
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final

import pyoxigraph as ox
from livertox_kg import __version__
from livertox_kg.queries import run as sparql
from livertox_kg.rdf import chapter as rdf
from livertox_kg.rdf import iris
from livertox_kg.rdf.vocab import (
    BASE,
    DCAT,
    DCTERMS,
    DCTYPES,
    DESCRIPTION_GRAPH,
    DESCRIPTION_NAMESPACES,
    ID,
    LTX,
    NAMESPACES,
    PAV,
    PREFIXES,
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

if TYPE_CHECKING:
    from livertox_kg.store.convert import Converted

SUMMARY: Final = ID + "dataset"
PUBLISHER: Final = BASE
LIVERTOX_BOOK: Final = "https://www.ncbi.nlm.nih.gov/books/NBK547852/"
LICENSE: Final = "http://creativecommons.org/publicdomain/mark/1.0/"
ENGLISH: Final = "http://lexvo.org/id/iso639-3/eng"
HCLS_PROFILE: Final = "https://www.w3.org/TR/hcls-dataset/"
CANONICAL_FORMAT: Final = "application/n-quads"


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

_SOURCE_LINE = re.compile(
    rb"^<(" + re.escape(ID.encode()) + rb"source/[0-9a-f]{64})> <" + re.escape(LTX.sha256.encode())
)
_ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar")


# --------------------------------------------------------------------------------------------------
# records: what the description says about each graph and archive


@dataclass(frozen=True)
class GraphRecord:
    graph: str  # named graph IRI
    triples: int
    sha256: str  # of the graph's sorted N-Quads lines
    chapter: str | None = None  # chapter IRI (None: the vocabulary)
    source: str | None = None  # ltxid:source/{sha256} of the file the chapter was read from
    archive: str | None = None  # ltxid:source/{sha256} of the archive that file was a member of


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
    """SHA-256 of the sorted, newline-terminated lines of ``nquads``, and their number."""
    lines = sorted(line for line in nquads.split(b"\n") if line.strip())
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line)
        digest.update(b"\n")
    return digest.hexdigest(), len(lines)


def source_of(nquads: bytes) -> str | None:
    """The ``ltxid:source/{sha256}`` node a chapter's N-Quads name as its source file."""
    for line in nquads.split(b"\n"):
        m = _SOURCE_LINE.match(line)
        if m:
            return m.group(1).decode()
    return None


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


def _terms(store: ox.Store, query: str) -> list[list[str]]:
    rows = store.query(query)
    assert isinstance(rows, ox.QuerySolutions)
    return [[sparql.plain(sol[v]) for v in rows.variables] for sol in rows]


def read_records(store: ox.Store) -> Records:
    """The records in the store's description graph (empty when it has none)."""
    g = f"<{DESCRIPTION_GRAPH}>"
    records = Records()
    for name, sha, size, a in _terms(
        store,
        f"SELECT ?name ?sha ?size ?a WHERE {{ GRAPH {g} {{ ?a a <{LTX.SourceFile}> ; <{LTX.sourceName}> ?name ;"
        f" <{LTX.sha256}> ?sha ; <{DCTERMS.extent}> ?size }} }}",
    ):
        records.archives[a] = ArchiveRecord(a, name, sha, int(size))
    for graph, triples, sha, chapter, source, archive in _terms(
        store,
        f"SELECT ?g ?n ?sha ?c ?src ?arc WHERE {{ GRAPH {g} {{ ?d <{VOID.subset}> ?g . ?g <{VOID.triples}> ?n ;"
        f" <{SPDX.checksum}> ?k . ?k <{SPDX.checksumValue}> ?sha . OPTIONAL {{ ?g <{VOID.rootResource}> ?c }}"
        f" OPTIONAL {{ ?g <{PROV.wasDerivedFrom}> ?src OPTIONAL {{ ?src <{DCTERMS.isPartOf}> ?arc }} }} }} }}",
    ):
        records.graphs[graph] = GraphRecord(graph, int(triples), sha, chapter or None, source or None, archive or None)
    return records


def chapter_graphs(store: ox.Store) -> dict[str, str]:
    """``{graph IRI: chapter id}`` of every chapter graph in the store."""
    rows = _terms(
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
        rows = _terms(store, f"SELECT ?s WHERE {{ GRAPH <{graph}> {{ <{chapter}> <{PROV.wasDerivedFrom}> ?s }} }}")
        source = rows[0][0] if rows else None
    return GraphRecord(graph, count, sha, chapter, source, None)


def update(store: ox.Store, loaded: Sequence[Converted], vocabulary_nquads: bytes) -> None:
    """Rewrite the description graph of a staged store after ``loaded`` chapters were written into it.

    Records of chapters not loaded now are kept from the previous description; the archives the loaded
    chapters came from are read once to checksum them.
    """
    old = read_records(store)
    records = Records(archives=dict(old.archives))
    present = chapter_graphs(store)
    loaded_graphs = {iris.graph(c.chapter_id) for c in loaded}
    archives: dict[Path, ArchiveRecord] = {}
    for conv in loaded:
        path = archive_path(conv.source)
        archive = None
        if path is not None and path.is_file():
            if path not in archives:
                archives[path] = archive_record(path)
            archive = archives[path].iri
            records.archives[archive] = archives[path]
        graph = iris.graph(conv.chapter_id)
        records.graphs[graph] = GraphRecord(
            graph, conv.statements, conv.sha256, iris.chapter(conv.chapter_id), conv.source_node, archive
        )
    for graph, chapter_id in present.items():
        if graph in loaded_graphs:
            continue
        records.graphs[graph] = old.graphs.get(graph) or _record_from_store(store, graph, chapter_id)
    sha, count = checksum_lines(vocabulary_nquads)
    records.graphs[VOCAB_GRAPH] = GraphRecord(VOCAB_GRAPH, count, sha)
    used_archives = {r.archive for r in records.graphs.values() if r.archive}
    records.archives = {k: v for k, v in records.archives.items() if k in used_archives}
    text = rdf.nquads(describe(store, records, sorted(records.graphs)), DESCRIPTION_GRAPH).encode("utf-8")
    graph_node = ox.NamedNode(DESCRIPTION_GRAPH)
    if store.contains_named_graph(graph_node):
        store.remove_graph(graph_node)
    store.bulk_load(input=text, format=ox.RdfFormat.N_QUADS)


# --------------------------------------------------------------------------------------------------
# the description itself


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
        used.update(p for (p,) in _terms(store, f"SELECT DISTINCT ?p WHERE {{ GRAPH <{VOCAB_GRAPH}> {{ ?s ?p ?o }} }}"))
    return used


def count(store: ox.Store, graphs: Sequence[str]) -> Counts:
    """Instances per class, vocabularies and the latest chapter update, over ``graphs`` only."""
    scope = _scope(store, graphs)
    by_class = {
        cls: int(n)
        for cls, n in _terms(
            store,
            f"SELECT ?t (COUNT(DISTINCT ?x) AS ?n) WHERE {{ GRAPH ?g {{ ?x a ?t }} {scope} FILTER(isIRI(?t)) }}"
            " GROUP BY ?t",
        )
    }
    predicates = _predicates(store, scope, graphs)
    namespaces = {ns for term in (*predicates, *by_class) for ns in PREFIXES.values() if term.startswith(ns)}
    namespaces.discard(ID)
    latest = _terms(
        store,
        f"SELECT (MAX(STR(?d)) AS ?m) WHERE {{ GRAPH ?g {{ ?c a <{LTX.Chapter}> ;"
        f" <{DCTERMS.modified}> ?d }} {scope} }}",
    )
    return Counts(by_class, len(by_class), tuple(sorted(namespaces)), (latest[0][0] or None) if latest else None)


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
    def __init__(self) -> None:
        self.lines: dict[str, None] = {}

    def link(self, s: str, p: str, o: str) -> None:
        self.lines[f"<{s}> <{p}> <{o}>"] = None

    def lit(self, s: str, p: str, value: str, datatype: str | None = None) -> None:
        self.lines[f"<{s}> <{p}> {rdf.lit(value, datatype)}"] = None

    def en(self, s: str, p: str, value: str) -> None:
        self.lines[f"<{s}> <{p}> {rdf.lit(value)}@en"] = None

    def int(self, s: str, p: str, value: int) -> None:
        self.lines[f"<{s}> <{p}> {rdf.integer(value)}"] = None


def describe(store: ox.Store, records: Records, graphs: Sequence[str]) -> list[str]:
    """The description of ``graphs`` (IRIs with a record), as sorted N-Triples statements."""
    graphs = sorted(g for g in graphs if g in records.graphs)
    counts = count(store, graphs)
    version = version_of(records, graphs)
    v = f"{SUMMARY}/{version}"
    d = f"{v}/rdf"
    software = f"{ID}software/livertox-kg-{__version__}"
    out = _Out()

    title = "LiverTox knowledge graph"
    about = (
        "LiverTox (Clinical and Research Information on Drug-Induced Liver Injury, NIDDK/NLM, NCBI Bookshelf"
        " NBK547852) as RDF: chapters, agents, likelihood scores, injury patterns with the sentences that state"
        " them, case reports and cited references, one named graph per chapter, made by livertox-kg."
    )
    rights = "LiverTox text is a US-government work in the public domain; credit: LiverTox, NIDDK/NLM."

    # summary level
    out.link(SUMMARY, RDF.type, DCTYPES.Dataset)
    out.en(SUMMARY, DCTERMS.title, title)
    out.en(SUMMARY, DCTERMS.description, about)
    out.link(SUMMARY, DCTERMS.publisher, PUBLISHER)
    out.link(SUMMARY, DCTERMS.license, LICENSE)
    out.en(SUMMARY, DCTERMS.rights, rights)
    out.link(SUMMARY, DCTERMS.source, LIVERTOX_BOOK)
    out.link(SUMMARY, DCAT.landingPage, LIVERTOX_BOOK)
    for word in ("drug-induced liver injury", "hepatotoxicity", "pharmacovigilance", "LiverTox"):
        out.en(SUMMARY, DCAT.keyword, word)
    out.en(PUBLISHER, RDFS.label, "livertox-kg")

    # version level
    out.link(v, RDF.type, DCTYPES.Dataset)
    out.en(v, DCTERMS.title, f"{title}, version {version}")
    out.en(v, DCTERMS.description, about)
    out.link(v, DCTERMS.isVersionOf, SUMMARY)
    out.lit(v, PAV.version, version)
    out.link(v, DCTERMS.publisher, PUBLISHER)
    out.link(v, DCTERMS.license, LICENSE)
    out.en(v, DCTERMS.rights, rights)
    out.link(v, DCTERMS.source, LIVERTOX_BOOK)
    out.link(v, DCTERMS.language, ENGLISH)
    out.link(v, PAV.createdWith, software)
    out.link(v, DCAT.distribution, d)
    if counts.latest_update:
        out.lit(v, DCTERMS.modified, counts.latest_update, XSD.date)
    out.link(software, RDF.type, DCTYPES.Software)
    out.lit(software, RDFS.label, f"livertox-kg {__version__}")
    out.lit(software, PAV.version, __version__)

    # distribution level
    out.link(d, RDF.type, VOID.Dataset)
    out.link(d, RDF.type, DCAT.Distribution)
    out.en(d, DCTERMS.title, f"{title}, version {version}, RDF")
    out.en(
        d,
        DCTERMS.description,
        "Every named graph of the version: one per chapter, the vocabulary (ontology and SKOS schemes); this"
        " description is in a graph of its own and is not counted.",
    )
    out.link(d, DCTERMS.publisher, PUBLISHER)
    out.link(d, DCTERMS.license, LICENSE)
    out.lit(d, DCTERMS.format, CANONICAL_FORMAT)
    out.lit(d, DCAT.mediaType, CANONICAL_FORMAT)
    out.link(d, DCTERMS.conformsTo, HCLS_PROFILE)
    out.link(d, PAV.createdWith, software)
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

    for g in graphs:
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
        if r.source:
            out.link(g, PROV.wasDerivedFrom, r.source)
            if r.archive and r.archive in records.archives:
                out.link(r.source, DCTERMS.isPartOf, r.archive)
        if g == VOCAB_GRAPH:
            out.link(g, VOID.rootResource, LTX.iri.rstrip("#"))
    used = sorted({a for g in graphs if (a := records.graphs[g].archive)})
    for a in used:
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

    for name, q in example_queries().items():
        node = f"{ID}query/{name}"
        out.link(node, RDF.type, SH.SPARQLExecutable)
        out.link(node, RDF.type, SH.SPARQLSelectExecutable)
        out.lit(node, RDFS.label, name)
        out.en(node, RDFS.comment, q.summary)
        out.lit(node, SH.select, q.text)
        out.link(node, SCHEMA.target, d)
        for tag in q.tags:
            out.lit(node, SCHEMA.keywords, tag)
    return sorted(out.lines)


def example_queries() -> Mapping[str, sparql.StoredQuery]:
    """The stored queries shipped with the package, listed in the description as its example queries."""
    return sparql.stored_queries()
