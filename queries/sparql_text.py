"""SPARQL query text, read only as far as this package needs: the query form, the prefixes the prologue
declares, comments, and parameters bound as a one-row ``VALUES`` block.

Parameters are bound, never pasted: each is one term (:func:`livertox_kg.queries.params.term`), written
by pyoxigraph in its escaped N-Triples form, which is valid SPARQL, and the terms are joined into the
query as ``VALUES (?a ?b) { (<...> "...") }`` at the top of its ``WHERE`` group and of the ``WHERE``
group of each sub-select that uses them (:func:`bind`).

Why this is hand-written: it is the one way to bind that every engine takes. A remote endpoint
(``--endpoint``) receives query text only. On the embedded store, pyoxigraph 0.5's own binding
(``Store.query(..., substitutions=...)``) takes only variables the query's ``SELECT`` clause projects
(``RuntimeError: ... does not contains variable ?x in its SELECT projection``), and the value does not
reach a sub-select that does not project it; the stored queries use their parameters in such sub-selects
and project them in one case only (``agents-by-likelihood``). rdflib's parser could read
the text but not write it back unchanged. The tokenizer is the smallest reader that knows strings, IRIs
and comments (a ``{`` or ``#`` inside them is not syntax) and braces.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from livertox_kg.errors import QueryError
from livertox_kg.queries.params import BAD_CONTROL, PARAM_NAME, Term

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")

_TOKEN = re.compile(
    r"""(?P<ws>\s+)
    |(?P<comment>\#[^\n]*)
    |(?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
        |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
    |(?P<word>[A-Za-z_][A-Za-z0-9_-]*)
    |(?P<open>\{)
    |(?P<close>\})
    |(?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int


def _tokens(text: str) -> list[_Token]:
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind not in ("ws", "comment"):
            out.append(_Token(kind, m.group(), m.start()))
    return out


def strip_comments(text: str) -> str:
    """``text`` without its comments (``#`` to the end of a line, outside strings and IRIs)."""
    return "".join(m.group() for m in _TOKEN.finditer(text) if m.lastgroup != "comment")


def _prologue(toks: list[_Token]) -> tuple[str, int, list[tuple[str, str]]]:
    """The query form after the prologue, its token index, and the ``PREFIX`` declarations read on the
    way as ``(prefix, namespace)`` (``""`` for the empty prefix)."""
    declared: list[tuple[str, str]] = []
    i = 0
    while i < len(toks):
        word = toks[i].text.upper() if toks[i].kind == "word" else ""
        if word in ("PREFIX", "BASE"):
            k = i + 1
            while k < len(toks) and toks[k].kind != "iri":
                k += 1
            if word == "PREFIX" and k < len(toks):
                name = "".join(t.text for t in toks[i + 1 : k]).removesuffix(":")
                declared.append((name, toks[k].text[1:-1]))
            i = k + 1
            continue
        if word in QUERY_FORMS:
            return word, i, declared
        if word in UPDATE_WORDS:
            return "UPDATE", i, declared
        break
    raise QueryError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE after the prefixes")


def query_form(text: str) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``, or ``UPDATE`` for an update request."""
    return _prologue(_tokens(text))[0]


def prefixes(text: str) -> list[tuple[str, str]]:
    """The ``(prefix, namespace)`` pairs the query's prologue declares, in order."""
    return _prologue(_tokens(text))[2]


def term_text(t: Term) -> str:
    """``t`` in SPARQL syntax, as pyoxigraph writes it (N-Triples form; IRIs were validated when the
    term was made). A literal with a control character is refused: it would be written as a ``\\u``
    escape, and SPARQL decodes those before it reads strings (``\\u0022`` would end the literal)."""
    if isinstance(t, ox.Literal) and BAD_CONTROL.search(t.value):
        raise QueryError("control characters are not allowed in a literal value")
    return str(t)


def values_block(bindings: Mapping[str, Term]) -> str:
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(term_text(t) for t in bindings.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


def _group_end(toks: list[_Token], start: int) -> int:
    """The index of the ``}`` closing the group opened at ``toks[start]`` (the last token if none)."""
    depth, end = 0, start
    for end in range(start, len(toks)):
        depth += {"open": 1, "close": -1}.get(toks[end].kind, 0)
        if depth == 0:
            break
    return end


def _binding_groups(text: str) -> list[tuple[int, set[str] | None]]:
    """The offset of each ``{`` a ``VALUES`` block goes after: the query's ``WHERE`` group (``None``: it
    takes every binding) and the ``WHERE`` group of each sub-select, with the variables used in it."""
    toks = _tokens(text)
    form, i, _ = _prologue(toks)
    if form == "UPDATE":
        raise QueryError("an update is not a query")
    i += 1
    if form == "CONSTRUCT" and i < len(toks) and toks[i].kind == "open":
        i = _group_end(toks, i) + 1  # past the template
    while i < len(toks) and toks[i].kind != "open":
        i += 1
    if i >= len(toks):
        raise QueryError("the query has no WHERE group to bind parameters in")
    if i + 1 < len(toks) and toks[i + 1].kind == "word" and toks[i + 1].text.upper() == "SELECT":
        raise QueryError("parameters cannot be bound when WHERE is a bare sub-query; wrap it in { }")
    groups: list[tuple[int, set[str] | None]] = [(toks[i].start, None)]
    depth = 0
    for n, tok in enumerate(toks):
        depth += {"open": 1, "close": -1}.get(tok.kind, 0)
        if tok.kind == "word" and tok.text.upper() == "SELECT" and depth > 0:
            start = next((k for k in range(n + 1, len(toks)) if toks[k].kind == "open"), None)
            if start is not None:
                end = _group_end(toks, start)
                groups.append((toks[start].start, {t.text[1:] for t in toks[start:end] if t.kind == "var"}))
    return groups


def bind(text: str, bindings: Mapping[str, Term]) -> str:
    """``text`` with ``bindings`` joined as a one-row ``VALUES`` block at the top of its ``WHERE`` group,
    and at the top of the ``WHERE`` group of each sub-select that uses them.

    The value so holds wherever the query names the variable, also in a sub-select, which SPARQL
    evaluates on its own. Nested groups (``GRAPH``, ``OPTIONAL``) of the top-level group join with its
    block; a ``FILTER`` inside them does not see it.
    """
    if not bindings:
        return text
    for name in bindings:
        if not PARAM_NAME.match(name):
            raise QueryError(f"parameter name {name!r} is not lower-case letters, digits and '_'")
    inserts = []
    for brace, used in _binding_groups(text):
        chosen = dict(bindings) if used is None else {n: t for n, t in bindings.items() if n in used}
        if chosen:
            inserts.append((brace, values_block(chosen)))
    for brace, block in sorted(inserts, reverse=True):
        text = f"{text[: brace + 1]} {block}\n{text[brace + 1 :]}"
    return text
