"""Tests for ``livertox_kg.interpret.evidence`` and ``livertox_kg.interpret.patterns``: which sentences state
an injury pattern, for whom, and the case reports' patterns."""

from __future__ import annotations

import pytest

from livertox_kg.interpret.agents import ChapterAgents
from livertox_kg.interpret.evidence import case_evidence, text_evidence
from livertox_kg.interpret.paragraphs import paragraphs
from livertox_kg.interpret.patterns import PATTERNS, is_negated, pattern_from_case_label, patterns_in
from livertox_kg.interpret.sections import section_index
from livertox_kg.loaders.document import Para, RawDocument, Sec
from livertox_kg.model import Agent, CaseReport, PatternEvidence, Provenance

PROVENANCE = Provenance("test.nxml", "0" * 64, "nxml", "test")


def chapter(*hepatotoxicity: str, background: str = "") -> RawDocument:
    children = [Sec("Background", paras=[Para(background)] if background else [])]
    children.append(Sec("Hepatotoxicity", paras=[Para(t) for t in hepatotoxicity]))
    return RawDocument("Test", "Penicillins", PROVENANCE, sections=[Sec("OVERVIEW", children=children)])


def evidence(doc: RawDocument, *names: str) -> list[PatternEvidence]:
    found = ChapterAgents(doc, [], [Agent(n) for n in names])
    return text_evidence(found, section_index(doc), list(paragraphs(doc)))


def test_a_sentence_naming_a_pattern_is_evidence_for_the_agent_it_names() -> None:
    doc = chapter("Amoxicillin causes cholestatic hepatitis. Dicloxacillin causes acute liver failure, rarely.")
    got = evidence(doc, "Amoxicillin", "Dicloxacillin")
    assert [(e.ordinal, e.agent, e.pattern, e.section_key, e.section_ordinal) for e in got] == [
        (1, "Amoxicillin", "cholestatic", "hepatotoxicity", 1),
        (2, "Dicloxacillin", "acute-liver-failure", "hepatotoxicity", 1),
    ]
    assert got[0].sentence == "Amoxicillin causes cholestatic hepatitis."


def test_negated_sentences_and_other_sections_are_no_evidence() -> None:
    doc = chapter(
        "Amoxicillin has not been linked to cholestatic hepatitis.",
        "Likelihood score: C (probable cause of cholestatic injury).",
        background="Amoxicillin causes cholestatic hepatitis.",
    )
    assert evidence(doc, "Amoxicillin") == []


def test_a_sentence_naming_no_agent_is_for_the_only_agent() -> None:
    got = evidence(chapter("The injury is typically cholestatic, with jaundice."), "Amoxicillin")
    assert [(e.agent, e.pattern) for e in got] == [("Amoxicillin", "cholestatic"), ("Amoxicillin", "jaundice")]


def test_a_sentence_naming_no_agent_among_several_with_no_context_is_none() -> None:
    assert evidence(chapter("The injury is typically cholestatic."), "Amoxicillin", "Dicloxacillin") == []


def test_case_evidence_for_the_agents_the_medication_names() -> None:
    doc = chapter()
    found = ChapterAgents(doc, [], [Agent("Amoxicillin"), Agent("Dicloxacillin")])
    cases = [
        CaseReport(1, "t", medication="Dicloxacillin", pattern_text="Cholestatic (R=1.2)", pattern="cholestatic"),
        CaseReport(2, "t", medication="None named", pattern_text="Mixed", pattern="mixed"),
        CaseReport(3, "t", medication="Amoxicillin"),  # no pattern: no evidence
    ]
    got = case_evidence(found, cases, start=4)
    assert [
        (e.ordinal, e.agent, e.pattern, e.sentence, e.section_key, e.section_ordinal, e.from_case_report) for e in got
    ] == [
        (5, "Dicloxacillin", "cholestatic", "Cholestatic (R=1.2)", "case-report", 1, True),
        (6, "Penicillins", "mixed", "Mixed", "case-report", 2, True),  # no agent named: the chapter's subject
    ]


@pytest.mark.parametrize(
    ("sentence", "keys"),
    [
        ("Cholestatic hepatitis with jaundice.", ["cholestatic", "jaundice"]),
        ("Hepatocellular carcinoma arose.", []),  # a tumour, not the hepatocellular pattern
        ("Microvesicular steatosis and lactic acidosis.", ["microvesicular-steatosis"]),  # not also steatosis
        ("Fulminant hepatitis led to transplant.", ["acute-liver-failure"]),
        ("Veno-occlusive disease after high doses.", ["sinusoidal-obstruction-syndrome"]),
    ],
)
def test_patterns_in(sentence: str, keys: list[str]) -> None:
    assert patterns_in(sentence) == keys


def test_negation() -> None:
    assert is_negated("It has not been implicated in cholestatic hepatitis.")
    assert is_negated("Cases without evidence of jaundice.")
    assert not is_negated("Cholestatic hepatitis is typical.")


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("Cholestatic (R=1.9)", "cholestatic"),
        ("Hepatocellular (R=12.3)", "hepatocellular"),
        ("Mixed (R=3.1)", "mixed"),
        ("Mixed, then cholestatic", "mixed"),
        ("Acute liver failure", "acute-liver-failure"),
        ("Unclear", None),
    ],
)
def test_pattern_from_case_label(label: str, key: str | None) -> None:
    assert pattern_from_case_label(label) == key


def test_the_scheme_is_read_from_the_ontology() -> None:
    """Labels and phenotype names as the ontology gives them (skos:prefLabel, skos:altLabel)."""
    assert PATTERNS["cholestatic"].label == "cholestatic injury"
    assert PATTERNS["cholestatic"].phenotype_names == ("cholestatic hepatitis",)
    assert set(PATTERNS["liver-tumors"].phenotype_names) == {"tumors of the liver", "hepatic tumors"}
