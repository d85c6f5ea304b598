"""The default graph of every query we run is the union of all graphs: ``query --text``, ``query --file``,
a stored query and a data-quality check all see every chapter's triples without ``GRAPH``.

The expected answer is computed without SPARQL, from the store's quads. pyoxigraph 0.5's union is a bag (a
triple stated in k graphs is a solution k times: oxigraph#1919, fixed by oxigraph#1920 after 0.5.13); the
tests say so, and fail when that changes (then the stored queries' notes in ``queries/tuned/README.md``
need a second look). (The ``--endpoint`` path is in ``tests/remote/test_remote.py``.)
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pyoxigraph as ox
import pytest

from livertox_kg.cli import main
from livertox_kg.queries import headers
from livertox_kg.queries.results import tsv_term
from livertox_kg.rdf.vocab import ID, SKOS
from tests.support.stores import read_only

ALL_TRIPLES = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
COUNT_DISTINCT = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def quads(sample_store: Path) -> list[ox.Quad]:
    return list(read_only(sample_store).quads_for_pattern(None, None, None, None))


def triples(quads: list[ox.Quad]) -> set[str]:
    return {"\t".join(tsv_term(t) for t in (q.subject, q.predicate, q.object)) for q in quads}


def tsv_rows(out: str) -> list[str]:
    return out.splitlines()[1:]


def count(out: str) -> int:
    (row,) = tsv_rows(out)  # "74647"^^<http://www.w3.org/2001/XMLSchema#integer>
    return int(row.split('"')[1])


def test_query_text_reads_every_graph(
    sample_store: Path, quads: list[ox.Quad], capsys: pytest.CaptureFixture[str]
) -> None:
    store = ["--store", str(sample_store), "--format", "tsv"]
    assert main(["query", "--text", ALL_TRIPLES, *store]) == 0
    rows = tsv_rows(capsys.readouterr().out)
    assert len({q.graph_name for q in quads}) > 2 and len(triples(quads)) < len(quads)  # triples shared by graphs
    assert set(rows) == triples(quads)
    assert main(["query", "--text", COUNT_DISTINCT, *store]) == 0
    assert count(capsys.readouterr().out) == len(triples(quads))
    # pyoxigraph 0.5: the union is a bag; once it is a set (oxigraph#1920), this is len(triples(quads))
    assert len(rows) == len(quads)
    assert main(["query", "--text", COUNT, *store]) == 0
    assert count(capsys.readouterr().out) == len(quads)


def test_query_file_and_a_stored_query_read_every_graph(
    sample_store: Path, quads: list[ox.Quad], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rq = tmp_path / "count.rq"
    rq.write_text(f"# every triple, in no GRAPH\n{COUNT_DISTINCT}\n", encoding="utf-8")
    assert main(["query", "--file", str(rq), "--store", str(sample_store), "--format", "tsv"]) == 0
    assert count(capsys.readouterr().out) == len(triples(quads))
    # a stored query that reads the vocabulary graph without naming it
    assert main(["query", "pattern-mappings", "--store", str(sample_store), "--format", "tsv"]) == 0
    mappings = tsv_rows(capsys.readouterr().out)
    scheme = {
        q.subject for q in quads if q.predicate.value == SKOS.inScheme and q.object.value == ID + "injury-pattern"
    }
    kinds = {SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch}
    matches = {(q.subject, q.predicate, q.object) for q in quads if q.subject in scheme and q.predicate.value in kinds}
    expected = len(matches) + len(scheme - {s for s, _, _ in matches})  # a concept without a mapping: one row
    assert len(scheme) > 5 and len(mappings) == expected


def test_a_check_reads_every_graph(
    sample_store: Path, quads: list[ox.Quad], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``qc`` runs a check as it runs the stored ones: a check whose hits are all triples finds them all."""
    template = next(iter(headers.qc_queries().values()))
    check = dataclasses.replace(template, name="qc/every-triple-violation", text=ALL_TRIPLES, tuned=None)
    monkeypatch.setattr(headers, "qc_queries", lambda: {check.name: check})
    assert main(["qc", "--store", str(sample_store), "--format", "tsv"]) == 1
    out = capsys.readouterr().out
    assert f"FAIL  qc/every-triple-violation: {len(quads)} row(s)" in out
    rows = {line for line in out.splitlines() if line.count("\t") == 2 and not line.startswith("?")}
    assert rows == triples(quads)


def test_graph_still_says_which_chapter_stated_what(sample_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?c ltx:chapterId ?id } } ORDER BY ?g"
    assert main(["query", "--text", text, "--store", str(sample_store), "--format", "csv"]) == 0
    graphs = capsys.readouterr().out.splitlines()[1:]
    assert "https://w3id.org/livertox-kg/graph/Codeine" in graphs and len(graphs) == 14


def test_the_engines_union_is_a_bag_the_upstream_reproduction() -> None:
    """The minimal reproduction of oxigraph#1919 (fixed upstream by oxigraph#1920, not in pyoxigraph 0.5.13, the
    last release on PyPI): one triple in two graphs. SPARQL's default graph of several graphs is their RDF merge,
    a set (SPARQL 1.1 Query, 13.1), so COUNT(*) should be 1; Oxigraph's union and FROM both give 2. When this
    fails, the union is a set: the counts asserted above become the distinct triples, and the notes in
    ``queries/run.py``, ``queries/tuned/README.md`` and the README's "The default graph is every graph" change."""
    store = ox.Store()
    s, p = ox.NamedNode("urn:s"), ox.NamedNode("urn:p")
    for g in ("urn:g1", "urn:g2"):
        store.add(
            ox.Quad(
                s,
                p,
                ox.Literal("10", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
                ox.NamedNode(g),
            )
        )

    def answer(query: str, **kw: object) -> tuple[int, int]:
        (row,) = store.query(query, **kw)  # type: ignore[arg-type, misc]
        return int(row["n"].value), int(row["total"].value)

    bag = "SELECT (COUNT(*) AS ?n) (SUM(?o) AS ?total) WHERE { ?s ?p ?o }"
    assert answer(bag, use_default_graph_as_union=True) == (2, 20)
    assert answer(bag.replace("WHERE", "FROM <urn:g1> FROM <urn:g2> WHERE")) == (2, 20)
    merged = "SELECT (COUNT(*) AS ?n) (SUM(?o) AS ?total) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
    assert answer(merged, use_default_graph_as_union=True) == (1, 10)
