"""``export --format kgx``: nodes.tsv and edges.tsv whose categories, predicates, slots and enumerations all
exist in the Biolink model the package biolink-model 4.4.6 ships (KGX itself reads the model from the network
when it is imported, so cannot run here), with ids, provenance and the likelihood score as promised."""

from __future__ import annotations

import csv
import functools
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from livertox_kg.exports import kgx
from livertox_kg.store import generations
from tests.support.extras import require_module


@pytest.fixture(scope="module")
def written(sample_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("kgx") / "out"
    stats = kgx.write_kgx(generations.open_read_only(sample_store), folder)
    assert stats.nodes > 100 and stats.edges > 50
    return folder


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


@functools.cache
def biolink() -> dict[str, Any]:
    require_module("biolink_model", "the Biolink model the KGX edition is checked against")
    yaml = require_module("yaml", "reads the Biolink model")
    text = (resources.files("biolink_model") / "schema" / "biolink_model.yaml").read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser: 10x faster on the 540 KB model
    model: dict[str, Any] = yaml.load(text, Loader=loader)
    assert model["version"] == "4.4.6"
    return model


def _camel(name: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in name.split())


def test_categories_predicates_and_slots_are_biolinks(written: Path) -> None:
    model = biolink()
    classes = {f"biolink:{_camel(c)}" for c in model["classes"]}
    slots = {s.replace(" ", "_") for s in model["slots"]}
    nodes, edges = _read(written / "nodes.tsv"), _read(written / "edges.tsv")
    assert {c for n in nodes for c in n["category"].split("|")} <= classes
    assert {e["category"] for e in edges} <= classes
    assert {e["predicate"] for e in edges} == {"biolink:has_adverse_event"}
    assert "has adverse event" in model["slots"]
    assert set(kgx.NODE_COLUMNS) <= slots and set(kgx.EDGE_COLUMNS) <= slots
    levels = set(model["enums"]["KnowledgeLevelEnum"]["permissible_values"])
    agents = set(model["enums"]["AgentTypeEnum"]["permissible_values"])
    assert {e["knowledge_level"] for e in edges} <= levels
    assert {e["agent_type"] for e in edges} == {"manual_agent", "automated_agent"} <= agents


def test_node_ids_follow_biolinks_order_of_chemical_prefixes() -> None:
    prefixes = biolink()["classes"]["chemical entity"]["id_prefixes"]
    positions = [prefixes.index(p) for p in kgx.ID_ORDER]
    assert positions == sorted(positions)


def test_every_edge_joins_two_nodes_and_says_where_it_comes_from(written: Path) -> None:
    nodes, edges = _read(written / "nodes.tsv"), _read(written / "edges.tsv")
    ids = [n["id"] for n in nodes]
    assert len(ids) == len(set(ids))
    assert {e["subject"] for e in edges} | {e["object"] for e in edges} <= set(ids)
    assert {p for e in edges for p in e["publications"].split("|") if p} <= set(ids)
    assert {e["primary_knowledge_source"] for e in edges} == {"infores:livertox"}
    assert len({e["id"] for e in edges}) == len(edges)
    for e in edges:
        assert all(re.fullmatch(r"PMID:[1-9]\d*", p) for p in e["publications"].split("|") if p), e


def test_likelihood_edges_are_livertoxs_statements_with_the_score(written: Path) -> None:
    edges = _read(written / "edges.tsv")
    scored = [e for e in edges if e["has_confidence_level"]]
    assert scored and all(e["object"] == "MONDO:0005359" and e["agent_type"] == "manual_agent" for e in scored)
    assert {e["has_confidence_level"] for e in scored} <= {
        f"ltxid:likelihood/{c}" for c in ("A", "B", "C", "D", "E-star")
    }
    aldesleukin = [e for e in scored if e["subject"] == "UNII:M89N0Q7EQR"]  # no ChEBI record: its UNII
    assert [e["has_confidence_level"] for e in aldesleukin] == ["ltxid:likelihood/C"]
    assert "PMID:25270293" in aldesleukin[0]["publications"].split("|")


def test_pattern_edges_are_ours_with_their_sentences(written: Path) -> None:
    nodes = {n["id"]: n for n in _read(written / "nodes.tsv")}
    found = [e for e in _read(written / "edges.tsv") if e["object"].startswith("ltxid:pattern/")]
    assert found and all(e["agent_type"] == "automated_agent" and e["supporting_text"] for e in found)
    assert nodes["ltxid:pattern/acute-liver-failure"]["xref"] == "HP:0001399|MONDO:0019542"
    assert nodes["ltxid:pattern/hepatocellular"]["category"] == "biolink:PhenotypicFeature"


def test_agents_are_named_by_their_cross_references(written: Path) -> None:
    nodes = {n["id"]: n for n in _read(written / "nodes.tsv")}
    aldesleukin = nodes["UNII:M89N0Q7EQR"]
    assert aldesleukin["category"] == "biolink:Drug" and aldesleukin["name"] == "Aldesleukin"
    assert set(aldesleukin["xref"].split("|")) >= {"DRUGBANK:DB00041", "ltxid:agent/aldesleukin"}
    herbal = [n for n in nodes.values() if n["category"] == "biolink:ComplexMolecularMixture"]
    assert {n["name"] for n in herbal} >= {"Green Tea"}


def test_the_same_store_gives_the_same_bytes(sample_store: Path, written: Path, tmp_path: Path) -> None:
    kgx.write_kgx(generations.open_read_only(sample_store), tmp_path)
    for name in ("nodes.tsv", "edges.tsv"):
        assert (tmp_path / name).read_bytes() == (written / name).read_bytes()
    assert not list(tmp_path.glob(".*.tmp"))
