"""``build`` end to end: chapters are bulk-loaded into a staged store generation while they are converted.

Three things overlap: worker processes convert chapters (spooling their N-Quads), a background thread
bulk-loads them into the staged generation in batches as soon as a batch is full (Oxigraph lets go of the
GIL while it loads), and, once every chapter is converted, the main thread validates them while the last
batches load. Nothing is visible before :meth:`StagedBuild.commit` (which compacts the generation after a
large load: :data:`livertox_kg.store.generations.COMPACT_AFTER_BYTES`); leaving the ``with`` block without it discards
the staged generation, so a build that stops (bad sources, refused chapters, Ctrl-C, an error) leaves the
store as it was.

A generation is staged in one of two ways (:func:`livertox_kg.store.generations.should_start_empty`): when the build
replaces most graphs, as empty, the graphs that stay being copied in at the end; otherwise as a copy of
the current one, each chapter's old graph being removed just before its new one is loaded.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import pyoxigraph as ox
from livertox_kg.rdf import iris
from livertox_kg.rdf.vocab import VOCAB_GRAPH
from livertox_kg.store import description as dataset
from livertox_kg.store import generations as store_mod
from livertox_kg.store.convert import BuildReport, Spool, converting, validate, vocabulary_nquads

if TYPE_CHECKING:
    from livertox_kg.validation.runner import BuildCheck


class _Loader:
    """Batches N-Quads and bulk-loads them into the staged store in a background thread."""

    def __init__(self, writer: store_mod.Writer, remove_first: set[str]) -> None:
        self._writer = writer
        self._remove_first = remove_first  # graphs of the staged copy to remove before their new content
        self._queue: queue.Queue[tuple[bytes, list[str]] | None] = queue.Queue(maxsize=1)
        self._pending: list[bytes] = []
        self._graphs: list[str] = []
        self._held = 0
        self._failed: list[BaseException] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="livertox-kg-load", daemon=True)
        self._thread.start()

    def add(self, nquads: bytes, graph: str) -> None:
        self._pending.append(nquads)
        self._graphs.append(graph)
        self._held += len(nquads)
        if self._held >= store_mod.LOAD_BATCH_BYTES:
            self._submit()

    def finish(self) -> None:
        """Load what is pending and wait for the thread; its error, if any, is raised here."""
        self._submit()
        self._put(None)
        self._thread.join()
        self._raise()

    def cancel(self) -> None:
        """Stop after the batch being loaded (a bulk load cannot be interrupted) and wait for that."""
        self._stop.set()
        with contextlib.suppress(queue.Empty):
            self._queue.get_nowait()  # make room for the stop signal
        with contextlib.suppress(queue.Full):
            self._queue.put_nowait(None)
        self._thread.join()

    def _submit(self) -> None:
        if self._pending:
            self._put((b"".join(self._pending), self._graphs))
            self._pending, self._graphs, self._held = [], [], 0

    def _put(self, item: tuple[bytes, list[str]] | None) -> None:
        while True:
            self._raise()
            if not self._thread.is_alive():
                return
            try:
                self._queue.put(item, timeout=0.2)
                return
            except queue.Full:
                continue

    def _raise(self) -> None:
        if self._failed:
            raise self._failed[0]

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                item = self._queue.get()
                if item is None or self._stop.is_set():
                    return
                data, graphs = item
                for graph in graphs:
                    if graph in self._remove_first:
                        self._remove_first.discard(graph)
                        self._writer.remove_graph(graph)
                self._writer.load(data)
        except BaseException as exc:  # handed to the main thread
            self._failed.append(exc)


class StagedBuild:
    """One build: ``convert``, then ``validate``, then ``commit``; leaving without ``commit`` changes nothing."""

    def __init__(self, location: Path, keep_going: bool) -> None:
        self.location = location
        self.keep_going = keep_going
        self.report = BuildReport()
        self._stack = contextlib.ExitStack()
        self._writer: store_mod.Writer | None = None
        self._loader: _Loader | None = None
        self._empty = False
        self._vocabulary = b""

    def __enter__(self) -> StagedBuild:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        try:
            if self._loader is not None:
                self._loader.cancel()
        finally:
            self._stack.close()  # the writer: discards the staged generation unless it was committed
            self.report.close()

    def convert(self, paths: Sequence[Path], show_progress: bool = False) -> BuildReport:
        """Convert every source under ``paths``, loading the chapters into the staged generation as they come."""
        report = self.report
        report.spool = Spool()
        for conv in converting(paths, report, show_progress):
            if self._loader is None:  # staged once there is a chapter to load
                self._stage(report)
            assert self._loader is not None
            self._loader.add(conv.nquads, iris.graph(conv.chapter_id))
        return report

    def _stage(self, report: BuildReport) -> None:
        """Stage the new generation (see the module's description) and start the loader with the vocabulary."""
        current = store_mod.current_generation(self.location)
        old: set[str] = set()
        if current is not None:
            stored = ox.Store.read_only(str(current)).named_graphs()
            old = {g.value for g in stored if isinstance(g, ox.NamedNode)}
        sources = report.sources  # chapters about to be loaded, at most
        self._empty = store_mod.should_start_empty(self.location, sources + 1)  # + the vocabulary graph
        writer = store_mod.writer(self.location, replacing=old if self._empty else (), empty=self._empty)
        self._writer = self._stack.enter_context(writer)
        self._loader = _Loader(self._writer, set() if self._empty else old)
        self._vocabulary = vocabulary_nquads()
        self._loader.add(self._vocabulary, VOCAB_GRAPH)

    def validate(self) -> BuildCheck:
        """Validate the converted chapters (while the last batches load): ``convert.validate``."""
        return validate(self.report, self.location, self.keep_going)

    def commit(self) -> None:
        """Finish loading, put right what the load could not know, describe the dataset, make it current.

        A chapter given twice was loaded twice: its graph is loaded again from the version kept. Refused
        chapters get back the graph the current generation holds (or none). An empty staged generation
        gets the graphs that stay.
        """
        assert self._loader is not None and self._writer is not None and self._writer.store is not None
        self._loader.finish()
        w, report = self._writer, self.report
        loaded = {c.chapter_id: c for c in report.loaded}
        for chapter_id in sorted({kept.chapter_id for _, kept in report.superseded} & loaded.keys()):
            w.remove_graph(iris.graph(chapter_id))
            w.load(loaded[chapter_id].nquads)
        for conv in report.refused:
            w.restore(iris.graph(conv.chapter_id))
        if self._empty:
            written = {iris.graph(c.chapter_id) for c in [*report.loaded, *report.refused]} | {VOCAB_GRAPH}
            w.copy_current(lambda g: isinstance(g, ox.NamedNode) and g.value not in written)
        assert w.store is not None
        dataset.update(w.store, report.loaded, self._vocabulary)
        w.commit()
