"""``livertox-kg queries``: list the stored-query catalogue, or print it as RDF."""

from __future__ import annotations

import argparse
import sys

from livertox_kg.errors import EXIT_OK
from livertox_kg.queries import catalogue, headers

NAME = "queries"
HELP = "list the stored queries and data-quality checks (or print the catalogue as RDF)"
EXAMPLES = ("queries", "queries --format turtle")

_RDF = {"turtle": catalogue.turtle, "ntriples": catalogue.ntriples, "nquads": catalogue.nquads}


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=["text", *_RDF],
        default="text",
        help="text: a list for people; turtle/ntriples/nquads: the catalogue as sh:SPARQLExecutable resources",
    )


def run(args: argparse.Namespace) -> int:
    if args.format != "text":
        sys.stdout.write(_RDF[args.format]())
        return EXIT_OK
    for title, queries in (("Stored queries", headers.stored_queries()), ("Data-quality checks", headers.qc_queries())):
        print(f"{title}:")
        for q in queries.values():
            print(f"  {q.name:<44} {q.summary}")
            for p in q.params:
                kind = f"{p.type}, optional" if p.optional else p.type
                print(f"  {'':<44}   --param {p.name}=...  {kind}, e.g. {p.example}: {p.description}")
        print()
    print("Run one with 'livertox-kg query NAME [--param K=V]'; 'livertox-kg qc' runs every check.")
    return EXIT_OK
