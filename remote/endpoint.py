"""Running a query on a remote SPARQL 1.1 endpoint (Oxigraph server, Virtuoso, ...): ``query``/``qc --endpoint``.

The parameters are bound into the text exactly as for the embedded store, the text goes through the one
client (:mod:`livertox_kg.remote.client`: POST as a form, SPARQL JSON asked for), and the answer is the same
:class:`~livertox_kg.queries.results.Results` the embedded store gives, so every output format works the
same. Everything that can go wrong (the endpoint is down, does not answer in time, answers an HTTP error or
something that is not SPARQL JSON) is an :class:`EndpointError`: one line naming the endpoint, exit 2.
A query is sent once: ``--timeout`` is how long the user is willing to wait, not per try.
"""

from __future__ import annotations

from collections.abc import Mapping

from livertox_kg.errors import QueryError
from livertox_kg.queries.params import Term
from livertox_kg.queries.results import Results
from livertox_kg.queries.sparql_text import bind, query_form
from livertox_kg.remote.client import Client, RequestFailed, redacted, url_problem

DEFAULT_TIMEOUT = 60.0


class EndpointError(QueryError):
    """A remote endpoint cannot be reached, does not answer in time, or answers an error."""


def check_url(url: str) -> str:
    problem = url_problem(url)
    if problem == "not an http(s) URL":
        raise EndpointError(f"{url!r} is not an http(s) URL of a SPARQL endpoint")
    if problem is not None:
        raise EndpointError(f"{redacted(url)}: {problem}")
    return url


def query(url: str, text: str, bindings: Mapping[str, Term] | None = None, timeout: float = DEFAULT_TIMEOUT) -> Results:
    """Run a SELECT or ASK query (parameters bound as for the embedded store) on the endpoint at ``url``."""
    check_url(url)
    form = query_form(text)
    if form not in ("SELECT", "ASK"):
        raise QueryError(f"only SELECT and ASK queries can be run here, not {form}")
    with Client(timeout=timeout) as client:
        try:
            return client.query(url, bind(text, bindings or {}))
        except RequestFailed as exc:
            raise EndpointError(f"{url}: {_what(exc, timeout)}") from None


def _what(exc: RequestFailed, timeout: float) -> str:
    if exc.kind == "timeout":
        return f"no answer within {timeout:g} s (--timeout)"
    if exc.kind == "status":
        return f"the endpoint answered an error: {exc.detail}"
    if exc.kind == "connection":
        return f"cannot reach the endpoint: {exc.reason}"
    return exc.detail
