"""The build's spool (chapters' N-Quads kept on disk, not in memory) and batched loading."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from livertox_kg.cli import main
from livertox_kg.sources import SourceDoc, iter_sources
from livertox_kg.store import convert
from livertox_kg.store import description as dataset
from livertox_kg.store import generations as store
from livertox_kg.store import spool as spool_mod
from livertox_kg.store.spool import Spool
from tests.conftest import converted


def _dump(location: Path) -> list[str]:
    text = store.open_read_only(location).dump(format=ox.RdfFormat.N_QUADS).decode("utf-8")
    return sorted(text.splitlines())


@pytest.mark.parametrize("workers", ["serial", "pool"])
def test_spooled_chapters_equal_their_direct_conversion(workers: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if workers == "pool":
        monkeypatch.setattr(convert, "PARALLEL_THRESHOLD", 1)
        monkeypatch.setattr(convert, "workers", lambda: 2)
    sources = convert.default_sources()
    docs, _ = convert.read_sources(sources)
    into = Spool()
    loaded = [c for c in convert.converting(docs, into) if isinstance(c, convert.Converted)]
    files = {c.file for c in loaded}
    assert all(f is not None and f.startswith(into.path) for f in files)
    assert len(files) == (1 if workers == "serial" else len(files)) and files
    direct = {}
    for doc in iter_sources(sources):
        assert isinstance(doc, SourceDoc)
        conv = convert.convert(doc)
        assert isinstance(conv, convert.Converted) and conv.data is not None and conv.file is None
        direct[conv.chapter_id] = conv
    assert sorted(direct) == sorted(c.chapter_id for c in loaded)
    for c in loaded:
        held = direct[c.chapter_id]
        assert c.data is None
        assert c.nquads == held.nquads
        assert (c.sha256, c.statements) == dataset.checksum_lines(held.nquads)
        assert c.source_node == dataset.source_of(held.nquads) and c.source_node is not None
        assert c.length == len(held.nquads)
    into.close()


def test_spool_is_removed_on_close_or_when_no_chapter_refers_to_it() -> None:
    docs, _ = convert.read_sources(convert.default_sources()[:2])
    into = Spool()
    list(convert.converting(docs, into))
    folder = into.path
    assert os.listdir(folder)
    into.close()
    assert not os.path.exists(folder)

    loaded = converted(convert.default_sources()[:2])  # the spool object itself is gone at once
    folder = loaded[0].file
    assert folder is not None and os.path.exists(folder)
    assert loaded[1].nquads.startswith(b"<")
    del loaded
    gc.collect()
    assert not os.path.exists(folder)


def test_batches_keep_chunks_whole_and_in_order() -> None:
    chunks = [b"a .\n", b"bb .\n", b"c .\n", b"", b"dddd .\n"]
    out = list(store.batches(chunks, size=8))
    assert out == [b"a .\nbb .\n", b"c .\ndddd .\n"]
    assert list(store.batches([], size=8)) == []
    assert list(store.batches([b"x .\n"], size=1)) == [b"x .\n"]


@pytest.mark.slow
def test_loading_in_small_batches_gives_the_same_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["build", "--store", str(tmp_path / "one")]) == 0
    monkeypatch.setattr(store, "LOAD_BATCH_BYTES", 4096)
    calls = []
    original = store.Writer.load

    def counted(self: store.Writer, nquads: bytes) -> None:
        calls.append(len(nquads))
        original(self, nquads)

    monkeypatch.setattr(store.Writer, "load", counted)
    assert main(["build", "--store", str(tmp_path / "many")]) == 0
    assert len(calls) == len(convert.default_sources()) + 1  # each chapter a batch of its own, and the vocabulary
    assert _dump(tmp_path / "many") == _dump(tmp_path / "one")


def test_a_spool_left_by_a_killed_build_is_removed_by_the_next(tmp_path: Path) -> None:
    import subprocess
    import sys
    import tempfile

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(gone.stdout)
    stale = Path(tempfile.mkdtemp(prefix=f"{spool_mod.PREFIX}{dead_pid}-"))
    (stale / f"{dead_pid}.nq").write_bytes(b"<a> <b> <c> <g> .\n")
    alive = Path(tempfile.mkdtemp(prefix=f"{spool_mod.PREFIX}{os.getpid()}-"))  # ours: kept
    try:
        spool = Spool()
        assert not stale.exists()
        assert alive.exists()
        spool.close()
    finally:
        alive.rmdir()


def test_workers_come_from_the_environment_or_the_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVERTOX_KG_WORKERS", "3")
    assert convert.workers() == 3
    monkeypatch.setenv("LIVERTOX_KG_WORKERS", "none")
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert convert.workers() == 1
    monkeypatch.delenv("LIVERTOX_KG_WORKERS")
    monkeypatch.setattr(os, "cpu_count", lambda: 16)
    assert convert.workers() == 4
