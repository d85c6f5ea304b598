#!/usr/bin/env python
"""Benchmark ``livertox-kg build`` at archive scale, against a floor of "parse the XML + bulk-load the quads".

Run from the repository root::

    python bench/bench_build.py [--chapters 1140] [--runs 3] [--out bench/out]

Steps (all in one run):

1. A scale corpus of N chapters is written to a temporary folder: every real chapter of the corpus
   (``archive/`` and ``nxml/``: 613 files, 612 chapter ids; the 2026 copy of metoprolol is left out as a
   second version of a chapter) as it is, then, up to N, copies of the drug, herbal and class chapters
   round-robin under new chapter ids (``Abiraterone`` -> ``Abiraterone_c0042``: root
   ``book-part-wrapper id``, ``book-part-id`` and the ``id="Abiraterone.`` prefixes of sections, tables
   and references), so each copy is a chapter graph of its own (front matter and phenotype chapters are
   not copied: the book has one of each); the same files also go into a ``.tar.gz`` laid out like
   NCBI's (``livertox_NBK547852/<name>.nxml``).
2. Each measurement runs ``--runs`` times, each time in a fresh subprocess:

   a. ``build DIR --store NEW``        the whole build from the folder into a new store
   b. ``build ARCHIVE --store NEW``    the same from the ``.tar.gz``
   c. ``build DIR --store EXISTING``   a rebuild into the store of (a): the replace path
   d. floor                            lxml parse of the same files + ``bulk_load`` of the very N-Quads
                                       the build produced (dumped from a built store beforehand) into a
                                       fresh on-disk store, in one process

   Wall time is ``time.perf_counter`` around the subprocess (interpreter start-up included); CPU time
   is user+sys of the process tree (``wait4``); the CPU other processes used meanwhile is recorded too
   (on a shared machine, wall times are only as good as that is small). Memory, sampled from ``/proc``
   every 20 ms: the sum of RSS (and PSS) over the whole process tree including pool workers, and each
   process's own high-water mark (``VmHWM``). The 1 GB target is checked on the summed tree RSS, which
   counts pages shared by forked workers once per process (an upper bound).
3. Prints a table and writes ``OUT/build.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
ARCHIVE_FOLDER = "livertox_NBK547852"

TARGET_WALL_S = 10.0
TARGET_FLOOR_RATIO = 3.0
TARGET_PEAK_BYTES = 1 << 30  # 1 GiB
TARGET_NO_CHANGE_S = 2.0  # issue 15: a rebuild with nothing changed
TARGET_ONE_CHAPTER_S = 3.0  # issue 15: one changed chapter, validation included

# --------------------------------------------------------------------------------------------------
# 1. the scale corpus

_ROOT_ID = re.compile(rb'(<book-part-wrapper\b[^>]*?\bid=")([^"]+)(")')


def _copy_with_id(data: bytes, suffix: str) -> tuple[bytes, str]:
    """``data`` with its chapter id ``X`` renamed to ``X{suffix}`` where it names the chapter."""
    m = _ROOT_ID.search(data)
    if m is None:
        raise ValueError("no <book-part-wrapper id=...>")
    old = m.group(2)
    new = old + suffix.encode()
    data = data[: m.start(2)] + new + data[m.end(2) :]
    data = re.sub(
        rb"(<book-part-id\b[^>]*>)\s*" + re.escape(old) + rb"\s*(</book-part-id>)",
        rb"\g<1>" + new + rb"\g<2>",
        data,
    )
    data = data.replace(b'id="' + old + b".", b'id="' + new + b".")
    return data, new.decode()


def real_chapters(corpus: Path) -> list[tuple[str, bytes]]:
    """(file stem, bytes) of each real chapter under ``corpus`` (its ``archive/`` and ``nxml/``, or the folder
    itself), one file per chapter id, in file-name order."""
    folders = [d for d in (corpus / "archive", corpus / "nxml") if d.is_dir()] or [corpus]
    out: dict[bytes, tuple[str, bytes]] = {}
    for f in sorted((f for d in folders for f in d.glob("*.nxml")), key=lambda f: f.name):
        data = f.read_bytes()
        m = _ROOT_ID.search(data)
        if m is not None and m.group(2) not in out:
            out[m.group(2)] = (f.stem, data)
    return list(out.values())


_NOT_COPIED = re.compile(rb'<book-app\b|<toc\b|<book-part-wrapper\b[^>]*\bid="Phenotypes_', re.I)


def make_corpus(corpus: Path, n: int, work: Path) -> dict:
    """Write ``n`` chapters to ``work/chapters/`` and ``work/livertox_scale.tar.gz``; return a description."""
    originals = real_chapters(corpus)
    if not originals:
        raise SystemExit(f"no .nxml files in {corpus}")
    copyable = [(stem, data) for stem, data in originals if not _NOT_COPIED.search(data[:4000])]
    folder = work / "chapters"
    folder.mkdir(parents=True)
    archive = work / "livertox_scale.tar.gz"
    total = 0
    ids: set[str] = set()
    with tarfile.open(archive, "w:gz") as tar:
        for i in range(n):
            if i < len(originals):
                stem, copy = originals[i]
                new_id = _ROOT_ID.search(copy).group(2).decode()  # type: ignore[union-attr]
                name = f"{stem}.nxml"
            else:
                stem, data = copyable[(i - len(originals)) % len(copyable)]
                suffix = f"_c{i:04d}"
                copy, new_id = _copy_with_id(data, suffix)
                name = f"{stem}{suffix}.nxml"
            if new_id in ids:
                raise SystemExit(f"chapter id {new_id} minted twice")
            ids.add(new_id)
            (folder / name).write_bytes(copy)
            info = tarfile.TarInfo(f"{ARCHIVE_FOLDER}/{name}")
            info.size = len(copy)
            info.mtime = 0
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(copy))
            total += len(copy)
    return {
        "chapters": n,
        "real_chapters": min(n, len(originals)),
        "copies": max(0, n - len(originals)),
        "source_folder": str(corpus),
        "xml_bytes": total,
        "archive_bytes": archive.stat().st_size,
        "folder": str(folder),
        "archive": str(archive),
    }


# --------------------------------------------------------------------------------------------------
# the code under test, frozen: others may edit the tree while the bench runs


def package_members() -> list[str]:
    """The files and folders of the repository root that make the package (the wheel's ``only-include``)."""
    with (REPO / "pyproject.toml").open("rb") as fh:
        members: list[str] = tomllib.load(fh)["tool"]["hatch"]["build"]["targets"]["wheel"]["only-include"]
    return members


def snapshot_code(dest: Path) -> dict:
    """Copy the package (the repository root's package members) to ``dest/livertox_kg``; return its revision
    and digest. ``PYTHONPATH=dest`` then imports the snapshot."""
    for member in package_members():
        source, target = REPO / member, dest / "livertox_kg" / member
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    digest = hashlib.sha256()
    for f in sorted((dest / "livertox_kg").rglob("*")):
        if f.is_file():
            digest.update(f.relative_to(dest).as_posix().encode() + b"\0" + f.read_bytes())
    dirty = _git("status", "--porcelain")
    return {
        "path": str(dest),
        "git_head": _git("rev-parse", "HEAD"),
        "uncommitted_paths": len(dirty.splitlines()),
        "sha256": digest.hexdigest(),
    }


def code_under_test(live: bool, work: Path) -> tuple[Path, dict]:
    """The code to measure: the working tree (``live``) or a snapshot of it in ``work/code``; and its record."""
    if live:  # dev/livertox_kg imports the working tree as the package
        return REPO / "dev", {"path": str(REPO), "git_head": _git("rev-parse", "HEAD"), "snapshot": False}
    return work / "code", {**snapshot_code(work / "code"), "snapshot": True}


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


# --------------------------------------------------------------------------------------------------
# 2. running one measurement in a fresh process, with memory of the whole process tree


def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may contain spaces and parentheses, so split after the last ')'
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def _tree(pid: int) -> list[int]:
    kids = _children_map()
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, ()))
    return out


def _rss_pss(pid: int) -> tuple[int, int]:
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Rss:"):
                    rss = int(line.split()[1]) * 1024
                elif line.startswith(b"Pss:"):
                    pss = int(line.split()[1]) * 1024
    except OSError:
        pass
    return rss, pss


def _rss_hwm(pid: int) -> tuple[int, int]:
    """Current RSS and its high-water mark (``VmHWM``: per address space, so reset by ``exec``)."""
    rss = hwm = 0
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"VmRSS:"):
                    rss = int(line.split()[1]) * 1024
                elif line.startswith(b"VmHWM:"):
                    hwm = int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return rss, hwm


def _busy_cpu_s() -> float:
    """CPU seconds spent by the whole machine (all processes), from ``/proc/stat``."""
    with open("/proc/stat") as fh:
        fields = [int(x) for x in fh.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


class TreeSampler(threading.Thread):
    """Samples memory of ``pid``'s process tree until stopped.

    * ``peak_rss``: the largest sum of RSS over the tree seen in one sample (pages shared by forked
      workers are counted once per process: an upper bound of what the tree holds at once);
    * ``peak_pss``: the same with PSS (shared pages split between sharers), sampled less often;
    * ``hwm``: each process's own high-water mark (``VmHWM``, exact but for its last ``interval``).

    ``ru_maxrss`` from ``wait4`` is not used for peaks: Linux carries it across ``exec``, so a child
    reports at least the RSS of the process that forked it. Cheap on purpose (the machine may have 2
    CPUs): ``status`` every ``interval``, the process tree every 5th sample, ``smaps_rollup`` (PSS,
    walks page tables) every 10th.
    """

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak_rss = self.peak_pss = 0
        self.max_procs = 0
        self.samples = 0
        self.hwm: dict[int, int] = {}
        self._stop_event = threading.Event()

    def run(self) -> None:
        pids = [self.pid]
        n = 0
        while not self._stop_event.is_set():
            if n % 5 == 0:
                pids = _tree(self.pid)
                self.max_procs = max(self.max_procs, len(pids))
            total = 0
            for p in pids:
                rss, hwm = _rss_hwm(p)
                total += rss
                if hwm > self.hwm.get(p, 0):
                    self.hwm[p] = hwm
            self.peak_rss = max(self.peak_rss, total)
            if n % 10 == 0:
                self.peak_pss = max(self.peak_pss, sum(_rss_pss(p)[1] for p in pids))
            n += 1
            self.samples = n
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def run_measured(cmd: list[str], env: dict[str, str]) -> dict:
    """Run ``cmd`` in a fresh process; wall time, its output, and the memory of its process tree."""
    load_before = os.getloadavg()[0]
    busy0 = _busy_cpu_s()
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=env.get("BENCH_CWD", str(REPO)), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    sampler = TreeSampler(proc.pid)
    sampler.start()
    # Output is small (summary lines, a few warnings); read it in threads so the pipes never fill.
    out_chunks: dict[str, bytes] = {}

    def drain(name: str, stream) -> None:
        out_chunks[name] = stream.read()

    readers = [threading.Thread(target=drain, args=(n, s)) for n, s in (("out", proc.stdout), ("err", proc.stderr))]
    for r in readers:
        r.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    busy = _busy_cpu_s() - busy0
    sampler.stop()
    for r in readers:
        r.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "wall_s": wall,
        "returncode": proc.returncode,
        "stdout": out_chunks.get("out", b"").decode("utf-8", "replace"),
        "stderr": out_chunks.get("err", b"").decode("utf-8", "replace"),
        "max_process_hwm_bytes": max(sampler.hwm.values(), default=0),  # the largest single process
        "sum_process_hwm_bytes": sum(sampler.hwm.values()),  # every process at its own peak: an upper bound
        # Linux ru_maxrss (KiB): max over the child and its reaped descendants, but carried across exec, so
        # at least the launching process's RSS at fork time; kept for reference only
        "wait4_maxrss_bytes": usage.ru_maxrss * 1024,
        "maxrss_single_process_bytes": usage.ru_maxrss * 1024,  # the same, under its earlier name
        "tree_peak_rss_bytes": sampler.peak_rss,
        "tree_peak_pss_bytes": sampler.peak_pss,
        "tree_max_processes": sampler.max_procs,
        "samples": sampler.samples,
        "user_s": usage.ru_utime,
        "sys_s": usage.ru_stime,
        # contention: CPU used by everything else on the machine while this ran (this script included)
        "other_cpu_s": max(0.0, busy - usage.ru_utime - usage.ru_stime),
        "loadavg_1min_before": load_before,
    }


def _build_cmd(python: str, source: Path, store: Path, *options: str) -> list[str]:
    return [python, "-m", "livertox_kg", "build", str(source), "--store", str(store), *options]


# the floor of issue 15: pyoxigraph's own bulk load of the build's N-Quads into an empty on-disk store
_BULK_LOAD = (
    "import sys, pyoxigraph as ox; s = ox.Store(sys.argv[2]);"
    " s.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS); s.flush()"
)


def _summary_value(stdout: str, key: str) -> str | None:
    m = re.search(rf"^{key}\s+(\S+)", stdout, re.M)
    return m.group(1) if m else None


def _check_build(name: str, r: dict) -> None:
    if r["returncode"] != 0:
        sys.stderr.write(r["stderr"][-4000:])
        raise SystemExit(f"{name}: build exited with {r['returncode']}")
    triples = _summary_value(r["stdout"], "triples")
    loaded = re.search(r"^loaded (\d+) chapter", r["stdout"], re.M)
    r["triples"] = int(triples) if triples else None
    r["chapters_loaded"] = int(loaded.group(1)) if loaded else None
    secs = _summary_value(r["stdout"], "seconds")
    r["cli_reported_s"] = float(secs) if secs else None
    r["warnings"] = sum(1 for line in r["stderr"].splitlines() if line.startswith("warning:"))
    r["stderr_tail"] = r["stderr"][-400:]
    del r["stdout"], r["stderr"]


# --------------------------------------------------------------------------------------------------
# the floor, run as ``bench_build.py --floor-worker FOLDER NQUADS STORE`` in a fresh process


def floor_worker(folder: Path, nquads: Path, store_dir: Path, archive: Path | None) -> None:
    import pyoxigraph as ox

    result: dict = {}
    files = sorted(p for p in folder.iterdir() if p.name.endswith(".nxml"))
    t = time.perf_counter()
    blobs = [p.read_bytes() for p in files]
    result["read_files_s"] = time.perf_counter() - t
    result["files"] = len(blobs)
    try:
        from lxml import etree

        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        result["parser"] = f"lxml {etree.__version__} (resolve_entities=False, no_network=True, load_dtd=False)"

        def parse(data: bytes) -> object:
            return etree.fromstring(data, parser)

    except ImportError:
        import xml.etree.ElementTree as ET

        result["parser"] = "xml.etree.ElementTree (lxml not importable)"

        def parse(data: bytes) -> object:
            return ET.fromstring(data)

    t = time.perf_counter()
    elements = 0
    for data in blobs:
        root = parse(data)
        elements += 1 if root is not None else 0
    result["parse_s"] = time.perf_counter() - t

    # For reference, not part of the floor: the parsers the build could use, on the same bytes.
    import xml.etree.ElementTree as ET

    t = time.perf_counter()
    for data in blobs:
        ET.fromstring(data)
    result["ref_parse_etree_s"] = time.perf_counter() - t
    try:
        from defusedxml.ElementTree import fromstring as safe_fromstring

        t = time.perf_counter()
        for data in blobs:
            safe_fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
        result["ref_parse_defusedxml_s"] = time.perf_counter() - t
    except ImportError:
        result["ref_parse_defusedxml_s"] = None
    if archive is not None:
        t = time.perf_counter()
        n = 0
        with tarfile.open(archive, "r|*") as tar:
            for member in tar:
                fh = tar.extractfile(member)
                if fh is not None:
                    n += len(fh.read())
        result["ref_read_archive_s"] = time.perf_counter() - t
    del blobs

    data = nquads.read_bytes()
    result["nquads_bytes"] = len(data)
    t = time.perf_counter()
    store = ox.Store(str(store_dir))
    store.bulk_load(input=data, format=ox.RdfFormat.N_QUADS)
    store.flush()
    result["load_s"] = time.perf_counter() - t
    result["quads_loaded"] = len(store)
    result["floor_s"] = result["parse_s"] + result["load_s"]
    print(json.dumps(result))


# --------------------------------------------------------------------------------------------------
# 3. reporting


def _mib(n: float | None) -> str:
    return "-" if n is None else f"{n / 2**20:,.0f}"


def _agg(runs: list[dict]) -> dict:
    walls = [r["wall_s"] for r in runs]
    agg = {
        "wall_median_s": statistics.median(walls),
        "wall_min_s": min(walls),
        "wall_max_s": max(walls),
        "tree_peak_rss_max_bytes": max(r["tree_peak_rss_bytes"] for r in runs),
        "tree_peak_pss_max_bytes": max(r["tree_peak_pss_bytes"] for r in runs),
        "max_process_hwm_max_bytes": max(r["max_process_hwm_bytes"] for r in runs),
        "sum_process_hwm_max_bytes": max(r["sum_process_hwm_bytes"] for r in runs),
        "cpu_median_s": statistics.median(r["user_s"] + r["sys_s"] for r in runs),
        "cpu_min_s": min(r["user_s"] + r["sys_s"] for r in runs),
        "other_cpu_median_s": statistics.median(r["other_cpu_s"] for r in runs),
    }
    if all(r.get("cli_reported_s") is not None for r in runs):
        agg["cli_reported_median_s"] = statistics.median(r["cli_reported_s"] for r in runs)
    if "floor_s" in runs[0]:
        for key in ("parse_s", "load_s", "floor_s", "read_files_s", "ref_parse_etree_s", "ref_parse_defusedxml_s"):
            vals = [r[key] for r in runs if r.get(key) is not None]
            if vals:
                agg[f"{key[:-2]}_median_s"] = statistics.median(vals)
                agg[f"{key[:-2]}_min_s"] = min(vals)
    return agg


def machine_info(python: str) -> dict:
    import pyoxigraph

    try:
        from lxml import etree

        lxml_version = etree.__version__
    except ImportError:
        lxml_version = None
    mem_total = None
    with open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                mem_total = int(line.split()[1]) * 1024
    cpu_model = None
    with open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    return {
        "cpu_count": os.cpu_count(),
        "cpu_affinity": len(os.sched_getaffinity(0)),
        "cpu_model": cpu_model,
        "mem_total_bytes": mem_total,
        "python": sys.version.split()[0],
        "python_executable": python,
        "platform": platform.platform(),
        "pyoxigraph": pyoxigraph.__version__,
        "lxml": lxml_version,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--chapters", type=int, default=1140, help="chapters in the scale corpus (default 1140)")
    ap.add_argument("--runs", type=int, default=3, help="runs per measurement (median and min reported)")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    ap.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS,
        help="the corpus: its archive/ and nxml/ chapters (or a folder of .nxml)",
    )
    ap.add_argument("--keep", action="store_true", help="keep the temporary corpus and stores")
    ap.add_argument(
        "--live",
        action="store_true",
        help="run the package in the working tree, not a copy taken at start (others' edits then show mid-run)",
    )
    ap.add_argument("--floor-worker", nargs=4, metavar=("FOLDER", "NQUADS", "STORE", "ARCHIVE"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.floor_worker:
        folder, nquads, store_dir, archive = args.floor_worker
        floor_worker(Path(folder), Path(nquads), Path(store_dir), Path(archive) if archive != "-" else None)
        return 0

    import pyoxigraph as ox

    python = sys.executable
    work = Path(tempfile.mkdtemp(prefix="livertox-bench-"))
    results: dict = {"machine": machine_info(python), "runs_per_measurement": args.runs}
    try:
        code_root, results["code"] = code_under_test(args.live, work)
        print(
            f"code: {results['code']['path']} (HEAD {results['code']['git_head'][:10]}"
            f"{', snapshot ' + results['code']['sha256'][:12] if not args.live else ', live tree'})",
            flush=True,
        )
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(code_root), env.get("PYTHONPATH", "")) if p)
        env.pop("LIVERTOX_KG_STORE", None)
        env["BENCH_CWD"] = str(code_root)  # ``python -m`` puts the cwd first on sys.path: keep it on the snapshot
        t = time.perf_counter()
        corpus = make_corpus(args.corpus, args.chapters, work)
        corpus["make_s"] = time.perf_counter() - t
        results["corpus"] = corpus
        print(
            f"corpus: {corpus['chapters']} chapters ({corpus['real_chapters']} real, {corpus['copies']} copies), "
            f"{corpus['xml_bytes'] / 2**20:.1f} MiB XML, archive {corpus['archive_bytes'] / 2**20:.1f} MiB "
            f"({corpus['make_s']:.1f} s)",
            flush=True,
        )
        folder, archive = Path(corpus["folder"]), Path(corpus["archive"])
        stores = work / "stores"
        stores.mkdir()
        measurements: dict[str, list[dict]] = {"a_build_folder": [], "b_build_archive": [], "c_rebuild_folder": []}

        rebuild_store = stores / "a-0"
        for i in range(args.runs):
            store = stores / f"a-{i}"
            r = run_measured(_build_cmd(python, folder, store), env)
            _check_build("a", r)
            measurements["a_build_folder"].append(r)
            print(
                f"  a build folder   run {i + 1}: {r['wall_s']:6.2f} s  {_mib(r['tree_peak_rss_bytes'])} MiB",
                flush=True,
            )
        # The N-Quads the build produced, for the floor (not timed): from a store nothing else touched.
        nquads_file = work / "build.nq"
        dumped = ox.Store.read_only(str((stores / f"a-{args.runs - 1}" / "current").resolve()))
        dumped.dump(str(nquads_file), format=ox.RdfFormat.N_QUADS)
        results["nquads_dump"] = {"bytes": nquads_file.stat().st_size, "quads": len(dumped)}
        del dumped
        for i in range(1, args.runs):
            shutil.rmtree(stores / f"a-{i}")

        for i in range(args.runs):
            store = stores / f"b-{i}"
            r = run_measured(_build_cmd(python, archive, store), env)
            _check_build("b", r)
            measurements["b_build_archive"].append(r)
            print(
                f"  b build archive  run {i + 1}: {r['wall_s']:6.2f} s  {_mib(r['tree_peak_rss_bytes'])} MiB",
                flush=True,
            )
            shutil.rmtree(store)

        for i in range(args.runs):
            r = run_measured(_build_cmd(python, folder, rebuild_store, "--force"), env)
            _check_build("c", r)
            measurements["c_rebuild_folder"].append(r)
            print(
                f"  c rebuild folder run {i + 1}: {r['wall_s']:6.2f} s  {_mib(r['tree_peak_rss_bytes'])} MiB",
                flush=True,
            )

        for key, label in (("e_no_change", "e no change      "), ("f_one_chapter", "f one chapter    ")):
            measurements[key] = []
            for i in range(args.runs):
                if key == "f_one_chapter":  # another edit of the same chapter each run: one changed source
                    edited = sorted(folder.glob("*.nxml"))[0]
                    edited.write_bytes(edited.read_bytes() + f"\n<!-- edit {i} -->\n".encode())
                r = run_measured(_build_cmd(python, folder, rebuild_store), env)
                _check_build(key, r)
                measurements[key].append(r)
                print(f"  {label} run {i + 1}: {r['wall_s']:6.2f} s  {_mib(r['tree_peak_rss_bytes'])} MiB", flush=True)

        measurements["g_bulk_load"] = []
        for i in range(args.runs):
            store = stores / f"bulk-{i}"
            r = run_measured([python, "-c", _BULK_LOAD, str(nquads_file), str(store)], env)
            if r["returncode"] != 0:
                raise SystemExit(f"bulk load failed: {r['stderr'][-2000:]}")
            measurements["g_bulk_load"].append(r)
            print(
                f"  g bulk_load      run {i + 1}: {r['wall_s']:6.2f} s  {_mib(r['tree_peak_rss_bytes'])} MiB",
                flush=True,
            )
            shutil.rmtree(store)

        measurements["d_floor"] = []
        for i in range(args.runs):
            store = stores / f"floor-{i}"
            cmd = [
                python,
                str(Path(__file__).resolve()),
                "--floor-worker",
                str(folder),
                str(nquads_file),
                str(store),
                str(archive),
            ]
            r = run_measured(cmd, env)
            if r["returncode"] != 0:
                sys.stderr.write(r["stderr"])
                raise SystemExit("floor worker failed")
            r.update(json.loads(r.pop("stdout").strip().splitlines()[-1]))
            r.pop("stderr")
            measurements["d_floor"].append(r)
            print(
                f"  d floor          run {i + 1}: parse {r['parse_s']:.2f} s + load {r['load_s']:.2f} s"
                f" = {r['floor_s']:.2f} s  ({r['parser'].split(' (')[0]})",
                flush=True,
            )
            shutil.rmtree(store)
        results["measurements"] = measurements
        summary = {name: _agg(runs) for name, runs in measurements.items()}
        results["summary"] = summary

        floor = summary["d_floor"]["floor_median_s"]
        checks = {}
        for name in ("a_build_folder", "b_build_archive", "c_rebuild_folder"):
            s = summary[name]
            checks[name] = {
                "wall_median_s": s["wall_median_s"],
                "wall_ok": s["wall_median_s"] <= TARGET_WALL_S,
                "floor_ratio": s["wall_median_s"] / floor,
                "floor_ratio_ok": s["wall_median_s"] / floor <= TARGET_FLOOR_RATIO,
                "peak_bytes": s["tree_peak_rss_max_bytes"],
                "peak_ok": s["tree_peak_rss_max_bytes"] <= TARGET_PEAK_BYTES,
            }
        bulk = summary["g_bulk_load"]
        results["issue_15_targets"] = {
            "no_change_s": (summary["e_no_change"]["wall_median_s"], TARGET_NO_CHANGE_S),
            "one_chapter_s": (summary["f_one_chapter"]["wall_median_s"], TARGET_ONE_CHAPTER_S),
            "full_build_time_ratio": (summary["a_build_folder"]["wall_median_s"] / bulk["wall_median_s"], 1.3),
            "full_build_memory_ratio": (
                summary["a_build_folder"]["tree_peak_rss_max_bytes"] / bulk["tree_peak_rss_max_bytes"],
                1.2,
            ),
        }
        results["targets"] = {
            "wall_s": TARGET_WALL_S,
            "floor_ratio": TARGET_FLOOR_RATIO,
            "peak_bytes": TARGET_PEAK_BYTES,
            "floor_median_s": floor,
            "peak_measure": "max over runs of the sampled RSS sum over the process tree",
            "checks": checks,
        }
        triples = {
            r.get("triples")
            for name in ("a_build_folder", "b_build_archive", "c_rebuild_folder")
            for r in measurements[name]
        }
        results["triples"] = sorted(t for t in triples if t is not None)

        print_table(results)
        args.out.mkdir(parents=True, exist_ok=True)
        out = args.out / "build.json"
        out.write_text(json.dumps(results, indent=2) + "\n")
        print(f"\nwrote {out}")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def print_table(results: dict) -> None:
    s = results["summary"]
    m = results["machine"]
    print(
        f"\n{results['corpus']['chapters']} chapters, {results['triples']} triples; "
        f"{m['cpu_count']} CPUs, Python {m['python']}, pyoxigraph {m['pyoxigraph']}; "
        f"median (min) of {results['runs_per_measurement']} runs"
    )
    head = (
        f"{'measurement':<20} {'wall s':>16} {'in-CLI s':>9} {'CPU s':>7} {'others s':>9}"
        f" {'tree RSS MiB':>13} {'tree PSS MiB':>13} {'1-proc MiB':>11}"
    )
    print(head)
    print("-" * len(head))
    labels = {
        "a_build_folder": "a build folder",
        "b_build_archive": "b build archive",
        "c_rebuild_folder": "c rebuild --force",
        "d_floor": "d floor (parse+load)",
        "e_no_change": "e no-change rebuild",
        "f_one_chapter": "f one-chapter",
        "g_bulk_load": "g bulk_load floor",
    }
    for name, label in labels.items():
        a = s[name]
        wall = f"{a['wall_median_s']:.2f} ({a['wall_min_s']:.2f})"
        cli = f"{a['cli_reported_median_s']:.2f}" if "cli_reported_median_s" in a else "-"
        print(
            f"{label:<20} {wall:>16} {cli:>9} {a['cpu_median_s']:>7.2f} {a['other_cpu_median_s']:>9.2f}"
            f" {_mib(a['tree_peak_rss_max_bytes']):>13}"
            f" {_mib(a['tree_peak_pss_max_bytes']):>13} {_mib(a['max_process_hwm_max_bytes']):>11}"
        )
    f = s["d_floor"]
    print(
        f"\nfloor: parse {f['parse_median_s']:.2f} s ({f['parse_min_s']:.2f}) + load {f['load_median_s']:.2f} s"
        f" ({f['load_min_s']:.2f}) = {f['floor_median_s']:.2f} s ({f['floor_min_s']:.2f}); "
        f"parser: {results['measurements']['d_floor'][0]['parser']}"
    )
    print(
        f"       for reference: xml.etree parse {f.get('ref_parse_etree_median_s', float('nan')):.2f} s, "
        f"defusedxml parse {f.get('ref_parse_defusedxml_median_s', float('nan')):.2f} s, "
        f"reading the files {f['read_files_median_s']:.2f} s"
    )
    print(
        "wall: subprocess start to exit; in-CLI: the 'seconds' the CLI prints; CPU: user+sys of the process tree;"
        "\nothers: CPU used by other processes meanwhile (contention); memory: peak over runs of the tree's summed"
        "\nRSS/PSS (sampled every 20 ms) and of the largest single process's VmHWM"
    )
    t = results["targets"]
    print(
        f"\ntargets: wall <= {t['wall_s']:.0f} s, <= {t['floor_ratio']:.0f}x floor"
        f" ({t['floor_median_s']:.2f} s), peak <= 1 GiB"
    )
    print("\nissue 15 (one run, side by side):")
    for key, (value, target) in results["issue_15_targets"].items():
        unit = "s" if key.endswith("_s") else "x bulk_load"
        print(f"  {key:<24} {value:6.2f} {unit:<11} target <= {target} {'ok' if value <= target else 'ABOVE'}")
    for name, c in t["checks"].items():

        def ok(b: bool) -> str:
            return "ok  " if b else "FAIL"

        print(
            f"  {labels[name]:<20} wall {c['wall_median_s']:6.2f} s {ok(c['wall_ok'])}  "
            f"{c['floor_ratio']:5.2f}x floor {ok(c['floor_ratio_ok'])}  "
            f"peak {_mib(c['peak_bytes'])} MiB {ok(c['peak_ok'])}"
        )


if __name__ == "__main__":
    sys.exit(main())
