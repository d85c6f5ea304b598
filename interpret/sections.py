"""The chapter's text sections (the overview and its standard subsections, numbered by key), and its table
of contents.

A text section is one with paragraphs in the OVERVIEW (keyed by its standard subsection: "introduction",
"hepatotoxicity", ..., "overview" for the OVERVIEW itself, "other" for any other subsection) or in a
top-level section of no known kind ("other"). Case reports, product information, chemical tables and
reference lists are not text sections. Each key is numbered in document order: "hepatotoxicity" 1, 2, ...
in a chapter on several agents.
"""

from __future__ import annotations

from livertox_kg.interpret.agents import ChapterAgents
from livertox_kg.interpret.attribution import section_agent
from livertox_kg.loaders.document import RawDocument, Sec, TocEntry
from livertox_kg.loaders.sections import standard_key, top_kind
from livertox_kg.model import ContentsEntry, Section

SectionIndex = dict[int, tuple[str, int]]
"""``id(Sec)`` -> (section key, ordinal) of each text section."""


def section_index(doc: RawDocument) -> SectionIndex:
    """The text sections of ``doc``, in document order."""
    counts: dict[str, int] = {}
    index: SectionIndex = {}

    def visit(sec: Sec, in_overview: bool) -> None:
        key = standard_key(sec.title) if in_overview else None
        if key is None:
            if in_overview and not sec.title.upper().startswith("OVERVIEW"):
                key = "other"
            elif in_overview:
                key = "overview"
            elif top_kind(sec.title) == "other" and sec.title:
                key = "other"
        if key and sec.paras:
            counts[key] = counts.get(key, 0) + 1
            index[id(sec)] = (key, counts[key])
        for child in sec.children:
            visit(child, in_overview)

    for sec in doc.sections:
        kind = top_kind(sec.title)
        if kind in ("overview", "other"):  # case reports, product information, tables, references: not text sections
            visit(sec, kind == "overview")
    return index


def placed(index: SectionIndex, path: tuple[Sec, ...]) -> tuple[str | None, int | None]:
    """(key, ordinal) of the innermost text section on ``path``."""
    for sec in reversed(path):
        if id(sec) in index:
            return index[id(sec)]
    return None, None


def text_sections(found: ChapterAgents, doc: RawDocument, index: SectionIndex) -> list[Section]:
    """The text sections with their text and the agent each is about (rule d1), the body text outside
    sections first as the first "overview"."""
    sections: list[Section] = []
    if doc.intro_paras:
        sections.append(Section("overview", 1, doc.title, "\n\n".join(p.text for p in doc.intro_paras)))
    for sec in (s for top in doc.sections for s in top.walk()):
        if id(sec) in index:
            key, ordinal = index[id(sec)]
            if doc.intro_paras and key == "overview":
                ordinal += 1
            text = "\n\n".join(p.text for p in sec.paras)
            sections.append(Section(key, ordinal, sec.title, text, section_agent(found, _path_to(doc, sec))))
    return sections


def _path_to(doc: RawDocument, target: Sec) -> tuple[Sec, ...]:
    """The sections from the top-level one down to ``target``."""

    def find(sec: Sec, path: tuple[Sec, ...]) -> tuple[Sec, ...] | None:
        here = (*path, sec)
        if sec is target:
            return here
        for child in sec.children:
            found = find(child, here)
            if found:
                return found
        return None

    for sec in doc.sections:
        found = find(sec, ())
        if found:
            return found
    return ()


def contents(doc: RawDocument) -> list[ContentsEntry]:
    """The table of contents, entries numbered in document order with the entry each is nested in."""
    out: list[ContentsEntry] = []

    def visit(entry: TocEntry, parent: int | None) -> None:
        out.append(ContentsEntry(len(out) + 1, entry.title, entry.chapter_id, entry.object_id, parent))
        here = len(out)
        for child in entry.children:
            visit(child, here)

    for entry in doc.toc:
        visit(entry, None)
    return out
