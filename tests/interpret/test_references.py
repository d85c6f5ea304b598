"""Tests for ``livertox_kg.interpret.references``: references, the works they cite, and the two repairs of
citations printed inside their annotation."""

from __future__ import annotations

from livertox_kg.interpret.references import references, work
from livertox_kg.loaders.document import RawDocument, RawRef, Sec
from livertox_kg.model import Finding, Provenance, Work

PROVENANCE = Provenance("test.nxml", "0" * 64, "nxml", "test")


def read(*refs: RawRef) -> tuple[list[tuple[int, Work, str | None, str]], list[Finding]]:
    findings: list[Finding] = []
    doc = RawDocument("Test", "Test", PROVENANCE, sections=[Sec("ANNOTATED BIBLIOGRAPHY", refs=list(refs))])
    got = references(doc, findings)
    return [(r.ordinal, r.work, r.annotation, r.list_title) for r in got], findings


def test_a_journal_citation_is_split() -> None:
    ref = RawRef("journal", "Fisher B, Keenan AM. Interleukin-2 induces cholestasis. J Clin Oncol 1989; 7: 1852-62.")
    ref.pmid = "2585024"
    cited = work(ref)
    assert (cited.authors, cited.title, cited.journal) == (
        ("Fisher B", "Keenan AM"),
        "Interleukin-2 induces cholestasis",
        "J Clin Oncol",
    )
    assert (cited.year, cited.volume, cited.issue, cited.pages, cited.pmid) == ("1989", "7", None, "1852-62", "2585024")
    assert cited.citation_text == ref.text


def test_a_structured_citation_keeps_its_fields_and_other_works_only_their_year() -> None:
    structured = RawRef("book", "Zimmerman HJ. Hepatotoxicity. 1999.", structured=True, authors=("Zimmerman HJ",))
    structured.title, structured.year = "Hepatotoxicity", "1999"
    assert work(structured) == Work(
        "book", authors=("Zimmerman HJ",), title="Hepatotoxicity", year="1999", citation_text=structured.text
    )
    book = RawRef("book", "Zimmerman HJ. Hepatotoxicity. Philadelphia: Lippincott, 1999, pp. 1-789.")
    assert work(book) == Work("book", year="1999", citation_text=book.text)


def test_a_citation_printed_inside_its_annotation() -> None:
    ref = RawRef(
        "journal",
        "",
        annotation="Avigan MI, Mozersky RP. Drug-induced liver injury. Hepatology 2016; 17: 331. PubMed Citation "
        "(Overview of DILI.)",
    )
    (got,), findings = read(ref)
    ordinal, cited, annotation, list_title = got
    assert cited.citation_text == "Avigan MI, Mozersky RP. Drug-induced liver injury. Hepatology 2016; 17: 331."
    assert (cited.authors, cited.journal, cited.year) == (("Avigan MI", "Mozersky RP"), "Hepatology", "2016")
    assert (ordinal, annotation, list_title) == (1, "(Overview of DILI.)", "ANNOTATED BIBLIOGRAPHY")
    assert findings == [
        Finding(
            "section ANNOTATED BIBLIOGRAPHY, reference 1", "citation printed inside its annotation; read from there"
        )
    ]


def test_a_citation_cut_and_continued_inside_its_annotation() -> None:
    """The markup ends in the middle of a name ("K" + "ench J"): one word, glued back; the finding names the
    place the markup cut it."""
    ref = RawRef(
        "journal",
        "Chitturi S, Le V, K",
        annotation="ench J, Loh C. Drug hepatotoxicity. Dig Dis Sci 2002; 47: 1107-10. PubMed Citation (A woman.)",
    )
    (_, got), findings = read(RawRef("journal", "Doe J. A title. Lancet 2001; 1: 2."), ref)
    cited = got[1]
    assert (
        cited.citation_text == "Chitturi S, Le V, Kench J, Loh C. Drug hepatotoxicity. Dig Dis Sci 2002; 47: 1107-10."
    )
    assert (cited.authors, cited.year, cited.pages) == (("Chitturi S", "Le V", "Kench J", "Loh C"), "2002", "1107-10")
    assert got[2] == "(A woman.)"
    assert findings == [
        Finding(
            "section ANNOTATED BIBLIOGRAPHY, reference 2",
            "citation cut after 'Chitturi S, Le V, K' and continued inside its annotation",
        )
    ]
