"""Every chapter of ../shared/corpus converts, and says what a careful reader finds in it.

The expectations in tests/data/expected/*.tsv were written by reading the files, not from the code.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from livertox_kg.interpret import load
from livertox_kg.model import Chapter
from livertox_kg.rdf import chapter as rdf
from livertox_kg.sources import iter_sources
from tests.conftest import CORPUS, corpus_files, corpus_id, read_tsv

FILES = corpus_files()
_cache: dict[Path, Chapter] = {}


def chapter(path: Path) -> Chapter:
    if path not in _cache:
        (source,) = list(iter_sources([path]))
        assert not isinstance(source, Exception), source
        _cache[path] = load(source)
    return _cache[path]


def _by_file(rows: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        out.setdefault(row["file"], []).append(row)
    return out


LIKELIHOOD = _by_file(read_tsv("expected/likelihood.tsv"))
REFERENCES = _by_file(read_tsv("expected/references.tsv"))
CHAPTERS = {row["file"]: row for row in read_tsv("expected/chapters.tsv")}


def test_corpus_is_beside_the_checkout() -> None:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside this checkout")
    assert len(FILES) == 59
    assert {f for f in CHAPTERS if not f.startswith("archive/")} == {corpus_id(f) for f in FILES}


@pytest.mark.parametrize("path", FILES, ids=corpus_id)
def test_converts(path: Path) -> None:
    ch = chapter(path)
    triples = rdf.chapter_triples(ch)
    assert triples
    assert not any("_:" in t.split(" ", 1)[0] for t in triples), "no blank nodes"


@pytest.mark.parametrize("path", FILES, ids=corpus_id)
def test_likelihood_rows(path: Path) -> None:
    ch = chapter(path)
    got = [
        (ch.id, agent, a.category, "true" if a.high_dose else "false", a.scope or "")
        for a in ch.assessments
        for agent in a.agents
    ]
    expected = [
        (r["chapter"], r["agent"], r["category"], r["high_dose"], r["scope"])
        for r in LIKELIHOOD.get(corpus_id(path), [])
    ]
    assert got == expected


@pytest.mark.parametrize("path", FILES, ids=corpus_id)
def test_cited_pmids(path: Path) -> None:
    ch = chapter(path)
    got = Counter(r.work.pmid for r in ch.references if r.work.pmid)
    expected = {r["pmid"]: int(r["count"]) for r in REFERENCES.get(corpus_id(path), [])}
    assert dict(got) == expected
    assert [p for p in dict.fromkeys(r.work.pmid for r in ch.references if r.work.pmid)] == list(expected)


@pytest.mark.parametrize("path", FILES, ids=corpus_id)
def test_chapter_facts(path: Path) -> None:
    ch = chapter(path)
    row = CHAPTERS[corpus_id(path)]
    assert ch.id == row["chapter"]
    assert ch.title == row["title"]
    assert ch.kind.value == row["kind"]
    assert (ch.updated.isoformat() if ch.updated else "") == row["updated"]
    assert len(ch.case_reports) == int(row["case_reports"])
    assert len(ch.references) == int(row["references"])
