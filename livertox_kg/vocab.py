"""Every IRI the graph uses, in one closed set of namespaces.

A term that is not listed here is an error (``AttributeError``), not a new IRI: a typo cannot mint a
term silently. ``tests/test_vocab.py`` checks that every ``LTX`` term is defined in
``ontology/livertox.ttl`` and that the ontology defines nothing that is not listed here.
"""

from __future__ import annotations

from typing import ClassVar

BASE = "https://w3id.org/livertox-kg/"
ID = BASE + "id/"
GRAPH = BASE + "graph/"
VOCAB_GRAPH = GRAPH + "vocabulary"


class _Closed:
    """A namespace whose terms are fixed: ``NS.term`` gives the full IRI, unknown terms raise."""

    prefix: ClassVar[str]
    iri: ClassVar[str]
    terms: ClassVar[frozenset[str]]

    def __init_subclass__(cls, *, prefix: str, iri: str, terms: str) -> None:
        cls.prefix = prefix
        cls.iri = iri
        cls.terms = frozenset(terms.split())
        for term in cls.terms:
            setattr(cls, term.replace("-", "_"), iri + term)

    def __getattr__(self, name: str) -> str:  # pragma: no cover - instances are never made
        raise AttributeError(name)


class LTX(
    _Closed,
    prefix="ltx",
    iri=BASE + "ontology#",
    terms="""
    Chapter DrugChapter HerbalChapter ClassOverviewChapter FrontMatterChapter
    Section Agent Drug HerbalOrSupplement DrugClass
    LikelihoodAssessment LikelihoodCategory InjuryPattern PatternEvidence CaseReport
    ChapterReference SourceFile
    chapterId ncbiPage hasSection sectionKey ordinal text aboutAgent
    coversAgent statesClass listsChapter loaderVersion
    sourceName sha256 sourceFormat
    tradeName casRegistryNumber registryNumberText molecularFormula memberOfClass describedIn
    hasInjuryPattern overviewChapter
    assessedAgent inChapter category highDose highDoseMarker scope statement inSection
    evidenceAgent injuryPattern sentence fromCaseReport inCaseReport
    caseNumber medication patternText rRatio severityText severityGrade latency recovery
    otherMedications hasCaseReport
    citedWork annotation referenceList hasReference
    authorList journalTitle publicationType
    """,
):
    """livertox-kg's own ontology (``ontology/livertox.ttl``)."""


class RDF(_Closed, prefix="rdf", iri="http://www.w3.org/1999/02/22-rdf-syntax-ns#", terms="type"):
    pass


class RDFS(
    _Closed,
    prefix="rdfs",
    iri="http://www.w3.org/2000/01/rdf-schema#",
    terms="label comment seeAlso subClassOf isDefinedBy",
):
    pass


class XSD(
    _Closed,
    prefix="xsd",
    iri="http://www.w3.org/2001/XMLSchema#",
    terms="string boolean integer decimal date gYear anyURI",
):
    pass


class SKOS(
    _Closed,
    prefix="skos",
    iri="http://www.w3.org/2004/02/skos/core#",
    terms="""Concept ConceptScheme prefLabel altLabel notation definition inScheme
    hasTopConcept topConceptOf exactMatch closeMatch broadMatch narrowMatch broader""",
):
    pass


class DCTERMS(
    _Closed,
    prefix="dcterms",
    iri="http://purl.org/dc/terms/",
    terms="title modified creator bibliographicCitation identifier isPartOf source license",
):
    pass


class PROV(
    _Closed,
    prefix="prov",
    iri="http://www.w3.org/ns/prov#",
    terms="Entity wasDerivedFrom",
):
    pass


class FABIO(
    _Closed,
    prefix="fabio",
    iri="http://purl.org/spar/fabio/",
    terms="JournalArticle Book WebPage Expression hasPubMedId hasPubMedCentralId hasPublicationYear",
):
    pass


class CITO(_Closed, prefix="cito", iri="http://purl.org/spar/cito/", terms="citesAsEvidence"):
    pass


class BIBO(
    _Closed,
    prefix="bibo",
    iri="http://purl.org/ontology/bibo/",
    terms="doi volume issue pages",
):
    pass


NAMESPACES: tuple[type[_Closed], ...] = (LTX, RDF, RDFS, XSD, SKOS, DCTERMS, PROV, FABIO, CITO, BIBO)
"""Every namespace the graph uses, in the order prefixes are declared in exports."""

PREFIXES: dict[str, str] = {ns.prefix: ns.iri for ns in NAMESPACES}
PREFIXES["ltxid"] = ID


# Individuals (SKOS schemes, concepts) are data, minted in livertox_kg.iris.
