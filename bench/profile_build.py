#!/usr/bin/env python
"""Where the time (and memory) of ``build`` goes: the pipeline stage by stage in ONE process, then cProfile.

Run from the repository root::

    python bench/profile_build.py [--chapters 1140] [--out bench/out] [--no-load-variants]

Uses the scale corpus of ``bench_build.py`` (same copies, same ids) and, like it, a copy of the package
taken at start (``--live`` to use the working tree). Stages, timed with ``time.perf_counter`` around the
functions the ``build`` command calls, in its order:

* startup     a fresh ``python -c 'import livertox_kg.cli'`` (interpreter + imports)
* sources     ``iter_sources``: finding and reading the files
* read        ``loaders.read``: XML parse (defusedxml/expat) + walking it into a ``RawDocument``
* interpret   ``interpret``: the ``RawDocument`` -> the typed ``Chapter``
* rdf         ``rdf.chapter_triples``: the statements as N-Triples text
* nquads      ``rdf.nquads(...).encode()``: the chapter's N-Quads bytes
* write       ``store.build.build`` into a new store (conversion again, as the CLI runs it), split into
              read_sources, validate, bulk_load (loading thread), mapping graph, dataset description,
              compact and commit (flush + switch)
* summary     ``summarize`` of the new store (the CLI prints it after every build)

then the build again with ``force`` into the same store (the replace path), a no-change rebuild and a rebuild
with one edited chapter (incremental), and cProfile over a whole build. The peak RSS of the
process after each stage is recorded (it only grows). With load variants (default on), the build's N-Quads
are bulk-loaded in fresh processes in several ways (whole bytes, from a file, in chunks, in memory) to
show what the load costs in time and memory. Writes ``OUT/profile.json`` and ``OUT/profile.txt``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from bench_build import DEFAULT_CORPUS, code_under_test, make_corpus, run_measured  # noqa: E402


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Timer:
    def __init__(self) -> None:
        self.t: dict[str, float] = {}
        self.peak: dict[str, float] = {}

    def add(self, key: str, seconds: float) -> None:
        self.t[key] = self.t.get(key, 0.0) + seconds

    def mark(self, key: str) -> None:
        self.peak[key] = _peak_mib()


def _wrap(saved: dict, owner, name: str, timer: Timer, key: str) -> None:
    fn = getattr(owner, name, None)
    if fn is None:
        return
    saved[(owner, name)] = fn

    def timed(*a, **kw):
        t = time.perf_counter()
        try:
            return fn(*a, **kw)
        finally:
            timer.add(key, time.perf_counter() - t)

    setattr(owner, name, timed)


def timed_write(m, location: Path, folder: Path, timer: Timer, prefix: str) -> None:
    """``Build`` of ``folder`` into ``location`` (every source converted again: ``force``), its steps timed by
    wrapping the functions it calls for the duration (the loads run in the build's loading thread)."""
    saved: dict = {}
    _wrap(saved, m.store_mod.Writer, "remove_graph", timer, f"{prefix}.remove_graph")
    _wrap(saved, m.store_mod, "_stage", timer, f"{prefix}.stage")  # copy or empty store, old graphs removed
    _wrap(saved, m.store_mod.Writer, "load", timer, f"{prefix}.bulk_load (loading thread)")
    _wrap(saved, m.store_mod.Writer, "compact", timer, f"{prefix}.compact")
    _wrap(saved, m.store_mod.Writer, "commit", timer, f"{prefix}.commit (compact + flush + switch)")
    _wrap(saved, m.build_mod.Build, "validate", timer, f"{prefix}.validate")
    _wrap(saved, m.build_mod.Build, "_write_mappings", timer, f"{prefix}.mapping_graph")
    _wrap(saved, m.build_mod, "read_sources", timer, f"{prefix}.read_sources")
    _wrap(saved, m.incremental, "previous", timer, f"{prefix}.previous_records")
    if m.dataset is not None:
        _wrap(saved, m.dataset, "update", timer, f"{prefix}.dataset_description")
    try:
        t = time.perf_counter()
        m.build_mod.build(location, [folder], force=True)
        total = time.perf_counter() - t
    finally:
        for (owner, name), fn in saved.items():
            setattr(owner, name, fn)
    timer.add(prefix, total)
    timer.mark(prefix)


def convert_timed(m, doc, timer: Timer):
    t0 = time.perf_counter()
    try:
        raw = m.read(doc)
        t1 = time.perf_counter()
        chapter = m.interpret(raw)
    except m.SourceError as exc:
        return exc
    t2 = time.perf_counter()
    statements = m.rdf.chapter_triples(chapter)
    t3 = time.perf_counter()
    nquads = m.rdf.nquads(statements, m.iris.graph(chapter.id)).encode("utf-8")
    t4 = time.perf_counter()
    timer.add("read", t1 - t0)
    timer.add("interpret", t2 - t1)
    timer.add("rdf", t3 - t2)
    timer.add("nquads", t4 - t3)
    conv = m.build.converted(doc.name, chapter, nquads)
    timer.add("checksum", time.perf_counter() - t4)
    return conv


class _Modules:
    """The package's modules, imported after ``sys.path`` points at the code under test."""

    def __init__(self) -> None:
        from livertox_kg.errors import SourceError
        from livertox_kg.interpret.chapter import interpret
        from livertox_kg.loaders import read
        from livertox_kg.rdf import chapter as rdf
        from livertox_kg.rdf import iris
        from livertox_kg.sources import SourceDoc, iter_sources
        from livertox_kg.store import build as build_mod
        from livertox_kg.store import convert as build
        from livertox_kg.store import generations as store_mod
        from livertox_kg.store import incremental
        from livertox_kg.store.summary import summarize

        try:
            from livertox_kg.store import description as dataset
        except ImportError:
            dataset = None
        self.build, self.iris, self.rdf, self.store_mod, self.dataset = build, iris, rdf, store_mod, dataset
        self.build_mod, self.incremental = build_mod, incremental
        self.SourceError, self.SourceDoc, self.iter_sources, self.read = SourceError, SourceDoc, iter_sources, read
        self.interpret, self.summarize = interpret, summarize


# -- load variants, each in a fresh process ---------------------------------------------------------

_LOAD_VARIANT = r"""
import sys, time, resource, pyoxigraph as ox
variant, nq, store_dir = sys.argv[1:4]
t = time.perf_counter()
if variant == "bytes":
    data = open(nq, "rb").read()
    t = time.perf_counter()
    s = ox.Store(store_dir); s.bulk_load(input=data, format=ox.RdfFormat.N_QUADS); s.flush()
elif variant == "path":
    s = ox.Store(store_dir); s.bulk_load(path=nq, format=ox.RdfFormat.N_QUADS); s.flush()
elif variant.startswith("chunks"):
    size = int(variant.split("-")[1].rstrip("MiB")) << 20
    s = ox.Store(store_dir)
    with open(nq, "rb") as fh:
        while True:
            chunk = b"".join(fh.readlines(size))
            if not chunk:
                break
            s.bulk_load(input=chunk, format=ox.RdfFormat.N_QUADS)
    s.flush()
elif variant == "memory":
    data = open(nq, "rb").read()
    t = time.perf_counter()
    s = ox.Store(); s.bulk_load(input=data, format=ox.RdfFormat.N_QUADS)
elif variant == "parse-only":
    data = open(nq, "rb").read()
    t = time.perf_counter()
    n = sum(1 for _ in ox.parse(data, format=ox.RdfFormat.N_QUADS))
    class _S:
        def __len__(self): return n
    s = _S()
print(time.perf_counter() - t, len(s))
"""


def load_variants(nq: Path, work: Path, env: dict) -> list[dict]:
    out = []
    for variant in ("bytes", "path", "chunks-16MiB", "chunks-64MiB", "memory", "parse-only"):
        store = work / f"variant-{variant}"
        r = run_measured([sys.executable, "-c", _LOAD_VARIANT, variant, str(nq), str(store)], env)
        if r["returncode"] != 0:
            raise SystemExit(f"load variant {variant}: {r['stderr'][-2000:]}")
        seconds, quads = r["stdout"].split()
        out.append(
            {
                "variant": variant,
                "load_s": float(seconds),
                "quads": int(quads),
                "cpu_s": r["user_s"] + r["sys_s"],
                "peak_rss_bytes": r["max_process_hwm_bytes"],
                "other_cpu_s": r["other_cpu_s"],
            }
        )
        print(
            f"  load {variant:<14} {float(seconds):6.2f} s  {r['max_process_hwm_bytes'] / 2**20:7.0f} MiB", flush=True
        )
        shutil.rmtree(store, ignore_errors=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--chapters", type=int, default=1140)
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--top", type=int, default=35, help="functions listed from the profile")
    ap.add_argument("--live", action="store_true", help="profile the working tree, not a copy taken at start")
    ap.add_argument("--no-load-variants", dest="load_variants", action="store_false")
    args = ap.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="livertox-profile-"))
    result: dict = {"chapters": args.chapters, "cpu_count": os.cpu_count(), "python": sys.version.split()[0]}
    try:
        code_root, result["code"] = code_under_test(args.live, work)
        sys.path.insert(0, str(code_root))
        m = _Modules()
        corpus = make_corpus(args.corpus, args.chapters, work)
        folder = Path(corpus["folder"])
        timer = Timer()
        env = dict(os.environ, PYTHONPATH=str(code_root), BENCH_CWD=str(code_root))

        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import livertox_kg.cli, pyoxigraph"], cwd=code_root, env=env, check=True)
        timer.add("startup", time.perf_counter() - t)
        timer.mark("startup")

        t = time.perf_counter()
        items = list(m.iter_sources([folder]))
        timer.add("sources", time.perf_counter() - t)
        timer.mark("sources")
        docs = [i for i in items if isinstance(i, m.SourceDoc)]
        results = [convert_timed(m, d, timer) for d in docs]
        timer.mark("convert")
        del items, docs
        loaded = [r for r in results if isinstance(r, m.build.Converted)]
        result["bad_sources"] = len(results) - len(loaded)
        del results
        result["nquads_bytes"] = sum(len(c.nquads) for c in loaded)
        result["statements"] = sum(c.nquads.count(b"\n") for c in loaded)
        del loaded

        store = work / "store"
        timed_write(m, store, folder, timer, "write")
        t = time.perf_counter()
        s = m.summarize(m.store_mod.open_read_only(store))
        timer.add("summary", time.perf_counter() - t)
        timer.mark("summary")
        result["triples"] = s.triples
        nq = work / "build.nq"
        import pyoxigraph as ox

        ox.Store.read_only(str((store / "current").resolve())).dump(str(nq), format=ox.RdfFormat.N_QUADS)
        timed_write(m, store, folder, timer, "rewrite")

        # incremental rebuilds: nothing changed, then one chapter edited
        t = time.perf_counter()
        m.build_mod.build(store, [folder])
        result["no_change_rebuild_s"] = time.perf_counter() - t
        one = sorted(folder.glob("*.nxml"))[0]
        one.write_bytes(one.read_bytes() + b"\n<!-- edited -->\n")
        t = time.perf_counter()
        m.build_mod.build(store, [folder])
        result["one_chapter_rebuild_s"] = time.perf_counter() - t

        stages = [
            "startup",
            "sources",
            "read",
            "interpret",
            "rdf",
            "nquads",
            "checksum",
            "write",
            "summary",
        ]
        result["stages_s"] = {k: timer.t[k] for k in stages if k in timer.t}
        result["serial_build_s"] = sum(result["stages_s"].values())
        result["peak_rss_after_mib"] = timer.peak
        result["write_breakdown_s"] = {k: v for k, v in timer.t.items() if k.startswith("write.")}
        result["rebuild_s"] = {k: v for k, v in timer.t.items() if k.startswith("rewrite")}

        # cProfile of the serial pipeline (slower than the timings above: profiling overhead)
        store2 = work / "store-profiled"
        prof = cProfile.Profile()
        prof.enable()
        m.build_mod.build(store2, [folder])
        m.summarize(m.store_mod.open_read_only(store2))
        prof.disable()
        text = io.StringIO()
        st = pstats.Stats(prof, stream=text).strip_dirs()
        st.sort_stats("tottime").print_stats(args.top)
        st.sort_stats("cumulative").print_stats(args.top)
        shutil.rmtree(store2, ignore_errors=True)
        shutil.rmtree(store, ignore_errors=True)

        if args.load_variants:
            print("load variants (fresh process each):", flush=True)
            result["load_variants"] = load_variants(nq, work, env)

        total = result["serial_build_s"]
        lines = [
            f"{args.chapters} chapters, {result['triples']} triples, {result['nquads_bytes'] / 2**20:.0f} MiB of"
            f" chapter N-Quads; code {result['code']['git_head'][:10]}"
            f"{' snapshot ' + result['code']['sha256'][:12] if result['code']['snapshot'] else ' (live tree)'}",
            "\nstage              seconds   share   peak RSS after (MiB; one process, serial)",
        ]
        for k, v in result["stages_s"].items():
            peak = timer.peak.get(k) or (
                timer.peak.get("convert") if k in ("read", "interpret", "rdf", "nquads", "checksum") else None
            )
            lines.append(f"  {k:<16} {v:8.2f}  {100 * v / total:5.1f} %  {peak or 0:8.0f}")
        lines.append(f"  {'total':<16} {total:8.2f}")
        lines.append("\nbuild into a new store (conversion included; the stages overlap: they do not add up)")
        lines += [f"  {k:<34} {v:8.2f}" for k, v in result["write_breakdown_s"].items()]
        lines.append("\nrebuild with --force into the same store (every chapter graph replaced)")
        lines += [f"  {k:<34} {v:8.2f}" for k, v in result["rebuild_s"].items()]
        lines.append(
            f"\nincremental: no-change rebuild {result['no_change_rebuild_s']:.2f} s, one edited chapter"
            f" {result['one_chapter_rebuild_s']:.2f} s (in this process: no interpreter start-up)"
        )
        if args.load_variants:
            lines.append("\nbulk-loading the build's N-Quads, fresh process each (peak = the process's VmHWM)")
            for v in result["load_variants"]:
                lines.append(
                    f"  {v['variant']:<16} {v['load_s']:7.2f} s  CPU {v['cpu_s']:6.2f} s"
                    f"  peak {v['peak_rss_bytes'] / 2**20:6.0f} MiB"
                    f"  ({v['quads']} quads; others used {v['other_cpu_s']:.1f} s CPU)"
                )
        report_text = "\n".join(lines)
        print(report_text)
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "profile.json").write_text(json.dumps(result, indent=2) + "\n")
        (args.out / "profile.txt").write_text(report_text + "\n\n" + text.getvalue())
        print(f"\nwrote {args.out / 'profile.json'} and {args.out / 'profile.txt'} (cProfile listing)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
