"""The front of ``livertox-kg serve``: one port; SPARQL traffic spliced byte for byte to the stock Oxigraph
server of the current generation, IRI paths (``/id/...``, ``/graph/...``, ``/ontology``) answered by the
pages (:mod:`livertox_kg.remote.pages`).

Why hand-written: a reverse proxy must route per request on one keep-alive connection (a browser asks for
a drug page, then the query UI, on the same connection), switch servers between two requests when a build
commits, and keep the query timeout (see :mod:`~livertox_kg.remote.serve_backends`); the standard library
has no proxy, and a general HTTP framework would parse every request and response in Python.

What it costs a SPARQL request: two threads per client connection, blocking sockets, no event loop. The
client's thread reads requests; a ``GET /query?...`` (or ``/sparql``) that arrives whole on a connection with a
live backend link is written on as it came (the fast path: one ``endswith``, one ``find``, and the prefix
check of :mod:`~livertox_kg.remote.serve_prefixes`). The link's own thread (:class:`~.serve_http.Link`) writes
the answer to the client unread. Measured against asyncio protocol callbacks (the previous front) on one
client: 0.74x the stock server's throughput became about 0.9x (``bench/bench_serve.py``): a thread woken
from ``recv`` runs a few lines of Python where the event loop ran its selector, handles and callbacks.

Responses are never parsed, so the front does not know where one ends; it knows instead that an HTTP/1.1
client sends its next request only once it has the whole previous answer (Oxigraph answers no pipelined
request either), and to be sure a server has finished, it half-closes its connection to it (``shutdown``
for writing): Oxigraph finishes the answer, then closes. That is done between requests, before a connection
moves to another server (a new generation), before a page is answered on it, and after a few idle seconds
(Oxigraph otherwise writes an unasked-for "500 Resource temporarily unavailable" on a connection idle for
60 s). A link still open :data:`timeout` seconds after its last request has run a query past the timeout:
the client gets ``503`` (or, if the answer had begun, a cut connection: every HTTP client reports it), and
the server running the query is replaced and stopped (:meth:`BackendPool.runaway`).
"""

from __future__ import annotations

import socket
import sys
import threading
from collections.abc import Callable
from http import HTTPStatus
from typing import TYPE_CHECKING, Final

from livertox_kg.remote.serve_http import (
    MAX_HEAD,
    READ_SIZE,
    Link,
    Refused,
    body_framing,
    parse_headers,
    plain,
    response,
    wants_rdf,
)
from livertox_kg.remote.serve_prefixes import Prefixer

if TYPE_CHECKING:
    from livertox_kg.remote.serve_pool import BackendPool

QUERY_TARGETS: Final = (b"/query?", b"/sparql?")
QUERY_PATHS: Final = (b"/query", b"/sparql")
PAGE_TARGETS: Final = (b"/id/", b"/graph/", b"/ontology")
MAX_COMPLETED_BODY: Final = 1 << 20  # POSTed queries up to this size get the prefix check

Page = tuple[int, str, bytes]  # status, content type, body
PageHandler = Callable[[bytes, dict[bytes, bytes]], Page]


class ClientSide:
    """One client connection, served by a thread of its own (:meth:`run`): requests in, answers out."""

    def __init__(self, sock: socket.socket, pool: BackendPool, prefixer: Prefixer, pages: PageHandler) -> None:
        self.sock = sock
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.pool = pool
        self.prefixer = prefixer
        self.pages = pages
        self.link: Link | None = None
        self.gone = False
        self.buf = bytearray()
        self._write = threading.Lock()  # the link's pump, pages and the sweeper's 503 write here

    def run(self) -> None:
        """Serve the connection until the client closes it (or it fails), then close it."""
        try:
            self._requests()
        except Refused as exc:
            self.fail(plain(exc.status, str(exc)))
        except (ConnectionError, EOFError, OSError):
            self.fail(None)
        except Exception as exc:  # a bug of ours: answer it, keep the server up
            print(f"livertox-kg serve: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
            self.fail(plain(500, f"internal error: {type(exc).__name__}: {exc}"))
        finally:
            self.gone = True
            if self.link is not None:
                self.link.half_close()  # an answer still coming is dropped; the link is still timed
            self.sock.close()

    def _requests(self) -> None:
        while True:
            data = self.sock.recv(READ_SIZE)
            if not data:
                self._detach()  # the answers already asked for are written first
                return
            link = self.link
            whole_get = data.startswith(b"GET /") and data.find(b"\r\n\r\n") == len(data) - 4
            if link is not None and link.usable and whole_get and link.backend is self.pool.current:
                end = data.find(b" ", 4)
                target = data[4:end]
                if target.startswith(QUERY_TARGETS):
                    completed = self.prefixer.target(target)
                    link.send(data if completed is None else data[:4] + completed + data[end:])
                    continue
            self.buf += data
            while self.buf:  # the slow path: everything but a whole GET query on a live link
                self._one_request()

    # --- called by the link and the pool -------------------------------------------------------------------

    def relay(self, data: bytes) -> None:
        if not self.gone:
            with self._write:
                try:
                    self.sock.sendall(data)
                except OSError:
                    self.gone = True

    def fail(self, last_words: bytes | None) -> None:
        """Send ``last_words`` and close, or cut the connection when it is None."""
        with self._write:
            if self.gone:
                return
            self.gone = True
            try:
                if last_words is not None:
                    self.sock.sendall(last_words)
                    self.sock.shutdown(socket.SHUT_WR)
                else:
                    self.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def link_lost(self, link: Link) -> None:
        if link is self.link:
            self.link = None
        if link.overdue or self.gone:
            return
        if not link.answered:
            self.fail(plain(502, "the Oxigraph server closed the connection without answering"))
        elif not link.half_closed:
            self.fail(b"")  # it closed on its own (Connection: close, or it stopped): so do we

    # --- reading a request ---------------------------------------------------------------------------------

    def _take(self, n: int) -> bytes:
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    def _read_more(self) -> None:
        data = self.sock.recv(READ_SIZE)
        if not data:
            raise EOFError
        self.buf += data

    def _read_until(self, separator: bytes, limit: int) -> bytes:
        while (i := self.buf.find(separator)) < 0:
            if len(self.buf) > limit:
                raise Refused(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, f"request head over {limit} bytes")
            self._read_more()
        return self._take(i + len(separator))

    def _read_exactly(self, n: int) -> bytes:
        while len(self.buf) < n:
            self._read_more()
        return self._take(n)

    def _read_some(self, n: int) -> bytes:
        if not self.buf:
            self._read_more()
        return self._take(min(n, len(self.buf)))

    def _one_request(self) -> None:
        head = self._read_until(b"\r\n\r\n", MAX_HEAD)
        parts = head[: head.find(b"\r\n")].split(b" ")
        if len(parts) != 3 or not parts[2].startswith(b"HTTP/1."):
            raise Refused(HTTPStatus.BAD_REQUEST, "not an HTTP/1.x request")
        method, target = parts[0], parts[1]
        headers = parse_headers(head)
        if method == b"POST" and target == b"/":
            # Oxigraph's UI takes its endpoint from the page's URL, fragment included: opened as /#query=...
            # (our pages' links to it), it posts its queries to /. They are queries: send them to /query.
            head, target = b"POST /query " + head[len(b"POST / ") :], b"/query"
        if target.startswith(PAGE_TARGETS) or (target == b"/" and wants_rdf(headers)):
            self._page(method, target, parts[2], headers)
        else:
            self._forward(method, target, head, headers)

    # --- the backend link ------------------------------------------------------------------------------------

    def _attach(self) -> Link:
        link = self.link
        current = self.pool.current
        if link is not None and link.usable and link.backend is current:
            return link
        self._detach()
        try:
            link = Link(self, current)
        except OSError as exc:
            raise Refused(HTTPStatus.BAD_GATEWAY, f"the Oxigraph server cannot be reached: {exc}") from None
        self.link = link
        return link

    def _detach(self) -> None:
        """Wait until the backend has finished answering, then leave it."""
        link = self.link
        if link is not None:
            link.half_close()
            link.closed.wait()
            self.link = None

    def _forward(self, method: bytes, target: bytes, head: bytes, headers: dict[bytes, bytes]) -> None:
        length, chunked = body_framing(headers)
        link = self._attach()
        link.forwarding = True
        try:
            content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
            if method == b"GET":
                completed = self.prefixer.target(target)
                if completed is not None:
                    head = head[:4] + completed + head[4 + len(target) :]
            elif (
                target.startswith(QUERY_PATHS)
                and not chunked
                and b"expect" not in headers
                and 0 < length <= MAX_COMPLETED_BODY
            ):
                body = self._read_exactly(length)
                head, body = _completed_post(self.prefixer, head, content_type, body)
                link.send(head + body)
                return
            link.send(head)
            self._stream_body(link, length, chunked)
        finally:
            link.forwarding = False

    def _stream_body(self, link: Link, length: int, chunked: bool) -> None:
        if chunked:
            while True:
                line = self._read_until(b"\r\n", 1024)
                link.send(line)
                try:
                    size = int(line.split(b";")[0], 16)
                except ValueError:
                    raise Refused(HTTPStatus.BAD_REQUEST, "bad chunk size in a chunked body") from None
                if size == 0:
                    while (trailer := self._read_until(b"\r\n", MAX_HEAD)) != b"\r\n":
                        link.send(trailer)
                    link.send(b"\r\n")
                    return
                link.send(self._read_exactly(size + 2))
        while length > 0:
            data = self._read_some(min(length, READ_SIZE))
            link.send(data)
            length -= len(data)

    def _page(self, method: bytes, target: bytes, version: bytes, headers: dict[bytes, bytes]) -> None:
        self._detach()
        length, chunked = body_framing(headers)
        if chunked or length > MAX_HEAD:
            raise Refused(HTTPStatus.METHOD_NOT_ALLOWED, "pages are read with GET or HEAD")
        self._read_exactly(length)
        if method not in (b"GET", b"HEAD"):
            raise Refused(HTTPStatus.METHOD_NOT_ALLOWED, "pages are read with GET or HEAD")
        status, content_type, body = self.pages(target, headers)
        connection = headers.get(b"connection", b"").lower()
        close = b"close" in connection or (version == b"HTTP/1.0" and b"keep-alive" not in connection)
        cors = self.pool.cors and b"origin" in headers
        if close:
            self.fail(response(status, content_type, body, method == b"HEAD", close, cors))
            raise EOFError
        self.relay(response(status, content_type, body, method == b"HEAD", close, cors))


def _completed_post(prefixer: Prefixer, head: bytes, content_type: bytes, body: bytes) -> tuple[bytes, bytes]:
    """A POSTed query with the prefixes it lacks, its Content-Length rewritten to match."""
    completed = prefixer.body(content_type, body)
    if completed is None:
        return head, body
    lines = [line for line in head[:-4].split(b"\r\n") if not line.lower().startswith(b"content-length:")]
    lines.append(b"Content-Length: " + str(len(completed)).encode("ascii"))
    return b"\r\n".join(lines) + b"\r\n\r\n", completed
