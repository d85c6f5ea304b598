"""The ``livertox-kg`` command.

Exit codes: 0 ok; 1 findings (bad sources skipped with ``--keep-going``); 2 bad input or usage;
3 internal error. Errors are one line on stderr; results go to stdout.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from livertox_kg import __version__, build, sparql
from livertox_kg import store as store_mod
from livertox_kg.errors import (
    EXIT_BAD_INPUT,
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    EXIT_OK,
    LivertoxError,
    UsageError,
)
from livertox_kg.summary import summarize

PROG = "livertox-kg"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _store_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--store",
        type=Path,
        default=None,
        help=f"store folder (default: ${store_mod.ENV_VAR}, else ~/.local/share/livertox-kg/store)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="LiverTox as an RDF knowledge graph.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    b = sub.add_parser("build", help="load chapters into the store (default: the shipped sample)")
    b.add_argument("sources", nargs="*", type=Path, help=".nxml or .txt files, folders, or NCBI's .tar.gz archive")
    b.add_argument("--keep-going", action="store_true", help="load the good sources, list the bad ones, exit 1")
    _store_arg(b)

    s = sub.add_parser("stats", help="summarise what the store holds")
    _store_arg(s)

    q = sub.add_parser("query", help="run a stored query")
    q.add_argument("name", help="stored query name ('livertox-kg queries' lists them)")
    q.add_argument("--param", action="append", default=[], metavar="K=V", help="query parameter")
    q.add_argument("--format", choices=sorted(sparql.FORMATTERS), default="table")
    _store_arg(q)

    sub.add_parser("queries", help="list the stored queries")
    return parser


def _location(args: argparse.Namespace) -> Path:
    return Path(args.store) if args.store else store_mod.default_location()


def cmd_build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    location = _location(args)
    sources = list(args.sources) or build.default_sources()
    report = build.convert_all(sources, show_progress=True)
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
    if report.loaded:
        build.write(location, report.loaded)
    elif not report.bad:
        raise UsageError("no chapter sources found in the given paths")
    print(f"loaded {len(report.loaded)} chapter(s) into {location}")
    if report.bad:
        print(f"skipped {len(report.bad)} bad source(s):")
        for err in report.bad:
            print(f"  {err}")
    if store_mod.current_generation(location) is not None:
        with_store = store_mod.open_read_only(location)
        for line in summarize(with_store).lines(time.perf_counter() - started):
            print(line)
    return EXIT_FINDINGS if report.bad else EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    store = store_mod.open_read_only(_location(args))
    for line in summarize(store).lines():
        print(line)
    return EXIT_OK


def cmd_query(args: argparse.Namespace) -> int:
    query = sparql.stored_query(args.name)
    if args.param:
        raise UsageError(f"stored query {args.name!r} takes no parameters")
    store = store_mod.open_read_only(_location(args))
    results = sparql.run(store, query.text)
    sys.stdout.write(sparql.FORMATTERS[args.format](results))
    return EXIT_OK


def cmd_queries(args: argparse.Namespace) -> int:
    for q in sparql.stored_queries().values():
        print(f"{q.name:<24} {q.summary}")
        if q.params:
            print(f"{'':<24} params: {q.params}")
    return EXIT_OK


COMMANDS = {"build": cmd_build, "stats": cmd_stats, "query": cmd_query, "queries": cmd_queries}


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        return COMMANDS[args.command](args)
    except LivertoxError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; the store was not changed", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # an internal error, not the user's: say so, with the type
        print(f"{PROG}: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
