"""``push`` to a real Oxigraph server (PyPI ``oxigraph``) on 127.0.0.1. After a push every stored query gives
the same rows on the server as on the embedded store; a second push sends nothing; after one chapter changed
only its graph and the description go (requests counted by a proxy); server errors are retried and then
reported with the chapters that did not go; credentials never show. Virtuoso: ``test_push_virtuoso.py``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from livertox_kg.cli import main
from livertox_kg.rdf import iris
from livertox_kg.rdf.vocab import DESCRIPTION_GRAPH, MAPPING_GRAPH, VOCAB_GRAPH
from livertox_kg.remote import push
from livertox_kg.remote.client import Client
from livertox_kg.resources import sample_names
from livertox_kg.store import description as dataset
from livertox_kg.store import generations as store
from tests.conftest import DEV
from tests.support.servers import assert_same_rows, free_port, oxigraph_server, proxy_server

pytestmark = pytest.mark.server

SAMPLE = len(sample_names())  # chapters in the shipped sample (one file each)
COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
SENDING = ("PUT", "POST")  # a graph the server does not hold goes by POST, one it holds by PUT


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    location = tmp_path_factory.mktemp("push") / "store"
    assert main(["build", "--store", str(location)]) == 0
    return location


@pytest.fixture
def own_store(built: Path, tmp_path: Path) -> Path:
    """A copy of the built store that a test may build into."""
    copy = tmp_path / "store"
    shutil.copytree(built, copy, symlinks=True)
    return copy


@pytest.fixture
def client() -> Any:
    with Client() as c:
        yield c


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def oxigraph_args(server: Any) -> list[str]:
    return ["--endpoint", server.query_url, "--graph-store", server.store_url]


def sent_graphs(attempts: Counter[tuple[str, str]]) -> dict[str, int]:
    return {g: n for (m, g), n in attempts.items() if m in SENDING and g}


def test_push_to_oxigraph_then_every_stored_query_gives_the_same_rows(
    built: Path, tmp_path: Path, client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    with oxigraph_server(tmp_path / "server") as server:
        code, out, err = run(capsys, "push", "--store", str(built), "--endpoint", server.query_url)  # /store guessed
        assert code == 0, err
        assert f"sent        {SAMPLE} chapter graph(s) and the vocabulary and the mappings" in out
        assert "description sent" in out
        assert assert_same_rows(built, client, server.query_url) > 100
        # every statement is on the server, the description's too
        local = sum(1 for _ in store.open_read_only(built).quads_for_pattern(None, None, None, None))
        remote = client.query(server.query_url, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert int(remote.rows[0][0].value) == local  # type: ignore[union-attr]


def test_second_push_sends_nothing_and_force_changes_nothing(
    built: Path, tmp_path: Path, client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    with oxigraph_server(tmp_path / "server") as server:
        args = ["push", "--store", str(built), *oxigraph_args(server)]
        assert run(capsys, *args)[0] == 0
        before = sorted(map(str, client.query(server.query_url, COUNTS).rows))
        code, out, _ = run(capsys, *args)
        assert code == 0
        assert "sent        0 chapter graph(s)\n" in out and f"unchanged   {SAMPLE + 2} graph(s)" in out
        assert "description unchanged" in out
        code, out, _ = run(capsys, *args, "--force")
        assert code == 0 and f"sent        {SAMPLE} chapter graph(s) and the vocabulary and the mappings" in out
        after = sorted(map(str, client.query(server.query_url, COUNTS).rows))
        assert before == after, "PUT replaces: pushing again changes nothing"


def test_after_one_chapter_changed_only_its_graph_and_the_description_are_sent(
    own_store: Path, corpus: Path, tmp_path: Path, client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    with oxigraph_server(tmp_path / "server") as server, proxy_server(server.base, lambda *_: None) as (url, proxy):
        args = ["push", "--store", str(own_store), "--endpoint", f"{url}/query"]
        assert run(capsys, *args)[0] == 0
        recorded = dataset.read_records(store.open_read_only(own_store)).graphs
        assert set(sent_graphs(proxy.attempts)) == {*recorded, DESCRIPTION_GRAPH}
        edited = tmp_path / "codeine.nxml"
        edited.write_bytes(
            (corpus / "nxml" / "codeine.nxml").read_bytes().replace(b"Liklihood score: E", b"Liklihood score: D")
        )
        assert main(["build", "--store", str(own_store), str(edited)]) == 0
        capsys.readouterr()
        proxy.attempts.clear()
        code, out, _ = run(capsys, *args)
        assert code == 0
        assert "sent        1 chapter graph(s)\n" in out and f"unchanged   {SAMPLE + 1} graph(s)" in out
        # exactly two Graph Store requests, each a PUT (the server holds both graphs); the rest are 3 queries
        assert proxy.graph_requests() == Counter({("PUT", iris.graph("Codeine")): 1, ("PUT", DESCRIPTION_GRAPH): 1})
        assert proxy.attempts - proxy.graph_requests() == Counter({("POST", ""): 3})
        assert_same_rows(own_store, client, server.query_url)
        # a graph deleted on the server by hand is noticed and sent again
        assert client.delete_graph(server.store_url, iris.graph("Severity"))
        code, out, _ = run(capsys, *args)
        assert code == 0 and "sent        1 chapter graph(s)\n" in out
        assert_same_rows(own_store, client, server.query_url)


def test_several_senders_give_the_same_server_contents(
    built: Path, tmp_path: Path, client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    with oxigraph_server(tmp_path / "server") as server:
        code, out, err = run(capsys, "push", "--store", str(built), *oxigraph_args(server), "--parallel", "3")
        assert code == 0, err
        assert f"sent        {SAMPLE} chapter graph(s) and the vocabulary and the mappings" in out
        assert "description sent" in out
        assert_same_rows(built, client, server.query_url)
    assert run(capsys, "push", "--store", str(built), *oxigraph_args(server), "--parallel", "0")[0] == 2


def test_server_errors_are_retried(
    built: Path, tmp_path: Path, client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    def first_send_fails(method: str, graph: str, attempt: int) -> int | None:
        return 503 if method in SENDING and graph and attempt == 1 else None

    with oxigraph_server(tmp_path / "server") as server, proxy_server(server.base, first_send_fails) as (url, proxy):
        code, out, err = run(capsys, "push", "--store", str(built), "--endpoint", f"{url}/query")
        assert code == 0, err
        assert f"sent        {SAMPLE} chapter graph(s) and the vocabulary and the mappings" in out
        sends = sent_graphs(proxy.attempts)
        assert len(sends) == SAMPLE + 3 and set(sends.values()) == {2}, "each failed once and went on the second try"
        assert_same_rows(built, client, server.query_url)


def test_a_chapter_that_does_not_go_is_reported_and_the_next_push_completes(
    built: Path, tmp_path: Path, client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    codeine = iris.graph("Codeine")

    def codeine_always_fails(method: str, graph: str, attempt: int) -> int | None:
        return 503 if method in SENDING and graph == codeine else None

    with oxigraph_server(tmp_path / "server") as server:
        with proxy_server(server.base, codeine_always_fails) as (url, proxy):
            code, out, err = run(capsys, "push", "--store", str(built), "--endpoint", f"{url}/query", "--retries", "2")
            assert code == 1
            assert "NOT SENT    1 graph(s): Codeine" in out
            assert "description not sent" in out
            line = next(x for x in err.splitlines() if "Codeine" in x)
            assert "HTTP 503" in line and "after 2 tries" in line
            assert sent_graphs(proxy.attempts)[codeine] == 2
            assert DESCRIPTION_GRAPH not in sent_graphs(proxy.attempts), "no description for a partial push"
        # nothing on the server claims Codeine: it is absent, and no description lists it
        for graph in (codeine, DESCRIPTION_GRAPH):
            assert not client.query(
                server.query_url, f"SELECT * WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} LIMIT 1"
            ).rows
        code, out, err = run(capsys, "push", "--store", str(built), *oxigraph_args(server))
        assert code == 0, err
        assert_same_rows(built, client, server.query_url)


def test_read_only_server_sends_nothing_and_says_so(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "server"
    with oxigraph_server(folder):
        pass  # create an empty database
    with oxigraph_server(folder, read_only=True) as server:
        code, out, err = run(capsys, "push", "--store", str(built), *oxigraph_args(server))
    assert code == 2 and out == ""
    assert "HTTP 403" in err and "read-only" in err and f"stopped with 0 of {SAMPLE + 3} graph(s) sent" in err
    assert err.count("\n") == 1


def test_unreachable_server_is_exit_2(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    port = free_port()
    code, out, err = run(capsys, "push", "--store", str(built), "--endpoint", f"http://127.0.0.1:{port}/query")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "cannot connect" in err and f"127.0.0.1:{port}" in err


def test_credentials_rules(built: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    base = ["push", "--store", str(built), "--endpoint", "http://127.0.0.1:9/query"]
    monkeypatch.delenv("LIVERTOX_TEST_NO_SUCH_VAR", raising=False)
    code, _, err = run(capsys, *base, "--user", "u", "--password-env", "LIVERTOX_TEST_NO_SUCH_VAR")
    assert code == 2 and "LIVERTOX_TEST_NO_SUCH_VAR" in err and "is not set" in err
    code, _, err = run(capsys, *base, "--password-env", "HOME")
    assert code == 2 and "--password-env needs --user" in err
    code, _, err = run(capsys, "push", "--store", str(built), "--endpoint", "http://u:secret-pw@127.0.0.1:9/query")
    assert code == 2 and "credentials in a URL are refused" in err and "secret-pw" not in err
    # no terminal (pytest's stdin), no variable: refused rather than waiting for a prompt
    code, _, err = run(capsys, *base, "--user", "u")
    assert code == 2 and "--password-env" in err


def test_progress_bar_only_on_a_terminal(built: Path, tmp_path: Path) -> None:
    """Run as a subprocess with stderr not a terminal: no bar, the summary on stdout."""
    with oxigraph_server(tmp_path / "server") as server:
        env = {**os.environ, "PYTHONPATH": str(DEV)}
        done = subprocess.run(
            [sys.executable, "-m", "livertox_kg", "push", "--store", str(built), *oxigraph_args(server)],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and "\r" not in done.stdout
    assert done.stdout.splitlines()[0].startswith("sent ")


def test_help_says_how_to_get_the_union_default_graph(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["push", "--help"])
    out = capsys.readouterr().out
    for server, how in (
        ("Oxigraph", "--union-default-graph"),
        ("Virtuoso", "by default"),
        ("Fuseki/TDB2", "unionDefaultGraph"),
        ("GraphDB", "by default"),
    ):
        assert server in out and how in out


def test_default_graph_store_urls() -> None:
    assert push.default_graph_store("http://h:7878/query", False) == "http://h:7878/store"
    assert push.default_graph_store("http://h:8890/sparql", True) == "http://h:8890/sparql-graph-crud-auth"
    assert push.default_graph_store("http://h:8890/sparql/", False) == "http://h:8890/sparql-graph-crud"
    assert push.default_graph_store("http://h/ds/both", False) == "http://h/ds/both"


def test_push_uses_the_store_records(built: Path) -> None:
    """The graphs pushed are exactly those the description records: chapters, the vocabulary, the mappings."""
    records = dataset.read_records(store.open_read_only(built))
    assert {VOCAB_GRAPH, MAPPING_GRAPH} <= set(records.graphs) and len(records.graphs) == SAMPLE + 2


def test_graphs_the_store_no_longer_has_are_removed(
    built: Path, tmp_path: Path, client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    from livertox_kg.store.convert import default_sources

    small = tmp_path / "small"
    codeine = next(p for p in default_sources() if p.name == "codeine.nxml")
    assert main(["build", "--store", str(small), str(codeine)]) == 0
    with oxigraph_server(tmp_path / "server") as server:
        assert run(capsys, "push", "--store", str(built), *oxigraph_args(server))[0] == 0
        code, out, err = run(capsys, "push", "--store", str(small), *oxigraph_args(server))
        assert code == 0, err
        assert f"removed     {SAMPLE - 1} graph(s)" in out and "unchanged   2 graph(s)" in out
        assert "sent        0 chapter graph(s) and the mappings" in out  # only Codeine's cross-references
        assert "description sent" in out
        graphs = {str(r[0].value) for r in client.query(server.query_url, COUNTS).rows if r[0] is not None}
        assert graphs == {iris.graph("Codeine"), VOCAB_GRAPH, MAPPING_GRAPH, DESCRIPTION_GRAPH}
        assert_same_rows(small, client, server.query_url)
