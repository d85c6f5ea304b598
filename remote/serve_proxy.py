"""The front of ``livertox-kg serve``: one port; SPARQL traffic spliced byte for byte to the stock Oxigraph
server of the current generation, IRI paths (``/id/...``, ``/graph/...``, ``/ontology``) answered by the
pages (:mod:`livertox_kg.remote.pages`).

Why hand-written: a reverse proxy must route per request on one keep-alive connection (a browser asks for
a drug page, then the query UI, on the same connection), switch servers between two requests when a build
commits, and keep the query timeout (see :mod:`~livertox_kg.remote.serve_backends`); the standard library
has no proxy, and a general HTTP framework would parse every request and response in Python.

What it costs a SPARQL request: asyncio protocol callbacks, no stream objects. A ``GET /query?...`` (or
``/sparql``) that arrives whole on a connection with a live backend link is written on as it came (the fast
path: one ``endswith``, one ``find``, and the prefix check of :mod:`~livertox_kg.remote.serve_prefixes`);
the answer comes back through :meth:`Link.data_received`, written to the client unread. Responses are
never parsed, so the front does not know where one ends; it knows instead that an HTTP/1.1 client sends
its next request only once it has the whole previous answer (Oxigraph answers no pipelined request
either), and to be sure a server has finished, it half-closes its connection to it (``write_eof``):
Oxigraph finishes the answer, then closes. That is done between requests, before a connection moves to
another server (a new generation), before a page is answered on it, and after a few idle seconds (Oxigraph
otherwise writes an unasked-for "500 Resource temporarily unavailable" on a connection idle for 60 s).
A link still open :data:`timeout` seconds after its last request has run a query past the timeout: the
client gets ``503`` (or, if the answer had begun, a cut connection: every HTTP client reports it), and the
server running the query is replaced and stopped (:meth:`BackendPool.runaway`).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import TYPE_CHECKING, Final

from livertox_kg.remote.serve_http import (
    MAX_HEAD,
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
MAX_BUFFER: Final = 1 << 20  # bytes read ahead of the request being handled before reading pauses
MAX_COMPLETED_BODY: Final = 1 << 20  # POSTed queries up to this size get the prefix check

Page = tuple[int, str, bytes]  # status, content type, body
PageHandler = Callable[[bytes, dict[bytes, bytes]], Awaitable[Page]]


class ClientSide(asyncio.Protocol):
    """One client connection: requests in, answers out (see the module docstring for the two paths)."""

    def __init__(self, pool: BackendPool, prefixer: Prefixer, pages: PageHandler) -> None:
        self.pool = pool
        self.prefixer = prefixer
        self.pages = pages
        self.transport: asyncio.Transport | None = None
        self.link: Link | None = None
        self.gone = False
        self.eof = False
        self.buf = bytearray()
        self.more = asyncio.Event()
        self.slow: asyncio.Task[None] | None = None
        self.paused = False

    # --- transport callbacks -------------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        link = self.link
        if (
            self.slow is None
            and link is not None
            and link.usable
            and data.startswith(b"GET /")
            and data.find(b"\r\n\r\n") == len(data) - 4
        ):
            end = data.find(b" ", 4)
            target = data[4:end]
            if target.startswith(QUERY_TARGETS):
                completed = self.prefixer.target(target)
                link.send(data if completed is None else data[:4] + completed + data[end:])
                return
        self._to_slow(data)

    def eof_received(self) -> bool:
        self.eof = True
        self.more.set()
        if self.slow is None:
            self.slow = asyncio.get_running_loop().create_task(self._slow_loop())
        return True  # keep writing the answers already asked for

    def connection_lost(self, exc: Exception | None) -> None:
        self.gone = True
        self.more.set()
        if self.slow is not None:
            self.slow.cancel()
        if self.link is not None:
            self.link.half_close()  # the backend's answer is dropped; the link is still timed

    def pause_writing(self) -> None:
        if self.link is not None and self.link.transport is not None:
            self.link.transport.pause_reading()

    def resume_writing(self) -> None:
        if self.link is not None and self.link.transport is not None:
            self.link.transport.resume_reading()

    # --- called by the link ---------------------------------------------------------------------------------

    def relay(self, data: bytes) -> None:
        if not self.gone and self.transport is not None:
            self.transport.write(data)

    def fail(self, last_words: bytes | None) -> None:
        """Send ``last_words`` and close, or cut the connection when it is None."""
        if self.gone or self.transport is None:
            return
        if last_words is None:
            self.transport.abort()
        else:
            self.transport.write(last_words)
            self.transport.close()

    def link_lost(self, link: Link) -> None:
        if link is self.link:
            self.link = None
        if link.overdue or self.gone:
            return
        if not link.answered:
            self.fail(plain(502, "the Oxigraph server closed the connection without answering"))
        elif not link.half_closed and self.transport is not None:
            self.transport.close()  # it closed on its own (Connection: close, or it stopped)

    # --- the slow path: everything but a whole GET query on a live link --------------------------------------

    def _to_slow(self, data: bytes) -> None:
        self.buf += data
        if len(self.buf) > MAX_BUFFER and self.transport is not None and not self.paused:
            self.transport.pause_reading()
            self.paused = True
        self.more.set()
        if self.slow is None:
            self.slow = asyncio.get_running_loop().create_task(self._slow_loop())

    async def _slow_loop(self) -> None:
        try:
            while not self.gone:
                if not self.buf and self.eof:
                    await self._detach()
                    if self.transport is not None:
                        self.transport.close()
                    return
                await self._one_request()
                if not self.buf and not self.eof:
                    return  # back to the fast path
        except Refused as exc:
            self.fail(plain(exc.status, str(exc)))
        except (ConnectionError, EOFError):
            self.fail(None)
        except asyncio.CancelledError:
            pass
        except Exception as exc:  # a bug of ours: answer it, keep the server up
            print(f"livertox-kg serve: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
            self.fail(plain(500, f"internal error: {type(exc).__name__}: {exc}"))
        finally:
            self.slow = None

    def _take(self, n: int) -> bytes:
        out = bytes(self.buf[:n])
        del self.buf[:n]
        if self.paused and len(self.buf) < MAX_BUFFER // 2 and self.transport is not None:
            self.transport.resume_reading()
            self.paused = False
        return out

    async def _wait_for_more(self) -> None:
        if self.eof or self.gone:
            raise EOFError
        self.more.clear()
        await self.more.wait()

    async def _read_until(self, separator: bytes, limit: int) -> bytes:
        while (i := self.buf.find(separator)) < 0:
            if len(self.buf) > limit:
                raise Refused(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, f"request head over {limit} bytes")
            await self._wait_for_more()
        return self._take(i + len(separator))

    async def _read_exactly(self, n: int) -> bytes:
        while len(self.buf) < n:
            await self._wait_for_more()
        return self._take(n)

    async def _read_some(self, n: int) -> bytes:
        while not self.buf:
            await self._wait_for_more()
        return self._take(min(n, len(self.buf)))

    async def _one_request(self) -> None:
        head = await self._read_until(b"\r\n\r\n", MAX_HEAD)
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
            await self._page(method, target, parts[2], headers)
        else:
            await self._forward(method, target, head, headers)

    async def _attach(self) -> Link:
        link = self.link
        current = self.pool.current
        if link is not None and link.usable and link.backend is current:
            return link
        await self._detach()
        loop = asyncio.get_running_loop()
        try:
            _, link = await loop.create_connection(lambda: Link(self, current), "127.0.0.1", current.port)
        except OSError as exc:
            raise Refused(HTTPStatus.BAD_GATEWAY, f"the Oxigraph server cannot be reached: {exc}") from None
        self.link = link
        return link

    async def _detach(self) -> None:
        """Wait until the backend has finished answering, then leave it."""
        link = self.link
        if link is not None:
            link.half_close()
            await link.closed
            self.link = None

    async def _forward(self, method: bytes, target: bytes, head: bytes, headers: dict[bytes, bytes]) -> None:
        length, chunked = body_framing(headers)
        link = await self._attach()
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
                body = await self._read_exactly(length)
                head, body = _completed_post(self.prefixer, head, content_type, body)
                link.send(head + body)
                return
            link.send(head)
            await self._stream_body(link, length, chunked)
        finally:
            link.forwarding = False

    async def _stream_body(self, link: Link, length: int, chunked: bool) -> None:
        assert link.transport is not None
        if chunked:
            while True:
                line = await self._read_until(b"\r\n", 1024)
                link.transport.write(line)
                try:
                    size = int(line.split(b";")[0], 16)
                except ValueError:
                    raise Refused(HTTPStatus.BAD_REQUEST, "bad chunk size in a chunked body") from None
                if size == 0:
                    while (trailer := await self._read_until(b"\r\n", MAX_HEAD)) != b"\r\n":
                        link.transport.write(trailer)
                    link.transport.write(b"\r\n")
                    return
                link.transport.write(await self._read_exactly(size + 2))
                await link.drain()
        while length > 0:
            data = await self._read_some(min(length, 1 << 16))
            link.transport.write(data)
            length -= len(data)
            await link.drain()

    async def _page(self, method: bytes, target: bytes, version: bytes, headers: dict[bytes, bytes]) -> None:
        await self._detach()
        length, chunked = body_framing(headers)
        if chunked or length > MAX_HEAD:
            raise Refused(HTTPStatus.METHOD_NOT_ALLOWED, "pages are read with GET or HEAD")
        await self._read_exactly(length)
        if method not in (b"GET", b"HEAD"):
            raise Refused(HTTPStatus.METHOD_NOT_ALLOWED, "pages are read with GET or HEAD")
        status, content_type, body = await self.pages(target, headers)
        connection = headers.get(b"connection", b"").lower()
        close = b"close" in connection or (version == b"HTTP/1.0" and b"keep-alive" not in connection)
        if self.transport is not None and not self.gone:
            cors = self.pool.cors and b"origin" in headers
            self.transport.write(response(status, content_type, body, method == b"HEAD", close, cors))
            if close:
                self.transport.close()
                self.gone = True


def _completed_post(prefixer: Prefixer, head: bytes, content_type: bytes, body: bytes) -> tuple[bytes, bytes]:
    """A POSTed query with the prefixes it lacks, its Content-Length rewritten to match."""
    completed = prefixer.body(content_type, body)
    if completed is None:
        return head, body
    lines = [line for line in head[:-4].split(b"\r\n") if not line.lower().startswith(b"content-length:")]
    lines.append(b"Content-Length: " + str(len(completed)).encode("ascii"))
    return b"\r\n".join(lines) + b"\r\n\r\n", completed
