"""The one HTTP client (``remote/client.py``) against small HTTP servers in this process: kept-alive
connections, credentials only when asked for and never shown, retries, bodies cut at line ends, results read
back exactly. Real servers (Oxigraph, Virtuoso with Digest) are in ``test_push.py`` and ``test_remote.py``."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox
import pytest

from livertox_kg.queries.results import to_json
from livertox_kg.queries.run import run as run_query
from livertox_kg.remote.client import Client, RequestFailed, parse_results, split_lines

USER, PASSWORD = "curator", "s3cret-pw"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
GOOD = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()


class Recorder(ThreadingHTTPServer):
    """Answers each request by the status its path asks for; records what it saw."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.seen: list[
            tuple[str, str, str | None, int]
        ] = []  # method, path, Authorization, client port (one a connection)
        self.fail_first: dict[str, int] = {}  # path -> how many requests to it answer 503 first
        self.lock = threading.Lock()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    server: Recorder

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _answer(self) -> None:
        auth = self.headers.get("Authorization")
        with self.server.lock:
            self.server.seen.append((self.command, self.path, auth, self.client_address[1]))
        if self.path.startswith("/rude") and auth != GOOD:  # refuses before reading the body, and hangs up
            self.close_connection = True
            return self._send(401, b"", [("WWW-Authenticate", 'Basic realm="test"'), ("Connection", "close")])
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        with self.server.lock:
            left = self.server.fail_first.get(self.path, 0)
            self.server.fail_first[self.path] = left - 1
        if self.path.startswith("/auth") and auth != GOOD:
            return self._send(401, b"who are you?\n", [("WWW-Authenticate", 'Basic realm="test"')])
        if left > 0:
            return self._send(503, b"busy, try later\n")
        if self.path.startswith("/html"):
            page = b"<!DOCTYPE HTML>\n<html><head><title>Error 400</title></head>\n"
            page += b"<body><h3>Error 37000</h3>\n<pre>SP031: bad</pre></body></html>"
            return self._send(400, page)
        if self.path.startswith("/status/"):
            return self._send(int(self.path.split("?")[0].split("/")[2]), b"as you asked\n")
        if self.path.startswith("/close"):
            self.close_connection = True  # closes without saying so: the next request finds it closed
        self._send(200, b'{"head": {"vars": []}, "boolean": true}')

    def _send(self, status: int, body: bytes, headers: list[tuple[str, str]] | None = None) -> None:
        self.send_response(status)
        for name, value in headers or []:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = _answer


@pytest.fixture
def server() -> Iterator[Recorder]:
    httpd = Recorder()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_requests_share_one_kept_alive_connection(server: Recorder) -> None:
    with Client() as client:
        for n in range(5):
            assert client.query(f"{server.base}/sparql?n={n}", "ASK {}").boolean is True
    assert len(server.seen) == 5 and len({conn for *_, conn in server.seen}) == 1


def test_a_connection_closed_while_idle_is_reopened_without_a_retry(server: Recorder) -> None:
    with Client(retries=1) as client:  # one try: reopening is not a retry
        for _ in range(3):
            client.request("PUT", f"{server.base}/close", b"x")
    assert len(server.seen) == 3 and len({conn for *_, conn in server.seen}) == 3


def test_credentials_go_only_to_a_server_that_asks_and_are_then_kept(server: Recorder) -> None:
    with Client(USER, PASSWORD) as client:
        client.request("PUT", f"{server.base}/open", b"x")
        client.request("PUT", f"{server.base}/auth/a", b"x")
        client.request("PUT", f"{server.base}/auth/b", b"x")
    assert [(path, auth) for _, path, auth, _ in server.seen] == [
        ("/open", None),
        ("/auth/a", None),  # refused with a challenge ...
        ("/auth/a", GOOD),  # ... answered once
        ("/auth/b", GOOD),  # and answered at once from then on: the body is sent once
    ]


def test_a_server_that_hangs_up_on_a_large_body_is_asked_first(server: Recorder) -> None:
    """Virtuoso answers 401 and closes before reading the body: a large body would end in a broken pipe."""
    body = b"<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n" * 40_000  # 2.8 MB
    with Client(USER, PASSWORD, retries=1) as client:
        client.request("PUT", f"{server.base}/rude/a", body)
        client.request("PUT", f"{server.base}/rude/b", body)
    assert [(method, auth) for method, _, auth, _ in server.seen] == [("HEAD", None), ("PUT", GOOD), ("PUT", GOOD)]


def test_wrong_credentials_are_refused_once_never_retried_never_shown(server: Recorder) -> None:
    with Client(USER, "wrong-" + PASSWORD, retries=5, backoff=0.01) as client, pytest.raises(RequestFailed) as info:
        client.request("PUT", f"{server.base}/auth/a", b"x")
    assert info.value.refused and info.value.status == 401 and len(server.seen) == 2
    assert PASSWORD not in str(info.value) and str(info.value).startswith(f"{server.base}/auth/a: HTTP 401")


def test_server_errors_are_tried_again_then_reported_with_the_count(server: Recorder) -> None:
    server.fail_first = {"/busy": 2, "/down": 99}
    with Client(retries=3, backoff=0.01) as client:
        client.request("PUT", f"{server.base}/busy", b"x")
        with pytest.raises(RequestFailed) as info:
            client.request("PUT", f"{server.base}/down", b"x")
        assert "HTTP 503" in str(info.value) and "busy, try later" in str(info.value)
        assert str(info.value).endswith("(after 3 tries)") and info.value.retry
        with pytest.raises(RequestFailed) as forbidden:
            client.request("PUT", f"{server.base}/status/403", b"x")
        assert forbidden.value.refused and not forbidden.value.retry
        assert not client.delete_graph(f"{server.base}/status/404", "http://example.org/g")
    paths = [path for _, path, _, _ in server.seen]
    assert paths.count("/busy") == 3 and paths.count("/down") == 3 and paths.count("/status/403") == 1


def test_an_html_error_page_is_reported_by_its_text(server: Recorder) -> None:
    with Client() as client, pytest.raises(RequestFailed) as info:
        client.query(f"{server.base}/html", "SELECT * WHERE { ?s ?p }")
    assert str(info.value) == f"{server.base}/html: HTTP 400 Bad Request: Error 37000 SP031: bad"


def test_urls_with_credentials_are_refused_without_showing_them() -> None:
    with Client() as client, pytest.raises(RequestFailed) as info:
        client.request("GET", f"http://{USER}:{PASSWORD}@127.0.0.1:9/sparql")
    assert "credentials in a URL are refused" in str(info.value) and PASSWORD not in str(info.value)


def test_an_unreachable_server_is_one_line_naming_it() -> None:
    with Client(retries=2, backoff=0.01) as client, pytest.raises(RequestFailed) as info:
        client.request("GET", "http://127.0.0.1:9/sparql")
    message = str(info.value)
    assert message.startswith("http://127.0.0.1:9/sparql: cannot connect") and "\n" not in message
    assert info.value.kind == "connection" and message.endswith("(after 2 tries)")


@pytest.mark.parametrize("limit", [1, 40, 100, 10_000])
def test_bodies_are_cut_at_line_ends_and_join_back(limit: int) -> None:
    lines = [f'<http://example.org/s{n}> <http://example.org/p> "{"x" * (n % 70)}" .\n'.encode() for n in range(300)]
    data = b"".join(lines)
    parts = split_lines(data, limit)
    assert b"".join(parts) == data
    assert all(p.endswith(b"\n") for p in parts)
    assert all(len(p) <= limit or p.count(b"\n") == 1 for p in parts)  # only a single long line is longer
    assert len(parts) == (1 if limit >= len(data) else len(parts)) and (limit < len(data)) == (len(parts) > 1)


def test_empty_and_small_bodies_are_one_part() -> None:
    assert split_lines(b"", 10) == [b""]
    assert split_lines(b"<a> <b> <c> .\n", 100) == [b"<a> <b> <c> .\n"]


def test_json_results_are_read_back_exactly() -> None:
    """The JSON the client reads is the JSON the result writer writes (every term kind)."""
    results = run_query(
        ox.Store(),
        "SELECT ?iri ?plain ?lang ?typed ?unbound WHERE { BIND (<http://example.org/a> AS ?iri) "
        'BIND ("tab\\there \\"quoted\\"" AS ?plain) BIND ("chat"@fr AS ?lang) BIND (42 AS ?typed) }',
    )
    back = parse_results("test", to_json(results).encode("utf-8"))
    assert back.variables == results.variables
    assert [[str(t) if t is not None else None for t in row] for row in back.rows] == [
        [str(t) if t is not None else None for t in row] for row in results.rows
    ]
    with pytest.raises(RequestFailed, match="not SPARQL JSON results"):
        parse_results("test", b"<html>a web page</html>")


def test_virtuoso_answers_are_read() -> None:
    """Virtuoso labels blank nodes ``nodeID://b1234`` (pyoxigraph's own results parser refuses them) and types
    literals as the older ``typed-literal``."""
    answer = (
        b'{"head": {"vars": ["b", "n"]}, "results": {"bindings": [{"b": {"type": "bnode", "value": "nodeID://b1234"},'
        b' "n": {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "5"}}]}}'
    )
    with pytest.raises(SyntaxError):
        list(ox.parse_query_results(answer, format=ox.QueryResultsFormat.JSON))
    [[blank, number]] = parse_results("test", answer).rows
    assert isinstance(blank, ox.BlankNode) and number == ox.Literal("5", datatype=ox.NamedNode(XSD_INTEGER))
