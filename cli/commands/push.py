"""``livertox-kg push``: publish the store to a SPARQL server (Graph Store Protocol), only what changed."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from livertox_kg.cli.commands import add_store_argument, store_location
from livertox_kg.cli.progress import progress_printer
from livertox_kg.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from livertox_kg.remote import push
from livertox_kg.remote.client import Client
from livertox_kg.store import generations as store_mod

NAME = "push"
EXAMPLES = (
    "push --endpoint http://127.0.0.1:7878/query",
    "push --endpoint http://host:8890/sparql --user dba --password-env LTX_PW",
)
HELP = "publish the graphs to a SPARQL server (one named graph per chapter; only those that changed)"


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = f"{HELP}\n\n{push.BULK_PATH}\n\n{push.UNION_DEFAULT_GRAPH}"
    parser.add_argument("--endpoint", required=True, metavar="URL", help="the server's SPARQL query endpoint")
    parser.add_argument(
        "--graph-store",
        metavar="URL",
        default=None,
        help="its Graph Store Protocol endpoint (default: .../query -> .../store for Oxigraph,"
        " .../sparql -> .../sparql-graph-crud-auth for Virtuoso, else the endpoint itself)",
    )
    parser.add_argument("--user", default=None, help="user name for the server")
    parser.add_argument(
        "--password-env",
        metavar="VAR",
        default=None,
        help="environment variable holding the password (without it, --user asks for it on the terminal)",
    )
    parser.add_argument("--retries", type=int, default=3, help="tries per request on server errors")
    parser.add_argument("--force", action="store_true", help="send every graph, changed or not")
    parser.add_argument(
        "--parallel",
        type=int,
        default=None,
        metavar="N",
        help=f"graphs sent at once, one request each (default: {push.VIRTUOSO_SENDERS} on a Virtuoso server,"
        f" else {push.SENDERS}: more at once collide on an Oxigraph server)",
    )
    add_store_argument(parser)


def password(args: argparse.Namespace) -> str | None:
    if args.user is None:
        if args.password_env:
            raise UsageError("--password-env needs --user")
        return None
    if args.password_env:
        value = os.environ.get(args.password_env)
        if value is None:
            raise UsageError(f"environment variable {args.password_env} (from --password-env) is not set")
        return value
    if not sys.stdin.isatty():
        raise UsageError("--user needs --password-env VAR, or a terminal to ask for the password")
    return getpass.getpass(f"password for {args.user}: ")


def run(args: argparse.Namespace) -> int:
    if args.retries < 1:
        raise UsageError("--retries must be at least 1")
    if args.parallel is not None and args.parallel < 1:
        raise UsageError("--parallel must be at least 1")
    store = store_mod.open_read_only(store_location(args))
    target = push.Target(
        args.endpoint, args.graph_store or push.default_graph_store(args.endpoint, args.user is not None)
    )
    with Client(args.user, password(args), timeout=push.TIMEOUT, retries=args.retries) as client:
        report = push.push(store, client, target, progress_printer, force=args.force, senders=args.parallel)
    chapter_of = push.chapter_names(store) if report.failed else {}  # only failures are named by chapter
    for line in push.describe_failures(report, chapter_of):
        print(f"error: {line}", file=sys.stderr)
    for line in push.summary_lines(report, chapter_of):
        print(line)
    return EXIT_OK if report.ok else EXIT_FINDINGS
