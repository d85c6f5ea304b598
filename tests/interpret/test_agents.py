"""Tests for ``livertox_kg.interpret.agents``: the chemical-structure table (rule a), trade names, name
matching and mention finding, on small documents written here."""

from __future__ import annotations

from livertox_kg.interpret.agents import MentionFinder, match_agent, name_key, read_agents, trade_names
from livertox_kg.loaders.document import Para, RawDocument, Sec, Table
from livertox_kg.model import Finding, Provenance

PROVENANCE = Provenance("test.nxml", "0" * 64, "nxml", "test")
HEAD = ["DRUG", "CAS REGISTRY NUMBER", "MOLECULAR FORMULA", "STRUCTURE"]


def chapter(title: str, *sections: Sec) -> RawDocument:
    return RawDocument("Test", title, PROVENANCE, sections=list(sections))


def chemical(*rows: list[str]) -> Sec:
    return Sec("CHEMICAL FORMULA AND STRUCTURE", tables=[Table([HEAD, *rows], 1)])


def product(*lines: str) -> Sec:
    return Sec("PRODUCT INFORMATION", paras=[Para(line) for line in lines])


def test_a_single_row_takes_the_chapter_title() -> None:
    doc = chapter("Aldesleukin", chemical(["Aldesleukin Recombinant", "110942-02-4", "Cytokine", "Not Available"]))
    found = read_agents(doc, [])
    (agent,) = found.agents
    assert agent.name == "Aldesleukin"
    assert agent.alt_names == ["Aldesleukin Recombinant"]
    assert agent.cas_numbers == ["110942-02-4"]
    assert agent.molecular_formula == "Cytokine"
    assert found.title_agent == "Aldesleukin"


def test_the_row_the_title_names_takes_the_title() -> None:
    doc = chapter(
        "Doxycycline",
        chemical(["Doxycycline Hyclate", "24390-14-5", "C22-H24-N2-O8", ""], ["Minocycline", "10118-90-8", "", ""]),
    )
    found = read_agents(doc, [])
    assert found.names() == ["Doxycycline", "Minocycline"]
    assert found.title_agent == "Doxycycline"


def test_salts_of_one_agent_are_one_agent_with_every_number() -> None:
    doc = chapter(
        "Penicillins",
        chemical(
            ["Penicillin G Sodium", "69-57-8", "", ""],
            ["Penicillin G Potassium", "113-98-4", "", ""],
            ["Amoxicillin", "26787-78-0", "", ""],
        ),
    )
    found = read_agents(doc, [])
    assert found.names() == ["Penicillin G Sodium", "Amoxicillin"]
    assert found.agents[0].alt_names == ["Penicillin G Potassium"]
    assert found.agents[0].cas_numbers == ["69-57-8", "113-98-4"]
    assert found.title_agent is None  # "Penicillins" names no row


def test_a_registry_number_that_is_no_cas_number_is_kept_as_text_with_a_finding() -> None:
    findings: list[Finding] = []
    doc = chapter(
        "Two Agents",
        chemical(["Black Cohosh", "ID: 1234", "Herbal", ""], ["Comfrey", "Not Available", "Not Available", ""]),
    )
    found = read_agents(doc, findings)
    assert [(a.cas_numbers, a.registry_texts, a.molecular_formula) for a in found.agents] == [
        ([], ["ID: 1234"], "Herbal"),
        ([], [], None),
    ]
    assert findings == [
        Finding("section CHEMICAL FORMULA AND STRUCTURE", "registry number 'ID: 1234' of Black Cohosh is not a CAS RN")
    ]


def test_trade_names_drop_marks_and_placeholders() -> None:
    assert trade_names("Proleukin®, Generic; Combination Products") == ["Proleukin"]
    assert trade_names("Fosamax™, Binosto") == ["Fosamax", "Binosto"]


def test_product_information_gives_trade_names_to_the_agent_each_line_names() -> None:
    findings: list[Finding] = []
    doc = chapter(
        "Bisphosphonates",
        chemical(["Alendronate Sodium", "121268-17-5", "", ""], ["Risedronate", "105462-24-6", "", ""]),
        product(
            "REPRESENTATIVE TRADE NAMES",
            "Alendronate – Fosamax®",
            "Zoledronic Acid – Reclast",
            "DRUG CLASS",
            "Risedronate – not a trade name line any more",
        ),
    )
    found = read_agents(doc, findings)
    assert [(a.name, a.trade_names) for a in found.agents] == [("Alendronate Sodium", ["Fosamax"]), ("Risedronate", [])]
    assert findings == [Finding("PRODUCT INFORMATION", "trade names for 'Zoledronic Acid', which names no agent")]


def test_name_key_ignores_case_punctuation_and_salt_words() -> None:
    assert name_key("Thiamine HCl") == name_key("thiamine") == "thiamine"
    assert name_key("Amoxicillin-Clavulanate") == "amoxicillinclavulanate"


def test_match_agent_qualified_names() -> None:
    agents = ["Gold Preparations", "Auranofin"]
    assert match_agent("auranofin", agents) == "Auranofin"
    assert match_agent("oral gold preparations", agents) == "Gold Preparations"
    assert match_agent("oral gold preparations", agents, qualified=False) is None  # a scope, not the agent
    assert match_agent("gold", ["Goldenseal"]) is None  # keys under 5 letters only match whole


def test_mention_finder_longest_name_wins() -> None:
    finder = MentionFinder({"Penicillin": ["penicillin"], "Penicillin G": ["Penicillin G"], "Dicloxacillin": []})
    assert finder.all("Penicillin G was given.") == ["Penicillin G"]  # not "Penicillin" inside it
    assert finder.last("Penicillin G was given.") == "Penicillin G"
    assert finder.all("Penicillin, then penicillin G (high-dose).") == ["Penicillin", "Penicillin G"]
    assert finder.last("Penicillin G, then penicillin.") == "Penicillin"
    assert finder.last("nothing here") is None
