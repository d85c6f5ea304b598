"""The mapping graph: the table's cross-references of the agents a store holds, as RDF (SSSOM/RDF).

For each row whose agent is in the store, the graph :data:`~livertox_kg.rdf.vocab.MAPPING_GRAPH` states the
link itself (``agent skos:exactMatch <http://identifiers.org/unii/R16CO5Y76E>``, or ``skos:closeMatch``) and
describes it as SSSOM's RDF form does: an ``owl:Axiom`` named ``ltxid:mapping/{agent}/{PREFIX}-{id}`` (the
mapping's ``record_id``) with ``owl:annotatedSource``/``Property``/``Target`` and the slots of the row (how it
was made: justification, the fields and string compared, pre-processing, confidence; the source database,
its version and the package it came in). The mapping set ``ltxid:mappings/agents`` lists its mappings and
carries the table's title, licence and version. No blank nodes.

The build writes this graph at commit (:func:`replace_graph`), for the agents of every chapter then in the
store, so it never names an agent the store does not have.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pyoxigraph as ox

from livertox_kg import resources
from livertox_kg.mappings import table
from livertox_kg.mappings.table import Mapping
from livertox_kg.rdf import iris
from livertox_kg.rdf.terms import Statement, iri, lit, nquads
from livertox_kg.rdf.vocab import DCTERMS, LTX, MAPPING_GRAPH, OWL, RDF, RDFS, SSSOM, XSD

__all__ = ["agents_in", "mapping_statements", "read_table", "replace_graph"]


def read_table() -> list[Mapping]:
    """The shipped table (``mappings/agents.sssom.tsv``)."""
    return table.read(resources.agent_mappings_tsv().decode("utf-8"))


def _mapping(out: dict[Statement, None], row: Mapping, agent: str) -> str:
    node = iris.mapping(agent, row.object_id)
    target = table.expand(row.object_id)
    predicate = table.expand(row.predicate_id)

    def add(p: str, o: str) -> None:
        out[f"<{node}> <{p}> {o}"] = None

    out[f"<{agent}> <{predicate}> {iri(target)}"] = None
    add(RDF.type, iri(OWL.Axiom))
    add(OWL.annotatedSource, iri(agent))
    add(OWL.annotatedProperty, iri(predicate))
    add(OWL.annotatedTarget, iri(target))
    add(SSSOM.mapping_justification, iri(table.expand(row.mapping_justification)))
    add(SSSOM.subject_label, lit(row.subject_label))
    add(SSSOM.object_label, lit(row.object_label))
    add(SSSOM.subject_match_field, iri(table.expand(row.subject_match_field)))
    add(SSSOM.object_match_field, iri(table.expand(row.object_match_field)))
    add(SSSOM.match_string, lit(row.match_string))
    for step in row.preprocessing:
        add(SSSOM.subject_preprocessing, iri(table.expand(step)))
    add(SSSOM.confidence, lit(repr(row.confidence), XSD.double))
    add(SSSOM.object_source, iri(table.expand(row.object_source)))
    add(SSSOM.object_source_version, lit(row.object_source_version))
    add(SSSOM.mapping_tool, lit(table.MAPPING_TOOL))
    add(RDFS.comment, lit(row.comment))
    return node


def mapping_statements(rows: Sequence[Mapping], agents: set[str]) -> list[Statement]:
    """The graph's statements for the ``rows`` whose agent (its IRI) is in ``agents``; the mapping set too,
    with the version of the whole table, when any row is kept."""
    out: dict[Statement, None] = {}
    nodes = [_mapping(out, r, a) for r in rows if (a := table.expand(r.subject_id)) in agents]
    if not nodes:
        return []
    s = f"<{table.MAPPING_SET_ID}>"
    out[f"{s} <{RDF.type}> {iri(SSSOM.MappingSet)}"] = None
    out[f"{s} <{DCTERMS.title}> {lit(table.TITLE)}"] = None
    out[f"{s} <{DCTERMS.description}> {lit(table.DESCRIPTION)}"] = None
    out[f"{s} <{DCTERMS.license}> {iri(table.LICENSE)}"] = None
    out[f"{s} <{OWL.versionInfo}> {lit(table.version_of(rows))}"] = None
    out[f"{s} <{SSSOM.mapping_tool}> {lit(table.MAPPING_TOOL)}"] = None
    for node in nodes:
        out[f"{s} <{SSSOM.mappings}> {iri(node)}"] = None
    return list(out)


def agents_in(store: ox.Store) -> set[str]:
    """The IRIs of every ``ltx:Agent`` of the store's chapter graphs."""
    query = f"SELECT DISTINCT ?a WHERE {{ GRAPH ?g {{ ?a a <{LTX.Agent}> }} }}"
    return {str(s["a"].value) for s in store.query(query) if isinstance(s["a"], ox.NamedNode)}  # type: ignore[union-attr]


def replace_graph(store: ox.Store, rows: Iterable[Mapping] | None = None) -> int:
    """Write the mapping graph of ``store`` anew (from the shipped table unless ``rows`` are given) for the
    agents it holds; return its number of statements."""
    statements = mapping_statements(list(rows) if rows is not None else read_table(), agents_in(store))
    graph = ox.NamedNode(MAPPING_GRAPH)
    if store.contains_named_graph(graph):
        store.remove_graph(graph)
    if statements:
        store.bulk_load(input=nquads(statements, MAPPING_GRAPH).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    return len(statements)
