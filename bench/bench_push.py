#!/usr/bin/env python
"""Benchmark ``livertox-kg push`` at archive scale, against one bulk upload of the same N-Quads to the same server.

Run from the repository root (Oxigraph server from PyPI ``oxigraph``, Debian ``virtuoso-opensource``)::

    python bench/bench_push.py [--chapters 1140] [--servers oxigraph,virtuoso] [--rounds 3] [--sweep 1,2]
                               [--out bench/out]

Steps, all in one run:

1. The scale corpus of ``bench_build.py`` (N real chapters and renamed copies) is built into a store, with a
   snapshot of the code (``--live``: the working tree), and the store is dumped once as N-Quads (untimed).
2. For each server, each measurement on a fresh, empty server (``tests/support``'s fixtures, 127.0.0.1):

   a. floor: one bulk upload of that N-Quads file. Oxigraph: ``POST /store`` with the whole file (one
      transaction), ``POST /store?no_transaction`` (its bulk loader), and the file in two halves POSTed to
      it at once (two requests, as ``push`` sends them); Virtuoso: its bulk loader (``ld_dir`` +
      ``rdf_loader_run`` + ``checkpoint`` over ``isql``: the Graph Store Protocol cannot take it, one graph a
      request and at most 2 MiB a body), and the HTTP floor: the same graphs by the simplest client
      (``http.client``, bodies read from the store beforehand and cut as ``push`` cuts them, one Graph Store
      ``POST`` per body to the unauthenticated ``/sparql-graph-crud``, on one and on two connections);
   b. ``push`` (the CLI in a fresh process), the first one: every graph;
   c. ``push`` again, nothing changed;
   d. one chapter edited and built again, then ``push``: that graph and the description;
   e. with ``--sweep``: the first push again with each ``--parallel`` given.

   Floors and first push are measured ``--rounds`` times (default 3), a round being each floor and then a
   first push, so that what else runs on a shared machine falls on both alike; the table gives the median
   and the minimum. The transactional Oxigraph upload and the one-connection Virtuoso HTTP floor run once.

   Wall time is ``time.perf_counter`` around each subprocess or request (interpreter start-up included).
3. Prints a table, checks the targets (first push <= 2x one bulk upload of the file: Oxigraph's
   ``?no_transaction``, Virtuoso's file loader; unchanged push <= 2 s), gives the ratio to every floor, and
   writes ``OUT/push.json``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.support: the servers the tests start
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "dev"))  # which import the working tree's package
import bench_build  # the scale corpus and the code snapshot are shared

from tests.support.servers import oxigraph_server
from tests.support.virtuoso import virtuoso_server

REPO = bench_build.REPO
TARGET_FLOOR_RATIO = 2.0
TARGET_UNCHANGED_S = 2.0
PASSWORD_VAR = "LIVERTOX_BENCH_PASSWORD"


class Server:
    """How to start one kind of server, reach it, and bulk-load a file into it."""

    def __init__(self, name: str, start: Callable[[Path], AbstractContextManager[Any]]) -> None:
        self.name = name
        self.start = start

    def urls(self, server: Any) -> tuple[str, str, str | None]:
        """(query endpoint, graph store, user) of a started server."""
        if self.name == "oxigraph":
            return server.query_url, server.store_url, None
        return server.sparql_url, server.graph_store_url, server.user


SERVERS = {
    "oxigraph": Server("oxigraph", lambda folder: oxigraph_server(folder / "db")),
    "virtuoso": Server("virtuoso", lambda folder: virtuoso_server(folder)),
}


# the machine's CPU seconds (every process, 2 CPUs give up to 2 a second) during the last timed() call, and
# the load before it: on a shared machine a wall time is only as good as what else ran meanwhile
LAST: dict[str, float] = {}


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    LAST["load_before"] = os.getloadavg()[0]
    busy = bench_build._busy_cpu_s()
    t = time.perf_counter()
    value = fn()
    seconds = time.perf_counter() - t
    LAST["machine_cpu_s"] = bench_build._busy_cpu_s() - busy
    return seconds, value


def note(what: str, value: Any) -> Any:
    """Say what was measured on stderr as it comes (a run takes minutes)."""
    print(f"  {what}: {value}", file=sys.stderr, flush=True)
    return value


def oxigraph_upload(server: Any, nquads: Path, query: str = "") -> float:
    """``POST /store`` of the whole N-Quads file in one request; seconds."""
    host, port = server.base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=3600)
    headers = {"Content-Type": "application/n-quads", "Content-Length": str(nquads.stat().st_size)}
    with nquads.open("rb") as body:
        seconds, response = timed(lambda: _post(connection, f"/store{query}", body, headers))
    if response.status >= 300:
        raise SystemExit(f"POST /store{query}: HTTP {response.status}")
    return seconds


def _post(connection: http.client.HTTPConnection, path: str, body: Any, headers: dict[str, str]) -> Any:
    connection.request("POST", path, body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    return response


def oxigraph_upload_halves(server: Any, nquads: Path) -> float:
    """The file cut in two at a line end, both halves POSTed to ``/store?no_transaction`` at once; seconds."""
    data = nquads.read_bytes()
    cut = data.index(b"\n", len(data) // 2) + 1
    host, port = server.base.removeprefix("http://").split(":")

    def post(body: bytes) -> Any:
        connection = http.client.HTTPConnection(host, int(port), timeout=3600)
        headers = {"Content-Type": "application/n-quads", "Content-Length": str(len(body))}
        return _post(connection, "/store?no_transaction", body, headers)

    with ThreadPoolExecutor(2) as pool:
        seconds, responses = timed(lambda: list(pool.map(post, [data[:cut], data[cut:]])))
    if any(r.status >= 300 for r in responses):
        raise SystemExit(f"POST /store?no_transaction: HTTP {[r.status for r in responses]}")
    return seconds


def graph_bodies(store: Path) -> list[list[bytes]]:
    """Each graph's N-Triples as ``push`` sends them (cut at MAX_BODY), read beforehand: the HTTP floor's bodies."""
    import pyoxigraph as ox

    from livertox_kg.remote.client import MAX_BODY, split_lines

    current = ox.Store.read_only(str(store / os.readlink(store / "current")))
    out = []
    for graph in sorted(g.value for g in current.named_graphs()):
        data = current.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))
        out.append([urllib.parse.urlencode({"graph": graph}).encode(), *split_lines(data or b"", MAX_BODY)])
    return out


def virtuoso_gsp(server: Any, bodies: list[list[bytes]], connections: int) -> float:
    """The simplest Graph Store client: one ``POST`` per prepared body, one graph at a time per connection, to
    ``/sparql-graph-crud`` (the unauthenticated path, allowed for the bench by a grant); seconds."""
    done = server.sql('grant SPARQL_UPDATE to "SPARQL";')
    if done.returncode != 0:
        raise SystemExit(f"virtuoso: grant failed: {done.stdout[-300:]}")
    host, port = server.base.removeprefix("http://").split(":")
    local = threading.local()

    def send(graph: list[bytes]) -> None:
        if not hasattr(local, "connection"):
            local.connection = http.client.HTTPConnection(host, int(port), timeout=600)
        path = "/sparql-graph-crud?" + graph[0].decode()
        for body in graph[1:]:
            answer = _post(local.connection, path, body, {"Content-Type": "application/n-triples"})
            if answer.status >= 300:
                raise SystemExit(f"virtuoso: POST {path}: HTTP {answer.status}")

    with ThreadPoolExecutor(connections) as pool:
        seconds, _ = timed(lambda: list(pool.map(send, bodies)))
    return seconds


def store_read(store: Path) -> dict[str, float]:
    """Reading every graph the way a first push to Oxigraph does (pyoxigraph's N-Triples dump per graph, two
    threads, made N-Quads), with no server: what the push pays that an upload of a ready file does not."""
    import pyoxigraph as ox

    current = ox.Store.read_only(str(store / os.readlink(store / "current")))
    graphs = sorted(g.value for g in current.named_graphs())

    def read(graph: str) -> int:
        data = current.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph)) or b""
        return len(data.replace(b" .\n", f" <{graph}> .\n".encode()))

    cpu = time.process_time()
    with ThreadPoolExecutor(2) as pool:
        seconds, sizes = timed(lambda: sum(pool.map(read, graphs)))
    return note("store read", {"seconds": seconds, "cpu_s": time.process_time() - cpu, "bytes": sizes, **LAST})


def virtuoso_bulk_load(server: Any, nquads: Path) -> float:
    """Virtuoso's bulk loader over the N-Quads file (in a folder it may read); seconds."""
    local = server.folder / nquads.name
    shutil.copyfile(nquads, local)

    def load() -> None:
        for statement in (
            f"ld_dir('{server.folder}', '{nquads.name}', 'urn:bench:default');",
            "rdf_loader_run();",
            "checkpoint;",
        ):
            done = server.sql(statement, timeout=3600)
            if done.returncode != 0 or "Error" in done.stdout:
                raise SystemExit(f"virtuoso: {statement} failed: {done.stdout[-300:]} {done.stderr[-300:]}")

    seconds, _ = timed(load)
    local.unlink()
    return seconds


# Each server's floors: label -> how to measure it on a fresh server (the target's floor first).
FLOORS: dict[str, dict[str, Callable[[Any, Path, Callable[[], list[list[bytes]]]], float]]] = {
    "oxigraph": {
        "POST /store?no_transaction (bulk loader), the file": lambda s, nq, _: oxigraph_upload(
            s, nq, "?no_transaction"
        ),
        "POST /store (one transaction), the file": lambda s, nq, _: oxigraph_upload(s, nq),
        "2 x POST /store?no_transaction at once, half the file each": lambda s, nq, _: oxigraph_upload_halves(s, nq),
    },
    "virtuoso": {
        "bulk loader (ld_dir + rdf_loader_run + checkpoint), the file": lambda s, nq, _: virtuoso_bulk_load(s, nq),
        "HTTP floor: GSP POST per graph, bodies ready, 1 connection": lambda s, _, b: virtuoso_gsp(s, b(), 1),
        "HTTP floor: GSP POST per graph, bodies ready, 2 connections": lambda s, _, b: virtuoso_gsp(s, b(), 2),
    },
}


# floors measured in the first round only (long, and not what a target is measured against)
ONCE = {"POST /store (one transaction), the file", "HTTP floor: GSP POST per graph, bodies ready, 1 connection"}


def floors(kind: Server, nquads: Path, store: Path, work: Path, first_round: bool) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    prepared: list[list[list[bytes]]] = []

    def bodies() -> list[list[bytes]]:
        if not prepared:
            prepared.append(graph_bodies(store))
        return prepared[0]

    for label, measure in FLOORS[kind.name].items():
        if label in ONCE and not first_round:
            continue
        folder = Path(tempfile.mkdtemp(dir=work, prefix=f"{kind.name}-floor-"))
        with kind.start(folder) as server:
            if "bodies ready" in label:
                bodies()  # untimed
            out[label] = {"seconds": measure(server, nquads, bodies), **LAST}
        shutil.rmtree(folder, ignore_errors=True)
    return note("floors", out)


def summarised(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median of some runs (wall and machine CPU), their minimum, every run, the first one's summary."""
    return {
        "seconds": statistics.median(r["seconds"] for r in runs),
        "min": min(r["seconds"] for r in runs),
        "machine_cpu_s": statistics.median(r["machine_cpu_s"] for r in runs),
        "summary": runs[0].get("summary", []),
        "runs": runs,
    }


def push_cli(
    code: Path, store: Path, urls: tuple[str, str, str | None], password: str | None, parallel: int | None = None
) -> dict[str, Any]:
    """``livertox-kg push`` in a fresh process (its defaults, or ``--parallel``): wall time and its summary."""
    endpoint, graph_store, user = urls
    argv = [sys.executable, "-m", "livertox_kg", "push", "--store", str(store), "--endpoint", endpoint]
    argv += ["--parallel", str(parallel)] if parallel else []
    argv += ["--graph-store", graph_store] + (["--user", user, "--password-env", PASSWORD_VAR] if user else [])
    env = {**os.environ, "PYTHONPATH": str(code), PASSWORD_VAR: password or ""}
    seconds, done = timed(lambda: subprocess.run(argv, env=env, capture_output=True, text=True, timeout=3600))
    if done.returncode != 0:
        raise SystemExit(f"push failed ({done.returncode}): {done.stderr[-1000:]}")
    result = {"seconds": seconds, "summary": done.stdout.splitlines(), **LAST}
    return note("push", {**result, "summary": result["summary"][:1]}) and result


def edit_one_chapter(chapters: Path, work: Path) -> Path:
    """A copy of one chapter with one likelihood score changed (or, failing that, its title)."""
    source = chapters / "codeine.nxml"
    if not source.exists():
        source = sorted(chapters.glob("*.nxml"))[0]
    data = source.read_bytes()
    edited = data.replace(b"Liklihood score: E", b"Liklihood score: D", 1)
    if edited == data:
        edited = data.replace(b"</title>", b" (edited)</title>", 1)
    target = work / "edited" / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(edited)
    return target


def build(code: Path, sources: list[Path], store: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(code)}
    argv = [sys.executable, "-m", "livertox_kg", "build", *map(str, sources), "--store", str(store)]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise SystemExit(f"build failed ({done.returncode}): {done.stderr[-1000:]}")


def measure_server(
    kind: Server, code: Path, store: Path, chapters: Path, nquads: Path, work: Path, sweep: list[int], rounds: int
) -> dict:
    """``rounds`` times the floors, then a first push, each on a fresh server (side by side, so that what else
    runs on the machine falls on both alike); after the first round's push, the unchanged and one-chapter
    pushes on that server; then the sweep."""
    runs: dict[str, list[dict[str, Any]]] = {}
    result: dict[str, Any] = {}
    own = work / f"store-{kind.name}"
    shutil.copytree(store, own, symlinks=True)
    for n in range(rounds):
        for label, measured in floors(kind, nquads, store, work, first_round=n == 0).items():
            runs.setdefault(label, []).append(measured)
        folder = Path(tempfile.mkdtemp(dir=work, prefix=f"{kind.name}-push-"))
        with kind.start(folder) as server:
            urls, password = kind.urls(server), getattr(server, "password", None)
            runs.setdefault("first", []).append(push_cli(code, own if n == 0 else store, urls, password))
            if n == 0:
                result["unchanged"] = push_cli(code, own, urls, password)
                build(code, [edit_one_chapter(chapters, work)], own)
                result["one_chapter"] = push_cli(code, own, urls, password)
        shutil.rmtree(folder, ignore_errors=True)
    result["floors"] = {label: summarised(runs[label]) for label in FLOORS[kind.name]}
    result["first"] = summarised(runs["first"])
    result["sweep"] = []
    for parallel in sweep:
        folder = Path(tempfile.mkdtemp(dir=work, prefix=f"{kind.name}-sweep-"))
        with kind.start(folder) as server:
            run = push_cli(code, store, kind.urls(server), getattr(server, "password", None), parallel)
            result["sweep"].append({"parallel": parallel, **run})
        shutil.rmtree(folder, ignore_errors=True)
    return result


def dump_nquads(store: Path, out: Path) -> int:
    import pyoxigraph as ox

    current = store / os.readlink(store / "current")
    with out.open("wb") as fh:
        ox.Store.read_only(str(current)).dump(fh, format=ox.RdfFormat.N_QUADS)
    return sum(1 for _ in _iter_lines(out))


def _iter_lines(path: Path) -> Iterator[bytes]:
    with path.open("rb") as fh:
        yield from fh


def report(results: dict[str, Any]) -> list[str]:
    lines, checks = [], []
    for name, r in results["servers"].items():
        target = next(iter(r["floors"].values()))["seconds"]  # one bulk upload of the file
        first = r["first"]["seconds"]
        lines.append(f"{name} (median of runs, min):{' ' * (46 - len(name))}wall       min  machine CPU  first / floor")
        for label, f in r["floors"].items():
            ratio = first / f["seconds"]
            lines.append(
                f"  floor  {label:<60} {f['seconds']:7.2f} s {f['min']:6.2f} {f['machine_cpu_s']:7.1f} s  {ratio:.2f}x"
                f" ({len(f['runs'])} run(s))"
            )
        for key in ("first", "unchanged", "one_chapter"):
            sent = next((s for s in r[key]["summary"] if s.startswith("sent")), "")
            low = f"{r[key].get('min', r[key]['seconds']):6.2f}"
            lines.append(
                f"  push   {key:<60} {r[key]['seconds']:7.2f} s {low} {r[key]['machine_cpu_s']:7.1f} s  {sent}"
            )
        for s in r["sweep"]:
            label = f"first push, --parallel {s['parallel']}"
            lines.append(f"  sweep  {label:<60} {s['seconds']:7.2f} s {'':6} {s['machine_cpu_s']:7.1f} s")
        ratio = first / target
        verdict = "ok" if ratio <= TARGET_FLOOR_RATIO else "MISSED"
        checks.append(f"{name}: first push {ratio:.2f}x one bulk upload (target <= {TARGET_FLOOR_RATIO:g}x): {verdict}")
        unchanged = r["unchanged"]["seconds"]
        verdict = "ok" if unchanged <= TARGET_UNCHANGED_S else "MISSED"
        checks.append(f"{name}: unchanged push {unchanged:.2f} s (target <= {TARGET_UNCHANGED_S:g} s): {verdict}")
    return lines + checks


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--chapters", type=int, default=1140, help="chapters in the scale corpus (default 1140)")
    ap.add_argument("--corpus", type=Path, default=bench_build.DEFAULT_CORPUS)
    ap.add_argument("--servers", default="oxigraph,virtuoso", help="comma-separated: oxigraph, virtuoso")
    ap.add_argument("--rounds", type=int, default=3, help="floors and first push, side by side (default 3)")
    ap.add_argument("--sweep", default="", help="also time the first push with these --parallel values (e.g. 1,2,3)")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    ap.add_argument("--live", action="store_true", help="run the working tree instead of a snapshot of it")
    ap.add_argument("--keep", action="store_true", help="keep the temporary corpus and stores")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="livertox-push-bench-"))
    try:
        code, code_record = bench_build.code_under_test(args.live, work)
        corpus = bench_build.make_corpus(args.corpus, args.chapters, work)
        store = work / "store"
        seconds, _ = timed(lambda: build(code, [Path(corpus["folder"])], store))
        nquads = work / "all.nq"
        quads = dump_nquads(store, nquads)
        read = store_read(store)
        results: dict[str, Any] = {
            "corpus": corpus, "code": code_record, "build_seconds": seconds, "quads": quads,
            "nquads_bytes": nquads.stat().st_size, "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
            "store_read": read, "servers": {},
        }  # fmt: skip
        sweep = [int(x) for x in args.sweep.split(",") if x]
        for name in args.servers.split(","):
            results["servers"][name] = measure_server(
                SERVERS[name], code, store, Path(corpus["folder"]), nquads, work, sweep, args.rounds
            )
        lines = report(results)
        print(f"{quads} quads, {results['nquads_bytes'] / 1e6:.0f} MB of N-Quads, {args.chapters} chapters")
        print(f"reading the store as a first push does: {read['seconds']:.2f} s wall, {read['cpu_s']:.1f} s CPU")
        print("\n".join(lines))
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "push.json").write_text(json.dumps({**results, "report": lines}, indent=2) + "\n")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
