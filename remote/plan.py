"""What a push has to do: what the server holds (read from the server itself) against what the store holds.

The dataset description pushed last (``graph/dataset-description``) lists every graph with its checksum,
and a ``COUNT`` per graph says what is really there. A graph is sent when its checksum differs from the one
the server's description lists, or when the server does not hold as many triples as it should (a graph
deleted or edited by hand on the server). A ledger kept beside the store would go wrong as soon as the
server is reset, restored from a backup, or fed by another machine; the server's own description cannot.
Graphs the server's description lists that the store no longer has are deleted (only those: the server may
hold other data).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pyoxigraph as ox

from livertox_kg.errors import EXIT_BAD_INPUT, LivertoxError
from livertox_kg.queries.results import Results
from livertox_kg.rdf import vocab
from livertox_kg.rdf.vocab import DESCRIPTION_GRAPH, GRAPH, VOCAB_GRAPH
from livertox_kg.remote.client import Client
from livertox_kg.store import description as dataset


class PublishError(LivertoxError):
    """The server cannot be used: unreachable, credentials refused, not a SPARQL endpoint."""

    exit_code = EXIT_BAD_INPUT


@dataclass(frozen=True)
class RemoteState:
    checksums: dict[str, str]  # graph IRI -> checksum the server's description lists
    counts: dict[str, int]  # graph IRI -> triples the server holds
    version: str | None  # the version of the description the server holds


@dataclass
class Plan:
    send: list[str] = field(default_factory=list)  # graphs to send (the vocabulary first)
    same: list[str] = field(default_factory=list)  # graphs the server holds as the store does
    remove: list[str] = field(default_factory=list)  # graphs to delete on the server
    held: set[str] = field(default_factory=set)  # graphs the server holds triples in (sent by PUT, others by POST)
    description_stale: bool = False  # the server's description is not the store's


def _checksums_query() -> str:
    return (
        f"SELECT ?g ?sum WHERE {{ GRAPH <{DESCRIPTION_GRAPH}> {{ ?g <{vocab.SPDX.checksum}> ?k ."
        f" ?k <{vocab.SPDX.checksumValue}> ?sum }} }}"
    )


def _counts_query() -> str:
    # Every graph's count; the client keeps those under graph/. A filter on the graph name in the query costs
    # more than counting: on the scale store Virtuoso took 4.5-9 s with it (inside or after the grouping)
    # and 0.3 s without, an Oxigraph server 3.6 s with it inside, 0.7-0.9 s after, 0.7 s without.
    return "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def _version_query() -> str:
    return (
        f"SELECT ?v WHERE {{ GRAPH <{DESCRIPTION_GRAPH}> {{ ?x <{vocab.DCTERMS.isVersionOf}>"
        f" <{dataset.SUMMARY}> ; <{vocab.PAV.version}> ?v }} }}"
    )


def _value(term: object) -> str | None:
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else None


def _pairs(results: Results) -> dict[str, str]:
    """The first two columns of each row, as text (rows with either unbound left out)."""
    pairs = ((_value(row[0]), _value(row[1])) for row in results.rows)
    return {a: b for a, b in pairs if a is not None and b is not None}


def _remote_state(pool: ThreadPoolExecutor, client: Client, endpoint: str) -> RemoteState:
    """What the server at ``endpoint`` holds: its description's checksums and version, its triple counts (the
    three queries at once: the count, which reads every statement, takes most of the time)."""
    checksums, counts, version = (
        pool.submit(client.query, endpoint, text) for text in (_checksums_query(), _counts_query(), _version_query())
    )
    return RemoteState(
        _pairs(checksums.result()),
        {g: int(n or 0) for g, n in _pairs(counts.result()).items() if g.startswith(GRAPH)},
        next((v for r in version.result().rows if (v := _value(r[0])) is not None), None),
    )


def local_version(store: ox.Store) -> str | None:
    """The version of the store's own description."""
    rows = store.query(_version_query())
    assert isinstance(rows, ox.QuerySolutions)
    for sol in rows:
        return str(sol["v"].value)
    return None


def plan(store: ox.Store, client: Client, endpoint: str, force: bool = False) -> Plan:
    """What to send, what is up to date, what to delete (``force``: send every graph).

    The server is asked while the store's own records are read. :class:`RequestFailed` when the server
    cannot be asked, :class:`PublishError` when the store has no description.
    """
    with ThreadPoolExecutor(4) as pool:
        asked = pool.submit(_remote_state, pool, client, endpoint)
        records, version = dataset.read_records(store), local_version(store)
        remote = asked.result()
    if not records.graphs:
        raise PublishError("the store has no dataset description; run 'livertox-kg build' again to write it")
    out = Plan(held=set(remote.counts))
    for graph in sorted(records.graphs, key=lambda g: (g != VOCAB_GRAPH, g)):
        record = records.graphs[graph]
        same = remote.checksums.get(graph) == record.sha256 and remote.counts.get(graph) == record.triples
        (out.same if same and not force else out.send).append(graph)
    out.remove = sorted(g for g in remote.checksums if g not in records.graphs and g != DESCRIPTION_GRAPH)
    out.description_stale = bool(out.send or out.remove) or remote.version != version
    return out
