"""Running a query on a remote SPARQL 1.1 endpoint (Oxigraph server, Virtuoso, ...) with SPARQLWrapper.

The query is sent by POST (URL-encoded form, the one every SPARQL 1.1 server accepts), results are asked
for as SPARQL JSON by content negotiation only, and the answer is read into the same
:class:`livertox_kg.queries.run.Results` the embedded store gives, so every output format works the same.
Everything that can go wrong (the endpoint is down, does not answer in time, answers an HTTP error or
something that is not SPARQL JSON) is an :class:`EndpointError`: one line naming the endpoint, exit 2.
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.parse
from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox
from livertox_kg import __version__
from livertox_kg.errors import QueryError
from livertox_kg.queries import run as sparql
from SPARQLWrapper import JSON, POST, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

DEFAULT_TIMEOUT = 60.0
_MAX_MESSAGE = 200


class EndpointError(QueryError):
    """A remote endpoint cannot be reached, does not answer in time, or answers an error."""


def check_url(url: str) -> str:
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise EndpointError(f"{url!r} is not an http(s) URL of a SPARQL endpoint")
    return url


def _first_line(body: bytes | str | None) -> str:
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else (body or "")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    first = lines[0] if lines else "(no message)"
    return first if len(first) <= _MAX_MESSAGE else first[: _MAX_MESSAGE - 1] + "…"


def _wrapper_message(exc: SPARQLWrapperException) -> str:
    # SPARQLWrapper puts the server's body after "Response:\n"; keep its first line.
    text = str(exc)
    _, _, body = text.partition("Response:")
    body_line = _first_line(body.strip().removeprefix("b'").removeprefix('b"'))
    return f"{type(exc).__name__}: {body_line}" if body else _first_line(text)


def query(
    url: str, text: str, bindings: Mapping[str, sparql.Term] | None = None, timeout: float = DEFAULT_TIMEOUT
) -> sparql.Results:
    """Run a SELECT or ASK query (parameters bound as for the embedded store) on the endpoint at ``url``."""
    check_url(url)
    form = sparql.query_form(text)
    if form not in ("SELECT", "ASK"):
        raise QueryError(f"only SELECT and ASK queries can be run here, not {form}")
    bound = sparql.bind(text, bindings or {})
    client = SPARQLWrapper(url, agent=f"livertox-kg/{__version__}")
    client.setMethod(POST)
    client.setRequestMethod(URLENCODED)
    client.setOnlyConneg(True)
    client.setReturnFormat(JSON)
    client.setTimeout(max(1, round(timeout)))
    # Comments go: SPARQLWrapper guesses the query form with a regular expression that can take a word
    # in a comment for an update keyword, and would then send an update request.
    client.setQuery(sparql.strip_comments(bound))
    try:
        response = client.query().response
        body = response.read()
    except SPARQLWrapperException as exc:
        raise EndpointError(f"{url}: the endpoint answered an error: {_wrapper_message(exc)}") from None
    except urllib.error.HTTPError as exc:
        message = _first_line(exc.read())
        raise EndpointError(f"{url}: the endpoint answered HTTP {exc.code} {exc.reason}: {message}") from None
    except TimeoutError:
        raise EndpointError(f"{url}: no answer within {timeout:g} s (--timeout)") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise EndpointError(f"{url}: no answer within {timeout:g} s (--timeout)") from None
        detail = getattr(reason, "strerror", None) or str(reason)
        raise EndpointError(f"{url}: cannot reach the endpoint: {detail}") from None
    except (http.client.HTTPException, ConnectionError) as exc:
        raise EndpointError(f"{url}: the connection failed: {type(exc).__name__}: {exc}") from None
    return parse_json_results(url, body)


def parse_json_results(url: str, body: bytes) -> sparql.Results:
    """SPARQL 1.1 JSON results as :class:`~livertox_kg.queries.run.Results`."""
    try:
        doc = json.loads(body)
        if "boolean" in doc:
            return sparql.Results([], [], bool(doc["boolean"]))
        variables = [str(v) for v in doc["head"]["vars"]]
        rows: list[sparql.Row] = [
            [_term(b[v]) if v in b else None for v in variables] for b in doc["results"]["bindings"]
        ]
    except (ValueError, KeyError, TypeError) as exc:
        raise EndpointError(f"{url}: the answer is not SPARQL JSON results: {type(exc).__name__}: {exc}") from None
    return sparql.Results(variables, rows)


def _term(binding: dict[str, Any]) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    kind = binding["type"]
    value = str(binding["value"])
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        safe = "".join(ch if ch.isalnum() else "_" for ch in value) or "b"
        return ox.BlankNode(safe if safe[0].isalpha() else f"b{safe}")
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in binding:
            return ox.Literal(value, language=str(binding["xml:lang"]))
        if "datatype" in binding:
            return ox.Literal(value, datatype=ox.NamedNode(str(binding["datatype"])))
        return ox.Literal(value)
    raise ValueError(f"unknown term type {kind!r}")
