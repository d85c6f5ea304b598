"""``livertox-kg export``: the graph (or chosen chapters) as Turtle, N-Triples, N-Quads, TriG or JSON-LD."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from livertox_kg.cli.commands import add_store_argument, store_location
from livertox_kg.errors import EXIT_OK, UsageError
from livertox_kg.exports import kgx, sssom
from livertox_kg.exports import write as export
from livertox_kg.store import generations as store_mod

NAME = "export"
HELP = "write the graph, or chosen chapters, as a file (same bytes when nothing changed)"
EXAMPLES = (
    "export -o livertox.ttl    # the whole graph as Turtle (the format follows the suffix)",
    "export --chapter Codeine --format trig",
    "export --format kgx -o kgx/",
)


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=(*export.FORMATS, "sssom", "kgx"),
        default=None,
        help="default: from the -o file's suffix (.ttl .nt .nq .trig .jsonld), else nquads; sssom: the agents'"
        " cross-references (SSSOM/TSV); kgx: nodes.tsv and edges.tsv (Biolink/KGX) into the -o folder",
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
    if args.format in ("sssom", "kgx"):
        return _edition(args)
    fmt = export.format_for(args.output, args.format)
    store = store_mod.open_read_only(store_location(args))
    if args.output is None:
        sys.stdout.flush()
        export.export(store, fmt, sys.stdout.buffer, args.chapter)
        sys.stdout.buffer.flush()
        return EXIT_OK
    stats = export.export_to_file(store, fmt, args.output, args.chapter)
    print(
        f"wrote {args.output}: {fmt}, {stats.graphs} graph(s), {stats.statements} statement(s)",
        file=sys.stderr,
    )
    return EXIT_OK


def _edition(args: argparse.Namespace) -> int:
    """The agents' cross-references as SSSOM/TSV (a file, or standard output), or the KGX edition (a folder)."""
    if args.chapter:
        raise UsageError(f"--chapter does not apply to --format {args.format}: it writes the whole store")
    if args.format == "kgx" and args.output is None:
        raise UsageError("--format kgx writes nodes.tsv and edges.tsv into a folder: give it with -o DIR")
    store = store_mod.open_read_only(store_location(args))
    if args.format == "kgx":
        stats = kgx.write_kgx(store, args.output)
        print(f"wrote {args.output}: kgx, {stats.nodes} node(s), {stats.edges} edge(s)", file=sys.stderr)
    elif args.output is None:
        sys.stdout.flush()
        sssom.write_sssom(store, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    else:
        n = sssom.write_sssom_file(store, args.output)
        print(f"wrote {args.output}: sssom, {n} mapping(s)", file=sys.stderr)
    return EXIT_OK
