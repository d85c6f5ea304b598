#!/usr/bin/env python
"""Benchmark validation at archive scale: pySHACL against livertox-kg's engine, one new chapter, the build.

Run from the repository root::

    python bench/bench_validate.py [--chapters 1140] [--runs 3] [--out bench/out] [--skip-pyshacl]

All in one run, on the scale corpus of ``bench_build.make_corpus`` (the corpus chapters copied under new
chapter ids up to 1,140 chapters):

1. ``build DIR --store NEW``: the whole build, validation included (target: at most 15 s). The build's own
   line ``validation: ... in X s`` gives the share of validation.
2. The store's graph (every chapter graph and the vocabulary, as the whole-store ``validate`` sees it) is
   exported once to N-Triples. Then, side by side, each in a fresh process, on that same file and with the
   same shapes (SHACL Core, ``shapes/*.ttl``: pySHACL needs minutes per thousand focus nodes for SPARQL
   constraints, since it parses each query again for every focus node):

   a. ``pyshacl.validate``: rdflib parses the file, then pySHACL validates;
   b. ours: the file into :class:`DataGraph`, then :class:`Validator`;

   and the two sets of results (focus node, path, value, constraint component, shape, severity) must be
   equal. Target: ours at least 5 times faster (validation alone; parse + validation is shown too). Ours is
   also timed with every shape (Core and SPARQL checks), and ``livertox-kg validate`` on the whole store.
3. ``validate CHAPTER --store SCALE``: one new chapter (a typical one, and the one citing the most
   references) against the full store, the whole command in a fresh process (target: at most 1.5 s).

Wall time is ``time.perf_counter`` around the subprocess; memory is the peak RSS summed over the process tree
(``bench_build.run_measured``). Results go to ``OUT/validate.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "dev"))  # the working tree as the package

from bench_build import DEFAULT_CORPUS, machine_info, make_corpus, run_measured  # noqa: E402

TARGET_SPEEDUP = 5.0
TARGET_ONE_CHAPTER_S = 1.5
TARGET_BUILD_S = 15.0
CHAPTERS = ("aldesleukin.nxml", "isoniazid.nxml")  # typical (24 references) and the most cited (417)


# --------------------------------------------------------------------------------------------------
# workers, run as ``bench_validate.py --worker KIND NTRIPLES SHAPES OUT`` in a fresh process


def _shape_files(which: str) -> list[tuple[str, bytes]]:
    from livertox_kg.validation.shapes_graph import shape_files

    files = shape_files()
    return files if which == "all" else [f for f in files if "/sparql/" not in f[0]]


def worker_pyshacl(ntriples: Path, which: str, out: Path) -> None:
    import pyshacl
    import rdflib
    from rdflib import BNode, Literal, URIRef

    rdflib.NORMALIZE_LITERALS = False
    result: dict = {}
    t = time.perf_counter()
    data = rdflib.Graph()
    data.parse(str(ntriples), format="nt")
    result["parse_s"] = time.perf_counter() - t
    result["triples"] = len(data)
    shapes = rdflib.Graph()
    for _, text in _shape_files(which):
        shapes.parse(data=text, format="turtle")
    t = time.perf_counter()
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    result["validate_s"] = time.perf_counter() - t
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")

    def term(x: object) -> str:
        if x is None:
            return ""
        if isinstance(x, URIRef):
            return f"<{x}>"
        if isinstance(x, BNode):
            return "_:"
        assert isinstance(x, Literal)
        import pyoxigraph as ox

        datatype = ox.NamedNode(str(x.datatype)) if x.datatype else None
        return str(ox.Literal(str(x), datatype=datatype, language=x.language))

    keys = sorted(
        "\t".join(
            (
                term(report.value(r, sh.focusNode)),
                term(report.value(r, sh.resultPath)),
                term(report.value(r, sh.value)),
                str(report.value(r, sh.sourceConstraintComponent)),
                term(report.value(r, sh.sourceShape)),
                str(report.value(r, sh.resultSeverity)),
            )
        )
        for r in report.subjects(rdflib.RDF.type, sh.ValidationResult)
    )
    result["results"] = len(keys)
    out.write_text("\n".join(keys) + "\n")
    print(json.dumps(result))


def worker_ours(ntriples: Path, which: str, out: Path) -> None:
    from livertox_kg.validation.datagraph import DataGraph
    from livertox_kg.validation.engine import Validator
    from livertox_kg.validation.shapes_graph import parse

    result: dict = {}
    t = time.perf_counter()
    data = DataGraph()
    data.add_ntriples_text(ntriples.read_text(encoding="utf-8"))
    result["parse_s"] = time.perf_counter() - t
    result["triples"] = len(data)
    t = time.perf_counter()
    results = Validator(parse(_shape_files(which))).validate(data)
    result["validate_s"] = time.perf_counter() - t
    keys = sorted("\t".join("_:" if k.startswith("_:") else k for k in r.key()) for r in results)
    result["results"] = len(keys)
    out.write_text("\n".join(keys) + "\n")
    print(json.dumps(result))


# --------------------------------------------------------------------------------------------------


def _cli(python: str, *args: str) -> list[str]:
    return [python, "-m", "livertox_kg", *args]


def _worker(python: str, kind: str, ntriples: Path, which: str, out: Path, env: dict[str, str]) -> dict:
    r = run_measured([python, str(Path(__file__).resolve()), "--worker", kind, str(ntriples), which, str(out)], env)
    if r["returncode"] != 0:
        sys.stderr.write(r["stderr"][-4000:])
        raise SystemExit(f"worker {kind} failed")
    r.update(json.loads(r.pop("stdout").strip().splitlines()[-1]))
    r.pop("stderr")
    return r


def _mib(n: float) -> str:
    return f"{n / 2**20:,.0f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--chapters", type=int, default=1140)
    ap.add_argument("--runs", type=int, default=3, help="runs of the fast measurements (median reported)")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--skip-pyshacl", action="store_true", help="leave out the (slow) pySHACL run")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--worker", nargs=4, metavar=("KIND", "NTRIPLES", "SHAPES", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        kind, nt, which, out = args.worker
        (worker_pyshacl if kind == "pyshacl" else worker_ours)(Path(nt), which, Path(out))
        return 0

    import pyoxigraph as ox

    python = sys.executable
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO / "dev"), env.get("PYTHONPATH", "")) if p)
    env.pop("LIVERTOX_KG_STORE", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package has its bytecode compiled
    subprocess.run([python, "-m", "compileall", "-q", str(REPO / "validation")], check=False, env=env)
    work = Path(tempfile.mkdtemp(prefix="livertox-bench-validate-"))
    results: dict = {"machine": machine_info(python), "runs": args.runs}
    try:
        corpus = make_corpus(args.corpus, args.chapters, work)
        results["corpus"] = {k: corpus[k] for k in ("chapters", "real_chapters", "copies", "xml_bytes")}
        folder = Path(corpus["folder"])
        print(
            f"corpus: {corpus['chapters']} chapters ({corpus['real_chapters']} real, {corpus['copies']} copies)",
            flush=True,
        )

        # 1. the build, validation included
        builds = []
        for i in range(args.runs):
            store = work / f"store-{i}"
            r = run_measured(_cli(python, "build", str(folder), "--store", str(store)), env)
            if r["returncode"] != 0:
                sys.stderr.write(r["stderr"][-3000:])
                raise SystemExit("build failed")
            line = next((x for x in r["stderr"].splitlines() if x.startswith("validation:")), "")
            r["validation_s"] = float(line.rsplit(" in ", 1)[1].split(" s")[0]) if " in " in line else None
            r["validation_line"] = line
            del r["stdout"], r["stderr"]
            builds.append(r)
            print(f"  build run {i + 1}: {r['wall_s']:.2f} s (validation {r['validation_s']} s)", flush=True)
            if i:
                shutil.rmtree(store)
        store = work / "store-0"
        results["build"] = builds

        # 2. whole graph: export once, then pySHACL and ours on the same file
        nt = work / "graph.nt"
        gen = ox.Store.read_only(str((store / "current").resolve()))
        query = (
            "CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
            "FILTER (?g != <https://w3id.org/livertox-kg/graph/dataset-description>) } }"
        )
        t = time.perf_counter()
        exported = gen.query(query)
        assert isinstance(exported, ox.QueryTriples)
        exported.serialize(str(nt), format=ox.RdfFormat.N_TRIPLES)
        results["export_s"] = time.perf_counter() - t
        del gen
        print(f"  exported {nt.stat().st_size / 2**20:.0f} MiB of N-Triples in {results['export_s']:.1f} s", flush=True)

        ours = []
        for i in range(args.runs):
            r = _worker(python, "ours", nt, "core", work / "ours-core.tsv", env)
            ours.append(r)
            print(
                f"  ours (Core)     run {i + 1}: parse {r['parse_s']:.2f} s + validate {r['validate_s']:.2f} s",
                flush=True,
            )
        results["ours_core"] = ours
        ours_all = []
        for i in range(args.runs):
            r = _worker(python, "ours", nt, "all", work / "ours-all.tsv", env)
            ours_all.append(r)
            print(
                f"  ours (all)      run {i + 1}: parse {r['parse_s']:.2f} s + validate {r['validate_s']:.2f} s",
                flush=True,
            )
        results["ours_all"] = ours_all
        whole = []
        for i in range(args.runs):
            r = run_measured(_cli(python, "validate", "--store", str(store)), env)
            del r["stdout"], r["stderr"]
            whole.append(r)
            print(f"  validate store  run {i + 1}: {r['wall_s']:.2f} s", flush=True)
        results["validate_store_command"] = whole

        if not args.skip_pyshacl:
            r = _worker(python, "pyshacl", nt, "core", work / "pyshacl-core.tsv", env)
            results["pyshacl_core"] = r
            print(
                f"  pySHACL (Core)        : parse {r['parse_s']:.2f} s + validate {r['validate_s']:.2f} s", flush=True
            )
            same = (work / "pyshacl-core.tsv").read_text() == (work / "ours-core.tsv").read_text()
            results["same_results"] = same
            if not same:
                a = set((work / "pyshacl-core.tsv").read_text().splitlines())
                b = set((work / "ours-core.tsv").read_text().splitlines())
                results["only_pyshacl"] = sorted(a - b)[:20]
                results["only_ours"] = sorted(b - a)[:20]

        # 3. one new chapter against the full store
        one: dict[str, list[dict]] = {}
        for name in CHAPTERS:
            one[name] = []
            for i in range(args.runs):
                r = run_measured(
                    _cli(python, "validate", str(_chapter_file(args.corpus, name)), "--store", str(store)), env
                )
                if r["returncode"] not in (0, 1):
                    sys.stderr.write(r["stderr"][-2000:])
                    raise SystemExit("validate failed")
                del r["stdout"], r["stderr"]
                one[name].append(r)
                print(f"  validate {name:<18} run {i + 1}: {r['wall_s']:.2f} s", flush=True)
        results["one_chapter"] = one

        summary = _summary(results)
        results["summary"] = summary
        _print(summary)
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "validate.json").write_text(json.dumps(results, indent=2) + "\n")
        print(f"\nwrote {args.out / 'validate.json'}")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def _summary(results: dict) -> dict:
    s: dict = {
        "build_wall_median_s": _median(results["build"], "wall_s"),
        "build_validation_median_s": statistics.median(
            r["validation_s"] for r in results["build"] if r["validation_s"] is not None
        ),
        "build_peak_rss_bytes": max(r["tree_peak_rss_bytes"] for r in results["build"]),
        "triples": results["ours_core"][0]["triples"],
        "ours_core_parse_s": _median(results["ours_core"], "parse_s"),
        "ours_core_validate_s": _median(results["ours_core"], "validate_s"),
        "ours_core_peak_rss_bytes": max(r["tree_peak_rss_bytes"] for r in results["ours_core"]),
        "ours_all_validate_s": _median(results["ours_all"], "validate_s"),
        "ours_results_core": results["ours_core"][0]["results"],
        "ours_results_all": results["ours_all"][0]["results"],
        "validate_store_command_s": _median(results["validate_store_command"], "wall_s"),
        "one_chapter_s": {name: _median(runs, "wall_s") for name, runs in results["one_chapter"].items()},
    }
    if "pyshacl_core" in results:
        p = results["pyshacl_core"]
        s.update(
            pyshacl_parse_s=p["parse_s"],
            pyshacl_validate_s=p["validate_s"],
            pyshacl_peak_rss_bytes=p["tree_peak_rss_bytes"],
            pyshacl_results=p["results"],
            same_results=results["same_results"],
            speedup_validate=p["validate_s"] / s["ours_core_validate_s"],
            speedup_parse_and_validate=(p["parse_s"] + p["validate_s"])
            / (s["ours_core_parse_s"] + s["ours_core_validate_s"]),
        )
    s["targets"] = {
        "speedup": TARGET_SPEEDUP,
        "one_chapter_s": TARGET_ONE_CHAPTER_S,
        "build_s": TARGET_BUILD_S,
        "speedup_ok": s.get("speedup_validate", 0) >= TARGET_SPEEDUP,
        "one_chapter_ok": all(v <= TARGET_ONE_CHAPTER_S for v in s["one_chapter_s"].values()),
        "build_ok": s["build_wall_median_s"] <= TARGET_BUILD_S,
    }
    return s


def _print(s: dict) -> None:
    ok = {True: "ok", False: "FAIL"}
    t = s["targets"]
    print(f"\n{s['triples']:,} distinct triples in the scale graph")
    print(
        f"build (validation included)  {s['build_wall_median_s']:7.2f} s"
        f"  (validation {s['build_validation_median_s']:.2f} s)  peak {_mib(s['build_peak_rss_bytes'])} MiB"
        f"  target <= {TARGET_BUILD_S:.0f} s: {ok[t['build_ok']]}"
    )
    if "pyshacl_validate_s" in s:
        print(
            f"pySHACL, SHACL Core          parse {s['pyshacl_parse_s']:7.2f} s"
            f"  validate {s['pyshacl_validate_s']:8.2f} s"
            f"  peak {_mib(s['pyshacl_peak_rss_bytes'])} MiB  {s['pyshacl_results']} results"
        )
    print(
        f"ours, SHACL Core             parse {s['ours_core_parse_s']:7.2f} s"
        f"  validate {s['ours_core_validate_s']:8.2f} s"
        f"  peak {_mib(s['ours_core_peak_rss_bytes'])} MiB  {s['ours_results_core']} results"
    )
    print(f"ours, every shape (+SPARQL)  validate {s['ours_all_validate_s']:.2f} s  {s['ours_results_all']} results")
    if "speedup_validate" in s:
        print(
            f"same results: {s['same_results']}; ours is {s['speedup_validate']:.1f}x faster to validate,"
            f" {s['speedup_parse_and_validate']:.1f}x with parsing;"
            f" target >= {TARGET_SPEEDUP:.0f}x: {ok[t['speedup_ok']]}"
        )
    print(f"'livertox-kg validate' on the whole store: {s['validate_store_command_s']:.2f} s")
    for name, secs in s["one_chapter_s"].items():
        print(
            f"'livertox-kg validate {name}' against the full store: {secs:.2f} s"
            f"  target <= {TARGET_ONE_CHAPTER_S} s: {ok[secs <= TARGET_ONE_CHAPTER_S]}"
        )


def _chapter_file(corpus: Path, name: str) -> Path:
    """A chapter file of the corpus by name: in its nxml/ or archive/ folder, or the folder itself."""
    for folder in (corpus / "nxml", corpus / "archive", corpus):
        if (folder / name).is_file():
            return folder / name
    raise SystemExit(f"{name} is not in {corpus}")


if __name__ == "__main__":
    sys.exit(main())
