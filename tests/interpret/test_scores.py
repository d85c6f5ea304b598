"""Tests for ``livertox_kg.interpret.scores``: likelihood statements in document order become assessments,
and a class overview's "Likelihood Score" column does when it makes no statement."""

from __future__ import annotations

from livertox_kg.interpret.agents import ChapterAgents
from livertox_kg.interpret.paragraphs import paragraphs
from livertox_kg.interpret.scores import SCORES_HINT, assessments
from livertox_kg.interpret.sections import section_index
from livertox_kg.loaders.document import Para, RawDocument, Sec, Table
from livertox_kg.model import Agent, ChapterKind, Finding, LikelihoodAssessment, Provenance

PROVENANCE = Provenance("test.nxml", "0" * 64, "nxml", "test")


def read(doc: RawDocument, kind: ChapterKind, *names: str) -> tuple[list[LikelihoodAssessment], ChapterAgents]:
    found = ChapterAgents(doc, [], [Agent(n) for n in names])
    return assessments(found, kind, section_index(doc), list(paragraphs(doc))), found


def overview(*texts: str) -> Sec:
    return Sec("OVERVIEW", children=[Sec("Hepatotoxicity", paras=[Para(t) for t in texts])])


def test_a_heading_then_items() -> None:
    doc = RawDocument(
        "Test",
        "Bisphosphonates",
        PROVENANCE,
        sections=[
            overview(
                "Likelihood scores:",
                "Alendronate: C (probable). Risedronate: D (possible).",
                "The heading's list ends with a paragraph of no items.",
                "Pamidronate: E (not under the heading any more).",
            )
        ],
    )
    got, _ = read(doc, ChapterKind.CLASS_OVERVIEW, "Alendronate", "Risedronate")
    assert [(a.ordinal, a.agents, a.category, a.section_key, a.section_ordinal) for a in got] == [
        (1, ("Alendronate",), "C", "hepatotoxicity", 1),
        (2, ("Risedronate",), "D", "hepatotoxicity", 1),
    ]
    assert got[1].statement == "Risedronate: D (possible)."


def test_a_statement_also_ends_the_heading_list() -> None:
    texts = ("Likelihood scores:", "Likelihood score for alendronate: C.", "Pamidronate: E (not an item).")
    doc = RawDocument("Test", "Bisphosphonates", PROVENANCE, sections=[overview(*texts)])
    got, _ = read(doc, ChapterKind.CLASS_OVERVIEW, "Alendronate", "Pamidronate")
    assert [(a.agents, a.category) for a in got] == [(("Alendronate",), "C")]


def test_high_dose_marker() -> None:
    doc = RawDocument("Test", "Niacin", PROVENANCE, sections=[overview("Likelihood score: A[HD] (well known cause).")])
    (a,), _ = read(doc, ChapterKind.DRUG, "Niacin")
    assert (a.agents, a.category, a.high_dose, a.high_dose_marker) == (("Niacin",), "A", True, "HD")


def test_an_unreadable_score_is_a_finding_not_an_assessment() -> None:
    doc = RawDocument("Test", "Niacin", PROVENANCE, sections=[overview("Likelihood score: Q (unknown).")])
    got, found = read(doc, ChapterKind.DRUG, "Niacin")
    assert got == []
    assert found.findings == [
        Finding(
            "section OVERVIEW > Hepatotoxicity",
            "likelihood statement with no readable score: 'Likelihood score: Q (unknown).'; not loaded: " + SCORES_HINT,
        )
    ]


def test_a_class_overview_table_column() -> None:
    table = Table(
        [
            ["Drug", "Approved", "Likelihood Score"],
            ["Alendronate", "1995", "C"],
            ["Bogus", "2001", "D*"],
            ["Pamidronate", "1991", "E*"],
        ],
        1,
    )
    doc = RawDocument("Test", "Bisphosphonates", PROVENANCE, sections=[Sec("OVERVIEW", tables=[table])])
    got, found = read(doc, ChapterKind.CLASS_OVERVIEW, "Alendronate")
    assert [(a.agents, a.category, a.statement, a.section_key) for a in got] == [
        (("Alendronate",), "C", "Alendronate | 1995 | C", None),
        (("Pamidronate",), "E*", "Pamidronate | 1991 | E*", None),
    ]
    assert found.names() == ["Alendronate", "Pamidronate"]  # a name the table gives is an agent
    assert found.findings == [
        Finding("section OVERVIEW", "likelihood score 'D*' of Bogus is not a valid code; not loaded")
    ]


def test_the_table_column_only_for_a_class_overview_without_statements() -> None:
    table = Table([["Drug", "Likelihood Score"], ["Pamidronate", "E*"]], 1)
    statement = Sec("Hepatotoxicity", paras=[Para("Likelihood score for alendronate: C.")])
    with_statement = RawDocument(
        "T", "Bisphosphonates", PROVENANCE, sections=[Sec("OVERVIEW", tables=[table], children=[statement])]
    )
    got, _ = read(with_statement, ChapterKind.CLASS_OVERVIEW, "Alendronate")
    assert [(a.agents, a.category) for a in got] == [(("Alendronate",), "C")]
    table_only = RawDocument("T", "Bisphosphonates", PROVENANCE, sections=[Sec("OVERVIEW", tables=[table])])
    assert [a.agents for a in read(table_only, ChapterKind.CLASS_OVERVIEW)[0]] == [("Pamidronate",)]
    assert read(table_only, ChapterKind.DRUG)[0] == []
