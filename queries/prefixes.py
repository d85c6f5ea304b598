"""The prefixes a hand-written query may use without declaring them, and IRIs written with them for people.

A query typed on the command line (``query --text``, or a ``--file`` without ``PREFIX`` lines) may use
the graph's prefixes (``ltx:``, ``ltxid:``, ``skos:``, ``rdfs:`` ... of :data:`livertox_kg.rdf.vocab.PREFIXES`)
and ``ltxg:`` for the chapter graphs without declaring them: :func:`undeclared` finds the ones it uses and
does not declare. The embedded store gets them as pyoxigraph's ``prefixes=`` (so the query's own text,
and the positions in a syntax error, are unchanged); an endpoint, which knows nothing of them, gets them
as ``PREFIX`` lines before the text (:func:`declarations`). A prefix the query declares itself is its own.

``table`` output, for people, writes IRIs with the same prefixes (:func:`shorten`); CSV, TSV, JSON and XML
keep them whole, as the W3C formats do.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from livertox_kg.queries.sparql_text import prefixes, prefixes_used
from livertox_kg.rdf.vocab import GRAPH, PREFIXES

GRAPH_PREFIX: Final = "ltxg"
"""The prefix of the chapter graphs (``ltxg:Codeine``) in queries; the data and its exports name no graph."""

QUERY_PREFIXES: Final[dict[str, str]] = {**PREFIXES, GRAPH_PREFIX: GRAPH}
"""The prefixes a hand-written query may use undeclared, and ``table`` output writes IRIs with."""

# the longest namespace first, so that an IRI takes the most specific prefix
_BY_LENGTH: Final = sorted(QUERY_PREFIXES.items(), key=lambda item: -len(item[1]))
# a local name ``table`` output writes after a prefix: letters, digits and _-./ (what people read as a name)
_LOCAL: Final = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_./-]*$|^$")


def undeclared(text: str) -> dict[str, str]:
    """The known prefixes ``text`` uses but does not declare, with their namespaces."""
    declared = {name for name, _ in prefixes(text)}
    return {
        name: QUERY_PREFIXES[name] for name, _ in prefixes_used(text) if name in QUERY_PREFIXES and name not in declared
    }


def unknown(text: str) -> tuple[str, int] | None:
    """The first prefix ``text`` uses that it neither declares nor may use undeclared, with its offset."""
    declared = {name for name, _ in prefixes(text)}
    for name, offset in prefixes_used(text):
        if name not in declared and name not in QUERY_PREFIXES:
            return name, offset
    return None


def declarations(namespaces: Mapping[str, str]) -> str:
    """``PREFIX`` lines for ``namespaces`` (each ends with a line feed; none when it is empty)."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in namespaces.items())


def shorten(iri: str) -> str:
    """``iri`` as ``prefix:local`` with the most specific known prefix, when the rest reads as a name."""
    for name, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and _LOCAL.match(iri[len(namespace) :]):
            return f"{name}:{iri[len(namespace) :]}"
    return iri
