"""Print the PubMed-id floors per publication year used by the ``ltxsh:Work-pubMedId-year`` check.

PubMed ids grow with time: since 1997 an article gets its id when PubMed first lists it (at the latest,
shortly after it is published; earlier only when it is listed ahead of print). So an article published in
year Y has an id at least about as high as the ids of articles published two years before. The floor of Y
is the 1st percentile of the ids of the structured citations (``<element-citation>``, whose year is marked
up) published in year Y - 2, over the whole corpus, made non-decreasing; years after the last measured one
keep its floor. A mistyped id with a dropped digit (25270293 printed as 5270293, an article of 2014) falls
far below its year's floor.

    python tools/pmid_year_floors.py ../shared/corpus     # prints the table for shapes/sparql/checks.ttl

The table is printed as one string of ``year:floor`` pairs that the check looks its year up in (SHACL-SPARQL
constraints may not use ``VALUES``, and rdflib's parser cannot read 30 nested ``IF`` expressions).
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

FIRST_YEAR = 1999  # floors from 1997 on; ids of older articles were assigned out of order
LAST_YEAR = 2030
QUANTILE = 0.01


def structured_pairs(corpus: Path) -> dict[int, list[int]]:
    """Publication year -> PubMed ids of the structured citations of every chapter under ``corpus``."""
    by_year: dict[int, set[int]] = defaultdict(set)
    for path in sorted(corpus.rglob("*.nxml")):
        for cit in ET.parse(path).getroot().iter("element-citation"):
            year = (cit.findtext("year") or "").strip()
            ids = [(p.text or "").strip() for p in cit.findall("pub-id") if p.get("pub-id-type") == "pmid"]
            if year.isdigit() and ids and ids[0].isdigit():
                by_year[int(year)].add(int(ids[0]))
    return {year: sorted(ids) for year, ids in by_year.items()}


def floors(by_year: dict[int, list[int]]) -> dict[int, int]:
    out: dict[int, int] = {}
    floor = 0
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        ids = by_year.get(year - 2)
        if ids:
            floor = max(floor, ids[int(QUANTILE * len(ids))])
        if floor:
            out[year] = floor
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    table = floors(structured_pairs(Path(argv[0])))
    pairs = [f"{year}:{floor}" for year, floor in table.items()]
    print('" ' + " ".join(pairs) + ' "')
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
