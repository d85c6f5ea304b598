"""The standard vocabularies the graph reuses (W3C, Dublin Core, SPAR, VoID, SSSOM, ...), as closed namespaces.

Each namespace is a class whose attributes are its terms: a term that is not listed is an error
(``AttributeError``, and a mypy error), never a new IRI, so a typo cannot mint a term silently. To use a new
term of one of these vocabularies, add it to its class here. Import the namespaces from
:mod:`livertox_kg.rdf.vocab`, which re-exports them beside livertox-kg's own and holds the one prefix table.
"""

from __future__ import annotations

from typing import ClassVar, Final


class Namespace:
    """A closed namespace: its terms are the class attributes of each subclass; ``terms`` lists their names."""

    prefix: ClassVar[str]
    iri: ClassVar[str]
    terms: ClassVar[frozenset[str]]

    def __init_subclass__(cls) -> None:
        cls.terms = frozenset(
            name
            for name, value in vars(cls).items()
            if name not in ("prefix", "iri") and isinstance(value, str) and value.startswith(cls.iri)
        )


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
    double: Final = iri + "double"
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
    conformsTo: Final = iri + "conformsTo"
    creator: Final = iri + "creator"
    description: Final = iri + "description"
    extent: Final = iri + "extent"
    format: Final = iri + "format"
    identifier: Final = iri + "identifier"
    isPartOf: Final = iri + "isPartOf"
    isVersionOf: Final = iri + "isVersionOf"
    language: Final = iri + "language"
    license: Final = iri + "license"
    modified: Final = iri + "modified"
    publisher: Final = iri + "publisher"
    rights: Final = iri + "rights"
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
    hasURL: Final = iri + "hasURL"
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


class VOID(Namespace):
    prefix = "void"
    iri = "http://rdfs.org/ns/void#"
    Dataset: Final = iri + "Dataset"
    class_: Final = iri + "class"
    classPartition: Final = iri + "classPartition"
    classes: Final = iri + "classes"
    entities: Final = iri + "entities"
    exampleResource: Final = iri + "exampleResource"
    properties: Final = iri + "properties"
    rootResource: Final = iri + "rootResource"
    subset: Final = iri + "subset"
    triples: Final = iri + "triples"
    uriSpace: Final = iri + "uriSpace"
    vocabulary: Final = iri + "vocabulary"


class DCAT(Namespace):
    prefix = "dcat"
    iri = "http://www.w3.org/ns/dcat#"
    Distribution: Final = iri + "Distribution"
    distribution: Final = iri + "distribution"
    keyword: Final = iri + "keyword"
    landingPage: Final = iri + "landingPage"
    mediaType: Final = iri + "mediaType"


class DCTYPES(Namespace):
    prefix = "dctypes"
    iri = "http://purl.org/dc/dcmitype/"
    Dataset: Final = iri + "Dataset"
    Software: Final = iri + "Software"


class PAV(Namespace):
    prefix = "pav"
    iri = "http://purl.org/pav/"
    createdWith: Final = iri + "createdWith"
    version: Final = iri + "version"


class SPDX(Namespace):
    prefix = "spdx"
    iri = "http://spdx.org/rdf/terms#"
    Checksum: Final = iri + "Checksum"
    algorithm: Final = iri + "algorithm"
    checksum: Final = iri + "checksum"
    checksumAlgorithm_sha256: Final = iri + "checksumAlgorithm_sha256"
    checksumValue: Final = iri + "checksumValue"


class OWL(Namespace):
    """The vocabulary graph (the ontology) uses OWL; the mapping graph reifies each mapping as an
    ``owl:Axiom`` (SSSOM/RDF)."""

    prefix = "owl"
    iri = "http://www.w3.org/2002/07/owl#"
    Axiom: Final = iri + "Axiom"
    annotatedProperty: Final = iri + "annotatedProperty"
    annotatedSource: Final = iri + "annotatedSource"
    annotatedTarget: Final = iri + "annotatedTarget"
    versionInfo: Final = iri + "versionInfo"


class OBO(Namespace):
    """Only for prefixes in exports: the injury-pattern scheme maps to MONDO and HP."""

    prefix = "obo"
    iri = "http://purl.obolibrary.org/obo/"


def obo_iri(curie: str) -> str:
    """An OBO ontology's id as its IRI, by the OBO Foundry's rule: ``"MONDO:0005359"`` ->
    ``http://purl.obolibrary.org/obo/MONDO_0005359`` (HP, MONDO: the targets of the injury-pattern mappings)."""
    prefix, local = curie.split(":", 1)
    return f"{OBO.iri}{prefix}_{local}"


class SH(Namespace):
    """SHACL: the shapes (``shapes/``), validation reports, and the stored queries as SPARQL executables."""

    prefix = "sh"
    iri = "http://www.w3.org/ns/shacl#"
    PrefixDeclaration: Final = iri + "PrefixDeclaration"
    SPARQLAskExecutable: Final = iri + "SPARQLAskExecutable"
    SPARQLExecutable: Final = iri + "SPARQLExecutable"
    SPARQLSelectExecutable: Final = iri + "SPARQLSelectExecutable"
    ask: Final = iri + "ask"
    declare: Final = iri + "declare"
    namespace: Final = iri + "namespace"
    prefix_: Final = iri + "prefix"
    prefixes: Final = iri + "prefixes"
    select: Final = iri + "select"


class SCHEMA(Namespace):
    prefix = "schema"
    iri = "https://schema.org/"
    description: Final = iri + "description"
    keywords: Final = iri + "keywords"
    target: Final = iri + "target"


class SSSOM(Namespace):
    """SSSOM (Simple Standard for Sharing Ontological Mappings), its RDF form: the mapping graph
    (:mod:`livertox_kg.mappings`) describes each cross-reference of an agent with these slots."""

    prefix = "sssom"
    iri = "https://w3id.org/sssom/"
    MappingSet: Final = iri + "MappingSet"
    confidence: Final = iri + "confidence"
    mapping_justification: Final = iri + "mapping_justification"
    mapping_tool: Final = iri + "mapping_tool"
    mappings: Final = iri + "mappings"
    match_string: Final = iri + "match_string"
    object_label: Final = iri + "object_label"
    object_match_field: Final = iri + "object_match_field"
    object_source: Final = iri + "object_source"
    object_source_version: Final = iri + "object_source_version"
    subject_label: Final = iri + "subject_label"
    subject_match_field: Final = iri + "subject_match_field"
    subject_preprocessing: Final = iri + "subject_preprocessing"


class SEMAPV(Namespace):
    """The semantic mapping vocabulary: how a mapping was made (justification) and what was done to the
    strings before they were compared (pre-processing)."""

    prefix = "semapv"
    iri = "https://w3id.org/semapv/vocab/"
    LexicalMatching: Final = iri + "LexicalMatching"
    CaseNormalization: Final = iri + "CaseNormalization"
    DiacriticsSuppression: Final = iri + "DiacriticsSuppression"
    PunctuationElemination: Final = iri + "PunctuationElemination"  # sic: SEMAPV's spelling
    BlankNormalisation: Final = iri + "BlankNormalisation"
