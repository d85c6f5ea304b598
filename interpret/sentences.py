"""Splitting a paragraph into sentences (abbreviations such as "e.g." or "et al." do not end one)."""

from __future__ import annotations

import re

from livertox_kg.loaders.document import norm

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\[])")
_ABBREV_END = re.compile(r"\b(?:e\.g|i\.e|et al|vs|approx|ca|Dr|Fig|no)\.$", re.I)


def sentences(text: str) -> list[str]:
    out: list[str] = []
    for piece in _SENTENCE_END.split(text):
        if out and _ABBREV_END.search(out[-1]):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return [s for s in (norm(p) for p in out) if s]
