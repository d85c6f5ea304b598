"""RDF terms as N-Triples text, the form :mod:`livertox_kg.rdf.chapter` writes and ``str()`` of a pyoxigraph term gives.

Reading and writing the text is :mod:`livertox_kg.rdf.terms` (re-exported here); this module adds what
validation needs on top: literal values and lexical-space checks, and the short forms reports print.

``<iri>``, ``_:b0``, ``"text"``, ``"text"@en``, ``"5"^^<http://www.w3.org/2001/XMLSchema#integer>``. Keeping
terms as strings lets the validator index a whole graph without building a Python object per term.

Literal checks follow rdflib's lexical-to-value rules (``int()``, ``Decimal()``, rdflib's date parser), the
rules pySHACL's ``sh:datatype`` uses, so both engines call the same literals ill-typed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Final

from livertox_kg.rdf import vocab
from livertox_kg.rdf.terms import (
    RDF_LANGSTRING,
    XSD_STRING,
    canonical,
    iri,
    iri_value,
    is_blank,
    is_iri,
    is_literal,
    lexical,
    literal_parts,
    unescape,
)

__all__ = [
    "NUMERIC_TYPES",
    "RDF_LANGSTRING",
    "XSD",
    "XSD_STRING",
    "canonical",
    "iri",
    "iri_value",
    "is_blank",
    "is_iri",
    "is_literal",
    "lexical",
    "literal_parts",
    "numeric_value",
    "short",
    "unescape",
    "well_typed",
]

XSD: Final = vocab.XSD.iri
NUMERIC_TYPES: Final = frozenset(
    XSD + t
    for t in (
        "integer", "decimal", "float", "double", "int", "long", "short", "byte", "nonNegativeInteger",
        "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
        "unsignedShort", "unsignedByte",
    )
)  # fmt: skip


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
