"""``livertox-kg serve``: the SPARQL 1.1 Protocol over the embedded store, read-only, robust, stoppable."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from livertox_kg.queries import run as sparql
from livertox_kg.remote import endpoint, server
from livertox_kg.store import convert as build

from tests.conftest import CORPUS, DEV
from tests.support.stores import bag, corpus_store, read_only

STORED = sparql.stored_queries()

pytestmark = pytest.mark.server

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def location(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return corpus_store(tmp_path_factory)


def start(location: Path, limits: server.Limits | None = None) -> server.SparqlServer:
    httpd = server.make_server(location, port=0, limits=limits, quiet=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


@pytest.fixture(scope="module")
def endpoint_url(location: Path) -> Iterator[str]:
    httpd = start(location)
    yield httpd.url
    httpd.shutdown()
    httpd.server_close()


def request(
    url: str, data: bytes | None = None, headers: dict[str, str] | None = None, method: str | None = None
) -> tuple[int, str, bytes]:
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def get(url: str, query: str, accept: str | None = None) -> tuple[int, str, bytes]:
    return request(f"{url}?{urllib.parse.urlencode({'query': query})}", headers={"Accept": accept} if accept else {})


def count(url: str) -> int:
    status, _, body = get(url, COUNT)
    assert status == 200
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_get_post_and_content_negotiation(endpoint_url: str, location: Path) -> None:
    q = STORED["high-dose-only"]
    expected = sparql.run(read_only(location), q.text)
    status, ctype, body = get(endpoint_url, q.text)
    assert status == 200 and ctype == "application/sparql-results+json"
    assert len(json.loads(body)["results"]["bindings"]) == len(expected.rows)
    status, _, form_body = request(
        endpoint_url,
        urllib.parse.urlencode({"query": q.text}).encode(),
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 200 and form_body == body
    status, _, direct_body = request(endpoint_url, q.text.encode(), {"Content-Type": "application/sparql-query"})
    assert status == 200 and direct_body == body
    status, ctype, csv_body = get(endpoint_url, q.text, "text/csv")
    assert status == 200 and ctype.startswith("text/csv")
    assert csv_body.decode() == sparql.to_csv(expected)
    assert next(csv.reader(io.StringIO(csv_body.decode()))) == expected.variables
    status, ctype, tsv_body = get(endpoint_url, q.text, "text/csv;q=0.5, text/tab-separated-values")
    assert ctype.startswith("text/tab-separated-values") and tsv_body.decode() == sparql.to_tsv(expected)
    status, ctype, xml_body = get(endpoint_url, q.text, "application/sparql-results+xml")
    assert ctype == "application/sparql-results+xml"
    root = ET.fromstring(xml_body)
    assert len(root.findall("{http://www.w3.org/2005/sparql-results#}results/*")) == len(expected.rows)
    status, _, body = get(endpoint_url, q.text, "image/png")
    assert status == 406 and b"accepted" in body
    status, _, body = get(endpoint_url.replace("/sparql", "/query"), "ASK { GRAPH ?g { ?s ?p ?o } }")
    assert status == 200 and json.loads(body) == {"head": {}, "boolean": True}


def test_protocol_graph_parameters(endpoint_url: str) -> None:
    graph = "https://w3id.org/livertox-kg/graph/Codeine"
    query = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "default-graph-uri": graph})
    status, _, body = request(f"{endpoint_url}?{query}")
    in_codeine = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    assert status == 200 and 10 < in_codeine < count(endpoint_url)
    all_graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    query = urllib.parse.urlencode({"query": all_graphs, "named-graph-uri": graph})
    status, _, body = request(f"{endpoint_url}?{query}")
    assert [b["g"]["value"] for b in json.loads(body)["results"]["bindings"]] == [graph]


@pytest.mark.parametrize("name", ["likelihood", "agents-by-likelihood", "case-reports", "most-cited"])
def test_sparql_clients_get_the_embedded_rows(endpoint_url: str, location: Path, name: str) -> None:
    """SPARQLWrapper (through ``--endpoint``) reads the same rows as the embedded store gives."""
    q = STORED[name]
    bindings = sparql.example_bindings(q)
    remote = endpoint.query(endpoint_url, q.text, bindings)
    local = sparql.run(read_only(location), q.text, bindings)
    assert remote.variables == local.variables and bag(remote) == bag(local) and remote.rows


def test_updates_are_refused(endpoint_url: str) -> None:
    before = count(endpoint_url)
    update = "INSERT DATA { GRAPH <http://x/g> { <http://x/s> <http://x/p> <http://x/o> } }"
    for status, _, body in (
        request(endpoint_url.replace("/sparql", "/update"), urllib.parse.urlencode({"update": update}).encode(), FORM),
        request(endpoint_url, urllib.parse.urlencode({"update": update}).encode(), FORM),
        request(endpoint_url, update.encode(), {"Content-Type": "application/sparql-update"}),
        get(endpoint_url, update),
        get(endpoint_url, "DROP ALL"),
    ):
        assert status == 403, body
        assert b"read-only" in body
    assert count(endpoint_url) == before


def raw(url: str, payload: bytes) -> bytes:
    parsed = urllib.parse.urlsplit(url)
    with socket.create_connection((parsed.hostname, parsed.port), timeout=10) as s:
        s.sendall(payload)
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_malformed_requests_get_an_error_and_the_server_keeps_serving(endpoint_url: str) -> None:
    assert request(endpoint_url)[0] == 400  # no query
    status, ctype, body = get(endpoint_url, "SELECT * WHERE { ?s ?p }")
    assert status == 400 and ctype.startswith("text/plain") and b"not valid SPARQL" in body and body.count(b"\n") == 1
    assert get(endpoint_url, "   ")[0] == 400
    assert get(endpoint_url, "CONSTRUCT WHERE { ?s ?p ?o }")[0] == 400
    assert request(endpoint_url.replace("/sparql", "/elsewhere"))[0] == 404
    assert request(endpoint_url, b"x", {"Content-Type": "text/plain"})[0] == 415
    assert request(endpoint_url, b"query=\xff\xfe", {"Content-Type": "application/x-www-form-urlencoded"})[0] == 400
    assert request(endpoint_url, method="PUT", data=b"x")[0] == 405
    assert request(endpoint_url, method="DELETE")[0] == 405
    too_big = f"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: {server.MAX_BODY + 1}\r\n\r\nquery="
    assert raw(endpoint_url, too_big.encode()).startswith(b"HTTP/1.1 413")
    query_twice = urllib.parse.urlencode([("query", "ASK {}"), ("query", "ASK {}")])
    assert request(f"{endpoint_url}?{query_twice}")[0] == 400
    # not HTTP at all (a TLS hello): http.server answers in HTTP/0.9 style, without a status line
    assert b"Bad request" in raw(endpoint_url, b"\x16\x03\x01garbage that is not HTTP\r\n\r\n")
    assert raw(endpoint_url, b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n").startswith(
        b"HTTP/1.1 400"
    )
    assert raw(endpoint_url, b"POST /sparql HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").startswith(
        b"HTTP/1.1 411"
    )
    assert count(endpoint_url) > 1000  # still serving


def test_limits(location: Path) -> None:
    httpd = start(location, server.Limits(timeout=30, max_rows=5))
    try:
        status, _, body = get(httpd.url, "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 5")
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 5
        status, _, body = get(httpd.url, "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 6")
        assert status == 500 and b"more than 5 rows" in body
    finally:
        httpd.shutdown()
        httpd.server_close()
    httpd = start(location, server.Limits(timeout=0.3, max_rows=10**9))
    try:
        status, _, body = get(httpd.url, "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } GRAPH ?h { ?x ?y ?z } }")
        assert status == 503 and b"longer than 0.3 s" in body
        assert get(httpd.url, "ASK {}")[0] == 200
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_negotiate() -> None:
    assert server.negotiate(None) == "json"
    assert server.negotiate("*/*") == "json"
    assert server.negotiate("text/csv;q=0.1, application/sparql-results+xml;q=0.9") == "xml"
    assert server.negotiate("text/html, text/*;q=0.5") == "csv"
    with pytest.raises(server.RequestError):
        server.negotiate("text/html, application/json;q=0")


def test_serve_command_prints_its_url_follows_builds_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside this checkout")
    location = tmp_path / "store"
    build.write(location, build.convert_all([CORPUS / "nxml" / "codeine.nxml"]).loaded)
    env = {**os.environ, "PYTHONPATH": str(DEV)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "livertox_kg", "serve", "--port", "0", "--store", str(location), "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("SPARQL endpoint at http://127.0.0.1:"), line
        url = line.split()[3]
        chapters = "SELECT ?id WHERE { GRAPH ?g { ?c <https://w3id.org/livertox-kg/ontology#chapterId> ?id } }"
        status, _, body = get(url, chapters)
        assert status == 200
        assert [b["id"]["value"] for b in json.loads(body)["results"]["bindings"]] == ["Codeine"]
        built = subprocess.run(
            [
                sys.executable,
                "-m",
                "livertox_kg",
                "build",
                str(CORPUS / "nxml" / "aspirin.nxml"),
                "--store",
                str(location),
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert built.returncode == 0, built.stderr
        status, _, body = get(url, chapters)
        assert sorted(b["id"]["value"] for b in json.loads(body)["results"]["bindings"]) == ["Aspirin", "Codeine"]
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
        assert "stopped" in (proc.stderr.read() if proc.stderr else "")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_serve_refuses_a_missing_store_and_a_busy_port(tmp_path: Path, location: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(DEV)}
    done = subprocess.run(
        [sys.executable, "-m", "livertox_kg", "serve", "--port", "0", "--store", str(tmp_path / "none")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "no store here" in done.stderr and done.stderr.count("\n") == 1
    httpd = start(location)
    try:
        port = str(httpd.server_address[1])
        done = subprocess.run(
            [sys.executable, "-m", "livertox_kg", "serve", "--port", port, "--store", str(location)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in done.stderr
    finally:
        httpd.shutdown()
        httpd.server_close()
