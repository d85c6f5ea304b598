"""``livertox-kg qc``: run every data-quality check (``queries/qc/*-violation.rq``); exit 1 on any hit.

Each check runs as ``query`` runs a stored query: its tuned variant if it has one, on the store's union
default graph (an Oxigraph server for ``--endpoint`` is started with ``--union-default-graph``).
"""

from __future__ import annotations

import argparse
import sys

from livertox_kg.cli.commands import add_store_argument, store_location
from livertox_kg.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from livertox_kg.queries import headers
from livertox_kg.queries.results import FORMATTERS
from livertox_kg.queries.run import run as run_query
from livertox_kg.remote import endpoint
from livertox_kg.store import generations as store_mod

NAME = "qc"
HELP = "run the data-quality checks; exit 1 if any finds something"
EXAMPLES = (
    "qc r-ratio-pattern-mismatch-violation pmid-not-numeric-violation --store /tmp/kg",
    "qc --format csv --endpoint http://127.0.0.1:7878/query    # an Oxigraph server started with --union-default-graph",
)


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "checks", nargs="*", metavar="CHECK", help="only these checks (names as listed by 'queries'; default: all)"
    )
    parser.add_argument("--endpoint", metavar="URL", help="check the graph of this SPARQL 1.1 endpoint instead")
    parser.add_argument(
        "--timeout", type=float, default=endpoint.DEFAULT_TIMEOUT, help="seconds per check on --endpoint"
    )
    parser.add_argument(
        "--format",
        choices=sorted(FORMATTERS),
        default="table",
        help="how hits are printed: table for people (IRIs with prefixes), or a W3C SPARQL results format",
    )
    add_store_argument(parser)


def run(args: argparse.Namespace) -> int:
    checks = headers.qc_queries()
    if args.checks:
        wanted = [c if c.startswith("qc/") else f"qc/{c}" for c in args.checks]
        unknown = [c for c in wanted if c not in checks]
        if unknown:
            raise UsageError(f"no data-quality check {', '.join(unknown)}; known: {', '.join(checks)}")
        checks = {name: checks[name] for name in wanted}
    store = None if args.endpoint else store_mod.open_read_only(store_location(args))
    failed = 0
    for name, check in checks.items():
        if args.endpoint:
            results = endpoint.query(args.endpoint, check.run_text, timeout=args.timeout)
        else:
            assert store is not None
            results = run_query(store, check.run_text)
        if not results.rows:
            print(f"ok    {name}")
            continue
        failed += 1
        print(f"FAIL  {name}: {len(results.rows)} row(s): {check.summary}")
        sys.stdout.write(FORMATTERS[args.format](results))
    print(f"{len(checks) - failed} of {len(checks)} checks passed")
    return EXIT_FINDINGS if failed else EXIT_OK
