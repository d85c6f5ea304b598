"""Tests for ``livertox_kg.loaders.text_body.read_body``: the lines of a text copy's body as sections."""

from __future__ import annotations

from livertox_kg.loaders.document import Sec
from livertox_kg.loaders.text_body import read_body

BODY = """\
Drug Class: Vitamins
OVERVIEW
Reye Syndrome
Aspirin was linked to Reye syndrome in children.
Levonorgestrel
Introduction
Levonorgestrel is a progestin.
Hepatotoxicity
Rare.
CHEMICAL FORMULA AND STRUCTURE
DRUGCAS REGISTRY NUMBERMOLECULAR FORMULASTRUCTURE
Levonorgestrel 797-63-7 C21-H28-O2Not Available
ANNOTATED BIBLIOGRAPHY
  • Fisher B. A title. J Clin Oncol 1989; 7: 1852-62. [PubMed: 2585024]
    (Among 8 patients.)
  • Zimmerman HJ. Hepatotoxicity. Philadelphia: Lippincott, 1999.
"""


def tree(sec: Sec, depth: int = 0) -> list[str]:
    out = ["  " * depth + sec.title]
    for child in sec.children:
        out.extend(tree(child, depth + 1))
    return out


def test_sections_tables_and_references() -> None:
    lines = BODY.split("\n")
    intro, tops = read_body(lines, 0, len(lines))
    assert [p.text for p in intro.paras] == ["Drug Class: Vitamins"]
    assert [t for top in tops for t in tree(top)] == [
        "OVERVIEW",
        "  Reye Syndrome",  # a title line followed by a running paragraph: a subsection of its own
        "  Levonorgestrel",  # one followed by a standard subsection: a per-agent group
        "    Introduction",
        "    Hepatotoxicity",
        "CHEMICAL FORMULA AND STRUCTURE",
        "ANNOTATED BIBLIOGRAPHY",
    ]
    assert tops[1].tables[0].rows == [
        ["DRUG", "CAS REGISTRY NUMBER", "MOLECULAR FORMULA", "STRUCTURE"],
        ["Levonorgestrel", "797-63-7", "C21-H28-O2", "Not Available"],
    ]
    journal, book = tops[2].refs
    assert (journal.text, journal.pmid, journal.annotation, journal.publication_type) == (
        "Fisher B. A title. J Clin Oncol 1989; 7: 1852-62.",
        "2585024",
        "(Among 8 patients.)",
        "journal",
    )
    assert (book.pmid, book.annotation, book.publication_type) == (None, None, "other")


def test_only_the_lines_asked_for() -> None:
    lines = BODY.split("\n")
    intro, tops = read_body(lines, 1, 7)  # from OVERVIEW to the paragraph under "Introduction"
    assert intro.paras == []
    assert [t for top in tops for t in tree(top)] == [
        "OVERVIEW",
        "  Reye Syndrome",
        "  Levonorgestrel",
        "    Introduction",
    ]
    assert [p.text for p in tops[0].children[1].children[0].paras] == ["Levonorgestrel is a progestin."]
