"""Shared fixtures: the real corpus beside the checkout, temporary stores, golden-file updating."""

from __future__ import annotations

import csv
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from livertox_kg.store.convert import Converted

# The checkout's own code, not an installed copy: dev/livertox_kg stands for the repository root (and
# PYTHONPATH=DEV does the same for the subprocesses tests start: ``python -m livertox_kg ...``).
DEV = Path(__file__).resolve().parents[1] / "dev"
sys.path.insert(0, str(DEV))

ROOT = Path(__file__).resolve().parents[1]
# $LIVERTOX_KG_TEST_CORPUS points the tests at another corpus (or none: run as a checkout alone would).
CORPUS = Path(os.environ.get("LIVERTOX_KG_TEST_CORPUS") or ROOT.parent / "shared" / "corpus")
DATA = ROOT / "tests" / "data"
GOLDEN = ROOT / "tests" / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite tests/golden/* from the current code instead of comparing (review the diff!)",
    )
    parser.addoption("--slow", action="store_true", help="also run the slow tests (whole archive, wheel, kills)")
    parser.addoption("--servers", action="store_true", help="also run the tests that start servers or a browser")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without options, the fast suite: tests marked ``slow`` or ``server`` are deselected (``.ci/run`` passes
    both options); the summary line counts them as deselected. Deselected rather than skipped: the 3,500
    corpus-parametrised tests would otherwise each be set up, reported and sent between workers."""
    left_out = [
        marker for marker, option in (("slow", "--slow"), ("server", "--servers")) if not config.getoption(option)
    ]
    if not left_out:
        return
    kept, dropped = [], []
    for item in items:
        (dropped if any(m in item.keywords for m in left_out) else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


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


SAMPLES = ROOT / "samples"


def chapter_file(rel: str) -> Path:
    """A corpus chapter (``nxml/codeine.nxml``): from ../shared/corpus, else the same file the package ships in
    ``samples/`` (byte for byte the corpus's), else the test is skipped."""
    for path in (CORPUS / rel, SAMPLES / Path(rel).name):
        if path.is_file():
            return path
    pytest.skip(f"{rel}: ../shared/corpus is not beside this checkout and the sample does not ship it")


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


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped sample, built once into a store of its own (a test that writes copies it first)."""
    from livertox_kg.store.build import build
    from livertox_kg.store.convert import default_sources

    location = tmp_path_factory.mktemp("sample") / "store"
    build(location, default_sources(), validate=False)
    return location


def converted(paths: list[Path]) -> list[Converted]:
    """The chapters under ``paths`` converted (spooled) as a build converts them, each chapter id once (the
    later source kept), without a store."""
    from livertox_kg.store.convert import Converted, converting, read_sources
    from livertox_kg.store.spool import Spool

    docs, bad = read_sources(paths)
    assert not bad, bad
    by_id = {c.chapter_id: c for c in converting(docs, Spool()) if isinstance(c, Converted)}
    return list(by_id.values())
