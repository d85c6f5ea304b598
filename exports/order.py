"""What an export writes, and in which order: the one place that decides the order of graphs and statements.

* Graphs: the dataset description, the vocabulary, then every other graph by IRI.
* Statements, inside a graph (N-Quads, TriG, JSON-LD) or in the merge of the graphs (Turtle, N-Triples): sorted
  by their N-Triples text as pyoxigraph writes it (:func:`sorted_lines`). Turtle and TriG put a subject's
  ``rdf:type`` statements first (:func:`turtle_sorted`), so that each paragraph starts with ``a``.
* Terms are always pyoxigraph's own N-Triples text (``Store.dump``), never a hash-ordered structure; the
  graph has no blank nodes and none are made. Nothing depends on the clock, locale, file system order or
  ``PYTHONHASHSEED``.

Graphs are read from the store by a few threads at once (Oxigraph lets go of Python's lock while it reads,
which is most of an export's time); they still come out in order, at most a few graphs ahead.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from operator import methodcaller
from typing import Final

import pyoxigraph as ox

from livertox_kg.errors import UsageError
from livertox_kg.rdf.vocab import DESCRIPTION_GRAPH, RDF, VOCAB_GRAPH
from livertox_kg.store import description as dataset

Line = bytes  # one N-Triples statement as pyoxigraph writes it, with its final " ." and without the newline

_TYPE: Final = f"> <{RDF.type}> ".encode()  # a subject's end, then rdf:type
_TYPE_FIRST: Final = b"> \x01 "  # sorts before " <" and never occurs in N-Triples (control characters are escaped)
_READERS: Final = max(1, min(4, os.cpu_count() or 1))


@dataclass(frozen=True)
class Selection:
    """The graphs an export writes, in order, and the description it writes for them."""

    graphs: tuple[str, ...]  # the description graph first
    description: bytes  # N-Triples of the description graph
    subset: bool  # chosen chapters, not the whole store


def _chosen(store: ox.Store, chapter_ids: Sequence[str]) -> set[str]:
    """The named graphs of the given chapters (and the vocabulary), or every graph but the description."""
    present = {g.value for g in store.named_graphs()}
    present.discard(DESCRIPTION_GRAPH)
    if not chapter_ids:
        return present
    by_id = {cid: g for g, cid in dataset.chapter_graphs(store).items()}
    unknown = [c for c in chapter_ids if c not in by_id]
    if unknown:
        raise UsageError(
            f"no chapter {', '.join(repr(c) for c in unknown)} in the store ({len(by_id)} chapters;"
            " ids are case-sensitive, as in the chapter's NCBI address)"
        )
    return {by_id[c] for c in chapter_ids} | ({VOCAB_GRAPH} & present)


def select(store: ox.Store, chapter_ids: Sequence[str] = ()) -> Selection:
    """The whole store, or the given chapters with the vocabulary; plus their description."""
    chosen = _chosen(store, chapter_ids)
    if not chapter_ids and store.contains_named_graph(ox.NamedNode(DESCRIPTION_GRAPH)):
        # the whole store: the description the build wrote for exactly these graphs
        description = dataset.graph_ntriples(store, DESCRIPTION_GRAPH)
    else:
        statements = dataset.describe(store, dataset.read_records(store), sorted(chosen))
        text = "".join(f"{line} .\n" for line in statements)
        # through pyoxigraph's writer, so that a statement has the same text here as when read from the store
        parsed = ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
        description = ox.serialize(parsed, format=ox.RdfFormat.N_TRIPLES) or b""
    ordered = [g for g in (VOCAB_GRAPH,) if g in chosen] + sorted(chosen - {VOCAB_GRAPH})
    return Selection((DESCRIPTION_GRAPH, *ordered), description, bool(chapter_ids))


def sorted_lines(ntriples: bytes) -> list[Line]:
    """The statements of an N-Triples document, sorted by their text (UTF-8 byte order is code point order)."""
    lines = ntriples.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    lines.sort()
    return lines


def turtle_sorted(lines: Iterable[Line]) -> list[Line]:
    """Statements sorted by subject, ``rdf:type`` first, then by text: each subject one Turtle paragraph.

    The type predicate is swapped for a byte that sorts first, the lines sorted, and swapped back: both swaps
    are one ``bytes.replace`` each (the first occurrence: the one after the subject when the predicate is
    rdf:type), so the whole sort runs in C.
    """
    keyed = list(map(methodcaller("replace", _TYPE, _TYPE_FIRST, 1), lines))
    keyed.sort()
    return list(map(methodcaller("replace", _TYPE_FIRST, _TYPE, 1), keyed))


def _read(store: ox.Store, sel: Selection, graph: str) -> bytes:
    return sel.description if graph == DESCRIPTION_GRAPH else dataset.graph_ntriples(store, graph)


def _dumped(store: ox.Store, sel: Selection) -> Iterator[tuple[str, bytes]]:
    """``(graph, its N-Triples)`` for each selected graph, in export order, read a few graphs ahead."""
    with ThreadPoolExecutor(_READERS) as pool:
        pending: deque[tuple[str, Future[bytes]]] = deque()
        todo = iter(sel.graphs)
        for graph in todo:
            pending.append((graph, pool.submit(_read, store, sel, graph)))
            if len(pending) >= 2 * _READERS:
                break
        while pending:
            graph, future = pending.popleft()
            for following in todo:
                pending.append((following, pool.submit(_read, store, sel, following)))
                break
            yield graph, future.result()


def graphs_in_order(store: ox.Store, sel: Selection) -> Iterator[tuple[str, list[Line]]]:
    """``(graph, its sorted statements)`` for each selected graph, in export order."""
    for graph, data in _dumped(store, sel):
        yield graph, sorted_lines(data)


def merged_lines(store: ox.Store, sel: Selection) -> set[Line]:
    """The distinct statements of the selected graphs (a statement made in several chapters is there once)."""
    merged: set[Line] = set()
    for _, data in _dumped(store, sel):
        merged.update(data.split(b"\n"))
    merged.discard(b"")
    return merged
