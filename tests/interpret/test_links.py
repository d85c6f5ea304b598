"""Links out of LiverTox, each kept where it belongs (interpret/links.py): PubChem substances and DailyMed
labels on agents, searches and other pages on the chapter, the source article on its case report, web
addresses and ClinicalTrials.gov ids on the cited work."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from livertox_kg.interpret import links
from livertox_kg.loaders.document import ExtLink, RawRef
from livertox_kg.model import Chapter, ChapterLink
from tests.conftest import CORPUS, chapter_file
from tests.support.rdfutil import load_path


def _chapter(rel: str) -> Chapter:
    return load_path(chapter_file(rel))


def test_pubchem_substance_ids() -> None:
    assert links.pubchem_sids(ExtLink("pubchem", "sid://135273161", "110942-02-4")) == ["135273161"]
    assert links.pubchem_sids(ExtLink("pubchem", "sid://135017344 135017344", "17086-28-1")) == ["135017344"]
    assert links.pubchem_sids(ExtLink("uri", "sid://1", "x")) == []
    assert links.pubchem_sids(ExtLink("pubchem", "cid://2244", "x")) == []


def test_dailymed_set_ids_and_pubmed_ids() -> None:
    url = "https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=8983D6A0-f63f-4f8e-bba4-38223f39e29b"
    assert links.set_id(ExtLink("uri", url, "COMPLETE LABELING")) == "8983d6a0-f63f-4f8e-bba4-38223f39e29b"
    assert links.set_id(ExtLink("uri", "https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=x", "")) is None
    assert links.pubmed_id(ExtLink("uri", "https://www.ncbi.nlm.nih.gov/pubmed/%2018256392", "")) == "18256392"
    assert links.pubmed_id(ExtLink("uri", "http://www.ncbi.nlm.nih.gov/pubmed/15633238", "")) == "15633238"
    assert links.pubmed_id(ExtLink("uri", "https://www.ncbi.nlm.nih.gov/pubmed/?term=x", "")) is None


@pytest.mark.parametrize(
    ("href", "kind"),
    [
        ("https://dailymed.nlm.nih.gov/dailymed/search.cfm?labeltype=all&query=Aldesleukin", "dailymed-search"),
        ("https://clinicaltrials.gov/ct2/results?term=Abacavir", "clinicaltrials-search"),
        ("https://www.clinicaltrials.gov/ct2/results?term=Golodirsen", "clinicaltrials-search"),
        ("https://www.ncbi.nlm.nih.gov/sites/entrez?cmd=search&db=pubmed&term=x", "pubmed-search"),
        ("https://nccih.nih.gov/health/kava", "other"),
        ("https://www.ncbi.nlm.nih.gov/sites/entrez?cmd=search&db=nucleotide", "other"),
    ],
)
def test_link_kinds(href: str, kind: str) -> None:
    assert links.link_kind(href) == kind


def test_a_citation_gives_its_web_addresses_and_trials() -> None:
    ref = RawRef(
        "journal",
        "Canva V, et al. Triple therapy in HCV-cirrhosis (ANRS CO20-CUPIC) - NCT01514890. J Hepatol 2013; 59: 434-41.",
        ext_links=(ExtLink("uri", "https://www.fda.gov/media/143823/download", ""), ExtLink("uri", "not a url", "")),
    )
    assert links.work_links(ref) == (("https://www.fda.gov/media/143823/download",), ("NCT01514890",))


def test_aldesleukin_links() -> None:
    chapter = _chapter("nxml/aldesleukin.nxml")
    (agent,) = chapter.agents
    assert agent.pubchem_substances == ["135273161"]
    assert agent.dailymed_set_ids == []
    assert [link.kind for link in chapter.links] == ["dailymed-search", "pubmed-search", "clinicaltrials-search"]
    assert chapter.links[0] == ChapterLink(
        "dailymed-search", "https://dailymed.nlm.nih.gov/dailymed/search.cfm?labeltype=all&query=Aldesleukin"
    )


def test_the_text_copy_has_no_links() -> None:
    chapter = _chapter("txt/aldesleukin.txt")
    assert chapter.links == [] and chapter.agents[0].pubchem_substances == []


def test_labels_go_to_the_agent_the_link_names(corpus: Path) -> None:
    chapter = load_path(corpus / "archive" / "androgenicsteroids.nxml")
    by_name = {a.name: a.dailymed_set_ids for a in chapter.agents}
    assert by_name["Nandrolone"] == ["a586b484-1b46-40b9-9508-fd28002ad383"]
    assert by_name["Oxymetholone"] == ["4b9c6c34-9cb2-4d70-b70e-c7ce2fda4212"]
    assert sum(len(ids) for ids in by_name.values()) == 2
    single = load_path(corpus / "archive" / "benznidazole.nxml")
    assert single.agents[0].dailymed_set_ids == ["8983d6a0-f63f-4f8e-bba4-38223f39e29b"]


def test_case_reports_and_works(corpus: Path) -> None:
    acetaminophen = load_path(corpus / "archive" / "acetaminophen.nxml")
    assert acetaminophen.case_reports[0].modified_from == "16820551"
    boceprevir = load_path(corpus / "archive" / "boceprevir.nxml")
    trials = [r.work for r in boceprevir.references if r.work.clinical_trials]
    assert [w.clinical_trials for w in trials] == [("NCT01514890",)]
    benznidazole = load_path(corpus / "archive" / "benznidazole.nxml")
    urls = {u for r in benznidazole.references for u in r.work.urls}
    assert "https://www.cdc.gov/parasites/chagas/" in urls


_SID = re.compile(r"sid://(\d+)")


@pytest.mark.parametrize("path", sorted(CORPUS.glob("nxml/*.nxml")), ids=lambda p: p.name)
def test_every_substance_link_is_on_an_agent(path: Path) -> None:
    """Read apart with the standard library: every PubChem substance a chapter links is one of its agents'."""
    if path.name == "toc.nxml":
        pytest.skip("the table of contents has no agents")
    root = ET.parse(path).getroot()
    printed = {
        sid
        for e in root.iter("ext-link")
        if e.get("ext-link-type") == "pubchem"
        for sid in _SID.findall(e.get("{http://www.w3.org/1999/xlink}href", ""))
    }
    chapter = load_path(path)
    kept = {sid for a in chapter.agents for sid in a.pubchem_substances}
    assert kept == printed
