"""Real SPARQL servers for tests, started on 127.0.0.1 and stopped by the fixture; comparing every stored query
on one with the embedded store; a proxy in front of one that counts requests and fails them on purpose.

A server the tests need but cannot find is a skip on a developer's machine and a failure in CI
(``CI=true``), so that a missing install step in ``.ci/run`` cannot hide behind a skip.
"""

from __future__ import annotations

import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from livertox_kg.queries.headers import stored_queries
from livertox_kg.queries.params import example_bindings
from livertox_kg.queries.results import Results
from livertox_kg.queries.run import run as run_query
from livertox_kg.queries.sparql_text import bind
from livertox_kg.remote.client import Client, RequestFailed


def require(tool: str, why: str) -> str:
    """The path of ``tool``; skip (or fail in CI) when it is not installed."""
    candidates = [Path(sys.executable).parent / tool]
    found = next((str(c) for c in candidates if c.exists()), None) or shutil.which(tool)
    if found is None:
        message = f"{tool} is not installed ({why}); .ci/run installs it"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def stop(proc: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """End a server the test started: SIGTERM, then SIGKILL if it has not exited within ``timeout`` s."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def wait_for_http(url: str, timeout: float = 30.0, proc: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers, even if with an error status
        except OSError as exc:
            last = exc
            time.sleep(0.1)
    raise RuntimeError(f"no answer from {url} within {timeout} s: {last}")


@dataclass(frozen=True)
class Oxigraph:
    base: str  # http://127.0.0.1:PORT
    location: Path

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"

    @property
    def update_url(self) -> str:
        return f"{self.base}/update"

    @property
    def store_url(self) -> str:
        return f"{self.base}/store"


@contextmanager
def oxigraph_server(location: Path, read_only: bool = False, union_default_graph: bool = True) -> Iterator[Oxigraph]:
    """``oxigraph serve`` (PyPI package ``oxigraph``) on a free 127.0.0.1 port, stopped on exit.

    With ``union_default_graph`` (``--union-default-graph``), as the embedded store runs the stored queries
    (their default graph is the union of the named graphs; ``push --help`` says how each server does it).
    """
    exe = require("oxigraph", "PyPI package 'oxigraph', a test extra")
    port = free_port()
    mode = "serve-read-only" if read_only else "serve"
    union = ["--union-default-graph"] if union_default_graph else []
    proc = subprocess.Popen(
        [exe, mode, "--location", str(location), "--bind", f"127.0.0.1:{port}", *union],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_http(f"{base}/query?query=ASK%7B%7D", proc=proc)
        yield Oxigraph(base, location)
    finally:
        stop(proc)


# --------------------------------------------------------------------------------------------------
# comparing every stored query on the embedded store and on a server


Row = tuple[Any, ...]
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"

# Lexical forms a server may write for the same value: Virtuoso answers xsd:boolean values as "1"/"0",
# both legal lexical forms of true/false (XML Schema 1.1, 3.3.2). The value is the same; nothing else is
# mapped, so any other difference fails.
SAME_VALUE = {(XSD_BOOLEAN, "1"): "true", (XSD_BOOLEAN, "0"): "false"}

# Real differences of a server's SPARQL engine, found by these tests, not hidden: the column named is left
# out of the comparison for that query, and the test fails if the difference goes away (then remove it).
# Virtuoso 7.2: MIN() over strings picked "Features and outcomes of 899 patients ...: The DILIN Prospective
# Study." (with the period) where SPARQL's ordering (and Oxigraph) gives the shorter "...Study" first.
KNOWN_DIFFERENCES: dict[str, dict[str, str]] = {"virtuoso": {"most-cited": "title"}}


def _term(term: Any) -> Any:
    """A result term as a comparable tuple (blank nodes all alike: their labels are the server's own)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode",)
    assert isinstance(term, ox.Literal), term
    datatype = term.datatype.value
    return ("literal", SAME_VALUE.get((datatype, term.value), term.value), datatype, term.language or "")


def rows(results: Results) -> Counter[Row]:
    return Counter(tuple(_term(t) for t in row) for row in results.rows)


def _without(variables: list[str], counted: Counter[Row], column: str) -> Counter[Row]:
    i = variables.index(column)
    return Counter({r[:i] + r[i + 1 :]: n for r, n in counted.items()})


def assert_same_rows(location: Path, client: Client, endpoint: str, server: str = "oxigraph") -> int:
    """Every stored query (parameters bound to their examples) gives the same rows on the server at
    ``endpoint`` as on the store at ``location``; the number of rows compared."""
    embedded = ox.Store.read_only(str((location / "current").resolve()))
    known = KNOWN_DIFFERENCES.get(server, {})
    compared, problems = 0, []
    for name, q in stored_queries().items():
        text = bind(q.text, example_bindings(q.params)) if q.params else q.text
        mine = run_query(embedded, text)
        try:
            theirs = client.query(endpoint, text)
        except RequestFailed as exc:
            problems.append(f"{name}: {exc}")
            continue
        local, remote = rows(mine), rows(theirs)
        if name in known and theirs.variables == mine.variables:
            if remote == local:
                problems.append(f"{name}: no longer differs on {server}; remove it from KNOWN_DIFFERENCES")
            local, remote = _without(mine.variables, local, known[name]), _without(mine.variables, remote, known[name])
        if theirs.variables != mine.variables:
            problems.append(f"{name}: columns {theirs.variables} instead of {mine.variables}")
        elif remote != local:
            here, there = list((local - remote).items())[:2], list((remote - local).items())[:2]
            problems.append(f"{name}: only here {here}, only there {there}")
        compared += sum(local.values())
    assert not problems, "\n".join(problems)
    return compared


# --------------------------------------------------------------------------------------------------
# a real HTTP server in front of another, counting requests and failing them as a rule says


class Proxy:
    """Forwards every request to ``upstream``; counts them by (method, graph parameter); answers the status
    ``rule(method, graph, attempt)`` gives instead, when it gives one."""

    def __init__(self, upstream: str, rule: Callable[[str, str, int], int | None]) -> None:
        self.upstream = upstream
        self.rule = rule
        self.attempts: Counter[tuple[str, str]] = Counter()
        self.lock = threading.Lock()

    def handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as the servers do

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                graph = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).get("graph", [""])[0]
                with proxy.lock:
                    proxy.attempts[(self.command, graph)] += 1
                    n = proxy.attempts[(self.command, graph)]
                status = proxy.rule(self.command, graph, n)
                if status is not None:
                    return self._send(status, b"injected\n", "text/plain")
                headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
                req = urllib.request.Request(
                    proxy.upstream + self.path, data=body, method=self.command, headers=headers
                )
                try:
                    with urllib.request.urlopen(req, timeout=60) as resp:
                        data, code, ctype = resp.read(), resp.status, resp.headers.get("Content-Type", "")
                except urllib.error.HTTPError as exc:
                    data, code, ctype = exc.read(), exc.code, exc.headers.get("Content-Type", "")
                self._send(code, data, ctype)

            def _send(self, status: int, data: bytes, ctype: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = _forward

        return Handler

    def graph_requests(self) -> Counter[tuple[str, str]]:
        """The Graph Store requests (those naming a graph)."""
        return Counter({key: n for key, n in self.attempts.items() if key[1]})


@contextmanager
def proxy_server(upstream: str, rule: Callable[[str, str, int], int | None]) -> Iterator[tuple[str, Proxy]]:
    proxy = Proxy(upstream, rule)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), proxy.handler())
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", proxy
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@dataclass
class Serve:
    """A running ``livertox-kg serve``: its base URL (``http://127.0.0.1:PORT``) and process."""

    base: str
    location: Path
    process: subprocess.Popen[str]

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"


@contextmanager
def livertox_serve(location: Path, *args: str) -> Iterator[Serve]:
    """``livertox-kg serve --port 0`` on ``location`` (the checkout's code), stopped with SIGTERM on exit."""
    require("oxigraph", "PyPI package 'oxigraph', which serve runs")
    dev = Path(__file__).resolve().parents[2] / "dev"
    env = {**os.environ, "PYTHONPATH": str(dev)}
    command = [sys.executable, "-m", "livertox_kg", "serve", "--port", "0", "--store", str(location), *args]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.startswith("SPARQL endpoint at "):
            proc.wait(timeout=30)
            raise RuntimeError(f"serve did not start: {line}{proc.stderr.read() if proc.stderr else ''}")
        base = line.split()[3].removesuffix("/query")
        yield Serve(base, location, proc)
    finally:
        if proc.poll() is None:
            stop(proc, timeout=30)
