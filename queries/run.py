"""Running a SELECT or ASK query, parameters bound, on the embedded store.

(A remote endpoint is :func:`livertox_kg.remote.endpoint.query`; both give :class:`~.results.Results`.)
Parameters are bound as a ``VALUES`` block (:func:`livertox_kg.queries.sparql_text.bind`, which says why
pyoxigraph's own ``substitutions`` cannot do it for the stored queries), the same text an endpoint gets.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox

from livertox_kg.errors import QueryError
from livertox_kg.queries.params import Term
from livertox_kg.queries.results import Results, Row
from livertox_kg.queries.sparql_text import bind, query_form


def run(store: ox.Store, text: str, bindings: Mapping[str, Term] | None = None) -> Results:
    """Run a SELECT or ASK query (with ``bindings`` bound by :func:`bind`) on an embedded store."""
    form = query_form(text)
    if form not in ("SELECT", "ASK"):
        raise QueryError(f"only SELECT and ASK queries can be run here, not {form}")
    bound = bind(text, bindings or {})
    try:
        solutions = store.query(bound)
    except SyntaxError as exc:
        raise QueryError(f"query is not valid SPARQL: {exc}") from None
    if isinstance(solutions, ox.QueryBoolean):
        return Results([], [], bool(solutions))
    if not isinstance(solutions, ox.QuerySolutions):
        raise QueryError("only SELECT and ASK queries can be run here")
    variables = [v.value for v in solutions.variables]
    # a solution iterates its values in the order of the variables (None where unbound); reading them so
    # is 10-30% faster on large results than looking each variable up by name
    rows: list[Row] = [list(sol) for sol in solutions]
    return Results(variables, rows)
