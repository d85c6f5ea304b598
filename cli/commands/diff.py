"""``livertox-kg diff OLD NEW``: what changed between two releases (stores or exports)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from livertox_kg.errors import EXIT_FINDINGS, EXIT_OK
from livertox_kg.exports import diff

NAME = "diff"
HELP = (
    "compare two stores or exports: chapters, likelihood scores, patterns, case reports, references and"
    " identifiers (exit 1 when they differ)"
)
EXAMPLES = (
    "diff /tmp/kg-last /tmp/kg    # the last release's store and this one",
    "diff --format json last.nq /tmp/kg    # an export of the last release and this store",
)


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", type=Path, help="the older release: a store folder or an export file")
    parser.add_argument("new", type=Path, help="the newer release: a store folder or an export file")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="report format")


def run(args: argparse.Namespace) -> int:
    result = diff.compare(diff.open_side(args.old), diff.open_side(args.new))
    sys.stdout.write(result.to_json() if args.format == "json" else result.report())
    return EXIT_FINDINGS if result.differs else EXIT_OK
