"""Which Oxigraph server answers: the current one, and those still finishing their requests.

* A build commits (``STORE/current`` names a new generation): within :data:`POLL_S` the pool snapshots it,
  starts a server on it, and makes it current once it answers; the previous one gets no new request, its
  connections are half-closed as soon as they are between two requests, and it is stopped when the last
  one has closed (a long query on it finishes first, within the timeout).
* A query runs past the timeout: its client is answered (:meth:`Link.time_out`), and the server running it
  is replaced by a new one on the same snapshot, then stopped like an old generation's (the stock server
  cannot stop a query without its thread-per-query timeout, see :mod:`serve_backends`).
* A server dies: replaced the same way.
"""

from __future__ import annotations

import asyncio
import sys
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
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def current(self) -> Backend:
        assert self._current is not None
        return self._current

    # --- starting servers ------------------------------------------------------------------------------------

    def _new_backend(self, generation: str) -> Backend:
        self._serial += 1
        snapshot = backends.take_snapshot(self.location, generation, self._serial)
        return backends.start_backend(self.exe, snapshot, self.cors)  # it holds the snapshot, or removes it

    async def start(self) -> None:
        """Serve the current generation; :class:`StoreError` when there is none."""
        backends.remove_stale_snapshots(self.location)
        name = backends.current_name(self.location)
        if name is None or not (self.location / name).is_dir():
            raise StoreError(f"{self.location}: no store here; run 'livertox-kg build' first")
        self._current = await asyncio.to_thread(self._new_backend, name)

    def promote(self, new: Backend) -> None:
        old = self._current
        self._current = new
        if old is not None:
            old.retiring = True
            self.retiring.append(old)
            for link in list(old.links):
                assert isinstance(link, Link)
                link.usable = False

    async def follow(self) -> None:
        """Serve each generation a build commits (runs until cancelled)."""
        while True:
            await asyncio.sleep(POLL_S)
            name = backends.current_name(self.location)
            if name is None or name == self.current.snapshot.generation or name == self._failed:
                continue
            try:
                backend = await asyncio.to_thread(self._new_backend, name)
            except StoreError as exc:
                self._failed = name
                print(f"livertox-kg serve: still serving {self.current.snapshot.generation}: {exc}", file=sys.stderr)
                continue
            self._failed = None
            self.promote(backend)
            print(f"livertox-kg serve: now serving {name}", file=sys.stderr, flush=True)

    # --- timing links, replacing and stopping servers --------------------------------------------------------

    async def sweep_forever(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(self.sweep_every)
            self.sweep(loop.time())

    def sweep(self, now: float) -> None:
        for backend in [self.current, *self.retiring]:
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
        for backend in list(self.retiring):
            if not backend.links:
                self.retiring.remove(backend)
                self._spawn(asyncio.to_thread(backend.stop))
        if self.current.process.poll() is not None and not self.current.condemned:
            print("livertox-kg serve: the Oxigraph server stopped; starting another", file=sys.stderr)
            self.runaway(self.current)

    def runaway(self, backend: Backend) -> None:
        """Replace ``backend`` (once) by a new server on the same snapshot; it stops once it has no link."""
        if backend.condemned:
            return
        backend.condemned = True
        if backend is self._current:
            self._spawn(self._replace(backend))

    async def _replace(self, backend: Backend) -> None:
        try:
            new = await asyncio.to_thread(backends.start_backend, self.exe, backend.snapshot, self.cors)
        except StoreError as exc:
            print(f"livertox-kg serve: cannot replace the Oxigraph server: {exc}", file=sys.stderr)
            backend.condemned = False  # tried again at the next sweep or timeout
            return
        if backend is self._current:
            self.promote(new)
        else:
            self._spawn(asyncio.to_thread(new.stop))

    def _spawn(self, work: object) -> None:
        task = asyncio.ensure_future(work)  # type: ignore[call-overload]
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        """Stop every server and remove the snapshots."""
        for task in list(self._tasks):
            task.cancel()
        everyone = [b for b in [self._current, *self.retiring] if b is not None]
        await asyncio.gather(*(asyncio.to_thread(b.stop) for b in everyone), return_exceptions=True)
