"""Golden Turtle for chosen chapters, compared as graphs. Regenerate with ``pytest --update-goldens``."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from tests.conftest import GOLDEN, chapter_file
from tests.support.rdfutil import chapter_graph, diff_text, load_path

CHAPTERS = [
    "nxml/aldesleukin.nxml",
    "nxml/bisphosphonates.nxml",
    "nxml/emergencycontracepti.nxml",
    "nxml/vitaminb.nxml",
    "nxml/jinbuhuan.nxml",
    "nxml/amoxicillinclavulana.nxml",
    "nxml/trastuzumab.nxml",
    "nxml/proteinkinaseinhibit.nxml",
    "txt/aldesleukin.txt",
]


@pytest.mark.parametrize("rel", CHAPTERS)
def test_golden(rel: str, update_goldens: bool) -> None:
    got = chapter_graph(load_path(chapter_file(rel)))
    golden = GOLDEN / (rel.replace("/", "-").rsplit(".", 1)[0] + ".ttl")
    if update_goldens:
        golden.write_text(got.serialize(format="turtle"), encoding="utf-8")
        pytest.skip(f"rewrote {golden.name}")
    assert golden.exists(), f"no golden file {golden}; run pytest --update-goldens and review it"
    expected = rdflib.Graph().parse(golden, format="turtle")
    assert isomorphic(expected, got), f"{rel} differs from {golden.name}:\n{diff_text(expected, got)}"


def test_goldens_have_no_strays() -> None:
    names = {rel.replace("/", "-").rsplit(".", 1)[0] + ".ttl" for rel in CHAPTERS}
    assert {p.name for p in Path(GOLDEN).glob("*.ttl")} <= names
