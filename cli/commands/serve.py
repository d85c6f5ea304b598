"""``livertox-kg serve``: the Oxigraph server, read-only, on the store, with pages for every IRI we mint."""

from __future__ import annotations

import argparse
import sys

from livertox_kg.cli.commands import add_store_argument, store_location
from livertox_kg.errors import EXIT_OK, UsageError
from livertox_kg.remote import serve as serve_mod

NAME = "serve"
HELP = (
    "the store over SPARQL 1.1 (Oxigraph, read-only) with its query UI and a page for every IRI, "
    "following builds (Ctrl-C stops)"
)
EXAMPLES = ("serve --store /tmp/kg --port 8080    # then open http://127.0.0.1:8080/ or .../id/agent/codeine",)


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--port", type=int, default=serve_mod.DEFAULT_PORT, help="port (default %(default)s; 0: any free port)"
    )
    parser.add_argument(
        "--bind", default=serve_mod.DEFAULT_HOST, metavar="ADDRESS", help="address to listen on (default %(default)s)"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=serve_mod.DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help="longest a request may take; a query still running then is stopped (default %(default)g)",
    )
    parser.add_argument("--cors", action="store_true", help="allow cross-origin requests (from any web page)")
    add_store_argument(parser)


def run(args: argparse.Namespace) -> int:
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} is not a port number")
    if not args.timeout > 0:
        raise UsageError("--timeout must be positive")
    options = serve_mod.Options(host=args.bind, port=args.port, timeout=args.timeout, cors=args.cors)

    def ready(base: str) -> None:
        print(f"SPARQL endpoint at {base}/query (read-only; query UI and pages at {base}/; Ctrl-C stops)", flush=True)

    serve_mod.serve(store_location(args), options, ready)
    print("stopped", file=sys.stderr, flush=True)
    return EXIT_OK
