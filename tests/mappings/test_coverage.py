"""The coverage and precision table of ``mappings/README.md`` is what ``tools/mapping_coverage.py`` computes from
the shipped table and the corpus (so a regenerated table that changes the numbers changes the README too)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT


def _tool() -> ModuleType:
    sys.path.insert(0, str(ROOT / "tools"))  # its sibling make_mappings, as when it runs as a script
    spec = importlib.util.spec_from_file_location("mapping_coverage", ROOT / "tools" / "mapping_coverage.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("mapping_coverage", module)
    spec.loader.exec_module(module)
    return module


def _readme_rows() -> list[list[str]]:
    text = (ROOT / "mappings" / "README.md").read_text(encoding="utf-8")
    block = text.split("## Coverage and precision", 1)[1]
    rows = [line for line in block.splitlines() if line.startswith("|") and "---" not in line]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.split("|")]


def test_the_precision_column_is_the_checked_sample() -> None:
    """Without the corpus: the precision the README gives is the verdicts of tests/data/mappings_checked.tsv."""
    tool = _tool()
    rows = {r[0].upper(): r[-1] for r in _readme_rows()[1:]}
    checked = tool._tsv(tool.CHECKED)
    for db in ("UNII", "DRUGBANK", "MESH", "CHEBI"):
        verdicts = [r["verdict"] == "correct" for r in checked if r["object_id"].startswith(db + ":")]
        assert rows[db] == f"{sum(verdicts)}/{len(verdicts)}"


@pytest.mark.slow
def test_the_readme_table_is_what_the_tool_computes(corpus: Path) -> None:
    tool = _tool()
    computed = [_cells(line) for line in tool.table(tool.drug_and_herbal_agents(corpus)) if "---" not in line]
    shown = _readme_rows()
    assert [[c.upper() for c in row] for row in shown] == [[c.upper() for c in row] for row in computed]
