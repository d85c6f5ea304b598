"""``livertox-kg query NAME|--file Q.rq|--text '...'``: run a query on the embedded store or an endpoint.

A stored query runs as the catalogue has it (its tuned variant if it has one). A hand-written one
(``--text``, ``--file``) may use the graph's prefixes without declaring them
(:mod:`livertox_kg.queries.prefixes`). On the store, the default graph is the union of all graphs; an
endpoint's default graph is its own (Oxigraph server: start it with ``--union-default-graph``).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

from livertox_kg.cli.commands import add_store_argument, store_location
from livertox_kg.errors import EXIT_OK, QueryError, UsageError
from livertox_kg.queries import headers, params, prefixes
from livertox_kg.queries.results import FORMATTERS
from livertox_kg.queries.run import run as run_query
from livertox_kg.remote import endpoint
from livertox_kg.store import generations as store_mod

NAME = "query"
HELP = "run a stored query (or your own) on the store or on a SPARQL endpoint"
EXAMPLES = (
    "query likelihood --param agent=Codeine --format csv",
    "query --text 'SELECT DISTINCT ?agent WHERE { ?a a ltx:Drug ; rdfs:label ?agent } ORDER BY ?agent'",
)


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", nargs="?", help="stored query name ('livertox-kg queries' lists them)")
    parser.add_argument("--file", type=Path, help="run the query in this .rq file instead")
    parser.add_argument("--text", help="run this query text instead (the graph's prefixes need no PREFIX line)")
    parser.add_argument(
        "--param",
        action="append",
        metavar="K=V",
        help="a query parameter, bound by its declared type; repeat for more (NAME:TYPE=VALUE for a query without"
        " a header)",
    )
    parser.add_argument(
        "--format",
        choices=sorted(FORMATTERS),
        default="table",
        help="output format: table for people (IRIs with prefixes), or a W3C SPARQL results format",
    )
    parser.add_argument("--endpoint", metavar="URL", help="run on this SPARQL 1.1 endpoint instead of the store")
    parser.add_argument(
        "--timeout", type=float, default=endpoint.DEFAULT_TIMEOUT, help="seconds to wait for --endpoint"
    )
    add_store_argument(parser)


@dataclass(frozen=True)
class Loaded:
    """The query to run: its text, its declared parameters (``None``: an ad-hoc query without a header),
    and the prefixes it uses undeclared (a hand-written query's)."""

    text: str
    declared: tuple[params.Param, ...] | None
    prefixes: dict[str, str] = field(default_factory=dict)


def load(args: argparse.Namespace) -> Loaded:
    given = [x for x in (args.name, args.file, args.text) if x is not None]
    if len(given) != 1:
        raise UsageError("give one of: a stored query NAME, --file Q.rq, or --text 'QUERY'")
    if args.name is not None:
        query = headers.stored_query(args.name)
        return Loaded(query.run_text, query.params)
    if args.file is not None:
        try:
            text = Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"{args.file}: cannot read the query: {exc}") from None
        where = str(args.file)
    else:
        text = args.text
        where = "--text"
    header = text.lstrip().startswith("#+")
    declared = headers.parse_header(where, text, require_all=False)["params"] if header else None
    return Loaded(text, declared, prefixes.undeclared(text))


def run(args: argparse.Namespace) -> int:
    query = load(args)
    bindings = params.bindings_for(query.declared, params.parse_param_args(args.param or []))
    if args.timeout <= 0:
        raise UsageError("--timeout must be positive")
    if args.endpoint:
        text = prefixes.declarations(query.prefixes) + query.text
        results = endpoint.query(args.endpoint, text, bindings, timeout=args.timeout)
    else:
        store = store_mod.open_read_only(store_location(args))
        results = run_query(store, query.text, bindings, query.prefixes)
    sys.stdout.write(FORMATTERS[args.format](results))
    return EXIT_OK
