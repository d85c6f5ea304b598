"""The page of a drug or herbal (``/id/agent/{slug}``) and of a chapter (``/id/chapter/{id}``): what a reader of
LiverTox looks for, gathered from every chapter that describes the agent."""

from __future__ import annotations

from typing import Final

import pyoxigraph as ox

from livertox_kg.rdf.vocab import PUBMED
from livertox_kg.remote.pages import data
from livertox_kg.remote.pages.data import Row, text
from livertox_kg.remote.pages.html import esc, link, query_ui, table

NAMES: Final = """SELECT ?kind ?value WHERE {
  { ?this rdfs:label ?value BIND("name" AS ?kind) } UNION { ?this skos:altLabel ?value BIND("also" AS ?kind) }
  UNION { ?this ltx:tradeName ?value BIND("trade name" AS ?kind) }
  UNION { ?this ltx:casRegistryNumber ?value BIND("CAS" AS ?kind) }
  UNION { ?this ltx:molecularFormula ?value BIND("formula" AS ?kind) }
} ORDER BY ?kind ?value"""

CLASSES: Final = "SELECT DISTINCT ?class ?label WHERE { ?this ltx:memberOfClass ?class . ?class rdfs:label ?label }"

CHAPTERS: Final = """SELECT DISTINCT ?chapter ?title WHERE {
  { ?this ltx:describedIn ?chapter } UNION { ?chapter ltx:coversAgent ?this }
  OPTIONAL { ?chapter dcterms:title ?title } } ORDER BY ?chapter"""

# {scope} binds ?agent (an agent's page) or ?chapter (a chapter's page) to ?this
LIKELIHOOD: Final = """SELECT ?a ?notation ?label ?statement ?highDose ?scope ?chapter WHERE { {scope}
  ?a ltx:assessedAgent ?agent ; ltx:category ?cat ; ltx:inChapter ?chapter .
  ?cat skos:notation ?notation ; skos:prefLabel ?label .
  OPTIONAL { ?a ltx:statement ?statement } OPTIONAL { ?a ltx:highDose ?highDose } OPTIONAL { ?a ltx:scope ?scope }
} ORDER BY ?chapter ?a"""

EVIDENCE: Final = """SELECT ?pattern ?label ?e ?sentence ?chapter ?case WHERE {
  ?this ltx:hasInjuryPattern ?pattern . ?pattern skos:prefLabel ?label .
  OPTIONAL { ?e ltx:evidenceAgent ?this ; ltx:injuryPattern ?pattern ; ltx:sentence ?sentence ; ltx:inChapter ?chapter .
             OPTIONAL { ?e ltx:inCaseReport ?case } }
} ORDER BY ?label ?chapter ?e"""

CASES: Final = """SELECT ?case ?number ?title ?pattern ?patternLabel ?r ?patternText ?chapter WHERE { {scope}
  ?case a ltx:CaseReport ; ltx:inChapter ?chapter ; ltx:caseNumber ?number .
  OPTIONAL { ?case dcterms:title ?title } OPTIONAL { ?case ltx:rRatio ?r }
  OPTIONAL { ?case ltx:patternText ?patternText }
  OPTIONAL { ?case ltx:injuryPattern ?pattern . ?pattern skos:prefLabel ?patternLabel }
} ORDER BY ?chapter ?number"""

REFERENCES: Final = """SELECT ?ref ?ordinal ?work ?citation ?pmid ?chapter WHERE { {scope}
  ?ref ltx:inChapter ?chapter ; ltx:citedWork ?work ; ltx:ordinal ?ordinal .
  OPTIONAL { ?work dcterms:bibliographicCitation ?citation } OPTIONAL { ?work fabio:hasPubMedId ?pmid }
} ORDER BY ?chapter ?ordinal"""

SECTIONS: Final = """SELECT ?section ?title ?body WHERE {
  ?this ltx:hasSection ?section . ?section ltx:ordinal ?n .
  OPTIONAL { ?section dcterms:title ?title } OPTIONAL { ?section ltx:text ?body } } ORDER BY ?n ?section"""

CHAPTER_FACTS: Final = """SELECT ?title ?id ?modified ?ncbi WHERE { ?this ltx:chapterId ?id .
  OPTIONAL { ?this dcterms:title ?title } OPTIONAL { ?this dcterms:modified ?modified }
  OPTIONAL { ?this ltx:ncbiPage ?ncbi } }"""

AGENT_SCOPE: Final = {"likelihood": "BIND(?this AS ?agent)", "chapters": "?chapter ltx:coversAgent ?this ."}
CHAPTER_SCOPE: Final = "BIND(?this AS ?chapter)"

CHAPTER_AGENTS: Final = (
    "SELECT DISTINCT ?agent ?label WHERE { ?this ltx:coversAgent ?agent . ?agent rdfs:label ?label }"
)


def _chapter_cell(row: Row, titles: dict[str, str]) -> str:
    chapter = text(row, "chapter")
    return link(chapter, titles.get(chapter)) if chapter else ""


def _likelihood(rows: list[Row], titles: dict[str, str]) -> str:
    out = []
    for row in rows:
        grade = esc(text(row, "notation")) + ("<small> high dose</small>" if text(row, "highDose") == "true" else "")
        scope = f"<br><small>{esc(text(row, 'scope'))}</small>" if text(row, "scope") else ""
        statement = f'<span class="sentence">{esc(text(row, "statement"))}</span>'
        out.append(
            [
                f'<span class="cat">{grade}</span>',
                esc(text(row, "label")) + scope,
                statement,
                _chapter_cell(row, titles),
            ]
        )
    return table(["score", "meaning", "as LiverTox states it", "chapter"], out)


def _patterns(rows: list[Row], titles: dict[str, str]) -> str:
    by_pattern: dict[str, list[Row]] = {}
    for row in rows:
        by_pattern.setdefault(text(row, "pattern"), []).append(row)
    out = []
    for pattern, evidence in by_pattern.items():
        items = "".join(
            f'<li><span class="sentence">{esc(text(e, "sentence"))}</span> <small>({_chapter_cell(e, titles)}'
            + (f", {link(text(e, 'case'), 'case report')}" if text(e, "case") else "")
            + f", {link(text(e, 'e'), 'evidence')})</small></li>"
            for e in evidence
            if text(e, "e")
        )
        out.append([link(pattern, text(evidence[0], "label")), f"<ul>{items}</ul>" if items else ""])
    return table(["injury pattern", "evidence"], out)


def _cases(rows: list[Row], titles: dict[str, str]) -> str:
    out = []
    for row in rows:
        pattern = link(text(row, "pattern"), text(row, "patternLabel")) if text(row, "pattern") else ""
        ratio = esc(text(row, "r"))
        printed = f"<br><small>{esc(text(row, 'patternText'))}</small>" if text(row, "patternText") else ""
        title = link(text(row, "case"), f"Case {text(row, 'number')}: {text(row, 'title')}".rstrip(": "))
        out.append([title, pattern + printed, ratio, _chapter_cell(row, titles)])
    return table(["case report", "pattern", "R ratio", "chapter"], out)


def _references(rows: list[Row], titles: dict[str, str]) -> str:
    out = []
    for row in rows:
        pmid = text(row, "pmid")
        pubmed = f'<a href="{esc(f"{PUBMED}{pmid}/")}">PubMed {esc(pmid)}</a>' if pmid else ""
        citation = esc(text(row, "citation") or text(row, "work"))
        out.append([link(text(row, "ref"), text(row, "ordinal")), citation, pubmed, _chapter_cell(row, titles)])
    return table(["#", "citation", "PubMed", "chapter"], out)


def agent_page(store: ox.Store, iri: str) -> tuple[str, str]:
    """(title, body) of a drug's page."""
    names = data.select(store, NAMES, iri)
    chapters = data.select(store, CHAPTERS, iri)
    titles = {text(c, "chapter"): text(c, "title", text(c, "chapter")) for c in chapters}
    title = next((text(n, "value") for n in names if text(n, "kind") == "name"), iri.rsplit("/", 1)[-1])
    facts = table(["", ""], ([esc(text(n, "kind")), esc(text(n, "value"))] for n in names))
    classes = ", ".join(link(text(c, "class"), text(c, "label")) for c in data.select(store, CLASSES, iri))
    body = [
        facts,
        f"<h2>Classes</h2><p>{classes or 'none stated'}</p>",
        "<h2>Chapters</h2><ul>" + "".join(f"<li>{link(c, t)}</li>" for c, t in titles.items()) + "</ul>",
        "<h2>Likelihood of liver injury</h2>"
        + _likelihood(data.select(store, LIKELIHOOD.replace("{scope}", AGENT_SCOPE["likelihood"]), iri), titles),
        "<h2>Injury patterns</h2>" + _patterns(data.select(store, EVIDENCE, iri), titles),
        "<h2>Case reports</h2>"
        + _cases(data.select(store, CASES.replace("{scope}", AGENT_SCOPE["chapters"]), iri), titles),
        "<h2>References</h2>"
        + _references(data.select(store, REFERENCES.replace("{scope}", AGENT_SCOPE["chapters"]), iri), titles),
        f'<p><a href="{esc(query_ui(LIKELIHOOD.replace("{scope}", "").replace("?agent", f"<{iri}>")))}">'
        "these scores in the query UI</a></p>",
    ]
    return title, "\n".join(body)


def chapter_page(store: ox.Store, iri: str) -> tuple[str, str]:
    """(title, body) of a chapter's page."""
    facts = next(iter(data.select(store, CHAPTER_FACTS, iri)), {})
    title = text(facts, "title", text(facts, "id", iri))
    titles = {iri: title}
    graph = iri.replace("/id/chapter/", "/graph/")
    agents = ", ".join(link(text(a, "agent"), text(a, "label")) for a in data.select(store, CHAPTER_AGENTS, iri))
    ncbi = text(facts, "ncbi")
    sections = "".join(
        f"<details><summary>{esc(text(s, 'title', text(s, 'section')))}</summary><p>"
        + esc(text(s, "body")).replace("\n", "<br>")
        + "</p></details>"
        for s in data.select(store, SECTIONS, iri)
    )
    head = table(
        ["", ""],
        [
            ["chapter id", esc(text(facts, "id"))],
            ["last update", esc(text(facts, "modified"))],
            ["on NCBI Bookshelf", link(ncbi) if ncbi else ""],
            ["agents", agents],
            ["named graph", link(graph)],
        ],
    )
    likelihood = data.select(store, LIKELIHOOD.replace("{scope}", CHAPTER_SCOPE), iri)
    body = [
        head,
        "<h2>Sections</h2>" + (sections or '<p class="muted">none</p>'),
        "<h2>Likelihood of liver injury</h2>" + _likelihood(likelihood, titles),
        "<h2>Case reports</h2>" + _cases(data.select(store, CASES.replace("{scope}", CHAPTER_SCOPE), iri), titles),
        "<h2>References</h2>"
        + _references(data.select(store, REFERENCES.replace("{scope}", CHAPTER_SCOPE), iri), titles),
    ]
    return title, "\n".join(body)
