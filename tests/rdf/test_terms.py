"""rdf/terms.py, the one N-Triples escaping and unescaping: what it writes, pyoxigraph reads as the same value;
what pyoxigraph writes, it reads as the same value (hypothesis over any text, control characters included)."""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import given
from hypothesis import strategies as st

from livertox_kg.rdf import terms
from livertox_kg.rdf.vocab import XSD

TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)
TRICKY = 'a"b\\c\nd\re\tf\x00g\x08h\x0ci\x7fj é \U0001f600 \\u0041'


def _read(term: str) -> ox.Literal:
    (triple,) = ox.parse(f"<http://s> <http://p> {term} .\n".encode(), format=ox.RdfFormat.N_TRIPLES)
    assert isinstance(triple.object, ox.Literal)
    return triple.object


@given(TEXT)
def test_what_lit_writes_pyoxigraph_reads_as_the_same_string(value: str) -> None:
    read = _read(terms.lit(value))
    assert read.value == value and read.datatype == ox.NamedNode(XSD.string)
    tagged = _read(terms.lit(value, language="en"))
    assert tagged.value == value and tagged.language == "en"


@given(TEXT)
def test_what_pyoxigraph_writes_literal_parts_reads_as_the_same_string(value: str) -> None:
    assert terms.literal_parts(str(ox.Literal(value))) == (value, XSD.string, None)
    assert terms.literal_parts(str(ox.Literal(value, language="de"))) == (value, terms.RDF_LANGSTRING, "de")
    typed = str(ox.Literal(value, datatype=ox.NamedNode(XSD.gYear)))
    assert terms.literal_parts(typed) == (value, XSD.gYear, None)
    assert terms.lexical(typed) == value


def test_escapes() -> None:
    assert terms.lit(TRICKY) == '"a\\"b\\\\c\\nd\\re\\tf\\u0000g\\u0008h\\u000Ci\\u007Fj é \U0001f600 \\\\u0041"'
    assert terms.unescape("\\u00E9\\U0001F600\\b\\f\\'") == "é\U0001f600\b\f'"
    assert terms.canonical(terms.lit("\x08\x0c")) == str(ox.Literal("\x08\x0c"))


def test_typed_terms() -> None:
    assert _read(terms.integer(-12)) == ox.Literal("-12", datatype=ox.NamedNode(XSD.integer))
    assert _read(terms.boolean(False)) == ox.Literal("false", datatype=ox.NamedNode(XSD.boolean))
    assert _read(terms.decimal(3.0)) == ox.Literal("3.0", datatype=ox.NamedNode(XSD.decimal))
    assert _read(terms.decimal(2.25)).value == "2.25"
    assert terms.lit("2024", XSD.gYear) == f'"2024"^^<{XSD.gYear}>'
    assert terms.lit("x", XSD.string) == '"x"', "xsd:string is written without its datatype"


def test_statements() -> None:
    line = f"<http://s> <http://p> {terms.lit('a b .')} ."
    assert terms.split_statement(line) == ("<http://s>", "<http://p>", '"a b ."')
    assert terms.split_statement(line[:-2]) == ("<http://s>", "<http://p>", '"a b ."')
    text = terms.nquads(["<http://s> <http://p> <http://o>"], "http://g")
    (quad,) = ox.parse(text.encode(), format=ox.RdfFormat.N_QUADS)
    assert quad.graph_name == ox.NamedNode("http://g")
    assert terms.ntriples(["<http://s> <http://p> <http://o>"]) == "<http://s> <http://p> <http://o> .\n"
    assert terms.lexical("<http://x>") == "http://x" and terms.lexical("_:b1") == "b1"
