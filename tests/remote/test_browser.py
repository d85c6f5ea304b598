"""The pages and the query UI in headless Chromium: a drug page renders, its links to a chapter and to a
reference are followed, nothing is fetched from outside 127.0.0.1 and the console stays clean; screenshots
of the query UI and of a drug page (into ``docs/`` with ``--update-goldens``, for the README)."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES
from tests.support.cdp import Tab, chromium
from tests.support.servers import Serve, livertox_serve
from tests.support.stores import build_store

pytestmark = pytest.mark.server

# What Oxigraph's query UI (YASGUI, bundled in the oxigraph binary) asks for beyond the server it came from:
# prefix.cc's list of popular prefixes, for its prefix autocompletion, fetched when the editor starts.
UI_OUTSIDE = ("http://prefix.cc/popular/all.file.json",)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    with livertox_serve(build_store(tmp_path_factory, SAMPLES)) as server:
        yield server


@pytest.fixture(scope="module")
def tab() -> Iterator[Tab]:
    with chromium() as t:
        yield t


def shots(update_goldens: bool, tmp_path: Path) -> Path:
    return ROOT / "docs" if update_goldens else tmp_path


def outside(tab: Tab, base: str) -> list[str]:
    host = urllib.parse.urlsplit(base).netloc
    return [u for u in tab.requests if urllib.parse.urlsplit(u).netloc not in (host, "") and not u.startswith("data:")]


def test_a_drug_page_renders_and_its_links_lead_on(
    tab: Tab, served: Serve, update_goldens: bool, tmp_path: Path
) -> None:
    tab.requests.clear()
    tab.errors.clear()
    tab.open(f"{served.base}/id/agent/mesalamine")
    assert tab.js("document.querySelector('h1').textContent") == "Mesalamine"
    assert tab.js("document.querySelectorAll('table').length") >= 5
    assert tab.js("document.querySelector('.cat').textContent").startswith("C")
    folder = shots(update_goldens, tmp_path)
    folder.mkdir(exist_ok=True)
    tab.screenshot(folder / "drug-page.png")
    tab.click('a[href="/id/chapter/Mesalamine"]')
    assert tab.js("location.pathname") == "/id/chapter/Mesalamine"
    assert "Mesalamine" in tab.js("document.querySelector('h1').textContent")
    tab.click('a[href*="/reference/"]')
    assert "/reference/" in tab.js("location.pathname")
    assert tab.js("document.querySelector('h2').textContent") == "Statements"
    assert tab.errors == []
    assert outside(tab, served.base) == []
    assert len(tab.requests) >= 3


def test_the_query_ui_runs_queries_offline(tab: Tab, served: Serve, update_goldens: bool, tmp_path: Path) -> None:
    tab.requests.clear()
    tab.errors.clear()
    # opened plainly (its endpoint box then shows /sparql), for the README: a query typed in
    typed = (
        "PREFIX ltx: <https://w3id.org/livertox-kg/ontology#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    )
    typed += "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n\nSELECT ?drug ?score ?meaning WHERE {\n"
    typed += "  ?a ltx:assessedAgent ?agent ; ltx:category ?c .\n  ?agent rdfs:label ?drug .\n"
    typed += "  ?c skos:notation ?score ; skos:prefLabel ?meaning .\n} ORDER BY ?drug LIMIT 12"
    tab.open(f"{served.base}/")
    tab.settle(2)
    tab.js(f"document.querySelector('.CodeMirror').CodeMirror.setValue({typed!r})")
    tab.js("document.querySelector('.yasqe_queryButton').click()")
    tab.settle(3)
    assert tab.js("document.querySelectorAll('.yasr table tbody tr').length") == 12
    tab.screenshot(shots(update_goldens, tmp_path) / "query-ui.png")
    # as our pages link to it: the query in the URL's fragment, our prefixes undeclared
    query = "SELECT ?drug ?label WHERE { ?drug a ltx:Drug ; rdfs:label ?label } ORDER BY ?label LIMIT 10"
    tab.open("about:blank")  # from / to /#query=... alone would not load the page again
    tab.open(f"{served.base}/#" + urllib.parse.urlencode({"query": query}, quote_via=urllib.parse.quote))
    tab.settle(2)
    tab.js("document.querySelector('.yasqe_queryButton').click()")
    tab.settle(3)
    assert tab.js("document.querySelectorAll('.yasr table tbody tr').length") == 10
    assert set(outside(tab, served.base)) <= set(UI_OUTSIDE), outside(tab, served.base)
    # the one thing it asks for outside fails here (no network); the UI works without it
    assert all(e.startswith(UI_OUTSIDE) and "ERR_" in e for e in tab.errors), tab.errors
