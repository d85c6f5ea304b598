"""``livertox-kg export --format kgx -o DIR``: a Biolink/KGX edition of the graph, ``nodes.tsv`` and ``edges.tsv``.

What LiverTox says about each agent and the liver, as Biolink 4.4.6 associations (the ``biolink-model`` package
of the test extras checks every category, predicate and slot name, ``tests/exports/test_kgx.py``):

* nodes: the agents (``biolink:Drug``; herbals and supplements ``biolink:ComplexMolecularMixture``), named by
  their first cross-reference in Biolink's order for chemical entities (ChEBI, UNII, DrugBank, MeSH), else by
  their own IRI as a CURIE (``ltxid:agent/...``), the other identifiers as ``xref``; drug-induced liver injury
  (``MONDO:0005359``, ``biolink:Disease``); the injury patterns (``biolink:PhenotypicFeature``, their MONDO and
  HP exact and close matches as ``xref``); the PubMed articles the edges cite (``biolink:JournalArticle``);
* edges, all ``biolink:has_adverse_event`` (a ``biolink:ChemicalOrDrugOrTreatmentAdverseEventAssociation``),
  ``knowledge_level`` ``knowledge_assertion``, ``primary_knowledge_source`` ``infores:livertox``:

  - one per likelihood assessment and agent it names whose category says the agent causes liver injury
    (A to D, and E*, "unproven but suspected"; not E "unlikely", X or "cannot be assessed"): agent -> MONDO:0005359,
    LiverTox's own statement (``agent_type`` ``manual_agent``), the category as ``has_confidence_level``
    (``ltxid:likelihood/A``), the PubMed articles of the chapter as ``publications`` (``PMID:...``);
  - one per agent and injury pattern our reading of the chapters found (``ltx:hasInjuryPattern``): agent ->
    pattern, found by this program in the text (``automated_agent``), the sentences as ``supporting_text``.

Rows are sorted, lists inside a cell too (``|``-separated, KGX's TSV convention), so the same store gives the
same bytes. Hand-written: KGX itself (``kgx``, the reference) installs here but reads the Biolink model from
the network when it is imported, so the TSV is written with the standard library's ``csv``.
"""

from __future__ import annotations

import csv
import hashlib
import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import pyoxigraph as ox

from livertox_kg.mappings import table
from livertox_kg.rdf.vocab import (
    CITO,
    DCTERMS,
    FABIO,
    ID,
    LTX,
    MAPPING_GRAPH,
    OBO,
    PUBCHEM_SUBSTANCE,
    RDFS,
    SKOS,
    VOCAB_GRAPH,
)

KNOWLEDGE_SOURCE: Final = "infores:livertox"
DILI: Final = ("MONDO:0005359", "drug-induced liver injury")
PREDICATE: Final = "biolink:has_adverse_event"
ASSOCIATION: Final = "biolink:ChemicalOrDrugOrTreatmentAdverseEventAssociation"
CATEGORIES: Final = {LTX.Drug: "biolink:Drug", LTX.HerbalOrSupplement: "biolink:ComplexMolecularMixture"}
ID_ORDER: Final = ("CHEBI", "UNII", "DRUGBANK", "MESH")
"""The cross-references an agent node is named by, in the order Biolink prefers them for chemical entities."""
CAUSAL: Final = ("A", "B", "C", "D", "E*")
"""The likelihood categories that say the agent causes liver injury (E* "unproven but suspected")."""

NODE_COLUMNS: Final = ("id", "category", "name", "xref", "synonym", "provided_by")
EDGE_COLUMNS: Final = (
    "id", "subject", "predicate", "object", "category", "knowledge_level", "agent_type",
    "primary_knowledge_source", "publications", "has_confidence_level", "supporting_text",
)  # fmt: skip


def curie(iri: str) -> str:
    """Our IRIs as ``ltxid:`` CURIEs, OBO IRIs as ``MONDO:0005359``, the others by the mapping table's prefixes."""
    if iri.startswith(ID):
        return "ltxid:" + iri[len(ID) :]
    if iri.startswith(OBO.iri) and "_" in iri[len(OBO.iri) :]:
        return iri[len(OBO.iri) :].replace("_", ":", 1)
    return table.contract(iri)


def _rows(store: ox.Store, query: str) -> list[list[str]]:
    return [[str(t.value) if t is not None else "" for t in s] for s in store.query(query)]  # type: ignore[union-attr]


@dataclass
class _Agent:
    iri: str
    category: str = ""
    names: set[str] = field(default_factory=set)
    synonyms: set[str] = field(default_factory=set)
    xrefs: set[str] = field(default_factory=set)  # CURIEs of exact matches and PubChem substances

    def node_id(self) -> str:
        for prefix in ID_ORDER:
            found = sorted(x for x in self.xrefs if x.startswith(prefix + ":"))
            if found:
                return found[0]
        return curie(self.iri)


def _agents(store: ox.Store) -> dict[str, _Agent]:
    agents: dict[str, _Agent] = {}
    rows = _rows(
        store,
        f"SELECT ?a ?t ?p ?v WHERE {{ GRAPH ?g {{ ?a a <{LTX.Agent}>, ?t . OPTIONAL {{ ?a ?p ?v"
        f" FILTER(?p IN (<{RDFS.label}>, <{SKOS.altLabel}>, <{LTX.tradeName}>, <{LTX.pubchemSubstance}>)) }} }} }}",
    )
    for a, kind, p, v in rows:
        agent = agents.setdefault(a, _Agent(a))
        agent.category = agent.category or CATEGORIES.get(kind, "")
        if p == RDFS.label:
            agent.names.add(v)
        elif p in (SKOS.altLabel, LTX.tradeName):
            agent.synonyms.add(v)
        elif p == LTX.pubchemSubstance:
            agent.xrefs.add("PUBCHEM.SUBSTANCE:" + v[len(PUBCHEM_SUBSTANCE) :])
    for a, target in _rows(store, f"SELECT ?a ?x WHERE {{ GRAPH <{MAPPING_GRAPH}> {{ ?a <{SKOS.exactMatch}> ?x }} }}"):
        if a in agents:
            agents[a].xrefs.add(table.contract(target))
    return agents


def _cell(values: Iterable[str]) -> str:
    return "|".join(sorted({" ".join(v.replace("|", "/").split()) for v in values if v}))


def _node_rows(store: ox.Store, agents: dict[str, _Agent], pmids: set[str]) -> list[list[str]]:
    rows = [[*DILI[:1], "biolink:Disease", DILI[1], "", "", KNOWLEDGE_SOURCE]]
    for a in agents.values():
        own = a.node_id()
        xrefs = ({curie(a.iri)} | a.xrefs) - {own}
        name = min(a.names) if a.names else ""
        rows.append([own, a.category, name, _cell(xrefs), _cell(a.synonyms | (a.names - {name})), KNOWLEDGE_SOURCE])
    patterns: dict[str, list[str]] = defaultdict(list)
    labels: dict[str, str] = {}
    for p, label, match in _rows(
        store,
        f"SELECT ?p ?l ?m WHERE {{ GRAPH <{VOCAB_GRAPH}> {{ ?p a <{LTX.InjuryPattern}> ; <{SKOS.prefLabel}> ?l"
        f" OPTIONAL {{ ?p ?r ?m FILTER(?r IN (<{SKOS.exactMatch}>, <{SKOS.closeMatch}>)) }} }} }}",
    ):
        labels[p] = label
        if match:
            patterns[p].append(curie(match))
    rows += [
        [curie(p), "biolink:PhenotypicFeature", label, _cell(patterns[p]), "", KNOWLEDGE_SOURCE]
        for p, label in labels.items()
    ]
    titles: dict[str, str] = {}
    for n, title in _rows(
        store, f"SELECT ?id ?t WHERE {{ GRAPH ?g {{ ?w <{FABIO.hasPubMedId}> ?id ; <{DCTERMS.title}> ?t }} }}"
    ):
        titles[n] = min(titles.get(n, title), title)  # a PubMed id cited with two titles: the same one every time
    rows += [
        [f"PMID:{n}", "biolink:JournalArticle", _cell([titles.get(n, "")]), "", "", KNOWLEDGE_SOURCE] for n in pmids
    ]
    return sorted(rows)


def _edge_id(*parts: str) -> str:
    return "ltxid:kgx/" + hashlib.sha256("\t".join(parts).encode("utf-8")).hexdigest()[:20]


def _likelihood_edges(store: ox.Store, agents: dict[str, _Agent]) -> tuple[list[list[str]], set[str]]:
    """One edge per assessment of a causal category and agent it names; the PubMed ids its chapter cites."""
    cited: dict[str, set[str]] = defaultdict(set)
    for chapter, pmid in _rows(
        store, f"SELECT ?c ?id WHERE {{ GRAPH ?g {{ ?c <{CITO.citesAsEvidence}> ?w . ?w <{FABIO.hasPubMedId}> ?id }} }}"
    ):
        if pmid.isdigit():
            cited[chapter].add(pmid)
    rows, used = [], set()
    for n, a, category, code, chapter in _rows(
        store,
        f"SELECT ?n ?a ?c ?code ?ch WHERE {{ GRAPH ?g {{ ?n a <{LTX.LikelihoodAssessment}> ; <{LTX.assessedAgent}> ?a ;"
        f" <{LTX.category}> ?c ; <{LTX.inChapter}> ?ch }} GRAPH <{VOCAB_GRAPH}> {{ ?c <{SKOS.notation}> ?code }} }}",
    ):
        if code not in CAUSAL or a not in agents:
            continue
        subject = agents[a].node_id()
        pmids = sorted(cited[chapter], key=int)
        used.update(pmids)
        rows.append([
            _edge_id(n, a), subject, PREDICATE, DILI[0], ASSOCIATION, "knowledge_assertion", "manual_agent",
            KNOWLEDGE_SOURCE, "|".join(f"PMID:{p}" for p in pmids), curie(category), "",
        ])  # fmt: skip
    return rows, used


def _pattern_edges(store: ox.Store, agents: dict[str, _Agent]) -> list[list[str]]:
    """One edge per agent and injury pattern the reading found, with the sentences that state it."""
    sentences: dict[tuple[str, str], set[str]] = defaultdict(set)
    for a, pattern, sentence in _rows(
        store,
        f"SELECT ?a ?p ?s WHERE {{ GRAPH ?g {{ ?a <{LTX.hasInjuryPattern}> ?p OPTIONAL {{ ?e <{LTX.evidenceAgent}> ?a ;"
        f" <{LTX.injuryPattern}> ?p ; <{LTX.sentence}> ?s }} }} }}",
    ):
        sentences[(a, pattern)].add(sentence)
    return [
        [
            _edge_id(a, pattern),
            agents[a].node_id(),
            PREDICATE,
            curie(pattern),
            ASSOCIATION,
            "knowledge_assertion",
            "automated_agent",
            KNOWLEDGE_SOURCE,
            "",
            "",
            _cell(found),
        ]
        for (a, pattern), found in sentences.items()
        if a in agents
    ]


@dataclass(frozen=True)
class KgxStats:
    nodes: int
    edges: int


def _write(path: Path, columns: Sequence[str], rows: list[list[str]]) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
        w.writerow(columns)
        w.writerows(rows)
    os.replace(tmp, path)


def write_kgx(store: ox.Store, folder: Path) -> KgxStats:
    """Write ``nodes.tsv`` and ``edges.tsv`` into ``folder`` (made if need be), each through a temporary file."""
    agents = _agents(store)
    likelihood, pmids = _likelihood_edges(store, agents)
    edges = sorted(likelihood + _pattern_edges(store, agents))
    nodes = _node_rows(store, agents, pmids)
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder / "nodes.tsv", NODE_COLUMNS, nodes)
    _write(folder / "edges.tsv", EDGE_COLUMNS, edges)
    return KgxStats(len(nodes), len(edges))
