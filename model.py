"""The typed model every loader produces and the RDF mapping consumes.

Loaders (``livertox_kg.loaders``) turn a source document (NXML, a text copy of the web page) into one
:class:`Chapter`. Nothing here knows about RDF: :mod:`livertox_kg.rdf.chapter` is the one place that does.

Conventions shared by every loader, so that two formats of the same chapter give the same model:

* Text is whitespace-normalised (runs of white space become one space, stripped at both ends).
* Section ``key`` is one of :data:`SECTION_KEYS`; ``ordinal`` counts sections of the same key in
  document order, from 1 (a chapter on two agents has ``hepatotoxicity`` 1 and 2).
* Agents are listed in the order of the chemical-structure table, then agents only named elsewhere,
  in order of first appearance.
* Likelihood assessments, case reports and references keep document order; ``ordinal`` counts from 1.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum

_CHAPTER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def is_chapter_id(value: str) -> bool:
    """A value safe to use as a chapter id in IRIs (LiverTox ids are letters, digits, ``_``, ``-``)."""
    return _CHAPTER_ID.match(value) is not None


class ChapterKind(StrEnum):
    """What a chapter is about."""

    DRUG = "drug"
    HERBAL = "herbal"  # herbal or dietary supplement
    CLASS_OVERVIEW = "class-overview"
    PHENOTYPE = "phenotype"  # LiverTox's description of an injury phenotype ("Cholestatic Hepatitis")
    FRONT_MATTER = "front-matter"


SECTION_KEYS: tuple[str, ...] = (
    "overview",  # text of an overview before (or instead of) its subsections
    "introduction",
    "background",
    "hepatotoxicity",
    "mechanism",
    "outcome",
    "other",  # any other titled text section (a per-agent subsection, "Approach to ...")
)

LIKELIHOOD_CODES: tuple[str, ...] = ("A", "B", "C", "D", "E", "E*", "X", "NA")
"""Likelihood categories by notation; ``NA`` is "cannot be assessed"."""


@dataclass(frozen=True)
class Provenance:
    """Where a chapter came from: the file (or archive member), its checksum and the loader."""

    source_name: str  # file name, or "archive.tar.gz!member.nxml" for an archive member
    sha256: str  # of the source bytes
    source_format: str  # "nxml" or "text"
    loader_version: str


@dataclass(frozen=True)
class Section:
    key: str  # one of SECTION_KEYS
    ordinal: int  # 1-based among sections with the same key
    title: str  # as printed in the source ("Hepatotoxicity", "Mechanism of Injury", ...)
    text: str  # paragraphs joined by "\n\n"
    agent: str | None = None  # name of the agent a per-agent section is about, if any


@dataclass(frozen=True)
class DrugClass:
    name: str  # as printed ("Antineoplastic Agents")
    chapter_id: str | None = None  # the class-overview chapter the source links, if any


@dataclass
class Agent:
    """A drug, herbal or supplement a chapter covers."""

    name: str  # preferred label
    alt_names: list[str] = field(default_factory=list)  # other spellings seen in the chapter
    trade_names: list[str] = field(default_factory=list)
    cas_numbers: list[str] = field(default_factory=list)  # well-formed ddddddd-dd-d values only
    registry_texts: list[str] = field(default_factory=list)  # registry cell text that is not a CAS RN
    molecular_formula: str | None = None  # as printed ("C16-H19-N3-O5-S", "Monoclonal Antibody")
    classes: list[DrugClass] = field(default_factory=list)
    pubchem_substances: list[str] = field(default_factory=list)  # PubChem SIDs its CAS cell links ("135273161")
    dailymed_set_ids: list[str] = field(default_factory=list)  # DailyMed label set ids the chapter links for it


@dataclass(frozen=True)
class LikelihoodAssessment:
    ordinal: int
    agents: tuple[str, ...]  # agent names (Agent.name) the score is for
    category: str  # one of LIKELIHOOD_CODES
    high_dose: bool  # [HD] or [H]
    high_dose_marker: str | None  # "HD", "H" or None, as written
    scope: str | None  # context the score is limited to ("when used for emergency contraception")
    statement: str  # the exact statement text
    section_key: str | None  # section the statement is in (None: outside the text sections)
    section_ordinal: int | None
    line: int | None = field(default=None, compare=False)  # the statement's line in the source (never in the graph)


@dataclass(frozen=True)
class PatternEvidence:
    ordinal: int
    agent: str  # Agent.name
    pattern: str  # key of a concept in livertox_kg.interpret.patterns.PATTERNS
    sentence: str
    section_key: str  # a SECTION_KEYS value, or "case-report"
    section_ordinal: int  # or the case number for a case report
    from_case_report: bool


@dataclass(frozen=True)
class TypicalCause:
    """An agent a phenotype chapter names as a typical cause of its phenotype, with the sentence naming it
    (or a representative case report whose medication names it)."""

    ordinal: int
    agent_name: str  # as printed ("rifampin", "amoxicillin/clavulanate"); the agent IRI is made from it
    pattern: str  # the pattern concept key (the chapter's, or the case report's Key Points pattern)
    sentence: str  # the sentence naming the agent, or the case report's "Pattern:" text
    case_number: int | None = None  # the representative case report naming it, if that is where


@dataclass(frozen=True)
class CaseReport:
    number: int  # "Case 3." -> 3
    title: str  # title without the "Case N." prefix
    medication: str | None = None
    pattern_text: str | None = None  # as printed ("Cholestatic (R=1.9)")
    pattern: str | None = None  # pattern concept key
    r_ratio: float | None = None
    severity_text: str | None = None
    severity_grade: int | None = None  # DILIN 1..5 from "4+ (...)"
    latency: str | None = None
    recovery: str | None = None
    other_medications: str | None = None
    text: str = ""  # the narrative: paragraphs of the case and its comment, "\n\n"-joined
    modified_from: str | None = None  # PMID of the article the case is "[Modified from: ...]", as linked


@dataclass(frozen=True)
class Work:
    """A cited work. Identified by PMID when it has one, otherwise by its citation text."""

    publication_type: str  # "journal", "book", "other", "web"
    pmid: str | None = None  # digits, as printed (never corrected)
    pmcid: str | None = None  # "PMC1234567" (text copies only)
    doi: str | None = None
    authors: tuple[str, ...] = ()
    title: str | None = None
    journal: str | None = None  # "source" for books
    year: str | None = None  # as printed, usually four digits
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    citation_text: str = ""  # the whole citation as printed, without annotation and identifiers
    urls: tuple[str, ...] = ()  # web addresses the citation links (a web page, an FDA review), as printed
    clinical_trials: tuple[str, ...] = ()  # ClinicalTrials.gov ids the citation names ("NCT01514890")


@dataclass(frozen=True)
class ChapterReference:
    ordinal: int
    work: Work
    annotation: str | None  # the chapter's own comment on the work
    list_title: str  # "ANNOTATED BIBLIOGRAPHY", "CITED REFERENCES", ...
    line: int | None = field(default=None, compare=False)  # where the entry starts in the source
    ref_id: str | None = field(default=None, compare=False)  # NXML ``<ref id>``, for a curator's finding


@dataclass(frozen=True)
class Finding:
    """Something in the source that looks wrong and was kept as printed (or could not be read).

    ``line`` (1-based, in the source file) and ``excerpt`` (the source text in question) send a curator to the
    place to edit; they are not part of what the finding says, so findings compare equal without them."""

    where: str  # section title, table cell, reference number...
    message: str
    line: int | None = field(default=None, compare=False)
    excerpt: str | None = field(default=None, compare=False)
    # The shape (its local name in ``ltxsh:``) whose result says the same of the graph: a report of the file
    # shows the finding only, at its place, instead of saying it twice.
    shape: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ChapterLink:
    """A link of the chapter to a page elsewhere: a search for its agent (DailyMed labels, ClinicalTrials.gov
    trials, PubMed articles), or another page (a fact sheet, a guideline)."""

    kind: str  # one of LINK_KINDS
    url: str  # as printed (an absolute http(s) IRI)


LINK_KINDS: tuple[str, ...] = ("dailymed-search", "clinicaltrials-search", "pubmed-search", "other")


@dataclass(frozen=True)
class ContentsEntry:
    """An entry of the book's table of contents (the ``toc`` page), in document order."""

    ordinal: int
    title: str
    chapter_id: str | None  # the chapter it points to
    object_id: str | None  # the section of that chapter it points to ("Abacavir.OVERVIEW"), as printed
    parent: int | None  # ordinal of the entry it is nested in


@dataclass
class Chapter:
    id: str  # book-part-wrapper/@id, e.g. "AmoxicillinClavulana"
    title: str
    kind: ChapterKind
    provenance: Provenance
    updated: dt.date | None = None
    sections: list[Section] = field(default_factory=list)
    agents: list[Agent] = field(default_factory=list)
    assessments: list[LikelihoodAssessment] = field(default_factory=list)
    evidence: list[PatternEvidence] = field(default_factory=list)
    case_reports: list[CaseReport] = field(default_factory=list)
    references: list[ChapterReference] = field(default_factory=list)
    classes: list[DrugClass] = field(default_factory=list)  # classes the chapter states
    linked_chapters: list[str] = field(default_factory=list)  # ids of chapters a class overview lists
    findings: list[Finding] = field(default_factory=list)  # what looked wrong in the source
    typical_causes: list[TypicalCause] = field(default_factory=list)  # phenotype chapters
    pattern: str | None = None  # the injury-pattern concept a phenotype chapter describes
    definition: str | None = None  # a phenotype chapter's own definition of that phenotype
    contents: list[ContentsEntry] = field(default_factory=list)  # the book's table of contents (toc page)
    links: list[ChapterLink] = field(default_factory=list)  # links out of LiverTox, in document order
    title_line: int | None = field(default=None, compare=False)  # the title's line in the source (not in the graph)

    @property
    def url(self) -> str:
        return f"https://www.ncbi.nlm.nih.gov/books/n/livertox/{self.id}/"
