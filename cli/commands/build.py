"""``livertox-kg build [SOURCES...]``: load chapters into the store (default: the shipped sample).

The steps are :class:`livertox_kg.store.build.Build`'s: convert (loading as it goes), validate, commit; this
module only says what happens (warnings first, on stderr; the summary on stdout) and picks the exit code.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from livertox_kg.cli.commands import add_store_argument, store_location
from livertox_kg.cli.progress import progress_printer
from livertox_kg.errors import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, UsageError
from livertox_kg.store import generations as store_mod
from livertox_kg.store.build import Build, BuildReport
from livertox_kg.store.convert import default_sources
from livertox_kg.store.summary import summarize
from livertox_kg.validation.report import build_summary, refused_lines, warning_lines
from livertox_kg.validation.runner import UNPLACED, BuildCheck
from livertox_kg.validation.shapes_graph import load as load_shapes

NAME = "build"
HELP = "load chapters into the store (default: the shipped sample)"
EXAMPLES = (
    "build",
    "build --keep-going livertox_NBK547852.tar.gz",
    "build --fresh --store /tmp/kg nxml/",
    "build --sync nxml/",
    "build --force livertox_NBK547852.tar.gz",
)


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "sources",
        nargs="*",
        type=Path,
        help=".nxml or .txt files, folders, or NCBI's .tar.gz archive (default: the shipped sample)",
    )
    parser.add_argument("--keep-going", action="store_true", help="load the good sources, list the bad ones, exit 1")
    parser.add_argument(
        "--fresh", action="store_true", help="start from an empty store (default: add to or replace in the store)"
    )
    parser.add_argument(
        "--sync",
        action="store_true",
        help="remove the store's chapters that no given source gives (default: keep them)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="convert every source again (default: skip sources the store holds unchanged, same converter)",
    )
    add_store_argument(parser)


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    location = store_location(args)
    check: BuildCheck | None = None
    build = Build(location, args.keep_going, args.fresh, force=args.force, sync=args.sync)
    with build:  # leaving it without commit changes nothing
        report = build.convert(list(args.sources) or default_sources(), progress=progress_printer)
        _warn_about_sources(report)
        if (stale := build.stale()) and not args.sync:
            print(
                f"note: adding to the store {location}, which keeps {len(stale)} other chapter(s) that no source"
                " given here gives (--sync removes them, --fresh starts an empty store)",
                file=sys.stderr,
            )
        if report.bad and not args.keep_going:
            _stopped(f"{len(report.bad)} bad source(s)", "--keep-going loads the good ones")
            return EXIT_BAD_INPUT
        if not report.loaded and not report.unchanged and not report.bad:
            raise UsageError("no chapter sources found in the given paths")
        if report.loaded:
            check = build.validate()
            print(build_summary(check), file=sys.stderr)
            for line in warning_lines(check):
                print(line, file=sys.stderr)
            if check.refused and (not args.keep_going or UNPLACED in check.refused):
                for line in refused_lines(check, load_shapes()):
                    print(line, file=sys.stderr)
                _stopped(f"{len(check.refused)} chapter(s) violate the shapes", "--keep-going loads the others")
                return EXIT_FINDINGS
        if report.loaded or report.unchanged:
            build.commit()
    _print_outcome(location, report, check, time.perf_counter() - started)
    return EXIT_FINDINGS if report.bad or report.refused else EXIT_OK


def _warn_about_sources(report: BuildReport) -> None:
    """What the sources get wrong (kept as printed), chapters given twice, and the sources that cannot be read."""
    for conv in report.loaded:
        for f in conv.findings:
            print(f"warning: {conv.source}: {f.where}: {f.message}", file=sys.stderr)
    for dropped, kept in report.superseded:
        print(
            f"warning: chapter {kept.chapter_id} given twice: {dropped.source} replaced by {kept.source}",
            file=sys.stderr,
        )
    for err in report.bad:
        print(f"error: {err}", file=sys.stderr)


def _stopped(why: str, hint: str) -> None:
    print(f"build stopped: {why}; the store was not changed ({hint})", file=sys.stderr)


def _print_outcome(location: Path, report: BuildReport, check: BuildCheck | None, seconds: float) -> None:
    if report.store_unchanged:
        print(f"store unchanged: {report.counts()} ({location}; 'livertox-kg stats' shows what it holds)")
        print(f"seconds       {seconds:.2f}")
        return
    print(f"loaded {len(report.loaded)} chapter(s) into {location} ({report.counts()})")
    if report.removed:
        print(f"removed {len(report.removed)} chapter(s) that no given source gives (--sync):")
        for graph in report.removed:
            print(f"  {graph.rsplit('/', 1)[-1]}")
    if report.bad:
        print(f"skipped {len(report.bad)} bad source(s):")
        for err in report.bad:
            print(f"  {err}")
    if report.refused and check is not None:
        print(f"refused {len(report.refused)} chapter(s) that violate the shapes:")
        for line in refused_lines(check, load_shapes()):
            print(f"  {line}")
    if store_mod.current_generation(location) is not None:
        for line in summarize(store_mod.open_read_only(location), report.known).lines(seconds):
            print(line)
