"""The coverage and precision table of the agents' cross-references (issue #14, points 1 and 7).

    PYTHONPATH=dev python tools/mapping_coverage.py ../shared/corpus

Coverage: of every agent of the corpus's drug and herbal chapters (``archive/`` and ``nxml/``, read by the
pipeline itself; a later copy of a chapter replaces an earlier one), how many have an ``skos:exactMatch``
(and an exact or close match) to each database in the shipped table (``mappings/agents.sssom.tsv``), and how
many are listed as ambiguous (``mappings/ambiguous.tsv``: never guessed). Precision: the share of the 100
mappings checked by hand (``tests/data/mappings_checked.tsv``, 25 per database) found correct.

Prints the table as Markdown (the one in ``mappings/README.md``). It reads only the repository and the corpus:
no source package is needed, so anyone can check the numbers the README gives.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from pathlib import Path

from make_mappings import corpus_chapters

from livertox_kg.mappings.graph import read_table
from livertox_kg.model import ChapterKind
from livertox_kg.rdf import iris
from livertox_kg.rdf.vocab import ID

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ROOT / "tests" / "data" / "mappings_checked.tsv"
AMBIGUOUS = ROOT / "mappings" / "ambiguous.tsv"
DATABASES = ("UNII", "DRUGBANK", "MESH", "CHEBI", "RXNORM")
KINDS = (ChapterKind.DRUG, ChapterKind.HERBAL)


def drug_and_herbal_agents(corpus: Path) -> set[str]:
    """The CURIEs (``ltxid:agent/...``) of the agents of every drug and herbal chapter of ``corpus``."""
    return {
        "ltxid:" + iris.agent(a.name)[len(ID) :]
        for chapter in corpus_chapters(corpus)
        if chapter.kind in KINDS
        for a in chapter.agents
    }


def _tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def table(agents: set[str]) -> list[str]:
    """The Markdown table: one row per database, then a row for any of them."""
    exact: dict[str, set[str]] = defaultdict(set)
    either: dict[str, set[str]] = defaultdict(set)
    for row in read_table():
        if row.subject_id in agents:
            prefix = row.object_id.split(":")[0]
            either[prefix].add(row.subject_id)
            if row.predicate_id == "skos:exactMatch":
                exact[prefix].add(row.subject_id)
    ambiguous: dict[str, set[str]] = defaultdict(set)
    for row in _tsv(AMBIGUOUS):
        if row["subject_id"] in agents:
            ambiguous[row["object_id"].split(":")[0]].add(row["subject_id"])
    checked: dict[str, list[bool]] = defaultdict(list)
    for row in _tsv(CHECKED):
        checked[row["object_id"].split(":")[0]].append(row["verdict"] == "correct")

    def share(n: int) -> str:
        return f"{n} ({100 * n / len(agents):.1f}%)"

    lines = [
        f"{len(agents)} drug and herbal agents | exactMatch | exact or closeMatch | ambiguous (left out) | precision",
        "---|---:|---:|---:|---:",
    ]
    for db in DATABASES:
        verdicts = checked.get(db, [])
        precision = f"{sum(verdicts)}/{len(verdicts)}" if verdicts else "no source"
        lines.append(f"{db} | {share(len(exact[db]))} | {share(len(either[db]))} | {len(ambiguous[db])} | {precision}")
    all_exact, all_either = set().union(*exact.values()), set().union(*either.values())
    total = [v for verdicts in checked.values() for v in verdicts]
    lines.append(f"any | {share(len(all_exact))} | {share(len(all_either))} | | {sum(total)}/{len(total)}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="the corpus folder (with archive/ and nxml/)")
    args = parser.parse_args(argv)
    print("\n".join(table(drug_and_herbal_agents(args.corpus))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
