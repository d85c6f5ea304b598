"""Parameters are bound by type, never pasted: one ``VALUES`` block per group that needs it
(``queries/sparql_text.py``), on the embedded store and on an endpoint alike; and why pyoxigraph's own
``substitutions`` cannot do it for the stored queries."""

from __future__ import annotations

import re
from collections import Counter

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib.plugins.sparql.parser import parseQuery

from livertox_kg.errors import QueryError
from livertox_kg.queries.headers import stored_queries
from livertox_kg.queries.params import AnyCase, example_bindings, term
from livertox_kg.queries.results import Results, tsv_term
from livertox_kg.queries.run import run as run_query
from livertox_kg.queries.sparql_text import bind, prefixes, query_form, strip_comments, term_text, values_block
from livertox_kg.rdf.vocab import ID
from tests.conftest import GOLDEN
from tests.support.stores import bag, corpus_store, read_only

STORED = stored_queries()


@pytest.fixture(scope="module")
def corpus_graph(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    return read_only(corpus_store(tmp_path_factory))


@pytest.mark.parametrize("name", sorted(n for n in STORED if STORED[n].params), ids=str)
def test_values_binding_means_the_constants(name: str, corpus_graph: ox.Store) -> None:
    """Binding the examples gives the rows of the query with the example terms written in as constants.

    (Writing values into the text is what the runner never does; here the values are the header's own
    examples, so it is safe, and it shows the VALUES block reaches every place the variable is used.)
    """
    q = STORED[name]
    bindings = example_bindings(q.params)
    ours = run_query(corpus_graph, q.text, bindings)
    brace = q.text.index("WHERE {")
    where = q.text[brace:]
    for param, value in bindings.items():
        constant = term_text(value.literal if isinstance(value, AnyCase) else value)  # a name: as printed
        where = re.sub(rf"[?$]{param}(?![A-Za-z0-9_])", lambda _m, c=constant: c, where)
    constants = run_query(corpus_graph, q.text[:brace] + where)
    keep = [i for i, v in enumerate(ours.variables) if v not in bindings]

    def project(results: Results) -> Counter[tuple[str, ...]]:
        return Counter(tuple(tsv_term(row[i]) for i in keep) for row in results.rows)

    assert project(ours) == project(constants) and ours.rows


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
    results = run_query(store, ECHO, {"value": term("string", value)})
    assert results.variables == ["echo", "length"]
    assert len(results.rows) == 1
    echo, length = results.rows[0]
    assert isinstance(echo, ox.Literal) and echo.value == value
    assert isinstance(length, ox.Literal) and int(length.value) == len(value)


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_value_in_a_stored_query_finds_nothing(value: str, corpus_graph: ox.Store) -> None:
    q = STORED["agents-by-likelihood"]
    results = run_query(corpus_graph, q.text, {"category": term("string", value)})
    assert results.variables == ["agent", "category", "high_dose", "scope", "chapter"]
    assert results.rows == []
    q = STORED["trade-name"]
    results = run_query(corpus_graph, q.text, {"trade_name": term("string", value)})
    assert results.rows == []


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_name_stays_one_literal(value: str, corpus_graph: ox.Store) -> None:
    """A name is bound as a FILTER comparing with one literal: it matches itself in another letter case and
    nothing else, whatever it holds."""
    echo = "SELECT ?n WHERE { BIND (?given AS ?n) }"
    same = {"given": term("string", value), "n": term("name", value.swapcase())}
    assert len(run_query(ox.Store(), echo, same).rows) == 1
    other = {"given": term("string", value + "x"), "n": term("name", value)}
    assert run_query(ox.Store(), echo, other).rows == []
    q = STORED["likelihood"]
    results = run_query(corpus_graph, q.text, {"agent": term("name", value)})
    assert results.variables == ["chapter", "agent", "category", "high_dose", "scope"] and results.rows == []


def test_a_name_filters_the_groups_where_it_is_in_scope() -> None:
    """The FILTER goes where the variable is bound: the top-level group, or the sub-select that binds it, not
    a group around that sub-select (where the variable is out of scope and the FILTER would drop every row)."""
    text = 'SELECT ?n WHERE { { SELECT ?n WHERE { { SELECT ?n ?x WHERE { VALUES (?n ?x) { ("Aa" 1) ("b" 2) } } } } } }'
    name = {"n": term("name", "AA")}
    bound = bind(text, name)
    assert bound.count('FILTER (LCASE(STR(?n)) = LCASE("AA"))') == 3  # the top level and both sub-selects project ?n
    assert [[t.value for t in row if t] for row in run_query(ox.Store(), text, name).rows] == [["Aa"]]
    inner = 'SELECT ?x WHERE { { SELECT ?x WHERE { VALUES (?n ?x) { ("Aa" 1) ("b" 2) } } } }'
    assert bind(inner, name).count("FILTER") == 1  # ?n is in scope in the sub-select only
    assert [[t.value for t in row if t] for row in run_query(ox.Store(), inner, name).rows] == [["1"]]
    with pytest.raises(QueryError, match="names no variable"):
        bind("SELECT ?x WHERE { BIND (1 AS ?x) }", name)


def test_bound_text_is_the_query_plus_one_values_block() -> None:
    q = STORED["case-reports"]
    bindings = {"pattern": term("iri", "ltxid:pattern/cholestatic"), "min_grade": term("integer", "3")}
    bound = bind(q.text, bindings)
    block = values_block(bindings)
    integer = "<http://www.w3.org/2001/XMLSchema#integer>"
    assert block == f'VALUES (?pattern ?min_grade) {{ (<{ID}pattern/cholestatic> "3"^^{integer}) }}'
    assert bound.replace(f" {block}\n", "", 1) == q.text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\t\n\r")))
def test_any_string_round_trips(value: str) -> None:
    results = run_query(ox.Store(), ECHO, {"value": term("string", value)})
    assert len(results.rows) == 1
    echo = results.rows[0][0]
    assert isinstance(echo, ox.Literal) and echo.value == value


def test_binding_refuses_a_bare_sub_query_and_reads_query_forms() -> None:
    with pytest.raises(QueryError, match="bare sub-query"):
        bind("SELECT * WHERE { SELECT ?x WHERE { } }", {"x": ox.Literal("1")})
    assert query_form("PREFIX add: <http://x/> PREFIX select: <http://y/> ASK { }") == "ASK"
    assert query_form("# comment with SELECT\nINSERT DATA { }") == "UPDATE"
    bound = bind('PREFIX ex: <http://x/> CONSTRUCT { ?s ex:p "{" } WHERE { ?s ex:q ?v }', {"v": ox.Literal("1")})
    assert bound.index("VALUES") > bound.index("WHERE")


def test_values_reach_sub_selects_that_use_them() -> None:
    """A sub-select is evaluated on its own: its WHERE group gets the block too (substitution semantics)."""
    text = (
        "SELECT ?x ?n WHERE { { SELECT ?x (COUNT(*) AS ?n) WHERE { VALUES ?x { 1 2 } FILTER (?x = ?p) } GROUP BY ?x }"
        " { SELECT * WHERE { BIND (3 AS ?other) } } }"
    )
    bound = bind(text, {"p": term("integer", "2")})
    assert bound.count("VALUES (?p)") == 2  # the query's WHERE and the sub-select using ?p, not the other
    results = run_query(ox.Store(), text, {"p": term("integer", "2")})
    assert [[t.value if t else None for t in row] for row in results.rows] == [["2", "1"]]


def test_comments_are_stripped_outside_strings_and_iris() -> None:
    text = 'PREFIX ex: <http://x/#a> # note\nSELECT ?s WHERE { ?s ex:p "# not a comment" } # DROP ALL\n'
    assert strip_comments(text) == 'PREFIX ex: <http://x/#a> \nSELECT ?s WHERE { ?s ex:p "# not a comment" } \n'


def test_prefixes_are_the_prologue_declarations() -> None:
    text = (
        "PREFIX ltx: <https://w3id.org/livertox-kg/ontology#>\n# PREFIX no: <http://no/>\n"
        "prefix : <http://x/> BASE <http://b/> PREFIX a.b-c: <http://y/>\n"
        'SELECT * WHERE { ?s ?p "PREFIX z: <http://z/>" }'
    )
    assert prefixes(text) == [
        ("ltx", "https://w3id.org/livertox-kg/ontology#"),
        ("", "http://x/"),
        ("a.b-c", "http://y/"),
    ]


@pytest.mark.parametrize("name", sorted(STORED), ids=str)
def test_prefixes_agree_with_rdflibs_parser(name: str) -> None:
    """An independent SPARQL parser reads the same declarations (the catalogue lists them)."""
    prologue = parseQuery(STORED[name].text)[0]
    expected = [(d.get("prefix", ""), str(d["iri"])) for d in prologue if d.name == "PrefixDecl"]
    assert prefixes(STORED[name].text) == expected and expected


def test_term_text_is_pyoxigraphs_form_and_never_a_u_escape() -> None:
    assert term_text(term("string", "a\x0cb\tc\nd")) == '"a\\fb\\tc\\nd"'
    assert term_text(ox.Literal("x", language="en")) == '"x"@en'
    assert term_text(term("iri", "ltxid:pattern/mixed")) == f"<{ID}pattern/mixed>"
    for control in ("\x00", "\x07", "\x0b", "\x1f", "\x7f"):  # pyoxigraph would write these as \u00XX
        with pytest.raises(QueryError, match="control characters"):
            term_text(ox.Literal(f"a{control}"))


# --------------------------------------------------------------------------------------------------
# why the binder is ours on the embedded store too: what pyoxigraph's own substitutions can do

GOLDEN_QUERIES = GOLDEN / "queries"


def golden_bag(name: str) -> Counter[str]:
    return Counter((GOLDEN_QUERIES / f"{name}.tsv").read_text(encoding="utf-8").splitlines()[1:])


@pytest.mark.parametrize("name", sorted(n for n in STORED if STORED[n].params), ids=str)
def test_pyoxigraph_substitutions_bind_only_projected_variables(name: str, corpus_graph: ox.Store) -> None:
    """pyoxigraph 0.5's ``Store.query(substitutions=...)`` takes only variables of the SELECT clause. Where a
    stored query projects its parameters it gives the golden rows, as our binder does; every other stored
    query it refuses. (If this fails, pyoxigraph binds more now: see whether ``run`` can use it.)"""
    q = STORED[name]
    bindings = example_bindings(q.params)
    columns = run_query(ox.Store(), q.text).variables
    substitutions = {ox.Variable(n): t.literal if isinstance(t, AnyCase) else t for n, t in bindings.items()}
    if all(n in columns for n in bindings):
        solutions = corpus_graph.query(q.text, substitutions=substitutions, use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions)
        assert (
            bag(Results(columns, [list(s) for s in solutions]))
            == golden_bag(name)
            == bag(run_query(corpus_graph, q.text, bindings))
        )
    else:
        with pytest.raises(RuntimeError, match="SELECT projection"):
            list(corpus_graph.query(q.text, substitutions=substitutions, use_default_graph_as_union=True))


def test_pyoxigraph_substitutions_do_not_reach_a_sub_select_that_does_not_project_the_variable() -> None:
    """The stored queries use their parameters in such sub-selects; our block goes into them too."""
    text = "SELECT ?p ?x WHERE { { SELECT ?x WHERE { VALUES ?x { 1 2 3 } FILTER (?x = ?p) } } }"
    two = term("integer", "2")
    ours = run_query(ox.Store(), text, {"p": two})
    assert [[t.value if t else None for t in row] for row in ours.rows] == [["2", "2"]]
    assert list(ox.Store().query(text, substitutions={ox.Variable("p"): two})) == []
