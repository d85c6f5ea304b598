"""ontology/livertox.ttl agrees with the code: rdf/vocab.py (closed term list), model.py, rdf/iris.py, and
interpret/patterns.py (which reads the injury-pattern concepts from the ontology and adds their phrases).

A failure names the term. To fix one: define the term in ontology/livertox.ttl (or remove it there),
or change rdf/vocab.py / interpret/patterns.py so that code and ontology say the same thing.
"""

from __future__ import annotations

import re

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL
from rdflib.term import Node

from livertox_kg.interpret.patterns import PATTERNS, PHRASES
from livertox_kg.model import LIKELIHOOD_CODES
from livertox_kg.rdf import iris
from livertox_kg.rdf.vocab import (
    DCTERMS,
    ID,
    LTX,
    NAMESPACES,
    OBO,
    RDF,
    RDFS,
    SKOS,
    XSD,
    obo_iri,
)
from tests.conftest import ROOT

ONTOLOGY_FILE = ROOT / "ontology" / "livertox.ttl"
ONTOLOGY = URIRef(LTX.iri.rstrip("#"))

TYPE = URIRef(RDF.type)
LABEL = URIRef(RDFS.label)
COMMENT = URIRef(RDFS.comment)
IS_DEFINED_BY = URIRef(RDFS.isDefinedBy)
SUBCLASS_OF = URIRef(RDFS.subClassOf)
DOMAIN = URIRef("http://www.w3.org/2000/01/rdf-schema#domain")
RANGE = URIRef("http://www.w3.org/2000/01/rdf-schema#range")

DECLARATION_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}

# The OWL / RDFS language terms the file may use besides the vocabulary of vocab.py.
LANGUAGE_TERMS = {
    TYPE,
    DOMAIN,
    RANGE,
    OWL.Ontology,
    OWL.versionInfo,
    OWL.disjointWith,
    *DECLARATION_TYPES,
}

# Ranges fixed by the design (every other ltx datatype property is xsd:string).
DATATYPE_RANGES = {
    "ordinal": XSD.integer,
    "caseNumber": XSD.integer,
    "severityGrade": XSD.integer,
    "rRatio": XSD.decimal,
    "highDose": XSD.boolean,
    "fromCaseReport": XSD.boolean,
}

SUPERCLASSES = {
    "DrugChapter": LTX.Chapter,
    "HerbalChapter": LTX.Chapter,
    "ClassOverviewChapter": LTX.Chapter,
    "FrontMatterChapter": LTX.Chapter,
    "Drug": LTX.Agent,
    "HerbalOrSupplement": LTX.Agent,
    "LikelihoodCategory": SKOS.Concept,
    "InjuryPattern": SKOS.Concept,
    "SourceFile": "http://www.w3.org/ns/prov#Entity",
}

# MONDO / HP ids read in the ontologies' own release files (shared/DOMAIN.md, "checked").
CHECKED_IDS = {
    "MONDO:0005359", "MONDO:0002184", "MONDO:0019542", "MONDO:0016264", "MONDO:0001751",
    "MONDO:0019072", "MONDO:0019514", "MONDO:0002252", "MONDO:0004790", "MONDO:0005155",
    "MONDO:0004717", "MONDO:0018902",
    "HP:0012115", "HP:0001396", "HP:0001397", "HP:0001399", "HP:0002605", "HP:0001395",
    "HP:0001394", "HP:0000952", "HP:0002904",
}  # fmt: skip

MATCHES = {
    "exact": URIRef(SKOS.exactMatch),
    "close": URIRef(SKOS.closeMatch),
    "broad": URIRef(SKOS.broadMatch),
}

LTX_TERMS = sorted(LTX.terms)
LTX_CLASSES = [t for t in LTX_TERMS if t[0].isupper()]
LTX_PROPERTIES = [t for t in LTX_TERMS if t[0].islower()]
EXTERNAL_TERMS = sorted(
    f"{ns.prefix}:{term}" for ns in NAMESPACES if ns not in (LTX, RDF, RDFS, XSD) for term in ns.terms
)
_PREFIXES = {ns.prefix: ns.iri for ns in NAMESPACES}


def _iri(curie: str) -> URIRef:
    prefix, local = curie.split(":", 1)
    return URIRef(_PREFIXES[prefix] + local)


@pytest.fixture(scope="module")
def graph() -> Graph:
    g = Graph()
    g.parse(ONTOLOGY_FILE, format="turtle")
    return g


def _nodes(g: Graph) -> set[Node]:
    return {node for triple in g for node in triple}


def test_parses(graph: Graph) -> None:
    assert (ONTOLOGY, TYPE, OWL.Ontology) in graph
    assert graph.value(ONTOLOGY, OWL.versionInfo) == Literal("0.1.0")
    for predicate in (DCTERMS.title, COMMENT, DCTERMS.license, DCTERMS.source):
        assert graph.value(ONTOLOGY, URIRef(predicate)) is not None, predicate


def test_no_blank_nodes(graph: Graph) -> None:
    blank = [triple for triple in graph if any(isinstance(node, BNode) for node in triple)]
    assert blank == []


@pytest.mark.parametrize("term", LTX_TERMS)
def test_ltx_term_is_defined(graph: Graph, term: str) -> None:
    iri = URIRef(LTX.iri + term)
    types = set(graph.objects(iri, TYPE)) & DECLARATION_TYPES
    expected = {OWL.Class} if term[0].isupper() else {OWL.ObjectProperty, OWL.DatatypeProperty}
    assert len(types) == 1 and types <= expected, f"ltx:{term} has types {types}"
    labels = list(graph.objects(iri, LABEL))
    comments = list(graph.objects(iri, COMMENT))
    assert len(labels) == 1, f"ltx:{term} needs one rdfs:label"
    assert len(comments) == 1, f"ltx:{term} needs one rdfs:comment"
    assert (iri, IS_DEFINED_BY, ONTOLOGY) in graph


@pytest.mark.parametrize("term", LTX_PROPERTIES)
def test_ltx_property_domain_and_range(graph: Graph, term: str) -> None:
    iri = URIRef(LTX.iri + term)
    ranges = list(graph.objects(iri, RANGE))
    domains = list(graph.objects(iri, DOMAIN))
    assert len(ranges) == 1, f"ltx:{term} needs exactly one rdfs:range"
    assert len(domains) <= 1, f"ltx:{term} has several rdfs:domain (their intersection is meant?)"
    if domains:
        assert (domains[0], TYPE, OWL.Class) in graph, f"domain of ltx:{term} is not a declared class"
    if (iri, TYPE, OWL.DatatypeProperty) in graph:
        assert ranges[0] == URIRef(DATATYPE_RANGES.get(term, XSD.string))
    else:
        assert (ranges[0], TYPE, OWL.Class) in graph, f"range of ltx:{term} is not a declared class"


def test_ncbi_page_is_an_object_property(graph: Graph) -> None:
    assert (URIRef(LTX.ncbiPage), TYPE, OWL.ObjectProperty) in graph


@pytest.mark.parametrize(("term", "superclass"), sorted(SUPERCLASSES.items()), ids=sorted(SUPERCLASSES))
def test_superclass(graph: Graph, term: str, superclass: str) -> None:
    assert (URIRef(LTX.iri + term), SUBCLASS_OF, URIRef(superclass)) in graph


def test_superclasses_are_declared(graph: Graph) -> None:
    undeclared = {o for o in graph.objects(None, SUBCLASS_OF) if (o, TYPE, OWL.Class) not in graph}
    assert undeclared == set()


def test_defines_nothing_the_code_does_not_know(graph: Graph) -> None:
    unknown = {
        str(node)
        for node in _nodes(graph)
        if isinstance(node, URIRef) and node.startswith(LTX.iri) and node[len(LTX.iri) :] not in LTX.terms
    }
    assert unknown == set(), "add these to vocab.LTX or remove them from the ontology"


def test_individuals_are_the_ones_iris_mints(graph: Graph) -> None:
    minted = {iris.LIKELIHOOD_SCHEME, iris.PATTERN_SCHEME}
    minted |= {iris.likelihood_category(code) for code in LIKELIHOOD_CODES}
    minted |= {iris.injury_pattern(key) for key in PATTERNS}
    found = {str(n) for n in _nodes(graph) if isinstance(n, URIRef) and n.startswith(ID)}
    assert found == minted


@pytest.mark.parametrize("curie", EXTERNAL_TERMS)
def test_external_term_is_declared(graph: Graph, curie: str) -> None:
    iri = _iri(curie)
    types = set(graph.objects(iri, TYPE)) & DECLARATION_TYPES
    assert len(types) == 1, f"{curie} has types {types}"
    if curie.split(":", 1)[1][0].isupper():
        assert types == {OWL.Class}
    assert graph.value(iri, IS_DEFINED_BY) is not None, f"{curie} needs rdfs:isDefinedBy"
    assert graph.value(iri, LABEL) is not None, f"{curie} needs rdfs:label"


def test_uses_only_known_terms(graph: Graph) -> None:
    """Every predicate and class the file uses is in vocab.py or is an OWL/RDFS language term."""
    known = {URIRef(ns.iri + term) for ns in NAMESPACES for term in ns.terms} | LANGUAGE_TERMS
    used = set(graph.predicates()) | set(graph.objects(None, TYPE))
    assert used - known == set()


# --- the likelihood scale ---------------------------------------------------------------------------

SCHEME = URIRef(iris.LIKELIHOOD_SCHEME)


def test_likelihood_scheme(graph: Graph) -> None:
    assert (SCHEME, TYPE, URIRef(SKOS.ConceptScheme)) in graph
    assert graph.value(SCHEME, URIRef(DCTERMS.title)) is not None
    assert graph.value(SCHEME, OWL.versionInfo) is not None
    assert "2010" in str(graph.value(SCHEME, COMMENT)), "the note on the 2010 scheme is missing"


def test_likelihood_notations(graph: Graph) -> None:
    concepts = set(graph.subjects(URIRef(SKOS.inScheme), SCHEME))
    notations = sorted(str(graph.value(c, URIRef(SKOS.notation))) for c in concepts)
    assert notations == sorted(LIKELIHOOD_CODES)


@pytest.mark.parametrize("code", LIKELIHOOD_CODES)
def test_likelihood_category(graph: Graph, code: str) -> None:
    concept = URIRef(iris.likelihood_category(code))
    assert (concept, TYPE, URIRef(SKOS.Concept)) in graph
    assert (concept, TYPE, URIRef(LTX.LikelihoodCategory)) in graph
    assert list(graph.objects(concept, URIRef(SKOS.notation))) == [Literal(code)]  # plain string
    labels = list(graph.objects(concept, URIRef(SKOS.prefLabel)))
    assert len(labels) == 1 and labels[0].language == "en"
    assert graph.value(concept, URIRef(SKOS.definition)) is not None
    assert (concept, URIRef(SKOS.inScheme), SCHEME) in graph
    assert (concept, URIRef(SKOS.topConceptOf), SCHEME) in graph
    assert (SCHEME, URIRef(SKOS.hasTopConcept), concept) in graph


def test_not_assessable_label(graph: Graph) -> None:
    label = graph.value(URIRef(iris.likelihood_category("NA")), URIRef(SKOS.prefLabel))
    assert str(label) == "cannot be assessed"


# --- the injury-pattern scheme ----------------------------------------------------------------------

PATTERN_SCHEME = URIRef(iris.PATTERN_SCHEME)


def test_pattern_scheme_has_exactly_the_pattern_keys(graph: Graph) -> None:
    assert (PATTERN_SCHEME, TYPE, URIRef(SKOS.ConceptScheme)) in graph
    assert graph.value(PATTERN_SCHEME, URIRef(DCTERMS.title)) is not None
    in_scheme = {str(c) for c in graph.subjects(URIRef(SKOS.inScheme), PATTERN_SCHEME)}
    top = {str(c) for c in graph.objects(PATTERN_SCHEME, URIRef(SKOS.hasTopConcept))}
    expected = {iris.injury_pattern(key) for key in PATTERNS}
    assert in_scheme == expected
    assert top == expected


@pytest.mark.parametrize("key", list(PATTERNS))
def test_pattern_concept(graph: Graph, key: str) -> None:
    concept = URIRef(iris.injury_pattern(key))
    assert (concept, TYPE, URIRef(SKOS.Concept)) in graph
    assert (concept, TYPE, URIRef(LTX.InjuryPattern)) in graph
    # patterns.py (pyoxigraph) reads the one English label and the phenotype names rdflib reads.
    pattern = PATTERNS[key]
    assert list(graph.objects(concept, URIRef(SKOS.prefLabel))) == [Literal(pattern.label, lang="en")]
    alt_labels = set(graph.objects(concept, URIRef(SKOS.altLabel)))
    assert alt_labels == {Literal(name, lang="en") for name in pattern.phenotype_names}
    assert len(pattern.phenotype_names) == len(alt_labels)
    assert graph.value(concept, URIRef(SKOS.definition)) is not None
    assert (concept, URIRef(SKOS.topConceptOf), PATTERN_SCHEME) in graph


def test_every_phrase_names_a_concept() -> None:
    assert set(PHRASES) - set(PATTERNS) == set()


def test_phrases_follow_the_scheme_order() -> None:
    """patterns_in reports patterns in the order of PHRASES, which is to be the ontology's."""
    assert list(PHRASES) == [key for key in PATTERNS if key in PHRASES]


def test_a_concept_without_phrases_is_documented_as_a_phenotype(graph: Graph) -> None:
    """A concept patterns.py has no phrases for is never found in running text: the ontology must say that
    it is a LiverTox phenotype only (named by phenotype chapters and case reports), and only those are."""
    phenotype_only = {
        key
        for key in PATTERNS
        if "a LiverTox phenotype" in str(graph.value(URIRef(iris.injury_pattern(key)), URIRef(SKOS.definition)))
    }
    assert set(PATTERNS) - set(PHRASES) == phenotype_only


_OBO_CURIE = re.compile(r"\b(?:MONDO|HP):\d{7}\b")


@pytest.mark.parametrize("key", list(PATTERNS))
def test_unchecked_mappings_are_flagged(graph: Graph, key: str) -> None:
    """A mapping to an id not read in its ontology's release needs an rdfs:comment saying so, naming it."""
    concept = URIRef(iris.injury_pattern(key))
    checked = {URIRef(obo_iri(curie)) for curie in CHECKED_IDS}
    targets = {t for p in MATCHES.values() for t in graph.objects(concept, p)}
    comment = str(graph.value(concept, COMMENT) or "")
    named = {URIRef(obo_iri(curie)) for curie in _OBO_CURIE.findall(comment)}
    for target in targets - checked:
        assert "unchecked" in comment and target in named, f"{key}: mapping to {target} is unchecked"


def test_an_unchecked_mapping_is_seen(graph: Graph) -> None:
    """The check above sees the unchecked mapping the ontology flags (HP:0002910, serum enzyme elevations)."""
    concept = URIRef(iris.injury_pattern("transient-enzyme-elevations"))
    targets = {t for p in MATCHES.values() for t in graph.objects(concept, p)}
    assert URIRef(obo_iri("HP:0002910")) in targets - {URIRef(obo_iri(c)) for c in CHECKED_IDS}


def test_no_target_under_two_mapping_relations(graph: Graph) -> None:
    """SKOS: exactMatch is disjoint with broadMatch; one target under two relations is a contradiction."""
    for concept in graph.subjects(URIRef(SKOS.inScheme), PATTERN_SCHEME):
        targets = [t for p in MATCHES.values() for t in graph.objects(concept, p)]
        assert len(targets) == len(set(targets)), concept


def test_mapping_targets_are_obo_iris(graph: Graph) -> None:
    targets = {t for p in MATCHES.values() for t in graph.objects(None, p)}
    assert targets and all(isinstance(t, URIRef) and t.startswith(OBO.iri) for t in targets)
