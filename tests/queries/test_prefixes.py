"""Writing SPARQL by hand: the graph's prefixes need no declaration (``queries/prefixes.py``), a syntax
error is one line naming the place and what to do (``queries/syntax.py``), ``table`` output writes IRIs
with the prefixes."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from livertox_kg.cli import main
from livertox_kg.errors import QueryError
from livertox_kg.queries.params import term
from livertox_kg.queries.prefixes import QUERY_PREFIXES, declarations, shorten, undeclared, unknown
from livertox_kg.queries.run import run as run_query
from livertox_kg.rdf.vocab import GRAPH, ID, LTX, PREFIXES, SKOS


def test_the_graphs_prefixes_and_ltxg_need_no_declaration() -> None:
    assert {**PREFIXES, "ltxg": GRAPH} == QUERY_PREFIXES
    text = 'PREFIX ltx: <http://example.org/> SELECT * WHERE { GRAPH ltxg:Codeine { ?s ltx:x ?o ; skos:y "a:b" } }'
    assert undeclared(text) == {"ltxg": GRAPH, "skos": SKOS.iri}  # ltx: is the query's own; "a:b" is a string
    assert unknown(text) is None
    assert unknown("SELECT * WHERE { ?s skso:prefLabel ?o ; rdfs:label ?l }") == ("skso", 20)
    assert declarations({"skos": SKOS.iri}) == f"PREFIX skos: <{SKOS.iri}>\n" and declarations({}) == ""


def test_shorten_takes_the_most_specific_prefix_and_only_names() -> None:
    assert shorten(LTX.Agent) == "ltx:Agent"
    assert shorten(ID + "chapter/Codeine/likelihood/1") == "ltxid:chapter/Codeine/likelihood/1"
    assert shorten(GRAPH + "Codeine") == "ltxg:Codeine"
    assert shorten(ID + "work/a b") == ID + "work/a b"  # not a name: written whole
    assert shorten("https://pubmed.ncbi.nlm.nih.gov/2585024/") == "https://pubmed.ncbi.nlm.nih.gov/2585024/"


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_text_and_file_use_the_prefixes_undeclared(
    sample_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = ["--store", str(sample_store)]
    text = 'SELECT ?c ?kind WHERE { GRAPH ltxg:Codeine { ?c ltx:chapterId "Codeine" ; a ?kind } } ORDER BY ?kind'
    code, out, _ = run_cli(capsys, "query", "--text", text, "--format", "csv", *store)
    assert code == 0
    assert out.splitlines()[1:] == [f"{ID}chapter/Codeine,{LTX.Chapter}", f"{ID}chapter/Codeine,{LTX.DrugChapter}"]
    code, table, _ = run_cli(capsys, "query", "--text", text, *store)
    assert code == 0 and table.splitlines()[2].split() == ["ltxid:chapter/Codeine", "ltx:Chapter"]
    rq = tmp_path / "mine.rq"
    rq.write_text(text.replace("Codeine", "Mesalamine"), encoding="utf-8")
    code, out, _ = run_cli(capsys, "query", "--file", str(rq), "--format", "tsv", *store)
    assert code == 0 and len(out.splitlines()) == 3 and f"<{ID}chapter/Mesalamine>" in out
    # a prefix the query declares is its own
    own = "PREFIX ltx: <http://example.org/> " + text
    code, out, _ = run_cli(capsys, "query", "--text", own, "--format", "csv", *store)
    assert code == 0 and out == "c,kind\r\n"


SYNTAX_ERRORS = [
    (
        "SELECT * WHERE { ?s skso:prefLabel ?o }",
        "line 1, column 21: the prefix skso: is not declared; did you mean skos:?",
    ),
    ("SELECT * WHERE { ?s zzz:prefLabel ?o }", "the prefix zzz: is not declared; declare it (PREFIX zzz: <...>)"),
    ("SELECT * WHERE {\n  ?s ltx:label ?o .\n  ?s ?p\n}", "line 4, column 1, near '}': expected one of"),
    ("SELECT ?x WHERE { ?x ?p ?o } ORDER ?x", "line 1, column 36, near '?x': expected BY"),
    ("SELECT * WHERE { ?s ?p ?o ", "at the end of the query: expected one of ',', '.', ';'"),
    ("SELECT * WHERE { ?s <http://x/a b> ?o }", "expected an absolute IRI inside < >"),
]


@pytest.mark.parametrize(("text", "message"), SYNTAX_ERRORS, ids=range(len(SYNTAX_ERRORS)))
def test_a_syntax_error_is_one_readable_line(
    text: str, message: str, sample_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(capsys, "query", "--text", text, "--store", str(sample_store))
    assert code == 2 and err.count("\n") == 1, err
    assert err.startswith("livertox-kg: error: query is not valid SPARQL: ") and message in err
    assert "..=" not in err and "[_]" not in err  # pyoxigraph's character classes are left out


def test_a_syntax_error_names_the_line_of_the_text_with_parameters_bound() -> None:
    """Binding puts blocks into the text the store gets; the error still names the place in the query."""
    text = "SELECT ?x WHERE {\n  { SELECT ?x WHERE { BIND (?v AS ?x) } }\n  ?x ?p\n}"
    with pytest.raises(QueryError, match=r"line 4, column 1, near '\}'"):
        run_query(ox.Store(), text, {"v": term("string", "a"), "x": term("name", "A")})
