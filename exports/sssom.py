"""``livertox-kg export --format sssom``: the store's mapping graph as an SSSOM/TSV mapping set.

The rows are read back from the mapping graph the build wrote (:mod:`livertox_kg.mappings.graph`), so the file
describes exactly the mappings the store (and its Turtle export) holds: those of the agents of its chapters.
The header (curie map, mapping set id, licence, version, ...) and the columns are the repository table's
(:mod:`livertox_kg.mappings.table`); rows are sorted by agent, then record, so the same store gives the same
bytes. ``sssom`` (sssom-py) parses and validates the file (``tests/exports/test_sssom.py``).
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from livertox_kg.mappings import table
from livertox_kg.mappings.table import Mapping
from livertox_kg.rdf.vocab import MAPPING_GRAPH, OWL, RDF, RDFS, SSSOM

_SLOTS = {
    OWL.annotatedSource: "subject_id",
    OWL.annotatedProperty: "predicate_id",
    OWL.annotatedTarget: "object_id",
    SSSOM.mapping_justification: "mapping_justification",
    SSSOM.subject_label: "subject_label",
    SSSOM.object_label: "object_label",
    SSSOM.subject_match_field: "subject_match_field",
    SSSOM.object_match_field: "object_match_field",
    SSSOM.match_string: "match_string",
    SSSOM.subject_preprocessing: "subject_preprocessing",
    SSSOM.confidence: "confidence",
    SSSOM.object_source: "object_source",
    SSSOM.object_source_version: "object_source_version",
    RDFS.comment: "comment",
}
"""Each slot of a mapping node and the column it fills (SSSOM/RDF -> SSSOM/TSV)."""


def _value(term: ox.NamedNode | ox.Literal | ox.BlankNode | ox.Triple) -> str:
    if isinstance(term, ox.NamedNode):
        return table.contract(term.value)
    return str(getattr(term, "value", term))


def stored_mappings(store: ox.Store) -> tuple[list[Mapping], str]:
    """The mappings of the store's mapping graph and the set's version ("" when the store has none)."""
    query = f"SELECT ?m ?p ?o WHERE {{ GRAPH <{MAPPING_GRAPH}> {{ ?m <{RDF.type}> <{OWL.Axiom}> ; ?p ?o }} }}"
    cells: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in store.query(query):  # type: ignore[union-attr]
        column = _SLOTS.get(row["p"].value)
        if column is not None:
            cells[row["m"].value][column].append(_value(row["o"]))
    rows = [
        Mapping(
            **{c: "|".join(sorted(v.get(c, []))) for c in table.COLUMNS if c != "confidence"},
            confidence=float(v["confidence"][0]),
        )
        for v in cells.values()
    ]
    version = f"SELECT ?v WHERE {{ GRAPH <{MAPPING_GRAPH}> {{ <{table.MAPPING_SET_ID}> <{OWL.versionInfo}> ?v }} }}"
    found = [str(s["v"].value) for s in store.query(version)]  # type: ignore[union-attr]
    return rows, found[0] if found else ""


def write_sssom(store: ox.Store, out: IO[bytes]) -> int:
    """Write the mapping set to ``out``; return the number of mappings."""
    rows, version = stored_mappings(store)
    out.write(table.write(rows, version or table.version_of(rows)).encode("utf-8"))
    return len(rows)


def write_sssom_file(store: ox.Store, path: Path) -> int:
    """Write the mapping set to ``path`` through a temporary file beside it (whole or untouched)."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with tmp.open("wb") as fh:
            n = write_sssom(store, fh)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return n
