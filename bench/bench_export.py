#!/usr/bin/env python
"""Benchmark ``export`` (every format) and ``push`` (to an Oxigraph server) on the scale store.

Run from the repository root::

    python bench/bench_export.py [--chapters 1140] [--sizes 285,570] [--out bench/out]

Steps:

1. The scale corpus of ``bench_build.py`` (``make_corpus``: corpus chapters copied under new ids) is built
   into a store for each size (``--sizes`` and ``--chapters``).
2. On the largest store, ``export --format F -o FILE`` runs once per format in a fresh process; wall time,
   and peak memory (``ru_maxrss`` and the sampled RSS of the process tree, as ``bench_build.py`` measures
   them). For reference, the floor: Oxigraph's own ``dump`` of the whole store as N-Quads (no sorting, no
   canonical order) in a fresh process.
3. On the smaller stores, N-Quads and Turtle exports again: memory should stay flat as the graph grows
   (time grows with it).
4. ``push`` of the largest store to an Oxigraph server (``oxigraph serve`` on 127.0.0.1, a fresh database),
   then a second push (nothing changed: nothing sent).

Prints a table and writes ``OUT/export.json``.
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

FLOOR = """
import sys, pyoxigraph as ox
s = ox.Store.read_only(sys.argv[1])
s.dump(sys.argv[2], format=ox.RdfFormat.N_QUADS)
"""


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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--chapters", type=int, default=1140)
    ap.add_argument("--sizes", default="285,570", help="smaller stores for the flat-memory check ('' for none)")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    ap.add_argument("--corpus", type=Path, default=bench_build.DEFAULT_CORPUS)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args(argv)
    python = sys.executable
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO / "dev"), env.get("PYTHONPATH", "")) if p)
    env.pop("LIVERTOX_KG_STORE", None)
    sizes = sorted({int(x) for x in args.sizes.split(",") if x.strip()} | {args.chapters})
    work = Path(tempfile.mkdtemp(prefix="livertox-bench-export-"))
    results: dict = {"machine": bench_build.machine_info(python), "sizes": sizes, "stores": {}}
    try:
        corpus = bench_build.make_corpus(args.corpus, args.chapters, work / "corpus")
        folder = Path(corpus["folder"])
        files = sorted(folder.iterdir())
        stores: dict[int, Path] = {}
        for n in sizes:
            subset = work / f"chapters-{n}"
            subset.mkdir()
            for f in files[:n]:
                os.link(f, subset / f.name)
            stores[n] = work / f"store-{n}"
            t = time.perf_counter()
            _measure(_cli(python, "build", str(subset), "--store", str(stores[n])), env, f"build {n}")
            import pyoxigraph as ox

            s = ox.Store.read_only(str((stores[n] / "current").resolve()))
            results["stores"][n] = {"quads": len(s), "build_s": time.perf_counter() - t}
            del s
            print(f"store of {n} chapters: {results['stores'][n]['quads']:,} quads", flush=True)
        largest = stores[args.chapters]
        out = work / "out"
        out.mkdir()
        runs: dict[str, dict] = {}
        floor = _measure(
            [python, "-c", FLOOR, str((largest / "current").resolve()), str(out / "floor.nq")], env, "floor"
        )
        floor["bytes"] = (out / "floor.nq").stat().st_size
        (out / "floor.nq").unlink()
        runs[f"floor-dump-{args.chapters}"] = floor
        print(f"  floor (Oxigraph dump) {floor['wall_s']:7.1f} s {_mib(floor['tree_peak_rss_bytes'])} MiB", flush=True)
        for n in sizes:
            formats = FORMATS if n == args.chapters else ("nquads", "turtle")
            for fmt in formats:
                target = out / f"export-{n}{SUFFIX[fmt]}"
                r = _measure(
                    _cli(python, "export", "--store", str(stores[n]), "--format", fmt, "-o", str(target)),
                    env,
                    f"export {fmt} {n}",
                )
                r["bytes"] = target.stat().st_size
                target.unlink()
                runs[f"{fmt}-{n}"] = r
                print(
                    f"  export {fmt:<9} {n:>5} chapters {r['wall_s']:7.1f} s"
                    f" {_mib(r['tree_peak_rss_bytes']):>6} MiB  {r['bytes'] / 2**20:7.1f} MiB written",
                    flush=True,
                )
        results["exports"] = runs
        results["push"] = push_bench(python, env, largest, work)
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
