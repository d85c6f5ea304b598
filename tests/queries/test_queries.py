"""Stored queries: strict headers, typed parameter binding, goldens on the corpus graph, QC checks, catalogue RDF.

Every stored query (``queries/*.rq`` and ``queries/qc/*.rq``) runs on the graph built from the corpus
chapters with its example parameters; its rows must equal ``tests/golden/queries/NAME.tsv`` as a bag
(regenerate with ``pytest --update-goldens`` and review the diff).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st
from livertox_kg.cli import main
from livertox_kg.errors import QueryError
from livertox_kg.queries import catalogue
from livertox_kg.queries import run as sparql
from livertox_kg.rdf.vocab import ID
from rdflib.plugins.sparql import prepareQuery

from tests.conftest import CORPUS, GOLDEN
from tests.support.stores import bag, build_store, corpus_store, in_memory_copy, read_only

GOLDEN_QUERIES = GOLDEN / "queries"
ALL = sparql.all_queries()
STORED = sparql.stored_queries()
QC = sparql.qc_queries()


@pytest.fixture(scope="module")
def corpus_location(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return corpus_store(tmp_path_factory)


@pytest.fixture(scope="module")
def corpus_graph(corpus_location: Path) -> ox.Store:
    return read_only(corpus_location)


# --------------------------------------------------------------------------------------------------
# the catalogue and its headers


def test_catalogue_size_and_fixed_columns() -> None:
    assert len(STORED) >= 15
    assert len(QC) >= 8
    assert all(name.endswith("-violation") for name in QC)
    fixed = {"likelihood": "chapter agent category high_dose scope", "chapter-references": "chapter pmid"}
    for name, columns in fixed.items():
        store = ox.Store()
        solutions = store.query(STORED[name].text)
        assert isinstance(solutions, ox.QuerySolutions)
        assert [v.value for v in solutions.variables] == columns.split()


@pytest.mark.parametrize("name", sorted(ALL), ids=str)
def test_header_is_complete_and_query_is_standard_sparql(name: str) -> None:
    q = ALL[name]
    assert q.summary and q.description and q.tags
    assert not q.summary.endswith("."), "a summary is a title, without a final period"
    for p in q.params:
        assert p.description and sparql.term(p.type, p.example) is not None
    # an independent SPARQL 1.1 parser (rdflib's) must accept it too, so no engine-specific syntax slips in
    prepareQuery(q.text)
    assert sparql.query_form(q.text) == "SELECT"


H = "#+ summary: s\n#+ description: d\n#+ params:\n"
HEADER_ERRORS = [
    (H + "#+ tags: t\n#+ colour: red\nSELECT * {}", "unknown header key"),
    ("#+ summary: s\n#+ summary: t\n#+ description: d\n#+ params:\n#+ tags: t\nSELECT * {}", "given twice"),
    ("#+ summary: s\n#+description: d\nSELECT * {}", "malformed header line"),
    ("#+ description: d\n#+ params:\n#+ tags: t\nSELECT * {}", "no #+ summary:"),
    ("#+ summary: s\n#+ description:\n#+ params:\n#+ tags: t\nSELECT * {}", "'#+ description:' is empty"),
    (H + "#+ tags: Bad Tag\nSELECT * {}", "tag 'Bad Tag'"),
    (H + "#+ tags: t\nSELECT * {}\n#+ tags: u", "after the header"),
    (H + "#+   x | str | 1 | d\n#+ tags: t\nSELECT ?x {}", "unknown type"),
    (H + "#+   x | integer | one | d\n#+ tags: t\nSELECT ?x {}", "not a valid"),
    (H + "#+   x | integer | 1\n#+ tags: t\nSELECT ?x {}", "parameter line"),
    (H + "#+   x | integer | 1 | d\n#+ tags: t\nSELECT ?y {}", "no variable ?x"),
    (H + "#+   X | integer | 1 | d\n#+ tags: t\nSELECT ?X {}", "parameter name"),
    (
        H + "#+   x | date | 2020-01-01 | a\n#+   x | date | 2020-01-01 | b\n#+ tags: t\nSELECT ?x {}",
        "declared twice",
    ),
    ("#+   more\n#+ summary: s\nSELECT * {}", "continuation line before"),
]


@pytest.mark.parametrize(("text", "message"), HEADER_ERRORS, ids=[m for _, m in HEADER_ERRORS])
def test_malformed_headers_are_errors_naming_file_and_line(text: str, message: str) -> None:
    with pytest.raises(QueryError) as info:
        sparql.parse_stored("broken", text)
    assert message in str(info.value)
    assert str(info.value).startswith("queries/broken.rq")


def test_header_continuations_and_params_are_read() -> None:
    q = STORED["case-reports"]
    assert [(p.name, p.type) for p in q.params] == [("pattern", "iri"), ("min_grade", "integer")]
    assert "DILIN" in q.description and "\n" not in q.description
    assert q.examples() == {"pattern": "ltxid:pattern/hepatocellular", "min_grade": "4"}


# --------------------------------------------------------------------------------------------------
# every stored query against its golden file


def golden_path(name: str) -> Path:
    return GOLDEN_QUERIES / f"{name}.tsv"


def golden_text(results: sparql.Results) -> str:
    header = "\t".join(f"?{v}" for v in results.variables)
    return header + "\n" + "".join(sorted(line + "\n" for line in bag(results).elements()))


@pytest.mark.parametrize("name", sorted(ALL), ids=str)
def test_stored_query_matches_golden(name: str, corpus_graph: ox.Store, update_goldens: bool) -> None:
    q = ALL[name]
    results = sparql.run(corpus_graph, q.text, sparql.example_bindings(q))
    path = golden_path(name)
    if update_goldens:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(golden_text(results), encoding="utf-8")
        pytest.skip(f"rewrote {path.relative_to(GOLDEN)}")
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
    if not q.is_qc:
        assert results.rows, f"{name} finds nothing on the corpus: a query that cannot fail tests nothing"


def test_goldens_have_no_strays() -> None:
    expected = {golden_path(name) for name in ALL}
    assert set(GOLDEN_QUERIES.rglob("*.tsv")) <= expected


@pytest.mark.parametrize("name", sorted(n for n in STORED if STORED[n].params), ids=str)
def test_values_binding_means_the_constants(name: str, corpus_graph: ox.Store) -> None:
    """Binding the examples gives the rows of the query with the example terms written in as constants.

    (Writing values into the text is what the runner never does; here the values are the header's own
    examples, so it is safe, and it shows the VALUES block reaches every place the variable is used.)
    """
    q = STORED[name]
    bindings = sparql.example_bindings(q)
    ours = sparql.run(corpus_graph, q.text, bindings)
    brace = q.text.index("WHERE {")
    where = q.text[brace:]
    for param, value in bindings.items():
        where = re.sub(rf"[?$]{param}(?![A-Za-z0-9_])", lambda _m, v=value: sparql.term_text(v), where)
    constants = sparql.run(corpus_graph, q.text[:brace] + where)
    keep = [i for i, v in enumerate(ours.variables) if v not in bindings]

    def project(results: sparql.Results) -> Counter[tuple[str, ...]]:
        return Counter(tuple(sparql.tsv_term(row[i]) for i in keep) for row in results.rows)

    assert project(ours) == project(constants) and ours.rows


# --------------------------------------------------------------------------------------------------
# parameters are bound by type, never pasted

HOSTILE = [
    'A"',
    "A' ",
    '" } } SELECT * WHERE { ?s ?p ?o } #',
    'A" . } GRAPH ?x { ?s ?p ?o } } #',
    "> <http://evil.example/> ",
    "}",
    '"""',
    "\\",
    "\\u0022 } #",
    "A\n} LIMIT 0 #",
    "# a comment",
    "INSERT DATA { <http://x/s> <http://x/p> <http://x/o> }",
    "DROP ALL ; SELECT * WHERE { ?s ?p ?o }",
    "PREFIX x: <http://x/> SELECT ?s WHERE { ?s ?p ?o }",
    "ünïcødé ✓",
]

ECHO = "SELECT ?echo ?length WHERE { BIND (?value AS ?echo) BIND (STRLEN(?value) AS ?length) }"


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_string_stays_one_literal(value: str) -> None:
    store = ox.Store()
    results = sparql.run(store, ECHO, {"value": sparql.term("string", value)})
    assert results.variables == ["echo", "length"]
    assert len(results.rows) == 1
    echo, length = results.rows[0]
    assert isinstance(echo, ox.Literal) and echo.value == value
    assert isinstance(length, ox.Literal) and int(length.value) == len(value)


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_value_in_a_stored_query_finds_nothing(value: str, corpus_graph: ox.Store) -> None:
    q = STORED["agents-by-likelihood"]
    results = sparql.run(corpus_graph, q.text, {"category": sparql.term("string", value)})
    assert results.variables == ["agent", "category", "high_dose", "scope", "chapter"]
    assert results.rows == []
    q = STORED["trade-name"]
    results = sparql.run(corpus_graph, q.text, {"trade_name": sparql.term("string", value)})
    assert results.rows == []


def test_bound_text_is_the_query_plus_one_values_block() -> None:
    q = STORED["case-reports"]
    bindings = {"pattern": sparql.term("iri", "ltxid:pattern/cholestatic"), "min_grade": sparql.term("integer", "3")}
    bound = sparql.bind(q.text, bindings)
    block = sparql.values_block(bindings)
    integer = "<http://www.w3.org/2001/XMLSchema#integer>"
    assert block == f'VALUES (?pattern ?min_grade) {{ (<{ID}pattern/cholestatic> "3"^^{integer}) }}'
    assert bound.replace(f" {block}\n", "", 1) == q.text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\t\n\r")))
def test_any_string_round_trips(value: str) -> None:
    results = sparql.run(ox.Store(), ECHO, {"value": sparql.term("string", value)})
    assert len(results.rows) == 1
    echo = results.rows[0][0]
    assert isinstance(echo, ox.Literal) and echo.value == value


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("iri", "http://x/> } DROP ALL { <http://y/"),
        ("iri", "<http://example.org/a>"),
        ("iri", "http://example.org/a b"),
        ("iri", 'http://example.org/"'),
        ("iri", "http://example.org/{x}"),
        ("iri", "http://example.org/\\u003e"),
        ("iri", "relative/path"),
        ("iri", ""),
        ("integer", "1; DROP ALL"),
        ("integer", "1e5"),
        ("integer", "1.0"),
        ("integer", ""),
        ("decimal", "1,5"),
        ("decimal", "NaN"),
        ("decimal", "1e3"),
        ("date", "2020-13-01"),
        ("date", "2020-1-1"),
        ("date", "2020-01-01T00:00:00"),
        ("date", '2020-01-01"^^<x>'),
        ("boolean", "yes"),
        ("boolean", "TRUE"),
        ("string", "bell\x07"),
        ("colour", "red"),
    ],
)
def test_values_that_are_not_of_their_type_are_refused(kind: str, value: str) -> None:
    with pytest.raises(QueryError):
        sparql.term(kind, value)


def test_typed_terms() -> None:
    assert sparql.term("iri", "ltxid:pattern/mixed") == ox.NamedNode(ID + "pattern/mixed")
    assert sparql.term("iri", "https://pubmed.ncbi.nlm.nih.gov/2585024/").value.endswith("/2585024/")
    assert str(sparql.term("integer", "+007")) == '"7"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert str(sparql.term("decimal", "2")) == '"2.0"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    assert str(sparql.term("date", "2020-02-29")) == '"2020-02-29"^^<http://www.w3.org/2001/XMLSchema#date>'
    assert str(sparql.term("boolean", "false")) == '"false"^^<http://www.w3.org/2001/XMLSchema#boolean>'
    assert sparql.term_text(sparql.term("string", 'a"b\\c\nd')) == '"a\\"b\\\\c\\nd"'


def test_parameter_checks() -> None:
    q = STORED["case-reports"]
    with pytest.raises(QueryError, match="missing parameter"):
        sparql.bindings_for(q.params, [("pattern", None, "ltxid:pattern/mixed")])
    with pytest.raises(QueryError, match="unknown parameter 'colour'"):
        sparql.bindings_for(q.params, [("colour", None, "red")])
    with pytest.raises(QueryError, match="is a integer, not a date"):
        sparql.bindings_for(q.params, [("pattern", None, "ltxid:pattern/mixed"), ("min_grade", "date", "2020-01-01")])
    with pytest.raises(QueryError, match="give the type"):
        sparql.bindings_for(None, [("since", None, "2020-01-01")])
    with pytest.raises(QueryError, match="bare sub-query"):
        sparql.bind("SELECT * WHERE { SELECT ?x WHERE { } }", {"x": ox.Literal("1")})
    assert sparql.query_form("PREFIX add: <http://x/> PREFIX select: <http://y/> ASK { }") == "ASK"
    assert sparql.query_form("# comment with SELECT\nINSERT DATA { }") == "UPDATE"
    bound = sparql.bind('PREFIX ex: <http://x/> CONSTRUCT { ?s ex:p "{" } WHERE { ?s ex:q ?v }', {"v": ox.Literal("1")})
    assert bound.index("VALUES") > bound.index("WHERE")


def test_values_reach_sub_selects_that_use_them() -> None:
    """A sub-select is evaluated on its own: its WHERE group gets the block too (substitution semantics)."""
    text = (
        "SELECT ?x ?n WHERE { { SELECT ?x (COUNT(*) AS ?n) WHERE { VALUES ?x { 1 2 } FILTER (?x = ?p) } GROUP BY ?x }"
        " { SELECT * WHERE { BIND (3 AS ?other) } } }"
    )
    bound = sparql.bind(text, {"p": sparql.term("integer", "2")})
    assert bound.count("VALUES (?p)") == 2  # the query's WHERE and the sub-select using ?p, not the other
    results = sparql.run(ox.Store(), text, {"p": sparql.term("integer", "2")})
    assert [[t.value if t else None for t in row] for row in results.rows] == [["2", "1"]]


def test_comments_are_stripped_outside_strings_and_iris() -> None:
    text = 'PREFIX ex: <http://x/#a> # note\nSELECT ?s WHERE { ?s ex:p "# not a comment" } # DROP ALL\n'
    assert sparql.strip_comments(text) == 'PREFIX ex: <http://x/#a> \nSELECT ?s WHERE { ?s ex:p "# not a comment" } \n'


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
    before = bag(sparql.run(corpus_graph, check.text))
    after = bag(sparql.run(planted, check.text))
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
    from_catalogue = sparql.run(store, by_name["chapter-references"])
    from_file = sparql.run(store, STORED["chapter-references"].text)
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
    expected = sparql.run(read_only(corpus_location), STORED["high-dose-only"].text)
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == expected.variables
    assert len(root.findall("r:results/r:result", ns)) == len(golden_lines("high-dose-only"))
    code, _, err = run_cli(capsys, "query", "--text", "CONSTRUCT WHERE { ?s ?p ?o }", *store)
    assert code == 2 and "only SELECT and ASK" in err


def golden_lines(name: str) -> list[str]:
    return golden_path(name).read_text(encoding="utf-8").splitlines()[1:]


def test_missing_store_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "query", "likelihood", "--store", str(tmp_path / "none"))
    assert code == 2 and "no store here" in err
