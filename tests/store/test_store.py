"""The store: building twice gives the same contents; a failed or killed build leaves the old store."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from livertox_kg.cli import main
from livertox_kg.rdf.vocab import VOCAB_GRAPH
from livertox_kg.store import generations as store
from livertox_kg.store.convert import default_sources
from tests.conftest import DEV, converted


def dump(location: Path) -> list[str]:
    s = store.open_read_only(location)
    text = s.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8")
    return sorted(text.splitlines())


@pytest.mark.slow
def test_build_twice_gives_the_same_store(store_dir: Path) -> None:
    assert main(["build"]) == 0
    first = dump(store_dir)
    assert main(["build"]) == 0
    assert dump(store_dir) == first
    assert len(first) > 1000


@pytest.mark.slow
def test_loading_a_chapter_again_replaces_its_graph(store_dir: Path, corpus: Path, tmp_path: Path) -> None:
    original = corpus / "nxml" / "codeine.nxml"
    assert main(["build", str(original)]) == 0
    before = dump(store_dir)
    edited = tmp_path / "codeine.nxml"
    edited.write_bytes(original.read_bytes().replace(b"Liklihood score: E", b"Liklihood score: D"))
    assert main(["build", str(edited)]) == 0
    after = dump(store_dir)
    assert any("/likelihood/D>" in q for q in after)
    assert not any("/likelihood/E>" in q and "/graph/Codeine>" in q for q in after)
    assert main(["build", str(original)]) == 0
    assert dump(store_dir) == before


@pytest.mark.slow
def test_failed_build_leaves_previous_store(store_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["build"]) == 0
    before = dump(store_dir)

    def broken_load(self: store.Writer, nquads: bytes) -> None:
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(store.Writer, "load", broken_load)
    assert main(["build", "--force"]) == 3
    assert dump(store_dir) == before
    assert not list(store_dir.glob("staging-*"))


@pytest.mark.slow
def test_killed_build_leaves_previous_store_and_next_build_succeeds(store_dir: Path, corpus: Path) -> None:
    assert main(["build", str(corpus / "nxml" / "codeine.nxml")]) == 0
    before = dump(store_dir)
    env = {**os.environ, "LIVERTOX_KG_STORE": str(store_dir), "PYTHONPATH": str(DEV)}
    for delay in (0.3, 0.8, 1.5):
        proc = subprocess.Popen(
            [sys.executable, "-m", "livertox_kg", "build", str(corpus / "nxml")],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = dump(store_dir)  # readable, and either the old graph or the complete new one
        assert now == before or len(now) > len(before) * 10
        if now != before:
            break
    assert main(["build", str(corpus / "nxml" / "codeine.nxml")]) == 0


def test_reader_of_missing_store_gets_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--store", str(tmp_path / "nothing")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "no store here" in err


def test_store_refuses_a_foreign_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    foreign = tmp_path / "docs"
    foreign.mkdir()
    (foreign / "thesis.tex").write_text("keep me")
    assert main(["build", "--store", str(foreign)]) == 2
    assert (foreign / "thesis.tex").read_text() == "keep me"
    assert "not a livertox-kg store" in capsys.readouterr().err


@pytest.mark.slow
def test_vocabulary_graph_is_loaded(store_dir: Path) -> None:
    assert main(["build"]) == 0
    s = store.open_read_only(store_dir)
    assert ox.NamedNode(VOCAB_GRAPH) in set(s.named_graphs())


@pytest.mark.slow
def test_a_build_compacts_the_new_generation_once(
    store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bulk loads leave many overlapping files that every read looks into, and readers never compact a
    store they open read-only: a build that loaded much compacts the staged generation once, after the
    chapters' last load (in the background, while the dataset is described: what is written meanwhile is
    small); a rebuild of one chapter does not; the graph is the same."""
    sizes = [len(c.nquads) for c in converted(default_sources())]
    threshold = sum(sizes) // 2
    assert 2 * max(sizes) < threshold  # one chapter and the vocabulary load less
    monkeypatch.setattr(store, "COMPACT_AFTER_BYTES", threshold)
    calls: list[int] = []
    compact = store.Writer.compact

    def recording(self: store.Writer, background: bool = False) -> None:
        assert not self.committed and self.store is not None
        calls.append(self.loaded_since_compaction)
        compact(self, background)

    monkeypatch.setattr(store.Writer, "compact", recording)
    assert main(["build"]) == 0
    assert len(calls) == 1, calls
    assert calls[0] >= sum(sizes)
    compacted = dump(store_dir)

    calls.clear()
    one = next(p for p in default_sources() if p.suffix == ".nxml")
    assert main(["build", str(one)]) == 0
    assert calls == []
    assert dump(store_dir) == compacted

    monkeypatch.setattr(store, "COMPACT_AFTER_BYTES", 1 << 60)
    assert main(["build", "--store", str(tmp_path / "never-compacted")]) == 0
    assert calls == []
    assert dump(tmp_path / "never-compacted") == compacted


@pytest.mark.slow
@pytest.mark.parametrize("again", [2, 9, 13])
def test_rebuilding_some_chapters_gives_the_store_one_build_gives(store_dir: Path, tmp_path: Path, again: int) -> None:
    """A rebuild of a few chapters copies the store and removes their graphs; of most of them, it copies the
    graphs that stay into an empty store. Either way: the store one build of the same files gives."""
    sources = default_sources()
    chosen = [p for p in sources if p.suffix == ".nxml"][:again]
    assert len(chosen) == again
    edited = tmp_path / "edited"
    edited.mkdir()
    for p in chosen:  # other bytes, so another source node and checksum: the old graph must be gone
        (edited / p.name).write_bytes(p.read_bytes() + b"\n<!-- edited copy -->\n")
    first = [edited / p.name if p in chosen else p for p in sources]
    assert main(["build", *map(str, first)]) == 0
    assert main(["build", *map(str, chosen)]) == 0
    rebuilt = dump(store_dir)
    assert main(["build", "--store", str(tmp_path / "once")]) == 0
    assert rebuilt == dump(tmp_path / "once")
    assert not any("edited" in q for q in rebuilt)


@pytest.mark.parametrize("into", ["new store", "sample store"])
@pytest.mark.slow
def test_a_chapter_given_twice_is_stored_as_the_later_source_says(
    store_dir: Path, corpus: Path, tmp_path: Path, into: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Chapters are loaded while they are converted, so the first copy was loaded too: it must be gone."""
    nxml, txt = corpus / "nxml" / "aldesleukin.nxml", corpus / "txt" / "aldesleukin.txt"
    graph = ox.NamedNode("https://w3id.org/livertox-kg/graph/Aldesleukin")

    def chapter(location: Path) -> list[str]:
        s = store.open_read_only(location)
        return sorted(str(q) for q in s.quads_for_pattern(None, None, None, graph))

    assert main(["build", str(txt), "--store", str(tmp_path / "txt-only")]) == 0
    if into == "sample store":
        assert main(["build"]) == 0
    assert main(["build", str(nxml), str(txt)]) == 0
    assert "given twice" in capsys.readouterr().err
    assert chapter(store_dir) == chapter(tmp_path / "txt-only")
