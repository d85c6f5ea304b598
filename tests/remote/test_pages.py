"""The pages of our IRIs (:mod:`livertox_kg.remote.pages`), rendered on a store of the shipped sample: every
kind of IRI the graph mints answers in HTML, Turtle, N-Triples and JSON-LD; unknown ones get 404."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pyoxigraph as ox
import pytest
import rdflib

from livertox_kg.rdf.vocab import BASE, LTX
from livertox_kg.remote import pages
from tests.conftest import SAMPLES
from tests.support.minted import minted_kinds
from tests.support.stores import build_store, read_only

AGENT = BASE + "id/agent/codeine"
# rdflib's JSON-LD parser warns about its own ConjunctiveGraph
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    return read_only(build_store(tmp_path_factory, SAMPLES))


def path_of(iri: str) -> str:
    return "/" + iri[len(BASE) :].split("#")[0]


@pytest.mark.slow  # renders a page of every kind: seconds on a busy 2-core machine
def test_every_kind_of_minted_iri_answers_in_every_format(store: ox.Store) -> None:
    kinds = minted_kinds(store)
    expected = {"id/agent/*", "id/chapter/*", "id/chapter/*/case/*", "id/chapter/*/reference/*", "graph/*"}
    expected |= {"id/likelihood/*", "id/pattern/*", "ontology#", "id/dataset", "id/class/*", "id/work/*"}
    assert expected <= set(kinds), sorted(kinds)
    rdf = [("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld")]
    for n, (kind, iri) in enumerate(sorted(kinds.items())):
        status, ctype, body = pages.respond(store, path_of(iri), "text/html")
        assert status == 200 and ctype.startswith("text/html"), kind
        for accept, fmt in (rdf[n % 3],):  # each kind in one of the three, each format on a third of them
            status, ctype, body = pages.respond(store, path_of(iri), accept)
            assert status == 200 and ctype.startswith(accept), (kind, accept)
            graph = rdflib.Graph().parse(data=body, format=fmt)
            if kind.startswith("graph/"):  # a graph's IRI gives the graph's statements
                assert len(graph) > 0, kind
            else:
                subject = rdflib.URIRef(iri if kind != "ontology#" else LTX.iri + "Agent")
                assert (subject, None, None) in graph, kind


@pytest.mark.slow
def test_suffixes_and_negotiation(store: ox.Store) -> None:
    assert pages.respond(store, "/id/agent/codeine.ttl", "text/html")[1].startswith("text/turtle")
    assert pages.respond(store, "/id/agent/codeine.jsonld", "")[1] == "application/ld+json"
    assert pages.respond(store, "/id/agent/codeine", "")[1].startswith("text/turtle")  # curl: */* or nothing
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert pages.respond(store, "/id/agent/codeine", browser)[1].startswith("text/html")
    assert pages.negotiate("text/turtle;q=0.2, application/ld+json") == "jsonld"
    assert pages.negotiate("image/png") is None
    assert pages.respond(store, "/id/agent/codeine", "image/png")[0] == 406
    graph = rdflib.Graph().parse(data=pages.respond(store, "/graph/Codeine.nt", "")[2], format="nt")
    assert len(graph) == len(list(store.quads_for_pattern(None, None, None, ox.NamedNode(BASE + "graph/Codeine"))))


def test_unknown_iris_get_404(store: ox.Store) -> None:
    for target in ("/id/agent/no-such-drug", "/id/chapter/Nope", "/graph/Nope", "/id/agent/%3E%3Cbad"):
        assert pages.respond(store, target, "text/html")[0] == 404
        assert pages.respond(store, target, "text/turtle")[0] == 404


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: list[str] = []
        self.loads: list[str] = []  # what a browser would fetch from elsewhere than serve

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(str(a["href"]))
        if a.get("id"):
            self.ids.append(str(a["id"]))
        source = a.get("src") or (a.get("href") if tag == "link" else None)
        if tag in ("script", "img", "iframe", "link") and not (source or "").startswith("/"):
            self.loads.append(f"{tag} {source}")


def parsed(body: bytes) -> Links:
    links = Links()
    links.feed(body.decode("utf-8"))
    return links


def test_the_drug_page_shows_what_a_reader_looks_for(store: ox.Store) -> None:
    status, _, body = pages.respond(store, "/id/agent/mesalamine", "text/html")
    text = re.sub(r"<[^>]+>", " ", body.decode())
    assert status == 200 and "Mesalamine" in text and "89-57-6" in text
    assert "Likelihood score (Mesalamine, Balsalazide and Olsalazine): C" in text  # the sentence, as printed
    links = parsed(body)
    assert not links.loads  # self-contained: inline CSS, the icon from serve itself
    assert "/id/chapter/Mesalamine" in links.hrefs and any(h.startswith("/id/class/") for h in links.hrefs)
    assert any(h.startswith("/id/pattern/") for h in links.hrefs)
    assert any(h.startswith("/#query=") for h in links.hrefs)  # the query UI
    pubmed = [h for h in links.hrefs if h.startswith("https://pubmed.ncbi.nlm.nih.gov/")]
    assert pubmed and all(re.fullmatch(r"https://pubmed\.ncbi\.nlm\.nih\.gov/\d+/", h) for h in pubmed)
    assert [h for h in links.hrefs if "/case/" in h] and "R ratio" in text  # case reports, pattern, R ratio


def test_pages_link_only_to_pages_that_answer(store: ox.Store) -> None:
    for target in ("/id/agent/mesalamine", "/id/chapter/Mesalamine", "/id/pattern/hepatocellular", "/id/dataset"):
        status, _, body = pages.respond(store, target, "text/html")
        assert status == 200, target
        local = {h.split("#")[0] for h in parsed(body).hrefs if h.startswith("/") and not h.startswith("/#")}
        for href in sorted(local - {"/"})[:60]:
            assert pages.respond(store, href, "text/html")[0] == 200, (target, href)


def test_the_ontology_page_has_an_anchor_per_term(store: ox.Store) -> None:
    status, _, body = pages.respond(store, "/ontology", "text/html")
    ids = set(parsed(body).ids)
    assert status == 200 and {"Agent", "assessedAgent", "LikelihoodAssessment"} <= ids
    ttl = rdflib.Graph().parse(data=pages.respond(store, "/ontology", "text/turtle")[2], format="turtle")
    defined = {str(s) for s in ttl.subjects() if str(s).startswith(LTX.iri)}
    assert {LTX.Agent, LTX.assessedAgent} <= defined and len(defined) >= len(LTX.terms)
    assert {t[len(LTX.iri) :] for t in defined} <= ids  # every term has its anchor


def test_json_ld_is_plain_json_with_the_iri(store: ox.Store) -> None:
    doc = json.loads(pages.respond(store, "/id/agent/codeine", "application/ld+json")[2])
    assert any(node.get("@id") == AGENT for node in doc)


def test_route() -> None:
    assert pages.route("/id/agent/x") == (BASE + "id/agent/x", None)
    assert pages.route("/id/agent/x.nt?y=1") == (BASE + "id/agent/x", "nt")
    assert pages.route("/ontology.ttl") == (BASE + "ontology", "ttl")
