"""What a section heading is: a standard overview subsection or one of the top-level parts of a chapter.

Shared by the readers (the text reader finds top-level headings with it) and the interpreter. Tolerant of the
typos seen in the source ("CASE REPOT", "OHTER REFERENCE LINKS", "OVERIEW").
"""

from __future__ import annotations

import re

_STANDARD = (
    ("introduction", re.compile(r"^intro", re.I)),
    ("background", re.compile(r"^back", re.I)),
    ("hepatotoxicity", re.compile(r"^hepato?tox", re.I)),
    ("mechanism", re.compile(r"^mech", re.I)),
    ("outcome", re.compile(r"^out", re.I)),
)


def standard_key(title: str) -> str | None:
    for key, rx in _STANDARD:
        if rx.match(title.strip()):
            return key
    return None


def top_kind(title: str) -> str:
    """What a top-level section is, tolerant of the typos seen ("CASE REPOT", "OHTER REFERENCE LINKS")."""
    t = title.upper()
    if t.startswith(("OVERV", "OVERIEW")):
        return "overview"
    if t.startswith("CASE") or t.startswith("REPRESENTATIVE CASE"):
        return "cases"
    if "PRODUCT" in t:
        return "product"
    if "CHEMICAL" in t or "FORMULA" in t or "STRUCTUR" in t:
        return "chemical"
    if "LINK" in t:
        return "links"
    if "BIBLIOG" in t or "REFERENC" in t or "REFERNC" in t:
        return "references"
    return "other"
