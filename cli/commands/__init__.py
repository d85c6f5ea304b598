"""One module per ``livertox-kg`` subcommand.

Each module defines ``NAME``, ``HELP``, ``EXAMPLES`` (command lines shown at the end of ``--help``),
``register(parser)`` (adds its arguments to its own subparser)
and ``run(args) -> int`` (the exit code). ``livertox_kg.cli`` finds them here; adding a command is adding
a module, nothing else.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from livertox_kg.store import generations as store_mod


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    register: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    examples: tuple[str, ...] = ()


def command_names() -> list[str]:
    """The subcommands' names (each module's ``NAME`` is its file name), without importing them."""
    return sorted(info.name for info in pkgutil.iter_modules(__path__))


def command(name: str) -> Command:
    """One subcommand: only its module (and what it imports) is imported."""
    module = importlib.import_module(f"{__name__}.{name}")
    examples = tuple(getattr(module, "EXAMPLES", ()))
    return Command(module.NAME, module.HELP, module.register, module.run, examples)


def all_commands() -> list[Command]:
    return [command(name) for name in command_names()]


def add_store_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        type=Path,
        default=None,
        help=f"store folder (default: ${store_mod.ENV_VAR} if set, else {_shown(store_mod.default_location())})",
    )


def _shown(path: Path) -> str:
    home = str(Path.home())
    return "~" + str(path)[len(home) :] if str(path).startswith(home) else str(path)


def store_location(args: argparse.Namespace) -> Path:
    return Path(args.store) if args.store else store_mod.default_location()
