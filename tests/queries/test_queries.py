"""Stored queries on the corpus graph: goldens, data-quality checks, the catalogue as RDF, the commands.

Every stored query (``queries/*.rq`` and ``queries/qc/*.rq``) runs on the graph built from the corpus
chapters with its example parameters; its rows must equal ``tests/golden/queries/NAME.tsv`` as a bag
(regenerate with ``pytest --update-goldens`` and review the diff). Headers, parameters, binding and the
result formats have test modules of their own beside this one.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from livertox_kg import resources
from livertox_kg.cli import main
from livertox_kg.errors import QueryError
from livertox_kg.queries import catalogue
from livertox_kg.queries.headers import all_queries, qc_queries, stored_queries
from livertox_kg.queries.params import example_bindings, term
from livertox_kg.queries.results import Results, tsv_term
from livertox_kg.queries.run import run as run_query
from livertox_kg.rdf.vocab import ID
from tests.conftest import CORPUS, GOLDEN
from tests.support.stores import bag, build_store, corpus_store, in_memory_copy, read_only

GOLDEN_QUERIES = GOLDEN / "queries"
ALL = all_queries()
STORED = stored_queries()
QC = qc_queries()
TUNED = {name: q for name, q in ALL.items() if q.tuned is not None}


@pytest.fixture(scope="module")
def corpus_location(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return corpus_store(tmp_path_factory)


@pytest.fixture(scope="module")
def corpus_graph(corpus_location: Path) -> ox.Store:
    return read_only(corpus_location)


# --------------------------------------------------------------------------------------------------
# every stored query against its golden file


def golden_path(name: str) -> Path:
    return GOLDEN_QUERIES / f"{name}.tsv"


def golden_text(results: Results) -> str:
    header = "\t".join(f"?{v}" for v in results.variables)
    return header + "\n" + "".join(sorted(line + "\n" for line in bag(results).elements()))


def assert_golden(name: str, results: Results) -> None:
    path = golden_path(name)
    assert path.exists(), f"no golden file {path}; run pytest --update-goldens and review it"
    header, *lines = path.read_text(encoding="utf-8").splitlines()
    assert header == "\t".join(f"?{v}" for v in results.variables)
    expected, got = Counter(lines), bag(results)
    missing, extra = expected - got, got - expected
    assert not missing and not extra, (
        f"{name} differs from {path.name}:\n"
        + "".join(f"- {line}\n" for line in sorted(missing.elements())[:20])
        + "".join(f"+ {line}\n" for line in sorted(extra.elements())[:20])
    )


@pytest.mark.parametrize("name", sorted(ALL), ids=str)
def test_stored_query_matches_golden(name: str, corpus_graph: ox.Store, update_goldens: bool) -> None:
    q = ALL[name]
    results = run_query(corpus_graph, q.text, example_bindings(q.params))
    path = golden_path(name)
    if update_goldens:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(golden_text(results), encoding="utf-8")
        pytest.skip(f"rewrote {path.relative_to(GOLDEN)}")
    assert_golden(name, results)
    if not q.is_qc:
        assert results.rows, f"{name} finds nothing on the corpus: a query that cannot fail tests nothing"


@pytest.mark.parametrize("name", sorted(TUNED), ids=str)
def test_tuned_variant_gives_the_golden_rows_in_the_plain_querys_order(name: str, corpus_graph: ox.Store) -> None:
    q = TUNED[name]
    assert q.tuned is not None and q.run_text == q.tuned
    bindings = example_bindings(q.params)
    plain, tuned = run_query(corpus_graph, q.text, bindings), run_query(corpus_graph, q.tuned, bindings)
    assert_golden(name, tuned)
    assert tuned.variables == plain.variables and ordered(tuned) == ordered(plain)
    for p in q.params:  # the same rows for another value of each parameter too
        other = {**bindings, p.name: term(p.type, "Isoniazid" if p.type == "name" else p.example)}
        assert ordered(run_query(corpus_graph, q.tuned, other)) == ordered(run_query(corpus_graph, q.text, other))


def ordered(results: Results) -> list[str]:
    return ["\t".join(tsv_term(t) for t in row) for row in results.rows]


def test_tuned_variants_are_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A tuned variant belongs to a stored query, has no header of its own and uses the query's parameters."""
    folder = tmp_path / "queries"
    shutil.copytree(Path(str(resources.queries_dir())), folder)
    monkeypatch.setattr(resources, "queries_dir", lambda: folder)
    assert set(all_queries()) == set(ALL)
    cases = [
        ("no-such-query.rq", "SELECT * WHERE { ?s ?p ?o }", "a tuned variant of no stored query"),
        ("likelihood.rq", "#+ summary: x\nSELECT * WHERE { ?s ?p ?o }", "has no header"),
        ("case-reports.rq", "SELECT * WHERE { ?s ?p ?pattern }", r"no variable \?min_grade"),
    ]
    for file, text, message in cases:
        (folder / "tuned" / file).write_text(text, encoding="utf-8")
        with pytest.raises(QueryError, match=message):
            all_queries()
        (folder / "tuned" / file).unlink()
    assert all_queries() == ALL


# --------------------------------------------------------------------------------------------------
# looking one agent or chapter up: name parameters, optional filters

OPTIONAL_FILTERS = sorted((n, p.name) for n, q in STORED.items() for p in q.params if p.optional)
REQUIRED_NAMES = sorted(n for n, q in STORED.items() if any(p.type == "name" and not p.optional for p in q.params))


def test_the_listings_take_an_optional_filter() -> None:
    assert {n for n, _ in OPTIONAL_FILTERS} >= {"likelihood", "pattern-evidence", "chapter-references", "case-reports"}
    assert set(REQUIRED_NAMES) >= {"agent-references", "shared-references", "class-agents"}


@pytest.mark.parametrize(("name", "param"), OPTIONAL_FILTERS, ids=[f"{n}-{p}" for n, p in OPTIONAL_FILTERS])
def test_an_optional_filter_keeps_the_golden_rows_of_one_name(name: str, param: str, corpus_graph: ox.Store) -> None:
    """Given (in any letter case), the filter keeps exactly the golden rows whose column of that name holds
    it, in the order of the whole listing; left out, the listing is the golden (the test above)."""
    q = STORED[name]
    header, *lines = golden_path(name).read_text(encoding="utf-8").splitlines()
    column = header.split("\t").index(f"?{param}")
    values = Counter(line.split("\t")[column] for line in lines)
    value, _ = values.most_common(1)[0]
    printed = ox.parse_query_results(f"?x\n{value}\n".encode(), ox.QueryResultsFormat.TSV)
    assert isinstance(printed, ox.QuerySolutions)
    (literal,) = [s["x"] for s in printed]
    assert isinstance(literal, ox.Literal) and 0 < values[value] < len(lines)
    everything = ordered(run_query(corpus_graph, q.run_text, example_bindings(q.params)))
    expected = [line for line in everything if line.split("\t")[column] == value]
    assert Counter(expected) == Counter(line for line in lines if line.split("\t")[column] == value)
    for typed in (literal.value.upper(), literal.value.lower()):
        bindings = {**example_bindings(q.params), param: term("name", typed)}
        for text in {q.text, q.run_text}:
            assert ordered(run_query(corpus_graph, text, bindings)) == expected


@pytest.mark.parametrize("name", REQUIRED_NAMES, ids=str)
def test_a_name_matches_in_any_letter_case(name: str, corpus_graph: ox.Store) -> None:
    q = STORED[name]
    for change in (str.upper, str.lower, str.swapcase):
        bindings = {p.name: term(p.type, change(p.example) if p.type == "name" else p.example) for p in q.params}
        assert_golden(name, run_query(corpus_graph, q.run_text, bindings))
    nobody = {p.name: term(p.type, "no such name" if p.type == "name" else p.example) for p in q.params}
    assert run_query(corpus_graph, q.run_text, nobody).rows == []


def test_goldens_have_no_strays() -> None:
    expected = {golden_path(name) for name in ALL}
    assert set(GOLDEN_QUERIES.rglob("*.tsv")) <= expected


# --------------------------------------------------------------------------------------------------
# data-quality checks: each finds a defect planted in the real graph

G = "https://w3id.org/livertox-kg/graph/"
PLANTED = {
    "qc/agent-without-label-violation": (
        f"INSERT DATA {{ GRAPH <{G}Codeine> {{ <{ID}chapter/Codeine/likelihood/1> "
        f"<https://w3id.org/livertox-kg/ontology#assessedAgent> <{ID}agent/nobody> }} }}",
        f"{ID}agent/nobody",
    ),
    "qc/assessment-incomplete-violation": (
        f"DELETE WHERE {{ GRAPH <{G}Codeine> {{ <{ID}chapter/Codeine/likelihood/1> "
        "<https://w3id.org/livertox-kg/ontology#highDose> ?x } }",
        "no high-dose flag",
    ),
    "qc/case-grade-out-of-range-violation": (
        f"DELETE {{ GRAPH ?g {{ ?c <https://w3id.org/livertox-kg/ontology#severityGrade> ?x }} }} "
        f"INSERT {{ GRAPH ?g {{ ?c <https://w3id.org/livertox-kg/ontology#severityGrade> 7 }} }} "
        f"WHERE {{ GRAPH ?g {{ ?c <https://w3id.org/livertox-kg/ontology#severityGrade> ?x }} "
        f"FILTER (?c = <{ID}chapter/Isoniazid/case/3>) }}",
        "Isoniazid",
    ),
    "qc/chapter-graph-mismatch-violation": (
        f"INSERT DATA {{ GRAPH <{G}Codeine> {{ <{ID}chapter/Aspirin> "
        '<https://w3id.org/livertox-kg/ontology#chapterId> "Aspirin" } }',
        f"{G}Codeine",
    ),
    "qc/class-not-stated-violation": (
        f"INSERT DATA {{ GRAPH <{G}Aspirin> {{ <{ID}agent/aspirin> "
        f"<https://w3id.org/livertox-kg/ontology#memberOfClass> <{ID}class/made-up-class> }} }}",
        f"{ID}class/made-up-class",
    ),
    "qc/overview-chapter-kind-violation": (
        f"INSERT DATA {{ GRAPH <{G}Aspirin> {{ <{ID}class/salicylates> "
        f"<https://w3id.org/livertox-kg/ontology#overviewChapter> <{ID}chapter/Codeine> }} }}",
        "Codeine",
    ),
    "qc/pattern-not-in-scheme-violation": (
        f"INSERT DATA {{ GRAPH <{G}Codeine> {{ <{ID}chapter/Codeine/evidence/99> "
        f"<https://w3id.org/livertox-kg/ontology#injuryPattern> <{ID}pattern/made-up> }} }}",
        f"{ID}pattern/made-up",
    ),
    "qc/pmid-not-numeric-violation": (
        f'INSERT DATA {{ GRAPH <{G}Codeine> {{ <{ID}work/0123> <http://purl.org/spar/fabio/hasPubMedId> "12a45" }} }}',
        "12a45",
    ),
    "qc/pmid-two-titles-violation": (
        f"INSERT DATA {{ GRAPH <{G}Codeine> {{ <https://pubmed.ncbi.nlm.nih.gov/2585024/> "
        '<http://purl.org/spar/fabio/hasPubMedId> "2585024" ; '
        '<http://purl.org/dc/terms/title> "A title nobody printed" } }',
        "A title nobody printed",
    ),
    "qc/r-ratio-pattern-mismatch-violation": (
        f"DELETE {{ GRAPH ?g {{ ?c <https://w3id.org/livertox-kg/ontology#rRatio> ?x }} }} "
        f"INSERT {{ GRAPH ?g {{ ?c <https://w3id.org/livertox-kg/ontology#rRatio> 1.5 }} }} "
        f"WHERE {{ GRAPH ?g {{ ?c <https://w3id.org/livertox-kg/ontology#rRatio> ?x }} "
        f"FILTER (?c = <{ID}chapter/Isoniazid/case/3>) }}",
        "Isoniazid",
    ),
}


def test_every_check_has_a_planted_defect() -> None:
    assert set(PLANTED) == set(QC)


@pytest.fixture(scope="module")
def planted(corpus_location: Path) -> ox.Store:
    """An in-memory copy of the corpus graph with every defect of :data:`PLANTED` in it."""
    store = in_memory_copy(corpus_location)
    for update, _ in PLANTED.values():
        store.update(update)
    return store


@pytest.mark.parametrize("name", sorted(QC), ids=str)
def test_check_finds_its_planted_defect(name: str, corpus_graph: ox.Store, planted: ox.Store) -> None:
    check = QC[name]
    before = bag(run_query(corpus_graph, check.text))
    after = bag(run_query(planted, check.text))
    new = after - before
    _, expected = PLANTED[name]
    assert new, f"{name} does not see the planted defect"
    assert any(expected in line for line in new.elements()), new


def test_qc_command_exit_codes(
    tmp_path_factory: pytest.TempPathFactory, corpus_location: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clean = build_store(tmp_path_factory, CORPUS / "nxml" / "codeine.nxml")
    assert main(["qc", "--store", str(clean)]) == 0
    out = capsys.readouterr().out
    assert f"{len(QC)} of {len(QC)} checks passed" in out
    code = main(["qc", "--store", str(corpus_location)])
    out = capsys.readouterr().out
    hits = [name for name in QC if golden_path(name).read_text(encoding="utf-8").count("\n") > 1]
    assert code == (1 if hits else 0)
    for name in hits:
        assert f"FAIL  {name}:" in out
    assert main(["qc", "no-such-check", "--store", str(clean)]) == 2


# --------------------------------------------------------------------------------------------------
# the catalogue as RDF


def test_catalogue_rdf(planted: ox.Store) -> None:
    text = catalogue.turtle()
    assert text == catalogue.turtle()
    g = rdflib.Graph().parse(data=text, format="turtle")
    assert not any(isinstance(t, rdflib.BNode) for triple in g for t in triple)
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    schema = rdflib.Namespace("https://schema.org/")
    for name, q in ALL.items():
        node = rdflib.URIRef(catalogue.query_iri(name))
        assert (node, rdflib.RDF.type, sh.SPARQLExecutable) in g
        assert (node, rdflib.RDF.type, sh.SPARQLSelectExecutable) in g
        assert str(g.value(node, rdflib.RDFS.comment)) == q.summary
        assert {str(k) for k in g.objects(node, schema.keywords)} == set(q.tags)
        assert str(g.value(node, sh.select)) == q.text

    # loaded next to the data, the catalogue is queried like it: find the pubmed queries, run one
    store = planted
    store.load(catalogue.nquads().encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    found = store.query(
        "PREFIX sh: <http://www.w3.org/ns/shacl#> PREFIX schema: <https://schema.org/> "
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        f"SELECT ?name ?text WHERE {{ GRAPH <{catalogue.CATALOGUE_GRAPH}> {{ "
        '?q a sh:SPARQLExecutable ; schema:keywords "pubmed" ; rdfs:label ?name ; sh:select ?text } }'
    )
    assert isinstance(found, ox.QuerySolutions)
    by_name = {s["name"].value: s["text"].value for s in found}
    assert set(by_name) == {n for n, q in ALL.items() if "pubmed" in q.tags}
    from_catalogue = run_query(store, by_name["chapter-references"])
    from_file = run_query(store, STORED["chapter-references"].text)
    assert bag(from_catalogue) == bag(from_file)


# --------------------------------------------------------------------------------------------------
# the command line


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_queries_lists_everything(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "queries")
    assert code == 0
    for name in ALL:
        assert name in out
    assert "--param category=...  string, e.g. A" in out
    code, out, _ = run_cli(capsys, "queries", "--format", "nquads")
    assert code == 0 and out.count(" .\n") > 100 and catalogue.CATALOGUE_GRAPH in out


def test_query_command_with_params_files_and_text(
    corpus_location: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = ["--store", str(corpus_location)]
    code, out, _ = run_cli(capsys, "query", "cas-number", "--param", "cas=54-85-3", "--format", "csv", *store)
    assert code == 0 and out == "agent,formula,chapter\r\nIsoniazid,C6-H7-N3-O,Isoniazid\r\n"
    code, out, err = run_cli(capsys, "query", "cas-number", "--param", "cas=54-85-3", "--param", "cas=1", *store)
    assert code == 2 and "given twice" in err
    code, _, err = run_cli(capsys, "query", "case-reports", "--param", "pattern=x y", "--param", "min_grade=1", *store)
    assert code == 2 and err.count("\n") == 1 and "parameter 'pattern'" in err
    code, _, err = run_cli(capsys, "query", "likelihood", "--text", "ASK {}", *store)
    assert code == 2 and "give one of" in err

    rq = tmp_path / "since.rq"
    rq.write_text(
        "#+ summary: chapters since\n#+ params:\n#+   since | date | 2020-01-01 | the date\n"
        "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?c a <https://w3id.org/livertox-kg/ontology#Chapter> ;"
        " dcterms:modified ?d } FILTER (?d >= ?since) }\n",
        encoding="utf-8",
    )
    code, out, _ = run_cli(capsys, "query", "--file", str(rq), "--param", "since=2020-11-01", "--format=json", *store)
    assert code == 0
    assert json.loads(out)["results"]["bindings"][0]["n"]["value"] == str(len(golden_lines("chapters-updated-since")))
    code, out, _ = run_cli(
        capsys, "query", "--text", "ASK { GRAPH ?g { ?c ?p ?since } }", "--param", "since:date=2021-04-05", *store
    )
    assert code == 0 and out == "true\n"
    code, out, _ = run_cli(
        capsys,
        "query",
        "--text",
        "ASK { GRAPH ?g { ?c ?p ?since } }",
        "--param",
        "since:date=1999-01-01",
        "--format",
        "json",
        *store,
    )
    assert json.loads(out) == {"head": {}, "boolean": False}
    code, out, _ = run_cli(capsys, "query", "high-dose-only", "--format", "xml", *store)
    root = ET.fromstring(out)
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    expected = run_query(read_only(corpus_location), STORED["high-dose-only"].text)
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == expected.variables
    assert len(root.findall("r:results/r:result", ns)) == len(golden_lines("high-dose-only"))
    code, _, err = run_cli(capsys, "query", "--text", "CONSTRUCT WHERE { ?s ?p ?o }", *store)
    assert code == 2 and "only SELECT and ASK" in err


def test_query_command_looks_one_agent_up(corpus_location: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = ["--store", str(corpus_location)]
    code, out, _ = run_cli(capsys, "query", "likelihood", "--param", "agent=ISONIAZID", "--format", "csv", *store)
    assert code == 0 and out == "chapter,agent,category,high_dose,scope\r\nIsoniazid,Isoniazid,A,false,\r\n"
    code, out, _ = run_cli(capsys, "query", "likelihood", "--format", "tsv", *store)
    assert code == 0 and len(out.splitlines()) == len(golden_lines("likelihood")) + 1
    code, _, err = run_cli(capsys, "query", "likelihood", "--param", "drug=isoniazid", *store)
    assert code == 2 and "unknown parameter 'drug' (parameters: agent (name, optional, e.g. Isoniazid))" in err


def golden_lines(name: str) -> list[str]:
    return golden_path(name).read_text(encoding="utf-8").splitlines()[1:]


def test_missing_store_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "query", "likelihood", "--store", str(tmp_path / "none"))
    assert code == 2 and "no store here" in err
