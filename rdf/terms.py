"""RDF terms and statements as N-Triples text, written and read: the one place that escapes and unescapes.

The pipeline keeps terms as N-Triples text (``<iri>``, ``"text"``, ``"text"@en``, ``"5"^^<...#integer>``):
the chapter mapping writes them (the store bulk-loads the text in Rust, which is cheaper than building a term
object per triple in Python), ``str()`` of a pyoxigraph term gives them, and the validator, the exports and
the dataset description read them without building a Python object per term.

Writing (:func:`iri`, :func:`lit`, :func:`boolean`, :func:`integer`, :func:`decimal`) escapes what
N-Triples requires (``\\``, ``"``, line ends, tabs, other control characters as ``\\uXXXX``). Reading
(:func:`literal_parts`, :func:`lexical`, :func:`unescape`, :func:`split_statement`) takes any valid
N-Triples term. No library does this here: rdflib and pyoxigraph both build a term object per term, and that
object, not the text, is what costs (``bench/profile_build.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from livertox_kg.rdf.vocab import RDF, XSD

Statement = str  # one triple as N-Triples text without the final " ." ("<s> <p> <o>")

XSD_STRING: Final = XSD.string
RDF_LANGSTRING: Final = RDF.iri + "langString"

_ESCAPES: Final = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_NEEDS_ESCAPE: Final = re.compile(r'[\\"\x00-\x1f\x7f]')
_UNESCAPE: Final = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_SIMPLE_UNESCAPES: Final = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


# --------------------------------------------------------------------------------------------------
# writing


def iri(value: str) -> str:
    """``http://x`` -> ``<http://x>`` (the IRI is not checked: IRIs come from :mod:`livertox_kg.rdf.iris`)."""
    return f"<{value}>"


def _escape_char(m: re.Match[str]) -> str:
    ch = m.group(0)
    return _ESCAPES.get(ch) or f"\\u{ord(ch):04X}"


def escape(value: str) -> str:
    """The body of an N-Triples string literal for ``value``."""
    return _NEEDS_ESCAPE.sub(_escape_char, value) if _NEEDS_ESCAPE.search(value) else value


def lit(value: str, datatype: str | None = None, language: str | None = None) -> str:
    """A literal; plain strings are ``xsd:string``, written without a datatype as RDF 1.1 allows."""
    body = f'"{escape(value)}"'
    if language:
        return f"{body}@{language}"
    return f"{body}^^<{datatype}>" if datatype and datatype != XSD_STRING else body


def boolean(value: bool) -> str:
    return lit("true" if value else "false", XSD.boolean)


def integer(value: int) -> str:
    return lit(str(value), XSD.integer)


def decimal(value: float) -> str:
    """An ``xsd:decimal`` from a float, by its shortest repr (``2.5``; ``3`` becomes ``3.0``)."""
    text = repr(value)
    return lit(text if "." in text else f"{text}.0", XSD.decimal)


def ntriples(statements: Iterable[Statement]) -> str:
    """An N-Triples document of ``statements``, in the order given."""
    return "".join(f"{line} .\n" for line in statements)


def nquads(statements: Iterable[Statement], graph_iri: str) -> str:
    """An N-Quads document of ``statements`` in the named graph ``graph_iri``, in the order given."""
    tail = f" <{graph_iri}> .\n"
    return "".join(line + tail for line in statements)


# --------------------------------------------------------------------------------------------------
# reading


def is_iri(term: str) -> bool:
    return term.startswith("<")


def is_blank(term: str) -> bool:
    return term.startswith("_:")


def is_literal(term: str) -> bool:
    return term.startswith('"')


def iri_value(term: str) -> str:
    """``<http://x>`` -> ``http://x``."""
    return term[1:-1]


def _unescape_match(m: re.Match[str]) -> str:
    if m.group(1) or m.group(2):
        return chr(int(m.group(1) or m.group(2), 16))
    return _SIMPLE_UNESCAPES.get(m.group(3), m.group(0))


def unescape(text: str) -> str:
    """The string an N-Triples string body stands for (``\\n``, ``\\"``, ``\\u00E9``, ...)."""
    return _UNESCAPE.sub(_unescape_match, text) if "\\" in text else text


def literal_parts(term: str) -> tuple[str, str, str | None]:
    """``(lexical form, datatype IRI, language)`` of a literal term."""
    end = term.rindex('"')
    lexical_form = unescape(term[1:end])
    tail = term[end + 1 :]
    if not tail:
        return lexical_form, XSD_STRING, None
    if tail[0] == "@":
        return lexical_form, RDF_LANGSTRING, tail[1:]
    return lexical_form, tail[3:-1], None  # ^^<datatype>


def lexical(term: str) -> str:
    """What SPARQL's ``STR()`` gives: the lexical form of a literal, the IRI of an IRI, the label of a blank node."""
    if is_literal(term):
        return literal_parts(term)[0]
    if is_iri(term):
        return iri_value(term)
    return term[2:]


def canonical(term: str) -> str:
    """The form pyoxigraph prints: ``\\b`` and ``\\f`` as short escapes (:func:`lit` writes ``\\u0008``,
    ``\\u000C``, and keeps doing so: the chapters' checksums are of the text it writes)."""
    if "\\u000" in term:
        return term.replace("\\u0008", "\\b").replace("\\u000C", "\\f").replace("\\u000c", "\\f")
    return term


def split_statement(line: str) -> tuple[str, str, str]:
    """``(subject, predicate, object)`` of one N-Triples line (with or without its final `` .``).

    Subjects and predicates never contain a space (IRIs and blank node labels cannot), so two splits find them.
    """
    s, p, rest = line.split(" ", 2)
    return s, p, rest[:-2] if rest.endswith(" .") else rest
