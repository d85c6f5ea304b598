"""``push`` to a real Virtuoso (Debian ``virtuoso-opensource``) on 127.0.0.1, with Digest credentials: every
stored query then gives the embedded store's rows; a second push sends nothing; a graph larger than the
2 MiB body Virtuoso takes arrives whole; a wrong password is refused without being shown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from livertox_kg.cli import main
from livertox_kg.remote.client import MAX_BODY, Client, split_lines
from livertox_kg.resources import sample_names
from tests.support.servers import assert_same_rows
from tests.support.virtuoso import Virtuoso, virtuoso_server

pytestmark = [pytest.mark.server, pytest.mark.slow]

SAMPLE = len(sample_names())
PASSWORD_VAR = "LIVERTOX_TEST_VIRTUOSO_PASSWORD"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    location = tmp_path_factory.mktemp("push") / "store"
    assert main(["build", "--store", str(location)]) == 0
    return location


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_push_to_virtuoso_then_every_stored_query_gives_the_same_rows(
    built: Path, virtuoso: Virtuoso, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSWORD_VAR, virtuoso.password)
    args = [
        "push", "--store", str(built), "--endpoint", virtuoso.sparql_url,
        "--user", virtuoso.user, "--password-env", PASSWORD_VAR,
    ]  # fmt: skip
    code, out, err = run(capsys, *args)
    assert code == 0, err + virtuoso.log()[-2000:]
    assert f"sent        {SAMPLE} chapter graph(s) and the vocabulary and the mappings" in out
    assert "description sent" in out
    assert virtuoso.password not in out + err
    with Client() as client:
        assert assert_same_rows(built, client, virtuoso.sparql_url, "virtuoso") > 100
    # pushing again sends nothing: the server's description and triple counts match the store
    code, out, err = run(capsys, *args)
    assert code == 0, err
    assert "sent        0 chapter graph(s)\n" in out and f"unchanged   {SAMPLE + 2} graph(s)" in out


def test_a_graph_larger_than_a_request_body_arrives_whole(virtuoso: Virtuoso) -> None:
    """Virtuoso 7 hangs up on a request body over 2 MiB (the LiverTox table of contents is 6.5 MB): a graph is
    sent in parts of at most MAX_BODY, a PUT and then POSTs, and replaces what the graph held."""
    lines = [f'<http://example.org/s{n}> <http://example.org/p> "{"x" * 60} {n}" .\n'.encode() for n in range(70_000)]
    body = b"".join(lines)
    assert len(body) > 2 * (2 << 20) and MAX_BODY <= 2 << 20
    graph = "http://example.org/large"
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    with Client(virtuoso.user, virtuoso.password, retries=1) as client:
        assert client.send_graph(
            virtuoso.graph_store_url, graph, b"<http://example.org/old> <http://example.org/p> 1 .\n"
        )
        requests = client.send_graph(virtuoso.graph_store_url, graph, body, replace=True)
        assert requests == len(split_lines(body, MAX_BODY)) > 2
        assert int(client.query(virtuoso.sparql_url, count).rows[0][0].value) == len(lines)  # type: ignore[union-attr]


def test_virtuoso_refuses_a_wrong_password_without_showing_it(
    built: Path, virtuoso: Virtuoso, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = "not-the-password-" + virtuoso.password[::-1]
    monkeypatch.setenv("LIVERTOX_TEST_WRONG_PASSWORD", wrong)
    code, out, err = run(
        capsys, "push", "--store", str(built), "--endpoint", virtuoso.sparql_url, "--force",
        "--user", virtuoso.user, "--password-env", "LIVERTOX_TEST_WRONG_PASSWORD",
    )  # fmt: skip
    assert code == 2, out + err
    assert "401" in err and "check --user and the password" in err and err.count("\n") == 1
    assert wrong not in out + err and virtuoso.password not in out + err
