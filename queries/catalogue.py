"""The stored-query catalogue as RDF, in the style of sib-swiss/sparql-examples.

Each query is a resource ``ltxid:query/{name}`` (the IRI the dataset description uses for the same query)
typed ``sh:SPARQLExecutable`` and ``sh:SPARQLSelectExecutable`` (or ``sh:SPARQLAskExecutable``), with its
name as ``rdfs:label``, its summary as ``rdfs:comment``, its description and parameters as
``schema:description``, its tags as ``schema:keywords``, its text (header included: it is comments) as
``sh:select`` (``sh:ask``) and the prefixes it declares through ``sh:prefixes``. Data-quality checks
(``ltxid:query/qc/...``) carry the keyword ``qc``. No blank nodes: prefix declarations have IRIs of their
own. The graph is meant to be loaded next to the data (``https://w3id.org/livertox-kg/graph/queries``)
and queried like it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import pyoxigraph as ox

from livertox_kg.queries.headers import StoredQuery, all_queries
from livertox_kg.queries.sparql_text import prefixes, query_form
from livertox_kg.rdf import terms as rdf
from livertox_kg.rdf.vocab import GRAPH, ID, PREFIXES, RDF, RDFS, SCHEMA, SH, XSD

QUERY_BASE: Final = ID + "query/"
CATALOGUE_GRAPH: Final = GRAPH + "queries"
_TURTLE_PREFIXES: Final = ("sh", "schema", "rdfs", "xsd")


def query_iri(name: str) -> str:
    return QUERY_BASE + name


def _prefix_iri(prefix: str) -> str:
    return f"{QUERY_BASE}prefix/{prefix or 'default'}"


def statements(queries: Iterable[StoredQuery]) -> list[rdf.Statement]:
    """The catalogue's triples as N-Triples statements, sorted (so the output is byte-stable)."""
    out: set[rdf.Statement] = set()

    def add(s: str, p: str, o: str) -> None:
        out.add(f"<{s}> <{p}> {o}")

    prefixes_node = QUERY_BASE + "prefixes"
    for q in queries:
        node = query_iri(q.name)
        form = query_form(q.text)
        executable, text_property = (
            (SH.SPARQLAskExecutable, SH.ask) if form == "ASK" else (SH.SPARQLSelectExecutable, SH.select)
        )
        add(node, RDF.type, rdf.iri(SH.SPARQLExecutable))
        add(node, RDF.type, rdf.iri(executable))
        add(node, RDFS.label, rdf.lit(q.name))
        add(node, RDFS.comment, f"{rdf.lit(q.summary)}@en")
        description = q.description
        if q.params:
            description += " Parameters: " + "; ".join(f"{p.signature()}: {p.description}" for p in q.params) + "."
        add(node, SCHEMA.description, f"{rdf.lit(description)}@en")
        for tag in q.tags:
            add(node, SCHEMA.keywords, rdf.lit(tag))
        add(node, text_property, rdf.lit(q.text))
        add(node, SH.prefixes, rdf.iri(prefixes_node))
        for prefix, namespace in prefixes(q.text):
            decl = _prefix_iri(prefix)
            add(prefixes_node, SH.declare, rdf.iri(decl))
            add(decl, RDF.type, rdf.iri(SH.PrefixDeclaration))
            add(decl, SH.prefix_, rdf.lit(prefix))
            add(decl, SH.namespace, rdf.lit(namespace, XSD.anyURI))
    return sorted(out)


def ntriples(queries: Iterable[StoredQuery] | None = None) -> str:
    """The catalogue (by default every stored query and data-quality check) as N-Triples."""
    return rdf.ntriples(statements(all_queries().values() if queries is None else queries))


def nquads(queries: Iterable[StoredQuery] | None = None) -> str:
    """The same in the named graph :data:`CATALOGUE_GRAPH`, to load next to the data."""
    return rdf.nquads(statements(all_queries().values() if queries is None else queries), CATALOGUE_GRAPH)


def turtle(queries: Iterable[StoredQuery] | None = None) -> str:
    """The catalogue as Turtle (via pyoxigraph; prefixes for the namespaces it uses)."""
    triples = ox.parse(ntriples(queries).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    used = {prefix: PREFIXES[prefix] for prefix in _TURTLE_PREFIXES}
    used["ltxq"] = QUERY_BASE
    text = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=used)
    assert text is not None  # no output file given: the bytes are returned
    return text.decode("utf-8")
