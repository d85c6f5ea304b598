"""The command line: the sample build, stats, stored queries and their formats, bad input."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from livertox_kg.cli import main
from tests.conftest import ROOT


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def built(store_dir: Path, sample_store: Path) -> Path:
    """The sample store, copied to this test's store folder ($LIVERTOX_KG_STORE)."""
    shutil.copytree(sample_store, store_dir, symlinks=True)
    return store_dir


def test_build_prints_a_summary(store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "build")
    assert code == 0
    for word in ("chapters", "agents", "likelihood", "patterns", "case reports", "references", "triples", "seconds"):
        assert word in out
    assert "drug" in out and "class-overview" in out and "front-matter" in out


@pytest.mark.slow
def test_stats_repeats_the_summary(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "stats")
    assert code == 0
    assert out.startswith("chapters")
    assert "seconds" not in out


def test_likelihood_csv_columns(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "query", "likelihood", "--format", "csv")
    assert code == 0
    assert out.startswith("chapter,agent,category,high_dose,scope\r\n")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {"chapter": "Aldesleukin", "agent": "Aldesleukin", "category": "C", "high_dose": "true", "scope": ""} in rows
    assert {r["category"] for r in rows} <= {"A", "B", "C", "D", "E", "E*", "X", "NA"}
    assert any(r["category"] == "NA" for r in rows)  # Jin Bu Huan: "cannot be assessed"
    assert {
        "chapter": "EmergencyContracepti",
        "agent": "Ulipristal",
        "category": "E",
        "high_dose": "false",
        "scope": "when used for emergency contraception",
    } in rows


def test_chapter_references_json(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "query", "chapter-references", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["head"]["vars"] == ["chapter", "pmid"]
    pairs = {(b["chapter"]["value"], b["pmid"]["value"]) for b in doc["results"]["bindings"]}
    assert ("Aldesleukin", "2585024") in pairs
    assert len(pairs) == len(doc["results"]["bindings"])


def test_table_and_tsv(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "query", "likelihood")
    assert code == 0 and out.splitlines()[0].split() == ["chapter", "agent", "category", "high_dose", "scope"]
    code, out, _ = run(capsys, "query", "likelihood", "--format", "tsv")
    assert out.splitlines()[0] == "?chapter\t?agent\t?category\t?high_dose\t?scope"


def test_unknown_query_is_a_usage_error(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "query", "no-such-query")
    assert code == 2 and "no stored query 'no-such-query'" in err


def test_bad_usage_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "frobnicate")
    assert code == 2 and err.count("\n") == 1


def test_bad_file_stops_build_and_names_file_and_line(
    store_dir: Path, tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "broken.nxml"
    bad.write_bytes((corpus / "nxml" / "codeine.nxml").read_bytes()[:3000])
    code, _, err = run(capsys, "build", str(corpus / "nxml" / "aspirin.nxml"), str(bad))
    assert code == 2
    line = next(text for text in err.splitlines() if "broken.nxml" in text)
    assert f"{bad}:line " in line and "not well-formed XML" in line
    assert "store was not changed" in err
    assert not (store_dir / "current").exists()


def test_keep_going_loads_good_and_lists_bad(
    store_dir: Path, tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    for name in ("codeine.nxml", "aspirin.nxml"):
        (folder / name).write_bytes((corpus / "nxml" / name).read_bytes())
    (folder / "empty.nxml").write_bytes(b"")
    (folder / "page.nxml").write_bytes(b"<html><body>not a chapter</body></html>")
    code, out, _ = run(capsys, "build", "--keep-going", str(folder))
    assert code == 1
    assert "loaded 2 chapter(s)" in out
    assert "empty.nxml: empty file" in out and "page.nxml" in out and "root element is <html>" in out
    code, out, _ = run(capsys, "query", "likelihood", "--format", "csv")
    assert {line.split(",")[0] for line in out.splitlines()[1:]} == {"Aspirin", "Codeine"}


@pytest.mark.parametrize("debug", ["", "1"])
def test_a_loader_bug_is_exit_3_not_bad_input(
    store_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, debug: str
) -> None:
    """An unexpected exception while converting is our bug: exit 3 naming the file, never a SourceError (exit 2)
    or a skipped source; the traceback only with LIVERTOX_KG_DEBUG=1; the store is not written."""
    import livertox_kg.interpret as interpret

    def broken(doc: object) -> object:
        raise KeyError("planted")

    monkeypatch.setattr(interpret, "interpret", broken)
    monkeypatch.setenv("LIVERTOX_KG_DEBUG", debug)
    code, _, err = run(capsys, "build", "--keep-going")
    assert code == 3
    assert "internal error" in err and "while converting" in err and "KeyError" in err and "samples/aldesleukin" in err
    assert ("Traceback (most recent call last)" in err) == bool(debug)
    assert not (store_dir / "current").exists()


def test_a_build_into_a_store_with_other_chapters_says_so_and_fresh_starts_empty(
    built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    codeine = ROOT / "samples" / "codeine.nxml"
    code, _, err = run(capsys, "build", str(codeine))
    assert code == 0
    assert "note: adding to the store" in err and "keeps 13 other chapter(s)" in err and "--fresh" in err
    code, out, err = run(capsys, "build", "--fresh", str(codeine))
    assert code == 0 and "note: adding" not in err
    assert "chapters      1 (" in out


@pytest.mark.parametrize("command", ["build", "validate", "stats", "query", "qc"])
def test_help_shows_defaults_and_an_example(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert "example" in text and f"livertox-kg {command}" in text.split("example", 1)[1]
    assert "~/.local/share/livertox-kg/store" in text or "LIVERTOX_KG_STORE" in text
