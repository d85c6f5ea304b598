"""``livertox-kg validate [FILES...]``: check entries (or the whole store) against the SHACL shapes.

With files (chapter ``.nxml`` / ``.txt``, or Turtle / JSON-LD entries), each is validated in the context of
the store, which is only read; without files, the whole store is validated.

Exit codes: 0 no violation; 1 violations (or, with ``--strict`` / ``--fail-on warning``, warnings too); 2
unreadable input or no store. Source errors (a score "F", a repeated ``<ref id>``, a PubMed id with a dropped
digit, a missing title) are Warnings, as in ``build``, where a source error never refuses a chapter: every one
is listed with its file and line, and ``--strict`` makes them fail the check, which is how a curator checks a
new entry before sending it. Results the store gives without the entries ("elsewhere in the graph") are
counted apart and never fail a check of files.
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
    "validate --strict new-chapter.nxml",
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
    parser.add_argument("--format", choices=("text", "json", "turtle", "html"), default="text", help="report format")
    parser.add_argument(
        "--fail-on",
        choices=("violation", "warning"),
        default="violation",
        help="exit 1 on violations, or on warnings too (default: %(default)s)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 on warnings too: the source errors of a curator's new entry (same as --fail-on warning)",
    )
    parser.add_argument(
        "--all",
        action="store_true",
        help="list every result elsewhere in the graph (default: one line per kind, with its count)",
    )
    add_store_argument(parser)


def run(args: argparse.Namespace) -> int:
    # imported here: every command module is imported when the CLI starts, and only this one needs them
    from livertox_kg.validation import report as report_mod
    from livertox_kg.validation import report_text, runner
    from livertox_kg.validation.shapes_graph import load

    location = store_location(args)
    notes: list[str] = []
    if args.files:
        checked = runner.validate_entries(args.files, location)
        report = checked.report
        notes = checked.notes
    else:
        report = runner.validate_store(location)
    fail_on = "warning" if args.strict else args.fail_on
    failed = report.violations > 0 or (fail_on == "warning" and report.warnings > 0)
    print(f"note: validated against {report.context}", file=sys.stderr)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    shapes = load()
    from livertox_kg.validation import change

    # what the entries would change in the store they were checked against (only with --store)
    changes = change.entry_changes(checked.entries, location) if args.files and args.store is not None else None
    if args.format == "json":
        text = report_mod.to_json(report, shapes, passed=not failed)
        sys.stdout.write(text if changes is None else change.with_changes(text, changes))
    elif args.format == "html":
        from livertox_kg.validation import report_html

        sys.stdout.write(report_html.to_html(report, shapes))
    elif args.format == "turtle":
        from livertox_kg.validation import report_turtle

        sys.stdout.write(report_turtle.to_turtle(report))
    else:
        sys.stdout.write(report_text.to_text(report, shapes, everything=args.all))
        sys.stdout.write(change.to_text(changes or [], location))
    return EXIT_FINDINGS if failed else EXIT_OK
