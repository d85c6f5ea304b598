"""Two formats or two releases of one chapter give the same facts.

* ``aldesleukin.txt`` (the web page as text) and ``aldesleukin.nxml`` give the same chapter graph apart
  from provenance and PMC ids (only the web page has them), and apart from what the two sources say
  differently, listed here one by one: the PMID the XML misprints (5270293 for 25270293, so that
  reference's work node differs), and the drug-class link to its overview chapter and the links out of
  LiverTox (PubChem, DailyMed, PubMed and ClinicalTrials.gov), which only the XML marks up.
* ``metoprolol.nxml`` (2021 archive) and ``metoprolol-2026.nxml`` (2026 archive) give the same facts.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib import URIRef
from rdflib.compare import isomorphic

from livertox_kg.rdf.vocab import FABIO, LTX, PROV
from tests.support.rdfutil import chapter_graph, diff_text, load_path

PROVENANCE = {URIRef(PROV.wasDerivedFrom), URIRef(LTX.loaderVersion)}
SOURCE_PREFIX = "https://w3id.org/livertox-kg/id/source/"


def facts(graph: rdflib.Graph, drop: set[URIRef] = frozenset()) -> rdflib.Graph:  # type: ignore[assignment]
    out = rdflib.Graph()
    for s, p, o in graph:
        if p in PROVENANCE or p in drop or str(s).startswith(SOURCE_PREFIX):
            continue
        out.add((s, p, o))
    return out


def test_metoprolol_2021_and_2026_give_the_same_facts(corpus: Path) -> None:
    old = facts(chapter_graph(load_path(corpus / "nxml" / "metoprolol.nxml")))
    new = facts(chapter_graph(load_path(corpus / "nxml" / "metoprolol-2026.nxml")))
    assert len(old) > 50
    assert isomorphic(old, new), diff_text(old, new)


def test_aldesleukin_text_and_xml_give_the_same_chapter(corpus: Path) -> None:
    xml = facts(chapter_graph(load_path(corpus / "nxml" / "aldesleukin.nxml")))
    txt_full = chapter_graph(load_path(corpus / "txt" / "aldesleukin.txt"))
    assert len(set(txt_full.objects(None, URIRef(FABIO.hasPubMedCentralId)))) == 8
    txt = facts(txt_full, {URIRef(FABIO.hasPubMedCentralId)})

    misprinted, printed = (
        URIRef("https://pubmed.ncbi.nlm.nih.gov/5270293/"),
        URIRef("https://pubmed.ncbi.nlm.nih.gov/25270293/"),
    )
    class_link = URIRef(LTX.overviewChapter)
    # links out of LiverTox: only the XML marks them up
    links = {URIRef(p) for p in (LTX.pubchemSubstance, LTX.dailyMedSearch, LTX.pubMedSearch, LTX.clinicalTrialsSearch)}
    only_xml = {t for t in xml if t not in txt}
    only_txt = {t for t in txt if t not in xml}
    # Each difference is one the sources themselves make.
    assert {t for t in only_xml if misprinted not in t and t[1] != class_link and t[1] not in links} == set(), only_xml
    assert {t[1] for t in only_xml} >= links
    assert {t for t in only_txt if printed not in t} == set(), only_txt
    assert any(t[1] == class_link for t in only_xml)
    assert any(printed in t for t in only_txt)


@pytest.mark.parametrize("name", ["aldesleukin", "metoprolol"])
def test_same_source_twice_gives_identical_triples(corpus: Path, name: str) -> None:
    a = chapter_graph(load_path(corpus / "nxml" / f"{name}.nxml"))
    b = chapter_graph(load_path(corpus / "nxml" / f"{name}.nxml"))
    assert set(a) == set(b)
