"""The chapter's references: each entry of its reference lists, in order, with the work it cites (and the web
addresses and ClinicalTrials.gov ids its citation gives, ``interpret/links.py``).

A structured citation (NXML ``element-citation``) gives the work's fields as marked up; a plain-text journal
citation is split by ``interpret/citation.py``; any other citation keeps its text and year. Two source errors
are repaired, each with a finding: a citation printed inside its annotation, and one whose markup ends too
early and goes on inside the annotation.
"""

from __future__ import annotations

import dataclasses
import re

from livertox_kg.interpret.citation import citation_year, split_citation
from livertox_kg.interpret.links import work_links
from livertox_kg.loaders.document import RawDocument, RawRef, norm
from livertox_kg.model import ChapterReference, Finding, Work

_ANNOTATION_START = (re.compile(r"\s*PubMed Citation\s*(?=\()"), re.compile(r"(?<=\.)\s+(?=\()"))


def references(doc: RawDocument, findings: list[Finding]) -> list[ChapterReference]:
    """Every reference of every section, numbered in document order; repairs are added to ``findings``."""
    out: list[ChapterReference] = []
    for sec in doc.sections:
        for s in sec.walk():
            for ref in s.refs:
                where = f"section {sec.title}, reference {len(out) + 1}"
                if not ref.text and ref.annotation:
                    excerpt = ref.annotation
                    ref = _citation_in_annotation(ref)
                    findings.append(
                        Finding(where, "citation printed inside its annotation; read from there", ref.line, excerpt)
                    )
                elif _cut_into_annotation(ref):
                    cut = ref.text
                    ref = _citation_in_annotation(ref, cut)
                    what = f"citation cut after {cut[:30]!r} and continued inside its annotation"
                    findings.append(Finding(where, what, ref.line, cut))
                out.append(ChapterReference(len(out) + 1, work(ref), ref.annotation, sec.title, ref.line, ref.ref_id))
    return out


def work(ref: RawRef) -> Work:
    """The work a reference cites: its marked-up fields, the fields of its split citation (journals), or
    only its year (books, reports, web pages)."""
    urls, trials = work_links(ref)
    cited = Work(ref.publication_type, ref.pmid, ref.pmcid, ref.doi, citation_text=ref.text)
    cited = dataclasses.replace(cited, urls=urls, clinical_trials=trials)
    if ref.structured:
        fields = (ref.authors, ref.title, ref.journal, ref.year, ref.volume, ref.issue, ref.pages)
    elif ref.publication_type == "journal":
        p = split_citation(ref.text)
        fields = (p.authors, p.title, p.journal, p.year, p.volume, p.issue, p.pages)
    else:
        return dataclasses.replace(cited, year=citation_year(ref.text))
    authors, title, journal, year, volume, issue, pages = fields
    return dataclasses.replace(
        cited, authors=authors, title=title, journal=journal, year=year, volume=volume, issue=issue, pages=pages
    )


def _cut_into_annotation(ref: RawRef) -> bool:
    """A citation whose markup ends too early, the rest printed inside the annotation ("Chitturi S, Le V, K"
    then "ench J, Loh C, ... Dig Dis Sci 2002; 47: 1107-10. PubMed Citation (42 year old woman ...")."""
    annotation = ref.annotation or ""
    return (
        bool(ref.text)
        and citation_year(ref.text) is None
        and _ANNOTATION_START[0].search(annotation) is not None
        and citation_year(annotation.split("PubMed Citation", 1)[0]) is not None
    )


def _citation_in_annotation(ref: RawRef, head: str = "") -> RawRef:
    """A reference whose citation is printed inside its annotation ("Avigan MI, ... 2016; 17: 331. PubMed
    Citation (Overview of ...)"): the citation is the text before the parenthesised comment."""
    text = ref.annotation or ""
    m = _ANNOTATION_START[0].search(text) or _ANNOTATION_START[1].search(text)
    citation, comment = (text[: m.start()], text[m.end() :]) if m else (text, "")
    if head:  # "K" + "ench J, ..." is one word cut in two; "Smith J," + "Doe R, ..." two
        glue = "" if head[-1].isalpha() and citation[:1].islower() else " "
        citation = head + glue + citation
    return dataclasses.replace(ref, text=norm(citation), annotation=norm(comment) or None)
