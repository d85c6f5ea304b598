#!/usr/bin/env python
"""Benchmark ``export`` (every format) and ``push`` (to an Oxigraph server) on the scale store.

Run from the repository root::

    python bench/bench_export.py [--chapters 1140] [--sizes 285,570] [--runs 3] [--out bench/out] [--live]

The code measured is a snapshot of the package taken at the start (``--live``: the working tree itself).

Steps:

1. The scale corpus of ``bench_build.py`` (``make_corpus``: corpus chapters copied under new ids) is built
   into a store for each size (``--sizes`` and ``--chapters``).
2. On the largest store, side by side, ``--runs`` rounds of: pyoxigraph's own ``Store.dump(FILE,
   format=...)`` of the whole store as N-Quads and as TriG (it refuses Turtle for a store with named graphs;
   TriG is its Turtle with graph blocks), then ``export --format F -o FILE`` once per format; each in a
   fresh process. Wall time (the median of the rounds) and peak memory (the sampled RSS of the process tree,
   as ``bench_build.py`` measures it).
3. The ratios the exports are held to: N-Quads export / N-Quads dump <= 1.2, Turtle export / TriG dump
   <= 1.5 (TriG export / TriG dump is printed too).
4. On the smaller stores, N-Quads and Turtle exports again: how time and memory grow with the graph.
5. ``push`` of the largest store to an Oxigraph server (``oxigraph serve`` on 127.0.0.1, a fresh database),
   then a second push (nothing changed: nothing sent).

Prints a table and writes ``OUT/export.json`` (with the ratios under ``"ratios"``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_build  # the scale corpus and the measured runner are shared

REPO = bench_build.REPO
FORMATS = ("nquads", "ntriples", "turtle", "trig", "jsonld")
SUFFIX = {"turtle": ".ttl", "ntriples": ".nt", "nquads": ".nq", "trig": ".trig", "jsonld": ".jsonld"}

DUMP = """
import sys, pyoxigraph as ox
s = ox.Store.read_only(sys.argv[1])
s.dump(sys.argv[2], format=getattr(ox.RdfFormat, sys.argv[3]))
"""
DUMP_FORMATS = {"nquads": "N_QUADS", "trig": "TRIG"}
# (export format, the pyoxigraph dump it is compared with, the most the ratio may be)
TARGETS = (("nquads", "nquads", 1.2), ("turtle", "trig", 1.5), ("trig", "trig", None))


def _cli(python: str, *args: str) -> list[str]:
    return [python, "-m", "livertox_kg", *args]


def _measure(cmd: list[str], env: dict[str, str], what: str) -> dict:
    r = bench_build.run_measured(cmd, env)
    if r["returncode"] not in (0,):
        sys.stderr.write(r["stderr"][-3000:])
        raise SystemExit(f"{what} failed with exit {r['returncode']}")
    r.pop("stdout", None)
    r.pop("stderr", None)
    return r


def _mib(n: float) -> str:
    return f"{n / 2**20:,.0f}"


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def push_bench(python: str, env: dict[str, str], store: Path, work: Path) -> dict:
    exe = shutil.which("oxigraph", path=str(Path(python).parent)) or shutil.which("oxigraph")
    if exe is None:
        return {"skipped": "oxigraph (PyPI package) is not installed"}
    port = _free_port()
    proc = subprocess.Popen(
        [exe, "serve", "--location", str(work / "server"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        import urllib.request

        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("oxigraph server did not start") from None
                time.sleep(0.2)
        endpoint = f"http://127.0.0.1:{port}/query"
        first = _measure(_cli(python, "push", "--store", str(store), "--endpoint", endpoint), env, "push")
        second = _measure(_cli(python, "push", "--store", str(store), "--endpoint", endpoint), env, "push again")
        return {"first": first, "second": second}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _report(what: str, r: dict) -> None:
    print(
        f"  {what:<30} {r['wall_s']:6.1f} s (CPU {_cpu(r):5.1f} s, others {r['other_cpu_s']:5.1f} s)"
        f" {_mib(r['tree_peak_rss_bytes']):>5} MiB peak, {r['bytes'] / 2**20:6.1f} MiB written",
        flush=True,
    )


def _dump(python: str, env: dict[str, str], store: Path, fmt: str, out: Path) -> dict:
    target = out / f"dump{SUFFIX[fmt]}"
    cmd = [python, "-c", DUMP, str((store / "current").resolve()), str(target), DUMP_FORMATS[fmt]]
    r = _measure(cmd, env, f"dump {fmt}")
    r["bytes"] = target.stat().st_size
    target.unlink()
    _report(f"pyoxigraph dump {fmt}", r)
    return r


def _export(python: str, env: dict[str, str], store: Path, fmt: str, n: int, out: Path) -> dict:
    target = out / f"export-{n}{SUFFIX[fmt]}"
    cmd = _cli(python, "export", "--store", str(store), "--format", fmt, "-o", str(target))
    r = _measure(cmd, env, f"export {fmt} {n}")
    r["bytes"] = target.stat().st_size
    target.unlink()
    _report(f"export {fmt} ({n} chapters)", r)
    return r


def _median(rounds: list[dict]) -> dict:
    """The round with the median wall time, with every round's wall time and the highest peak memory."""
    ordered = sorted(rounds, key=lambda r: r["wall_s"])
    chosen = dict(ordered[len(ordered) // 2])
    chosen["walls_s"] = [r["wall_s"] for r in rounds]
    chosen["tree_peak_rss_bytes"] = max(r["tree_peak_rss_bytes"] for r in rounds)
    return chosen


def side_by_side(python: str, env: dict[str, str], store: Path, n: int, out: Path, rounds: int) -> dict[str, dict]:
    """``rounds`` rounds of every dump and every export of the store, interleaved; the median of each."""
    measured: dict[str, list[dict]] = {}
    for i in range(rounds):
        print(f"round {i + 1} of {rounds}", flush=True)
        for fmt in DUMP_FORMATS:
            measured.setdefault(f"dump-{fmt}-{n}", []).append(_dump(python, env, store, fmt, out))
        for fmt in FORMATS:
            measured.setdefault(f"{fmt}-{n}", []).append(_export(python, env, store, fmt, n, out))
    return {key: _median(rs) for key, rs in measured.items()}


def _cpu(r: dict) -> float:
    return float(r["user_s"] + r["sys_s"])


def ratios(runs: dict[str, dict], n: int) -> dict[str, dict]:
    """Each export's median wall time over that of the pyoxigraph dump it is compared with; CPU time too (on
    a machine shared with other work, the wall times say as much about the others as about us)."""
    out: dict[str, dict] = {}
    for fmt, dump, limit in TARGETS:
        mine, theirs = runs[f"{fmt}-{n}"], runs[f"dump-{dump}-{n}"]
        ratio = mine["wall_s"] / theirs["wall_s"]
        cpu = _cpu(mine) / _cpu(theirs)
        out[f"{fmt}/dump-{dump}"] = {
            "ratio": ratio,
            "cpu_ratio": cpu,
            "target": limit,
            "ok": limit is None or ratio <= limit,
            "other_cpu_s": [mine["other_cpu_s"], theirs["other_cpu_s"]],
        }
        verdict = "" if limit is None else (f" (target <= {limit}: " + ("ok)" if ratio <= limit else "MISSED)"))
        print(f"  {fmt} export / pyoxigraph {dump} dump: {ratio:.2f}{verdict}; CPU time {cpu:.2f}", flush=True)
    return out


def build_stores(
    python: str, env: dict[str, str], corpus_dir: Path, sizes: list[int], work: Path, info: dict
) -> dict[int, Path]:
    """A store of the first N chapters of the scale corpus for each size; their quads and build times in ``info``."""
    import pyoxigraph as ox

    corpus = bench_build.make_corpus(corpus_dir, max(sizes), work / "corpus")
    files = sorted(Path(corpus["folder"]).iterdir())
    stores: dict[int, Path] = {}
    for n in sizes:
        subset = work / f"chapters-{n}"
        subset.mkdir()
        for f in files[:n]:
            os.link(f, subset / f.name)
        stores[n] = work / f"store-{n}"
        t = time.perf_counter()
        _measure(_cli(python, "build", str(subset), "--store", str(stores[n])), env, f"build {n}")
        s = ox.Store.read_only(str((stores[n] / "current").resolve()))
        info[n] = {"quads": len(s), "build_s": time.perf_counter() - t}
        del s
        print(f"store of {n} chapters: {info[n]['quads']:,} quads", flush=True)
    return stores


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--chapters", type=int, default=1140)
    ap.add_argument("--sizes", default="285,570", help="smaller stores for the flat-memory check ('' for none)")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    ap.add_argument("--corpus", type=Path, default=bench_build.DEFAULT_CORPUS)
    ap.add_argument("--runs", type=int, default=3, help="rounds of dumps and exports on the largest store")
    ap.add_argument("--live", action="store_true", help="run the working tree, not a snapshot of it taken at start")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args(argv)
    python = sys.executable
    env = dict(os.environ)
    env.pop("LIVERTOX_KG_STORE", None)
    sizes = sorted({int(x) for x in args.sizes.split(",") if x.strip()} | {args.chapters})
    work = Path(tempfile.mkdtemp(prefix="livertox-bench-export-"))
    code, code_info = bench_build.code_under_test(args.live, work)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(code), env.get("PYTHONPATH", "")) if p)
    env["BENCH_CWD"] = str(code)  # ``python -m`` puts the working folder first on sys.path
    results: dict = {"machine": bench_build.machine_info(python), "code": code_info, "sizes": sizes, "stores": {}}
    try:
        stores = build_stores(python, env, args.corpus, sizes, work, results["stores"])
        largest = stores[args.chapters]
        out = work / "out"
        out.mkdir()
        runs = side_by_side(python, env, largest, args.chapters, out, args.runs)
        results["ratios"] = ratios(runs, args.chapters)
        for n in sizes:
            if n != args.chapters:
                for fmt in ("nquads", "turtle"):
                    runs[f"{fmt}-{n}"] = _export(python, env, stores[n], fmt, n, out)
        results["exports"] = runs
        try:
            results["push"] = push_bench(python, env, largest, work)
        except SystemExit as exc:  # a failed push is reported; the export measurements are still written
            results["push"] = {"failed": str(exc)}
            print(f"  push: {exc}", flush=True)
        if "first" in results["push"]:
            p = results["push"]
            print(
                f"  push to oxigraph {p['first']['wall_s']:.1f} s ({_mib(p['first']['tree_peak_rss_bytes'])} MiB);"
                f" again, nothing changed: {p['second']['wall_s']:.1f} s",
                flush=True,
            )
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "export.json").write_text(json.dumps(results, indent=2) + "\n")
        print(f"wrote {args.out / 'export.json'}")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
