"""Shared fixtures: the real corpus beside the checkout, temporary stores, golden-file updating."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
DATA = ROOT / "tests" / "data"
GOLDEN = ROOT / "tests" / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite tests/golden/* from the current code instead of comparing (review the diff!)",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


def corpus_files() -> list[Path]:
    """Every chapter file of ../shared/corpus, or [] when the corpus is not beside the checkout."""
    if not CORPUS.is_dir():
        return []
    return sorted([*CORPUS.glob("nxml/*.nxml"), *CORPUS.glob("txt/*.txt")])


def corpus_id(path: Path) -> str:
    return path.relative_to(CORPUS).as_posix()


def read_tsv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside this checkout")
    return CORPUS


@pytest.fixture
def store_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A store location in a temporary folder, also set as $LIVERTOX_KG_STORE."""
    location = tmp_path / "store"
    monkeypatch.setenv("LIVERTOX_KG_STORE", str(location))
    yield location
