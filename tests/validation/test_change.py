"""``validate NEW --store S`` reports what the entry would change, and ``build`` of the entry makes exactly that.

A real chapter (Mesalamine, from ../shared/corpus, else the identical copy the package ships) is edited in a
temporary folder the way a curator would: a likelihood score changed, a reference deleted, a case report's
pattern changed, a CAS number changed. The expected changes are written out here by hand from those edits;
after the build, the store before and after are compared by ``diff`` and, independently, quad by quad and with
the stored queries.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from livertox_kg.cli import main
from livertox_kg.rdf import iris
from livertox_kg.rdf.vocab import DESCRIPTION_GRAPH, ID, LTX, PROV
from tests.conftest import chapter_file
from tests.support.stores import read_only

REMOVED_PMID = "2908750"  # Mesalamine's reference 4 (Burke DA et al. 1987)
EXPECTED = {
    "likelihood": [
        {
            "chapter": "Mesalamine",
            "agents": ["Sulfasalazine"],
            "scope": "",
            "change": "changed",
            "old_category": "A",
            "new_category": "B",
            "old_high_dose": False,
            "new_high_dose": False,
        }
    ],
    "patterns": [
        {"chapter": "Mesalamine", "agent": "Mesalamine", "pattern": "cholestatic", "change": "added", "evidence": 1}
    ],
    "case_reports": [
        {
            "chapter": "Mesalamine",
            "number": 2,
            "change": "changed",
            "title": "Acute hepatitis with jaundice attributed to mesalamine therapy.",
            "fields": {
                "pattern": ["hepatocellular", "cholestatic"],
                "pattern text": ["Hepatocellular (R=13.8 initially, falling to 1.7)", "Cholestatic (R=1.7)"],
                "R ratio": ["13.8", "1.7"],
            },
        }
    ],
    "references": [
        {
            "chapter": "Mesalamine",
            "added": [],
            "removed": [f"PMID {REMOVED_PMID}"],
            "numbers": {f"PMID {REMOVED_PMID}": 4},
        }
    ],
    "identifiers": [
        {
            "chapter": "Mesalamine",
            "agent": "Olsalazine",
            "kind": "CAS number",
            "change": "changed",
            "old": "6054-98-4",
            "new": "6054-98-5",
        }
    ],
}
KINDS = tuple(EXPECTED)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def edited_mesalamine(folder: Path) -> Path:
    """The real chapter with four edits a curator might make."""
    text = chapter_file("nxml/mesalamine.nxml").read_text(encoding="utf-8")
    text = _replace_once(text, "Likelihood score (Sulfasalazine): A (", "Likelihood score (Sulfasalazine): B (")
    text = _replace_once(text, "Hepatocellular (R=13.8 initially, falling to 1.7)<", "Cholestatic (R=1.7)<")
    text = _replace_once(text, 'sid://134988074">6054-98-4<', 'sid://134988074">6054-98-5<')
    ref = re.search(r'<ref id="Mesalamine\.R4">.*?</ref>\s*', text, re.S)
    assert ref is not None and REMOVED_PMID in ref.group(0)
    text = text.replace(ref.group(0), "")
    assert REMOVED_PMID not in text
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "mesalamine.nxml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def stores(sample_store: Path, tmp_path: Path) -> tuple[Path, Path]:
    """(BEFORE, S): two copies of the shipped sample's store; only S is built into."""
    before, location = tmp_path / "before", tmp_path / "store"
    shutil.copytree(sample_store, before, symlinks=True)
    shutil.copytree(sample_store, location, symlinks=True)
    return before, location


def _graphs(location: Path) -> dict[str, set[str]]:
    store = read_only(location)
    out: dict[str, set[str]] = {}
    for q in store:
        assert isinstance(q.graph_name, ox.NamedNode)
        out.setdefault(q.graph_name.value, set()).add(str(q.triple))
    return out


def _provenance(line: str) -> bool:
    """The source file's node and the chapter's links to it and to the loader version (reported apart)."""
    return line.startswith(f"<{ID}source/") or f"> <{PROV.wasDerivedFrom}> " in line or f"<{LTX.loaderVersion}>" in line


def _query_csv(capsys: pytest.CaptureFixture[str], location: Path, name: str) -> list[dict[str, str]]:
    code, out, _ = run(capsys, "query", name, "--format", "csv", "--store", str(location))
    assert code == 0
    return list(csv.DictReader(io.StringIO(out)))


@pytest.mark.slow
def test_validate_reports_the_change_and_build_makes_exactly_it(
    stores: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before, location = stores
    entry = edited_mesalamine(tmp_path / "edited")

    code, out, _ = run(capsys, "validate", str(entry), "--format", "json", "--store", str(location))
    assert code == 0, out  # a wrong CAS check digit is the source's error: a warning
    (reported,) = json.loads(out)["changes"]
    assert (reported["chapter"], reported["status"], reported["source_changed"]) == ("Mesalamine", "changed", True)
    assert {k: reported[k] for k in KINDS} == EXPECTED

    code, text, _ = run(capsys, "validate", str(entry), "--store", str(location))
    block = text[text.index("what these entries change in the store") :]
    assert (
        f"  chapter Mesalamine ({entry}): +{reported['statements_added']} -{reported['statements_removed']}"
        " statements; new source file\n"
        "    likelihood Sulfasalazine: A -> B\n"
        "    + injury pattern Mesalamine: cholestatic (1 sentence)\n"
        '    ~ case report 2: pattern hepatocellular -> cholestatic; pattern text "Hepatocellular (R=13.8 initially,'
        ' falli…" -> "Cholestatic (R=1.7)"; R ratio 13.8 -> 1.7\n'
        f"    - reference 4 (PMID {REMOVED_PMID})\n"
        "    ~ CAS number of Olsalazine: 6054-98-4 -> 6054-98-5\n"
    ) in block, block
    assert _graphs(location) == _graphs(before), "validate only reads the store"

    assert main(["build", "--store", str(location), str(entry)]) == 0
    capsys.readouterr()

    # diff of the store before and after: the one chapter changed, by exactly the changes validate reported
    code, out, _ = run(capsys, "diff", str(before), str(location), "--format", "json")
    assert code == 1
    doc = json.loads(out)
    assert doc["chapters"] == {
        "added": [],
        "removed": [],
        "changed": [
            {
                "chapter": "Mesalamine",
                "statements_added": reported["statements_added"],
                "statements_removed": reported["statements_removed"],
                "source_changed": True,
            }
        ],
        "source_changed_only": [],
        "unchanged": 13,
    }
    assert {k: doc[k] for k in KINDS} == {k: reported[k] for k in KINDS}

    # the graphs themselves: only Mesalamine's (and the dataset description) differ, by the counts reported
    old, new = _graphs(before), _graphs(location)
    graph = iris.graph("Mesalamine")
    assert set(old) == set(new)
    assert {g for g in old if old[g] != new[g]} == {graph, DESCRIPTION_GRAPH}
    added = {s for s in new[graph] - old[graph] if not _provenance(s)}
    removed = {s for s in old[graph] - new[graph] if not _provenance(s)}
    assert (len(added), len(removed)) == (reported["statements_added"], reported["statements_removed"])

    # and what the stored queries answer: the new score, the reference gone
    scores = {(r["chapter"], r["agent"]): r["category"] for r in _query_csv(capsys, location, "likelihood")}
    assert scores[("Mesalamine", "Sulfasalazine")] == "B" and scores[("Mesalamine", "Mesalamine")] == "C"
    cited = {(r["chapter"], r["pmid"]) for r in _query_csv(capsys, location, "chapter-references")}
    assert ("Mesalamine", REMOVED_PMID) not in cited
    assert ("Mesalamine", REMOVED_PMID) in {
        (r["chapter"], r["pmid"]) for r in _query_csv(capsys, before, "chapter-references")
    }

    # the entry again, against the store it was built into: no change left
    code, out, _ = run(capsys, "validate", str(entry), "--format", "json", "--store", str(location))
    (again,) = json.loads(out)["changes"]
    assert again["status"] == "unchanged" and not again["source_changed"] and all(again[k] == [] for k in KINDS)


def test_an_unchanged_chapter_from_another_file_is_no_change(
    sample_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    same = tmp_path / "codeine-copy.nxml"
    shutil.copyfile(chapter_file("nxml/codeine.nxml"), same)
    code, text, _ = run(capsys, "validate", str(same), "--store", str(sample_store))
    assert code == 0
    assert f"  chapter Codeine ({same}): no change (same statements from another source file)\n" in text
    original = chapter_file("nxml/codeine.nxml")
    code, text, _ = run(capsys, "validate", str(original), "--store", str(sample_store))
    assert code == 0 and f"  chapter Codeine ({original}): no change\n" in text


@pytest.mark.slow
def test_a_new_chapter_says_what_it_brings(sample_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Isoniazid is not in the sample: validate says "new chapter" and counts what it brings."""
    entry = chapter_file("nxml/isoniazid.nxml")
    code, out, _ = run(capsys, "validate", str(entry), "--format", "json", "--store", str(sample_store))
    (reported,) = json.loads(out)["changes"]
    assert code == 0 and (reported["chapter"], reported["status"]) == ("Isoniazid", "new")
    counts = reported["counts"]
    assert counts["agents"] == 1 and counts["likelihood assessments"] == 1
    assert counts["identifiers"] >= 2, "a CAS number and a PubChem substance at least"
    _, text, _ = run(capsys, "validate", str(entry), "--store", str(sample_store))
    assert f"  chapter Isoniazid ({entry}): new chapter: {counts['statements']} statements, 1 agents," in text


@pytest.mark.slow
def test_building_a_new_chapter_adds_what_validate_counted(
    stores: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    before, location = stores
    entry = chapter_file("nxml/isoniazid.nxml")
    code, out, _ = run(capsys, "validate", str(entry), "--format", "json", "--store", str(location))
    counts = json.loads(out)["changes"][0]["counts"]
    assert main(["build", "--store", str(location), str(entry)]) == 0
    capsys.readouterr()
    new = _graphs(location)[iris.graph("Isoniazid")]
    assert len([s for s in new if not _provenance(s)]) == counts["statements"]
    kinds = {
        "case reports": f"> <{LTX.caseNumber}> ",
        "likelihood assessments": f"> <{LTX.category}> ",
        "references": f"> <{LTX.hasReference}> ",
        "agents": f"> <{LTX.coversAgent}> ",
    }
    for what, marker in kinds.items():
        assert sum(1 for s in new if marker in s) == counts[what], what
    code, out, _ = run(capsys, "diff", str(before), str(location), "--format", "json")
    assert code == 1 and json.loads(out)["chapters"]["added"] == ["Isoniazid"]


def test_no_change_report_without_store_option_or_for_turtle_entries(
    sample_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = edited_mesalamine(tmp_path)
    monkeypatch.setenv("LIVERTOX_KG_STORE", str(sample_store))
    code, text, _ = run(capsys, "validate", str(entry))
    assert "what these entries change" not in text
    code, out, _ = run(capsys, "validate", str(entry), "--format", "json")
    assert "changes" not in json.loads(out)
    turtle = tmp_path / "trade-name.ttl"
    turtle.write_text(f'<{iris.agent("Mesalamine")}> <{LTX.tradeName}> "Asacol" .\n', encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(turtle), "--format", "json", "--store", str(sample_store))
    assert json.loads(out)["changes"] == []
    code, text, _ = run(capsys, "validate", str(turtle), "--store", str(sample_store))
    assert code == 0 and "what these entries change" not in text


@pytest.mark.slow
@pytest.mark.parametrize(("old_format", "new_format"), [("turtle", "nquads"), ("trig", "ntriples")])
def test_exports_of_the_stores_show_the_same_changes(
    stores: tuple[Path, Path], tmp_path: Path, old_format: str, new_format: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The merged exports (Turtle, N-Triples) have no chapter graphs: the chapter is read from its node, its
    parts, its agents and its works, and gives the same changes."""
    before, location = stores
    entry = edited_mesalamine(tmp_path / "edited")
    assert main(["build", "--store", str(location), str(entry)]) == 0
    suffix = {"turtle": ".ttl", "ntriples": ".nt", "nquads": ".nq", "trig": ".trig"}
    old_file, new_file = tmp_path / f"old{suffix[old_format]}", tmp_path / f"new{suffix[new_format]}"
    assert main(["export", "--store", str(before), "--format", old_format, "-o", str(old_file)]) == 0
    assert main(["export", "--store", str(location), "--format", new_format, "-o", str(new_file)]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "diff", str(old_file), str(new_file), "--format", "json")
    assert code == 1
    doc = json.loads(out)
    assert [c["chapter"] for c in doc["chapters"]["changed"]] == ["Mesalamine"]
    assert {k: doc[k] for k in KINDS} == EXPECTED
