"""Publish the store to a SPARQL server through the SPARQL 1.1 Graph Store Protocol, only what changed.

Each named graph (each chapter, the vocabulary) that changed is sent, then the dataset description:
``PUT`` replaces a graph, so pushing twice gives the same server contents. What changed is read from the
server itself (:mod:`livertox_kg.remote.plan`). How it is made fast (``bench/bench_push.py`` measures a push
of the 1,140-chapter scale store against one bulk upload of the same N-Quads to the same server):

- every request goes over a kept-alive connection (:mod:`livertox_kg.remote.client`);
- a graph the server holds nothing of is sent by ``POST`` (which adds to a graph) instead of ``PUT``: the
  same result, and an Oxigraph server stores it in one transaction instead of two (23.7 s instead of
  35.8 s for the whole store's graphs, one at a time);
- the graphs' N-Triples are read from the store by a thread of their own (pyoxigraph lets go of the
  interpreter meanwhile) while the graph before is on its way, a few graphs ahead;
- one graph at a time (:data:`SENDERS`; ``--parallel N``), two on a Virtuoso server
  (:data:`VIRTUOSO_SENDERS`): two at once took 33.7 s there instead of 45.1 s, and were 25-30% slower
  on an Oxigraph server, whose concurrent write transactions collide;
- the Graph Store Protocol names one graph per request, so graphs cannot share a request; a graph over
  :data:`~livertox_kg.remote.client.MAX_BODY` goes in several (a ``PUT``, then ``POST``\\ s);
- except on an Oxigraph server (its ``Server`` header says so): there the graphs it holds nothing of (at
  least :data:`BULK_MIN`: a first push) go as N-Quads to its bulk loader (``POST /store?no_transaction``,
  no graph named: the quads name their graphs), streamed from the store as it is read, in
  :data:`BULK_STREAMS` requests at once. That loader is not atomic: a request that fails leaves part of
  its graphs on the server, so those graphs are then sent one by one by ``PUT``, which replaces them.

The description goes last, and only when every graph went: a description on the server always lists
checksums of graphs that are there, so a push that failed half-way is completed by the next one. Server
errors are retried by the client; refused credentials stop the push at once.

Credentials: a user name on the command line, the password in an environment variable (or typed at a
prompt); never in a URL, never printed.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future, ThreadPoolExecutor, as_completed, wait
from dataclasses import dataclass, field
from typing import Final

import pyoxigraph as ox

from livertox_kg.rdf.vocab import DESCRIPTION_GRAPH, MAPPING_GRAPH, VOCAB_GRAPH
from livertox_kg.remote.client import Client, RequestFailed, redacted, url_problem
from livertox_kg.remote.plan import Plan, PublishError, plan
from livertox_kg.store import description as dataset

SENDERS: Final = 1  # graphs sent at once by default (``--parallel``): see above
VIRTUOSO_SENDERS: Final = 2  # the same, on a Virtuoso server
BULK_MIN: Final = 8  # new graphs from which an Oxigraph server gets them by its bulk loader
BULK_STREAMS: Final = 2  # N-Quads requests at once to it (scale store, prototype: 1: 16.3 s, 2: 12.0, 3: 12.5)
READERS: Final = 2  # threads reading those graphs from the store (one: 10.9 s for them, two: 7.3 s)
NQUADS: Final = "application/n-quads"
LOOKAHEAD: Final = 8  # graphs read from the store ahead of the one being sent
TIMEOUT: Final = 120.0  # seconds to wait for an answer: a server may take long over a large graph

# How each server makes its default graph the union of the named graphs: the stored queries name their
# graphs and do not need it, a user's own queries may (two lines of ``push --help``).
UNION_DEFAULT_GRAPH: Final = (
    "union default graph: Oxigraph 'oxigraph serve --union-default-graph'; Virtuoso and GraphDB: by default;\n"
    "Jena Fuseki/TDB2: 'tdb2:unionDefaultGraph true' on the tdb2:DatasetTDB2 of the assembler file"
)

# What a first push to an Oxigraph server does (``push --help``).
BULK_PATH: Final = (
    f"On an Oxigraph server (its Server header says so), {BULK_MIN} or more graphs it holds nothing of (a first\n"
    "push) go to its bulk loader as N-Quads ('POST /store?no_transaction'), streamed from the store; that\n"
    "loader is not atomic, so graphs of a request that failed are then sent one by one by PUT, which replaces."
)

__all__ = ["PublishError", "PushReport", "Target", "default_graph_store", "push"]


@dataclass(frozen=True)
class Target:
    endpoint: str  # SPARQL 1.1 query endpoint
    graph_store: str  # SPARQL 1.1 Graph Store Protocol endpoint

    def __post_init__(self) -> None:
        for url in (self.endpoint, self.graph_store):
            problem = url_problem(url)
            if problem == "not an http(s) URL":
                raise PublishError(f"{url}: {problem}")
            if problem is not None:
                raise PublishError(f"{redacted(url)}: {problem}; use --user and --password-env VAR")


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


@dataclass
class PushReport:
    sent: list[str] = field(default_factory=list)  # graph IRIs
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # graph IRI -> last error
    description_sent: bool = False
    requests: int = 0  # Graph Store requests made (PUT, POST, DELETE)
    bulk: int = 0  # graphs sent to the server's bulk loader
    bulk_failed: str = ""  # why a bulk request failed (its graphs were then sent one by one)

    @property
    def ok(self) -> bool:
        return not self.failed


Progress = Callable[[int, str], None]


def push(
    store: ox.Store,
    client: Client,
    target: Target,
    progress_for: Callable[[int], Progress | None] | None = None,
    force: bool = False,
    senders: int | None = None,
) -> PushReport:
    """Send what changed; the report says what went, what did not, and why.

    ``progress_for(steps)`` may return a callback told of each step done (a progress bar); ``senders``:
    graphs sent at once (default: by the server, see above).
    """
    try:
        todo = plan(store, client, target.endpoint, force)
    except RequestFailed as exc:
        raise PublishError(f"{target.endpoint}: {exc.detail}") from None
    kind = server_kind(client, target.graph_store) if todo.send else ""
    run = _Push(store, client, target, todo)
    run.progress = progress_for(run.steps) if progress_for is not None and run.steps else None
    new = [g for g in todo.send if g not in todo.held]
    if kind == "oxigraph" and len(new) >= BULK_MIN:
        run.bulk(new)
    run.graphs(senders or (VIRTUOSO_SENDERS if kind == "virtuoso" else SENDERS))
    if todo.description_stale:
        run.description()
    return run.report


def server_kind(client: Client, url: str) -> str:
    """``"oxigraph"``, ``"virtuoso"`` or ``""``: what the ``Server`` header of the host of ``url`` names (a
    ``HEAD`` asks when the plan's queries went to another host)."""
    if client.server(url) is None:
        with contextlib.suppress(RequestFailed):
            client.request("HEAD", url)
    name = (client.server(url) or "").lower()
    return next((kind for kind in ("oxigraph", "virtuoso") if name.startswith(f"{kind}/")), "")


class _Bodies:
    """The N-Triples (``quads``: N-Quads) of the graphs to send, read from the store in sending order by
    ``readers`` threads of their own while the graphs before them are on their way, at most
    :data:`LOOKAHEAD` ahead of the sending."""

    def __init__(self, store: ox.Store, graphs: Sequence[str], readers: int = 1, quads: bool = False) -> None:
        self._store, self._quads = store, quads
        self._slots = threading.Semaphore(LOOKAHEAD * readers)
        self._stop = threading.Event()
        self._reader = ThreadPoolExecutor(readers)
        self._futures = {g: self._reader.submit(self._read, g) for g in graphs}

    def _read(self, graph: str) -> bytes:
        while not self._slots.acquire(timeout=0.1):
            if self._stop.is_set():
                raise CancelledError(graph)  # never an empty body: a PUT of one would empty the graph
        try:
            data = dataset.graph_ntriples(self._store, graph)
        except BaseException:
            self._slots.release()
            raise
        # N-Triples lines end with " .\n" and nowhere else (a line break in a literal is written \n): the
        # graph's name goes before it
        return data.replace(b" .\n", f" {ox.NamedNode(graph)} .\n".encode()) if self._quads else data

    def take(self, graph: str) -> bytes:
        """The graph's N-Triples; call :meth:`sent` once they are sent (or failed)."""
        return self._futures.pop(graph).result()

    def sent(self) -> None:
        self._slots.release()

    def drop(self, graphs: Sequence[str]) -> None:
        """Graphs that will not be taken (their stream failed): not read, or their slots given back once read."""
        for graph in graphs:
            future = self._futures.pop(graph, None)
            if future is not None and not future.cancel():
                future.add_done_callback(lambda f: None if f.cancelled() or f.exception() else self._slots.release())

    def close(self) -> None:
        self._stop.set()
        self._reader.shutdown(wait=True, cancel_futures=True)


class _Push:
    """One push under way: its plan, its report, its progress."""

    def __init__(self, store: ox.Store, client: Client, target: Target, todo: Plan) -> None:
        self.store, self.client, self.target, self.todo = store, client, target, todo
        self.report = PushReport(unchanged=todo.same)
        self.steps = len(todo.remove) + len(todo.send) + (1 if todo.description_stale else 0)
        self.progress: Progress | None = None
        self.done = 0
        self._lock = threading.Lock()  # ticks come from the bulk streams' threads too

    def _tick(self, graph: str) -> None:
        with self._lock:
            self.done += 1
            if self.progress is not None:
                self.progress(self.done, graph.rsplit("/", 1)[-1])

    def bulk(self, graphs: list[str]) -> None:
        """Send ``graphs`` (the server holds nothing of them) to an Oxigraph server's bulk loader, in
        :data:`BULK_STREAMS` N-Quads streams at once. A stream that fails may have left part of its graphs
        there: they are marked held, so that :meth:`graphs` sends them by ``PUT``, which replaces."""
        sep = "&" if "?" in self.target.graph_store else "?"
        url = f"{self.target.graph_store}{sep}no_transaction"
        shares = [graphs[k::BULK_STREAMS] for k in range(BULK_STREAMS)]
        ticked = [0] * len(shares)
        bodies = _Bodies(self.store, graphs, READERS, quads=True)  # read in the order the streams take them
        streams = [self._stream(share, bodies, ticked, k) for k, share in enumerate(shares)]
        with ThreadPoolExecutor(len(shares)) as pool:
            try:
                started = {pool.submit(self.client.post_stream, url, s, NQUADS): k for k, s in enumerate(streams)}
                for future in as_completed(started):
                    k = started[future]
                    streams[k].close()  # a stream cut short gives back the graphs it did not take
                    try:
                        future.result()
                    except RequestFailed as exc:
                        if exc.refused:
                            raise self._refusal(exc) from None
                        self.report.bulk_failed = exc.detail
                        self.todo.held.update(shares[k])
                        with self._lock:
                            self.done -= ticked[k]  # they are counted again when sent one by one
                        continue
                    self.report.sent += shares[k]
                    self.report.bulk += len(shares[k])
                    self.report.requests += 1
            finally:  # refused: the other streams stop at their next graph
                bodies.close()

    def _stream(self, graphs: list[str], bodies: _Bodies, ticked: list[int], k: int) -> Generator[bytes, None, None]:
        try:
            for graph in graphs:
                try:
                    yield bodies.take(graph)
                finally:
                    bodies.sent()
                self._tick(graph)
                ticked[k] += 1
        finally:
            bodies.drop(graphs[ticked[k] + 1 :])  # the one being sent when cut short was taken

    def graphs(self, senders: int) -> None:
        """Delete and send the graphs of the plan, ``senders`` at once; stop at once when refused."""
        taken = set(self.report.sent)  # by the bulk loader
        send = [g for g in self.todo.send if g not in taken]
        actions = [("delete", g) for g in self.todo.remove] + [("send", g) for g in send]
        bodies = _Bodies(self.store, send)
        pending: dict[Future[int], tuple[str, str]] = {}
        with ThreadPoolExecutor(max(1, senders)) as pool:
            try:
                pending = {pool.submit(self._requests, kind, g, bodies): (kind, g) for kind, g in actions}
                while pending:
                    finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in finished:
                        self._record(future, *pending.pop(future))
            finally:  # refused (or interrupted): what has not started does not start
                for future in pending:
                    future.cancel()
                bodies.close()

    def _record(self, future: Future[int], kind: str, graph: str) -> None:
        self._tick(graph)
        try:
            self.report.requests += future.result()
        except RequestFailed as exc:
            if exc.refused:
                raise self._refusal(exc) from None
            self.report.failed[graph] = exc.detail
            return
        (self.report.removed if kind == "delete" else self.report.sent).append(graph)

    def description(self) -> None:
        """The description, last, and only when every graph went: it lists only graphs the server has."""
        if not self.report.failed:
            try:
                self.report.requests += self._requests("send", DESCRIPTION_GRAPH, None)
                self.report.description_sent = True
            except RequestFailed as exc:
                if exc.refused:
                    raise self._refusal(exc) from None
                self.report.failed[DESCRIPTION_GRAPH] = exc.detail
        self._tick(DESCRIPTION_GRAPH)

    def _requests(self, kind: str, graph: str, bodies: _Bodies | None) -> int:
        """One step's requests (in a sending thread for the graphs); how many were made."""
        if kind == "delete":
            self.client.delete_graph(self.target.graph_store, graph)
            return 1
        if bodies is None:
            body = dataset.graph_ntriples(self.store, graph)
            return self.client.send_graph(self.target.graph_store, graph, body, replace=graph in self.todo.held)
        try:
            body = bodies.take(graph)
            return self.client.send_graph(self.target.graph_store, graph, body, replace=graph in self.todo.held)
        finally:
            bodies.sent()

    def _refusal(self, exc: RequestFailed) -> PublishError:
        hint = "check --user and the password" if exc.status == 401 else "the server refuses to store graphs"
        done = len(self.report.sent) + len(self.report.removed)
        return PublishError(
            f"{self.target.graph_store}: {exc.detail}; {hint}; stopped with {done} of {self.steps} graph(s) sent"
        )


# the graphs that are not a chapter's, by the name the summary gives them
_SHARED: Final = {VOCAB_GRAPH: "vocabulary", MAPPING_GRAPH: "mappings"}


def _name(graph: str, chapter_of: dict[str, str]) -> str:
    return _SHARED.get(graph) or chapter_of.get(graph, graph.rsplit("/", 1)[-1])


def summary_lines(report: PushReport, chapter_of: dict[str, str]) -> list[str]:
    chapters_sent = sum(1 for g in report.sent if g not in _SHARED)
    extra = "".join(f" and the {name}" for g, name in _SHARED.items() if g in report.sent)
    lines = [
        f"sent        {chapters_sent} chapter graph(s){extra}",
        f"unchanged   {len(report.unchanged)} graph(s)",
        f"removed     {len(report.removed)} graph(s) the store no longer has",
        f"description {'sent' if report.description_sent else 'not sent' if report.failed else 'unchanged'}",
    ]
    if report.bulk:
        lines.append(f"bulk        {report.bulk} of them by the server's bulk loader")
    if report.bulk_failed:
        lines.append(f"bulk        a request failed ({report.bulk_failed}); its graphs were sent one by one")
    if report.failed:
        names = ", ".join(_name(g, chapter_of) for g in sorted(report.failed))
        lines.append(f"NOT SENT    {len(report.failed)} graph(s): {names}")
    return lines


def chapter_names(store: ox.Store) -> dict[str, str]:
    return dataset.chapter_graphs(store)


def describe_failures(report: PushReport, chapter_of: dict[str, str]) -> Sequence[str]:
    out = []
    for graph, error in sorted(report.failed.items()):
        label = _SHARED.get(graph) or f"chapter {chapter_of.get(graph, graph)}"
        out.append(f"{label} ({graph}): {error}")
    return out
