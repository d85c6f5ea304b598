"""The stored queries' files and their strict ``#+`` headers (``queries/headers.py``)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib.plugins.sparql import prepareQuery

from livertox_kg.errors import QueryError
from livertox_kg.queries.headers import all_queries, parse_stored, qc_queries, stored_queries
from livertox_kg.queries.params import term
from livertox_kg.queries.sparql_text import query_form

ALL = all_queries()
STORED = stored_queries()
QC = qc_queries()


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
        assert p.description and term(p.type, p.example) is not None
    # an independent SPARQL 1.1 parser (rdflib's) must accept it too, so no engine-specific syntax slips in
    prepareQuery(q.text)
    assert query_form(q.text) == "SELECT"


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
    (H + "#+   x | integer | 1 | d | maybe\n#+ tags: t\nSELECT ?x {}", "fifth field can only be 'optional'"),
    (H + "#+   x | integer | 1 | d | optional | more\n#+ tags: t\nSELECT ?x {}", "parameter line"),
    (H + "#+   x | name | Isoniazid | d | optional\n#+ tags: t\nSELECT ?y {}", "no variable ?x"),
]


@pytest.mark.parametrize(("text", "message"), HEADER_ERRORS, ids=[m for _, m in HEADER_ERRORS])
def test_malformed_headers_are_errors_naming_file_and_line(text: str, message: str) -> None:
    with pytest.raises(QueryError) as info:
        parse_stored("broken", text)
    assert message in str(info.value)
    assert str(info.value).startswith("queries/broken.rq")


def test_a_parameter_may_be_marked_optional() -> None:
    line = "#+   agent | name | Isoniazid | only this agent"
    q = parse_stored("x", f"{H}{line} | optional\n#+ tags: t\nSELECT ?agent {{}}")
    (param,) = q.params
    assert (param.name, param.type, param.optional) == ("agent", "name", True)
    assert param.signature() == "agent (name, optional, e.g. Isoniazid)"
    assert not parse_stored("y", f"{H}{line}\n#+ tags: t\nSELECT ?agent {{}}").params[0].optional


def test_header_continuations_and_params_are_read() -> None:
    q = STORED["case-reports"]
    assert [(p.name, p.type, p.optional) for p in q.params] == [
        ("pattern", "iri", False),
        ("min_grade", "integer", False),
        ("chapter", "name", True),
    ]
    assert "DILIN" in q.description and "\n" not in q.description
    assert q.examples() == {"pattern": "ltxid:pattern/hepatocellular", "min_grade": "4", "chapter": "Isoniazid"}
