"""The README's worked example of a hand-written query ("Writing your own SPARQL") runs as printed there.

The query is read from the README, run with ``query --text`` on the shipped sample (no PREFIX lines: the
graph's prefixes are predeclared), and the rows the README shows must be the first rows of the output;
the classes and properties the README lists must all be defined by the ontology.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import rdflib

from livertox_kg import resources
from livertox_kg.cli import main
from livertox_kg.rdf.vocab import PREFIXES
from tests.conftest import ROOT

README = ROOT / "README.md"


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("### Writing your own SPARQL")
    return text[start : text.index("\n## ", start)]


def _example() -> tuple[str, list[str]]:
    block = re.search(r"```console\n\$ livertox-kg query --text '(.*?)'\n(.*?)```", _section(), re.S)
    assert block, "README: the worked example is a console block running query --text '...'"
    query, output = block.group(1), block.group(2).splitlines()
    shown = [line for line in output if line.strip() and line.strip() != "..."]
    return query, shown


def test_the_worked_example_gives_the_rows_shown(
    store_dir: Path, sample_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(sample_store, store_dir, symlinks=True)
    query, shown = _example()
    assert "PREFIX" not in query.upper().split("SELECT")[0], "the example relies on the predeclared prefixes"
    assert main(["query", "--text", query]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(shown) >= 4, "a header, its rule and some rows"
    assert out[: len(shown)] == shown


def test_the_listed_terms_are_defined() -> None:
    ontology = rdflib.Graph().parse(data=resources.ontology_ttl(), format="turtle")
    defined = {str(s) for s in ontology.subjects()}
    table = _section().split("| to find |", 1)[1]
    names = set(re.findall(r"`(ltx:[A-Za-z]+)`", table))
    assert len(names) > 30
    missing = sorted(n for n in names if PREFIXES["ltx"] + n.split(":")[1] not in defined)
    assert not missing, f"README lists terms the ontology does not define: {missing}"
