"""The wheel carries the ontology, queries, shapes and sample; the CLI works from a fresh venv."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (whl,) = out.glob("livertox_kg-*.whl")
    return whl


def test_wheel_ships_resources(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "livertox_kg/ontology/livertox.ttl" in names
    assert "livertox_kg/queries/likelihood.rq" in names
    assert "livertox_kg/queries/chapter-references.rq" in names
    assert "livertox_kg/loaders/nxml.py" in names
    assert sum(n.startswith("livertox_kg/samples/") for n in names) >= 12


def test_cli_from_fresh_venv(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True, system_site_packages=False)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True)
    store = tmp_path / "store"
    cli = env_dir / "bin" / "livertox-kg"
    built = subprocess.run([str(cli), "build", "--store", str(store)], capture_output=True, text=True, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert "chapters" in built.stdout
    rows = subprocess.run(
        [str(cli), "query", "likelihood", "--format", "csv", "--store", str(store)],
        capture_output=True,
        cwd=tmp_path,
    )
    assert rows.returncode == 0, rows.stderr
    assert rows.stdout.startswith(b"chapter,agent,category,high_dose,scope\r\n")
    assert b"\r\nAldesleukin,Aldesleukin,C,true,\r\n" in rows.stdout
