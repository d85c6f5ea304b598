"""Read a plain-text copy of a chapter's NCBI Bookshelf web page into a :class:`RawDocument`.

The format is the one of ``corpus/txt/aldesleukin.txt``: the page as a browser copies it, one block
(heading, paragraph, table row, list item) per line, blocks usually separated by blank lines::

    U.S. flag                                   <- page header, dropped
    ...
    Show details
    Aldesleukin                                 <- chapter title: the line before "Last Update"
    Last Update: May 5, 2018.
    OVERVIEW                                    <- top-level headings are upper case
    Introduction                                <- OVERVIEW subsections
    Aldesleukin is a recombinant form ...       <- paragraphs
    ...
    CHEMICAL FORMULA AND STRUCTURE
    DRUGCAS REGISTRY NUMBERMOLECULAR FORMULASTRUCTURE     <- table, cells run together
    Aldesleukin 110942-02-4 CytokineNot Available
    ANNOTATED BIBLIOGRAPHY
      • Fisher B, ... J Clin Oncol 1989; 7: 1852-62. [PubMed: 2585024]
        (Among 8 prospectively followed patients ...)      <- annotation of the entry above
    Views                                       <- page footer, dropped
    ...

What the text cannot carry is left empty rather than guessed: ``Para.bold`` and ``Para.links`` are
``()``, ``Sec.sec_type`` is ``None``, references are never ``structured``. The chapter id is derived
from the title by NCBI's rule (:func:`chapter_id_from_title`), which is not the real id for every
chapter (``Gold_Preparations``, ``ARBs``, ``IrinotecanTopotecan``).

The body after "Last Update:" is read into sections by ``loaders/text_body.py``. A page with no section
heading at all is accepted only under the LiverTox page banner (front matter). UTF-8 with or without BOM
and any line ends are read alike.
"""

from __future__ import annotations

import datetime as dt
import re

from livertox_kg.errors import SourceError
from livertox_kg.loaders.document import RawDocument, Sec, norm
from livertox_kg.loaders.text_body import read_body
from livertox_kg.model import Provenance

__all__ = ["chapter_id_from_title", "read_text"]

# --- page frame -----------------------------------------------------------------------------------

_LAST_UPDATE = re.compile(r"^Last\s+Update[ds]?\s*:\s*(?P<date>.*)$", re.I)
_DATE = re.compile(r"(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})")
_MONTHS = {
    name: i
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
# Lines of the NCBI page frame that can never be a chapter title.
_HEADER_LINE = re.compile(
    r"^(?:U\.S\. flag|An official website of the United States government|Show details|Cover of .*"
    r"|NCBI Bookshelf\..*|LiverTox: Clinical and Research Information on Drug-Induced Liver Injury.*"
    r"|Search term|Search Bookshelf|Browse Titles|Advanced|Help|Disclaimer)$",
    re.I,
)
_LIVERTOX_BANNER = re.compile(r"\bLiverTox\b")
# First line of the page footer; everything from it on is dropped (it includes the "Similar articles"
# citation list, which would otherwise read as a second bibliography).
_FOOTER = re.compile(
    r"^(?:Views|PubReader|Print View|Cite this Page|In this Page|Related information"
    r"|Related Items in PubMed|Similar articles in PubMed|Similar articles|Recent Activity"
    r"|New and Updated|Turn recording back on|Your browsing activity is empty\.?"
    r"|Activity recording is turned off\.?|See reviews\.\.\.\s*See all\.\.\.|Copyright Notice"
    r"|Bookshelf ID: NBK\d+.*|PMID: \d+)$",
    re.I,
)
_MARKUP = re.compile(r"^<(?:!doctype|\?xml|html|head|body|div|meta|book-part-wrapper)\b", re.I)
_JSON = re.compile(r'^(?:\{|\[\s*(?:[\[{"\d\]-]|true\b|false\b|null\b|$))')

_NOT_ID_CHAR = re.compile(r"[^A-Za-z0-9]")


def chapter_id_from_title(title: str) -> str:
    """NCBI's chapter id for a title: its ASCII letters and digits, cut to 20 characters.

    ``"Amoxicillin-Clavulanate"`` -> ``"AmoxicillinClavulana"``. Some chapters were given other ids
    by hand (``Gold_Preparations``, ``ARBs``); the text copy cannot tell those.
    """
    return _NOT_ID_CHAR.sub("", title)[:20]


def _decode(data: bytes, source: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            source, f"line {line}", f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be decoded"
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        raise SourceError(source, f"line {text.count(chr(10), 0, nul) + 1}", "binary data (NUL byte), not text")
    return text


def _parse_date(text: str) -> dt.date | None:
    m = _DATE.search(text)
    if not m:
        return None
    month = _MONTHS.get(m["month"].lower())
    if month is None:
        return None
    try:
        return dt.date(int(m["year"]), month, int(m["day"]))
    except ValueError:
        return None


def read_text(data: bytes, provenance: Provenance, display: str | None = None) -> RawDocument:
    """Read one chapter page copied as text. Raises :class:`SourceError` for anything else.

    ``display`` is the file name as the user gave it, for error messages.
    """
    source = display or provenance.source_name
    page, first = _page_lines(data, source)
    update = next((i for i, ln in enumerate(page) if _LAST_UPDATE.match(ln.strip())), None)
    if update is None:
        raise SourceError(
            source,
            None,
            "not a LiverTox chapter page: no 'Last Update:' line "
            "(expected the chapter title, then 'Last Update: <date>.')",
        )
    title_at, title, chapter_id = _title(page, update, source)
    m = _LAST_UPDATE.match(page[update].strip())
    updated = _parse_date(m["date"]) if m else None
    end = next((i for i in range(update + 1, len(page)) if _FOOTER.match(page[i].strip())), len(page))
    intro, tops = read_body(page, update + 1, end)
    banner = any(_LIVERTOX_BANNER.search(page[i]) for i in range(first, title_at))
    if not tops and not banner:
        raise SourceError(
            source,
            f"line {update + 1}",
            "not a LiverTox chapter page: no OVERVIEW or other section heading after 'Last Update:'",
        )
    doc = RawDocument(chapter_id=chapter_id, title=title, provenance=provenance, updated=updated)
    doc.title_line = title_at + 1
    doc.intro_paras = intro.paras
    doc.sections = tops
    if intro.tables or intro.refs:
        doc.sections.insert(0, Sec(title="", tables=intro.tables, refs=intro.refs))
    return doc


def _page_lines(data: bytes, source: str) -> tuple[list[str], int]:
    """The page's lines (any line ends) and the index of the first that is not blank; refuses an empty
    file, markup and JSON."""
    if not data.strip():
        raise SourceError(source, None, "empty file")
    text = _decode(data, source)
    page = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = next((i for i, ln in enumerate(page) if ln.strip()), None)
    if first is None:
        raise SourceError(source, None, "empty file")
    head = page[first].strip()
    if _MARKUP.match(head):
        raise SourceError(
            source,
            f"line {first + 1}",
            "not a text copy of a LiverTox page: this is HTML/XML markup (read .nxml files as XML)",
        )
    if _JSON.match(head):
        raise SourceError(source, f"line {first + 1}", "not a text copy of a LiverTox page: this looks like JSON")
    return page, first


def _title(page: list[str], update: int, source: str) -> tuple[int, str, str]:
    """(line index, title, chapter id) of the chapter title: the last line before "Last Update:" that is
    not blank."""
    title_at = next((i for i in range(update - 1, -1, -1) if page[i].strip()), None)
    title = norm(page[title_at]) if title_at is not None else ""
    if title_at is None or not title or _HEADER_LINE.match(title):
        raise SourceError(source, f"line {update + 1}", "no chapter title on the line before 'Last Update:'")
    chapter_id = chapter_id_from_title(title)
    if not chapter_id:
        raise SourceError(source, f"line {title_at + 1}", f"cannot derive a chapter id from the title {title!r}")
    return title_at, title, chapter_id
