"""tools/make_mappings.py decides as its description says, on small made-up sources: CAS number first, then
names; several records are never a guess; a trade name is a close match; a record two agents claim goes to the
one named like it."""

from __future__ import annotations

import sys

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import make_mappings as mm
import mapping_sources as ms


def _index(*records: ms.Record) -> ms.Index:
    source = ms.Source("UNII", "https://precision.fda.gov/uniisearch", "test")
    for r in records:
        source.add(r)
    return ms.build_index(source)


def _agent(
    name: str, cas: set[str] = frozenset(), alt: set[str] = frozenset(), trade: set[str] = frozenset()
) -> mm.Agent:  # type: ignore[assignment]
    return mm.Agent(f"https://w3id.org/livertox-kg/id/agent/{name.lower()}", name, set(alt), set(trade), set(cas))


ASPIRIN = ms.Record("UNII:R16CO5Y76E", "ASPIRIN", {"ACETYLSALICYLIC ACID"}, {"50-78-2"})
SALT = ms.Record("UNII:SALT000001", "ASPIRIN SODIUM", set(), {"493-53-8"})
OTHER = ms.Record("UNII:OTHER00001", "BUFFERIN", set(), {"11-11-1"})


def test_cas_number_and_name_agree() -> None:
    hit, ambiguous = mm.decide(_agent("Aspirin", {"50-78-2"}), _index(ASPIRIN, SALT))
    assert hit is not None and hit.curie == ASPIRIN.curie and hit.method == "CAS match" and hit.confidence == 0.99
    assert ambiguous == []


def test_a_cas_number_the_name_contradicts_is_ambiguous() -> None:
    hit, ambiguous = mm.decide(_agent("Aspirin", {"493-53-8"}), _index(ASPIRIN, SALT))
    assert hit is None
    assert {h.curie for h in ambiguous} == {ASPIRIN.curie, SALT.curie}


def test_several_cas_records_are_resolved_only_by_the_name() -> None:
    hit, _ = mm.decide(_agent("Aspirin", {"50-78-2", "493-53-8"}), _index(ASPIRIN, SALT))
    assert hit is not None and hit.curie == ASPIRIN.curie and hit.method == "exact name"
    hit, ambiguous = mm.decide(_agent("Salicylates", {"50-78-2", "493-53-8"}), _index(ASPIRIN, SALT))
    assert hit is None and len(ambiguous) == 2


def test_names_exact_then_normalised_then_synonyms() -> None:
    idx = _index(ASPIRIN, ms.Record("UNII:AMOXCLAV01", "AMOXICILLIN-CLAVULANATE", set(), set()))
    hit, _ = mm.decide(_agent("Acetylsalicylic Acid"), idx)
    assert hit is not None and (hit.method, hit.object_field) == ("exact name", ms.SYNONYM)
    hit, _ = mm.decide(_agent("Amoxicillin / clavulanate"), idx)
    assert hit is not None and hit.method == "normalised name" and hit.confidence == 0.8
    hit, _ = mm.decide(_agent("ASA", alt={"Aspirin"}), idx)
    assert hit is not None and (hit.method, hit.subject_field) == ("synonym", "skos:altLabel")


def test_a_synonym_of_another_substance_is_refused() -> None:
    """The agent's CAS number and the record's are both known and differ: a salt or ester, not the agent."""
    hit, _ = mm.decide(_agent("Cyproterone", {"2098-66-0"}, trade={"Bufferin"}), _index(OTHER))
    assert hit is None
    hit, _ = mm.decide(_agent("Cyproterone", trade={"Bufferin"}), _index(OTHER))
    assert hit is not None and hit.subject_field == "ltx:tradeName"


def test_a_trade_name_is_a_close_match() -> None:
    source = _index(OTHER).source
    hit, _ = mm.decide(_agent("Buffered aspirin", trade={"Bufferin"}), _index(OTHER))
    assert hit is not None
    row = mm._row(_agent("Buffered aspirin", trade={"Bufferin"}), hit, source)
    assert row.predicate_id == "skos:closeMatch" and row.object_source == "bioregistry:unii"


@pytest.mark.parametrize(
    ("names", "exact"), [(("Aspirin", "Aspirin (Oral)"), "Aspirin"), (("Asa", "Asa (Oral)"), None)]
)
def test_a_record_two_agents_claim(names: tuple[str, str], exact: str | None) -> None:
    """The agent named as the record is gets the exact match, the other a close one; a tie gives no exact match."""
    agents = [_agent(n, {"50-78-2"}) for n in names]
    out = mm.match(agents, [_index(ASPIRIN)])
    exact_rows = [r.subject_label for r in out.rows if r.predicate_id == "skos:exactMatch"]
    close_rows = {r.subject_label for r in out.rows if r.predicate_id == "skos:closeMatch"}
    assert exact_rows == ([exact] if exact else [])
    assert close_rows == set(names) - {exact}
    assert {a.name for a, why, _ in out.ambiguous if why == "record matched by several agents"} == set(names) - {exact}
