"""Turtle and TriG through pyoxigraph's serialiser, fed statements in our order, declaring only the prefixes used.

pyoxigraph writes the terms, the ``a``, the ``;`` and ``,`` groupings of consecutive statements, the graph
blocks, and it abbreviates every IRI it can with the prefixes it is given. It also declares every prefix it
is given, in an order of its own (longest namespace first, ties as they fall). So the body is written with
the whole prefix table to a temporary file; then the prefixes the body really uses are found in it
(:func:`used_prefixes`), and the export is a header declaring those, sorted, then the body without
pyoxigraph's own header.
"""

from __future__ import annotations

import itertools
import mmap
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Final

import pyoxigraph as ox

from livertox_kg.exports.order import Line
from livertox_kg.rdf.vocab import PREFIXES

_CHUNK: Final = 20_000  # statements parsed back per call, so that no second copy of the whole export is made
_TOKEN_START: Final = frozenset(b" \t\n^")  # what precedes a prefixed name in pyoxigraph's Turtle
_OUTSIDE_LITERALS: Final = re.compile(rb'(?:[^"\n]|"(?:[^"\\\n]|\\.)*")*')


def parsed(chunks: Iterable[bytes], fmt: ox.RdfFormat) -> Iterator[ox.Quad]:
    """The statements of N-Triples or N-Quads documents, one after the other, as pyoxigraph quads (in the
    default graph for N-Triples)."""
    return itertools.chain.from_iterable(ox.parse(chunk, format=fmt) for chunk in chunks)


def ntriples_chunks(lines: Sequence[Line]) -> Iterator[bytes]:
    """``lines`` as N-Triples documents of at most :data:`_CHUNK` statements."""
    for i in range(0, len(lines), _CHUNK):
        yield b"\n".join(lines[i : i + _CHUNK]) + b"\n"


def nquads_chunk(lines: Sequence[Line], graph: str) -> bytes:
    """``lines`` (N-Triples statements) as an N-Quads document in ``graph``."""
    if not lines:
        return b""
    # a raw line end never occurs inside an N-Triples term, so " .\n" is every statement's end and only that
    return (b"\n".join(lines) + b"\n").replace(b" .\n", f" <{graph}> .\n".encode())


def _outside_literal(body: mmap.mmap, pos: int) -> bool:
    line_start = body.rfind(b"\n", 0, pos) + 1
    m = _OUTSIDE_LITERALS.match(body, line_start, pos)
    return m is not None and m.end() == pos


def _uses(body: mmap.mmap, start: int, prefix: str) -> bool:
    """Whether ``prefix:`` starts a prefixed name somewhere in ``body[start:]`` (not inside a literal)."""
    needle = f"{prefix}:".encode()
    pos = body.find(needle, start)
    while pos != -1:
        if (pos == start or body[pos - 1] in _TOKEN_START) and _outside_literal(body, pos):
            return True
        pos = body.find(needle, pos + 1)
    return False


def used_prefixes(body: mmap.mmap, start: int, prefixes: Iterable[str]) -> list[str]:
    """Those of ``prefixes`` that pyoxigraph's Turtle or TriG in ``body[start:]`` uses, sorted."""
    return sorted(p for p in prefixes if _uses(body, start, p))


def _header_end(body: mmap.mmap, declared: int) -> int:
    """Where pyoxigraph's own ``@prefix`` lines (one per prefix given, before the first statement) end."""
    end = 0
    for _ in range(declared if len(body) else 0):
        if body[end : end + 8] != b"@prefix ":
            raise AssertionError("pyoxigraph did not start its Turtle with the prefixes it was given")
        end = body.find(b"\n", end) + 1
    return end


def write_terse(statements: Iterable[ox.Triple] | Iterable[ox.Quad], fmt: ox.RdfFormat, out: IO[bytes]) -> None:
    """Write ``statements`` as Turtle or TriG to ``out``, in the order given, with only the prefixes used."""
    with tempfile.TemporaryDirectory(prefix="livertox-kg-export-") as folder:
        body_path = Path(folder) / "body"
        ox.serialize(statements, str(body_path), format=fmt, prefixes=PREFIXES)
        if body_path.stat().st_size == 0:
            return
        with body_path.open("rb") as fh:
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as body:
                start = _header_end(body, len(PREFIXES))
                used = used_prefixes(body, start, PREFIXES)
            out.write(b"".join(f"@prefix {p}: <{PREFIXES[p]}> .\n".encode() for p in used) + b"\n")
            fh.seek(start)
            shutil.copyfileobj(fh, out, 1 << 20)
