"""``export --format sssom``: the store's mapping graph as SSSOM/TSV that sssom-py parses and validates, the same
mappings as the graph (and so as the Turtle export), the same bytes every time."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest

from livertox_kg.exports import sssom, write
from livertox_kg.mappings import table
from livertox_kg.mappings.graph import read_table
from livertox_kg.rdf.vocab import MAPPING_GRAPH, SKOS
from livertox_kg.store import generations
from tests.support.extras import require_module


@pytest.fixture(scope="module")
def store(sample_store: Path) -> ox.Store:
    return generations.open_read_only(sample_store)


@pytest.fixture(scope="module")
def exported(store: ox.Store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sssom") / "agents.sssom.tsv"
    with path.open("wb") as fh:
        assert sssom.write_sssom(store, fh) > 300
    return path


def _links(store: ox.Store) -> set[tuple[str, str, str]]:
    matches = f"<{SKOS.exactMatch}>, <{SKOS.closeMatch}>"
    query = f"SELECT ?a ?p ?x WHERE {{ GRAPH <{MAPPING_GRAPH}> {{ ?a ?p ?x FILTER(?p IN ({matches})) }} }}"
    return {(str(s["a"].value), str(s["p"].value), str(s["x"].value)) for s in store.query(query)}  # type: ignore[union-attr]


@pytest.mark.slow
def test_sssom_py_parses_and_validates_the_export(exported: Path) -> None:
    """sssom-py takes seconds to import (pandas, LinkML): a slow test."""
    require_module("sssom", "validates the SSSOM/TSV export")
    from sssom.constants import SchemaValidationType
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    msdf = parse_sssom_table(str(exported))
    kinds = [SchemaValidationType.JsonSchema, SchemaValidationType.PrefixMapCompleteness]
    reports = validate(msdf, kinds, fail_on_error=False)
    assert all(not r.results for r in reports.values()), reports
    assert len(msdf.df) == len(table.read(exported.read_text(encoding="utf-8")))
    assert set(msdf.df["object_id"].str.split(":").str[0]) == {"UNII", "DRUGBANK", "MESH", "CHEBI"}


def test_the_rows_are_the_graphs_links_and_the_tables_rows(store: ox.Store, exported: Path) -> None:
    rows = table.read(exported.read_text(encoding="utf-8"))
    stated = {(table.expand(r.subject_id), table.expand(r.predicate_id), table.expand(r.object_id)) for r in rows}
    assert stated == _links(store)
    shipped = {(r.subject_id, r.object_id): r for r in read_table()}
    assert all(shipped[(r.subject_id, r.object_id)] == r for r in rows), "a row differs from the shipped table's"


def test_the_mappings_are_in_the_turtle_export(store: ox.Store) -> None:
    out = io.BytesIO()
    write.export(store, "turtle", out)
    triples = {
        (str(t.subject.value), str(t.predicate.value), str(t.object.value))
        for t in ox.parse(out.getvalue(), format=ox.RdfFormat.TURTLE)
    }
    assert _links(store) <= triples
    aldesleukin = "https://w3id.org/livertox-kg/id/agent/aldesleukin"
    assert (aldesleukin, SKOS.exactMatch, "http://identifiers.org/unii/M89N0Q7EQR") in triples


def test_the_same_store_gives_the_same_bytes(store: ox.Store, exported: Path) -> None:
    again = io.BytesIO()
    sssom.write_sssom(store, again)
    assert again.getvalue() == exported.read_bytes()
    assert exported.read_text(encoding="utf-8").startswith("#curie_map:\n")
