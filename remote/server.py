"""A read-only SPARQL 1.1 Protocol endpoint over the embedded store (``livertox-kg serve``).

Standard library only (``http.server.ThreadingHTTPServer``) over a read-only pyoxigraph store:

* ``GET /sparql?query=...``, ``POST /sparql`` with a form (``query=...``) or an
  ``application/sparql-query`` body; ``default-graph-uri`` and ``named-graph-uri`` as in the protocol.
  ``/query`` is the same endpoint (the path Oxigraph's own server uses).
* Results by content negotiation (``Accept``): SPARQL JSON (the default), XML, CSV, TSV; 406 otherwise.
* Read-only: any update (``/update``, an ``update=`` field, an ``application/sparql-update`` body, or
  update text sent as a query) is refused with 403 and a message saying so.
* Limits: a request body over :data:`MAX_BODY` bytes is refused (413); a query still running after
  ``timeout`` seconds, or giving more than ``max_rows`` rows, is stopped and answered 503 or 500 with the
  reason (rows are never cut silently). The time limit is checked between result rows, so one long
  step that produces no row yet (a sort, a grouping) can overrun it.
* Every request error is answered with a status and a one-line ``text/plain`` message; the server keeps
  serving. It answers on the store generation that is current at each request, so a ``build`` while it
  runs is picked up at the next query.
"""

from __future__ import annotations

import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
from livertox_kg import __version__
from livertox_kg.errors import QueryError, StoreError, UsageError
from livertox_kg.queries import run as sparql
from livertox_kg.store import generations as store_mod

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7879
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_ROWS = 100_000
MAX_BODY = 1 << 20  # 1 MiB
QUERY_PATHS = ("/sparql", "/query")

_ACCEPT = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
_WILDCARDS = {"*/*": "json", "application/*": "json", "text/*": "csv"}


class RequestError(Exception):
    """A request the endpoint answers with ``status`` and a one-line message."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def negotiate(accept: str | None) -> str:
    """The result format for an ``Accept`` header (q-values honoured); JSON when there is none."""
    if not accept or not accept.strip():
        return "json"
    choices: list[tuple[float, int, str]] = []
    for n, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        fmt = _ACCEPT.get(media.lower()) or _WILDCARDS.get(media.lower())
        if fmt and q > 0:
            choices.append((-q, n, fmt))
    if not choices:
        accepted = ", ".join(sparql.MEDIA_TYPES.values())
        raise RequestError(HTTPStatus.NOT_ACCEPTABLE, f"cannot answer in {accept!r}; accepted: {accepted}")
    return min(choices)[2]


@dataclass
class Limits:
    timeout: float = DEFAULT_TIMEOUT
    max_rows: int = DEFAULT_MAX_ROWS


class ReadOnlyStore:
    """The store's current generation, opened read-only, reopened when a build switches ``current``."""

    def __init__(self, location: Path) -> None:
        self.location = location
        self._lock = threading.Lock()
        self._generation: Path | None = None
        self._store: ox.Store | None = None
        self.get()

    def get(self) -> ox.Store:
        generation = store_mod.current_generation(self.location)
        with self._lock:
            if self._store is None or generation != self._generation:
                self._store = store_mod.open_read_only(self.location)
                self._generation = generation
            return self._store


def execute(
    store: ox.Store, text: str, limits: Limits, default_graphs: list[str], named_graphs: list[str]
) -> sparql.Results:
    """Run a SELECT or ASK query within ``limits``; :class:`RequestError` for everything refused."""
    try:
        form = sparql.query_form(text)
    except QueryError as exc:
        raise RequestError(HTTPStatus.BAD_REQUEST, str(exc)) from None
    if form == "UPDATE":
        raise RequestError(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL Update is refused")
    if form not in ("SELECT", "ASK"):
        raise RequestError(HTTPStatus.BAD_REQUEST, f"only SELECT and ASK queries are answered here, not {form}")
    try:
        default: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = [
            ox.NamedNode(g) for g in default_graphs
        ] or None
        named: list[ox.NamedNode | ox.BlankNode] | None = [ox.NamedNode(g) for g in named_graphs] or None
    except ValueError as exc:
        raise RequestError(HTTPStatus.BAD_REQUEST, f"a graph IRI is not valid: {exc}") from None
    deadline = time.monotonic() + limits.timeout
    too_slow = f"the query ran longer than {limits.timeout:g} s (the server's --timeout)"
    try:
        answer = store.query(text, default_graph=default, named_graphs=named)
    except SyntaxError as exc:
        raise RequestError(HTTPStatus.BAD_REQUEST, f"query is not valid SPARQL: {' '.join(str(exc).split())}") from None
    if isinstance(answer, ox.QueryBoolean):
        return sparql.Results([], [], bool(answer))
    if not isinstance(answer, ox.QuerySolutions):
        raise RequestError(HTTPStatus.BAD_REQUEST, "only SELECT and ASK queries are answered here")
    variables = [v.value for v in answer.variables]
    rows: list[sparql.Row] = []
    for solution in answer:
        rows.append([solution[v] for v in variables])
        if len(rows) > limits.max_rows:
            raise RequestError(
                HTTPStatus.INTERNAL_SERVER_ERROR,
                f"the result has more than {limits.max_rows} rows (the server's --max-rows); add a LIMIT",
            )
        if time.monotonic() > deadline:
            raise RequestError(HTTPStatus.SERVICE_UNAVAILABLE, too_slow)
    if time.monotonic() > deadline:
        raise RequestError(HTTPStatus.SERVICE_UNAVAILABLE, too_slow)
    return sparql.Results(variables, rows)


class Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = f"livertox-kg/{__version__}"
    protocol_version = "HTTP/1.1"

    # --- answering -------------------------------------------------------------------------------

    def _send(self, status: HTTPStatus, body: bytes, content_type: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: HTTPStatus, message: str, extra: dict[str, str] | None = None) -> None:
        # After an error the rest of the request may be unread: close, rather than read it as the next one.
        self.close_connection = True
        headers = {"Connection": "close", **(extra or {})}
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8", headers)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # http.server's own errors (a malformed request line, an unsupported method): one plain line too.
        try:
            status = HTTPStatus(code)
        except ValueError:
            status = HTTPStatus.BAD_REQUEST
        self._error(status, message or status.phrase)

    def log_message(self, format: str, *args: object) -> None:
        if not self.server.quiet:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")

    # --- methods ---------------------------------------------------------------------------------

    def do_GET(self) -> None:
        self._handle()

    def do_HEAD(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def _not_allowed(self) -> None:
        self._error(HTTPStatus.METHOD_NOT_ALLOWED, "only GET and POST are answered here", {"Allow": "GET, POST"})

    do_PUT = _not_allowed
    do_DELETE = _not_allowed
    do_PATCH = _not_allowed

    def _handle(self) -> None:
        try:
            self._answer()
        except RequestError as exc:
            self._error(exc.status, exc.message)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as exc:  # a bug: answer it, keep serving
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"internal error: {type(exc).__name__}: {exc}")

    def _read_body(self) -> bytes:
        if self.command != "POST":
            return b""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            raise RequestError(HTTPStatus.LENGTH_REQUIRED, "send a Content-Length (chunked bodies are not read)")
        length_header = self.headers.get("Content-Length")
        if length_header is None:
            raise RequestError(HTTPStatus.LENGTH_REQUIRED, "a POST needs a Content-Length")
        try:
            length = int(length_header)
        except ValueError:
            raise RequestError(HTTPStatus.BAD_REQUEST, "Content-Length is not a number") from None
        if length < 0:
            raise RequestError(HTTPStatus.BAD_REQUEST, "Content-Length is negative")
        if length > MAX_BODY:
            self.close_connection = True
            raise RequestError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the request body is over {MAX_BODY} bytes")
        return self.rfile.read(length)

    def _answer(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        path = url.path.rstrip("/") or "/"
        if path == "/update":
            self._read_body()
            raise RequestError(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL Update is refused")
        if path == "/" and self.command in ("GET", "HEAD") and not url.query:
            text = f"livertox-kg SPARQL 1.1 endpoint (read-only). Send queries to {self.server.url}\n"
            self._send(HTTPStatus.OK, text.encode("utf-8"), "text/plain; charset=utf-8")
            return
        if path not in QUERY_PATHS:
            raise RequestError(HTTPStatus.NOT_FOUND, f"no such path {path!r}; the endpoint is {QUERY_PATHS[0]}")
        try:
            fields = urllib.parse.parse_qs(url.query, keep_blank_values=True, strict_parsing=False, errors="strict")
        except UnicodeDecodeError:
            raise RequestError(HTTPStatus.BAD_REQUEST, "the URL query string is not UTF-8") from None
        body = self._read_body()
        content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        query_text: str | None = None
        if self.command == "POST":
            try:
                text_body = body.decode("utf-8")
            except UnicodeDecodeError:
                raise RequestError(HTTPStatus.BAD_REQUEST, "the request body is not UTF-8") from None
            if content_type == "application/sparql-update":
                raise RequestError(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL Update is refused")
            if content_type == "application/x-www-form-urlencoded":
                for key, values in urllib.parse.parse_qs(text_body, keep_blank_values=True).items():
                    fields.setdefault(key, []).extend(values)
            elif content_type == "application/sparql-query":
                query_text = text_body
            else:
                raise RequestError(
                    HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                    "POST a form (application/x-www-form-urlencoded) or a query (application/sparql-query)",
                )
        if "update" in fields:
            raise RequestError(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL Update is refused")
        queries = fields.get("query", [])
        if query_text is None:
            if len(queries) != 1:
                raise RequestError(HTTPStatus.BAD_REQUEST, "give exactly one 'query' parameter")
            query_text = queries[0]
        elif queries:
            raise RequestError(HTTPStatus.BAD_REQUEST, "give the query either in the body or as 'query', not both")
        if not query_text.strip():
            raise RequestError(HTTPStatus.BAD_REQUEST, "the query is empty")
        fmt = negotiate(self.headers.get("Accept"))
        try:
            store = self.server.store.get()
        except StoreError as exc:
            raise RequestError(HTTPStatus.SERVICE_UNAVAILABLE, str(exc)) from None
        default_graphs = fields.get("default-graph-uri", [])
        named_graphs = fields.get("named-graph-uri", [])
        results = execute(store, query_text, self.server.limits, default_graphs, named_graphs)
        body_out = sparql.FORMATTERS[fmt](results).encode("utf-8")
        charset = "" if fmt in ("json", "xml") else "; charset=utf-8"
        self._send(HTTPStatus.OK, body_out, sparql.MEDIA_TYPES[fmt] + charset)


class SparqlServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, location: Path, host: str, port: int, limits: Limits, quiet: bool = False) -> None:
        self.store = ReadOnlyStore(location)
        self.limits = limits
        self.quiet = quiet
        super().__init__((host, port), Handler)

    @property
    def url(self) -> str:
        host, port = str(self.server_address[0]), self.server_address[1]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}{QUERY_PATHS[0]}"


def make_server(
    location: Path,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    limits: Limits | None = None,
    quiet: bool = False,
) -> SparqlServer:
    """A server bound to ``host:port`` (``port`` 0: any free port) over the store at ``location``."""
    try:
        return SparqlServer(location, host, port, limits or Limits(), quiet)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
