"""Every IRI the graph uses, in one closed set of namespaces.

Each namespace is a class whose attributes are its terms: a term that is not listed is an error
(``AttributeError``, and a mypy error), never a new IRI, so a typo cannot mint a term silently.
``tests/test_vocab.py`` checks that every ``LTX`` term is defined in ``ontology/livertox.ttl`` and that
the ontology defines nothing that is not listed here.
"""

from __future__ import annotations

from typing import ClassVar, Final

BASE: Final = "https://w3id.org/livertox-kg/"
ID: Final = BASE + "id/"
GRAPH: Final = BASE + "graph/"
VOCAB_GRAPH: Final = GRAPH + "vocabulary"
DESCRIPTION_GRAPH: Final = GRAPH + "dataset-description"  # the dataset description (livertox_kg.store.description)


class Namespace:
    """A closed namespace: its terms are the class attributes below; ``terms()`` lists them."""

    prefix: ClassVar[str]
    iri: ClassVar[str]
    terms: ClassVar[frozenset[str]]

    def __init_subclass__(cls) -> None:
        cls.terms = frozenset(
            name
            for name, value in vars(cls).items()
            if name not in ("prefix", "iri") and isinstance(value, str) and value.startswith(cls.iri)
        )


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
    citedWork: Final = iri + "citedWork"
    coversAgent: Final = iri + "coversAgent"
    describedIn: Final = iri + "describedIn"
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
    molecularFormula: Final = iri + "molecularFormula"
    ncbiPage: Final = iri + "ncbiPage"
    ordinal: Final = iri + "ordinal"
    otherMedications: Final = iri + "otherMedications"
    overviewChapter: Final = iri + "overviewChapter"
    parentEntry: Final = iri + "parentEntry"
    patternText: Final = iri + "patternText"
    pointsTo: Final = iri + "pointsTo"
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


class RDF(Namespace):
    prefix = "rdf"
    iri = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    type: Final = iri + "type"


class RDFS(Namespace):
    prefix = "rdfs"
    iri = "http://www.w3.org/2000/01/rdf-schema#"
    comment: Final = iri + "comment"
    isDefinedBy: Final = iri + "isDefinedBy"
    label: Final = iri + "label"
    seeAlso: Final = iri + "seeAlso"
    subClassOf: Final = iri + "subClassOf"


class XSD(Namespace):
    prefix = "xsd"
    iri = "http://www.w3.org/2001/XMLSchema#"
    anyURI: Final = iri + "anyURI"
    boolean: Final = iri + "boolean"
    date: Final = iri + "date"
    decimal: Final = iri + "decimal"
    gYear: Final = iri + "gYear"
    integer: Final = iri + "integer"
    string: Final = iri + "string"


class SKOS(Namespace):
    prefix = "skos"
    iri = "http://www.w3.org/2004/02/skos/core#"
    Concept: Final = iri + "Concept"
    ConceptScheme: Final = iri + "ConceptScheme"
    altLabel: Final = iri + "altLabel"
    broadMatch: Final = iri + "broadMatch"
    broader: Final = iri + "broader"
    closeMatch: Final = iri + "closeMatch"
    definition: Final = iri + "definition"
    exactMatch: Final = iri + "exactMatch"
    hasTopConcept: Final = iri + "hasTopConcept"
    inScheme: Final = iri + "inScheme"
    narrowMatch: Final = iri + "narrowMatch"
    notation: Final = iri + "notation"
    prefLabel: Final = iri + "prefLabel"
    topConceptOf: Final = iri + "topConceptOf"


class DCTERMS(Namespace):
    prefix = "dcterms"
    iri = "http://purl.org/dc/terms/"
    bibliographicCitation: Final = iri + "bibliographicCitation"
    creator: Final = iri + "creator"
    identifier: Final = iri + "identifier"
    isPartOf: Final = iri + "isPartOf"
    license: Final = iri + "license"
    modified: Final = iri + "modified"
    source: Final = iri + "source"
    title: Final = iri + "title"


class PROV(Namespace):
    prefix = "prov"
    iri = "http://www.w3.org/ns/prov#"
    Entity: Final = iri + "Entity"
    wasDerivedFrom: Final = iri + "wasDerivedFrom"


class FABIO(Namespace):
    prefix = "fabio"
    iri = "http://purl.org/spar/fabio/"
    Book: Final = iri + "Book"
    Expression: Final = iri + "Expression"
    JournalArticle: Final = iri + "JournalArticle"
    WebPage: Final = iri + "WebPage"
    hasPubMedCentralId: Final = iri + "hasPubMedCentralId"
    hasPubMedId: Final = iri + "hasPubMedId"
    hasPublicationYear: Final = iri + "hasPublicationYear"


class CITO(Namespace):
    prefix = "cito"
    iri = "http://purl.org/spar/cito/"
    citesAsEvidence: Final = iri + "citesAsEvidence"


class BIBO(Namespace):
    prefix = "bibo"
    iri = "http://purl.org/ontology/bibo/"
    doi: Final = iri + "doi"
    issue: Final = iri + "issue"
    pages: Final = iri + "pages"
    volume: Final = iri + "volume"


NAMESPACES: tuple[type[Namespace], ...] = (LTX, RDF, RDFS, XSD, SKOS, DCTERMS, PROV, FABIO, CITO, BIBO)
"""Every namespace the graph uses, in the order prefixes are declared in exports."""

PREFIXES: dict[str, str] = {ns.prefix: ns.iri for ns in NAMESPACES}
PREFIXES["ltxid"] = ID
