"""Value-by-value constraints (datatype, node kind, pattern, length, numeric range) and the words that say
what is wrong with a value; the engine (:mod:`livertox_kg.validation.engine`) decides each distinct value once."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from livertox_kg.rdf import vocab
from livertox_kg.validation.shapes_graph import Constraint, Shape, ShapesError
from livertox_kg.validation.terms import (
    RDF_LANGSTRING,
    XSD_STRING,
    iri_value,
    is_blank,
    is_iri,
    is_literal,
    lexical,
    literal_parts,
    numeric_value,
    well_typed,
)

Test = tuple[Callable[[str], bool], Callable[[str], str]]


def value_test(name: str, c: Constraint, shape: Shape) -> Test:
    """``(ok(value), what is wrong with a value)`` for the component ``name`` of constraint ``c``."""
    if name == "DatatypeConstraintComponent":
        return _datatype(c.value)
    if name == "NodeKindConstraintComponent":
        kind = iri_value(c.value).rsplit("#", 1)[-1]
        return _NODE_KINDS[kind], lambda x: f"{kind_words(x)}, expected {_KIND_WORDS[kind]}"
    if name == "PatternConstraintComponent":
        return _pattern(c, shape)
    if name in ("MinLengthConstraintComponent", "MaxLengthConstraintComponent"):
        return _length(name, int(lexical(c.value)))
    if name.endswith(("InclusiveConstraintComponent", "ExclusiveConstraintComponent")):
        return _range(name, c, shape)
    raise ShapesError(f"{shape.source}: shape {iri_value(shape.iri)}: {name} is not implemented")


def _datatype(v: str) -> Test:
    datatype = iri_value(v)
    dt_name = short(v)
    if datatype == XSD_STRING:
        # a plain literal ends with its closing quote; a tagged or typed one, an IRI, a blank node do not
        return (lambda x: x.endswith('"')), (lambda x: f"{kind_words(x)}, expected a plain string")

    def datatype_ok(x: str) -> bool:
        if not is_literal(x):
            return False
        text, actual, _ = literal_parts(x)
        return actual == datatype and (datatype == RDF_LANGSTRING or well_typed(text, datatype))

    def datatype_words(x: str) -> str:
        if is_literal(x) and literal_parts(x)[1] == datatype:
            return f"not a valid {dt_name}"
        return f"{kind_words(x)}, expected {dt_name}"

    return datatype_ok, datatype_words


_NODE_KINDS: dict[str, Callable[[str], bool]] = {
    "IRI": is_iri,
    "Literal": is_literal,
    "BlankNode": is_blank,
    "BlankNodeOrIRI": lambda x: is_iri(x) or is_blank(x),
    "BlankNodeOrLiteral": lambda x: is_blank(x) or is_literal(x),
    "IRIOrLiteral": lambda x: is_iri(x) or is_literal(x),
}


def _pattern(c: Constraint, shape: Shape) -> Test:
    flags = 0
    for letter in lexical(c.param("flags") or '""'):
        flags |= {"i": re.I, "m": re.M, "s": re.S, "x": re.X}.get(letter, 0)
    try:
        rx = re.compile(lexical(c.value), flags)
    except re.error as exc:
        raise ShapesError(f"{shape.source}: shape {iri_value(shape.iri)}: bad sh:pattern: {exc}") from None
    return (lambda x: not is_blank(x) and rx.search(lexical(x)) is not None), (lambda x: "not of the expected form")


def _length(name: str, bound: int) -> Test:
    if name.startswith("Min"):
        return (lambda x: not is_blank(x) and len(lexical(x)) >= bound), (
            lambda x: "empty" if not is_blank(x) and not lexical(x) else f"shorter than {bound} characters"
        )
    return (lambda x: not is_blank(x) and len(lexical(x)) <= bound), (lambda x: f"longer than {bound} characters")


def _range(name: str, c: Constraint, shape: Shape) -> Test:
    limit = numeric_value(c.value)
    if limit is None:
        raise ShapesError(f"{shape.source}: shape {iri_value(shape.iri)}: only numeric bounds are implemented")
    compare: dict[str, tuple[Callable[[object], bool], str]] = {
        "MinInclusiveConstraintComponent": (lambda n: n >= limit, f"below the minimum {limit}"),  # type: ignore[operator]
        "MaxInclusiveConstraintComponent": (lambda n: n <= limit, f"above the maximum {limit}"),  # type: ignore[operator]
        "MinExclusiveConstraintComponent": (lambda n: n > limit, f"not above {limit}"),  # type: ignore[operator]
        "MaxExclusiveConstraintComponent": (lambda n: n < limit, f"not below {limit}"),  # type: ignore[operator]
    }
    within, words = compare[name]

    def in_range(x: str) -> bool:
        number = numeric_value(x)
        return number is not None and within(number)

    return in_range, lambda x: words if numeric_value(x) is not None else "not a number"


def too_many(values: Collection[str], high: int) -> str:
    shown = ", ".join(value_words(v) for v in sorted(values)[:3]) + (", ..." if len(values) > 3 else "")
    return f"{len(values)} values ({shown}), at most {high} allowed" if high else f"present: {shown}"


def value_words(term: str) -> str:
    if is_literal(term):
        text = literal_parts(term)[0]
        return '"' + (text if len(text) <= 40 else text[:39] + "…") + '"'
    return short(term)


_KIND_WORDS = {
    "IRI": "an IRI",
    "Literal": "a literal",
    "BlankNode": "a blank node",
    "BlankNodeOrIRI": "an IRI or blank node",
    "BlankNodeOrLiteral": "a blank node or literal",
    "IRIOrLiteral": "an IRI or literal",
}

_SHORT = {
    **{p: vocab.PREFIXES[p] for p in ("ltx", "ltxid")},
    "ltxsh": vocab.LTXSH.iri,
    **{p: vocab.PREFIXES[p] for p in ("xsd", "rdf", "rdfs", "skos", "fabio", "sh")},
}


def short(term: str) -> str:
    value = iri_value(term) if is_iri(term) else term
    for prefix, ns in _SHORT.items():
        if value.startswith(ns):
            return f"{prefix}:{value[len(ns) :]}"
    return value


def kind_words(term: str) -> str:
    if is_iri(term):
        return "an IRI"
    if is_blank(term):
        return "a blank node"
    _, datatype, lang = literal_parts(term)
    if lang:
        return f"a literal tagged @{lang}"
    if datatype == XSD_STRING:
        return "a plain string"
    return f"a literal of datatype {short('<' + datatype + '>')}"
