"""The ``livertox-kg`` command; each subcommand is a module of :mod:`livertox_kg.cli.commands`.

Exit codes: 0 ok; 1 findings; 2 bad input or usage; 3 internal error. Errors are one line on stderr;
results go to stdout.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence

from livertox_kg import __version__
from livertox_kg.cli import commands
from livertox_kg.errors import EXIT_INTERNAL, EXIT_OK, LivertoxError, UsageError

PROG = "livertox-kg"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see '{self.prog} --help')")


class _Help(argparse.RawDescriptionHelpFormatter):
    """Shows an option's default after its help, unless the help already says it ("default" in the text) or
    there is none worth showing (``None``, ``False`` of a flag, an empty list of a repeatable option); keeps
    the description's and the examples' line breaks. ``tests/cli/test_help.py`` checks every command's help."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        default = action.default
        shown = default not in (None, False, argparse.SUPPRESS) and default != []
        if "default" in text or not shown or action.option_strings == []:
            return text
        return f"{text} (default: %(default)s)"


def parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command line's parser. Given the arguments, and when they name a command, only that command is
    registered: importing every command's modules would cost a build a tenth of a second for nothing."""
    top = _Parser(prog=PROG, description="LiverTox as an RDF knowledge graph.")
    top.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = top.add_subparsers(dest="command", required=True, parser_class=_Parser)
    named = _command_named(argv)
    for command in [commands.command(named)] if named else commands.all_commands():
        examples = "".join(f"\n  {PROG} {e}" for e in command.examples)
        p = sub.add_parser(
            command.name,
            help=command.help,
            description=command.help,
            epilog=f"example{'s' if len(command.examples) > 1 else ''}:{examples}" if examples else None,
            formatter_class=_Help,
        )
        command.register(p)
        p.set_defaults(run=command.run)
    return top


def _command_named(argv: Sequence[str] | None) -> str | None:
    """The command the arguments start with, if they do (``--help`` before it lists every command)."""
    first = argv[0] if argv else None
    return first if first in commands.command_names() else None


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = parser(argv).parse_args(argv)
        code: int = args.run(args)
        return code
    except LivertoxError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; the store was not changed", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # an internal error, not the user's: say so, with the type
        print(f"{PROG}: internal error (a bug, please report it): {type(exc).__name__}: {exc}", file=sys.stderr)
        if os.environ.get("LIVERTOX_KG_DEBUG"):
            traceback.print_exc()
        else:
            print(f"{PROG}: set LIVERTOX_KG_DEBUG=1 to see the traceback", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
