"""Tests for ``livertox_kg.interpret.chapter.interpret``: the parts read together into one chapter."""

from __future__ import annotations

from livertox_kg.interpret.chapter import interpret
from livertox_kg.interpret.scores import SCORES_HINT
from livertox_kg.loaders.document import Para, RawDocument, Sec, Table
from livertox_kg.model import ChapterKind, DrugClass, Finding, Provenance

PROVENANCE = Provenance("test.nxml", "0" * 64, "nxml", "test")
HEAD = ["DRUG", "CAS REGISTRY NUMBER", "MOLECULAR FORMULA", "STRUCTURE"]


def vitamins(*overview_children: Sec) -> RawDocument:
    table = Table([HEAD, ["Thiamine HCl", "67-03-8", "", ""], ["Riboflavin", "83-88-5", "", ""]], 1)
    return RawDocument(
        "VitaminB",
        "Vitamin B",
        PROVENANCE,
        intro_paras=[Para("Drug Class: Vitamins")],
        sections=[
            Sec("OVERVIEW", children=list(overview_children)),
            Sec("CHEMICAL FORMULAS AND STRUCTURES", tables=[table]),
        ],
        problems=[Finding("book-part-meta", "no date")],
    )


def test_every_agent_has_the_chapter_classes() -> None:
    """Also an agent only a per-agent subsection names, found when the text sections are read."""
    doc = vitamins(
        Sec("Vitamin B1, Thiamine", paras=[Para("Thiamine is a vitamin.")]),
        Sec("Vitamin B3, Niacin", paras=[Para("Niacin is a vitamin.")]),
    )
    chapter = interpret(doc)
    assert [a.name for a in chapter.agents] == ["Thiamine HCl", "Riboflavin", "Niacin"]
    assert [a.classes for a in chapter.agents] == [[DrugClass("Vitamins")]] * 3
    assert [(s.title, s.agent) for s in chapter.sections] == [
        ("Vitamin B", None),
        ("Vitamin B1, Thiamine", "Thiamine HCl"),
        ("Vitamin B3, Niacin", "Niacin"),
    ]


def test_a_drug_chapter_read_whole() -> None:
    doc = vitamins(
        Sec("Vitamin B1, Thiamine", paras=[Para("Thiamine causes no cholestatic injury.")]),
        Sec("Hepatotoxicity", paras=[Para("Riboflavin may cause jaundice."), Para("Likelihood score: Q.")]),
    )
    chapter = interpret(doc)
    assert chapter.kind == ChapterKind.DRUG
    assert [(e.agent, e.pattern) for e in chapter.evidence] == [("Riboflavin", "jaundice")]
    assert chapter.assessments == []
    assert chapter.findings == [
        Finding("book-part-meta", "no date"),  # the reader's problems first
        Finding(
            "section OVERVIEW > Hepatotoxicity",
            "likelihood statement with no readable score: 'Likelihood score: Q.'; not loaded: " + SCORES_HINT,
        ),
    ]


def test_front_matter_and_phenotype_chapters_cover_no_agents() -> None:
    doc = vitamins()
    doc.part_type = "appendix"
    assert interpret(doc).kind == ChapterKind.FRONT_MATTER and interpret(doc).agents == []
    phenotype = RawDocument(
        "Phenotypes_chol",
        "Cholestatic Hepatitis",
        PROVENANCE,
        intro_paras=[Para("Description. Cholestasis."), Para("Drugs. Causes include rifampin and azathioprine.")],
    )
    chapter = interpret(phenotype)
    assert (chapter.kind, chapter.agents, chapter.pattern, chapter.definition) == (
        ChapterKind.PHENOTYPE,
        [],
        "cholestatic",
        "Cholestasis.",
    )
    assert [c.agent_name for c in chapter.typical_causes] == ["rifampin", "azathioprine"]
