"""``diff OLD NEW``: real corpus chapters and edited copies of them (made in a temporary folder), compared
as stores and as exports of every format."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from livertox_kg.cli import main
from livertox_kg.exports import diff
from tests.conftest import CORPUS

CODEINE_PMIDS_NOTE = "Liklihood score: E"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def build(location: Path, *sources: Path) -> Path:
    assert main(["build", "--store", str(location), *map(str, sources)]) == 0
    return location


@pytest.mark.slow
def test_metoprolol_against_its_2026_release(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The 2026 file adds an abstract and a disclaimer and drops navigation links: none of that is a
    statement of the graph, so the chapter has the same statements from another source file."""
    old = build(tmp_path / "old", corpus / "nxml" / "metoprolol.nxml")
    new = build(tmp_path / "new", corpus / "nxml" / "metoprolol-2026.nxml")
    capsys.readouterr()
    code, out, _ = run(capsys, "diff", str(old), str(new), "--format", "json")
    assert code == 1, "a new source file is a difference"
    doc = json.loads(out)
    assert doc["chapters"] == {
        "added": [],
        "removed": [],
        "changed": [],
        "source_changed_only": ["Metoprolol"],
        "unchanged": 0,
    }
    assert all(doc[k] == [] for k in ("likelihood", "patterns", "case_reports", "references", "identifiers"))
    code, out, _ = run(capsys, "diff", str(old), str(old))
    assert code == 0 and "0 changed" in out and "1 unchanged" in out


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """OLD: codeine, aspirin, amoxicillin, severity. NEW: codeine scored D instead of E, aspirin without one
    reference and without its [HD] flag, amoxicillin as it was, severity gone, isoniazid added."""
    corpus = CORPUS / "nxml"
    if not corpus.is_dir():
        pytest.skip("../shared/corpus is not beside this checkout")
    tmp = tmp_path_factory.mktemp("releases")
    edited = tmp / "edited"
    edited.mkdir()
    codeine = (corpus / "codeine.nxml").read_bytes()
    assert CODEINE_PMIDS_NOTE.encode() in codeine
    (edited / "codeine.nxml").write_bytes(codeine.replace(b"Liklihood score: E", b"Liklihood score: D"))
    aspirin = (corpus / "aspirin.nxml").read_bytes()
    ref = re.search(rb'<ref id="Aspirin\.REF\.norman\.1968\.522">.*?</ref>', aspirin, re.S)
    assert ref is not None and b"5696234" in ref.group(0)
    aspirin = aspirin.replace(ref.group(0), b"")
    assert b"5696234" not in aspirin
    assert aspirin.count(b"Likelihood score: A[HD]") == 1
    aspirin = aspirin.replace(b"Likelihood score: A[HD]", b"Likelihood score: A")
    (edited / "aspirin.nxml").write_bytes(aspirin)
    old = build(
        tmp / "old", *(corpus / n for n in ("codeine.nxml", "aspirin.nxml", "amoxicillin.nxml", "severity.nxml"))
    )
    new = build(tmp / "new", edited / "codeine.nxml", edited / "aspirin.nxml", corpus / "amoxicillin.nxml")
    build(new, corpus / "isoniazid.nxml")
    return old, new


def check_expected(doc: dict) -> None:  # type: ignore[type-arg]
    chapters = doc["chapters"]
    assert chapters["added"] == ["Isoniazid"]
    assert chapters["removed"] == ["Severity"]
    assert sorted(c["chapter"] for c in chapters["changed"]) == ["Aspirin", "Codeine"]
    assert all(c["source_changed"] for c in chapters["changed"]), "edited copies are other files"
    assert chapters["unchanged"] == 1  # amoxicillin
    changes = {(c["chapter"], tuple(c["agents"])): c for c in doc["likelihood"]}
    assert set(changes) == {("Codeine", ("Codeine",)), ("Aspirin", ("Aspirin",))}
    codeine = changes[("Codeine", ("Codeine",))]
    assert (codeine["change"], codeine["old_category"], codeine["new_category"]) == ("changed", "E", "D")
    assert codeine["old_high_dose"] is False and codeine["new_high_dose"] is False
    aspirin = changes[("Aspirin", ("Aspirin",))]
    assert (aspirin["old_category"], aspirin["new_category"]) == ("A", "A")
    assert (aspirin["old_high_dose"], aspirin["new_high_dose"]) == (True, False)
    assert doc["references"] == [
        {"chapter": "Aspirin", "added": [], "removed": ["PMID 5696234"], "numbers": {"PMID 5696234": 6}}
    ]
    # no edit touched a case report, a pattern sentence or an identifier
    assert doc["patterns"] == [] and doc["case_reports"] == [] and doc["identifiers"] == []


@pytest.mark.slow
def test_edited_copies_as_stores(releases: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    old, new = releases
    code, out, _ = run(capsys, "diff", str(old), str(new), "--format", "json")
    assert code == 1
    check_expected(json.loads(out))
    code, text, _ = run(capsys, "diff", str(old), str(new))
    assert code == 1
    assert "chapters: 1 added, 1 removed, 2 changed, 0 with only a new source file, 1 unchanged" in text
    assert "  Codeine\n    likelihood Codeine: E -> D\n" in text
    assert "  Aspirin\n    likelihood Aspirin: A[HD] -> A\n    - reference 6 (PMID 5696234)\n" in text


@pytest.mark.parametrize(
    ("old_format", "new_format"), [("nquads", "trig"), ("jsonld", "nquads"), ("turtle", "ntriples")]
)
@pytest.mark.slow
def test_edited_copies_as_exports(
    releases: tuple[Path, Path], tmp_path: Path, old_format: str, new_format: str, capsys: pytest.CaptureFixture[str]
) -> None:
    suffix = {"turtle": ".ttl", "ntriples": ".nt", "nquads": ".nq", "trig": ".trig", "jsonld": ".jsonld"}
    old, new = releases
    old_file = tmp_path / f"old{suffix[old_format]}"
    new_file = tmp_path / f"new{suffix[new_format]}"
    assert main(["export", "--store", str(old), "-o", str(old_file)]) == 0
    assert main(["export", "--store", str(new), "-o", str(new_file)]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "diff", str(old_file), str(new_file), "--format", "json")
    assert code == 1
    check_expected(json.loads(out))
    # a store against an export of itself: nothing changed
    code, out, _ = run(capsys, "diff", str(new), str(new_file))
    assert code == 0, out


def test_merged_exports_compare_chapters_by_their_own_statements(releases: tuple[Path, Path], tmp_path: Path) -> None:
    """Without named graphs, a chapter is the chapter node and its parts: the same verdicts."""
    old, new = releases
    a = tmp_path / "old.nt"
    assert main(["export", "--store", str(old), "-o", str(a)]) == 0
    result = diff.compare(diff.open_side(a), diff.open_side(new))
    assert {c.chapter for c in result.changed} == {"Aspirin", "Codeine"}
    codeine = next(c for c in result.changed if c.chapter == "Codeine")
    assert codeine.statements_added >= 1 and codeine.statements_removed >= 1


def test_bad_inputs_are_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "diff", str(tmp_path / "missing"), str(tmp_path / "missing2"))
    assert code == 2 and "missing" in err and err.count("\n") == 1
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    code, _, err = run(capsys, "diff", str(notes), str(notes))
    assert code == 2 and "notes.txt" in err
    broken = tmp_path / "broken.nq"
    broken.write_text("<a> <b> .\n")
    code, _, err = run(capsys, "diff", str(broken), str(broken))
    assert code == 2 and "broken.nq" in err and err.count("\n") == 1
