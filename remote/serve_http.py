"""The HTTP the front of ``serve`` needs to know (:mod:`.serve_proxy`): request heads, its own short answers,
and :class:`Link`, its connection to one Oxigraph server."""

from __future__ import annotations

import asyncio
from http import HTTPStatus
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from livertox_kg.remote.serve_proxy import ClientSide

MAX_HEAD: Final = 64 << 10


class Refused(Exception):
    """A request the front answers itself with ``status`` and a one-line message, then closes."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status


def response(
    status: int, content_type: str, body: bytes, head_only: bool = False, close: bool = False, cors: bool = False
) -> bytes:
    """An HTTP/1.1 response with a body of known length."""
    reason = HTTPStatus(status).phrase
    lines = [f"HTTP/1.1 {status} {reason}", f"Content-Type: {content_type}", f"Content-Length: {len(body)}"]
    lines += ["Vary: Accept", *(["Connection: close"] if close else [])]
    lines += ["Access-Control-Allow-Origin: *"] if cors else []
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return head if head_only else head + body


def plain(status: int, message: str) -> bytes:
    return response(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"), close=True)


def parse_headers(head: bytes) -> dict[bytes, bytes]:
    """Header names (lower case) to values; a repeated header keeps its last value."""
    out: dict[bytes, bytes] = {}
    for line in head.split(b"\r\n")[1:]:
        name, sep, value = line.partition(b":")
        if sep:
            out[name.strip().lower()] = value.strip()
    return out


def body_framing(headers: dict[bytes, bytes]) -> tuple[int, bool]:
    """(Content-Length, chunked) of a request."""
    chunked = b"chunked" in headers.get(b"transfer-encoding", b"").lower()
    try:
        length = int(headers.get(b"content-length", b"0"))
    except ValueError:
        raise Refused(HTTPStatus.BAD_REQUEST, "Content-Length is not a number") from None
    if length < 0:
        raise Refused(HTTPStatus.BAD_REQUEST, "Content-Length is negative")
    return length, chunked


def wants_rdf(headers: dict[bytes, bytes]) -> bool:
    """Whether a request for ``/`` asks for data (the project's IRI) rather than the query UI."""
    accept = headers.get(b"accept", b"").lower()
    return b"text/html" not in accept and any(t in accept for t in (b"turtle", b"n-triples", b"ld+json"))


class Link(asyncio.Protocol):
    """The front's connection to one backend, carrying one client connection's SPARQL requests."""

    def __init__(self, client: ClientSide, backend: object) -> None:
        self.client = client
        self.backend = backend
        self.transport: asyncio.Transport | None = None
        self.usable = True  # new requests may go here (False once half-closed or its backend retires)
        self.half_closed = False
        self.forwarding = False  # a request body is being written (never half-close then)
        self.overdue = False
        self.answered = True  # a byte has come back since the last request was sent
        self.sent_at = asyncio.get_running_loop().time()
        self.closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._drained: asyncio.Future[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.backend.links.add(self)  # type: ignore[attr-defined]

    def data_received(self, data: bytes) -> None:
        self.answered = True
        self.client.relay(data)

    def connection_lost(self, exc: Exception | None) -> None:
        self.usable = False
        self.backend.links.discard(self)  # type: ignore[attr-defined]
        if not self.closed.done():
            self.closed.set_result(None)
        if self._drained is not None and not self._drained.done():
            self._drained.set_result(None)
        self.client.link_lost(self)

    def pause_writing(self) -> None:
        self._drained = asyncio.get_running_loop().create_future()

    def resume_writing(self) -> None:
        if self._drained is not None and not self._drained.done():
            self._drained.set_result(None)

    async def drain(self) -> None:
        if self._drained is not None:
            await self._drained

    def send(self, data: bytes) -> None:
        assert self.transport is not None
        self.transport.write(data)
        self.sent_at = asyncio.get_running_loop().time()
        self.answered = False

    def half_close(self) -> None:
        """Ask the backend to close once it has answered what it was sent."""
        self.usable = False
        if not self.half_closed and self.transport is not None and not self.transport.is_closing():
            self.half_closed = True
            try:
                self.transport.write_eof()
            except OSError:
                self.transport.abort()

    def time_out(self, seconds: float) -> None:
        """The last request ran past the timeout: answer the client (503, or cut the begun answer)."""
        self.overdue = True
        message = f"the query ran longer than {seconds:g} s (the server's --timeout) and was stopped"
        self.client.fail(plain(503, message) if not self.answered else None)
        if self.transport is not None:
            self.transport.abort()
