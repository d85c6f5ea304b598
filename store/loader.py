"""Bulk-loading chapters into a staged store generation in a background thread, batch by batch.

The converting thread hands over each chapter's N-Quads (:meth:`Loader.add`); once a batch of
:data:`livertox_kg.store.generations.LOAD_BATCH_BYTES` is held, it goes to the loading thread, which first
removes the graphs the batch replaces in a staged copy, then bulk-loads it. Oxigraph lets go of the GIL while
it loads, so converting and loading overlap. The queue holds one batch: memory stays flat. When the last chapter
is converted (:meth:`Loader.close`), the last batch goes at once, and what the build does after its last load
(copying the graphs that stay, starting the compaction) runs in the loading thread too, beside validation.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable

from livertox_kg.store import generations as store_mod


class Loader:
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
        self._closed = False
        self._then: Callable[[], None] | None = None
        self._thread = threading.Thread(target=self._run, name="livertox-kg-load", daemon=True)
        self._thread.start()

    def add(self, nquads: bytes, graph: str) -> None:
        self._pending.append(nquads)
        self._graphs.append(graph)
        self._held += len(nquads)
        if self._held >= store_mod.LOAD_BATCH_BYTES:
            self._submit()

    def close(self, then: Callable[[], None] | None = None) -> None:
        """No more chapters: hand over what is pending at once, so that it loads while the build validates;
        ``then()`` runs in the loading thread after the last batch (the build copies the graphs that stay and
        starts compacting there). :meth:`finish` waits for it all."""
        if self._closed:
            return
        self._closed = True
        self._then = then
        self._submit()
        self._put(None)

    @property
    def stopping(self) -> bool:
        """Whether :meth:`cancel` was called: what runs after the last batch may end early."""
        return self._stop.is_set()

    def finish(self) -> None:
        """Load what is pending and wait for the thread; its error, if any, is raised here."""
        self.close()
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
                if self._stop.is_set():
                    return
                if item is None:
                    if self._then is not None:
                        self._then()
                    return
                data, graphs = item
                for graph in graphs:
                    if graph in self._remove_first:
                        self._remove_first.discard(graph)
                        self._writer.remove_graph(graph)
                self._writer.load(data)
        except BaseException as exc:  # handed to the main thread
            self._failed.append(exc)
