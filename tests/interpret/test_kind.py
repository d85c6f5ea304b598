"""Tests for ``livertox_kg.interpret.kind``: what a chapter is, its "Drug Class:" lines, the chapters it lists."""

from __future__ import annotations

import pytest

from livertox_kg.interpret.kind import chapter_kind, drug_classes, linked_chapters
from livertox_kg.interpret.paragraphs import paragraphs
from livertox_kg.loaders.document import Link, Para, RawDocument, Sec, Table
from livertox_kg.model import ChapterKind, DrugClass, Provenance

PROVENANCE = Provenance("test.nxml", "0" * 64, "nxml", "test")
OVERVIEW = Sec("OVERVIEW", paras=[Para("Text.")])
PRODUCT = Sec("PRODUCT INFORMATION")


def chapter(*sections: Sec, chapter_id: str = "Test", part_type: str = "chapter", intro: str = "") -> RawDocument:
    paras = [Para(intro)] if intro else []
    return RawDocument(chapter_id, "Test", PROVENANCE, intro_paras=paras, sections=list(sections), part_type=part_type)


def test_drug_classes_split_at_commas_but_not_inside_linked_names() -> None:
    links = (Link("Antineoplastic Agents, Cytokines", "AntineoplasticAgents"),)
    line = Para("Drug Class: Antineoplastic Agents, Cytokines; Interleukins. See also: Aldesleukin", links=links)
    doc = chapter(Sec("OVERVIEW", paras=[line, Para("Drug Class: interleukins")]))
    assert drug_classes(doc) == [
        DrugClass("Antineoplastic Agents, Cytokines", "AntineoplasticAgents"),
        DrugClass("Interleukins"),  # once, ignoring case; nothing after "see also"
    ]


@pytest.mark.parametrize(
    ("doc", "classes", "kind"),
    [
        (chapter(OVERVIEW, part_type="appendix"), [], ChapterKind.FRONT_MATTER),
        (chapter(OVERVIEW, chapter_id="Phenotypes_chol"), [], ChapterKind.PHENOTYPE),
        (chapter(OVERVIEW, PRODUCT), [], ChapterKind.DRUG),
        (chapter(OVERVIEW, PRODUCT), [DrugClass("Herbal and Dietary Supplements")], ChapterKind.HERBAL),
        (chapter(Sec("SEVERITY GRADING", paras=[Para("Grade 1.")])), [], ChapterKind.FRONT_MATTER),
        (chapter(Sec("OVERVIEW", paras=[Para("See", links=(Link("X", "X"),))])), [], ChapterKind.CLASS_OVERVIEW),
        (
            chapter(Sec("OVERVIEW", tables=[Table([["X"]], links=(Link("X", "X"),))])),
            [],
            ChapterKind.CLASS_OVERVIEW,
        ),
        (chapter(Sec("OVERVIEW", paras=[Para("Drug Class: X", links=(Link("X", "X"),))])), [], ChapterKind.DRUG),
    ],
    ids=["appendix", "phenotype", "drug", "herbal", "no-overview", "links-in-text", "links-in-table", "class-link"],
)
def test_chapter_kind(doc: RawDocument, classes: list[DrugClass], kind: ChapterKind) -> None:
    assert chapter_kind(doc, classes) == kind


def test_linked_chapters_text_first_then_tables_each_once_not_itself() -> None:
    text = Para("See A, B and this.", links=(Link("A", "A"), Link("B", "B"), Link("this", "Test")))
    table = Table([["C"]], links=(Link("C", "C"), Link("A", "A")))
    doc = chapter(Sec("OVERVIEW", paras=[text], tables=[table]))
    assert linked_chapters(doc, list(paragraphs(doc))) == ["A", "B", "C"]
