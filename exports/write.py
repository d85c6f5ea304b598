"""Deterministic exports: Turtle, N-Triples, N-Quads, TriG and JSON-LD, the same bytes on every run and machine.

What is exported and in which order is :mod:`.order` (graphs: the description, the vocabulary, then by IRI;
statements sorted by their N-Triples text). pyoxigraph writes every term: N-Triples and N-Quads are the
lines of its ``Store.dump`` of each graph, sorted (with the graph's name appended for N-Quads); Turtle and
TriG are its serialiser fed the statements in that order (:mod:`.turtle`). JSON-LD with the shipped context
is ours (:mod:`.jsonld`: pyoxigraph cannot apply a context).

N-Quads, TriG and JSON-LD keep one named graph per chapter and are written graph by graph. Turtle and
N-Triples are the merge of the graphs, a statement made in several chapters (an agent, a cited article)
written once: they hold the distinct statements of the export in memory to sort them (about 0.6 M for the
whole of LiverTox).

Why the N-Triples and N-Quads lines are joined here rather than handed to ``pyoxigraph.serialize``: that
would parse the dumped text back into a Python object per term only to print the same text again, which
doubles the time of the export (``bench/bench_export.py``).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Final

import pyoxigraph as ox

from livertox_kg.errors import StoreError, UsageError
from livertox_kg.exports import jsonld, order, turtle
from livertox_kg.exports.formats import FORMATS, MEDIA_TYPES, QUAD_FORMATS, SUFFIXES, format_for
from livertox_kg.exports.order import Selection, select

__all__ = [
    "FORMATS",
    "MEDIA_TYPES",
    "QUAD_FORMATS",
    "SUFFIXES",
    "WRITERS",
    "ExportStats",
    "Selection",
    "export",
    "export_to_file",
    "format_for",
    "iter_formats",
    "select",
]


@dataclass(frozen=True)
class ExportStats:
    graphs: int
    statements: int  # lines of N-Triples / N-Quads, triples of Turtle, quads of TriG / JSON-LD


def write_ntriples(store: ox.Store, sel: Selection, out: IO[bytes]) -> ExportStats:
    lines = sorted(order.merged_lines(store, sel))
    for chunk in turtle.ntriples_chunks(lines):
        out.write(chunk)
    return ExportStats(len(sel.graphs), len(lines))


def write_nquads(store: ox.Store, sel: Selection, out: IO[bytes]) -> ExportStats:
    n = 0
    for graph, lines in order.graphs_in_order(store, sel):
        out.write(turtle.nquads_chunk(lines, graph))
        n += len(lines)
    return ExportStats(len(sel.graphs), n)


def write_turtle(store: ox.Store, sel: Selection, out: IO[bytes]) -> ExportStats:
    lines = order.turtle_sorted(order.merged_lines(store, sel))
    statements = turtle.parsed(turtle.ntriples_chunks(lines), ox.RdfFormat.N_TRIPLES)
    turtle.write_terse(statements, ox.RdfFormat.TURTLE, out)
    return ExportStats(len(sel.graphs), len(lines))


def write_trig(store: ox.Store, sel: Selection, out: IO[bytes]) -> ExportStats:
    counted = [0]

    def chunks() -> Iterable[bytes]:
        for graph, lines in order.graphs_in_order(store, sel):
            counted[0] += len(lines)
            yield turtle.nquads_chunk(order.turtle_sorted(lines), graph)

    turtle.write_terse(turtle.parsed(chunks(), ox.RdfFormat.N_QUADS), ox.RdfFormat.TRIG, out)
    return ExportStats(len(sel.graphs), counted[0])


def write_jsonld(store: ox.Store, sel: Selection, out: IO[bytes]) -> ExportStats:
    return ExportStats(len(sel.graphs), jsonld.write_jsonld(order.graphs_in_order(store, sel), out))


WRITERS: Final[dict[str, Callable[[ox.Store, Selection, IO[bytes]], ExportStats]]] = {
    "turtle": write_turtle,
    "ntriples": write_ntriples,
    "nquads": write_nquads,
    "trig": write_trig,
    "jsonld": write_jsonld,
}


def export(store: ox.Store, fmt: str, out: IO[bytes], chapter_ids: Sequence[str] = ()) -> ExportStats:
    """Write the store (or the chapters ``chapter_ids`` with the vocabulary) to ``out`` in ``fmt``."""
    if fmt not in WRITERS:
        raise UsageError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")
    return WRITERS[fmt](store, select(store, chapter_ids), out)


def _create_beside(path: Path) -> tuple[int, Path]:
    """A new, empty temporary file in ``path``'s folder, created with mode 0666 so that the umask applies
    (``tempfile.mkstemp`` makes 0600 files, and the export would keep that mode)."""
    folder = path.parent if str(path.parent) else Path(".")
    for _ in range(100):
        tmp = folder / f".{path.name}.{secrets.token_hex(6)}.tmp"
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            continue
        except OSError as exc:
            raise StoreError(f"{path}: cannot write here: {exc.strerror or exc}") from None
    raise StoreError(f"{path}: cannot create a temporary file beside it")


def export_to_file(store: ox.Store, fmt: str, path: Path, chapter_ids: Sequence[str] = ()) -> ExportStats:
    """Write to ``path`` through a temporary file beside it: the file is whole or untouched."""
    fd, tmp = _create_beside(path)
    try:
        with os.fdopen(fd, "wb") as fh:
            stats = export(store, fmt, fh, chapter_ids)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return stats


def iter_formats() -> Iterable[str]:
    return FORMATS
