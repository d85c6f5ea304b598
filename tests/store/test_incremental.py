"""Incremental builds: unchanged sources are skipped (no generation when nothing changed), an edited chapter is
reconverted and the store then exports the bytes a build from scratch exports; --sync, --force, converter."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from livertox_kg.cli import main
from livertox_kg.store import description_records, incremental
from livertox_kg.store import generations as store
from livertox_kg.store.build import build
from livertox_kg.store.convert import default_sources
from tests.conftest import chapter_file


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """The shipped sample, copied into a folder the test may edit."""
    folder = tmp_path / "sources"
    folder.mkdir()
    for p in default_sources():
        shutil.copy(p, folder / p.name)
    return folder


def export(location: Path, tmp_path: Path, fmt: str) -> bytes:
    out = tmp_path / f"{location.name}.{fmt}"
    assert main(["export", "--format", fmt, "--store", str(location), "-o", str(out)]) == 0
    return out.read_bytes()


def test_a_rebuild_with_nothing_changed_makes_no_generation(store_dir: Path, sources: Path) -> None:
    first = build(store_dir, [sources])
    assert (len(first.loaded), first.new, first.store_unchanged) == (14, 14, False)
    generation = store.current_generation(store_dir)
    again = build(store_dir, [sources])
    assert again.store_unchanged and again.loaded == []
    assert again.counts() == "14 unchanged, 0 changed, 0 new"
    assert store.current_generation(store_dir) == generation


@pytest.mark.slow
def test_an_edited_chapter_is_reconverted_and_the_export_is_a_fresh_builds(
    store_dir: Path, sources: Path, tmp_path: Path
) -> None:
    build(store_dir, [sources])
    edited = sources / "amoxicillinclavulana.nxml"
    text = edited.read_bytes()
    assert b"Amoxycillin/ clavulanic acid: a review" in text
    edited.write_bytes(text.replace(b"Amoxycillin/ clavulanic acid: a review", b"Amoxycillin-clavulanate: a review"))
    report = build(store_dir, [sources])
    assert report.counts() == "13 unchanged, 1 changed, 0 new"
    assert [c.chapter_id for c in report.loaded] == ["AmoxicillinClavulana"]
    scratch = tmp_path / "scratch"
    build(scratch, [sources])
    for fmt in ("nquads", "turtle"):
        assert export(store_dir, tmp_path, fmt) == export(scratch, tmp_path, fmt), fmt
    assert b"Amoxycillin-clavulanate: a review" in export(store_dir, tmp_path, "nquads")


@pytest.mark.slow
def test_a_renamed_file_is_reconverted(store_dir: Path, sources: Path) -> None:
    """The chapter graph names its source file: the same bytes under another name are another graph."""
    build(store_dir, [sources])
    (sources / "codeine.nxml").rename(sources / "codeine-copy.nxml")
    report = build(store_dir, [sources])
    assert report.counts() == "13 unchanged, 1 changed, 0 new"


@pytest.mark.slow
def test_another_converter_reconverts_everything(
    store_dir: Path, sources: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(store_dir, [sources])
    other = "https://w3id.org/livertox-kg/id/software/converter-0000"
    monkeypatch.setattr(incremental, "converter_iri", lambda: other)
    monkeypatch.setattr(description_records, "converter_iri", lambda: other)
    assert build(store_dir, [sources]).counts() == "0 unchanged, 14 changed, 0 new"
    assert build(store_dir, [sources]).store_unchanged  # recorded with the new converter


@pytest.mark.slow
def test_force_reconverts_every_source(store_dir: Path, sources: Path) -> None:
    build(store_dir, [sources])
    assert build(store_dir, [sources], force=True).counts() == "0 unchanged, 14 changed, 0 new"


@pytest.mark.slow
def test_a_vanished_source_stays_unless_sync(
    store_dir: Path, sources: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", str(sources)]) == 0
    (sources / "greentea.nxml").unlink()
    capsys.readouterr()
    assert main(["build", str(sources)]) == 0
    out, err = capsys.readouterr()
    assert "store unchanged: 13 unchanged, 0 changed, 0 new" in out
    assert "keeps 1 other chapter(s)" in err and "--sync removes them" in err
    assert main(["build", "--sync", str(sources)]) == 0
    out = capsys.readouterr().out
    assert "(13 unchanged, 0 changed, 0 new, 1 removed)" in out and "  GreenTea" in out
    scratch = tmp_path / "scratch"
    build(scratch, [sources])
    assert export(store_dir, tmp_path, "nquads") == export(scratch, tmp_path, "nquads")


@pytest.mark.slow
def test_a_chapter_given_twice_keeps_the_later_source_even_when_unchanged(store_dir: Path, tmp_path: Path) -> None:
    """The store holds Aldesleukin from its text copy; given the XML first and the same text copy after it,
    the text copy (unchanged, so not converted otherwise) still wins, as in a build from scratch."""
    txt, nxml = chapter_file("txt/aldesleukin.txt"), chapter_file("nxml/aldesleukin.nxml")
    build(store_dir, [txt])
    before = export(store_dir, tmp_path, "nquads")
    report = build(store_dir, [nxml, txt])
    assert [(a.source, b.source) for a, b in report.superseded] == [(str(nxml), str(txt))]
    assert export(store_dir, tmp_path, "nquads") == before
    report = build(store_dir, [txt, nxml])
    assert report.counts() == "0 unchanged, 1 changed, 0 new"
    assert export(store_dir, tmp_path, "nquads") != before


@pytest.mark.slow
def test_a_second_build_is_refused_at_once(store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build"]) == 0
    capsys.readouterr()
    with store.locked(store_dir):
        assert main(["build", "--force"]) == 2
    err = capsys.readouterr().err
    assert "another build is writing this store; wait for it to finish" in err
    assert main(["build", "--force"]) == 0
