"""The HTTP the front of ``serve`` needs to know (:mod:`.serve_proxy`): request heads, its own short answers,
and :class:`Link`, its connection to one Oxigraph server with the thread that relays the server's answers."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from http import HTTPStatus
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from livertox_kg.remote.serve_proxy import ClientSide

MAX_HEAD: Final = 64 << 10
READ_SIZE: Final = 1 << 16


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


class Link:
    """The front's connection to one backend, carrying one client connection's SPARQL requests.

    A thread of its own (the *pump*) reads what the server answers and writes it to the client unread, until
    the server closes the connection; the client's thread writes the requests (:meth:`send`). Flags are read
    and written by the client's thread, the pump and the pool's sweeper; each is one assignment, and a stale
    read only makes a sweep act one round later."""

    def __init__(self, client: ClientSide, backend: object) -> None:
        self.client = client
        self.backend = backend
        self.sock = socket.create_connection(("127.0.0.1", backend.port))  # type: ignore[attr-defined]
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.usable = True  # new requests may go here (False once half-closed or its backend retires)
        self.half_closed = False
        self.forwarding = False  # a request body is being written (never half-close then)
        self.overdue = False
        self.answered = True  # a byte has come back since the last request was sent
        self.sent_at = time.monotonic()
        self.closed = threading.Event()
        self._lock = threading.Lock()
        self.backend.links.add(self)  # type: ignore[attr-defined]
        threading.Thread(target=self._pump, name="link", daemon=True).start()

    def _pump(self) -> None:
        try:
            while data := self.sock.recv(READ_SIZE):
                self.answered = True
                self.client.relay(data)
        except OSError:
            pass
        finally:
            self.usable = False
            self.backend.links.discard(self)  # type: ignore[attr-defined]
            self.sock.close()
            self.closed.set()
            self.client.link_lost(self)

    def send(self, data: bytes) -> None:
        """Write a request (or part of one); :class:`Refused` (502) when the server has gone."""
        self.sent_at = time.monotonic()
        self.answered = False
        try:
            self.sock.sendall(data)
        except OSError as exc:
            self.usable = False
            raise Refused(HTTPStatus.BAD_GATEWAY, f"the Oxigraph server closed the connection: {exc}") from None

    def half_close(self) -> None:
        """Ask the backend to close once it has answered what it was sent."""
        self.usable = False
        with self._lock:
            if self.half_closed or self.closed.is_set():
                return
            self.half_closed = True
            try:
                self.sock.shutdown(socket.SHUT_WR)
            except OSError:
                self.abort()

    def abort(self) -> None:
        """Cut the connection: the pump wakes up and ends."""
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)

    def time_out(self, seconds: float) -> None:
        """The last request ran past the timeout: answer the client (503, or cut the begun answer)."""
        self.overdue = True
        message = f"the query ran longer than {seconds:g} s (the server's --timeout) and was stopped"
        self.client.fail(plain(503, message) if not self.answered else None)
        self.abort()
