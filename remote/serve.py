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

import contextlib
import signal
import socket
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from livertox_kg.errors import UsageError
from livertox_kg.remote import pages
from livertox_kg.remote import serve_backends as backends
from livertox_kg.remote.serve_http import plain
from livertox_kg.remote.serve_pool import BackendPool
from livertox_kg.remote.serve_prefixes import Prefixer
from livertox_kg.remote.serve_proxy import ClientSide, Page

DEFAULT_HOST: Final = "127.0.0.1"
DEFAULT_PORT: Final = 7879
DEFAULT_TIMEOUT: Final = 30.0
MAX_CONNECTIONS: Final = 1024  # client connections open at once; more are answered 503


@dataclass(frozen=True)
class Options:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    timeout: float = DEFAULT_TIMEOUT
    cors: bool = False


def shown(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


class Server:
    """The front's listening socket, a thread per client connection, and the pool of Oxigraph servers."""

    def __init__(self, location: Path, options: Options) -> None:
        self.options = options
        exe = backends.find_oxigraph()
        if (warning := backends.version_warning(exe)) is not None:
            print(f"livertox-kg serve: warning: {warning}", file=sys.stderr)
        self.pool = BackendPool(location, exe, options.cors, options.timeout)
        self.prefixer = Prefixer()
        self.listener: socket.socket | None = None
        self.connections = threading.BoundedSemaphore(MAX_CONNECTIONS)  # each has two threads

    def page(self, target: bytes, headers: dict[bytes, bytes]) -> Page:
        """A page, rendered (in the client's thread) on the current generation's snapshot, kept while it renders."""
        snapshot = self.pool.current.snapshot
        store = snapshot.acquire()
        try:
            accept = headers.get(b"accept", b"").decode("latin-1")
            return pages.respond(store, target.decode("latin-1"), accept)
        finally:
            snapshot.release()

    def open(self) -> str:
        """Start the first Oxigraph server, then listen; the base URL."""
        self.pool.start()
        host, port = self.options.host, self.options.port
        listener = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
        try:
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind((host, port))
            listener.listen(512)
        except OSError as exc:
            listener.close()
            self.pool.close()
            raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
        self.listener = listener
        return shown(host, int(listener.getsockname()[1]))

    def accept_forever(self) -> None:
        """A thread per connection, until the listening socket is shut down."""
        assert self.listener is not None
        while True:
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return
            if not self.connections.acquire(blocking=False):
                with contextlib.suppress(OSError):
                    sock.sendall(plain(503, f"more than {MAX_CONNECTIONS} connections are open; try again later"))
                sock.close()
                continue
            threading.Thread(target=self._client, args=(sock,), name="client", daemon=True).start()

    def _client(self, sock: socket.socket) -> None:
        try:
            ClientSide(sock, self.pool, self.prefixer, self.page).run()
        finally:
            self.connections.release()

    def run(self, stop: threading.Event) -> None:
        self.pool.run()
        acceptor = threading.Thread(target=self.accept_forever, name="accept", daemon=True)
        acceptor.start()
        try:
            while not stop.wait(0.5):  # a timed wait: signal handlers run in this thread meanwhile
                pass
        finally:
            self.close()
            acceptor.join(timeout=5)

    def close(self) -> None:
        if self.listener is not None:
            with contextlib.suppress(OSError):
                self.listener.shutdown(socket.SHUT_RDWR)  # wakes accept()
            self.listener.close()
        self.pool.close()


def serve(location: Path, options: Options, ready: Callable[[str], None]) -> None:
    """Serve until SIGINT or SIGTERM; ``ready(base_url)`` once it answers."""
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    server = Server(location, options)
    ready(server.open())
    server.run(stop)
