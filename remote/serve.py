"""``livertox-kg serve``: the stock Oxigraph server, read-only, on the store's current generation, behind a
front that adds the pages of our IRIs, follows builds and keeps the query timeout.

What answers what, on one port (default 127.0.0.1:7879):

* ``/`` (a browser): Oxigraph's query UI (YASGUI); ``/query`` and ``/sparql``: the SPARQL 1.1 Protocol
  (GET, POST form, POST ``application/sparql-query``; results and graphs by ``Accept``), over the union of
  the named graphs by default (``--union-default-graph``: ``?s ?p ?o`` reads every graph; in Oxigraph 0.5 a
  triple stated by k graphs matches k times, oxigraph#1919, so ``COUNT(*)`` counts quads and ``SELECT
  DISTINCT`` the distinct triples; ``GRAPH ?g`` still names each chapter's graph); ``/store``:
  the Graph Store Protocol, read only. Updates are refused (403) by Oxigraph itself.
* ``/id/...``, ``/graph/...``, ``/ontology``: :mod:`livertox_kg.remote.pages`.
* Queries that use the project's prefixes without declaring them get them (:mod:`.serve_prefixes`).

Parts: :mod:`.serve_backends` (snapshots, Oxigraph processes), :mod:`.serve_pool` (which one answers),
:mod:`.serve_proxy` (the front).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from livertox_kg.errors import UsageError
from livertox_kg.remote import pages
from livertox_kg.remote import serve_backends as backends
from livertox_kg.remote.serve_pool import BackendPool
from livertox_kg.remote.serve_prefixes import Prefixer
from livertox_kg.remote.serve_proxy import ClientSide, Page

DEFAULT_HOST: Final = "127.0.0.1"
DEFAULT_PORT: Final = 7879
DEFAULT_TIMEOUT: Final = 30.0


@dataclass(frozen=True)
class Options:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    timeout: float = DEFAULT_TIMEOUT
    cors: bool = False


def shown(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


class Server:
    """The front's listening socket, the pool of Oxigraph servers, and the pages' thread pool."""

    def __init__(self, location: Path, options: Options) -> None:
        self.options = options
        exe = backends.find_oxigraph()
        if (warning := backends.version_warning(exe)) is not None:
            print(f"livertox-kg serve: warning: {warning}", file=sys.stderr)
        self.pool = BackendPool(location, exe, options.cors, options.timeout)
        self.prefixer = Prefixer()
        self.threads = concurrent.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="pages")
        self.listener: asyncio.Server | None = None

    async def page(self, target: bytes, headers: dict[bytes, bytes]) -> Page:
        """A page, rendered in a thread on the current generation's snapshot (kept while it renders)."""
        snapshot = self.pool.current.snapshot
        store = snapshot.acquire()
        try:
            loop = asyncio.get_running_loop()
            accept = headers.get(b"accept", b"").decode("latin-1")
            return await loop.run_in_executor(self.threads, pages.respond, store, target.decode("latin-1"), accept)
        finally:
            snapshot.release()

    async def open(self) -> str:
        """Start the first Oxigraph server, then listen; the base URL."""
        await self.pool.start()
        loop = asyncio.get_running_loop()
        host, port = self.options.host, self.options.port
        try:
            self.listener = await loop.create_server(
                lambda: ClientSide(self.pool, self.prefixer, self.page), host, port, reuse_address=True, backlog=512
            )
        except OSError as exc:
            await self.pool.close()
            raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
        bound = self.listener.sockets[0].getsockname()
        return shown(host, int(bound[1]))

    async def run(self, stop: asyncio.Event) -> None:
        tasks = [asyncio.ensure_future(self.pool.follow()), asyncio.ensure_future(self.pool.sweep_forever())]
        try:
            await stop.wait()
        finally:
            for task in tasks:
                task.cancel()
            await self.close()

    async def close(self) -> None:
        if self.listener is not None:
            self.listener.close()
        await self.pool.close()
        self.threads.shutdown(wait=True, cancel_futures=True)


async def _main(location: Path, options: Options, ready: Callable[[str], None]) -> None:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    server = Server(location, options)
    ready(await server.open())
    await server.run(stop)


def serve(location: Path, options: Options, ready: Callable[[str], None]) -> None:
    """Serve until SIGINT or SIGTERM; ``ready(base_url)`` once it answers."""
    asyncio.run(_main(location, options, ready))
