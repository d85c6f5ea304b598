"""``--endpoint``: every stored query on a real Oxigraph server gives the embedded store's rows; clear errors.

The server (PyPI ``oxigraph``, started on 127.0.0.1 by ``tests/support/servers.py``) reads a copy of the store
built from the corpus chapters, so both run on the same graph. (How the client reads SPARQL JSON, every term
kind: ``test_client.py``; stored queries on Virtuoso: ``test_push_virtuoso.py``.)
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from livertox_kg.cli import main
from livertox_kg.queries.headers import all_queries
from livertox_kg.queries.params import example_bindings
from livertox_kg.queries.run import run as run_query
from livertox_kg.remote import endpoint
from tests.support.servers import Oxigraph, free_port, oxigraph_server
from tests.support.stores import bag, corpus_store, read_only

ALL = all_queries()

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return corpus_store(tmp_path_factory)


@pytest.fixture(scope="module")
def server(embedded: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Oxigraph]:
    copy = tmp_path_factory.mktemp("oxigraph") / "db"
    read_only(embedded).backup(str(copy))
    with oxigraph_server(copy, read_only=True) as ox_server:
        yield ox_server


@pytest.mark.parametrize("name", sorted(ALL), ids=str)
def test_stored_query_on_oxigraph_server_equals_embedded(name: str, embedded: Path, server: Oxigraph) -> None:
    q = ALL[name]
    bindings = example_bindings(q.params)
    local = run_query(read_only(embedded), q.text, bindings)
    remote = endpoint.query(server.query_url, q.text, bindings, timeout=60)
    assert remote.variables == local.variables
    assert bag(remote) == bag(local)
    if not q.is_qc:
        assert remote.rows


TUNED = sorted(name for name, q in ALL.items() if q.tuned is not None)


@pytest.mark.parametrize("name", TUNED, ids=str)
def test_tuned_variant_on_oxigraph_server_equals_embedded(name: str, embedded: Path, server: Oxigraph) -> None:
    q = ALL[name]
    assert q.tuned is not None
    bindings = example_bindings(q.params)
    local = run_query(read_only(embedded), q.text, bindings)
    remote = endpoint.query(server.query_url, q.tuned, bindings, timeout=60)
    assert remote.variables == local.variables and bag(remote) == bag(local) and remote.rows


def test_the_endpoint_reads_every_graph_as_the_store_does(
    embedded: Path, server: Oxigraph, capsys: pytest.CaptureFixture[str]
) -> None:
    """An Oxigraph server started with --union-default-graph has the store's default graph: every triple of
    every graph (a bag there too: oxigraph#1919), so hand-written and stored queries answer alike."""
    quads = list(read_only(embedded).quads_for_pattern(None, None, None, None))
    triples = {"\t".join(str(t) for t in (q.subject, q.predicate, q.object)) for q in quads}
    at = ["--format", "tsv", "--endpoint", server.query_url]
    assert main(["query", "--text", "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", *at]) == 0
    rows = capsys.readouterr().out.splitlines()[1:]
    assert set(rows) == triples and len(rows) == len(quads) > len(triples)
    distinct = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
    assert main(["query", "--text", distinct, *at]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith(f'"{len(triples)}"^^')
    # the graph's prefixes need no declaration on an endpoint either: they are sent as PREFIX lines
    chapters = 'SELECT ?c WHERE { GRAPH ltxg:Isoniazid { ?c ltx:chapterId "Isoniazid" } }'
    assert main(["query", "--text", chapters, *at]) == 0
    assert capsys.readouterr().out == "?c\n<https://w3id.org/livertox-kg/id/chapter/Isoniazid>\n"


def test_query_and_qc_commands_on_an_endpoint(
    embedded: Path, server: Oxigraph, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["query", "likelihood", "--format", "csv", "--endpoint", server.query_url]) == 0
    remote = capsys.readouterr().out
    assert main(["query", "likelihood", "--format", "csv", "--store", str(embedded)]) == 0
    assert capsys.readouterr().out == remote  # same rows in the same order: ORDER BY is in the query
    code_remote = main(["qc", "--endpoint", server.query_url])
    out_remote = capsys.readouterr().out
    code_local = main(["qc", "--store", str(embedded)])
    assert (code_remote, out_remote) == (code_local, capsys.readouterr().out)
    assert main(["query", "--text", "ASK { GRAPH ?g { ?s ?p ?o } }", "--endpoint", server.query_url]) == 0
    assert capsys.readouterr().out == "true\n"


def one_error_line(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    return err


def test_endpoint_errors_are_one_line_exit_2(server: Oxigraph, capsys: pytest.CaptureFixture[str]) -> None:
    down = f"http://127.0.0.1:{free_port()}/sparql"
    err = one_error_line(capsys, "query", "likelihood", "--endpoint", down)
    assert down in err and "cannot reach the endpoint" in err
    err = one_error_line(capsys, "query", "--text", "SELECT * WHERE { ?s ?p }", "--endpoint", server.query_url)
    assert "answered an error" in err
    err = one_error_line(capsys, "query", "likelihood", "--endpoint", server.base + "/no-such-path")
    assert "answered an error" in err
    err = one_error_line(capsys, "query", "likelihood", "--endpoint", "ftp://127.0.0.1/sparql")
    assert "not an http(s) URL" in err
    insert = "INSERT DATA { <x:a> <x:b> <x:c> }"
    err = one_error_line(capsys, "query", "--text", insert, "--endpoint", server.update_url)
    assert "only SELECT and ASK" in err


class _Silent(BaseHTTPRequestHandler):
    """Accepts the request and never answers (until the test ends)."""

    release = threading.Event()

    def do_POST(self) -> None:
        self.release.wait(30)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _NotSparql(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = b"<html><body>a web page, not SPARQL results</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def local_http() -> Iterator[list[ThreadingHTTPServer]]:
    servers: list[ThreadingHTTPServer] = []
    yield servers
    _Silent.release.set()
    for s in servers:
        s.shutdown()
        s.server_close()


def _start(handler: type[BaseHTTPRequestHandler], servers: list[ThreadingHTTPServer]) -> str:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    servers.append(httpd)
    return f"http://127.0.0.1:{httpd.server_address[1]}/sparql"


def test_timeout_and_non_sparql_answers(
    local_http: list[ThreadingHTTPServer], capsys: pytest.CaptureFixture[str]
) -> None:
    silent = _start(_Silent, local_http)
    err = one_error_line(capsys, "query", "likelihood", "--endpoint", silent, "--timeout", "1")
    assert "no answer within 1 s" in err
    web_page = _start(_NotSparql, local_http)
    err = one_error_line(capsys, "query", "likelihood", "--endpoint", web_page)
    assert "not SPARQL JSON results" in err
