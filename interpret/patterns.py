"""The injury-pattern scheme: concept keys, labels, the phrases that name them, and their mappings.

The SKOS concepts themselves are published in ``ontology/livertox.ttl`` (scheme
``ltxid:injury-pattern``); ``tests/test_vocab.py`` keeps the two in sync.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class PatternConcept:
    key: str
    label: str
    phrases: re.Pattern[str] | None  # matched case-insensitively against one sentence (None: never)
    exact: tuple[str, ...] = ()  # CURIEs (MONDO:..., HP:...) for skos:exactMatch
    close: tuple[str, ...] = ()  # skos:closeMatch
    broad: tuple[str, ...] = ()  # skos:broadMatch
    phenotype_names: tuple[str, ...] = ()  # titles of LiverTox phenotype chapters on it (skos:altLabel)


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")", re.IGNORECASE)


PATTERNS: dict[str, PatternConcept] = {
    p.key: p
    for p in (
        PatternConcept(
            "hepatocellular",
            "hepatocellular injury",
            _rx(r"hepatocellular(?! (?:carcinoma|cancer|adenoma))"),
            close=("HP:0012115",),
            broad=("MONDO:0005359",),
        ),
        PatternConcept(
            "cholestatic",
            "cholestatic injury",
            _rx(r"cholesta(?:tic|sis)"),
            close=("HP:0001396", "MONDO:0001751"),
            broad=("MONDO:0005359",),
            phenotype_names=("cholestatic hepatitis",),
        ),
        PatternConcept(
            "mixed",
            "mixed hepatocellular-cholestatic injury",
            _rx(r"mixed(?: pattern| hepatocellular| cholestatic|-pattern| or cholestatic)"),
            broad=("MONDO:0005359",),
            phenotype_names=("mixed hepatitis", "mixed hepatocellular-cholestatic hepatitis"),
        ),
        PatternConcept(
            "acute-liver-failure",
            "acute liver failure",
            _rx(r"acute liver failure", r"fulminant hepatic failure", r"fulminant hepatitis", r"acute hepatic failure"),
            exact=("MONDO:0019542",),
            close=("HP:0001399",),
            phenotype_names=("acute liver failure",),
        ),
        PatternConcept(
            "autoimmune-like-hepatitis",
            "autoimmune-like hepatitis",
            _rx(r"autoimmune[- ]like hepatitis", r"autoimmune hepatitis", r"drug-induced autoimmune"),
            close=("MONDO:0016264",),
            phenotype_names=("autoimmune hepatitis", "drug induced autoimmune hepatitis"),
        ),
        PatternConcept(
            "immune-mediated-hepatitis",
            "immune-mediated hepatitis",
            _rx(r"immune[- ]mediated hepatitis", r"immune[- ]related hepatitis"),
            broad=("MONDO:0002184",),
        ),
        PatternConcept(
            "sinusoidal-obstruction-syndrome",
            "sinusoidal obstruction syndrome",
            _rx(r"sinusoidal obstruction syndrome", r"sinusoid obstruction syndrome", r"veno-?occlusive disease"),
            exact=("MONDO:0019514",),
            phenotype_names=("sinusoidal obstruction syndrome (veno-occlusive disease)", "veno-occlusive disease"),
        ),
        PatternConcept(
            "nodular-regenerative-hyperplasia",
            "nodular regenerative hyperplasia",
            _rx(r"nodular regenerative hyperplasia"),
        ),
        PatternConcept(
            "steatosis",
            "steatosis",
            _rx(r"(?<!microvesicular )steatosis", r"fatty liver", r"steatohepatitis"),
            close=("HP:0001397", "MONDO:0004790"),
            phenotype_names=("nonalcoholic fatty liver", "fatty liver"),
        ),
        PatternConcept(
            "microvesicular-steatosis",
            "microvesicular steatosis with lactic acidosis",
            _rx(r"microvesicular (?:fat|steatosis)"),
            broad=("HP:0001397",),
            phenotype_names=("hepatic steatosis and lactic acidosis",),
        ),
        PatternConcept(
            "hepatic-adenoma",
            "hepatic adenoma",
            _rx(r"hepatic adenomas?", r"hepatocellular adenomas?", r"liver adenomas?"),
            exact=("MONDO:0018902",),
            phenotype_names=("hepatic adenoma and hepatocellular carcinoma",),
        ),
        PatternConcept(
            "peliosis-hepatis",
            "peliosis hepatis",
            _rx(r"peliosis hepatis"),
            exact=("MONDO:0004717",),
        ),
        PatternConcept(
            "granulomatous-hepatitis",
            "granulomatous hepatitis",
            _rx(r"granulomatous hepatitis", r"hepatic granulomas?"),
            exact=("MONDO:0002252",),
        ),
        PatternConcept(
            "vanishing-bile-duct-syndrome",
            "vanishing bile duct syndrome",
            _rx(r"vanishing bile duct", r"ductopenia"),
            broad=("HP:0001396",),
        ),
        PatternConcept(
            "chronic-hepatitis",
            "chronic hepatitis",
            _rx(r"chronic hepatitis"),
            broad=("MONDO:0002184",),
        ),
        PatternConcept(
            "cirrhosis",
            "cirrhosis",
            _rx(r"cirrhosis"),
            exact=("MONDO:0005155",),
            close=("HP:0001394",),
        ),
        PatternConcept(
            "hepatitis-b-reactivation",
            "hepatitis B reactivation",
            _rx(r"reactivation of hepatitis B", r"hepatitis B reactivation", r"reactivation of HBV"),
        ),
        PatternConcept(
            "transient-enzyme-elevations",
            "transient serum enzyme elevations without symptoms",
            _rx(
                r"serum (?:enzyme|aminotransferase|ALT|AST) elevations",
                r"elevations in serum (?:enzyme|aminotransferase|ALT)",
            ),
            close=("HP:0002910",),
            phenotype_names=("enzyme elevations without jaundice", "serum enzyme elevations without jaundice"),
        ),
        PatternConcept(
            "hyperbilirubinemia",
            "hyperbilirubinemia",
            _rx(r"hyperbilirubinemia"),
            exact=("HP:0002904",),
        ),
        PatternConcept(
            "jaundice",
            "jaundice",
            _rx(r"jaundice"),
            exact=("HP:0000952",),
        ),
        PatternConcept(
            "acute-hepatic-necrosis",
            "acute hepatic necrosis",
            None,
            close=("HP:0002605",),
            broad=("MONDO:0005359",),
        ),
        PatternConcept(
            "acute-hepatitis",
            "acute hepatitis",
            None,
            broad=("MONDO:0002184",),
        ),
        PatternConcept(
            "immunoallergic-hepatitis",
            "immunoallergic hepatitis",
            None,
            broad=("MONDO:0002184",),
            phenotype_names=("drug induced immunoallergic hepatitis",),
        ),
        PatternConcept(
            "bland-cholestasis",
            "bland cholestasis",
            None,
            close=("HP:0001396",),
            broad=("MONDO:0005359",),
        ),
        PatternConcept(
            "liver-tumors",
            "liver tumors",
            None,
            phenotype_names=("tumors of the liver", "hepatic tumors"),
        ),
    )
}

CURIE_PREFIXES = {
    "MONDO": "http://purl.obolibrary.org/obo/MONDO_",
    "HP": "http://purl.obolibrary.org/obo/HP_",
}


def expand_curie(curie: str) -> str:
    prefix, local = curie.split(":", 1)
    return CURIE_PREFIXES[prefix] + local


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
    return [key for key, concept in PATTERNS.items() if concept.phrases and concept.phrases.search(sentence)]


def pattern_from_case_label(text: str) -> str | None:
    """The concept a case report's "Pattern:" value names ("Cholestatic (R=1.9)", "Mixed ...")."""
    lowered = text.lower()
    if lowered.startswith("mixed"):
        return "mixed"
    for key in ("hepatocellular", "cholestatic"):
        phrases = PATTERNS[key].phrases
        if phrases is not None and phrases.search(text):
            return key
    found = patterns_in(text)
    return found[0] if found else None
