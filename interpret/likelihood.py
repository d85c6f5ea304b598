"""Recognise likelihood-score statements in a paragraph.

Forms seen in LiverTox (see ``shared/corpus/README.md``)::

    Likelihood score: C[HD] (probable cause ...).
    Likelihood score for caffeine: E (...)            Likelihood score irinotecan: B (...)
    Likelihood score (parenteral gold preparations): A (...)
    Likelihood score when used for emergency contraception: E (...)
    Glyburide likelihood score: B (...)
    Likelihood score: cannot be assessed.
    Likelihood scores:          <- a heading; then one "Alendronate: C (...)" item per agent,
    Pamidronate: E* (...). Risedronate: D (...).      two items may share a paragraph

and the misspellings "Liklihood", "Likehood", "Likelhood". Only paragraphs that *start* with a
statement count, so a bibliography note that mentions "likelihood scores of A" is never one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from livertox_kg.model import LIKELIHOOD_CODES

_WORD = r"(?:likelihood|liklihood|likehood|likelhood|likelyhood|likelihod)"
_PRE = r"(?P<pre>[A-Z][\w'\-]*(?: [\w'\-]+){0,3} )?"
_STATEMENT = re.compile(
    rf"^\(?{_PRE}{_WORD} (?P<plural>scores?)(?P<mid>[^:]{{0,160}}?)\s*:\s*(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_CODE_TEXT = r"(?P<code>[A-EX])(?P<star>\*)?\s*(?:\[(?P<hd>HD|H)\])?(?=[\s.,;()]|$)"
_CODE = re.compile("^" + _CODE_TEXT)
# Without a colon, a code must follow at once: "Likelihood score - C", "Likelihood score is E*",
# "(Likelihood score C)". Anything else ("assigned a likelihood score of causing ...") is no statement.
_STATEMENT_LOOSE = re.compile(
    rf"^\(?{_PRE}{_WORD} (?P<plural>scores?)\s*(?:[-–—=]|is|was|of)?\s*(?P<rest>{_CODE_TEXT}.*)$",
    re.IGNORECASE | re.DOTALL,
)
_NOT_ASSESSED = re.compile(
    r"^(?:cannot be (?:assessed|determined|graded)|not (?:yet )?(?:assessed|assessable|graded))", re.IGNORECASE
)
_ITEM = re.compile(
    r"(?:^|(?<=[.;)]\s))(?P<name>[A-Z][^:.;()]{0,80}?)\s*:\s*(?P<code>[A-EX])(?P<star>\*)?\s*(?:\[(?P<hd>HD|H)\])?(?=[\s.,;()]|$)"
)
_NOT_NAMES = frozenset({"the", "a", "an", "its", "this", "overall", "their", "our"})


@dataclass(frozen=True)
class Score:
    category: str  # A..E, E*, X, NA
    high_dose_marker: str | None  # "HD", "H" or None


@dataclass(frozen=True)
class Statement:
    """One recognised statement: ``names``/``context`` describe whom it is for, as printed."""

    score: Score | None  # None: a heading ("Likelihood scores:") or an unreadable code
    names: str | None  # agent names given before "likelihood score" or in the slot after it
    context: str | None  # "when used for ..." text: a scope, not a name
    text: str  # the exact statement text
    heading: bool = False
    unreadable: str | None = None  # the text where a code was expected but none could be read


def read_code(text: str) -> tuple[Score | None, str]:
    """Read a score at the start of ``text``; returns (score or None, what was read)."""
    text = text.strip()
    m = _CODE.match(text)
    if m:
        code = m["code"] + ("*" if m["star"] else "")
        if code not in LIKELIHOOD_CODES:  # "D*": printed, but no such category
            return None, m.group(0)
        return Score(code, m["hd"]), m.group(0)
    m2 = _NOT_ASSESSED.match(text)
    if m2:
        return Score("NA", None), m2.group(0)
    return None, text[:40]


def _slot(mid: str) -> tuple[str | None, str | None]:
    """Split the words between "score" and ":" into (names, context)."""
    mid = mid.strip()
    if not mid:
        return None, None
    if mid.startswith("(") and mid.endswith(")"):
        return mid[1:-1].strip() or None, None
    lowered = mid.lower()
    if lowered.startswith("for "):
        return mid[4:].strip() or None, None
    if lowered.split(" ", 1)[0] in {"when", "if", "in", "with", "during", "as", "at"}:
        return None, mid
    return mid, None


def parse_paragraph(text: str) -> list[Statement]:
    """Statements that ``text`` makes, or ``[]`` when it is not a likelihood statement."""
    m = _STATEMENT.match(text) or _STATEMENT_LOOSE.match(text)
    if not m:
        return []
    pre = (m["pre"] or "").strip()
    if pre.lower() in _NOT_NAMES:
        pre = ""
    if pre and m["pre"] and not re.match(rf"{_WORD}", text[m.end("pre") :], re.IGNORECASE):
        return []
    names, context = _slot(m.groupdict().get("mid") or "")
    if pre:
        names = pre if names is None else f"{pre} {names}"
    rest = m["rest"].strip()
    if not rest:
        return [Statement(None, names, context, text, heading=True)]
    score, read = read_code(rest)
    if score is None:
        return [Statement(None, names, context, text, unreadable=read)]
    return [Statement(score, names, context, text)]


def parse_items(text: str) -> list[Statement]:
    """``Agent: C (...)`` items of a paragraph under a "Likelihood scores:" heading."""
    matches = list(_ITEM.finditer(text))
    out: list[Statement] = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        segment = text[m.start() : end].strip()
        score, _ = read_code(segment[len(m["name"]) :].lstrip(" :"))
        out.append(Statement(score, m["name"].strip(), None, segment, unreadable=None if score else segment))
    return out
