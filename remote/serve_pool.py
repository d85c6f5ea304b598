"""Which Oxigraph server answers: the current one, and those still finishing their requests.

* A build commits (``STORE/current`` names a new generation): within :data:`POLL_S` the pool snapshots it,
  starts a server on it, and makes it current once it answers; the previous one gets no new request, its
  connections are half-closed as soon as they are between two requests, and it is stopped when the last
  one has closed (a long query on it finishes first, within the timeout).
* A query runs past the timeout: its client is answered (:meth:`Link.time_out`), and the server running it
  is replaced by a new one on the same snapshot, then stopped like an old generation's (the stock server
  cannot stop a query without its thread-per-query timeout, see :mod:`serve_backends`).
* A server dies: replaced the same way.

All of it runs in threads: :meth:`BackendPool.follow` and :meth:`BackendPool.sweep_forever` each in one of
their own, servers started, replaced and stopped in short-lived ones; ``_lock`` guards which backends exist.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Final

from livertox_kg.errors import StoreError
from livertox_kg.remote import serve_backends as backends
from livertox_kg.remote.serve_backends import Backend
from livertox_kg.remote.serve_http import Link

POLL_S: Final = 0.5  # how often STORE/current is read
IDLE_S: Final = 5.0  # a link idle this long is half-closed (Oxigraph's own idle limit is 60 s)


class BackendPool:
    def __init__(self, location: Path, exe: str, cors: bool, timeout: float) -> None:
        self.location = location
        self.exe = exe
        self.cors = cors
        self.timeout = timeout
        self.idle = min(IDLE_S, timeout / 2)
        self.sweep_every = min(0.25, self.idle / 2)
        self._current: Backend | None = None
        self.retiring: list[Backend] = []
        self._serial = 0
        self._failed: str | None = None  # the generation that could not be served, reported once
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._workers: list[threading.Thread] = []

    @property
    def current(self) -> Backend:
        assert self._current is not None
        return self._current

    # --- starting servers ------------------------------------------------------------------------------------

    def _new_backend(self, generation: str) -> Backend:
        with self._lock:
            self._serial += 1
            serial = self._serial
        snapshot = backends.take_snapshot(self.location, generation, serial)
        return backends.start_backend(self.exe, snapshot, self.cors)  # it holds the snapshot, or removes it

    def start(self) -> None:
        """Serve the current generation; :class:`StoreError` when there is none."""
        backends.remove_stale_snapshots(self.location)
        name = backends.current_name(self.location)
        if name is None or not (self.location / name).is_dir():
            raise StoreError(f"{self.location}: no store here; run 'livertox-kg build' first")
        self._current = self._new_backend(name)

    def run(self) -> None:
        """Follow builds and time links, each in a thread, until :meth:`close`."""
        for work in (self.follow, self.sweep_forever):
            self._spawn(work)

    def promote(self, new: Backend) -> None:
        with self._lock:
            old = self._current
            self._current = new
            if old is not None:
                old.retiring = True
                self.retiring.append(old)
        if old is not None:
            for link in list(old.links):
                assert isinstance(link, Link)
                link.usable = False

    def follow(self) -> None:
        """Serve each generation a build commits (runs until :meth:`close`)."""
        while not self._stop.wait(POLL_S):
            name = backends.current_name(self.location)
            if name is None or name == self.current.snapshot.generation or name == self._failed:
                continue
            try:
                backend = self._new_backend(name)
            except StoreError as exc:
                self._failed = name
                print(f"livertox-kg serve: still serving {self.current.snapshot.generation}: {exc}", file=sys.stderr)
                continue
            self._failed = None
            if self._stop.is_set():
                backend.stop()
                return
            self.promote(backend)
            print(f"livertox-kg serve: now serving {name}", file=sys.stderr, flush=True)

    # --- timing links, replacing and stopping servers --------------------------------------------------------

    def sweep_forever(self) -> None:
        while not self._stop.wait(self.sweep_every):
            self.sweep(time.monotonic())

    def sweep(self, now: float) -> None:
        with self._lock:
            everyone = [self.current, *self.retiring]
        for backend in everyone:
            for link in list(backend.links):
                assert isinstance(link, Link)
                if link.forwarding or link.overdue:
                    continue
                age = now - link.sent_at
                if link.half_closed and age >= self.timeout:
                    link.time_out(self.timeout)
                    self.runaway(backend)
                elif not link.half_closed and (age >= self.idle or not link.usable):
                    link.half_close()
        with self._lock:
            done = [b for b in self.retiring if not b.links]
            self.retiring = [b for b in self.retiring if b.links]
        for backend in done:
            self._spawn(backend.stop)
        if self.current.process.poll() is not None and not self.current.condemned:
            print("livertox-kg serve: the Oxigraph server stopped; starting another", file=sys.stderr)
            self.runaway(self.current)

    def runaway(self, backend: Backend) -> None:
        """Replace ``backend`` (once) by a new server on the same snapshot; it stops once it has no link."""
        with self._lock:
            if backend.condemned:
                return
            backend.condemned = True
        if backend is self._current:
            self._spawn(lambda: self._replace(backend))

    def _replace(self, backend: Backend) -> None:
        try:
            new = backends.start_backend(self.exe, backend.snapshot, self.cors)
        except StoreError as exc:
            print(f"livertox-kg serve: cannot replace the Oxigraph server: {exc}", file=sys.stderr)
            backend.condemned = False  # tried again at the next sweep or timeout
            return
        if backend is self._current and not self._stop.is_set():
            self.promote(new)
        else:
            new.stop()

    def _spawn(self, work: Callable[[], None]) -> None:
        thread = threading.Thread(target=work, name="serve-pool", daemon=True)
        with self._lock:
            self._workers = [t for t in self._workers if t.is_alive()]
            self._workers.append(thread)
        thread.start()

    def close(self) -> None:
        """Stop following, stop every server and remove the snapshots."""
        self._stop.set()
        with self._lock:
            workers = list(self._workers)
        for thread in workers:
            thread.join(timeout=30)
        with self._lock:
            everyone = [b for b in [self._current, *self.retiring] if b is not None]
            self.retiring = []
        stoppers = [threading.Thread(target=b.stop, daemon=True) for b in everyone]
        for thread in stoppers:
            thread.start()
        for thread in stoppers:
            thread.join(timeout=30)
