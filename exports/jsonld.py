"""JSON-LD with the shipped context (``ontology/context.jsonld``) inline, one named graph per graph exported.

Hand-written because pyoxigraph's JSON-LD serialiser (0.5) writes expanded JSON-LD only: it takes no context,
and ignores the prefixes it is given (``tests/exports/test_export.py`` checks that, and fails the day it
changes). rdflib can compact with a context, but it needs every graph as rdflib objects (12 times slower than
this on chapter graphs of the scale store, parsing included) and does not document its output order. Here
each graph's sorted statements (:mod:`livertox_kg.exports.order`) become one node object per subject, keys
sorted, values in statement order; ``json.dumps`` writes them, so the bytes are the same everywhere.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import IO, Any, Final

from livertox_kg import resources
from livertox_kg.exports.order import Line
from livertox_kg.rdf.terms import iri_value, is_iri, literal_parts, split_statement
from livertox_kg.rdf.vocab import RDF, XSD

_TYPE: Final = f"<{RDF.type}>"

Triple = tuple[str, str, str]


def load_context() -> dict[str, Any]:
    """The ``@context`` of ``ontology/context.jsonld``."""
    doc = json.loads(resources.jsonld_context())
    context = doc["@context"]
    assert isinstance(context, dict)
    return context


class JsonLdContext:
    """The shipped context, inverted: for a predicate IRI, the key to write and how values are coerced."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.context = context
        self.prefixes = {k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("/", "#"))}
        # longest namespace first, so that ltxid: wins over a shorter namespace it starts with
        self._by_ns = sorted(((ns, p) for p, ns in self.prefixes.items()), key=lambda x: (-len(x[0]), x[1]))
        self.keys: dict[str, tuple[str, str | None]] = {}  # predicate IRI -> (key, coercion IRI or "@id")
        for key, value in context.items():
            if not isinstance(value, dict):
                continue
            iri = self.expand(value.get("@id", key))
            coerce = value.get("@type")
            self.keys[iri] = (key, coerce if coerce == "@id" else (self.expand(coerce) if coerce else None))

    def expand(self, value: str) -> str:
        prefix, sep, local = value.partition(":")
        if sep and prefix in self.prefixes:
            return self.prefixes[prefix] + local
        return value

    def compact_iri(self, iri: str) -> str:
        for ns, prefix in self._by_ns:
            if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns) :].startswith("//"):
                return f"{prefix}:{iri[len(ns) :]}"
        return iri

    def key(self, predicate: str) -> tuple[str, str | None]:
        return self.keys.get(predicate) or (self.compact_iri(predicate), None)

    def value(self, term: str, coerce: str | None) -> Any:
        if is_iri(term):
            iri = self.compact_iri(iri_value(term))
            return iri if coerce == "@id" else {"@id": iri}
        text, datatype, language = literal_parts(term)
        if language:
            return {"@value": text, "@language": language}
        if coerce is not None and coerce != "@id" and datatype == coerce:
            return text
        if datatype == XSD.string:
            return text if coerce is None else {"@value": text}
        return {"@value": text, "@type": self.compact_iri(datatype)}


def _node(statements: Sequence[Triple], ctx: JsonLdContext) -> dict[str, Any]:
    node: dict[str, Any] = {"@id": ctx.compact_iri(iri_value(statements[0][0]))}
    types = [ctx.compact_iri(iri_value(o)) for _, p, o in statements if p == _TYPE and is_iri(o)]
    if types:
        node["@type"] = types[0] if len(types) == 1 else types
    props: dict[str, list[Any]] = {}
    for _, p, o in statements:
        if p == _TYPE and is_iri(o):
            continue
        key, coerce = ctx.key(iri_value(p))
        props.setdefault(key, []).append(ctx.value(o, coerce))
    for key in sorted(props):
        values = props[key]
        node[key] = values[0] if len(values) == 1 else values
    return node


def _nodes(statements: Sequence[Triple], ctx: JsonLdContext) -> Iterator[dict[str, Any]]:
    """One node object per subject of the sorted statements."""
    i = 0
    while i < len(statements):
        j = i
        while j < len(statements) and statements[j][0] == statements[i][0]:
            j += 1
        yield _node(statements[i:j], ctx)
        i = j


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def write_jsonld(graphs: Iterator[tuple[str, list[Line]]], out: IO[bytes]) -> int:
    """Write the graphs (each with its sorted statements) as one JSON-LD document; the number of statements."""
    context = load_context()
    ctx = JsonLdContext(context)
    head = '{\n"@context": ' + json.dumps(context, ensure_ascii=False, indent=1) + ',\n"@graph": [\n'
    out.write(head.encode("utf-8"))
    n = 0
    for gi, (graph, lines) in enumerate(graphs):
        statements = [split_statement(line.decode("utf-8")) for line in lines]
        parts = [("," if gi else "") + '{"@id": ' + _dump(ctx.compact_iri(graph)) + ', "@graph": [\n']
        parts.extend(("," if ni else "") + _dump(node) + "\n" for ni, node in enumerate(_nodes(statements, ctx)))
        parts.append("]}\n")
        out.write("".join(parts).encode("utf-8"))
        n += len(statements)
    out.write(b"]\n}\n")
    return n
