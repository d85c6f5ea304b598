"""The mapping table (mappings/agents.sssom.tsv) as data: its form, what sssom-py says of it, and the rules
tools/make_mappings.py promises (one record per agent and database, nothing ambiguous kept)."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from livertox_kg.mappings import table
from livertox_kg.mappings.graph import read_table
from livertox_kg.rdf.vocab import XREF_PREFIXES
from tests.conftest import ROOT
from tests.support.extras import require_module

TABLE = ROOT / "mappings" / "agents.sssom.tsv"
AMBIGUOUS = ROOT / "mappings" / "ambiguous.tsv"
DATABASES = ("UNII", "DRUGBANK", "MESH", "CHEBI")


@pytest.fixture(scope="module")
def rows() -> list[table.Mapping]:
    return read_table()


def test_the_package_ships_the_repository_table(rows: list[table.Mapping]) -> None:
    assert rows == table.read(TABLE.read_text(encoding="utf-8"))
    assert len(rows) > 2000


def test_every_row_maps_an_agent_to_a_record_of_the_four_databases(rows: list[table.Mapping]) -> None:
    for r in rows:
        assert r.subject_id.startswith("ltxid:agent/"), r
        assert r.object_id.split(":")[0] in DATABASES, r
        assert r.predicate_id in table.PREDICATES and r.mapping_justification == "semapv:LexicalMatching", r
        assert 0 < r.confidence <= 1 and r.match_string and r.object_label, r
        assert r.comment.split(";")[0].split(" (")[0] in ("CAS match", "exact name", "normalised name", "synonym"), r


def test_one_exact_record_per_agent_and_database_and_one_agent_per_record(rows: list[table.Mapping]) -> None:
    exact = [r for r in rows if r.predicate_id == "skos:exactMatch"]
    per_agent = Counter((r.subject_id, r.object_id.split(":")[0]) for r in exact)
    per_record = Counter(r.object_id for r in exact)
    assert [k for k, n in per_agent.items() if n > 1] == []
    assert [k for k, n in per_record.items() if n > 1] == []


def test_what_is_ambiguous_is_not_mapped_exactly(rows: list[table.Mapping]) -> None:
    """An agent listed as matching several records of a database has no exact match in that database."""
    with AMBIGUOUS.open(encoding="utf-8", newline="") as fh:
        listed = [r for r in csv.DictReader(fh, delimiter="\t") if r["why"] == "several records"]
    assert listed, "the report lists the ambiguous matches"
    exact = {(r.subject_id, r.object_id.split(":")[0]) for r in rows if r.predicate_id == "skos:exactMatch"}
    clashes = {(r["subject_id"], r["object_id"].split(":")[0]) for r in listed} & exact
    assert clashes == set()


def test_a_cas_match_compares_the_cas_numbers(rows: list[table.Mapping]) -> None:
    cas = [r for r in rows if r.comment.startswith("CAS match")]
    assert len(cas) > 1000
    for r in cas:
        assert (r.subject_match_field, r.object_match_field) == ("ltx:casRegistryNumber", "CHEMINF:000446"), r
        assert r.match_string.count("-") == 2, r
        assert r.confidence >= 0.95 or r.predicate_id == "skos:closeMatch", r


def test_curies_expand_with_biolinks_prefixes_and_back() -> None:
    assert table.expand("UNII:R16CO5Y76E") == "http://identifiers.org/unii/R16CO5Y76E"
    assert table.expand("CHEBI:15365") == "http://purl.obolibrary.org/obo/CHEBI_15365"
    assert table.expand("ltxid:agent/aspirin") == "https://w3id.org/livertox-kg/id/agent/aspirin"
    for curie in ("MESH:D000082", "DRUGBANK:DB00945", "ltx:casRegistryNumber", "CHEMINF:000446"):
        assert table.contract(table.expand(curie)) == curie
    with pytest.raises(ValueError):
        table.expand("PUBCHEM:2244")
    with pytest.raises(ValueError):
        table.contract("https://example.org/x")
    assert set(DATABASES) <= set(XREF_PREFIXES)


def test_read_refuses_other_columns_and_predicates(rows: list[table.Mapping]) -> None:
    with pytest.raises(ValueError, match="columns"):
        table.read("subject_id\tobject_id\nltxid:agent/a\tUNII:X\n")
    text = table.write(rows[:1], "0123456789abcdef").replace("skos:exactMatch", "owl:sameAs")
    with pytest.raises(ValueError, match="predicates"):
        table.read(text)


def test_the_same_rows_give_the_same_text_and_version(rows: list[table.Mapping]) -> None:
    version = table.version_of(rows)
    assert table.write(list(reversed(rows)), version) == table.write(rows, version)
    assert table.version_of(rows[1:]) != version
    assert f'#mapping_set_version: "{version}"\n' in TABLE.read_text(encoding="utf-8")


@pytest.mark.slow
def test_sssom_py_parses_and_validates_the_table() -> None:
    """sssom-py takes 10-30 s over the 2,500 rows (most of it importing pandas and LinkML): a slow test."""
    require_module("sssom", "validates the SSSOM/TSV table")
    from sssom.constants import SchemaValidationType
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    msdf = parse_sssom_table(str(TABLE))
    assert len(msdf.df) == len(read_table())
    kinds = [SchemaValidationType.JsonSchema, SchemaValidationType.PrefixMapCompleteness]
    reports = validate(msdf, kinds, fail_on_error=False)
    assert all(not r.results for r in reports.values()), reports
    assert str(msdf.metadata["mapping_set_id"]) == table.MAPPING_SET_ID
