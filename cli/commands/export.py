"""``livertox-kg export``: the graph (or chosen chapters) as Turtle, N-Triples, N-Quads, TriG or JSON-LD."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from livertox_kg.cli.commands import add_store_argument, store_location
from livertox_kg.errors import EXIT_OK
from livertox_kg.exports import write as export
from livertox_kg.store import generations as store_mod

NAME = "export"
HELP = "write the graph, or chosen chapters, as a file (same bytes when nothing changed)"


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=export.FORMATS,
        default=None,
        help="default: from the -o file's suffix (.ttl .nt .nq .trig .jsonld), else nquads",
    )
    parser.add_argument(
        "--chapter",
        action="append",
        default=[],
        metavar="ID",
        help="export this chapter (repeatable; default: every graph in the store)",
    )
    parser.add_argument("-o", "--output", type=Path, default=None, help="file to write (default: standard output)")
    add_store_argument(parser)


def run(args: argparse.Namespace) -> int:
    fmt = export.format_for(args.output, args.format)
    store = store_mod.open_read_only(store_location(args))
    if args.output is None:
        sys.stdout.reconfigure(encoding="utf-8", newline="\n")  # type: ignore[union-attr]
        export.export(store, fmt, sys.stdout, args.chapter)
        sys.stdout.flush()
        return EXIT_OK
    stats = export.export_to_file(store, fmt, args.output, args.chapter)
    print(
        f"wrote {args.output}: {fmt}, {stats.graphs} graph(s), {stats.statements} statement(s)",
        file=sys.stderr,
    )
    return EXIT_OK
