"""``livertox-kg query NAME``: run a stored query from ``queries/``."""

from __future__ import annotations

import argparse
import sys

from livertox_kg import sparql
from livertox_kg import store as store_mod
from livertox_kg.commands import add_store_argument, store_location
from livertox_kg.errors import EXIT_OK, UsageError

NAME = "query"
HELP = "run a stored query"


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", help="stored query name ('livertox-kg queries' lists them)")
    parser.add_argument("--param", action="append", default=[], metavar="K=V", help="query parameter")
    parser.add_argument("--format", choices=sorted(sparql.FORMATTERS), default="table")
    add_store_argument(parser)


def run(args: argparse.Namespace) -> int:
    query = sparql.stored_query(args.name)
    if args.param:
        raise UsageError(f"stored query {args.name!r} takes no parameters")
    store = store_mod.open_read_only(store_location(args))
    results = sparql.run(store, query.text)
    sys.stdout.write(sparql.FORMATTERS[args.format](results))
    return EXIT_OK
