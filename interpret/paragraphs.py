"""The chapter's running text, paragraph by paragraph in document order, each with where it sits.

Likelihood statements and pattern evidence are read from these paragraphs; where a paragraph sits (its
top-level section and the sections around it) tells whom it is about (``interpret/attribution.py``) and
which text section it belongs to (``interpret/sections.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from livertox_kg.loaders.document import Para, RawDocument, Sec
from livertox_kg.loaders.sections import top_kind


@dataclass
class PlacedPara:
    """A paragraph in document order with where it sits."""

    para: Para
    top: int  # index of its top-level section (-1: body text outside sections)
    path: tuple[Sec, ...]  # enclosing sections, outermost first


def paragraphs(doc: RawDocument) -> Iterator[PlacedPara]:
    """The body text outside sections, then the paragraphs of the overview, case-report and other text
    sections (not product information, chemical tables, references or links)."""
    for p in doc.intro_paras:
        yield PlacedPara(p, -1, ())

    def walk(sec: Sec, top: int, path: tuple[Sec, ...]) -> Iterator[PlacedPara]:
        here = (*path, sec)
        for p in sec.paras:
            yield PlacedPara(p, top, here)
        for child in sec.children:
            yield from walk(child, top, here)

    for i, sec in enumerate(doc.sections):
        if top_kind(sec.title) in ("overview", "other", "cases"):
            yield from walk(sec, i, ())


def where(placed: PlacedPara) -> str:
    """The place a finding names: "section OVERVIEW > Hepatotoxicity", or "body"."""
    titles = [s.title for s in placed.path if s.title]
    return "section " + " > ".join(titles) if titles else "body"
