"""Publish the store to a SPARQL server through the SPARQL 1.1 Graph Store Protocol.

One HTTP ``PUT`` per named graph (each chapter, the vocabulary), then one for the dataset description:
``PUT`` replaces a graph, so pushing twice gives the same server contents.

What the server already has is read from the server itself, not from a file on this machine: the dataset
description pushed last (``graph/dataset-description``) lists every graph with its checksum, and a
``COUNT`` per graph says what is really there. A graph is sent when its checksum differs from the one the
server's description lists, or when the server does not hold as many triples as it should (a graph deleted
or edited by hand on the server). A ledger kept beside the store would go wrong as soon as the server is
reset, restored from a backup, or fed by another machine; the server's own description cannot.

The description goes last, and only when every graph went: a description on the server always lists
checksums of graphs that are there, so a push that failed half-way is completed by the next one. Graphs the
server's description lists that the store no longer has are deleted (only those: the server may hold
other data). Server errors (5xx, 408, 429, connection failures) are retried a bounded number of times;
refused credentials stop the push at once.

Credentials: a user name on the command line, the password in an environment variable (or typed at a
prompt); never in a URL, never printed.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Final

import pyoxigraph as ox
from livertox_kg.errors import EXIT_BAD_INPUT, LivertoxError
from livertox_kg.rdf import vocab
from livertox_kg.rdf.vocab import DESCRIPTION_GRAPH, GRAPH, VOCAB_GRAPH
from livertox_kg.store import description as dataset

RETRY_STATUS: Final = frozenset({408, 429, 500, 502, 503, 504})
CONTENT_TYPE: Final = "application/n-triples"


class PublishError(LivertoxError):
    """The server cannot be used: unreachable, credentials refused, not a SPARQL endpoint."""

    exit_code = EXIT_BAD_INPUT


@dataclass(frozen=True)
class Target:
    endpoint: str  # SPARQL 1.1 query endpoint
    graph_store: str  # SPARQL 1.1 Graph Store Protocol endpoint
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        for url in (self.endpoint, self.graph_store):
            parts = urllib.parse.urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise PublishError(f"{url}: not an http(s) URL")
            if parts.username or parts.password:
                raise PublishError(
                    f"{parts.scheme}://{parts.hostname}...: credentials in a URL are refused;"
                    " use --user and --password-env VAR"
                )


def default_graph_store(endpoint: str, with_user: bool) -> str:
    """The Graph Store Protocol URL beside a query endpoint, by the servers' conventions.

    Oxigraph ``.../query`` -> ``.../store``; Virtuoso ``.../sparql`` -> ``.../sparql-graph-crud-auth`` (or
    ``-crud`` without a user); any other URL is taken to serve both protocols.
    """
    base, _, last = endpoint.rstrip("/").rpartition("/")
    if last == "query":
        return f"{base}/store"
    if last == "sparql":
        return f"{base}/sparql-graph-crud-auth" if with_user else f"{base}/sparql-graph-crud"
    return endpoint


class _Failed(Exception):
    def __init__(self, message: str, retry: bool, refused: bool = False) -> None:
        super().__init__(message)
        self.retry = retry
        self.refused = refused  # 401 / 403: no other request will fare better


class Client:
    """SPARQL query and Graph Store Protocol requests, with bounded retries."""

    def __init__(self, target: Target, timeout: float = 120.0, retries: int = 3, backoff: float = 0.5) -> None:
        self.target = target
        self.timeout = timeout
        self.retries = max(1, retries)
        self.backoff = backoff
        handlers: list[urllib.request.BaseHandler] = []
        if target.user is not None:
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in (target.endpoint, target.graph_store):
                manager.add_password(None, url, target.user, target.password or "")
            handlers += [urllib.request.HTTPDigestAuthHandler(manager), urllib.request.HTTPBasicAuthHandler(manager)]
        self._opener = urllib.request.build_opener(*handlers)

    def _once(self, request: urllib.request.Request) -> bytes:
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                body: bytes = response.read()
                return body
        except urllib.error.HTTPError as exc:
            detail = " ".join(exc.read(300).decode("utf-8", "replace").split())[:200]
            message = f"HTTP {exc.code} {exc.reason}" + (f": {detail}" if detail else "")
            raise _Failed(message, exc.code in RETRY_STATUS, refused=exc.code in (401, 403)) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise _Failed(f"cannot connect: {reason}", retry=True) from None

    def request(self, method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> bytes:
        """One request, retried on server errors; raises ``_Failed`` with the last error."""
        last: _Failed | None = None
        for attempt in range(self.retries):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
            try:
                return self._once(request)
            except _Failed as exc:
                last = exc
                if not exc.retry:
                    break
        assert last is not None
        tries = f" (after {self.retries} tries)" if last.retry else ""
        raise _Failed(f"{last}{tries}", last.retry, last.refused)

    def select(self, query: str) -> tuple[list[str], list[dict[str, dict[str, str]]]]:
        """A SELECT query through the SPARQL protocol: variables and JSON bindings."""
        body = urllib.parse.urlencode({"query": query}).encode()
        headers = {
            "Accept": "application/sparql-results+json",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        data = self.request("POST", self.target.endpoint, body, headers)
        try:
            doc = json.loads(data)
            return list(doc["head"]["vars"]), list(doc["results"]["bindings"])
        except (ValueError, KeyError, TypeError):
            raise _Failed(f"{self.target.endpoint}: the answer is not SPARQL JSON results", retry=False) from None

    def graph_url(self, graph: str) -> str:
        sep = "&" if "?" in self.target.graph_store else "?"
        return f"{self.target.graph_store}{sep}{urllib.parse.urlencode({'graph': graph})}"

    def put_graph(self, graph: str, ntriples: bytes) -> None:
        self.request("PUT", self.graph_url(graph), ntriples, {"Content-Type": CONTENT_TYPE})

    def delete_graph(self, graph: str) -> None:
        try:
            self.request("DELETE", self.graph_url(graph))
        except _Failed as exc:
            if "HTTP 404" not in str(exc):
                raise


# --------------------------------------------------------------------------------------------------


@dataclass
class PushReport:
    sent: list[str] = field(default_factory=list)  # graph IRIs
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # graph IRI -> last error
    description_sent: bool = False

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass(frozen=True)
class RemoteState:
    checksums: dict[str, str]  # graph IRI -> checksum the server's description lists
    counts: dict[str, int]  # graph IRI -> triples the server holds
    version: str | None


def _value(binding: dict[str, dict[str, str]], name: str) -> str:
    return binding[name]["value"] if name in binding else ""


def remote_state(client: Client) -> RemoteState:
    desc = f"<{DESCRIPTION_GRAPH}>"
    _, rows = client.select(
        f"SELECT ?g ?sum WHERE {{ GRAPH {desc} {{ ?g <{vocab.SPDX.checksum}> ?k ."
        f" ?k <{vocab.SPDX.checksumValue}> ?sum }} }}"
    )
    checksums = {_value(r, "g"): _value(r, "sum") for r in rows}
    _, rows = client.select(
        f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }}"
        f" FILTER(STRSTARTS(STR(?g), {json.dumps(GRAPH)})) }} GROUP BY ?g"
    )
    counts = {_value(r, "g"): int(_value(r, "n") or 0) for r in rows}
    _, rows = client.select(
        f"SELECT ?v WHERE {{ GRAPH {desc} {{ ?x <{vocab.DCTERMS.isVersionOf}> <{dataset.SUMMARY}> ;"
        f" <{vocab.PAV.version}> ?v }} }}"
    )
    return RemoteState(checksums, counts, _value(rows[0], "v") if rows else None)


def local_version(store: ox.Store) -> str | None:
    rows = store.query(
        f"SELECT ?v WHERE {{ GRAPH <{DESCRIPTION_GRAPH}> {{ ?x <{vocab.DCTERMS.isVersionOf}>"
        f" <{dataset.SUMMARY}> ; <{vocab.PAV.version}> ?v }} }}"
    )
    assert isinstance(rows, ox.QuerySolutions)
    for sol in rows:
        return str(sol["v"].value)
    return None


def _graph_bytes(store: ox.Store, graph: str) -> bytes:
    return dataset.graph_ntriples(store, graph)


def plan(store: ox.Store, remote: RemoteState) -> tuple[list[str], list[str], list[str]]:
    """(graphs to send, graphs up to date, graphs to delete on the server)."""
    records = dataset.read_records(store)
    if not records.graphs:
        raise PublishError("the store has no dataset description; run 'livertox-kg build' again to write it")
    send, same = [], []
    for graph in sorted(records.graphs, key=lambda g: (g != VOCAB_GRAPH, g)):
        record = records.graphs[graph]
        if remote.checksums.get(graph) == record.sha256 and remote.counts.get(graph) == record.triples:
            same.append(graph)
        else:
            send.append(graph)
    remove = sorted(g for g in remote.checksums if g not in records.graphs and g != DESCRIPTION_GRAPH)
    return send, same, remove


def push(
    store: ox.Store,
    client: Client,
    progress_for: Callable[[int], Callable[[int, str], None] | None] | None = None,
    force: bool = False,
) -> PushReport:
    """Send what changed; the report says what went, what did not, and why.

    ``progress_for(steps)`` may return a callback told of each step (a progress bar).
    """
    try:
        remote = remote_state(client)
    except _Failed as exc:
        raise PublishError(f"{client.target.endpoint}: {exc}") from None
    send, same, remove = plan(store, remote)
    if force:
        send, same = send + same, []
    report = PushReport(unchanged=same)
    version = local_version(store)
    description_stale = bool(send or remove) or remote.version != version
    steps: list[tuple[str, str]] = [("delete", g) for g in remove] + [("put", g) for g in send]
    if description_stale:
        steps.append(("put", DESCRIPTION_GRAPH))
    progress = progress_for(len(steps)) if progress_for is not None and steps else None
    for n, (action, graph) in enumerate(steps, 1):
        if progress is not None:
            progress(n, graph.rsplit("/", 1)[-1])
        if graph == DESCRIPTION_GRAPH and report.failed:
            continue  # the description only lists graphs that are on the server
        try:
            if action == "delete":
                client.delete_graph(graph)
                report.removed.append(graph)
            else:
                client.put_graph(graph, _graph_bytes(store, graph))
                if graph == DESCRIPTION_GRAPH:
                    report.description_sent = True
                else:
                    report.sent.append(graph)
        except _Failed as exc:
            if exc.refused:
                refused = "the server refuses to store graphs"
                hint = "check --user and the password" if "HTTP 401" in str(exc) else refused
                done = len(report.sent) + len(report.removed)
                raise PublishError(
                    f"{client.target.graph_store}: {exc}; {hint}; stopped with {done} of {len(steps)} graph(s) sent"
                ) from None
            report.failed[graph] = str(exc)
    return report


def summary_lines(report: PushReport, chapter_of: dict[str, str]) -> list[str]:
    def name(graph: str) -> str:
        return "vocabulary" if graph == VOCAB_GRAPH else chapter_of.get(graph, graph.rsplit("/", 1)[-1])

    chapters_sent = sum(1 for g in report.sent if g != VOCAB_GRAPH)
    extra = " and the vocabulary" if VOCAB_GRAPH in report.sent else ""
    lines = [
        f"sent        {chapters_sent} chapter graph(s){extra}",
        f"unchanged   {len(report.unchanged)} graph(s)",
        f"removed     {len(report.removed)} graph(s) the store no longer has",
        f"description {'sent' if report.description_sent else 'not sent' if report.failed else 'unchanged'}",
    ]
    if report.failed:
        names = ", ".join(name(g) for g in sorted(report.failed))
        lines.append(f"NOT SENT    {len(report.failed)} graph(s): {names}")
    return lines


def chapter_names(store: ox.Store) -> dict[str, str]:
    return dataset.chapter_graphs(store)


def describe_failures(report: PushReport, chapter_of: dict[str, str]) -> Sequence[str]:
    out = []
    for graph, error in sorted(report.failed.items()):
        label = "vocabulary" if graph == VOCAB_GRAPH else f"chapter {chapter_of.get(graph, graph)}"
        out.append(f"{label} ({graph}): {error}")
    return out
