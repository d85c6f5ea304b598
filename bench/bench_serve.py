#!/usr/bin/env python
"""Benchmark ``livertox-kg serve`` against the stock ``oxigraph serve-read-only`` on the same store, in one run.

Run from the repository root::

    python bench/bench_serve.py [--store S | --chapters 1140] [--seconds 5] [--rounds 3] [--out bench/out]

* The store: ``--store S`` (built by ``livertox-kg build DIR --store S``), else the scale corpus of
  ``bench_build.make_corpus`` (``--chapters``, default 1,140) is built into a temporary store.
* Both servers run at once on 127.0.0.1: ``livertox-kg serve --port 0`` (its front and its Oxigraph) and
  ``oxigraph serve-read-only --union-default-graph`` on a backup of the same generation (as ``serve`` does;
  without ``--timeout-s``: with it, Oxigraph 0.5 keeps one sleeping thread per query for the whole timeout
  and dies past ~30,000 of them, see ``remote/serve_backends.py``).
* The load: N keep-alive clients (threads, ``http.client``), each asking in a loop for 20 drug labels
  (``SELECT ?d ?label WHERE { ?d a ltx:Drug ; rdfs:label ?label } LIMIT 20``, prefixes declared, JSON), for
  ``--seconds``, at N = 1, 4 and 16. Each round measures both servers, alternating which goes first, and
  the table reports the median of the rounds: throughput (requests/s), p50 and p99 latency, and the median
  of each round's ratio ours/stock (targets: throughput >= 0.8x, p99 <= 1.5x). The CPU that other processes
  used meanwhile is printed too: on a shared machine the ratios are only as good as that is small.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
QUERY = (
    "PREFIX ltx: <https://w3id.org/livertox-kg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "SELECT ?d ?label WHERE { ?d a ltx:Drug ; rdfs:label ?label } LIMIT 20"
)
PATH = "/query?" + urllib.parse.urlencode({"query": QUERY})
LEVELS = (1, 4, 16)


def load(port: int, clients: int, seconds: float) -> dict[str, float]:
    latencies: list[float] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def client() -> None:
        try:
            run()
        except BaseException as exc:
            errors.append(exc)

    def run() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        end = time.perf_counter() + seconds
        while True:  # at least one request
            start = time.perf_counter()
            conn.request("GET", PATH, headers={"Accept": "application/sparql-results+json"})
            response = conn.getresponse()
            body = response.read()
            if response.status != 200 or b'"bindings"' not in body:
                raise RuntimeError(f"{response.status}: {body[:200]!r}")
            mine.append(time.perf_counter() - start)
            if start + mine[-1] >= end:
                break
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * latencies[len(latencies) // 2],
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
    }


def other_cpu_seconds(own: list[int]) -> float:
    """CPU seconds (user+system) all processes but ``own`` have used since boot."""
    total = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) not in own:
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def start_stock(exe: str, store: Path, work: Path) -> tuple[subprocess.Popen[bytes], int]:
    import pyoxigraph as ox

    copy = work / "stock"
    ox.Store.read_only(str((store / "current").resolve())).backup(str(copy))
    port = _free_port()
    proc = subprocess.Popen(
        [exe, "serve-read-only", "--location", str(copy), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait(port)
    return proc, port


def start_ours(store: Path) -> tuple[subprocess.Popen[str], int]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "dev")}
    command = [sys.executable, "-m", "livertox_kg", "serve", "--port", "0", "--store", str(store)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    port = int(urllib.parse.urlsplit(line.split()[3]).port or 0)
    _wait(port)
    return proc, port


def _children(pid: int) -> list[int]:
    """The processes ``pid`` started, from any of its threads (which come and go: read ``PPid`` instead)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            status = (entry / "status").read_text()
        except OSError:  # not a process, or one that ended
            continue
        if any(line.split() == ["PPid:", str(pid)] for line in status.splitlines()):
            found.append(int(entry.name))
    return found


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            load(port, 1, 0.05)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answers on port {port}")


def build_scale_store(chapters: int, work: Path) -> Path:
    from bench_build import DEFAULT_CORPUS, make_corpus

    corpus = make_corpus(DEFAULT_CORPUS, chapters, work / "corpus")
    store = work / "store"
    env = {**os.environ, "PYTHONPATH": str(REPO / "dev")}
    subprocess.run(
        [sys.executable, "-m", "livertox_kg", "build", corpus["folder"], "--store", str(store)], env=env, check=True
    )
    return store


def measure(
    ports: dict[str, int], own: list[int], seconds: float, rounds: int
) -> dict[int, dict[str, list[dict[str, float]]]]:
    results: dict[int, dict[str, list[dict[str, float]]]] = {n: {"ours": [], "stock": []} for n in LEVELS}
    for r in range(rounds):
        for n in LEVELS:
            for name in ("ours", "stock") if r % 2 == 0 else ("stock", "ours"):
                before, t0 = other_cpu_seconds(own), time.perf_counter()
                row = load(ports[name], n, seconds)
                row["others_cpu"] = (other_cpu_seconds(own) - before) / (time.perf_counter() - t0)
                results[n][name].append(row)
    return results


def report(results: dict[int, dict[str, list[dict[str, float]]]]) -> str:
    med = lambda rows, key: statistics.median(r[key] for r in rows)  # noqa: E731
    lines = ["clients | server | req/s | p50 ms | p99 ms | others' CPU (cores) | ours/stock req/s | ours/stock p99"]
    lines.append("|".join(["---"] * 8))
    for n, by in results.items():
        for name in ("stock", "ours"):
            rows = by[name]
            ratio = ("", "")
            if name == "ours":  # the median of each round's ratio: the two servers of a round ran back to back
                pairs = list(zip(rows, by["stock"], strict=True))
                ratio = (
                    f"{statistics.median(o['rps'] / s['rps'] for o, s in pairs):.2f}x",
                    f"{statistics.median(o['p99_ms'] / s['p99_ms'] for o, s in pairs):.2f}x",
                )
            lines.append(
                f"{n} | {name} | {med(rows, 'rps'):.0f} | {med(rows, 'p50_ms'):.2f} | {med(rows, 'p99_ms'):.2f} | "
                f"{med(rows, 'others_cpu'):.2f} | {ratio[0]} | {ratio[1]}"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path)
    parser.add_argument("--chapters", type=int, default=1140)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    args = parser.parse_args()
    exe = shutil.which("oxigraph", path=f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}")
    if exe is None:
        raise SystemExit("oxigraph is not installed (pip install oxigraph)")
    with tempfile.TemporaryDirectory(prefix="livertox-bench-serve-") as tmp:
        work = Path(tmp)
        store = args.store or build_scale_store(args.chapters, work)
        stock, stock_port = start_stock(exe, store, work)
        ours, our_port = start_ours(store)
        try:
            own = [os.getpid(), stock.pid, ours.pid]
            own += _children(ours.pid)
            results = measure({"ours": our_port, "stock": stock_port}, own, args.seconds, args.rounds)
        finally:
            for proc in (ours, stock):
                proc.terminate()
                proc.wait(timeout=30)
    table = report(results)
    print(table)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "serve.json").write_text(json.dumps({"results": results, "seconds": args.seconds}, indent=1))


if __name__ == "__main__":
    main()
