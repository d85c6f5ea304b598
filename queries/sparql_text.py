"""SPARQL query text, read only as far as this package needs: the query form, the prefixes the prologue
declares and the prefixed names it uses, comments, and parameters bound as a one-row ``VALUES`` block.

Parameters are bound, never pasted: each is one term (:func:`livertox_kg.queries.params.term`), written
by pyoxigraph in its escaped N-Triples form, which is valid SPARQL, and the terms are joined into the
query as ``VALUES (?a ?b) { (<...> "...") }`` at the top of its ``WHERE`` group and of the ``WHERE``
group of each sub-select that uses them (:func:`bind`). A ``name`` parameter, compared with letter case
ignored, is a ``FILTER (LCASE(STR(?agent)) = LCASE("..."))`` at the top of the groups where its variable
is in scope: it is also the column the listing shows, as printed, so it cannot be a ``VALUES`` term.

Why this is hand-written: it is the one way to bind that every engine takes. A remote endpoint
(``--endpoint``) receives query text only. On the embedded store, pyoxigraph 0.5's own binding
(``Store.query(..., substitutions=...)``) takes only variables the query's ``SELECT`` clause projects
(``RuntimeError: ... does not contains variable ?x in its SELECT projection``), and the value does not
reach a sub-select that does not project it; most stored queries with parameters do not project them
(``case-reports``' ``?pattern``, ``trade-name``'s ``?trade_name``: the tests list them), and a name is a
comparison, not a term. rdflib's parser could read the text but not write it back unchanged. The
tokenizer is the smallest reader that knows strings, IRIs, prefixed names and comments (a ``{`` or ``#``
inside them is not syntax) and braces.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from livertox_kg.errors import QueryError
from livertox_kg.queries.params import BAD_CONTROL, PARAM_NAME, AnyCase, Term

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")

_TOKEN = re.compile(
    r"""(?P<ws>\s+)
    |(?P<comment>\#[^\n]*)
    |(?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
        |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
    |(?P<bnode>_:[A-Za-z0-9_\u00b7\u00c0-\uffff.-]*)
    |(?P<pname>(?:[A-Za-z\u00c0-\uffff][A-Za-z0-9_.\u00b7\u00c0-\uffff-]*)?:(?:[A-Za-z0-9_:%.\u00b7\u00c0-\uffff-]|\\.)*)
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


def prefixes_used(text: str) -> list[tuple[str, int]]:
    """Each prefix the query's prefixed names use (``ltx`` for ``ltx:Agent``; ``""`` for ``:x``), with the
    offset of its first use, in order of first use (declarations included)."""
    first: dict[str, int] = {}
    for tok in _tokens(text):
        # right after a "<" it is the start of an IRI the tokenizer could not read (a space in it), not a name
        if tok.kind == "pname" and text[tok.start - 1 : tok.start] != "<":
            first.setdefault(tok.text.partition(":")[0], tok.start)
    return list(first.items())


def token_start(text: str, offset: int) -> int:
    """The offset of the token (word, name, string, punctuation) that ``offset`` falls in or follows."""
    start = 0
    for tok in _tokens(text):
        if tok.start > offset:
            break
        start = tok.start
    return start


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
                name = "".join(t.text for t in toks[i + 1 : k]).partition(":")[0]
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


def term_text(t: ox.NamedNode | ox.Literal) -> str:
    """``t`` in SPARQL syntax, as pyoxigraph writes it (N-Triples form; IRIs were validated when the
    term was made). A literal with a control character is refused: it would be written as a ``\\u``
    escape, and SPARQL decodes those before it reads strings (``\\u0022`` would end the literal)."""
    if isinstance(t, ox.Literal) and BAD_CONTROL.search(t.value):
        raise QueryError("control characters are not allowed in a literal value")
    return str(t)


def values_block(bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """``VALUES (?a ?b) { (term term) }``: the one-row block the terms of ``bindings`` are bound by."""
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


@dataclass(frozen=True)
class _Group:
    brace: int  # offset of the group's "{"
    names: frozenset[str]  # the variables named in it, nested sub-selects included
    own: frozenset[str]  # those named in it outside nested sub-selects (their projections count)
    top: bool  # the query's WHERE group (the others are sub-selects')


def _where_group(toks: list[_Token]) -> int:
    """The token index of the ``{`` of the query's ``WHERE`` group."""
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
    return i


def _binding_groups(text: str) -> list[_Group]:
    """The query's ``WHERE`` group and the ``WHERE`` group of each sub-select, where parameters are bound."""
    toks = _tokens(text)
    where = _where_group(toks)
    spans = [(where, _group_end(toks, where))]
    depth = 0
    for n, tok in enumerate(toks):
        depth += {"open": 1, "close": -1}.get(tok.kind, 0)
        if tok.kind == "word" and tok.text.upper() == "SELECT" and depth > 0:
            start = next((k for k in range(n + 1, len(toks)) if toks[k].kind == "open"), None)
            if start is not None:
                spans.append((start, _group_end(toks, start)))
    groups = []
    for a, b in spans:
        inner = [(c, d) for c, d in spans[1:] if a < c and d <= b]
        names = {toks[k].text[1:] for k in range(a, b) if toks[k].kind == "var"}
        own = {
            toks[k].text[1:] for k in range(a, b) if toks[k].kind == "var" and not any(c <= k <= d for c, d in inner)
        }
        groups.append(_Group(toks[a].start, frozenset(names), frozenset(own), (a, b) == spans[0]))
    return groups


def any_case_filter(name: str, value: AnyCase) -> str:
    """The ``FILTER`` a ``name`` parameter is bound by: ``?name`` equals the value, letter case ignored."""
    return f"FILTER (LCASE(STR(?{name})) = LCASE({term_text(value.literal)}))"


def binding_inserts(text: str, bindings: Mapping[str, Term]) -> list[tuple[int, str]]:
    """What :func:`bind` inserts into ``text``, as ``(offset, inserted text)`` in the order of the offsets."""
    if not bindings:
        return []
    for name in bindings:
        if not PARAM_NAME.match(name):
            raise QueryError(f"parameter name {name!r} is not lower-case letters, digits and '_'")
    inserts = []
    filtered: set[str] = set()
    for group in _binding_groups(text):
        terms = {n: t for n, t in bindings.items() if not isinstance(t, AnyCase) and (group.top or n in group.names)}
        names = {n: t for n, t in bindings.items() if isinstance(t, AnyCase) and n in group.own}
        filtered.update(names)
        parts = [values_block(terms)] if terms else []
        parts.extend(any_case_filter(n, t) for n, t in names.items())
        if parts:
            inserts.append((group.brace + 1, f" {' '.join(parts)}\n"))
    unbound = [n for n, t in bindings.items() if isinstance(t, AnyCase) and n not in filtered]
    if unbound:
        raise QueryError(f"parameter {unbound[0]!r}: the query names no variable ?{unbound[0]} to compare with")
    return sorted(inserts)


def bind(text: str, bindings: Mapping[str, Term]) -> str:
    """``text`` with ``bindings`` joined as a one-row ``VALUES`` block at the top of its ``WHERE`` group,
    and at the top of the ``WHERE`` group of each sub-select that uses them; a ``name`` parameter
    (:class:`~livertox_kg.queries.params.AnyCase`) as a ``FILTER`` at the top of each of those groups that
    names the variable outside its own sub-selects (where it is in scope).

    The value so holds wherever the query names the variable, also in a sub-select, which SPARQL
    evaluates on its own. Nested groups (``GRAPH``, ``OPTIONAL``) of the top-level group join with its
    block; a ``FILTER`` inside them does not see it.
    """
    return with_inserts(text, binding_inserts(text, bindings))


def with_inserts(text: str, inserts: list[tuple[int, str]]) -> str:
    """``text`` with the ``(offset, text)`` inserts of :func:`binding_inserts` made."""
    for offset, block in reversed(inserts):
        text = text[:offset] + block + text[offset:]
    return text


def unbound_offset(inserts: list[tuple[int, str]], offset: int) -> int:
    """The offset in the query text of ``offset`` in its bound text (the block's place, inside a block)."""
    shift = 0
    for at, block in inserts:
        if offset < at + shift:
            break
        if offset < at + shift + len(block):
            return at
        shift += len(block)
    return offset - shift
