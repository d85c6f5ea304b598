"""A SPARQL syntax error as one readable line: where, near what, what was expected, and a hint.

pyoxigraph's message (``error at 3:17: expected one of ABS, AVG, ... ['A' ..= 'Z' | ...]``) names the
position one column past the character it stopped at, and lists the grammar's character classes; an
undeclared prefix is ``expected one of Prefix not found, ...`` at the end of the prefixed name. This
module turns it into ``line 3, column 16, near ")": expected one of ABS, AVG, ...``, and for an
undeclared prefix names it and the known prefix it may be a typo of (``skso:``: did you mean ``skos:``?).
No library reads pyoxigraph's messages; :mod:`difflib` finds the likely typo.
"""

from __future__ import annotations

import difflib
import re

from livertox_kg.queries.prefixes import QUERY_PREFIXES, unknown
from livertox_kg.queries.sparql_text import token_start, unbound_offset, with_inserts

_POSITION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)
_WORD = re.compile(r"^[A-Za-z][A-Za-z_]*$")
_QUOTED = re.compile(r'^"(.+)"$')
_MAX_EXPECTED = 12
_NEAR = 30


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _offset(text: str, line: int, column: int) -> int:
    """The offset of the character pyoxigraph's ``line:column`` stopped at (its column is one past it)."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    start = starts[min(line, len(starts)) - 1]
    return min(start + max(column - 2, 0), len(text))


def _expected(rest: str) -> str:
    """The words and punctuation of pyoxigraph's ``expected one of ...`` list, without character classes."""
    rest = re.sub(r"\[[^\]]*\]", "", rest.replace("\n", " "))  # character classes: ['A' ..= 'Z' | ...]
    items = []
    for item in (i.strip() for i in rest.removeprefix("expected one of").removeprefix("expected").split(", ")):
        quoted = _QUOTED.match(item)
        if quoted:
            items.append(f"'{quoted[1]}'")
        elif _WORD.match(item):
            items.append(item)
    if "IRI parsing failed" in rest:
        return "an absolute IRI inside < >"
    if not items:
        return ""
    more = ", …" if len(items) > _MAX_EXPECTED else ""
    return ("one of " if len(items) > 1 else "") + ", ".join(items[:_MAX_EXPECTED]) + more


def _near(text: str, offset: int) -> str:
    if offset >= len(text.rstrip()):
        return "at the end of the query"
    line_end = text.find("\n", offset)
    snippet = text[offset : line_end if line_end >= 0 else len(text)].strip()
    snippet = snippet if len(snippet) <= _NEAR else snippet[: _NEAR - 1] + "…"
    return f"near {snippet!r}"


def _prefix_hint(name: str) -> str:
    close = difflib.get_close_matches(name, list(QUERY_PREFIXES), n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]}:? (or declare it: PREFIX {name}: <...>)"
    return f"declare it (PREFIX {name}: <...>) or use a prefix that needs none: {', '.join(QUERY_PREFIXES)}"


def describe(text: str, message: str, inserts: list[tuple[int, str]] | None = None) -> str:
    """``message``, pyoxigraph's ``SyntaxError`` for ``text`` with the parameter ``inserts`` made
    (:func:`~livertox_kg.queries.sparql_text.binding_inserts`), as one line about ``text`` for people."""
    undeclared = unknown(text)  # an undeclared prefix is an error wherever the parser stopped
    if undeclared is not None:
        name, offset = undeclared
        line, column = _line_column(text, offset)
        return f"line {line}, column {column}: the prefix {name}: is not declared; {_prefix_hint(name)}"
    m = _POSITION.match(message.strip())
    if m is None:
        return " ".join(message.split())
    inserts = inserts or []
    offset = unbound_offset(inserts, _offset(with_inserts(text, inserts), int(m[1]), int(m[2])))
    if offset < len(text.rstrip()):
        offset = token_start(text, offset)
    line, column = _line_column(text, offset)
    expected = _expected(m[3])
    return f"line {line}, column {column}, {_near(text, offset)}" + (f": expected {expected}" if expected else "")
