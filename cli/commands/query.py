"""``livertox-kg query NAME|--file Q.rq|--text '...'``: run a query on the embedded store or an endpoint."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from livertox_kg.cli.commands import add_store_argument, store_location
from livertox_kg.errors import EXIT_OK, QueryError, UsageError
from livertox_kg.queries import headers, params
from livertox_kg.queries.results import FORMATTERS
from livertox_kg.queries.run import run as run_query
from livertox_kg.remote import endpoint
from livertox_kg.store import generations as store_mod

NAME = "query"
HELP = "run a stored query (or your own) on the store or on a SPARQL endpoint"


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", nargs="?", help="stored query name ('livertox-kg queries' lists them)")
    parser.add_argument("--file", type=Path, help="run the query in this .rq file instead")
    parser.add_argument("--text", help="run this query text instead")
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="K=V",
        help="query parameter, bound by its declared type (NAME:TYPE=VALUE for a query without a header)",
    )
    parser.add_argument("--format", choices=sorted(FORMATTERS), default="table", help="output format")
    parser.add_argument("--endpoint", metavar="URL", help="run on this SPARQL 1.1 endpoint instead of the store")
    parser.add_argument(
        "--timeout", type=float, default=endpoint.DEFAULT_TIMEOUT, help="seconds to wait for --endpoint"
    )
    add_store_argument(parser)


def load(args: argparse.Namespace) -> tuple[str, tuple[params.Param, ...] | None]:
    """The query text and its declared parameters (``None``: an ad-hoc query without a header)."""
    given = [x for x in (args.name, args.file, args.text) if x is not None]
    if len(given) != 1:
        raise UsageError("give one of: a stored query NAME, --file Q.rq, or --text 'QUERY'")
    if args.name is not None:
        query = headers.stored_query(args.name)
        return query.text, query.params
    if args.file is not None:
        try:
            text = Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"{args.file}: cannot read the query: {exc}") from None
        where = str(args.file)
    else:
        text = args.text
        where = "--text"
    if text.lstrip().startswith("#+"):
        return text, headers.parse_header(where, text, require_all=False)["params"]
    return text, None


def run(args: argparse.Namespace) -> int:
    text, declared = load(args)
    bindings = params.bindings_for(declared, params.parse_param_args(args.param))
    if args.timeout <= 0:
        raise UsageError("--timeout must be positive")
    if args.endpoint:
        results = endpoint.query(args.endpoint, text, bindings, timeout=args.timeout)
    else:
        store = store_mod.open_read_only(store_location(args))
        results = run_query(store, text, bindings)
    sys.stdout.write(FORMATTERS[args.format](results))
    return EXIT_OK
