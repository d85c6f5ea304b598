"""``livertox-kg queries``: list the stored-query catalogue."""

from __future__ import annotations

import argparse

from livertox_kg import sparql
from livertox_kg.errors import EXIT_OK

NAME = "queries"
HELP = "list the stored queries"


def register(parser: argparse.ArgumentParser) -> None:
    del parser  # no options


def run(args: argparse.Namespace) -> int:
    for q in sparql.stored_queries().values():
        print(f"{q.name:<24} {q.summary}")
        if q.params:
            print(f"{'':<24} params: {q.params}")
    return EXIT_OK
