"""Every IRI the graph uses: livertox-kg's own IRIs and namespaces, and the one prefix table.

Import every namespace from here. livertox-kg's own (:class:`LTX`, the ontology; :class:`LTXSH`, the shapes)
are defined here; the standard vocabularies it reuses (``RDF``, ``SKOS``, ``DCTERMS``, ...) and the
:class:`~livertox_kg.rdf.namespaces.Namespace` base that makes each a closed set of terms are defined in
:mod:`livertox_kg.rdf.namespaces` and re-exported. ``tests/rdf/test_vocab.py`` checks that every ``LTX`` term
is defined in ``ontology/livertox.ttl`` and that the ontology defines nothing that is not listed here.
"""

from __future__ import annotations

from typing import Final

from livertox_kg.rdf.namespaces import (
    BIBO,
    CITO,
    DCAT,
    DCTERMS,
    DCTYPES,
    FABIO,
    OBO,
    OWL,
    PAV,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SEMAPV,
    SH,
    SKOS,
    SPDX,
    SSSOM,
    VOID,
    XSD,
    Namespace,
    obo_iri,
)

__all__ = [
    "BASE",
    "BIBO",
    "CITO",
    "CLINICAL_TRIALS",
    "DCAT",
    "DCTERMS",
    "DCTYPES",
    "DESCRIPTION_GRAPH",
    "DESCRIPTION_NAMESPACES",
    "FABIO",
    "GRAPH",
    "ID",
    "LTX",
    "LTXSH",
    "MAPPING_GRAPH",
    "MAPPING_NAMESPACES",
    "NAMESPACES",
    "OBO",
    "OWL",
    "PAV",
    "PREFIXES",
    "PROV",
    "PUBCHEM_SUBSTANCE",
    "PUBMED",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SEMAPV",
    "SH",
    "SKOS",
    "SPDX",
    "SSSOM",
    "VOCAB_GRAPH",
    "VOID",
    "XREF_PREFIXES",
    "XSD",
    "Namespace",
    "obo_iri",
]

BASE: Final = "https://w3id.org/livertox-kg/"
ID: Final = BASE + "id/"
GRAPH: Final = BASE + "graph/"
VOCAB_GRAPH: Final = GRAPH + "vocabulary"
DESCRIPTION_GRAPH: Final = GRAPH + "dataset-description"  # the dataset description (livertox_kg.store.description)
MAPPING_GRAPH: Final = GRAPH + "mappings"  # the agents' cross-references (livertox_kg.mappings)


class LTX(Namespace):
    """livertox-kg's own ontology (``ontology/livertox.ttl``)."""

    prefix = "ltx"
    iri = "https://w3id.org/livertox-kg/ontology#"
    Agent: Final = iri + "Agent"
    CaseReport: Final = iri + "CaseReport"
    Chapter: Final = iri + "Chapter"
    ChapterReference: Final = iri + "ChapterReference"
    ClassOverviewChapter: Final = iri + "ClassOverviewChapter"
    ContentsEntry: Final = iri + "ContentsEntry"
    Drug: Final = iri + "Drug"
    DrugChapter: Final = iri + "DrugChapter"
    DrugClass: Final = iri + "DrugClass"
    FrontMatterChapter: Final = iri + "FrontMatterChapter"
    HerbalChapter: Final = iri + "HerbalChapter"
    HerbalOrSupplement: Final = iri + "HerbalOrSupplement"
    InjuryPattern: Final = iri + "InjuryPattern"
    LikelihoodAssessment: Final = iri + "LikelihoodAssessment"
    LikelihoodCategory: Final = iri + "LikelihoodCategory"
    PatternEvidence: Final = iri + "PatternEvidence"
    PhenotypeChapter: Final = iri + "PhenotypeChapter"
    Section: Final = iri + "Section"
    SourceFile: Final = iri + "SourceFile"
    TypicalCause: Final = iri + "TypicalCause"
    aboutAgent: Final = iri + "aboutAgent"
    agentName: Final = iri + "agentName"
    annotation: Final = iri + "annotation"
    assessedAgent: Final = iri + "assessedAgent"
    authorList: Final = iri + "authorList"
    casRegistryNumber: Final = iri + "casRegistryNumber"
    caseNumber: Final = iri + "caseNumber"
    causeAgent: Final = iri + "causeAgent"
    category: Final = iri + "category"
    chapterId: Final = iri + "chapterId"
    clinicalTrial: Final = iri + "clinicalTrial"
    clinicalTrialsSearch: Final = iri + "clinicalTrialsSearch"
    citedWork: Final = iri + "citedWork"
    coversAgent: Final = iri + "coversAgent"
    describedIn: Final = iri + "describedIn"
    dailyMedSearch: Final = iri + "dailyMedSearch"
    dailyMedSetId: Final = iri + "dailyMedSetId"
    describesPattern: Final = iri + "describesPattern"
    evidenceAgent: Final = iri + "evidenceAgent"
    fromCaseReport: Final = iri + "fromCaseReport"
    hasCaseReport: Final = iri + "hasCaseReport"
    hasContentsEntry: Final = iri + "hasContentsEntry"
    hasInjuryPattern: Final = iri + "hasInjuryPattern"
    hasReference: Final = iri + "hasReference"
    hasSection: Final = iri + "hasSection"
    highDose: Final = iri + "highDose"
    highDoseMarker: Final = iri + "highDoseMarker"
    inCaseReport: Final = iri + "inCaseReport"
    inChapter: Final = iri + "inChapter"
    inSection: Final = iri + "inSection"
    injuryPattern: Final = iri + "injuryPattern"
    journalTitle: Final = iri + "journalTitle"
    latency: Final = iri + "latency"
    listsChapter: Final = iri + "listsChapter"
    loaderVersion: Final = iri + "loaderVersion"
    medication: Final = iri + "medication"
    memberOfClass: Final = iri + "memberOfClass"
    modifiedFrom: Final = iri + "modifiedFrom"
    molecularFormula: Final = iri + "molecularFormula"
    ncbiPage: Final = iri + "ncbiPage"
    ordinal: Final = iri + "ordinal"
    otherMedications: Final = iri + "otherMedications"
    overviewChapter: Final = iri + "overviewChapter"
    parentEntry: Final = iri + "parentEntry"
    patternText: Final = iri + "patternText"
    pointsTo: Final = iri + "pointsTo"
    pubMedSearch: Final = iri + "pubMedSearch"
    pubchemSubstance: Final = iri + "pubchemSubstance"
    publicationType: Final = iri + "publicationType"
    rRatio: Final = iri + "rRatio"
    recovery: Final = iri + "recovery"
    referenceList: Final = iri + "referenceList"
    registryNumberText: Final = iri + "registryNumberText"
    scope: Final = iri + "scope"
    sectionKey: Final = iri + "sectionKey"
    sentence: Final = iri + "sentence"
    severityGrade: Final = iri + "severityGrade"
    severityText: Final = iri + "severityText"
    sha256: Final = iri + "sha256"
    sourceFormat: Final = iri + "sourceFormat"
    sourceName: Final = iri + "sourceName"
    statement: Final = iri + "statement"
    statesClass: Final = iri + "statesClass"
    targetFragment: Final = iri + "targetFragment"
    text: Final = iri + "text"
    tradeName: Final = iri + "tradeName"


class LTXSH(Namespace):
    """livertox-kg's shapes (``shapes/``); their terms are read from the shapes files, not listed here."""

    prefix = "ltxsh"
    iri = "https://w3id.org/livertox-kg/shapes#"


NAMESPACES: tuple[type[Namespace], ...] = (LTX, RDF, RDFS, XSD, SKOS, DCTERMS, PROV, FABIO, CITO, BIBO)
"""The namespaces of the chapter graphs, in the order prefixes are declared in exports."""

DESCRIPTION_NAMESPACES: tuple[type[Namespace], ...] = (VOID, DCAT, DCTYPES, PAV, SPDX, SH, SCHEMA, OWL, OBO)
"""The namespaces the dataset description, the catalogue and the vocabulary graph add."""

MAPPING_NAMESPACES: tuple[type[Namespace], ...] = (SSSOM, SEMAPV)
"""The namespaces the mapping graph (:data:`MAPPING_GRAPH`) adds."""

XREF_PREFIXES: dict[str, str] = {
    "UNII": "http://identifiers.org/unii/",
    "DRUGBANK": "http://identifiers.org/drugbank/",
    "MESH": "http://id.nlm.nih.gov/mesh/",
    "CHEBI": OBO.iri + "CHEBI_",
    "CHEMINF": "http://semanticscience.org/resource/CHEMINF_",
    "bioregistry": "https://bioregistry.io/registry/",
}
"""CURIE prefixes of the databases agents are cross-referenced to, with the IRIs Biolink's prefix map gives
them (``biolink-model`` 4.4.6), so that the graph, the SSSOM table and the KGX edition name the same thing
the same way. ``CHEMINF:000446`` ("CAS registry number") is the field a CAS match compares; ``bioregistry:``
names the databases themselves (a mapping's ``sssom:object_source``). ChEBI IRIs are OBO IRIs (``obo:``
abbreviates them in Turtle)."""

PREFIXES: dict[str, str] = {
    **{ns.prefix: ns.iri for ns in NAMESPACES},
    "ltxid": ID,
    **{ns.prefix: ns.iri for ns in DESCRIPTION_NAMESPACES},
    **{ns.prefix: ns.iri for ns in MAPPING_NAMESPACES},
    **{p: ns for p, ns in XREF_PREFIXES.items() if not ns.startswith(OBO.iri)},
}
"""The one prefix table: every prefix of the graph and its exports (which declare only those they use). The
shapes' own namespace (:class:`LTXSH`) is not in the graph; reports add it."""

PUBMED: Final = "https://pubmed.ncbi.nlm.nih.gov/"
"""PubMed article IRIs, ``PUBMED + "{pmid}/"`` (Bioregistry's ``pubmed`` prefix)."""

PUBCHEM_SUBSTANCE: Final = "https://pubchem.ncbi.nlm.nih.gov/substance/"
"""PubChem substance pages, ``PUBCHEM_SUBSTANCE + "{sid}"`` (an agent's ``ltx:pubchemSubstance``)."""

CLINICAL_TRIALS: Final = "https://clinicaltrials.gov/study/"
"""ClinicalTrials.gov study records, ``CLINICAL_TRIALS + "NCT01514890"`` (a cited work's ``ltx:clinicalTrial``)."""
