"""The chapter's links out of LiverTox (``<ext-link>``, XML only), each kept where it belongs:

* a PubChem substance (``ext-link-type="pubchem"``, ``sid://N`` around a CAS number of the chemical table):
  the agent of that row (``interpret/agents.py`` reads it with the row, :func:`pubchem_sids`);
* a DailyMed label by set id (``.../drugInfo.cfm?setid=...``, "COMPLETE LABELING" or the agent's name, in
  PRODUCT INFORMATION): the agent the link text names, else the one the title names, else the chapter's only
  agent (:func:`label_set_ids`, read by ``interpret/agents.py``);
* the searches OTHER REFERENCE LINKS and PRODUCT INFORMATION offer for the agent (DailyMed labels,
  ClinicalTrials.gov trials, PubMed articles) and any other page the text links (fact sheets, guidelines):
  the chapter (:func:`chapter_links`);
* a case report's "[Modified from: ... PubMed Citation]": the case report (:func:`case_source`);
* a citation's web address, and a ClinicalTrials.gov id in its text: the cited work (:func:`work_links`).

A link that is not an absolute http(s) IRI is not kept, with a finding (none is in the corpus).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from livertox_kg.loaders.document import ExtLink, Para, RawDocument, RawRef, Sec
from livertox_kg.loaders.sections import top_kind
from livertox_kg.model import ChapterLink, Finding

_SID = re.compile(r"^sid://(\d+)((?:\s+\d+)*)$")
_SET_ID = re.compile(
    r"^https?://dailymed\.nlm\.nih\.gov/dailymed/(?:drugInfo|lookup)\.cfm\?setid=([0-9a-f-]{36})$", re.I
)
_PUBMED = re.compile(r"^https?://(?:www\.)?ncbi\.nlm\.nih\.gov/pubmed/(?:%20)*([1-9]\d{0,9})/?$")
_NCT = re.compile(r"\bNCT\d{8}\b")
IRI = re.compile(r'^https?://[^\s<>"{}|\\^`]+$')
"""An absolute http(s) IRI that N-Triples can write as it is."""

_SEARCHES = (
    ("dailymed-search", re.compile(r"^https?://dailymed\.nlm\.nih\.gov/dailymed/search\.cfm\?", re.I)),
    ("clinicaltrials-search", re.compile(r"^https?://(?:www\.)?clinicaltrials\.gov/ct2/results\?", re.I)),
    ("pubmed-search", re.compile(r"^https?://(?:www\.)?ncbi\.nlm\.nih\.gov/sites/entrez\?.*\bdb=pubmed\b", re.I)),
)


def pubchem_sids(link: ExtLink) -> list[str]:
    """The PubChem substance ids of a ``pubchem`` link ("sid://135017344 135017344": one id, printed twice)."""
    m = _SID.match(link.href) if link.link_type == "pubchem" else None
    if m is None:
        return []
    return list(dict.fromkeys([m[1], *m[2].split()]))


def set_id(link: ExtLink) -> str | None:
    """The DailyMed label set id a link points to, in lower case."""
    m = _SET_ID.match(link.href) if link.link_type == "uri" else None
    return m[1].lower() if m else None


def pubmed_id(link: ExtLink) -> str | None:
    """The PubMed id of a link to a PubMed article ("https://www.ncbi.nlm.nih.gov/pubmed/%2018256392")."""
    m = _PUBMED.match(link.href) if link.link_type == "uri" else None
    return m[1] if m else None


def link_kind(href: str) -> str:
    """What a page is: one of the searches of ``model.LINK_KINDS``, else ``"other"``."""
    return next((kind for kind, pattern in _SEARCHES if pattern.match(href)), "other")


def _paragraphs(doc: RawDocument) -> Iterator[tuple[Sec | None, Para]]:
    """Every paragraph with the top-level section it is in (None: before the first)."""
    for para in doc.intro_paras:
        yield None, para
    for top in doc.sections:
        for sec in top.walk():
            for para in sec.paras:
                yield top, para


def chapter_links(doc: RawDocument, findings: list[Finding]) -> list[ChapterLink]:
    """The chapter's searches and other pages, each once, in document order; DailyMed labels by set id are
    the agents' (:func:`label_set_ids`) and PubMed articles of case reports the cases' (:func:`case_source`)."""
    out: dict[ChapterLink, None] = {}
    for top, para in _paragraphs(doc):
        in_cases = top is not None and top_kind(top.title) == "cases"
        for link in para.ext_links:
            if link.link_type != "uri" or set_id(link) or (in_cases and pubmed_id(link)):
                continue
            if not IRI.match(link.href):
                findings.append(Finding(top.title if top else "body", f"link {link.href!r} is not a web address"))
                continue
            out[ChapterLink(link_kind(link.href), link.href)] = None
    return list(out)


def label_set_ids(doc: RawDocument) -> Iterator[tuple[str, str]]:
    """``(link text, set id)`` of each DailyMed label the PRODUCT INFORMATION links."""
    for top in doc.sections:
        if top_kind(top.title) == "product":
            for sec in top.walk():
                for para in sec.paras:
                    for link in para.ext_links:
                        found = set_id(link)
                        if found:
                            yield link.text, found


def case_source(paras: Iterable[Para]) -> str | None:
    """The PubMed id of the article a case report is "[Modified from: ...]", as its first such line links it."""
    for para in paras:
        if para.text.startswith("[") and "from" in para.text[:20].lower():
            for link in para.ext_links:
                pmid = pubmed_id(link)
                if pmid:
                    return pmid
    return None


def work_links(ref: RawRef) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A citation's web addresses (as printed) and the ClinicalTrials.gov ids its text names."""
    urls = tuple(dict.fromkeys(x.href for x in ref.ext_links if x.link_type == "uri" and IRI.match(x.href)))
    trials = tuple(dict.fromkeys(_NCT.findall(ref.text)))
    return urls, trials
