"""``livertox-kg stats``: the build summary for an existing store."""

from __future__ import annotations

import argparse

from livertox_kg.cli.commands import add_store_argument, store_location
from livertox_kg.errors import EXIT_OK
from livertox_kg.store import generations as store_mod
from livertox_kg.store.summary import summarize

NAME = "stats"
HELP = "summarise what the store holds"
EXAMPLES = ("stats --store /tmp/kg",)


def register(parser: argparse.ArgumentParser) -> None:
    add_store_argument(parser)


def run(args: argparse.Namespace) -> int:
    store = store_mod.open_read_only(store_location(args))
    for line in summarize(store).lines():
        print(line)
    return EXIT_OK
