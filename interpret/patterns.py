"""The injury-pattern scheme as matching needs it: which concepts a sentence names.

The concepts are stated once, in ``ontology/livertox.ttl`` (scheme ``ltxid:injury-pattern``: each concept's
IRI ``ltxid:pattern/{key}``, its label ``skos:prefLabel``, the titles of LiverTox's phenotype chapters on it
``skos:altLabel``, its MONDO/HP mappings); :data:`PATTERNS` is read from there, once, with pyoxigraph, and the
ontology's own prefix declarations give the IRIs it is read by. This module adds only what the ontology does
not say: the phrases that name a concept in a sentence (:data:`PHRASES`) and the words that deny a sentence.
A concept without phrases is a LiverTox phenotype only (its ``skos:definition`` says so): it is named by the
title of a phenotype chapter or a case report's "Pattern:", never found in running text.
``tests/rdf/test_vocab.py`` checks that the two agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

from livertox_kg.resources import ontology_ttl


@dataclass(frozen=True)
class PatternConcept:
    key: str  # "cholestatic": the concept's IRI is ltxid:pattern/{key}
    label: str  # skos:prefLabel
    phenotype_names: tuple[str, ...] = ()  # titles of LiverTox phenotype chapters on it (skos:altLabel)


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")", re.IGNORECASE)


PHRASES: dict[str, re.Pattern[str]] = {
    "hepatocellular": _rx(r"hepatocellular(?! (?:carcinoma|cancer|adenoma))"),
    "cholestatic": _rx(r"cholesta(?:tic|sis)"),
    "mixed": _rx(r"mixed(?: pattern| hepatocellular| cholestatic|-pattern| or cholestatic)"),
    "acute-liver-failure": _rx(
        r"acute liver failure", r"fulminant hepatic failure", r"fulminant hepatitis", r"acute hepatic failure"
    ),
    "autoimmune-like-hepatitis": _rx(
        r"autoimmune[- ]like hepatitis", r"autoimmune hepatitis", r"drug-induced autoimmune"
    ),
    "immune-mediated-hepatitis": _rx(r"immune[- ]mediated hepatitis", r"immune[- ]related hepatitis"),
    "sinusoidal-obstruction-syndrome": _rx(
        r"sinusoidal obstruction syndrome", r"sinusoid obstruction syndrome", r"veno-?occlusive disease"
    ),
    "nodular-regenerative-hyperplasia": _rx(r"nodular regenerative hyperplasia"),
    "steatosis": _rx(r"(?<!microvesicular )steatosis", r"fatty liver", r"steatohepatitis"),
    "microvesicular-steatosis": _rx(r"microvesicular (?:fat|steatosis)"),
    "hepatic-adenoma": _rx(r"hepatic adenomas?", r"hepatocellular adenomas?", r"liver adenomas?"),
    "peliosis-hepatis": _rx(r"peliosis hepatis"),
    "granulomatous-hepatitis": _rx(r"granulomatous hepatitis", r"hepatic granulomas?"),
    "vanishing-bile-duct-syndrome": _rx(r"vanishing bile duct", r"ductopenia"),
    "chronic-hepatitis": _rx(r"chronic hepatitis"),
    "cirrhosis": _rx(r"cirrhosis"),
    "hepatitis-b-reactivation": _rx(
        r"reactivation of hepatitis B", r"hepatitis B reactivation", r"reactivation of HBV"
    ),
    "transient-enzyme-elevations": _rx(
        r"serum (?:enzyme|aminotransferase|ALT|AST) elevations",
        r"elevations in serum (?:enzyme|aminotransferase|ALT)",
    ),
    "hyperbilirubinemia": _rx(r"hyperbilirubinemia"),
    "jaundice": _rx(r"jaundice"),
}
"""Concept key -> the phrases that name it, matched case-insensitively against one sentence; in the
ontology's order of the concepts, which is the order :func:`patterns_in` reports them in."""


def _read_scheme(turtle: bytes) -> dict[str, PatternConcept]:
    """The concepts of the ontology's ``ltxid:injury-pattern`` scheme, in the order the file states them."""
    parser = ox.parse(turtle, format=ox.RdfFormat.TURTLE)
    quads = list(parser)  # the parser knows the file's prefixes once it has read it
    ltxid, skos = parser.prefixes["ltxid"], parser.prefixes["skos"]
    scheme, base = ox.NamedNode(ltxid + "injury-pattern"), ltxid + "pattern/"
    in_scheme, pref_label, alt_label = (ox.NamedNode(skos + term) for term in ("inScheme", "prefLabel", "altLabel"))
    concepts = [q.subject.value for q in quads if q.predicate == in_scheme and q.object == scheme]
    if odd := [iri for iri in concepts if not iri.startswith(base)]:
        raise ValueError(f"ontology/livertox.ttl: injury-pattern concepts not named ltxid:pattern/{{key}}: {odd}")

    def values(iri: str, predicate: ox.NamedNode) -> list[str]:
        return [q.object.value for q in quads if q.subject.value == iri and q.predicate == predicate]

    return {
        iri[len(base) :]: PatternConcept(iri[len(base) :], values(iri, pref_label)[0], tuple(values(iri, alt_label)))
        for iri in concepts
    }


PATTERNS: dict[str, PatternConcept] = _read_scheme(ontology_ttl())
"""Concept key -> the concept, every concept of the scheme, in the ontology's order."""

_NEGATION = re.compile(
    r"\b(?:not|no|never|none|neither|nor|without evidence|absence of|lack of|unlikely|rather than|"
    r"ruled out|excluded|has not|have not|did not|does not|were not|was not)\b",
    re.IGNORECASE,
)


def is_negated(sentence: str) -> bool:
    """A sentence that denies or doubts rather than states ("has not been implicated in ...")."""
    return _NEGATION.search(sentence) is not None


def patterns_in(sentence: str) -> list[str]:
    """Keys of the patterns a sentence names, in scheme order (no negation check)."""
    return [key for key, phrases in PHRASES.items() if phrases.search(sentence)]


def pattern_from_case_label(text: str) -> str | None:
    """The concept a case report's "Pattern:" value names ("Cholestatic (R=1.9)", "Mixed ...")."""
    lowered = text.lower()
    if lowered.startswith("mixed"):
        return "mixed"
    for key in ("hepatocellular", "cholestatic"):
        if PHRASES[key].search(text):
            return key
    found = patterns_in(text)
    return found[0] if found else None
