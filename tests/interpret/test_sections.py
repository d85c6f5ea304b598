"""Tests for ``livertox_kg.interpret.sections`` and ``livertox_kg.interpret.paragraphs``: text sections keyed
and numbered in document order, paragraphs with their place, the table of contents."""

from __future__ import annotations

from livertox_kg.interpret.agents import ChapterAgents
from livertox_kg.interpret.paragraphs import paragraphs, where
from livertox_kg.interpret.sections import contents, placed, section_index, text_sections
from livertox_kg.loaders.document import Para, RawDocument, Sec, TocEntry
from livertox_kg.model import Agent, ContentsEntry, Provenance, Section

PROVENANCE = Provenance("test.nxml", "0" * 64, "nxml", "test")


def p(text: str) -> list[Para]:
    return [Para(text)]


def two_agent_chapter() -> RawDocument:
    overview = Sec(
        "OVERVIEW",
        paras=p("About both."),
        children=[
            Sec("Alendronate", children=[Sec("Introduction", paras=p("A1.")), Sec("Hepatotoxicity", paras=p("A2."))]),
            Sec("Risedronate", children=[Sec("Hepatotoxicity", paras=p("R2."))]),
            Sec("Empty Hepatotoxicity"),
        ],
    )
    return RawDocument(
        "Test",
        "Bisphosphonates",
        PROVENANCE,
        intro_paras=p("Body text."),
        sections=[
            overview,
            Sec("CASE REPORT", children=[Sec("Case 1. X", paras=p("C1."))]),
            Sec("PRODUCT INFORMATION", paras=p("REPRESENTATIVE TRADE NAMES")),
            Sec("HISTORY", paras=p("H1.")),
        ],
    )


def test_text_sections_are_keyed_and_numbered_in_document_order() -> None:
    doc = two_agent_chapter()
    found = ChapterAgents(doc, [], [Agent("Alendronate"), Agent("Risedronate")])
    got = text_sections(found, doc, section_index(doc))
    assert got == [
        Section("overview", 1, "Bisphosphonates", "Body text."),
        Section("overview", 2, "OVERVIEW", "About both."),
        Section("introduction", 1, "Introduction", "A1.", "Alendronate"),
        Section("hepatotoxicity", 1, "Hepatotoxicity", "A2.", "Alendronate"),
        Section("hepatotoxicity", 2, "Hepatotoxicity", "R2.", "Risedronate"),
        Section("other", 1, "HISTORY", "H1."),
    ]


def test_paragraphs_in_place_and_the_section_each_belongs_to() -> None:
    doc = two_agent_chapter()
    index = section_index(doc)
    got = [(at.para.text, at.top, where(at), placed(index, at.path)) for at in paragraphs(doc)]
    assert got == [
        ("Body text.", -1, "body", (None, None)),
        ("About both.", 0, "section OVERVIEW", ("overview", 1)),
        ("A1.", 0, "section OVERVIEW > Alendronate > Introduction", ("introduction", 1)),
        ("A2.", 0, "section OVERVIEW > Alendronate > Hepatotoxicity", ("hepatotoxicity", 1)),
        ("R2.", 0, "section OVERVIEW > Risedronate > Hepatotoxicity", ("hepatotoxicity", 2)),
        ("C1.", 1, "section CASE REPORT > Case 1. X", (None, None)),  # case reports: read, not a text section
        ("H1.", 3, "section HISTORY", ("other", 1)),
    ]


def test_contents_entries_are_numbered_with_their_parent() -> None:
    toc = [
        TocEntry("Introduction", "Introduction"),
        TocEntry("Drugs", None, children=[TocEntry("Abacavir", "Abacavir", "s1"), TocEntry("Acarbose", "Acarbose")]),
    ]
    doc = RawDocument("toc", "Contents", PROVENANCE, part_type="toc", toc=toc)
    assert contents(doc) == [
        ContentsEntry(1, "Introduction", "Introduction", None, None),
        ContentsEntry(2, "Drugs", None, None, None),
        ContentsEntry(3, "Abacavir", "Abacavir", "s1", 2),
        ContentsEntry(4, "Acarbose", "Acarbose", None, 2),
    ]
