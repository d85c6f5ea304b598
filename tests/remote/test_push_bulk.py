"""``push``'s bulk path to a real Oxigraph server (PyPI ``oxigraph``) on 127.0.0.1: the graphs a server holds
nothing of go as N-Quads streams to ``POST /store?no_transaction``. The server then holds the very quads the
graph-by-graph path gives (and the embedded store holds); a stream cut part-way is completed in the same push
(graph by graph, ``PUT``), and a first push that could not complete is completed by the next one.

The relay below stands between the client and the server as a real HTTP server: it passes the server's answers
on with their ``Server`` header (which is how push knows an Oxigraph server) and request bodies as they come
(chunked ones too), counts requests, and can cut a bulk stream or refuse per-graph requests on purpose.
``tests/support``'s proxy answers with its own ``Server`` header, so behind it push takes the graph-by-graph
path: the comparison below uses that."""

from __future__ import annotations

import http.client
import http.server
import socket
import threading
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from livertox_kg.cli import main
from livertox_kg.rdf.vocab import DESCRIPTION_GRAPH
from livertox_kg.remote import push
from livertox_kg.remote.client import Client, RequestFailed
from livertox_kg.resources import sample_names
from livertox_kg.store import generations as store
from tests.support.servers import free_port, oxigraph_server, proxy_server

pytestmark = pytest.mark.server

SAMPLE = len(sample_names())
GRAPHS = SAMPLE + 2  # the chapters, the vocabulary, the mappings (the description is sent apart)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    location = tmp_path_factory.mktemp("push-bulk") / "store"
    assert main(["build", "--store", str(location)]) == 0
    return location


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def server_quads(base: str) -> set[str]:
    """Every quad an Oxigraph server holds (``GET /store`` as N-Quads), one line each."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    connection.request("GET", "/store", headers={"Accept": "application/n-quads"})
    answer = connection.getresponse()
    assert answer.status == 200
    data = answer.read().decode("utf-8")
    connection.close()
    lines = [line for line in data.splitlines() if line.strip()]
    assert len(lines) == len(set(lines))
    return set(lines)


def store_quads(location: Path) -> set[str]:
    data = store.open_read_only(location).dump(format=ox.RdfFormat.N_QUADS)
    assert data is not None
    return {line for line in data.decode("utf-8").splitlines() if line.strip()}


# --------------------------------------------------------------------------------------------------
# the relay


def kind_of(path: str) -> str:
    """What a request is: ``bulk`` (``?no_transaction``), ``graph`` (names a graph), or ``other``."""
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query, keep_blank_values=True)
    return "bulk" if "no_transaction" in query else "graph" if "graph" in query else "other"


@dataclass
class Relay:
    upstream: str  # http://127.0.0.1:PORT
    cut_after: Callable[[int], int | None] = lambda n: None  # n-th bulk request -> body bytes before hanging up
    refuse: Callable[[str, str], int | None] = lambda method, kind: None  # -> a status to answer instead
    seen: Counter[tuple[str, str]] = field(default_factory=Counter)  # (method, kind) -> requests
    graphs: Counter[tuple[str, str]] = field(default_factory=Counter)  # (method, graph) -> requests
    lock: threading.Lock = field(default_factory=threading.Lock)


class Cut(Exception):
    """The relay hangs up in the middle of a request body."""


def relay_handler(relay: Relay) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _body(self, limit: int | None) -> Iterator[bytes]:
            """The request body as it comes (chunked or with a length), at most ``limit`` bytes of it."""
            sent = 0
            for chunk in self._chunks():
                if limit is not None and sent + len(chunk) > limit:
                    raise Cut
                sent += len(chunk)
                yield chunk

        def _chunks(self) -> Iterator[bytes]:
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                while size := int(self.rfile.readline().split(b";")[0], 16):
                    yield self.rfile.read(size)
                    self.rfile.readline()
                self.rfile.readline()  # the empty trailer
            elif length := int(self.headers.get("Content-Length") or 0):
                yield self.rfile.read(length)

        def _relay(self) -> None:
            kind = kind_of(self.path)
            graph = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).get("graph", [""])[0]
            with relay.lock:
                relay.seen[(self.command, kind)] += 1
                if graph:
                    relay.graphs[(self.command, graph)] += 1
                nth = relay.seen[(self.command, kind)]
            status = relay.refuse(self.command, kind)
            if status is not None:
                list(self._chunks())
                return self._answer(status, [], b"refused by the relay\n")
            limit = relay.cut_after(nth) if kind == "bulk" else None
            host, port = relay.upstream.removeprefix("http://").split(":")
            upstream = http.client.HTTPConnection(host, int(port), timeout=60)
            headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
            # a chunked body goes on chunked, as it comes (http.client does that for an iterable)
            body: Any = self._body(limit) if "Transfer-Encoding" in self.headers else b"".join(self._chunks())
            try:
                upstream.request(self.command, self.path, body=body or None, headers=headers)
                answer = upstream.getresponse()
                data = answer.read()
            except Cut:
                upstream.close()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            upstream.close()
            passed = [
                (k, v) for k, v in answer.getheaders() if k.lower() not in ("content-length", "transfer-encoding")
            ]
            self._answer(answer.status, passed, data)

        def _answer(self, status: int, headers: list[tuple[str, str]], data: bytes) -> None:
            self.send_response_only(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = _relay

    return Handler


@contextmanager
def relay_server(relay: Relay) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), relay_handler(relay))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# --------------------------------------------------------------------------------------------------


def test_the_bulk_path_gives_the_same_quads_as_graph_by_graph(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with oxigraph_server(tmp_path / "bulk") as bulk, oxigraph_server(tmp_path / "one-by-one") as other:
        relay = Relay(bulk.base)
        with relay_server(relay) as url:
            code, out, err = run(capsys, "push", "--store", str(built), "--endpoint", f"{url}/query")
        assert code == 0, err
        assert f"sent        {SAMPLE} chapter graph(s) and the vocabulary and the mappings" in out
        assert f"bulk        {GRAPHS} of them by the server's bulk loader" in out and "description sent" in out
        # two N-Quads streams; the one Graph Store request naming a graph is the description's
        assert relay.seen[("POST", "bulk")] == push.BULK_STREAMS
        assert relay.graphs == Counter({("POST", DESCRIPTION_GRAPH): 1})

        with proxy_server(other.base, lambda *_: None) as (url, proxy):  # answers as Python: graph by graph
            code, out, err = run(capsys, "push", "--store", str(built), "--endpoint", f"{url}/query")
        assert code == 0, err
        assert "bulk" not in out
        assert len([key for key in proxy.graph_requests() if key[0] in ("PUT", "POST")]) == GRAPHS + 1

        quads = server_quads(bulk.base)
        assert quads == server_quads(other.base)
        assert quads == store_quads(built), "quad for quad what the embedded store holds"
        # and a second push finds nothing to send
        code, out, _ = run(capsys, "push", "--store", str(built), "--endpoint", bulk.query_url)
        assert code == 0 and "sent        0 chapter graph(s)\n" in out and "description unchanged" in out


def test_a_stream_cut_part_way_is_completed_graph_by_graph_in_the_same_push(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with oxigraph_server(tmp_path / "server") as server:
        relay = Relay(server.base, cut_after=lambda n: 200_000 if n == 1 else None)
        with relay_server(relay) as url:
            code, out, err = run(capsys, "push", "--store", str(built), "--endpoint", f"{url}/query")
        assert code == 0, err
        assert "bulk        a request failed" in out
        assert "description sent" in out
        cut = {g for (method, g) in relay.graphs if method == "PUT" and g != DESCRIPTION_GRAPH}
        assert cut, "the cut stream's graphs went one by one, by PUT (what arrived of them is replaced)"
        assert f"bulk        {GRAPHS - len(cut)} of them" in out
        assert server_quads(server.base) == store_quads(built)


def test_a_first_push_that_could_not_complete_is_completed_by_the_next(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "server"
    with oxigraph_server(folder) as server:
        # one stream is cut, and the server refuses every graph sent one by one: the push cannot complete
        relay = Relay(
            server.base,
            cut_after=lambda n: 100_000 if n == 1 else None,
            refuse=lambda method, kind: 503 if kind == "graph" and method in ("PUT", "POST") else None,
        )
        with relay_server(relay) as url:
            code, out, err = run(capsys, "push", "--store", str(built), "--endpoint", f"{url}/query", "--retries", "1")
        assert code == 1, out + err
        assert "NOT SENT" in out and "description not sent" in out
        there = server_quads(server.base)
        assert there and there < store_quads(built), "part of the graphs went, the rest did not"
        assert not any(f"<{DESCRIPTION_GRAPH}>" in q for q in there), "no description lists what is missing"
        # a graph the bulk loader left half-written: the next push must replace it, not add to it
        held = {q.rsplit(" ", 2)[-2] for q in there}
        missing = sorted({q.rsplit(" ", 2)[-2] for q in store_quads(built)} - held)
        half = sorted(q for q in store_quads(built) if q.endswith(f" {missing[0]} ."))
        half = half[: len(half) // 2]
        with Client() as client:
            client.request("POST", server.store_url, "\n".join(half).encode(), {"Content-Type": "application/n-quads"})

        relay = Relay(server.base)
        with relay_server(relay) as url:
            code, out, err = run(capsys, "push", "--store", str(built), "--endpoint", f"{url}/query")
        assert code == 0, err
        assert "description sent" in out
        graph = missing[0].strip("<>")
        assert relay.graphs[("PUT", graph)] == 1 and relay.graphs[("POST", graph)] == 0
        assert server_quads(server.base) == store_quads(built)
    # the server's own files hold it after a restart too (the bulk loader writes them)
    with oxigraph_server(folder) as server:
        assert server_quads(server.base) == store_quads(built)


def test_the_bulk_path_needs_an_oxigraph_server_and_enough_new_graphs(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Few new graphs (a chapter deleted on the server by hand) go one by one: the bulk loader's set-up per
    request costs more than it saves there."""
    with oxigraph_server(tmp_path / "server") as server:
        assert run(capsys, "push", "--store", str(built), "--endpoint", server.query_url)[0] == 0
        with Client() as client:
            graphs = sorted(g.value for g in store.open_read_only(built).named_graphs() if g.value != DESCRIPTION_GRAPH)
            for graph in graphs[: push.BULK_MIN - 1]:
                assert client.delete_graph(server.store_url, graph)
        relay = Relay(server.base)
        with relay_server(relay) as url:
            code, out, err = run(capsys, "push", "--store", str(built), "--endpoint", f"{url}/query")
        assert code == 0, err
        assert "bulk" not in out and relay.seen[("POST", "bulk")] == 0
        assert relay.seen[("POST", "graph")] >= push.BULK_MIN - 1
        assert server_quads(server.base) == store_quads(built)


def test_a_stream_is_sent_once_and_never_again(tmp_path: Path) -> None:
    """A streamed body cannot be sent twice: a server error is not tried again (the caller completes it)."""
    with oxigraph_server(tmp_path / "server") as server:
        relay = Relay(server.base, refuse=lambda method, kind: 503 if kind == "bulk" else None)
        with relay_server(relay) as url, Client(retries=3, backoff=0) as client:
            with pytest.raises(RequestFailed) as failed:
                client.post_stream(f"{url}/store?no_transaction", iter([b"<a:s> <a:p> <a:o> <a:g> .\n"]), "x/y")
            assert failed.value.status == 503 and not failed.value.refused
            assert relay.seen[("POST", "bulk")] == 1
            assert client.server(url) == "", "the relay's own refusal names no server"
            assert push.server_kind(client, server.store_url) == "oxigraph"


def test_server_kind_needs_the_server_to_say_it() -> None:
    with Client() as client:
        assert client.server("http://127.0.0.1:9/store") is None
        assert push.server_kind(client, f"http://127.0.0.1:{free_port()}/store") == ""
