"""``livertox-kg serve``: the stock Oxigraph server behind our front, tested with real SPARQL clients
(SPARQLWrapper, rdflib's SPARQLStore), builds committed while it serves, the timeout, the prefixes."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from livertox_kg.store import build as build_mod
from tests.conftest import DEV, SAMPLES, chapter_file
from tests.support.servers import Serve, livertox_serve
from tests.support.stores import build_store, read_only

pytestmark = pytest.mark.server

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CHAPTER_IDS = "SELECT ?id WHERE { GRAPH ?g { ?c ltx:chapterId ?id } } ORDER BY ?id"
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def location(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory, SAMPLES)


@pytest.fixture(scope="module")
def served(location: Path) -> Iterator[Serve]:
    with livertox_serve(location) as server:
        yield server


def get(
    url: str, accept: str | None = None, data: bytes | None = None, ctype: str | None = None
) -> tuple[int, str, bytes]:
    headers = {k: v for k, v in (("Accept", accept), ("Content-Type", ctype)) if v}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers), timeout=60) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def ask(server: Serve, query: str, accept: str = "application/sparql-results+json") -> tuple[int, str, bytes]:
    return get(f"{server.query_url}?{urllib.parse.urlencode({'query': query})}", accept)


def rows(server: Serve, query: str) -> list[dict[str, str]]:
    status, _, body = ask(server, query)
    assert status == 200, body
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(body)["results"]["bindings"]]


def test_sparql_protocol_with_sparqlwrapper(served: Serve) -> None:
    """GET, POST form and POST direct; SELECT in JSON, XML, CSV, TSV; ASK; CONSTRUCT and DESCRIBE as graphs."""
    query = "SELECT ?id WHERE { ?c a ltx:Chapter ; ltx:chapterId ?id } ORDER BY ?id"
    answers = []
    for method, request in (("GET", None), ("POST", "postdirectly"), ("POST", "urlencoded")):
        client = SPARQLWrapper(served.query_url)
        client.setQuery(query)
        client.setMethod(method)
        if request:
            client.setRequestMethod(request)
        client.setReturnFormat(JSON)
        answers.append([b["id"]["value"] for b in client.queryAndConvert()["results"]["bindings"]])  # type: ignore[index,call-overload]
    assert answers[0] == answers[1] == answers[2] and len(answers[0]) == 14 and "Codeine" in answers[0]
    client = SPARQLWrapper(served.query_url)
    client.setQuery(query)
    for fmt, check in (
        (XML, lambda r: r.getElementsByTagName("result")),
        (CSV, bytes.splitlines),
        (TSV, bytes.splitlines),
    ):
        client.setReturnFormat(fmt)
        assert len(check(client.queryAndConvert())) in (14, 15)  # TSV and CSV add their header line
    client.setQuery("ASK { ?c ltx:chapterId 'Codeine' }")
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["boolean"] is True  # type: ignore[index,call-overload]


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld")],
)
def test_construct_and_describe_by_accept(served: Serve, accept: str, rdflib_format: str) -> None:
    agent = "https://w3id.org/livertox-kg/id/agent/codeine"
    for query in (f"CONSTRUCT {{ <{agent}> ?p ?o }} WHERE {{ <{agent}> ?p ?o }}", f"DESCRIBE <{agent}>"):
        status, ctype, body = ask(served, query, accept)
        assert status == 200 and ctype.startswith(accept), (ctype, body[:200])
        graph = rdflib.Graph().parse(data=body, format=rdflib_format)
        assert (rdflib.URIRef(agent), rdflib.RDFS.label, rdflib.Literal("Codeine")) in graph


def test_rdflib_sparqlstore_and_the_union_default_graph(served: Serve, location: Path) -> None:
    """The default graph is the union of the chapter graphs. Oxigraph's union is a bag of the graphs'
    statements: COUNT(*) counts a triple once per graph that states it (the number of quads, which is also
    what ``stats`` calls triples), DISTINCT counts each triple once. GRAPH ?g still names each graph."""
    store = read_only(location)
    quads = list(store.quads_for_pattern(None, None, None, None))
    distinct = {q.triple for q in quads}
    assert len(distinct) < len(quads)  # agents and cited works are stated by several chapters
    remote = rdflib.Graph(SPARQLStore(served.query_url, returnFormat="json"))
    assert int(next(iter(remote.query(COUNT)))[0]) == len(quads)  # type: ignore[index]
    once = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
    assert int(next(iter(remote.query(once)))[0]) == len(distinct)  # type: ignore[index]
    graphs = {g.value for g in store.named_graphs()}  # type: ignore[union-attr]
    served_graphs = {r["g"] for r in rows(served, "SELECT DISTINCT ?g WHERE { GRAPH ?g {} }")}
    assert served_graphs == graphs and len(graphs) >= 16


def test_malformed_queries_and_updates(served: Serve) -> None:
    status, ctype, body = ask(served, "SELECT * WHERE { ?s ?p }")
    assert status == 400 and ctype.startswith("text/plain") and body.startswith(b"error at 1:")
    client = SPARQLWrapper(served.query_url)
    client.setQuery("SELECT * WHERE { ?s ?p }")
    with pytest.raises(QueryBadFormed):
        client.query()
    update = "INSERT DATA { GRAPH <http://x/g> { <http://x/s> <http://x/p> <http://x/o> } }"
    form = urllib.parse.urlencode({"update": update}).encode()
    for data, ctype in ((form, "application/x-www-form-urlencoded"), (update.encode(), "application/sparql-update")):
        status, _, body = get(f"{served.base}/update", data=data, ctype=ctype)
        assert status == 403 and b"read-only" in body
    assert not rows(served, "SELECT * WHERE { GRAPH <http://x/g> { ?s ?p ?o } }")


def test_prefixes_are_predeclared_only_when_missing(served: Serve) -> None:
    assert len(rows(served, "SELECT ?d WHERE { ?d a ltx:Drug ; rdfs:label 'Codeine' }")) == 1
    # a prefix the query declares wins, even one of ours bound to another namespace
    assert rows(served, "PREFIX ltx: <http://example.org/> SELECT ?d WHERE { ?d a ltx:Drug }") == []
    # POSTed, as a form and directly, and through SPARQLWrapper
    form = urllib.parse.urlencode({"query": "ASK { ?d a ltx:Drug }"}).encode()
    status, _, body = get(served.query_url, "application/json", form, "application/x-www-form-urlencoded")
    assert status == 200 and json.loads(body)["boolean"] is True
    status, _, body = get(served.query_url, "application/json", b"ASK { ?d a ltx:Drug }", "application/sparql-query")
    assert status == 200 and json.loads(body)["boolean"] is True
    # an unknown prefix is still Oxigraph's error
    status, _, body = ask(served, "SELECT ?d WHERE { ?d a nope:Drug }")
    assert status == 400 and b"Prefix not found" in body


def test_the_query_ui_and_its_files_are_oxigraphs(served: Serve) -> None:
    status, ctype, body = get(f"{served.base}/", "text/html")
    assert status == 200 and ctype.startswith("text/html") and b"yasgui" in body.lower()
    status, ctype, _ = get(f"{served.base}/yasgui.min.js")
    assert status == 200 and "javascript" in ctype


def test_a_query_past_the_timeout_gets_503_and_the_server_goes_on(location: Path) -> None:
    with livertox_serve(location, "--timeout", "1") as server:
        started = time.monotonic()
        status, ctype, body = ask(server, CROSS)
        took = time.monotonic() - started
        assert status == 503 and b"longer than 1 s" in body and ctype.startswith("text/plain")
        assert 1 <= took < 4
        assert rows(server, "SELECT ?id WHERE { ?c ltx:chapterId 'Codeine' ; ltx:chapterId ?id }") == [
            {"id": "Codeine"}
        ]
        # the Oxigraph process that ran the query is stopped, not left computing
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _oxigraph_processes(server) > 1:
            time.sleep(0.2)
        assert _oxigraph_processes(server) == 1


def test_a_dead_oxigraph_server_is_replaced(location: Path) -> None:
    """The Oxigraph process dies (killed): a request meanwhile gets 502 or an answer, never a hang, and within a
    few seconds a new server answers, on a kept-alive connection too."""
    with livertox_serve(location) as server:
        parts = urllib.parse.urlsplit(server.base)
        conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
        target = f"{urllib.parse.urlsplit(server.query_url).path}?{urllib.parse.urlencode({'query': 'ASK {}'})}"
        conn.request("GET", target)
        assert conn.getresponse().read() and _oxigraph_processes(server) == 1
        for pid in _oxigraph_pids(server):
            os.kill(pid, signal.SIGKILL)
        statuses = []
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                conn.request("GET", target)
                response = conn.getresponse()
                response.read()
                statuses.append(response.status)
                if response.status == 200:
                    break
            except (ConnectionError, http.client.HTTPException):
                conn.close()  # a cut connection: open another
            time.sleep(0.1)
        assert statuses and statuses[-1] == 200, statuses
        assert set(statuses) <= {200, 502}, statuses
        codeine = "SELECT ?id WHERE { ?c ltx:chapterId 'Codeine' ; ltx:chapterId ?id }"
        assert rows(server, codeine) == [{"id": "Codeine"}]


def _oxigraph_pids(server: Serve) -> list[int]:
    """The Oxigraph servers ``serve`` runs: its child processes (started by any of its threads)."""
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            status = (entry / "status").read_text()
            cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:  # not a process, or one that ended meanwhile
            continue
        parent = next((line.split()[1] for line in status.splitlines() if line.startswith("PPid:")), "")
        if parent == str(server.process.pid) and "oxigraph" in cmdline and "(zombie)" not in status:
            pids.append(int(entry.name))
    return pids


def _oxigraph_processes(server: Serve) -> int:
    return len(_oxigraph_pids(server))


def _build(location: Path, *sources: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(DEV)}
    done = subprocess.run(
        [sys.executable, "-m", "livertox_kg", "build", *map(str, sources), "--store", str(location)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr


def test_builds_are_served_within_5_s_never_half_built(tmp_path: Path) -> None:
    """Three builds while serving (the third prunes the generation served first); a reader asking all along
    only ever sees a committed graph, and each new one within 5 s of its commit."""
    location = tmp_path / "store"
    chapters = [chapter_file(f"nxml/{name}.nxml") for name in ("codeine", "aspirin", "metoprolol", "aldesleukin")]
    build_mod.build(location, chapters[:1], validate=False)
    counts = {int(next(iter(read_only(location).query(COUNT, use_default_graph_as_union=True)))["n"].value)}  # type: ignore[index]
    seen: set[int] = set()
    stop = threading.Event()
    with livertox_serve(location) as server:

        def reader() -> None:
            while not stop.is_set():
                seen.add(int(rows(server, COUNT)[0]["n"]))

        thread = threading.Thread(target=reader, daemon=True)
        thread.start()
        for n in range(2, 5):
            _build(location, chapters[n - 1])
            committed = time.monotonic()
            store = read_only(location)
            counts.add(int(next(iter(store.query(COUNT, use_default_graph_as_union=True)))["n"].value))  # type: ignore[index]
            while len(rows(server, CHAPTER_IDS)) < n:
                assert time.monotonic() - committed < 5, "the new generation was not served within 5 s"
                time.sleep(0.05)
        stop.set()
        thread.join()
        assert not (location / "gen-000001").exists()  # pruned by the third build, while it was served
        assert seen <= counts and len(seen) >= 3
        time.sleep(3)  # the old servers stop and their snapshots go once their connections are closed
        assert len(list((location / "serving").iterdir())) == 1
        assert _oxigraph_processes(server) == 1


def test_sigint_stops_everything(tmp_path: Path, location: Path) -> None:
    with livertox_serve(location) as server:
        assert ask(server, "ASK {}")[0] == 200
        mine = f"{server.process.pid}-"
        assert [p for p in (location / "serving").iterdir() if p.name.startswith(mine)]
        server.process.send_signal(signal.SIGINT)
        assert server.process.wait(timeout=30) == 0
        assert "stopped" in (server.process.stderr.read() if server.process.stderr else "")
    assert not [p for p in (location / "serving").iterdir() if p.name.startswith(mine)]


def test_serve_refuses_a_missing_store_and_a_busy_port(tmp_path: Path, served: Serve) -> None:
    env = {**os.environ, "PYTHONPATH": str(DEV)}
    command = [sys.executable, "-m", "livertox_kg", "serve", "--port"]
    done = subprocess.run([*command, "0", "--store", str(tmp_path / "none")], env=env, capture_output=True, text=True)
    assert done.returncode == 2 and "no store here" in done.stderr and done.stderr.count("\n") == 1
    port = urllib.parse.urlsplit(served.base).port
    done = subprocess.run(
        [*command, str(port), "--store", str(served.location)], env=env, capture_output=True, text=True
    )
    assert done.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert ask(served, "ASK {}")[0] == 200  # the server on that port is unharmed
