"""``livertox-kg serve``: a read-only SPARQL 1.1 endpoint over the store, on 127.0.0.1."""

from __future__ import annotations

import argparse
import signal
import sys
from types import FrameType

from livertox_kg.cli.commands import add_store_argument, store_location
from livertox_kg.errors import EXIT_OK, UsageError
from livertox_kg.remote import server

NAME = "serve"
HELP = "answer SPARQL 1.1 queries over the store on 127.0.0.1 (read-only; Ctrl-C stops)"


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=server.DEFAULT_PORT, help="port (0: any free port)")
    parser.add_argument(
        "--bind", default=server.DEFAULT_HOST, metavar="ADDRESS", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument("--timeout", type=float, default=server.DEFAULT_TIMEOUT, help="seconds a query may run")
    parser.add_argument("--max-rows", type=int, default=server.DEFAULT_MAX_ROWS, help="largest result answered")
    parser.add_argument("--quiet", action="store_true", help="do not log requests on stderr")
    add_store_argument(parser)


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} is not a port number")
    if args.timeout <= 0 or args.max_rows <= 0:
        raise UsageError("--timeout and --max-rows must be positive")
    limits = server.Limits(timeout=args.timeout, max_rows=args.max_rows)
    httpd = server.make_server(store_location(args), args.bind, args.port, limits, quiet=args.quiet)
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        print(f"SPARQL endpoint at {httpd.url} (read-only; Ctrl-C stops)", flush=True)
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        httpd.server_close()
    print("stopped", file=sys.stderr, flush=True)
    return EXIT_OK
