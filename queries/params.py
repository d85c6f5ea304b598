"""Query parameters: their declared types, the ``--param`` arguments, and each value as one RDF term.

A stored query declares its parameters in its header (:class:`Param`, read by
:mod:`livertox_kg.queries.headers`); an ad-hoc query gets them typed on the command line
(``--param since:date=2020-01-01``). Each value is checked against its type and turned into exactly one
pyoxigraph term (:func:`term`), whatever it contains: quotes, ``>``, ``}`` or a whole query stay inside
the literal. The term, never the raw value, is what :mod:`livertox_kg.queries.sparql_text` binds.

A ``name`` (an agent's, a class's, a chapter's) is compared with letter case ignored: its value is an
:class:`AnyCase` literal, which the binder writes as a ``FILTER`` instead of a ``VALUES`` term (a name is
also a column of the listing it filters, which must show the name as printed, not as typed). A parameter
the header marks ``optional`` may be left out: it is then not bound at all, and the query lists everything.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from livertox_kg.errors import QueryError
from livertox_kg.rdf.vocab import PREFIXES, XSD

PARAM_TYPES = ("iri", "string", "name", "integer", "decimal", "date", "boolean")
PARAM_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
BAD_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
"""Control characters a value may not hold (tab, line feed, form feed and carriage return are fine)."""


@dataclass(frozen=True)
class AnyCase:
    """The value of a ``name`` parameter: the variable must equal ``literal`` with letter case ignored."""

    literal: ox.Literal


Term = ox.NamedNode | ox.Literal | AnyCase
"""What a parameter is bound to: one RDF term, or a name matched with letter case ignored."""

# pyoxigraph validates IRIs itself (ox.NamedNode); this pattern only picks the friendlier message for a
# value that is not an absolute IRI at all (no scheme, a space, a '>'), where a prefixed name was meant
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\]*$")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_DECIMAL = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_MAX_VALUE = 10_000


@dataclass(frozen=True)
class Param:
    """A declared parameter: bound to the query variable ``?name`` as one term of ``type``."""

    name: str
    type: str
    example: str
    description: str
    optional: bool = False

    def signature(self) -> str:
        optional = ", optional" if self.optional else ""
        return f"{self.name} ({self.type}{optional}, e.g. {self.example})"


def _string(value: str) -> ox.Literal:
    if BAD_CONTROL.search(value):
        raise QueryError("control characters are not allowed in a string value")
    return ox.Literal(value)


def _name(value: str) -> Term:
    return AnyCase(_string(value))


def _iri(value: str) -> Term:
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        value = PREFIXES[prefix] + local
    if not _IRI.match(value):
        raise QueryError(f"{value!r} is not an absolute IRI (or a prefixed name with a known prefix)")
    try:
        return ox.NamedNode(value)
    except ValueError as exc:
        raise QueryError(f"{value!r} is not an IRI: {exc}") from None


def _integer(value: str) -> Term:
    if not _INTEGER.match(value):
        raise QueryError(f"{value!r} is not an integer")
    return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD.integer))


def _decimal(value: str) -> Term:
    if not _DECIMAL.match(value):
        raise QueryError(f"{value!r} is not a decimal number")
    text = format(decimal.Decimal(value), "f")
    return ox.Literal(text if "." in text else f"{text}.0", datatype=ox.NamedNode(XSD.decimal))


def _date(value: str) -> Term:
    try:
        if not _DATE.match(value):
            raise ValueError
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise QueryError(f"{value!r} is not a date (YYYY-MM-DD)") from None
    return ox.Literal(day.isoformat(), datatype=ox.NamedNode(XSD.date))


def _boolean(value: str) -> Term:
    if value not in ("true", "false"):
        raise QueryError(f"{value!r} is not a boolean (true or false)")
    return ox.Literal(value, datatype=ox.NamedNode(XSD.boolean))


_MAKERS: dict[str, Callable[[str], Term]] = {
    "iri": _iri,
    "string": _string,
    "name": _name,
    "integer": _integer,
    "decimal": _decimal,
    "date": _date,
    "boolean": _boolean,
}


def term(kind: str, value: str) -> Term:
    """``value`` as one RDF term of parameter type ``kind``; a :class:`QueryError` if it is not one.

    ``iri`` takes an absolute IRI or a prefixed name with one of the graph's prefixes
    (``ltxid:pattern/cholestatic``); ``name`` is a string matched with letter case ignored
    (:class:`AnyCase`); ``date`` is ``YYYY-MM-DD``; ``boolean`` is ``true`` or ``false``.
    """
    if len(value) > _MAX_VALUE:
        raise QueryError(f"value is longer than {_MAX_VALUE} characters")
    make = _MAKERS.get(kind)
    if make is None:
        raise QueryError(f"unknown parameter type {kind!r} (known: {', '.join(PARAM_TYPES)})")
    return make(value)


def parse_param_args(args: Iterable[str]) -> list[tuple[str, str | None, str]]:
    """``--param`` values ``name=value`` or ``name:type=value`` as ``(name, type or None, value)``."""
    out = []
    for arg in args:
        key, sep, value = arg.partition("=")
        if not sep:
            raise QueryError(f"--param {arg!r}: expected NAME=VALUE (or NAME:TYPE=VALUE)")
        name, _, kind = key.partition(":")
        if not PARAM_NAME.match(name):
            raise QueryError(f"--param {arg!r}: parameter name {name!r} is not lower-case letters, digits and '_'")
        out.append((name, kind or None, value))
    return out


def bindings_for(declared: Iterable[Param] | None, given: Iterable[tuple[str, str | None, str]]) -> dict[str, Term]:
    """Terms for the given ``(name, type, value)``, checked against the declared parameters.

    With declarations (a stored query, or a file with a header), every declared parameter must be given
    (but an optional one, which is then left out), nothing else may be, and a type given on the command
    line must match. Without, each value needs its type (``--param since:date=2020-01-01``).
    """
    if declared is None:
        return _ad_hoc_bindings(given)
    out: dict[str, Term] = {}
    params = {p.name: p for p in declared}
    for name, kind, value in given:
        if name not in params:
            known = ", ".join(p.signature() for p in params.values()) or "none"
            raise QueryError(f"unknown parameter {name!r} (parameters: {known})")
        if kind is not None and kind != params[name].type:
            raise QueryError(f"parameter {name!r} is a {params[name].type}, not a {kind}")
        if name in out:
            raise QueryError(f"--param {name} given twice")
        out[name] = _term_for(name, params[name].type, value)
    missing = [p for p in params.values() if p.name not in out and not p.optional]
    if missing:
        wanted = " ".join(f"--param {p.name}={p.example}" for p in missing)
        raise QueryError(f"missing parameter(s): {', '.join(p.signature() for p in missing)}; e.g. {wanted}")
    return out


def _ad_hoc_bindings(given: Iterable[tuple[str, str | None, str]]) -> dict[str, Term]:
    out: dict[str, Term] = {}
    for name, kind, value in given:
        if kind is None:
            raise QueryError(f"--param {name}: give the type of a parameter of an ad-hoc query ({name}:TYPE=...)")
        if name in out:
            raise QueryError(f"--param {name} given twice")
        out[name] = _term_for(name, kind, value)
    return out


def _term_for(name: str, kind: str, value: str) -> Term:
    try:
        return term(kind, value)
    except QueryError as exc:
        raise QueryError(f"parameter {name!r}: {exc}") from None


def example_bindings(declared: Iterable[Param]) -> dict[str, Term]:
    """The header's example values of the required parameters as terms (what the goldens and benchmarks run
    with: an optional parameter is left out, so a listing lists everything)."""
    return {p.name: term(p.type, p.example) for p in declared if not p.optional}
