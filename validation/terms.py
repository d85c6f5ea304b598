"""RDF terms as N-Triples text, the form :mod:`livertox_kg.rdf.chapter` writes and ``str()`` of a pyoxigraph term gives.

``<iri>``, ``_:b0``, ``"text"``, ``"text"@en``, ``"5"^^<http://www.w3.org/2001/XMLSchema#integer>``. Keeping
terms as strings lets the validator index a whole graph without building a Python object per term.

Literal checks follow rdflib's lexical-to-value rules (``int()``, ``Decimal()``, rdflib's date parser), the
rules pySHACL's ``sh:datatype`` uses, so both engines call the same literals ill-typed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Final

from livertox_kg.rdf import vocab

XSD: Final = vocab.XSD.iri
XSD_STRING: Final = vocab.XSD.string
RDF_LANGSTRING: Final = vocab.RDF.iri + "langString"
NUMERIC_TYPES: Final = frozenset(
    XSD + t
    for t in (
        "integer", "decimal", "float", "double", "int", "long", "short", "byte", "nonNegativeInteger",
        "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
        "unsignedShort", "unsignedByte",
    )
)  # fmt: skip

_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_SIMPLE_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def is_iri(term: str) -> bool:
    return term.startswith("<")


def is_blank(term: str) -> bool:
    return term.startswith("_:")


def is_literal(term: str) -> bool:
    return term.startswith('"')


def iri(value: str) -> str:
    return f"<{value}>"


def iri_value(term: str) -> str:
    """``<http://x>`` -> ``http://x``."""
    return term[1:-1]


def _unescape_match(m: re.Match[str]) -> str:
    if m.group(1) or m.group(2):
        return chr(int(m.group(1) or m.group(2), 16))
    return _SIMPLE_ESCAPES.get(m.group(3), m.group(0))


def unescape(text: str) -> str:
    return _ESCAPE.sub(_unescape_match, text) if "\\" in text else text


def literal_parts(term: str) -> tuple[str, str, str | None]:
    """``(lexical form, datatype IRI, language)`` of a literal term."""
    end = term.rindex('"')
    lexical = unescape(term[1:end])
    tail = term[end + 1 :]
    if not tail:
        return lexical, XSD_STRING, None
    if tail[0] == "@":
        return lexical, RDF_LANGSTRING, tail[1:]
    return lexical, tail[3:-1], None  # ^^<datatype>


def lexical(term: str) -> str:
    """What SPARQL's ``STR()`` gives: the lexical form of a literal, the IRI of an IRI, the label of a blank node."""
    if is_literal(term):
        return literal_parts(term)[0]
    if is_iri(term):
        return iri_value(term)
    return term[2:]


def canonical(term: str) -> str:
    """The form pyoxigraph prints: ``\\b`` and ``\\f`` as short escapes (``rdf.py`` writes ``\\u0008``, ``\\u000C``)."""
    if "\\u000" in term:
        return term.replace("\\u0008", "\\b").replace("\\u000C", "\\f").replace("\\u000c", "\\f")
    return term


def _date(text: str) -> object:
    """rdflib's ``parse_xsd_date``: a timezone is dropped; the rest must be an ISO calendar date."""
    if text.endswith(("Z", "z")):
        text = text[:-1]
    minus = text.startswith("-")
    if minus:
        text = text[1:]
    if "T" in text:
        text = text.split("T")[0]
    else:
        plus = text.rfind("+")
        if plus > 0:
            text = text[:plus]
        else:
            parts = text.rsplit("-", 1)
            if len(parts) > 1 and ":" in parts[-1]:
                text = parts[0]
    if "-" not in text:
        raise ValueError("not a date")
    return dt.date.fromisoformat(("-" + text) if minus else text)


_VALUE_PARSERS: dict[str, Callable[[str], object]] = {
    XSD + "integer": int,
    XSD + "int": int,
    XSD + "long": int,
    XSD + "decimal": Decimal,
    XSD + "double": float,
    XSD + "float": float,
    XSD + "date": _date,
    XSD + "dateTime": dt.datetime.fromisoformat,
}


def numeric_value(term: str) -> int | float | Decimal | None:
    """The number a numeric literal stands for, or ``None`` (not a literal, not numeric, ill-typed)."""
    if not is_literal(term):
        return None
    text, datatype, _ = literal_parts(term)
    if datatype not in NUMERIC_TYPES:
        return None
    parser = _VALUE_PARSERS.get(datatype, int)
    try:
        value = parser(text)
    except (ValueError, ArithmeticError, InvalidOperation):
        return None
    return value if isinstance(value, int | float | Decimal) else None


def well_typed(text: str, datatype: str) -> bool:
    """Whether the lexical form is in the datatype's lexical space, as rdflib decides it.

    Datatypes rdflib does not check (``xsd:gYear``, ``xsd:anyURI``, ...) are always well typed here too: a
    shape that needs more adds an ``sh:pattern``.
    """
    if datatype == XSD + "boolean":
        return text in ("true", "false", "1", "0")
    parser = _VALUE_PARSERS.get(datatype)
    if parser is None:
        return True
    try:
        parser(text)
    except (ValueError, ArithmeticError, InvalidOperation):
        return False
    return True


def short(term: str, prefixes: dict[str, str]) -> str:
    """A readable form: ``ltx:Drug`` for IRIs in a known namespace, the text of a literal, else the term."""
    if is_iri(term):
        value = iri_value(term)
        for prefix, namespace in prefixes.items():
            if value.startswith(namespace) and len(value) > len(namespace):
                return f"{prefix}:{value[len(namespace) :]}"
        return value
    if is_literal(term):
        text, datatype, lang = literal_parts(term)
        if lang:
            return f'"{text}"@{lang}'
        if datatype != XSD_STRING:
            return f'"{text}"^^{short(iri(datatype), prefixes)}'
        return f'"{text}"'
    return term
