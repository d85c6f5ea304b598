"""Tests for ``livertox_kg.loaders.text.read_text`` (a text copy of a chapter's NCBI web page).

(a) aldesleukin, the one real text copy: its RawDocument is compared with the NXML reader's for the
    same chapter, part by part, with the differences the two sources really have spelled out.
(b) case reports (absent from the real text copy): a text built from amoxicillin-clavulanate's NXML
    case reports, in the page's layout, reads back as the NXML reader reads the XML.
(c) every NXML chapter of the corpus rendered the way the web page prints as text reads back with the
    same section tree, paragraphs, tables and references (tests the heading rules on all layouts).
(d) bad input: each error names the file, and the line where one is known.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from livertox_kg.errors import SourceError
from livertox_kg.interpret.chapter import interpret
from livertox_kg.loaders.document import RawDocument, Sec, norm
from livertox_kg.loaders.nxml import read_nxml
from livertox_kg.loaders.text import chapter_id_from_title, read_text
from livertox_kg.model import Provenance
from tests.conftest import CORPUS

NXML_FILES = sorted((CORPUS / "nxml").glob("*.nxml")) if CORPUS.is_dir() else []

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside this checkout")


def _prov(name: str, data: bytes, fmt: str) -> Provenance:
    return Provenance(name, hashlib.sha256(data).hexdigest(), fmt, "test")


def _nxml(path: Path) -> RawDocument:
    data = path.read_bytes()
    return read_nxml(data, _prov(path.name, data, "nxml"))


def _text(data: bytes, name: str = "chapter.txt") -> RawDocument:
    return read_text(data, _prov(name, data, "text"), name)


def _tree(doc: RawDocument) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []

    def walk(sec: Sec, depth: int) -> None:
        out.append((depth, sec.title))
        for child in sec.children:
            walk(child, depth + 1)

    for sec in doc.sections:
        walk(sec, 0)
    return out


# --- (a) aldesleukin: text copy vs NXML ----------------------------------------------------------


@pytest.fixture(scope="module")
def aldesleukin() -> tuple[RawDocument, RawDocument]:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside this checkout")
    nxml = _nxml(CORPUS / "nxml" / "aldesleukin.nxml")
    path = CORPUS / "txt" / "aldesleukin.txt"
    return nxml, _text(path.read_bytes(), path.name)


def test_aldesleukin_id_title_updated(aldesleukin: tuple[RawDocument, RawDocument]) -> None:
    nxml, text = aldesleukin
    assert (text.chapter_id, text.title, text.updated) == (nxml.chapter_id, nxml.title, nxml.updated)
    assert text.chapter_id == "Aldesleukin"
    assert str(text.updated) == "2018-05-05"
    assert text.intro_paras == nxml.intro_paras == []


def test_aldesleukin_section_tree(aldesleukin: tuple[RawDocument, RawDocument]) -> None:
    nxml, text = aldesleukin
    # The web page copy has no OTHER REFERENCE LINKS section (the XML does); nothing else differs.
    assert "OTHER REFERENCE LINKS" not in (CORPUS / "txt" / "aldesleukin.txt").read_text(encoding="utf-8")
    assert _tree(nxml) == [*_tree(text), (0, "OTHER REFERENCE LINKS")]
    assert _tree(text) == [
        (0, "OVERVIEW"),
        (1, "Introduction"),
        (1, "Background"),
        (1, "Hepatotoxicity"),
        (1, "Mechanism of Injury"),
        (1, "Outcome and Management"),
        (0, "PRODUCT INFORMATION"),
        (0, "CHEMICAL FORMULA AND STRUCTURE"),
        (0, "ANNOTATED BIBLIOGRAPHY"),
    ]


def test_aldesleukin_paragraphs(aldesleukin: tuple[RawDocument, RawDocument]) -> None:
    nxml, text = aldesleukin
    for n_sec, t_sec in zip(nxml.all_sections(), text.all_sections(), strict=False):
        assert t_sec.title == n_sec.title
        assert [norm(p.text) for p in t_sec.paras] == [norm(p.text) for p in n_sec.paras], t_sec.title
        # The text has no bold markup and no chapter links.
        assert all(p.bold == () and p.links == () for p in t_sec.paras)
    product = next(s for s in text.sections if s.title == "PRODUCT INFORMATION")
    assert [p.text for p in product.paras] == [
        "REPRESENTATIVE TRADE NAMES",
        "Aldesleukin – Proleukin®",
        "DRUG CLASS",
        "Antineoplastic Agents",
        "COMPLETE LABELING",
        "Product labeling at DailyMed, National Library of Medicine, NIH",
    ]
    hepatotoxicity = text.sections[0].children[2]
    assert hepatotoxicity.paras[-1].text.startswith("Likelihood score: C[HD] (probable cause")


def test_aldesleukin_tables(aldesleukin: tuple[RawDocument, RawDocument]) -> None:
    nxml, text = aldesleukin
    for n_sec, t_sec in zip(nxml.all_sections(), text.all_sections(), strict=False):
        # only the XML marks up links out of LiverTox (the PubChem substance of a CAS number)
        assert t_sec.tables == [dataclasses.replace(t, row_links=()) for t in n_sec.tables], t_sec.title
    chemical = next(s for s in text.sections if s.title.startswith("CHEMICAL"))
    assert [(t.rows, t.header_rows) for t in chemical.tables] == [
        (
            [
                ["DRUG", "CAS REGISTRY NUMBER", "MOLECULAR FORMULA", "STRUCTURE"],
                ["Aldesleukin", "110942-02-4", "Cytokine", "Not Available"],
            ],
            1,
        )
    ]


# PubMed Central ids exist only on the web page.
ALDESLEUKIN_PMCIDS = {
    13: "PMC2275327",
    17: "PMC3486432",
    19: "PMC2869083",
    20: "PMC3517182",
    21: "PMC3474747",
    22: "PMC7101846",
    23: "PMC4315731",
    24: "PMC6875755",
}


def test_aldesleukin_references(aldesleukin: tuple[RawDocument, RawDocument]) -> None:
    nxml, text = aldesleukin
    n_refs = [r for s in nxml.all_sections() for r in s.refs]
    t_refs = [r for s in text.all_sections() for r in s.refs]
    assert len(t_refs) == len(n_refs) == 24
    pmid_differences = []
    for number, (n, t) in enumerate(zip(n_refs, t_refs, strict=True), start=1):
        assert t.text == n.text, number
        assert t.annotation == n.annotation, number
        assert t.publication_type == n.publication_type, number
        assert n.pmcid is None
        assert t.pmcid == ALDESLEUKIN_PMCIDS.get(number), number
        assert (t.doi, t.structured, t.authors, t.journal) == (None, False, (), None)
        if t.pmid != n.pmid:
            pmid_differences.append((number, n.pmid, t.pmid))
    # R22 (Baldo 2014): the XML prints PMID 5270293, the web page 25270293. Both kept as printed.
    assert pmid_differences == [(22, "5270293", "25270293")]
    assert [r.publication_type for r in t_refs[:4]] == ["other", "other", "other", "journal"]
    assert "[PubMed" not in "".join(r.text for r in t_refs)
    assert "[PMC" not in "".join(r.text for r in t_refs)


def _drop_positions(chapter: dict[str, Any]) -> None:
    """Lines in the source (and NXML reference ids) differ between formats by nature; they never reach the graph."""
    chapter.pop("title_line")
    for part in ("references", "assessments", "findings"):
        for item in chapter[part]:
            for key in ("line", "ref_id", "excerpt"):
                item.pop(key, None)


def test_aldesleukin_interpreted_alike(aldesleukin: tuple[RawDocument, RawDocument]) -> None:
    """Through interpret(), the two formats give the same chapter but for what only one source has."""
    nxml, text = aldesleukin
    n = dataclasses.asdict(interpret(nxml))
    t = dataclasses.asdict(interpret(text))
    for chapter in (n, t):
        chapter.pop("provenance")
        for ref in chapter["references"]:
            ref["work"].pop("pmcid")
        for agent in chapter["agents"]:
            for cls in agent["classes"]:
                cls.pop("chapter_id")  # the text has no link to the class overview chapter
        for cls in chapter["classes"]:
            cls.pop("chapter_id")
        chapter.pop("links")  # links out of LiverTox: only the XML marks them up
        for agent in chapter["agents"]:
            agent.pop("pubchem_substances")
        for case in chapter["case_reports"]:
            case.pop("modified_from")
        for ref in chapter["references"]:
            ref["work"].pop("urls")
        _drop_positions(chapter)
    assert n["references"][21]["work"]["pmid"] == "5270293"
    assert t["references"][21]["work"]["pmid"] == "25270293"
    n["references"][21]["work"]["pmid"] = t["references"][21]["work"]["pmid"]
    assert t == n


def test_bom_and_crlf_are_tolerated(aldesleukin: tuple[RawDocument, RawDocument]) -> None:
    _, text = aldesleukin
    data = (CORPUS / "txt" / "aldesleukin.txt").read_bytes()
    again = _text(b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"), "aldesleukin.txt")
    assert dataclasses.replace(again, provenance=text.provenance) == text


@pytest.mark.parametrize("variant", ["double-spaced", "no-indent"])
def test_layout_variants(aldesleukin: tuple[RawDocument, RawDocument], variant: str) -> None:
    """Blank lines between all lines, or indentation lost in copying, read the same."""
    _, text = aldesleukin
    data = (CORPUS / "txt" / "aldesleukin.txt").read_text(encoding="utf-8")
    if variant == "double-spaced":
        data = data.replace("\n", "\n\n")
    else:
        data = "\n".join(line.lstrip() for line in data.split("\n"))
    assert _text(data.encode(), "aldesleukin.txt").sections == text.sections


def test_footer_similar_articles_list_is_dropped(aldesleukin: tuple[RawDocument, RawDocument]) -> None:
    _, text = aldesleukin
    data = (CORPUS / "txt" / "aldesleukin.txt").read_text(encoding="utf-8")
    footer = (
        "\nSimilar articles\n\n"
        "  • Review Interleukin-2. [LiverTox: Clinical and Research Information on Drug...] Interleukin-2.\n"
        "  • Review Aldesleukin (recombinant interleukin-2). Noble S, Goa KL. BioDrugs 1997; 7: 394-422.\n"
        "\nSee reviews...See all...\n"
    )
    cut = data.index("\nViews\n")
    again = _text((data[:cut] + "\n" + footer + data[cut:]).encode(), "aldesleukin.txt")
    assert dataclasses.replace(again, provenance=text.provenance) == text


# --- (b) case reports ---------------------------------------------------------------------------

HEADER = (
    "U.S. flag\n\nAn official website of the United States government\n\n"
    "NCBI Bookshelf. A service of the National Library of Medicine, National Institutes of Health.\n\n"
    "LiverTox: Clinical and Research Information on Drug-Induced Liver Injury [Internet]. Bethesda (MD): "
    "National Institute of Diabetes and Digestive and Kidney Diseases; 2012-.\n\nShow details\n\n"
)
FOOTER = "\nViews\n\nSimilar articles in PubMed\n\nRecent Activity\n\nTurn recording back on\n"


def _case_text(doc: RawDocument) -> str:
    """The CASE REPORTS of ``doc`` as the web page prints them: headings, paragraphs, Key Points as
    "Label: value" lines, Laboratory Values as tab-separated rows."""
    cases = next(s for s in doc.sections if s.title.startswith("CASE"))
    lines = [HEADER + doc.title, "", "Last Update: October 20, 2020.", "", "OVERVIEW", "", "Introduction", ""]
    lines += [doc.sections[0].children[0].paras[0].text, "", cases.title, ""]
    for case in cases.children:
        lines += [case.title, ""] + [x for p in case.paras for x in (p.text, "")]
        for part in case.children:
            lines += [part.title, ""]
            for table in part.tables:
                if part.title == "Key Points":
                    lines += [f"{label} {value}" for label, value in table.rows]
                else:
                    lines += ["\t".join(row) for row in table.rows]
                lines.append("")
            lines += [x for p in part.paras for x in (p.text, "")]
    lines.append("PRODUCT INFORMATION")
    return "\n".join(lines) + FOOTER


@needs_corpus
def test_case_reports_from_synthetic_text() -> None:
    nxml = _nxml(CORPUS / "nxml" / "amoxicillinclavulana.nxml")
    source = _case_text(nxml)
    assert "Medication: Amoxicillin-clavulanate 500/125 mg thrice daily for 31 days" in source
    text = _text(source.encode(), "amoxicillinclavulana.txt")
    assert text.chapter_id == "AmoxicillinClavulana" == nxml.chapter_id
    n_cases = next(s for s in nxml.sections if s.title.startswith("CASE"))
    t_cases = next(s for s in text.sections if s.title.startswith("CASE"))
    assert [s.title for s in t_cases.walk()] == [s.title for s in n_cases.walk()]
    assert len(t_cases.children) == 5
    for n_sec, t_sec in zip(n_cases.walk(), t_cases.walk(), strict=True):
        assert [p.text for p in t_sec.paras] == [p.text for p in n_sec.paras], t_sec.title
        assert [t.rows for t in t_sec.tables] == [t.rows for t in n_sec.tables], t_sec.title
    key_points = t_cases.children[0].children[0]
    assert key_points.title == "Key Points"
    assert key_points.tables[0].rows[:2] == [
        ["Medication:", "Amoxicillin-clavulanate 500/125 mg thrice daily for 31 days"],
        ["Pattern:", "Cholestatic (R=1.9)"],
    ]
    # interpret() reads the same case reports from both.
    assert interpret(text).case_reports == interpret(nxml).case_reports
    assert interpret(text).case_reports[0].severity_grade == 4


# --- (c) every NXML chapter, rendered as the web page prints it ----------------------------------

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_SKIP_IN_CITATION = ("annotation", "pub-id", "object-id")


def _flat(el: ET.Element, skip: tuple[str, ...] = ()) -> str:
    parts = [el.text or ""]
    for child in el:
        if child.tag == "break":
            parts.append(" ")
        elif child.tag not in skip:
            parts.append(_flat(child, skip))
        parts.append(child.tail or "")
    return "".join(parts)


def _t(el: ET.Element | None, skip: tuple[str, ...] = ()) -> str:
    return norm(_flat(el, skip)) if el is not None else ""


def render_page(data: bytes) -> str:
    """An NXML chapter laid out the way ``txt/aldesleukin.txt`` shows the web page (checked below)."""
    root = ET.fromstring(data)
    meta = root.find("book-part/book-part-meta")
    assert meta is not None
    out = [HEADER + _t(meta.find("title-group/title")), ""]
    date = meta.find("pub-history/date[@date-type='updated']")
    if date is not None:
        month = MONTHS[int(date.findtext("month") or "1") - 1]
        out += [f"Last Update: {month} {int(date.findtext('day') or '1')}, {date.findtext('year')}.", ""]
    else:
        out += ["Last Update: unknown.", ""]

    def table(wrap: ET.Element, kind: str) -> None:
        rows = [[_t(c) for c in tr if c.tag in ("td", "th")] for tr in wrap.iter("tr")]
        if kind == "chemical":  # cells run together; the CAS cell (a link) is set off by spaces
            out.append("".join(rows[0]))
            out.extend(f"{r[0]} {r[1]} {''.join(r[2:])}" for r in rows[1:])
        elif kind == "key":
            out.extend(" ".join(c for c in r if c) for r in rows)
        else:
            out.extend("\t".join(r) for r in rows)
        out.append("")

    def content(el: ET.Element, kind: str) -> None:
        for child in el:
            if child.tag == "sec":
                title = _t(child.find("title"))
                sub = "chemical" if title.startswith("CHEMICAL") else "key" if title == "Key Points" else kind
                out.extend([title, ""])
                content(child, sub)
            elif child.tag == "p" and _t(child):
                out.extend([_t(child), ""])
            elif child.tag == "table-wrap":
                table(child, kind)
            elif child.tag == "list":
                out.extend("  • " + _t(p) for item in child.iter("list-item") for p in item.findall("p"))
                out.append("")
            elif child.tag == "ref-list":
                for ref in child.iter("ref"):
                    cit = next((c for c in ref if c.tag in ("element-citation", "mixed-citation")), None)
                    if cit is None:
                        continue
                    ids = {p.get("pub-id-type"): norm(p.text or "") for p in cit.findall("pub-id")}
                    pmid = f" [PubMed: {ids['pmid']}]" if ids.get("pmid") else ""
                    out.append(f"  • {_t(cit, _SKIP_IN_CITATION)}{pmid}")
                    if _t(cit.find("annotation")):
                        out.append("    " + _t(cit.find("annotation")))
                out.append("")
            elif child.tag in ("boxed-text", "fig", "disp-quote", "table-wrap-group"):
                content(child, kind)

    body = root.find("book-part/body")
    if body is not None:
        content(body, "")
    return "\n".join(out) + FOOTER


@needs_corpus
def test_renderer_matches_the_real_page() -> None:
    """The renderer lays aldesleukin out as the real text copy, up to what only the page has."""
    rendered = render_page((CORPUS / "nxml" / "aldesleukin.nxml").read_bytes()).split("\n")
    real = (CORPUS / "txt" / "aldesleukin.txt").read_text(encoding="utf-8").split("\n")
    strip = re.compile(r" \[PMC free article: PMC\d+\]| \[PubMed: \d+\]")
    start = real.index("Aldesleukin")
    body_real = [strip.sub("", x) for x in real[start : real.index("Views") - 1]]
    body_rendered = [strip.sub("", x) for x in rendered[rendered.index("Aldesleukin") :]]
    assert body_rendered[: len(body_real)] == body_real
    assert body_rendered[len(body_real) :][:2] == ["", "OTHER REFERENCE LINKS"]


# Where the round trip cannot be exact: the first row of proteinkinaseinhibit's big table is a
# one-cell group label ("CANCER"), which a text line cannot tell from a paragraph.
ROUND_TRIP_EXCEPTIONS = {"proteinkinaseinhibit.nxml"}


@needs_corpus
@pytest.mark.parametrize("path", NXML_FILES, ids=[p.stem for p in NXML_FILES])
def test_corpus_round_trip(path: Path) -> None:
    if path.name in ROUND_TRIP_EXCEPTIONS:
        pytest.skip("one-cell group rows inside a table (see ROUND_TRIP_EXCEPTIONS)")
    nxml = _nxml(path)
    text = _text(render_page(path.read_bytes()).encode(), path.stem + ".txt")
    assert (text.title, text.updated) == (nxml.title, nxml.updated)
    assert text.chapter_id == chapter_id_from_title(nxml.title)
    assert [p.text for p in text.intro_paras] == [p.text for p in nxml.intro_paras]
    assert _tree(text) == _tree(nxml)
    for n_sec, t_sec in zip(nxml.all_sections(), text.all_sections(), strict=True):
        assert [p.text for p in t_sec.paras] == [p.text for p in n_sec.paras], t_sec.title
        # Rows as printed; header_rows is 1 for every table read from text, while some XML tables
        # put their header row in <tbody> (header_rows 0).
        assert [t.rows for t in t_sec.tables] == [t.rows for t in n_sec.tables], t_sec.title
        assert len(t_sec.refs) == len(n_sec.refs), t_sec.title
        for number, (n, t) in enumerate(zip(n_sec.refs, t_sec.refs, strict=True), start=1):
            assert (t.text, t.annotation, t.pmid) == (n.text, n.annotation, n.pmid), (t_sec.title, number)


# The NCBI id rule holds for most chapters; these ids were set by hand.
IDS_NOT_BY_RULE = {
    "Antithyroid": "Antithyroid Agents",
    "ARBs": "Angiotensin II Receptor Antagonists",
    "ChineseAndAsianHerbs": "Chinese and other Asian Herbal Medicines",
    "Gold_Preparations": "Gold Preparations",
    "HerbalDietarySuppl": "Herbal and Dietary Supplements",
    "IrinotecanTopotecan": "Irinotecan",
    "Severity": "Severity Grading In Drug Induced Liver Injury",
    "SndGenSulfonylureas": "Sulfonylureas, Second Generation",
    "Trastuzumab": "Trastuzumab and Ado-Trastuzumab Emtansine",
}


@needs_corpus
def test_id_rule_on_the_corpus() -> None:
    by_rule, not_by_rule = 0, {}
    for path in NXML_FILES:
        doc = _nxml(path)
        if chapter_id_from_title(doc.title) == doc.chapter_id:
            by_rule += 1
        else:
            not_by_rule[doc.chapter_id] = doc.title
    assert not_by_rule == IDS_NOT_BY_RULE
    assert by_rule == len(NXML_FILES) - len(IDS_NOT_BY_RULE)


@pytest.mark.parametrize(
    ("title", "chapter_id"),
    [
        ("Aldesleukin", "Aldesleukin"),
        ("Amoxicillin-Clavulanate", "AmoxicillinClavulana"),
        ("Anthrax Antitoxins", "AnthraxAntitoxins"),
        ("Nonsteroidal Antiinflammatory Drugs (NSAIDs)", "NonsteroidalAntiinfl"),
        ("Emergency Contraceptive Agents", "EmergencyContracepti"),
        ("Vitamin A", "VitaminA"),
        ("St. John's Wort", "StJohnsWort"),
        ("Cat’s Claw", "CatsClaw"),
    ],
)
def test_id_rule(title: str, chapter_id: str) -> None:
    assert chapter_id_from_title(title) == chapter_id


# --- (d) bad input --------------------------------------------------------------------------------

MINIMAL = HEADER + "Aldesleukin\n\nLast Update: May 5, 2018.\n\nOVERVIEW\n\nIntroduction\n\nSome text.\n"


def _error(data: bytes, name: str = "bad.txt") -> SourceError:
    with pytest.raises(SourceError) as info:
        _text(data, name)
    assert str(info.value).startswith(name + ":")
    return info.value


def test_minimal_page_reads() -> None:
    doc = _text(MINIMAL.encode())
    assert (doc.chapter_id, doc.title, str(doc.updated)) == ("Aldesleukin", "Aldesleukin", "2018-05-05")
    assert _tree(doc) == [(0, "OVERVIEW"), (1, "Introduction")]


@pytest.mark.parametrize("data", [b"", b"  \n\r\n\t\n"], ids=["empty", "blank"])
def test_empty(data: bytes) -> None:
    err = _error(data, "empty.txt")
    assert "empty" in err.message and err.where is None


def test_binary() -> None:
    err = _error(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "image.txt")
    assert err.where == "line 1" and "UTF-8" in err.message


def test_nul_bytes() -> None:
    err = _error(b"Aldesleukin\n\nLast Update: May 5, 2018.\n\x00\x01\x02", "nul.txt")
    assert err.where == "line 4" and "binary" in err.message


def test_json() -> None:
    err = _error(b'\n{"title": "Aldesleukin", "updated": "2018-05-05"}\n', "page.txt")
    assert err.where == "line 2" and "JSON" in err.message


def test_html() -> None:
    html = b"<!DOCTYPE html>\n<html><body><h1>Aldesleukin</h1><p>Last Update: May 5, 2018.</p></body></html>\n"
    err = _error(html, "page.html")
    assert err.where == "line 1" and "HTML" in err.message


def test_latin1() -> None:
    text = MINIMAL.replace("Some text.", "Aldesleukin – Proleukin®").replace("–", "-")
    err = _error(text.encode("latin-1"), "latin1.txt")
    line = text.split("\n").index("Aldesleukin - Proleukin®") + 1
    assert err.where == f"line {line}" and "0xae" in err.message


def test_random_text() -> None:
    err = _error(b"Lorem ipsum dolor sit amet.\n\nConsectetur adipiscing elit.\n", "notes.txt")
    assert "Last Update" in err.message and err.where is None


def test_no_title() -> None:
    err = _error(b"\n\nLast Update: May 5, 2018.\n\nOVERVIEW\n\nIntroduction\n\nText.\n", "untitled.txt")
    assert err.where == "line 3" and "title" in err.message


def test_header_line_is_not_a_title() -> None:
    err = _error(b"Show details\n\nLast Update: May 5, 2018.\n\nOVERVIEW\n\nText.\n", "untitled.txt")
    assert err.where == "line 3"


def test_no_sections() -> None:
    err = _error(b"Release notes\n\nLast Update: May 5, 2018.\n\nNothing to see here.\n", "notes.txt")
    assert err.where == "line 3" and "OVERVIEW" in err.message


def test_front_matter_page_without_sections_reads() -> None:
    """A LiverTox page with no section headings (front matter) is read when the page banner is there."""
    data = (HEADER + "Severity Grading\n\nLast Update: May 4, 2019.\n\nFirst paragraph.\n\nSecond.\n").encode()
    doc = _text(data)
    assert doc.sections == [] and [p.text for p in doc.intro_paras] == ["First paragraph.", "Second."]


def test_large_input_is_linear() -> None:
    """Ten times the entries take about ten times as long (no quadratic step); best of two runs."""
    entry = "  • Author A. Title. J Hepatol 2001; 1: 1-2. [PubMed: 1]\n    (Annotation.)\n"

    def best_time(entries: int) -> float:
        data = (MINIMAL + "\nANNOTATED BIBLIOGRAPHY\n\n" + entry * entries + FOOTER).encode()
        times = []
        for _ in range(2):
            start = time.perf_counter()
            doc = _text(data)
            times.append(time.perf_counter() - start)
        assert len(doc.sections[-1].refs) == entries
        return min(times)

    small, large = best_time(1_000), best_time(10_000)
    assert large < 30 * small, (small, large)
