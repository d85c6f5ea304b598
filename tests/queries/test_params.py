"""Parameter values are checked by type and become one RDF term each (``queries/params.py``)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from livertox_kg.errors import QueryError
from livertox_kg.queries.headers import stored_queries
from livertox_kg.queries.params import AnyCase, bindings_for, example_bindings, parse_param_args, term
from livertox_kg.queries.sparql_text import term_text
from livertox_kg.rdf.vocab import ID

STORED = stored_queries()


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
        ("name", "bell\x07"),
        ("colour", "red"),
    ],
)
def test_values_that_are_not_of_their_type_are_refused(kind: str, value: str) -> None:
    with pytest.raises(QueryError):
        term(kind, value)


def test_typed_terms() -> None:
    assert term("iri", "ltxid:pattern/mixed") == ox.NamedNode(ID + "pattern/mixed")
    assert term("iri", "https://pubmed.ncbi.nlm.nih.gov/2585024/").value.endswith("/2585024/")
    assert str(term("integer", "+007")) == '"7"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert str(term("decimal", "2")) == '"2.0"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    assert str(term("date", "2020-02-29")) == '"2020-02-29"^^<http://www.w3.org/2001/XMLSchema#date>'
    assert str(term("boolean", "false")) == '"false"^^<http://www.w3.org/2001/XMLSchema#boolean>'
    assert term_text(term("string", 'a"b\\c\nd')) == '"a\\"b\\\\c\\nd"'


def test_a_name_is_a_literal_matched_with_letter_case_ignored() -> None:
    value = term("name", "Isoniazid")
    assert isinstance(value, AnyCase) and value.literal == ox.Literal("Isoniazid")


def test_an_optional_parameter_may_be_left_out_and_is_then_not_bound() -> None:
    q = STORED["likelihood"]
    (agent,) = q.params
    assert agent.optional
    assert bindings_for(q.params, []) == {} == example_bindings(q.params)
    assert bindings_for(q.params, [("agent", None, "isoniazid")]) == {"agent": AnyCase(ox.Literal("isoniazid"))}
    with pytest.raises(QueryError, match="is a name, not a string"):
        bindings_for(q.params, [("agent", "string", "isoniazid")])
    cases = STORED["case-reports"]  # an optional parameter beside required ones
    assert set(example_bindings(cases.params)) == {"pattern", "min_grade"}
    with pytest.raises(QueryError, match=r"missing parameter.*min_grade"):
        bindings_for(cases.params, [("pattern", None, "ltxid:pattern/mixed"), ("chapter", None, "Isoniazid")])


def test_parameter_checks() -> None:
    q = STORED["case-reports"]
    with pytest.raises(QueryError, match="missing parameter"):
        bindings_for(q.params, [("pattern", None, "ltxid:pattern/mixed")])
    with pytest.raises(QueryError, match="unknown parameter 'colour'"):
        bindings_for(q.params, [("colour", None, "red")])
    with pytest.raises(QueryError, match="is a integer, not a date"):
        bindings_for(q.params, [("pattern", None, "ltxid:pattern/mixed"), ("min_grade", "date", "2020-01-01")])
    with pytest.raises(QueryError, match="give the type"):
        bindings_for(None, [("since", None, "2020-01-01")])


def test_param_arguments_are_name_type_value() -> None:
    assert parse_param_args(["since:date=2020-01-01", "cas=54-85-3", "text=a=b"]) == [
        ("since", "date", "2020-01-01"),
        ("cas", None, "54-85-3"),
        ("text", None, "a=b"),
    ]
    with pytest.raises(QueryError, match="expected NAME=VALUE"):
        parse_param_args(["since"])
    with pytest.raises(QueryError, match="parameter name 'Since'"):
        parse_param_args(["Since=2020-01-01"])
