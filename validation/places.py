"""Where in the source file a finding is: the file, the line, the element and the text printed there.

A curator edits the chapter file, not the graph, so every result on a node of a chapter file and every finding
of the reader is sent back to the place it came from. The map from node to place is built beside the graph,
from the model's positions (``line`` of references, likelihood statements and the title: see
``loaders/document.py``); it never enters the graph. A result whose value is printed in the file (a PubMed id,
a CAS number, a year) is placed on the line that prints it, searched from the node's own line on.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from livertox_kg.model import Chapter, Finding
from livertox_kg.rdf import iris
from livertox_kg.rdf.chapter import work_iri
from livertox_kg.rdf.vocab import PUBMED
from livertox_kg.validation.engine import Result
from livertox_kg.validation.terms import iri_value, is_iri, is_literal, lexical

_TAG = re.compile(r"<[^>]*>")
_EXCERPT = 160  # characters of the source line shown


@dataclass(frozen=True)
class Place:
    """A place in a source file: ``file:line``, the element there and the text it prints."""

    file: str
    line: int | None
    element: str  # 'reference <ref id="Aldesleukin.R5">', "likelihood statement", "title", ...
    excerpt: str  # the source text, markup removed

    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass
class _Node:
    line: int | None
    element: str


class SourcePlaces:
    """The places of one chapter file's nodes and findings."""

    def __init__(self, name: str, chapter: Chapter, data: bytes) -> None:
        self.name = name
        self.lines = data.decode("utf-8", errors="replace").splitlines()
        self.nodes: dict[str, _Node] = {}
        self._add(iris.chapter(chapter.id), chapter.title_line, "title")
        for ref in chapter.references:
            element = f'reference <ref id="{ref.ref_id}">' if ref.ref_id else f"reference {ref.ordinal}"
            self._add(iris.chapter_part(chapter.id, "reference", ref.ordinal), ref.line, element)
            self._add(work_iri(ref.work), ref.line, element)  # a work cited twice: its first reference
        for a in chapter.assessments:
            self._add(iris.chapter_part(chapter.id, "likelihood", a.ordinal), a.line, "likelihood statement")

    def _add(self, iri: str, line: int | None, element: str) -> None:
        self.nodes.setdefault(f"<{iri}>", _Node(line, element))

    def text(self, line: int | None) -> str:
        """The source line, markup removed and entities decoded, cut to a readable length."""
        if line is None or not 0 < line <= len(self.lines):
            return ""
        text = " ".join(html.unescape(_TAG.sub(" ", self.lines[line - 1])).split())
        return text if len(text) <= _EXCERPT else text[: _EXCERPT - 1] + "…"

    def text_near(self, line: int | None) -> str:
        """The text of ``line``, or of the next line that has text (``<ref id="...">`` alone on its line)."""
        for n in range(line, line + 3) if line else ():
            if text := self.text(n):
                return text
        return ""

    def _find(self, needle: str, start: int | None) -> int | None:
        """The first line at or after ``start`` (else anywhere) that prints ``needle``."""
        if not needle:
            return None
        first = (start or 1) - 1
        for i in (*range(first, len(self.lines)), *range(0, first)):
            if needle in self.lines[i]:
                return int(i) + 1
        return None

    def of(self, result: Result) -> Place | None:
        """The place of a result on one of this file's nodes (``None`` for a node the file does not state)."""
        node = self.nodes.get(result.focus)
        if node is None:
            return None
        line = node.line
        printed = _printed(result.value) if result.value != result.focus else ""
        found = self._find(printed, line)
        if found is not None:
            line = found
        return Place(self.name, line, node.element, self.text_near(line))

    def finding(self, finding: Finding) -> Place:
        """The place of a reader's finding: its own line, else the line that prints its excerpt or section."""
        line = finding.line
        if line is None and finding.excerpt:
            line = self._find(finding.excerpt[:60], None)
        if line is None and finding.where.startswith("section "):
            line = self._find(finding.where.rsplit(" > ", 1)[-1].removeprefix("section ").split(",")[0], None)
        excerpt = finding.excerpt if finding.excerpt and finding.line is None else self.text(line)
        return Place(self.name, line, finding.where, excerpt or finding.excerpt or "")


def _printed(value: str | None) -> str:
    """What the source prints for a value: a literal's text, a PubMed IRI's id; else nothing to search."""
    if value is None:
        return ""
    if is_literal(value):
        return lexical(value)
    if is_iri(value):
        text = iri_value(value)
        if text.startswith(PUBMED):
            return text.rstrip("/").rsplit("/", 1)[-1]
    return ""
