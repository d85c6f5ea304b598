"""The loader against an independent reading of every NXML chapter of ../shared/corpus.

The expectations (tests/data/expected/{chapters,references,scores,years,cases,cas}.tsv) are written by
tests/data/expected/independent_reader.py, which reads the XML with the standard library and shares no code
with the loader, then applies the hand corrections of corrections.tsv (see tests/data/expected/README.md).
Tests over archive/ (555 chapters) are marked slow; those over nxml/ are not.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from livertox_kg.interpret import load
from livertox_kg.model import Chapter
from livertox_kg.sources import iter_sources
from tests.conftest import CORPUS, DATA, corpus_id, read_tsv

EXPECTED = DATA / "expected"
TABLES = ("chapters", "references", "scores", "invalid_scores", "years", "cases", "cas")


def _files() -> list[Any]:
    """nxml/ and archive/ chapters as parameters (archive/ marked slow), ids the path in the corpus."""
    if not CORPUS.is_dir():
        return [pytest.param(None, id="no-corpus", marks=pytest.mark.skip(reason="../shared/corpus is absent"))]
    nxml = [pytest.param(p, id=corpus_id(p)) for p in sorted(CORPUS.glob("nxml/*.nxml"))]
    archive = [pytest.param(p, id=corpus_id(p), marks=pytest.mark.slow) for p in sorted(CORPUS.glob("archive/*.nxml"))]
    return nxml + archive


FILES = _files()
_cache: dict[Path, Chapter] = {}


def chapter(path: Path) -> Chapter:
    """The loader's chapter for a corpus file, loaded once per session."""
    if path not in _cache:
        (source,) = list(iter_sources([path]))
        assert not isinstance(source, Exception), source
        _cache[path] = load(source)
    return _cache[path]


def _by_file(name: str) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    for row in read_tsv(f"expected/{name}.tsv"):
        out.setdefault(row["file"], []).append(row)
    return out


CHAPTERS = {row["file"]: row for row in read_tsv("expected/chapters.tsv")}
REFERENCES = _by_file("references")
SCORES = _by_file("scores")
YEARS = _by_file("years")
CASES = _by_file("cases")
CAS = _by_file("cas")


@pytest.mark.parametrize("path", FILES)
def test_chapter_facts(path: Path) -> None:
    ch = chapter(path)
    row = CHAPTERS[corpus_id(path)]
    got = {
        "chapter": ch.id,
        "title": ch.title,
        "kind": ch.kind.value,
        "updated": ch.updated.isoformat() if ch.updated else "",
        "case_reports": str(len(ch.case_reports)),
        "references": str(len(ch.references)),
    }
    assert got == {key: row[key] for key in got}


@pytest.mark.parametrize("path", FILES)
def test_scores(path: Path) -> None:
    """Category and high-dose qualifier of every likelihood assessment, in document order."""
    got = [(a.category, a.high_dose) for a in chapter(path).assessments]
    expected = [(r["category"], r["high_dose"] == "true") for r in SCORES.get(corpus_id(path), [])]
    assert got == expected


@pytest.mark.parametrize("path", FILES)
def test_cited_pmids(path: Path) -> None:
    """Every PMID of the reference lists as printed, with its count, in order of first citation."""
    pmids = [r.work.pmid for r in chapter(path).references if r.work.pmid]
    expected = [(r["pmid"], int(r["count"])) for r in REFERENCES.get(corpus_id(path), [])]
    assert list(Counter(pmids).items()) == expected


@pytest.mark.parametrize("path", FILES)
def test_journal_years(path: Path) -> None:
    """The year of each journal reference (by its position among the chapter's references)."""
    expected = {int(r["ordinal"]): r["year"] for r in YEARS.get(corpus_id(path), [])}
    got = {
        ref.ordinal: ref.work.year or ""
        for ref in chapter(path).references
        if ref.ordinal in expected or ref.work.publication_type == "journal"
    }
    assert got == expected


@pytest.mark.parametrize("path", FILES)
def test_case_reports(path: Path) -> None:
    """Case number, the Key Points "Pattern:" text and its R ratio, for each case report."""
    got = [(c.number, c.pattern_text or "", c.r_ratio) for c in chapter(path).case_reports]
    expected = [
        (int(r["number"]), r["pattern"], float(r["r_ratio"]) if r["r_ratio"] else None)
        for r in CASES.get(corpus_id(path), [])
    ]
    assert got == expected


@pytest.mark.parametrize("path", FILES)
def test_cas_numbers(path: Path) -> None:
    """Every CAS number of the chemical-structure table, as printed (a wrong check digit kept), is an agent's,
    in table order; two rows for salts of one agent ("Vancomycin", "Vancomycin Hydrochloride") give one agent
    with both numbers."""
    rows: dict[str, list[str]] = {}
    for r in CAS.get(corpus_id(path), []):
        rows.setdefault(r["row"], []).append(r["cas"])
    agents = [a for a in chapter(path).agents if a.cas_numbers]
    assert [c for a in agents for c in a.cas_numbers] == [c for cs in rows.values() for c in cs], (
        f"rows {list(rows)}, agents {[a.name for a in agents]}"
    )


@pytest.mark.slow
def test_reader_reproduces_the_tables(tmp_path: Path) -> None:
    """Re-running the independent reader (with corrections.tsv) gives the committed tables byte for byte."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent")
    reader = EXPECTED / "independent_reader.py"
    done = subprocess.run([sys.executable, str(reader), str(CORPUS), str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for name in TABLES:
        assert (tmp_path / f"{name}.tsv").read_bytes() == (EXPECTED / f"{name}.tsv").read_bytes(), name
