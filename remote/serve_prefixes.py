"""The project's prefixes, predeclared for queries sent to ``serve`` that use them without declaring them.

``SELECT ?d WHERE { ?d a ltx:Drug }`` works on ``serve`` as if it began with
``PREFIX ltx: <https://w3id.org/livertox-kg/ontology#>``. Only a query that uses a known prefix
(:data:`livertox_kg.rdf.vocab.PREFIXES`) it does not declare is changed, and only by adding the missing
``PREFIX`` declarations in front of it, on its first line (so the line numbers of Oxigraph's error messages
stay right); a declaration the query makes itself always wins. A prefixed name seen inside a string or an
IRI only adds a declaration nobody uses, which changes nothing.

Cost: a GET's request target is first searched for a known prefix name followed by ``:`` or ``%3A`` (one
regular expression over bytes, a microsecond); only a target that has one is decoded and checked, and the
answer is remembered per target, so a client repeating its queries pays a dictionary look-up. POST bodies
(forms and ``application/sparql-query``) are checked the same way.
"""

from __future__ import annotations

import re
import urllib.parse
from typing import Final

from livertox_kg.rdf.vocab import PREFIXES

_NAMES: Final = sorted(PREFIXES, key=len, reverse=True)  # ltxid before ltx
_MAYBE: Final = re.compile(rb"(?:" + b"|".join(re.escape(n.encode()) for n in _NAMES) + rb")(?::|%3[Aa])")
_USED: Final = re.compile(r"(?<![\w.:\-])(" + "|".join(re.escape(n) for n in _NAMES) + r"):")
_DECLARED: Final = re.compile(r"\bPREFIX\s+([A-Za-z][\w.\-]*)\s*:", re.IGNORECASE)
_CACHE_SIZE: Final = 4096


def missing_declarations(query: str) -> str:
    """The ``PREFIX`` declarations (one line, no line break) ``query`` needs and lacks; ``""`` if none."""
    used = set(_USED.findall(query))
    if not used:
        return ""
    used -= set(_DECLARED.findall(query))
    return "".join(f"PREFIX {name}: <{iri}> " for name, iri in PREFIXES.items() if name in used)


def with_prefixes(query: str) -> str | None:
    """``query`` with the declarations it lacks in front, or None when it lacks none."""
    missing = missing_declarations(query)
    return missing + query if missing else None


def _rewrite_fields(encoded: str) -> str | None:
    """A form-encoded parameter list (URL query or form body) with its one ``query`` value completed."""
    try:
        fields = urllib.parse.parse_qsl(encoded, keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        return None  # left to Oxigraph, which says what is wrong
    queries = [i for i, (key, _) in enumerate(fields) if key == "query"]
    if len(queries) != 1:
        return None
    i = queries[0]
    completed = with_prefixes(fields[i][1])
    if completed is None:
        return None
    fields[i] = ("query", completed)
    return urllib.parse.urlencode(fields, quote_via=urllib.parse.quote)


class Prefixer:
    """Completes request targets and bodies; remembers its answers for targets."""

    def __init__(self) -> None:
        self._targets: dict[bytes, bytes | None] = {}

    def target(self, target: bytes) -> bytes | None:
        """The request target with its query completed, or None when it needs nothing."""
        if _MAYBE.search(target) is None:
            return None
        if target in self._targets:
            return self._targets[target]
        path, sep, encoded = target.partition(b"?")
        rewritten = _rewrite_fields(encoded.decode("latin-1")) if sep else None
        answer = path + b"?" + rewritten.encode("ascii") if rewritten is not None else None
        if len(self._targets) >= _CACHE_SIZE:
            self._targets.clear()
        self._targets[target] = answer
        return answer

    def body(self, content_type: bytes, body: bytes) -> bytes | None:
        """A POSTed query body (form or ``application/sparql-query``) completed, or None."""
        if _MAYBE.search(body) is None:
            return None
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return None
        if content_type == b"application/x-www-form-urlencoded":
            rewritten = _rewrite_fields(text)
        elif content_type == b"application/sparql-query":
            rewritten = with_prefixes(text)
        else:
            return None
        return rewritten.encode("utf-8") if rewritten is not None else None
