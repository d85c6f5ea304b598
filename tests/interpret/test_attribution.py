"""Tests for ``livertox_kg.interpret.attribution``: whom a likelihood statement is for (rules b-d of the
README, "Likelihood scores"), on small documents written here."""

from __future__ import annotations

import pytest

from livertox_kg.interpret import likelihood as lk
from livertox_kg.interpret.agents import ChapterAgents
from livertox_kg.interpret.attribution import context_agents, section_agent, statement_agents
from livertox_kg.interpret.paragraphs import PlacedPara
from livertox_kg.loaders.document import Para, RawDocument, Sec
from livertox_kg.model import Agent, Finding, Provenance

PROVENANCE = Provenance("test.nxml", "0" * 64, "nxml", "test")


def agents(title: str, *names: str, title_agent: str | None = None) -> ChapterAgents:
    doc = RawDocument("Test", title, PROVENANCE)
    return ChapterAgents(doc, [], [Agent(n) for n in names], title_agent)


def statement(text: str) -> lk.Statement:
    (st,) = lk.parse_paragraph(text)
    return st


def at(text: str, top: int = 0, path: tuple[Sec, ...] = ()) -> PlacedPara:
    return PlacedPara(Para(text), top, path)


def read(found: ChapterAgents, text: str, before: list[PlacedPara] | None = None) -> tuple[list[str], str | None]:
    return statement_agents(found, statement(text), at(text), before or [])


def test_b_a_named_agent() -> None:
    found = agents("Bisphosphonates", "Alendronate", "Risedronate")
    assert read(found, "Likelihood score for risedronate: D (possible cause).") == (["Risedronate"], None)
    assert read(found, "Alendronate likelihood score: C (probable cause).") == (["Alendronate"], None)


def test_b_several_named_agents() -> None:
    found = agents("Bisphosphonates", "Alendronate", "Risedronate")
    assert read(found, "Likelihood score (alendronate and risedronate): E.") == (["Alendronate", "Risedronate"], None)


def test_b_a_name_containing_the_title_is_a_scope_of_the_chapter_agent() -> None:
    found = agents("Gold Preparations", "Auranofin", "Aurothioglucose")
    assert read(found, "Likelihood score (parenteral gold preparations): A.") == (
        ["Gold Preparations"],
        "parenteral gold preparations",
    )
    assert found.names() == ["Auranofin", "Aurothioglucose", "Gold Preparations"]  # the chapter's subject, new


def test_b_a_name_containing_an_agent_is_a_scope_of_that_agent() -> None:
    found = agents("Estrogens", "Estradiol", "Conjugated Estrogens")
    assert read(found, "Likelihood score (transdermal estradiol): E.") == (["Estradiol"], "transdermal estradiol")


def test_b_an_unknown_name_is_a_new_agent() -> None:
    found = agents("Bisphosphonates", "Alendronate", "Risedronate")
    assert read(found, "Likelihood score for zoledronic acid: E.") == (["zoledronic acid"], None)
    assert "zoledronic acid" in found.names()


def test_c_when_used_for_is_a_scope_the_agent_from_context() -> None:
    found = agents("Levonorgestrel", "Levonorgestrel")
    assert read(found, "Likelihood score when used for emergency contraception: E.") == (
        ["Levonorgestrel"],
        "when used for emergency contraception",
    )


def test_d_the_title_agent() -> None:
    found = agents("Aspirin", "Aspirin", "Salicylic Acid", title_agent="Aspirin")
    assert read(found, "Likelihood score: A[HD].") == (["Aspirin"], None)


def test_d_the_agent_named_last_in_the_same_top_level_section() -> None:
    found = agents("Bisphosphonates", "Alendronate", "Risedronate")
    before = [at("Alendronate was approved first; risedronate came later.")]
    assert read(found, "Likelihood score: D.", before) == (["Risedronate"], None)


def test_d_a_mention_in_another_top_level_section_does_not_count() -> None:
    found = agents("Bisphosphonates", "Alendronate", "Risedronate")
    placed = at("Likelihood score: D.", top=1)
    assert context_agents(found, placed, [at("Risedronate was approved.", top=0)]) == ["Bisphosphonates"]


def test_d_for_evidence_an_unknown_agent_is_none() -> None:
    found = agents("Bisphosphonates", "Alendronate", "Risedronate")
    assert context_agents(found, at("Cholestatic hepatitis."), [], allow_mention=False) == []
    assert found.names() == ["Alendronate", "Risedronate"]


def test_d_a_chapter_without_title_names_its_id_with_a_finding() -> None:
    found = agents("")
    assert context_agents(found, at("Likelihood score: C."), []) == ["Test"]
    assert found.findings == [Finding("book-part-meta", "an agent is named only by the missing title; named 'Test'")]


VITAMINS = Sec(
    "OVERVIEW",
    children=[
        Sec("Vitamin B1, Thiamine", paras=[Para("Thiamine is ...")]),
        Sec("Vitamin B3, Niacin", paras=[Para("Niacin is ...")]),
        Sec("Outcome and Management", paras=[Para("...")]),
    ],
)


@pytest.mark.parametrize(("child", "expected"), [(0, "Thiamine HCl"), (1, "Niacin"), (2, None)])
def test_d1_per_agent_subsections(child: int, expected: str | None) -> None:
    """A subsection naming an agent is for it; one beside such subsections names a new agent; a standard
    subsection names none."""
    found = agents("Vitamin B", "Thiamine HCl", "Riboflavin")
    assert section_agent(found, (VITAMINS, VITAMINS.children[child])) == expected


def test_d1_a_topical_subsection_is_no_agent() -> None:
    overview = Sec("OVERVIEW", children=[Sec("Reye Syndrome"), Sec("Hepatotoxicity")])
    found = agents("Aspirin", "Aspirin", "Salicylic Acid")
    assert section_agent(found, (overview, overview.children[0])) is None
    assert section_agent(found, (Sec("CASE REPORT"), Sec("Thiamine"))) is None  # only in an OVERVIEW
