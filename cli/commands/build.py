"""``livertox-kg build [SOURCES...]``: load chapters into the store (default: the shipped sample)."""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from livertox_kg.cli.commands import add_store_argument, store_location
from livertox_kg.errors import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, UsageError
from livertox_kg.store import convert as build
from livertox_kg.store import generations as store_mod
from livertox_kg.store.build import StagedBuild
from livertox_kg.store.summary import summarize

if TYPE_CHECKING:
    from livertox_kg.validation.runner import BuildCheck

NAME = "build"
HELP = "load chapters into the store (default: the shipped sample)"


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sources", nargs="*", type=Path, help=".nxml or .txt files, folders, or NCBI's .tar.gz archive")
    parser.add_argument("--keep-going", action="store_true", help="load the good sources, list the bad ones, exit 1")
    add_store_argument(parser)


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    location = store_location(args)
    sources = list(args.sources) or build.default_sources()
    check: BuildCheck | None = None
    with StagedBuild(location, args.keep_going) as staged:  # leaving it without commit changes nothing
        report = staged.convert(sources, show_progress=True)
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
        if report.bad and not args.keep_going:
            print(
                f"build stopped: {len(report.bad)} bad source(s); the store was not changed"
                " (--keep-going loads the good ones)",
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
        if not report.loaded and not report.bad:
            raise UsageError("no chapter sources found in the given paths")
        if report.loaded:
            check = staged.validate()
            print(validation_summary(check), file=sys.stderr)
            for line in warning_lines(check):
                print(line, file=sys.stderr)
            if check.refused and not args.keep_going:
                for line in refused_lines(check):
                    print(line, file=sys.stderr)
                print(
                    f"build stopped: {len(check.refused)} chapter(s) violate the shapes; the store was not changed"
                    " (--keep-going loads the others)",
                    file=sys.stderr,
                )
                return EXIT_FINDINGS
            if report.loaded:
                staged.commit()
    print(f"loaded {len(report.loaded)} chapter(s) into {location}")
    if report.bad:
        print(f"skipped {len(report.bad)} bad source(s):")
        for err in report.bad:
            print(f"  {err}")
    if report.refused and check is not None:
        print(f"refused {len(report.refused)} chapter(s) that violate the shapes:")
        for line in refused_lines(check):
            print(f"  {line}")
    if store_mod.current_generation(location) is not None:
        with_store = store_mod.open_read_only(location)
        for line in summarize(with_store).lines(time.perf_counter() - started):
            print(line)
    return EXIT_FINDINGS if report.bad or report.refused else EXIT_OK


def validation_summary(check: BuildCheck) -> str:
    from livertox_kg.validation.engine import INFO, VIOLATION, WARNING

    return (
        f"validation: {check.count(VIOLATION)} violation(s), {check.count(WARNING)} warning(s),"
        f" {check.count(INFO)} info(s) in {check.seconds:.2f} s ('livertox-kg validate' lists them)"
    )


def warning_lines(check: BuildCheck) -> list[str]:
    """One line per check that warns, with its count: what looks wrong in the sources (kept as printed)."""
    from livertox_kg.validation.engine import WARNING

    counts = Counter(r.shape for r in check.results if r.severity == WARNING)
    return [f"  warning  {n:>5}  {shape.rsplit('#', 1)[-1].rstrip('>')}" for shape, n in sorted(counts.items())]


def refused_lines(check: BuildCheck) -> list[str]:
    """One line per refused source, then one per violation: node, property, value, what is wrong."""
    from livertox_kg.validation.report import path_name, value_text
    from livertox_kg.validation.shapes_graph import load as load_shapes

    shapes = load_shapes()
    lines = []
    for source, results in sorted(check.refused.items()):
        lines.append(f"{source}: {len(results)} violation(s)")
        for r in results:
            value = f" {value_text(r.value)}" if r.value is not None and r.value != r.focus else ""
            label = check.labels.get(r.focus, r.focus)
            lines.append(f"  {label}: {path_name(r, shapes)}{value}: {r.detail}. {r.message}")
    return lines
