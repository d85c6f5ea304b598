"""The dataset description (VoID / DCAT, HCLS profile): in the store after every build, in every export,
with counts, checksums, sources and archives that match what is really there."""

from __future__ import annotations

import hashlib
import io
import shutil
import tarfile
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from livertox_kg import resources
from livertox_kg.cli import main
from livertox_kg.queries.headers import stored_queries
from livertox_kg.queries.results import plain
from livertox_kg.rdf import iris, vocab
from livertox_kg.rdf.vocab import DCTERMS, LTX, MAPPING_GRAPH, PROV, RDF, VOCAB_GRAPH
from livertox_kg.resources import sample_names
from livertox_kg.sources import SourceDoc, iter_sources
from livertox_kg.store import convert as build
from livertox_kg.store import description as dataset
from livertox_kg.store import generations as store
from livertox_kg.store.summary import summarize

D = f"<{dataset.DESCRIPTION_GRAPH}>"
LIVERTOX_BOOK = "https://www.ncbi.nlm.nih.gov/books/NBK547852/"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, sample_store: Path) -> Path:
    """The shipped sample (the session's build of it), copied once for the module."""
    location = tmp_path_factory.mktemp("dataset") / "store"
    shutil.copytree(sample_store, location, symlinks=True)
    return location


def rows(s: ox.Store, query: str) -> list[list[str]]:
    result = s.query(query)
    assert isinstance(result, ox.QuerySolutions)
    return [[plain(sol[v]) for v in result.variables] for sol in result]


def ask(s: ox.Store, query: str) -> bool:
    return bool(s.query(query))


def one(s: ox.Store, query: str) -> str:
    (row,) = rows(s, query)
    return row[0]


def version_node(s: ox.Store) -> str:
    return one(s, f"SELECT ?v WHERE {{ GRAPH {D} {{ ?v <{DCTERMS.isVersionOf}> <{dataset.SUMMARY}> }} }}")


def distribution(s: ox.Store) -> str:
    return one(s, f"SELECT ?d WHERE {{ GRAPH {D} {{ ?v <{vocab.DCAT.distribution}> ?d }} }}")


# The HCLS profile's MUST (and the SHOULD we fill) at each level.
REQUIRED = {
    "summary": [RDF.type, DCTERMS.title, DCTERMS.description, DCTERMS.publisher, DCTERMS.license],
    "version": [
        RDF.type,
        DCTERMS.title,
        DCTERMS.description,
        DCTERMS.publisher,
        vocab.PAV.version,
        DCTERMS.isVersionOf,
        DCTERMS.license,
        DCTERMS.source,
        DCTERMS.language,
        vocab.PAV.createdWith,
        vocab.DCAT.distribution,
        DCTERMS.modified,
    ],
    "distribution": [
        RDF.type,
        DCTERMS.title,
        DCTERMS.description,
        DCTERMS.publisher,
        DCTERMS.format,
        DCTERMS.license,
        DCTERMS.conformsTo,
        vocab.VOID.triples,
        vocab.VOID.vocabulary,
        vocab.VOID.classPartition,
        vocab.VOID.uriSpace,
        vocab.PAV.createdWith,
    ],
}


def test_three_levels_of_the_hcls_profile(built: Path) -> None:
    s = store.open_read_only(built)
    nodes = {"summary": dataset.SUMMARY, "version": version_node(s), "distribution": distribution(s)}
    for level, node in nodes.items():
        for prop in REQUIRED[level]:
            assert ask(s, f"ASK {{ GRAPH {D} {{ <{node}> <{prop}> ?o }} }}"), f"{level} {node} has no {prop}"
    assert ask(
        s,
        f"ASK {{ GRAPH {D} {{ <{nodes['distribution']}> a <{vocab.VOID.Dataset}>, <{vocab.DCAT.Distribution}> }} }}",
    )
    assert ask(s, f"ASK {{ GRAPH {D} {{ <{dataset.SUMMARY}> <{DCTERMS.source}> <{LIVERTOX_BOOK}> }} }}")
    assert one(s, f"SELECT ?v WHERE {{ GRAPH {D} {{ ?x <{vocab.PAV.version}> ?v ; a <{vocab.DCTYPES.Software}> }} }}")
    # no summary-level version, no blank nodes
    assert not ask(s, f"ASK {{ GRAPH {D} {{ <{dataset.SUMMARY}> <{vocab.PAV.version}> ?v }} }}")
    assert not ask(s, f"ASK {{ GRAPH {D} {{ ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }} }}")


def _description(s: ox.Store) -> rdflib.Graph:
    graph = ox.NamedNode(dataset.DESCRIPTION_GRAPH)
    data = "".join(f"{q.triple} .\n" for q in s.quads_for_pattern(None, None, None, graph))
    return rdflib.Graph().parse(data=data, format="nt")


def test_the_prose_comes_from_dataset_ttl(built: Path) -> None:
    """ontology/dataset.ttl (read by rdflib here, by pyoxigraph in the code) is the one place of the prose:
    its statements about ltxid:dataset and the publisher are in the description as they are; each version and
    distribution has its template's statements, copies of the summary's, and titles made from the summary's."""
    prose = rdflib.Graph().parse(data=resources.dataset_ttl(), format="turtle")
    described = _description(store.open_read_only(built))
    summary = rdflib.URIRef(dataset.SUMMARY)
    fixed = [t for t in prose if isinstance(t[0], rdflib.URIRef)]
    assert (
        len([t for t in fixed if t[0] == summary]) == 12
    )  # type, title, abstract, publisher, licence, rights, source, page, 4 keywords
    for t in fixed:
        assert t in described, t
    s = store.open_read_only(built)
    v, d = rdflib.URIRef(version_node(s)), rdflib.URIRef(distribution(s))
    (version_template,) = prose.subjects(rdflib.URIRef(DCTERMS.isVersionOf), summary)
    (distribution_template,) = prose.objects(version_template, rdflib.URIRef(vocab.DCAT.distribution))
    for template, node in ((version_template, v), (distribution_template, d)):
        for _, p, o in prose.triples((template, None, None)):
            assert (node, p, d if o == distribution_template else o) in described, (node, p, o)
    for p in (DCTERMS.description, DCTERMS.publisher, DCTERMS.license, DCTERMS.rights, DCTERMS.source):
        assert set(described.objects(v, rdflib.URIRef(p))) == set(prose.objects(summary, rdflib.URIRef(p))), p
    for p in (DCTERMS.publisher, DCTERMS.license):
        assert set(described.objects(d, rdflib.URIRef(p))) == set(prose.objects(summary, rdflib.URIRef(p))), p
    number = described.value(v, rdflib.URIRef(vocab.PAV.version))
    title = rdflib.URIRef(DCTERMS.title)
    assert described.value(v, title) == rdflib.Literal(f"LiverTox knowledge graph, version {number}", lang="en")
    assert described.value(d, title) == rdflib.Literal(f"LiverTox knowledge graph, version {number}, RDF", lang="en")
    assert not any(isinstance(x, rdflib.BNode) for t in described for x in t)


def test_counts_match_the_graph(built: Path) -> None:
    s = store.open_read_only(built)
    d = distribution(s)
    summary = summarize(s)

    def entities(cls: str) -> int:
        return int(
            one(
                s,
                f"SELECT ?n WHERE {{ GRAPH {D} {{ <{d}> <{vocab.VOID.classPartition}> ?p ."
                f" ?p <{vocab.VOID.class_}> <{cls}> ; <{vocab.VOID.entities}> ?n }} }}",
            )
        )

    assert entities(LTX.Chapter) == summary.chapters == len(sample_names())
    assert entities(LTX.Agent) == summary.agents
    assert entities(LTX.LikelihoodAssessment) == sum(summary.assessments_by_category.values())
    assert entities(LTX.ChapterReference) == summary.chapter_references
    assert entities(LTX.CaseReport) == summary.case_reports
    described = dataset.read_records(s).graphs
    in_store = sum(len(list(s.quads_for_pattern(None, None, None, ox.NamedNode(g)))) for g in described)
    triples = int(one(s, f"SELECT ?n WHERE {{ GRAPH {D} {{ <{d}> <{vocab.VOID.triples}> ?n }} }}"))
    assert triples == in_store
    assert len(described) == summary.chapters + 2  # and the vocabulary, the mappings


def test_each_graph_record_matches_the_stored_graph_and_its_source(built: Path) -> None:
    s = store.open_read_only(built)
    records = dataset.read_records(s)
    chapters = dataset.chapter_graphs(s)
    assert set(records.graphs) == {*chapters, VOCAB_GRAPH, MAPPING_GRAPH}
    for graph, record in records.graphs.items():
        assert record.triples == len(list(s.quads_for_pattern(None, None, None, ox.NamedNode(graph)))), graph
    # checksums are of the N-Quads the build writes: converting the sources again gives the same
    by_name = {Path(p).name: p for p in build.default_sources()}
    for name in ("codeine.nxml", "severity.nxml", "aldesleukin.txt"):
        (doc,) = list(iter_sources([by_name[name]]))
        assert isinstance(doc, SourceDoc)
        conv = build.convert(doc)
        assert isinstance(conv, build.Converted)
        record = records.graphs[iris.graph(conv.chapter_id)]
        assert record.sha256 == dataset.checksum_lines(conv.nquads)[0]
        file_sha = hashlib.sha256(Path(by_name[name]).read_bytes()).hexdigest()
        assert record.source == iris.source(file_sha)
        assert record.chapter == iris.chapter(conv.chapter_id)


def test_vocabularies_and_example_queries(built: Path) -> None:
    s = store.open_read_only(built)
    d = distribution(s)
    vocabularies = {v for (v,) in rows(s, f"SELECT ?v WHERE {{ GRAPH {D} {{ <{d}> <{vocab.VOID.vocabulary}> ?v }} }}")}
    assert {LTX.iri, "http://www.w3.org/2004/02/skos/core#", DCTERMS.iri, PROV.iri, "http://purl.org/spar/cito/"} <= (
        vocabularies
    )
    assert vocab.VOID.iri not in vocabularies, "the description's own vocabulary is not counted"
    listed = dict(
        rows(
            s,
            f"SELECT ?name ?text WHERE {{ GRAPH {D} {{ ?q a <{vocab.SH.SPARQLExecutable}> ;"
            f" <http://www.w3.org/2000/01/rdf-schema#label> ?name ; <{vocab.SH.select}> ?text }} }}",
        )
    )
    shipped = stored_queries()
    assert set(listed) == set(shipped)
    for name, q in shipped.items():
        assert listed[name] == q.text


@pytest.mark.slow
def test_description_is_in_every_export(built: Path, tmp_path: Path) -> None:
    s = store.open_read_only(built)
    quads = list(s.quads_for_pattern(None, None, None, ox.NamedNode(dataset.DESCRIPTION_GRAPH)))
    stored = {str(q) for q in quads}
    for suffix, fmt in (
        (".nq", ox.RdfFormat.N_QUADS),
        (".ttl", ox.RdfFormat.TURTLE),
        (".jsonld", ox.RdfFormat.JSON_LD),
    ):
        out = tmp_path / f"all{suffix}"
        assert main(["export", "--store", str(built), "-o", str(out)]) == 0
        got = list(ox.parse(path=str(out), format=fmt))
        if suffix == ".ttl":
            triples = {f"{q.subject} {q.predicate} {q.object}" for q in got}
            assert {f"{q.subject} {q.predicate} {q.object}" for q in quads} <= triples
        else:
            assert stored <= {str(q) for q in got}


@pytest.mark.slow
def test_same_build_same_description_and_version(built: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert main(["build", "--store", str(again)]) == 0
    a = store.open_read_only(built)
    b = store.open_read_only(again)
    graph = ox.NamedNode(dataset.DESCRIPTION_GRAPH)
    assert {str(q) for q in a.quads_for_pattern(None, None, None, graph)} == {
        str(q) for q in b.quads_for_pattern(None, None, None, graph)
    }


def _archive(path: Path, members: dict[str, bytes]) -> None:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(f"livertox_NBK547852/{name}")
            info.size = len(data)
            info.mtime = 0
            tar.addfile(info, io.BytesIO(data))


@pytest.mark.slow
def test_archive_is_recorded_and_kept_by_later_builds(corpus: Path, tmp_path: Path) -> None:
    archive = tmp_path / "livertox_NBK547852.tar.gz"
    _archive(archive, {n: (corpus / "nxml" / n).read_bytes() for n in ("codeine.nxml", "aspirin.nxml")})
    location = tmp_path / "store"
    assert main(["build", "--store", str(location), str(archive)]) == 0
    s = store.open_read_only(location)
    sha = hashlib.sha256(archive.read_bytes()).hexdigest()
    node = iris.source(sha)
    assert one(s, f"SELECT ?n WHERE {{ GRAPH {D} {{ <{node}> <{LTX.sourceName}> ?n }} }}") == archive.name
    assert one(s, f"SELECT ?n WHERE {{ GRAPH {D} {{ <{node}> <{LTX.sha256}> ?n }} }}") == sha
    assert (
        int(one(s, f"SELECT ?n WHERE {{ GRAPH {D} {{ <{node}> <{DCTERMS.extent}> ?n }} }}")) == archive.stat().st_size
    )
    members = rows(s, f"SELECT ?m WHERE {{ GRAPH {D} {{ ?m <{DCTERMS.isPartOf}> <{node}> }} }}")
    assert len(members) == 2
    assert ask(s, f"ASK {{ GRAPH {D} {{ ?d <{PROV.wasDerivedFrom}> <{node}> ; a <{vocab.DCAT.Distribution}> }} }}")
    first_version = version_node(s)
    del s
    # a later build of one more file keeps the archive's record for the chapters it still supplies
    assert main(["build", "--store", str(location), str(corpus / "nxml" / "severity.nxml")]) == 0
    s = store.open_read_only(location)
    records = dataset.read_records(s)
    assert node in records.archives
    assert records.graphs[iris.graph("Codeine")].archive == node
    assert records.graphs[iris.graph("Severity")].archive is None
    assert version_node(s) != first_version
    del s
    # replacing both archive chapters from plain files drops the archive from the description
    assert (
        main(["build", "--store", str(location), *(str(corpus / "nxml" / n) for n in ("codeine.nxml", "aspirin.nxml"))])
        == 0
    )
    s = store.open_read_only(location)
    assert node not in dataset.read_records(s).archives
    assert not rows(s, f"SELECT ?p WHERE {{ GRAPH {D} {{ <{node}> ?p ?o }} }}")


@pytest.mark.slow
def test_version_changes_when_a_chapter_changes(corpus: Path, tmp_path: Path) -> None:
    location = tmp_path / "store"
    original = corpus / "nxml" / "codeine.nxml"
    assert main(["build", "--store", str(location), str(original)]) == 0
    before = version_node(store.open_read_only(location))
    edited = tmp_path / "codeine.nxml"
    edited.write_bytes(original.read_bytes().replace(b"Liklihood score: E", b"Liklihood score: D"))
    assert main(["build", "--store", str(location), str(edited)]) == 0
    assert version_node(store.open_read_only(location)) != before
    assert main(["build", "--store", str(location), str(original)]) == 0
    assert version_node(store.open_read_only(location)) == before


def test_context_file_ships_in_the_package() -> None:
    assert b'"@context"' in resources.jsonld_context()
