"""Running a SELECT or ASK query, parameters bound, on the embedded store.

(A remote endpoint is :func:`livertox_kg.remote.endpoint.query`; both give :class:`~.results.Results`.)
Parameters are bound as a ``VALUES`` block (:func:`livertox_kg.queries.sparql_text.bind`, which says why
pyoxigraph's own ``substitutions`` cannot do it for the stored queries), the same text an endpoint gets.

The default graph is the union of all graphs (pyoxigraph's ``use_default_graph_as_union``), as on an
Oxigraph server started with ``--union-default-graph`` and on Virtuoso: a pattern outside ``GRAPH`` reads
every chapter's graph and the vocabulary's; ``GRAPH ?g { }`` still says which chapter stated what. In
pyoxigraph 0.5 that union is a bag: a triple stated by k graphs is read k times (oxigraph#1919, fixed after
0.5.13 by oxigraph#1920), which the stored queries allow for (``queries/tuned/README.md``).
"""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox

from livertox_kg.errors import QueryError
from livertox_kg.queries.params import Term
from livertox_kg.queries.results import Results, Row
from livertox_kg.queries.sparql_text import binding_inserts, query_form, with_inserts
from livertox_kg.queries.syntax import describe


def run(
    store: ox.Store,
    text: str,
    bindings: Mapping[str, Term] | None = None,
    prefixes: Mapping[str, str] | None = None,
) -> Results:
    """Run a SELECT or ASK query (with ``bindings`` bound as :func:`~.sparql_text.bind` binds them) on an
    embedded store.

    ``prefixes`` are declared for the query unless it declares them itself (those of a hand-written
    query: :func:`livertox_kg.queries.prefixes.undeclared`). A syntax error is one line naming the place
    in ``text`` (:func:`livertox_kg.queries.syntax.describe`).
    """
    form = query_form(text)
    if form not in ("SELECT", "ASK"):
        raise QueryError(f"only SELECT and ASK queries can be run here, not {form}")
    inserts = binding_inserts(text, bindings or {})
    bound = with_inserts(text, inserts)
    try:
        solutions = store.query(bound, use_default_graph_as_union=True, prefixes=dict(prefixes or {}))
    except SyntaxError as exc:
        raise QueryError(f"query is not valid SPARQL: {describe(text, str(exc), inserts)}") from None
    if isinstance(solutions, ox.QueryBoolean):
        return Results([], [], bool(solutions))
    if not isinstance(solutions, ox.QuerySolutions):
        raise QueryError("only SELECT and ASK queries can be run here")
    variables = [v.value for v in solutions.variables]
    # a solution iterates its values in the order of the variables (None where unbound); reading them so
    # is 10-30% faster on large results than looking each variable up by name
    rows: list[Row] = [list(sol) for sol in solutions]
    return Results(variables, rows)
