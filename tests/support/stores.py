"""Stores the tests share: built once per session from the corpus (or the shipped sample), read back."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from livertox_kg.queries.results import Results, tsv_term
from livertox_kg.store.build import build
from tests.conftest import CORPUS

_built: dict[str, Path] = {}


def build_store(tmp_path_factory: pytest.TempPathFactory, *sources: Path) -> Path:
    """A store built from ``sources`` (once per test session and set of sources)."""
    key = "|".join(str(s) for s in sources)
    if key not in _built:
        location = tmp_path_factory.mktemp("store")
        report = build(location, list(sources), validate=False)
        assert not report.bad, report.bad
        _built[key] = location
    return _built[key]


def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The store built from every chapter of ../shared/corpus/nxml (skipped without the corpus)."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside this checkout")
    return build_store(tmp_path_factory, CORPUS / "nxml")


def read_only(location: Path) -> ox.Store:
    gen = location / "current"
    return ox.Store.read_only(str(gen.resolve()))


def in_memory_copy(location: Path) -> ox.Store:
    copy = ox.Store()
    copy.bulk_load(read_only(location).dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
    return copy


def bag(results: Results) -> Counter[str]:
    return Counter("\t".join(tsv_term(t) for t in row) for row in results.rows)
