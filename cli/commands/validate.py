"""``livertox-kg validate [FILES...]``: check entries (or the whole store) against the SHACL shapes.

With files (chapter ``.nxml`` / ``.txt``, or Turtle / JSON-LD entries), each is validated in the context of
the store, which is only read; without files, the whole store is validated.

Exit codes: 0 no violation (no warning either with ``--fail-on warning``); 1 violations (or warnings with
``--fail-on warning``); 2 unreadable input or no store.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from livertox_kg.cli.commands import add_store_argument, store_location
from livertox_kg.errors import EXIT_FINDINGS, EXIT_OK

NAME = "validate"
HELP = "check entries (chapter files, Turtle, JSON-LD) or the whole store against the SHACL shapes"
EXAMPLES = (
    "validate new-chapter.nxml",
    "validate --format json new-chapter.nxml",
    "validate",
)


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files",
        nargs="*",
        type=Path,
        help="chapter files (.nxml, .txt) or entries (.ttl, .jsonld, .nt); none: the whole store",
    )
    parser.add_argument("--format", choices=("text", "json", "turtle"), default="text", help="report format")
    parser.add_argument(
        "--fail-on",
        choices=("violation", "warning"),
        default="violation",
        help="exit 1 on violations (default), or also on warnings",
    )
    add_store_argument(parser)


def run(args: argparse.Namespace) -> int:
    # imported here: every command module is imported when the CLI starts, and only this one needs them
    from livertox_kg.validation import report as report_mod
    from livertox_kg.validation import runner
    from livertox_kg.validation.shapes_graph import load

    location = store_location(args)
    notes: list[str] = []
    if args.files:
        checked = runner.validate_entries(args.files, location)
        report = checked.report
        notes = checked.notes
    else:
        report = runner.validate_store(location)
    failed = report.violations > 0 or (args.fail_on == "warning" and report.warnings > 0)
    print(f"note: validated against {report.context}", file=sys.stderr)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    shapes = load()
    if args.format == "json":
        sys.stdout.write(report_mod.to_json(report, shapes, passed=not failed))
    elif args.format == "turtle":
        sys.stdout.write(report_mod.to_turtle(report.results))
    else:
        sys.stdout.write(report_mod.to_text(report, shapes))
    return EXIT_FINDINGS if failed else EXIT_OK
