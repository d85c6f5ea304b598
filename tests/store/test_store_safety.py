"""Readers during a build see the old graph or the new one, never a mixture; builds exclude each other."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from livertox_kg.cli import main
from livertox_kg.errors import StoreError
from livertox_kg.store import generations as store
from tests.conftest import DEV


def _rows(store_dir: Path) -> bytes:
    env = {**os.environ, "LIVERTOX_KG_STORE": str(store_dir), "PYTHONPATH": str(DEV)}
    result = subprocess.run(
        [sys.executable, "-m", "livertox_kg", "query", "chapter-references", "--format", "csv"],
        env=env,
        capture_output=True,
        check=True,
    )
    return result.stdout


@pytest.mark.slow
def test_readers_during_build_see_old_or_new(store_dir: Path, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(corpus / "nxml" / "aldesleukin.nxml")]) == 0
    old = _rows(store_dir)
    env = {**os.environ, "LIVERTOX_KG_STORE": str(store_dir), "PYTHONPATH": str(DEV)}
    builder = subprocess.Popen(
        [sys.executable, "-m", "livertox_kg", "build", str(corpus / "nxml")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seen: list[bytes] = []
    try:
        while builder.poll() is None:
            seen.append(_rows(store_dir))
    finally:
        builder.wait(timeout=120)
    assert builder.returncode == 0
    new = _rows(store_dir)
    assert new != old
    assert seen, "the reader ran during the build"
    assert all(rows in (old, new) for rows in seen)


@pytest.mark.slow
def test_second_writer_is_refused_while_a_build_holds_the_store(store_dir: Path) -> None:
    assert main(["build"]) == 0
    with store.writer(store_dir) as w:
        with pytest.raises(StoreError, match="another build is writing this store"), store.writer(store_dir):
            pass
        assert w.store is not None
    # The first writer never committed: the store is as before and a new build works.
    assert main(["build"]) == 0


@pytest.mark.slow
@pytest.mark.parametrize("point", ["convert", "loaded", "switch"])
def test_a_build_killed_at_any_point_leaves_the_previous_store_answering(
    store_dir: Path, corpus: Path, point: str
) -> None:
    """Killed (SIGKILL) while converting, once everything is loaded, or between the two renames of the
    switch: readers still get the old rows, and the next build succeeds."""
    assert main(["build", str(corpus / "nxml" / "aldesleukin.nxml")]) == 0
    old = _rows(store_dir)
    env = {**os.environ, "LIVERTOX_KG_STORE": str(store_dir), "PYTHONPATH": str(DEV), store.KILL_AT_VAR: point}
    killed = subprocess.run(
        [sys.executable, "-m", "livertox_kg", "build", str(corpus / "nxml")], env=env, capture_output=True
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    assert _rows(store_dir) == old
    assert main(["build", str(corpus / "nxml")]) == 0
    assert _rows(store_dir) != old
