"""The format-neutral shape of a chapter, before interpretation.

Each format reader (``nxml.py``, ``text.py``) only recovers the document's structure into these
classes: titles, paragraphs, tables, reference entries. ``interpret.py`` turns a :class:`RawDocument`
into the model (:class:`livertox_kg.model.Chapter`) the same way for every format, so two formats of
one chapter give the same graph.

All text is whitespace-normalised (``norm``). Paragraphs, sections and references carry the line they start
on in the source (``line``, 1-based; ``None`` when the reader cannot tell), so that a finding can send a
curator to the place in the file; lines never enter the graph and two formats of one chapter compare equal
whatever their lines (``compare=False``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from livertox_kg.model import Finding, Provenance


def norm(text: str) -> str:
    """Collapse runs of white space to one space and strip both ends."""
    return " ".join(text.split())


@dataclass(frozen=True)
class Link:
    text: str
    chapter_id: str  # document-id of a LiverTox chapter the text links to


@dataclass(frozen=True)
class ExtLink:
    """A link out of LiverTox, as the XML marks it up (``<ext-link>``); text copies have none."""

    link_type: str  # @ext-link-type: "pubchem" (href "sid://N", a PubChem substance) or "uri"
    href: str  # @xlink:href as printed
    text: str


@dataclass
class Para:
    text: str
    bold: tuple[str, ...] = ()  # bold phrases inside the paragraph, in order
    links: tuple[Link, ...] = ()  # links to other LiverTox chapters, in order
    content_type: str | None = None  # NXML @content-type ("pubmed-excerpt": the overview NCBI excerpts)
    ext_links: tuple[ExtLink, ...] = ()  # links out of LiverTox, in order (not those of a table inside it)
    line: int | None = field(default=None, compare=False)  # where it starts in the source


@dataclass
class RawRef:
    """One entry of a reference list, as printed."""

    publication_type: str  # "journal", "book", "other", "web" (NXML @publication-type)
    text: str  # the citation without its annotation and identifiers
    annotation: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    doi: str | None = None
    structured: bool = False  # True when the fields below come from markup (element-citation)
    ext_links: tuple[ExtLink, ...] = ()  # links out of LiverTox in the citation (not in its annotation)
    authors: tuple[str, ...] = ()
    title: str | None = None
    journal: str | None = None
    year: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    line: int | None = field(default=None, compare=False)  # where the entry starts in the source
    ref_id: str | None = field(default=None, compare=False)  # NXML ``<ref id="...">``; text copies have none


@dataclass
class Table:
    rows: list[list[str]]  # cell texts, header rows included, row by row
    header_rows: int = 0  # how many leading rows are the table head
    links: tuple[Link, ...] = ()  # links to other LiverTox chapters in its cells, in order
    row_links: tuple[tuple[int, ExtLink], ...] = ()  # (index in rows, link) of each link out of LiverTox


@dataclass
class Sec:
    title: str
    paras: list[Para] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    children: list[Sec] = field(default_factory=list)
    refs: list[RawRef] = field(default_factory=list)
    sec_type: str | None = None  # NXML @sec-type ("pubmed-excerpt", "link-group")
    line: int | None = field(default=None, compare=False)  # the line of its title (or start) in the source

    def walk(self) -> list[Sec]:
        """This section and all its descendants, in document order."""
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


@dataclass
class TocEntry:
    """One entry of the book's table of contents, as printed: its title and what it points to."""

    title: str
    chapter_id: str | None  # document-id of the chapter the entry points to
    object_id: str | None = None  # the section (object-id) inside that chapter, if the entry points to one
    children: list[TocEntry] = field(default_factory=list)


@dataclass
class RawDocument:
    chapter_id: str
    title: str
    provenance: Provenance
    updated: dt.date | None = None
    intro_paras: list[Para] = field(default_factory=list)  # paragraphs of the body outside any section
    sections: list[Sec] = field(default_factory=list)  # top-level sections in order
    part_type: str = "chapter"  # "chapter", "appendix" (front matter), "glossary" or "toc"
    toc: list[TocEntry] = field(default_factory=list)  # the table of contents (the toc page only)
    problems: list[Finding] = field(default_factory=list)  # what the reader found wrong, with the line
    title_line: int | None = field(default=None, compare=False)  # the title's line (or where it belongs)

    def all_sections(self) -> list[Sec]:
        out: list[Sec] = []
        for sec in self.sections:
            out.extend(sec.walk())
        return out
