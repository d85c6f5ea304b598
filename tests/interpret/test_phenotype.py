"""Tests for ``livertox_kg.interpret.phenotype``: a phenotype chapter's pattern, definition and typical causes."""

from __future__ import annotations

from livertox_kg.interpret.phenotype import definition, is_phenotype, pattern_and_causes, pattern_of, typical_causes
from livertox_kg.loaders.document import Para, RawDocument
from livertox_kg.model import CaseReport, Finding, Provenance, TypicalCause

PROVENANCE = Provenance("test.nxml", "0" * 64, "nxml", "test")
BODY = [
    Para("Description. The course of cholestatic hepatitis is typically mild."),
    Para(
        "Drugs. Medications commonly implicated include rifampin, the penicillins (all generations) and azathioprine."
    ),
]


def test_pattern_of_a_title() -> None:
    assert pattern_of("Cholestatic Hepatitis") == "cholestatic"  # a phenotype name (skos:altLabel)
    assert pattern_of("Acute Liver Failure") == "acute-liver-failure"
    assert pattern_of("Immunoallergic Hepatitis") == "immunoallergic-hepatitis"  # the label, no phrases
    assert pattern_of("Something Else") is None


def test_definition_and_typical_causes() -> None:
    assert definition(BODY) == "The course of cholestatic hepatitis is typically mild."
    causes = typical_causes(BODY)
    assert [c.name for c in causes] == ["rifampin", "penicillins", "azathioprine"]
    assert causes[0].sentence == BODY[1].text.removeprefix("Drugs. ")


def test_is_phenotype() -> None:
    assert is_phenotype(RawDocument("Phenotypes_chol", "Cholestatic Hepatitis", PROVENANCE))
    assert is_phenotype(RawDocument("Chol", "Cholestatic Hepatitis", PROVENANCE, intro_paras=BODY))
    assert not is_phenotype(RawDocument("Chol", "Cholestatic Hepatitis", PROVENANCE, intro_paras=BODY[:1]))


def test_pattern_and_causes_adds_the_case_reports_medications() -> None:
    doc = RawDocument("Phenotypes_chol", "Cholestatic Hepatitis", PROVENANCE, intro_paras=BODY)
    cases = [CaseReport(1, "t", medication="Azathioprine", pattern_text="Cholestatic (R=0.8)", pattern="cholestatic")]
    findings: list[Finding] = []
    pattern, causes = pattern_and_causes(doc, cases, findings)
    assert pattern == "cholestatic"
    assert causes[3:] == [TypicalCause(4, "azathioprine", "cholestatic", "Cholestatic (R=0.8)", 1)]
    assert [c.ordinal for c in causes] == [1, 2, 3, 4] and findings == []


def test_a_phenotype_title_naming_no_concept_is_a_finding() -> None:
    findings: list[Finding] = []
    doc = RawDocument("Phenotypes_x", "Something Else", PROVENANCE, intro_paras=BODY)
    assert pattern_and_causes(doc, [], findings) == (None, [])
    assert findings == [Finding("title", "phenotype 'Something Else' names no concept of the injury-pattern scheme")]
