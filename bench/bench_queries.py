#!/usr/bin/env python
"""Benchmark every stored query on the scale store: embedded Oxigraph vs rdflib's in-memory Dataset.

Run from the repository root::

    python bench/bench_queries.py [--chapters 1140] [--runs 15] [--rdflib-runs 3] [--store DIR] [--out bench/out]

1. The scale store: ``--store DIR`` if it holds a built store, else the scale corpus of ``bench_build.py``
   (``make_corpus``: N chapters copied round-robin from the corpus under new ids) is built into a new
   store in a temporary folder (``store.build.build``, as ``livertox-kg build`` does, without validation).
2. Embedded: the store opened read-only, as ``livertox-kg query`` does; each stored query (and each
   data-quality check), and each tuned variant (``queries/tuned/``, timed as ``tuned/NAME``), runs once to
   warm up, then ``--runs`` times back to back (with ``--interleave``: in ``--runs`` rounds running every
   query once, so that a slow phase of the machine hits all queries alike): ``queries.run.run`` with the
   header's example parameters (optional ones left out), i.e. binding, evaluation on the union default
   graph and every result row fetched into Python.
3. rdflib: the same quads (the store's N-Quads dump) parsed into ``rdflib.Dataset(default_union=True)`` in
   memory; each plain query runs ``--rdflib-runs`` times (``Dataset.query`` on the same bound text, every
   row fetched). A run longer than ``--rdflib-cap`` seconds is stopped (the speed-up is then "at least").
4. Prints the table (median ms each, rows, speed-up, targets: at most 50 ms median on the embedded store
   and at least 5x faster than rdflib) and writes ``OUT/queries.json``, with the machine's load (CPU used
   by other processes during the embedded runs) and a speed probe (a fixed Python loop timed after every
   query or round): on a shared machine medians are only as good as those.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from types import FrameType
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "dev"))  # the working tree as the package
sys.path.insert(0, str(REPO / "bench"))

import pyoxigraph as ox  # noqa: E402

from livertox_kg.queries.headers import StoredQuery, all_queries  # noqa: E402
from livertox_kg.queries.params import Term, example_bindings  # noqa: E402
from livertox_kg.queries.results import Results, tsv_term  # noqa: E402
from livertox_kg.queries.run import run as run_query  # noqa: E402
from livertox_kg.queries.sparql_text import bind  # noqa: E402
from livertox_kg.rdf.vocab import XSD  # noqa: E402
from livertox_kg.store.build import build  # noqa: E402

TARGET_MS = 50.0
TARGET_SPEEDUP = 5.0
DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def scale_store(args: argparse.Namespace, work: Path) -> tuple[Path, dict[str, Any]]:
    if args.store and (args.store / "current").is_symlink():
        return args.store, {"store": str(args.store), "built": False}
    from bench_build import make_corpus  # the scale corpus of the build benchmark, not another one

    corpus = make_corpus(args.corpus, args.chapters, work)
    location = args.store or work / "store"
    started = time.perf_counter()
    report = build(location, [Path(corpus["folder"])], validate=False, keep_going=True)
    if report.bad:
        raise SystemExit(f"scale corpus has bad chapters: {report.bad[:3]}")
    corpus.update(store=str(location), built=True, build_s=round(time.perf_counter() - started, 1))
    return location, corpus


def _busy_other(before: tuple[float, float]) -> float:
    """CPU seconds used by other processes since ``before`` (from /proc/stat and our own times)."""
    total, ours = _cpu()
    return max(0.0, (total - before[0]) - (ours - before[1]))


def _cpu() -> tuple[float, float]:
    with open("/proc/stat") as fh:
        fields = [int(x) for x in fh.readline().split()[1:]]
    busy = sum(fields) - fields[3] - fields[4]  # all but idle and iowait
    t = os.times()
    return busy / os.sysconf("SC_CLK_TCK"), t.user + t.system


def speed_probe() -> float:
    """Milliseconds for a fixed pure-Python loop (17-30 ms on this machine, as its speed goes): taken at
    every round, it shows the phases in which a shared machine runs slower for everyone."""
    started = time.perf_counter()
    total = 0
    for i in range(300_000):
        total += i * i
    return (time.perf_counter() - started) * 1000


def texts(queries: dict[str, StoredQuery]) -> dict[str, tuple[str, dict[str, Term]]]:
    """What is timed: each query's text (and its tuned variant's, as ``tuned/NAME``) with its example values."""
    out = {}
    for name, q in queries.items():
        out[name] = (q.text, example_bindings(q.params))
        if q.tuned is not None:
            out[f"tuned/{name}"] = (q.tuned, example_bindings(q.params))
    return out


def time_embedded(
    store: ox.Store,
    queries: dict[str, tuple[str, dict[str, Term]]],
    runs: int,
    interleave: bool = False,
    probes: list[float] | None = None,
) -> dict[str, dict[str, Any]]:
    """Each query once to warm up, then ``runs`` timed runs of each: back to back, or with ``interleave`` in
    rounds running every query once, so that a slow phase of a shared machine (this VM's speed swings by up
    to 2x for minutes at a time) falls on all queries alike instead of on the few running at the time.
    :func:`speed_probe` is appended to ``probes`` at the start and after every query (or round).
    """
    probes = [] if probes is None else probes
    last: dict[str, Results] = {}
    times: dict[str, list[float]] = {name: [] for name in queries}
    probes.append(speed_probe())

    def timed(name: str) -> None:
        started = time.perf_counter()
        last[name] = run_query(store, *queries[name])
        times[name].append((time.perf_counter() - started) * 1000)

    if interleave:
        for name in queries:
            run_query(store, *queries[name])  # warm-up
        for _ in range(runs):
            for name in queries:
                timed(name)
            probes.append(speed_probe())
    else:
        for name in queries:
            run_query(store, *queries[name])  # warm-up
            for _ in range(runs):
                timed(name)
            probes.append(speed_probe())
    out = {}
    for name, ts in times.items():
        bag = Counter("\t".join(tsv_term(t) for t in row) for row in last[name].rows)
        out[name] = {"median_ms": statistics.median(ts), "min_ms": min(ts), "rows": len(last[name].rows), "bag": bag}
    return out


class _Cap(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise _Cap


def load_rdflib(store: ox.Store) -> tuple[Any, float]:
    import rdflib

    started = time.perf_counter()
    dataset = rdflib.Dataset(default_union=True)  # the default graph the stored queries are written for
    dataset.parse(data=store.dump(format=ox.RdfFormat.N_QUADS), format="nquads")
    return dataset, time.perf_counter() - started


def _rdflib_term(term: Any) -> str:
    """An rdflib term in the form :func:`tsv_term` gives the same pyoxigraph term."""
    import rdflib

    if term is None:
        return ""
    if isinstance(term, rdflib.URIRef):
        return f"<{term}>"
    if isinstance(term, rdflib.Literal):
        return tsv_term(
            ox.Literal(str(term), language=term.language)
            if term.language
            else ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))
        )
    return str(term)


def time_rdflib(dataset: Any, q: StoredQuery, runs: int, cap_s: float) -> dict[str, Any]:
    text = bind(q.text, example_bindings(q.params))
    times: list[float] = []
    rows: list[Any] = []
    capped = False
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        for _ in range(runs):
            signal.setitimer(signal.ITIMER_REAL, cap_s)
            started = time.perf_counter()
            try:
                rows = list(dataset.query(text))
            except _Cap:
                capped = True
                times.append(cap_s * 1000)
                break
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            times.append((time.perf_counter() - started) * 1000)
    finally:
        signal.signal(signal.SIGALRM, previous)
    out: dict[str, Any] = {"median_ms": statistics.median(times), "runs": len(times), "capped": capped}
    if not capped:
        out["rows"] = len(rows)
        out["bag"] = Counter("\t".join(_rdflib_term(t) for t in row) for row in rows)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--chapters", type=int, default=1140, help="chapters in the scale corpus (default 1140)")
    ap.add_argument("--runs", type=int, default=15, help="timed runs per query on the embedded store")
    ap.add_argument("--rdflib-runs", type=int, default=3, help="timed runs per query on rdflib")
    ap.add_argument("--rdflib-cap", type=float, default=120.0, help="seconds after which an rdflib run is stopped")
    ap.add_argument(
        "--interleave",
        action="store_true",
        help="time in rounds running every query once (a slow phase of the machine then hits all queries alike)",
    )
    ap.add_argument("--no-rdflib", action="store_true", help="time the embedded store only")
    ap.add_argument("--store", type=Path, help="a built scale store to reuse (built here when missing)")
    ap.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS,
        help="the corpus: its archive/ and nxml/ chapters (or a folder of .nxml)",
    )
    ap.add_argument("--only", nargs="*", default=[], help="only these queries")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    args = ap.parse_args(argv)

    queries = {n: q for n, q in all_queries().items() if not args.only or n in args.only}
    with tempfile.TemporaryDirectory(prefix="livertox-bench-queries-") as tmp:
        location, corpus = scale_store(args, Path(tmp))
        store = ox.Store.read_only(str((location / "current").resolve()))
        triples = sum(1 for _ in store.quads_for_pattern(None, None, None, None))
        print(f"scale store: {location} ({triples:,} quads)", flush=True)

        results: dict[str, dict[str, Any]] = {}
        load_before = os.getloadavg()
        cpu_before = _cpu()
        started = time.perf_counter()
        probes: list[float] = []
        for name, timed in time_embedded(store, texts(queries), args.runs, args.interleave, probes).items():
            results[name] = {"embedded": timed}
            print(f"  embedded {name:<40} {timed['median_ms']:9.1f} ms", flush=True)
        wall = time.perf_counter() - started
        contention = {
            "embedded_wall_s": round(wall, 2),
            "speed_probe_ms": {
                "median": round(statistics.median(probes), 1),
                "min": round(min(probes), 1),
                "max": round(max(probes), 1),
            },
            "other_processes_cpu_s": round(_busy_other(cpu_before), 2),
            "loadavg_before": load_before,
            "loadavg_after": os.getloadavg(),
        }

        rdflib_load_s = None
        if not args.no_rdflib:
            dataset, rdflib_load_s = load_rdflib(store)
            print(f"rdflib Dataset loaded in {rdflib_load_s:.0f} s", flush=True)
            for name, q in queries.items():
                results[name]["rdflib"] = time_rdflib(dataset, q, args.rdflib_runs, args.rdflib_cap)
                print(f"  rdflib   {name:<40} {results[name]['rdflib']['median_ms']:9.1f} ms", flush=True)

    for name, r in results.items():
        if name.startswith("tuned/"):  # the same rows as the plain query (the tests check it)
            r["same_rows_as_plain"] = r["embedded"]["bag"] == results[name.removeprefix("tuned/")]["embedded"]["bag"]
    for r in results.values():
        emb, rdf = r["embedded"], r.get("rdflib")
        r["meets_ms"] = emb["median_ms"] <= TARGET_MS
        if rdf:
            r["speedup"] = rdf["median_ms"] / emb["median_ms"] if emb["median_ms"] else None
            met = bool(r["speedup"] and r["speedup"] >= TARGET_SPEEDUP)
            r["meets_speedup"] = None if rdf["capped"] and not met else met  # None: rdflib was stopped first
            r["same_rows"] = None if rdf["capped"] else rdf.pop("bag") == emb["bag"]
        emb.pop("bag", None)

    print_table(results)
    args.out.mkdir(parents=True, exist_ok=True)
    doc = {
        "corpus": corpus,
        "quads": triples,
        "runs": args.runs,
        "rdflib_runs": args.rdflib_runs,
        "rdflib_load_s": rdflib_load_s,
        "interleaved": args.interleave,
        "contention": contention,
        "targets": {"median_ms": TARGET_MS, "speedup": TARGET_SPEEDUP},
        "queries": results,
    }
    (args.out / "queries.json").write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    other = contention["other_processes_cpu_s"]
    print(f"\nother processes used {other} CPU-s during the {wall:.1f} s of embedded runs")
    probe = contention["speed_probe_ms"]
    print(
        f"speed probe (a fixed Python loop, lower is faster): median {probe['median']} ms, "
        f"{probe['min']}-{probe['max']} ms during the embedded runs"
    )
    print(f"wrote {args.out / 'queries.json'}")
    return 0


def print_table(results: dict[str, dict[str, Any]]) -> None:
    print()
    targets = f"<= {TARGET_MS:g} ms | >= {TARGET_SPEEDUP:g}x"
    print(f"| query | rows | embedded median ms | rdflib median ms | speed-up | {targets} |")
    print("|---|---:|---:|---:|---:|:-:|:-:|")
    for name, r in results.items():
        emb, rdf = r["embedded"], r.get("rdflib")
        rdf_ms = "-" if not rdf else (f"> {rdf['median_ms']:,.0f}" if rdf["capped"] else f"{rdf['median_ms']:,.1f}")
        speed = "-" if not rdf or r.get("speedup") is None else f"{'>= ' if rdf['capped'] else ''}{r['speedup']:,.0f}x"
        same = "" if not rdf or r.get("same_rows") in (None, True) else " (rows differ)"
        if r.get("same_rows_as_plain") is False:
            same += " (rows differ from the plain query's)"
        print(
            f"| {name} | {emb['rows']:,} | {emb['median_ms']:,.1f} | {rdf_ms}{same} | {speed} "
            f"| {'yes' if r['meets_ms'] else 'no'} | {_yes_no(r.get('meets_speedup'), rdf is not None)} |"
        )


def _yes_no(value: bool | None, measured: bool) -> str:
    if not measured:
        return "-"
    return "unknown (rdflib stopped)" if value is None else "yes" if value else "no"


if __name__ == "__main__":
    sys.exit(main())
