"""Planted mistakes a curator makes in a real chapter (issue #17.2): each is a finding naming the file, the line
and the element, the rest of the file is still checked, and ``validate --strict`` fails (exit 1)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from livertox_kg.cli import main
from tests.conftest import chapter_file

PLANTS = (
    ("Likelihood score: C[HD]", "Likelihood score: F[HD]"),  # a score that does not exist
    ('<ref id="Aldesleukin.R2">', '<ref id="Aldesleukin.R1">'),  # a reference id used twice
    (">12974198<", ">1297418<"),  # a dropped digit: 7 digits for an article of 2003
    ("<title>Aldesleukin</title>", ""),  # no chapter title
)


def line_of(path: Path, text: str, nth: int = 1) -> int:
    lines = [i + 1 for i, line in enumerate(path.read_text().splitlines()) if text in line]
    return lines[nth - 1]


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    path = tmp_path / "aldesleukin.nxml"
    shutil.copy(chapter_file("nxml/aldesleukin.nxml"), path)
    text = path.read_text()
    for old, new in PLANTS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text)
    return path


def validate(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["validate", *argv, "--store", str(Path("/nonexistent-store"))])
    return code, capsys.readouterr().out


def test_every_planted_mistake_is_a_finding_with_file_and_line(
    planted: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = validate(capsys, "--strict", str(planted))
    assert code == 1, out
    score = line_of(planted, "Likelihood score: F[HD]")
    assert f"{planted}:{score} section OVERVIEW > Hepatotoxicity" in out
    assert "> Likelihood score: F[HD] (probable cause" in out
    second = line_of(planted, '<ref id="Aldesleukin.R1">', 2)
    first = line_of(planted, '<ref id="Aldesleukin.R1">', 1)
    assert f'{planted}:{second} reference <ref id="Aldesleukin.R1">' in out
    assert f"already used by the reference at line {first}" in out
    pmid = line_of(planted, ">1297418<")
    assert re.search(
        rf"PubMed id 1297418 is below [\d,]+, the lowest expected for 2003\n.*\n\s+at {planted}:{pmid},", out
    )
    meta = line_of(planted, "<book-part-meta>")
    assert f"{planted}:{meta} book-part-meta" in out and "the chapter has no <title>" in out
    # the missing title hides nothing: the chapter's agent keeps its name, the other checks still run
    assert "agent/unnamed" not in out and "Violation" not in out


def test_without_strict_source_errors_are_warnings(planted: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = validate(capsys, str(planted))
    assert code == 0
    assert re.search(r"^1 entry checked: 0 violations, \d+ warnings", out, re.M), out


def test_a_clean_chapter_has_no_reader_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "aldesleukin.nxml"
    shutil.copy(chapter_file("nxml/aldesleukin.nxml"), path)
    _, out = validate(capsys, str(path))
    assert "what the file gets wrong" not in out
    assert f"at {path}:" in out  # its own source error (5270293, a dropped digit of 2014) is placed too


def test_the_missing_title_is_said_once(planted: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The reader's finding and the shape ``Chapter-title-missing`` say the same: the report says it once."""
    _, out = validate(capsys, str(planted))
    assert out.count("the chapter has no <title>") == 1
    assert "Chapter-title-missing" not in out and "title: " not in out


def test_json_and_turtle_reports_carry_the_places_and_the_findings(
    planted: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    import pyoxigraph as ox

    _, out = validate(capsys, "--format", "json", str(planted))
    entry = json.loads(out)["entries"][0]
    findings = {f["message"].split(":")[0]: f for f in entry["findings"]}
    score = line_of(planted, "Likelihood score: F[HD]")
    assert any(
        f["place"] == {"file": str(planted), "line": score, "element": f["where"], "excerpt": f["place"]["excerpt"]}
        for f in findings.values()
    )
    # the score, the repeated <ref id>, the title (the dropped digit is a shape's result, placed below)
    assert len(entry["findings"]) == 3 and all(f["place"]["line"] for f in entry["findings"])
    pmid = line_of(planted, ">1297418<")
    placed = [r for r in entry["results"] if r["place"] is not None]
    assert any(r["place"]["line"] == pmid and "Aldesleukin.R12" in r["place"]["element"] for r in placed)
    counted = sum(json.loads(out)["counts"].values())

    _, out = validate(capsys, "--format", "turtle", str(planted))
    graph = ox.Store()
    graph.load(out.encode(), format=ox.RdfFormat.TURTLE)
    sh = "http://www.w3.org/ns/shacl#"
    rows = list(
        graph.query(
            f"SELECT ?focus ?message WHERE {{ ?r <{sh}sourceShape> ?shape ; <{sh}focusNode> ?focus ; "
            f"<{sh}resultMessage> ?message ; <{sh}resultSeverity> <{sh}Warning> . "
            f"?shape <{sh}deactivated> true }}"
        )
    )
    assert len(rows) == 3  # the reader's three findings, on the chapter, each with its file and line
    assert {r["focus"].value for r in rows} == {"https://w3id.org/livertox-kg/id/chapter/Aldesleukin"}  # type: ignore[union-attr,index]
    assert any(f"{planted}:{score} " in r["message"].value for r in rows)  # type: ignore[union-attr,index]
    results = list(graph.query(f"SELECT ?r WHERE {{ ?r a <{sh}ValidationResult> }}"))
    assert len(results) == counted  # every result the JSON report counts, the findings included
