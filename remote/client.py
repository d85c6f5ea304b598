"""The one HTTP client for SPARQL servers: the SPARQL 1.1 Protocol (queries, for ``query``/``qc --endpoint`` and
for ``push`` reading what a server holds) and the SPARQL 1.1 Graph Store Protocol (``push`` sending graphs).

Built on the standard library's :mod:`http.client`; no library does this part. SPARQLWrapper (and rdflib's
SPARQLStore) speak only the query protocol, over :mod:`urllib`, which opens a new connection for every request
and cannot send a graph; so one client here serves both protocols, with one behaviour for both:

- connections are kept alive: one per server and thread (``push`` sends from a few threads); a kept
  connection the server closed while it was idle is reopened once, silently;
- a server that asks for credentials (``401`` with ``WWW-Authenticate``) gets them, Digest (RFC 7616; the
  standard library's digest handler computes the answer) or Basic; the connection then answers that
  challenge on every request, so a graph's body is not sent once to be refused and once again;
- ``408``, ``429``, ``5xx`` and lost connections are tried again (``retries`` tries in all, the pause doubling
  from ``backoff`` seconds); ``401``/``403`` are never tried again;
- every failure is one :class:`RequestFailed` naming the URL; a URL that carries credentials is refused
  before anything is sent, so no password reaches a message;
- SPARQL JSON results are read into the :class:`~livertox_kg.queries.results.Results` the embedded store
  gives, so every output format and every comparison works the same on both;
- a body may be a stream (:meth:`Client.post_stream`, tried once); the ``Server`` each host names is kept.
"""

from __future__ import annotations

import base64
import http.client
import json
import re
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from email.message import Message
from typing import Any, Final

import pyoxigraph as ox

from livertox_kg import __version__
from livertox_kg.errors import LivertoxError
from livertox_kg.queries.results import Results, Row

RETRY_STATUS: Final = frozenset({408, 429, 500, 502, 503, 504})
JSON_RESULTS: Final = "application/sparql-results+json"
NTRIPLES: Final = "application/n-triples"
# Bytes of N-Triples per Graph Store request; a larger graph is sent as a PUT and then POSTs (which add to
# it). Virtuoso 7.2 drops the connection on any request body over 2 MiB (the LiverTox table of contents is
# 6.5 MB); on an Oxigraph server 1 MiB bodies are as fast as whole graphs (measured: bench/bench_push.py).
MAX_BODY: Final = 1 << 20
_FORM: Final = "application/x-www-form-urlencoded"
_AGENT: Final = f"livertox-kg/{__version__}"
_MAX_DETAIL: Final = 200
# a body larger than this is not sent to a path that may want credentials before a HEAD asked it: a smaller
# one is in the socket's buffer before a server that refuses it can close the connection
_PROBE_OVER: Final = 64 << 10
# what a kept-alive connection the server closed while idle raises on its next request
_STALE: Final = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)
Body = bytes | Iterable[bytes] | None  # an iterable is sent as it comes, chunked
_Answer = tuple[int, str, Message, bytes]  # status, reason, headers, body


class RequestFailed(LivertoxError):
    """A request that did not succeed: ``str()`` is one line, the URL first, then ``detail``.

    ``kind`` is what went wrong: ``"status"`` (an HTTP error ``status``), ``"timeout"`` (no answer in time),
    ``"connection"`` (no connection, or it was lost: ``reason``), ``"answer"`` (not what was asked for),
    ``"url"`` (a URL that cannot be used). ``retry`` says whether trying again may help.
    """

    def __init__(
        self, url: str, detail: str, kind: str, status: int | None = None, retry: bool = False, reason: str = ""
    ) -> None:
        super().__init__(f"{url}: {detail}")
        self.url, self.detail, self.kind = url, detail, kind
        self.status, self.retry, self.reason = status, retry, reason

    @property
    def refused(self) -> bool:
        """Credentials refused or the operation forbidden: no other request will fare better."""
        return self.status in (401, 403)


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be used (not http(s), credentials in it), or ``None``."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "not an http(s) URL"
    if parts.username is not None or parts.password is not None:
        return "credentials in a URL are refused"
    return None


def _usable(url: str) -> None:
    if (problem := url_problem(url)) is not None:
        raise RequestFailed(redacted(url) if "credentials" in problem else url, problem, "url")


def redacted(url: str) -> str:
    """``url`` without anything before the host (for messages about a URL with credentials in it)."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}..."


def first_line(body: bytes) -> str:
    """What a server's error body says, on one line of at most 200 characters: its first non-blank line, or
    all the text of an HTML page (Virtuoso's), whitespace collapsed."""
    text = body[:4000].decode("utf-8", "replace")
    if text.lstrip().startswith("<"):
        text = " ".join(
            re.sub(r"<![^>]*>|<(head|style|script)\b.*?</\1>|<[^>]*>", " ", text, flags=re.S | re.I).split()
        )
    line = next((" ".join(x.split()) for x in text.splitlines() if x.strip()), "")
    return line if len(line) <= _MAX_DETAIL else line[: _MAX_DETAIL - 1] + "…"


class _Auth:
    """The answer to one server's ``WWW-Authenticate`` challenge, Digest or Basic."""

    def __init__(self, user: str, password: str, base_url: str) -> None:
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, base_url, user, password)
        self._digest = urllib.request.AbstractDigestAuthHandler(manager)
        self._basic = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        self._base = base_url
        self._challenge: dict[str, str] | None = None
        self._scheme: str | None = None

    def learn(self, headers: Message) -> bool:
        """Take the challenge of a ``401``; ``False`` when it has none this client can answer."""
        values = [str(value).strip() for value in headers.get_all("WWW-Authenticate") or []]
        for value in values:
            scheme, _, rest = value.partition(" ")
            if scheme.lower() == "digest":
                items = urllib.request.parse_http_list(rest)
                self._scheme, self._challenge = "digest", urllib.request.parse_keqv_list([x for x in items if x])
                return True
        if any(value.lower().startswith("basic") for value in values):
            self._scheme, self._challenge = "basic", None
            return True
        return False

    @property
    def challenged(self) -> bool:
        return self._scheme is not None

    def header(self, method: str, target: str) -> str | None:
        """The ``Authorization`` value for a request, once a challenge was learnt."""
        if self._scheme == "basic":
            return self._basic
        if self._scheme == "digest" and self._challenge is not None:
            request = urllib.request.Request(self._base + target, method=method)
            try:
                answer = self._digest.get_authorization(request, self._challenge)
            except (ValueError, OSError):  # an algorithm or qop the standard library does not compute
                return None
            return f"Digest {answer}" if answer else None
        return None


class _Connection:
    """One kept-alive connection to one server, with the credentials that server asked for."""

    def __init__(self, parts: urllib.parse.SplitResult, timeout: float, auth: _Auth | None) -> None:
        kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        self.http = kind(parts.hostname or "", parts.port, timeout=timeout)
        self.auth = auth
        self.probed: set[str] = set()  # paths asked by a HEAD whether they want credentials

    def exchange(self, method: str, target: str, body: Body, headers: dict[str, str]) -> _Answer:
        """One request and its whole answer; a kept connection the server had closed is reopened once."""
        for last_try in (False, True):
            kept = self.http.sock is not None and isinstance(body, bytes | None)
            try:
                self.http.request(method, target, body=body, headers=headers)
                response = self.http.getresponse()
                data = response.read()
            except _STALE:
                self.http.close()
                if kept and not last_try:
                    continue
                raise
            except BaseException:
                self.http.close()
                raise
            return response.status, response.reason, response.headers, data
        raise AssertionError("unreachable")


class Client:
    """Requests to SPARQL servers over kept-alive connections, from several threads at once; ``user`` and
    ``password`` go only to a server that asks for them. Close it (or use it as a context manager) when done."""

    def __init__(
        self,
        user: str | None = None,
        password: str | None = None,
        timeout: float = 60.0,
        retries: int = 1,
        backoff: float = 0.5,
    ) -> None:
        self.user, self._password, self.timeout = user, password or "", timeout
        self.retries, self.backoff = max(1, retries), backoff
        self._local = threading.local()
        self._opened: list[_Connection] = []
        self._lock = threading.Lock()
        self._servers: dict[str, str] = {}  # scheme://host:port -> the Server header it answered last

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            for connection in self._opened:
                connection.http.close()
            self._opened.clear()

    def _connection(self, parts: urllib.parse.SplitResult) -> _Connection:
        pool: dict[tuple[str, str, int | None], _Connection] = self._local.__dict__.setdefault("pool", {})
        key = (parts.scheme, parts.hostname or "", parts.port)
        if key not in pool:
            base = f"{parts.scheme}://{parts.netloc}"
            auth = _Auth(self.user, self._password, base) if self.user is not None else None
            pool[key] = _Connection(parts, self.timeout, auth)
            with self._lock:
                self._opened.append(pool[key])
        return pool[key]

    def request(
        self, method: str, url: str, body: bytes | None = None, headers: Mapping[str, str] | None = None
    ) -> bytes:
        """One request, tried again on server errors and lost connections; the answer's body.

        Raises :class:`RequestFailed` with the last error (``(after N tries)`` when it was tried again).
        """
        _usable(url)
        last: RequestFailed | None = None
        for attempt in range(self.retries):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                return self._once(method, url, body, dict(headers or {}))
            except RequestFailed as exc:
                last = exc
                if not exc.retry:
                    break
        assert last is not None
        if last.retry and self.retries > 1:
            detail = f"{last.detail} (after {self.retries} tries)"
            raise RequestFailed(url, detail, last.kind, last.status, last.retry, last.reason) from None
        raise last

    def _once(self, method: str, url: str, body: Body, headers: dict[str, str]) -> bytes:
        parts = urllib.parse.urlsplit(url)
        target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
        connection = self._connection(parts)
        headers.setdefault("User-Agent", _AGENT)
        streamed = not isinstance(body, bytes | None)
        large = streamed or len(body or b"") > _PROBE_OVER  # type: ignore[arg-type]
        if large and connection.auth is not None and not connection.auth.challenged:
            self._probe(connection, url, target, parts.path)
        if streamed:
            connection.http.close()  # a new connection: an idle one the server closed would cost the stream
        for answered in (False, True):
            authorization = connection.auth.header(method, target) if connection.auth else None
            if authorization:
                headers["Authorization"] = authorization
            try:
                status, reason, answer_headers, data = connection.exchange(method, target, body, headers)
            except TimeoutError:
                raise RequestFailed(url, f"no answer within {self.timeout:g} s", "timeout", retry=True) from None
            except (OSError, http.client.HTTPException) as exc:
                why = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
                raise RequestFailed(url, f"cannot connect: {why}", "connection", retry=True, reason=why) from None
            self._servers[f"{parts.scheme}://{parts.netloc}"] = str(answer_headers.get("Server", ""))
            challenge = status == 401 and not answered and not streamed and connection.auth is not None
            if challenge and connection.auth is not None and connection.auth.learn(answer_headers):
                continue  # answer the challenge (once: a second 401 means the credentials are wrong)
            if status >= 400:
                detail = f"HTTP {status} {reason}" + (f": {line}" if (line := first_line(data)) else "")
                raise RequestFailed(url, detail, "status", status, retry=status in RETRY_STATUS)
            return data
        raise AssertionError("unreachable")

    def _probe(self, connection: _Connection, url: str, target: str, path: str) -> None:
        """Learn the server's challenge by a ``HEAD`` before the first body goes: a server that refuses a
        request without credentials may close the connection before reading its body (Virtuoso does), so
        the client would see a broken pipe instead of the ``401``. Once per connection and path."""
        if path in connection.probed:
            return
        connection.probed.add(path)
        try:
            status, _, headers, _ = connection.exchange("HEAD", target, None, {"User-Agent": _AGENT})
        except TimeoutError:
            raise RequestFailed(url, f"no answer within {self.timeout:g} s", "timeout", retry=True) from None
        except (OSError, http.client.HTTPException):
            return  # the request itself will say what is wrong
        if status == 401 and connection.auth is not None:
            connection.auth.learn(headers)

    def post_stream(self, url: str, chunks: Iterable[bytes], content_type: str) -> None:
        """``POST`` a body made of ``chunks`` as they come (chunked transfer encoding), in one try: what was
        sent cannot be sent again, so a failure is the caller's to complete (:class:`RequestFailed`)."""
        _usable(url)
        self._once("POST", url, chunks, {"Content-Type": content_type})

    def server(self, url: str) -> str | None:
        """The ``Server`` header the host of ``url`` last answered with (``""``: none), ``None`` before any answer."""
        parts = urllib.parse.urlsplit(url)
        return self._servers.get(f"{parts.scheme}://{parts.netloc}")

    # ----------------------------------------------------------------------------------------------
    # the SPARQL 1.1 Protocol

    def query(self, url: str, text: str) -> Results:
        """A SELECT or ASK query, sent by POST as a form (what every SPARQL 1.1 server accepts), its answer
        asked for as SPARQL JSON."""
        body = urllib.parse.urlencode({"query": text}).encode("utf-8")
        data = self.request("POST", url, body, {"Accept": JSON_RESULTS, "Content-Type": _FORM})
        return parse_results(url, data)

    # ----------------------------------------------------------------------------------------------
    # the SPARQL 1.1 Graph Store Protocol

    @staticmethod
    def graph_url(graph_store: str, graph: str) -> str:
        """The URL of ``graph`` in a graph store (indirect identification: ``?graph=IRI``)."""
        sep = "&" if "?" in graph_store else "?"
        return f"{graph_store}{sep}{urllib.parse.urlencode({'graph': graph})}"

    def send_graph(self, graph_store: str, graph: str, ntriples: bytes, replace: bool = True) -> int:
        """Make ``graph`` hold ``ntriples``: a ``PUT`` (``replace``; else a ``POST``, for a graph the server does
        not hold) of the first :data:`MAX_BODY` bytes, ``POST`` of the rest; the number of requests."""
        url = self.graph_url(graph_store, graph)
        parts = split_lines(ntriples, MAX_BODY)
        for n, part in enumerate(parts):
            self.request("PUT" if n == 0 and replace else "POST", url, part, {"Content-Type": NTRIPLES})
        return len(parts)

    def delete_graph(self, graph_store: str, graph: str) -> bool:
        """``DELETE`` ``graph``; ``False`` when the server did not have it (``404``)."""
        try:
            self.request("DELETE", self.graph_url(graph_store, graph))
        except RequestFailed as exc:
            if exc.status == 404:
                return False
            raise
        return True


def split_lines(data: bytes, limit: int) -> list[bytes]:
    """``data`` (N-Triples: one statement a line) in parts of at most ``limit`` bytes, cut only at line ends
    (a single longer line is a part of its own); ``[data]`` when it fits, ``[b""]`` when empty."""
    if len(data) <= limit:
        return [data]
    parts: list[bytes] = []
    start = 0
    while start < len(data):
        end = start + limit
        if end < len(data):
            cut = data.rfind(b"\n", start, end)
            end = cut + 1 if cut >= start else data.find(b"\n", end) + 1 or len(data)
        parts.append(data[start:end])
        start = end
    return parts


def parse_results(url: str, body: bytes) -> Results:
    """SPARQL 1.1 Query Results JSON as :class:`Results`; :class:`RequestFailed` when it is not that.

    Not ``pyoxigraph.parse_query_results``: it refuses the blank-node labels Virtuoso writes (``nodeID://b12``).
    """
    try:
        doc = json.loads(body)
        if "boolean" in doc:
            return Results([], [], bool(doc["boolean"]))
        variables = [str(v) for v in doc["head"]["vars"]]
        rows: list[Row] = [[_term(b[v]) if v in b else None for v in variables] for b in doc["results"]["bindings"]]
    except (ValueError, KeyError, TypeError) as exc:
        why = f"the answer is not SPARQL JSON results: {type(exc).__name__}: {exc}"
        raise RequestFailed(url, why, "answer") from None
    return Results(variables, rows)


def _term(binding: dict[str, Any]) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    kind = binding["type"]
    value = str(binding["value"])
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        safe = "".join(ch if ch.isalnum() else "_" for ch in value) or "b"
        return ox.BlankNode(safe if safe[0].isalpha() else f"b{safe}")
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in binding:
            return ox.Literal(value, language=str(binding["xml:lang"]))
        datatype = binding.get("datatype")
        return ox.Literal(value, datatype=ox.NamedNode(str(datatype)) if datatype is not None else None)
    raise ValueError(f"unknown term type {kind!r}")
