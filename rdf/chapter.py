"""The one place where the model becomes RDF.

:func:`chapter_triples` gives a chapter's triples as N-Triples terms (strings); they go into the chapter's
own named graph (:func:`livertox_kg.rdf.iris.graph`). Terms are written directly as N-Triples text, which
the store bulk-loads in Rust: building ``rdflib`` or ``pyoxigraph`` term objects in Python for every
triple would cost more than parsing and loading together (see ``bench/``).

No blank nodes: every node has an IRI minted by :mod:`livertox_kg.rdf.iris`.
"""

from __future__ import annotations

from livertox_kg.model import Agent, Chapter, ChapterKind, Work, is_chapter_id
from livertox_kg.rdf import iris
from livertox_kg.rdf.terms import Statement, boolean, decimal, integer, iri, lit, nquads, ntriples
from livertox_kg.rdf.vocab import (
    BIBO,
    CITO,
    CLINICAL_TRIALS,
    DCTERMS,
    FABIO,
    LTX,
    PROV,
    PUBCHEM_SUBSTANCE,
    RDF,
    RDFS,
    SKOS,
    XSD,
)

__all__ = ["KIND_CLASS", "Statement", "chapter_triples", "nquads", "ntriples", "work_iri"]


KIND_CLASS = {
    ChapterKind.DRUG: LTX.DrugChapter,
    ChapterKind.HERBAL: LTX.HerbalChapter,
    ChapterKind.CLASS_OVERVIEW: LTX.ClassOverviewChapter,
    ChapterKind.PHENOTYPE: LTX.PhenotypeChapter,
    ChapterKind.FRONT_MATTER: LTX.FrontMatterChapter,
}

_WORK_CLASS = {
    "journal": FABIO.JournalArticle,
    "book": FABIO.Book,
    "web": FABIO.WebPage,
}


def work_iri(work: Work) -> str:
    """A cited work's IRI: its PubMed page when it has a PMID, else one minted from the citation text."""
    if work.pmid and iris.is_pmid(work.pmid):
        return iris.pubmed(work.pmid)
    # No PMID, or one that is not a number as printed: the work gets an IRI of its own; the printed
    # value is kept in fabio:hasPubMedId for validation to report.
    return iris.work_without_pmid(work.citation_text or work.pmid or "")


def _agent_class(chapter: Chapter) -> str:
    """The class of the chapter's agents: herbals and supplements (by chapter kind or class name), else drugs."""
    if chapter.kind == ChapterKind.HERBAL:
        return LTX.HerbalOrSupplement
    if chapter.kind == ChapterKind.CLASS_OVERVIEW and any("herbal" in c.name.lower() for c in chapter.classes):
        return LTX.HerbalOrSupplement
    return LTX.Drug


class _Out:
    """The statements of one chapter, in the order first added, each once."""

    def __init__(self) -> None:
        self.lines: dict[Statement, None] = {}  # insertion-ordered set

    def add(self, s: str, p: str, o: str) -> None:
        self.lines[f"<{s}> <{p}> {o}"] = None

    def opt(self, s: str, p: str, value: str | None, datatype: str | None = None) -> None:
        """A literal, only when there is a value (an empty string is no value)."""
        if value:
            self.add(s, p, lit(value, datatype))

    def link(self, s: str, p: str, o: str) -> None:
        self.add(s, p, iri(o))


def _agent(out: _Out, chapter_iri: str, agent: Agent, agent_class: str) -> None:
    """One agent the chapter covers: names, registry numbers, formula, classes, and where it is described."""
    a = iris.agent(agent.name)
    out.link(a, RDF.type, LTX.Agent)
    out.link(a, RDF.type, agent_class)
    out.opt(a, RDFS.label, agent.name)
    for alt in agent.alt_names:
        out.opt(a, SKOS.altLabel, alt)
    for trade in agent.trade_names:
        out.opt(a, LTX.tradeName, trade)
    for cas in agent.cas_numbers:
        out.opt(a, LTX.casRegistryNumber, cas)
    for text in agent.registry_texts:
        out.opt(a, LTX.registryNumberText, text)
    out.opt(a, LTX.molecularFormula, agent.molecular_formula)
    for cls in agent.classes:
        out.link(a, LTX.memberOfClass, iris.drug_class(cls.name))
    for sid in agent.pubchem_substances:
        out.link(a, LTX.pubchemSubstance, PUBCHEM_SUBSTANCE + sid)
    for set_id in agent.dailymed_set_ids:
        out.opt(a, LTX.dailyMedSetId, set_id)
    out.link(a, LTX.describedIn, chapter_iri)
    out.link(chapter_iri, LTX.coversAgent, a)


def _work(out: _Out, work: Work) -> str:
    """A cited work's description (the fields the citation gives); returns its IRI."""
    w = work_iri(work)
    out.link(w, RDF.type, _WORK_CLASS.get(work.publication_type, FABIO.Expression))
    out.opt(w, LTX.publicationType, work.publication_type)
    out.opt(w, FABIO.hasPubMedId, work.pmid)
    out.opt(w, FABIO.hasPubMedCentralId, work.pmcid)
    out.opt(w, BIBO.doi, work.doi)
    if work.authors:
        out.opt(w, LTX.authorList, ", ".join(work.authors))
        for author in work.authors:
            out.opt(w, DCTERMS.creator, author)
    out.opt(w, DCTERMS.title, work.title)
    out.opt(w, LTX.journalTitle, work.journal)
    if work.year and work.year.isdigit() and len(work.year) == 4:
        out.opt(w, FABIO.hasPublicationYear, work.year, XSD.gYear)
    out.opt(w, BIBO.volume, work.volume)
    out.opt(w, BIBO.issue, work.issue)
    out.opt(w, BIBO.pages, work.pages)
    out.opt(w, DCTERMS.bibliographicCitation, work.citation_text)
    for url in work.urls:
        out.opt(w, FABIO.hasURL, url, XSD.anyURI)
    for trial in work.clinical_trials:
        out.link(w, LTX.clinicalTrial, CLINICAL_TRIALS + trial)
    return w


LINK_PROPERTIES = {
    "dailymed-search": LTX.dailyMedSearch,
    "clinicaltrials-search": LTX.clinicalTrialsSearch,
    "pubmed-search": LTX.pubMedSearch,
    "other": RDFS.seeAlso,
}
"""The property each kind of chapter link (``model.LINK_KINDS``) is stated with."""


def _links(out: _Out, chapter: Chapter, chapter_iri: str) -> None:
    """The chapter's links out of LiverTox (a case report's source article is its case's)."""
    for link in chapter.links:
        out.link(chapter_iri, LINK_PROPERTIES[link.kind], link.url)


_SectionIris = dict[tuple[str, int], str]
"""A chapter's section IRIs by (section key, ordinal): what assessments, evidence and causes point into."""


def chapter_triples(chapter: Chapter) -> list[Statement]:
    """Every triple of a chapter's named graph, as N-Triples statements, without duplicates.

    The statements come in a fixed order (chapter, sections, agents and classes, assessments, case reports,
    evidence, phenotype, contents, references, links) so that the same chapter always gives the same list.
    """
    out = _Out()
    c = iris.chapter(chapter.id)
    _chapter(out, chapter, c)
    sections = _sections(out, chapter, c)
    _agents_and_classes(out, chapter, c)
    _assessments(out, chapter, c, sections)
    cases = _case_reports(out, chapter, c)
    _evidence(out, chapter, c, sections, cases)
    _phenotype(out, chapter, c, sections, cases)
    _contents(out, chapter, c)
    _references(out, chapter, c)
    _links(out, chapter, c)
    return list(out.lines)


def _chapter(out: _Out, chapter: Chapter, c: str) -> None:
    """The chapter node itself and its provenance: the source file it was read from."""
    prov = chapter.provenance
    src = iris.source(prov.sha256)
    out.link(c, RDF.type, LTX.Chapter)
    out.link(c, RDF.type, KIND_CLASS[chapter.kind])
    out.opt(c, LTX.chapterId, chapter.id)
    out.opt(c, DCTERMS.title, chapter.title)
    if chapter.updated:
        out.opt(c, DCTERMS.modified, chapter.updated.isoformat(), XSD.date)
    out.link(c, LTX.ncbiPage, chapter.url)
    out.link(c, PROV.wasDerivedFrom, src)
    out.opt(c, LTX.loaderVersion, prov.loader_version)
    out.link(src, RDF.type, LTX.SourceFile)
    out.opt(src, LTX.sourceName, prov.source_name)
    out.opt(src, LTX.sha256, prov.sha256)
    out.opt(src, LTX.sourceFormat, prov.source_format)


def _sections(out: _Out, chapter: Chapter, c: str) -> _SectionIris:
    """The chapter's sections; returns their IRIs for the nodes that point into them."""
    sections: _SectionIris = {}
    for sec in chapter.sections:
        s = iris.section(chapter.id, sec.key, sec.ordinal)
        sections[(sec.key, sec.ordinal)] = s
        out.link(c, LTX.hasSection, s)
        out.link(s, RDF.type, LTX.Section)
        out.link(s, LTX.inChapter, c)
        out.opt(s, LTX.sectionKey, sec.key)
        out.add(s, LTX.ordinal, integer(sec.ordinal))
        out.opt(s, DCTERMS.title, sec.title)
        out.opt(s, LTX.text, sec.text)
        if sec.agent:
            out.link(s, LTX.aboutAgent, iris.agent(sec.agent))
    return sections


def _agents_and_classes(out: _Out, chapter: Chapter, c: str) -> None:
    """The agents the chapter covers, the drug classes it states, and the chapters it lists."""
    agent_class = _agent_class(chapter)
    for agent in chapter.agents:
        _agent(out, c, agent, agent_class)
    for cls in chapter.classes:
        k = iris.drug_class(cls.name)
        out.link(c, LTX.statesClass, k)
        out.link(k, RDF.type, LTX.DrugClass)
        out.opt(k, RDFS.label, cls.name)
        if cls.chapter_id and is_chapter_id(cls.chapter_id):
            out.link(k, LTX.overviewChapter, iris.chapter(cls.chapter_id))
    for linked in chapter.linked_chapters:
        if is_chapter_id(linked):
            out.link(c, LTX.listsChapter, iris.chapter(linked))


def _assessments(out: _Out, chapter: Chapter, c: str, sections: _SectionIris) -> None:
    """The likelihood assessments: agents, category, high dose, scope, the statement and its section."""
    for a in chapter.assessments:
        n = iris.chapter_part(chapter.id, "likelihood", a.ordinal)
        out.link(n, RDF.type, LTX.LikelihoodAssessment)
        out.link(n, LTX.inChapter, c)
        out.add(n, LTX.ordinal, integer(a.ordinal))
        for name in a.agents:
            out.link(n, LTX.assessedAgent, iris.agent(name))
        out.link(n, LTX.category, iris.likelihood_category(a.category))
        out.add(n, LTX.highDose, boolean(a.high_dose))
        out.opt(n, LTX.highDoseMarker, a.high_dose_marker)
        out.opt(n, LTX.scope, a.scope)
        out.opt(n, LTX.statement, a.statement)
        if a.section_key and a.section_ordinal and (a.section_key, a.section_ordinal) in sections:
            out.link(n, LTX.inSection, sections[(a.section_key, a.section_ordinal)])


def _case_reports(out: _Out, chapter: Chapter, c: str) -> dict[int, str]:
    """The case reports and their Key Points; returns their IRIs by case number."""
    cases: dict[int, str] = {}
    for case in chapter.case_reports:
        k = iris.chapter_part(chapter.id, "case", case.number)
        cases[case.number] = k
        out.link(c, LTX.hasCaseReport, k)
        out.link(k, RDF.type, LTX.CaseReport)
        out.link(k, LTX.inChapter, c)
        out.add(k, LTX.caseNumber, integer(case.number))
        out.opt(k, DCTERMS.title, case.title)
        out.opt(k, LTX.medication, case.medication)
        out.opt(k, LTX.patternText, case.pattern_text)
        if case.pattern:
            out.link(k, LTX.injuryPattern, iris.injury_pattern(case.pattern))
        if case.r_ratio is not None:
            out.add(k, LTX.rRatio, decimal(case.r_ratio))
        out.opt(k, LTX.severityText, case.severity_text)
        if case.severity_grade is not None:
            out.add(k, LTX.severityGrade, integer(case.severity_grade))
        out.opt(k, LTX.latency, case.latency)
        out.opt(k, LTX.recovery, case.recovery)
        out.opt(k, LTX.otherMedications, case.other_medications)
        out.opt(k, LTX.text, case.text)
        if case.modified_from and iris.is_pmid(case.modified_from):
            out.link(k, LTX.modifiedFrom, iris.pubmed(case.modified_from))
    return cases


def _evidence(out: _Out, chapter: Chapter, c: str, sections: _SectionIris, cases: dict[int, str]) -> None:
    """The pattern evidence (the sentence, in its section or case report) and each ``ltx:hasInjuryPattern``."""
    for ev in chapter.evidence:
        e = iris.chapter_part(chapter.id, "evidence", ev.ordinal)
        agent_iri = iris.agent(ev.agent)
        pattern = iris.injury_pattern(ev.pattern)
        out.link(agent_iri, LTX.hasInjuryPattern, pattern)
        out.link(e, RDF.type, LTX.PatternEvidence)
        out.link(e, LTX.inChapter, c)
        out.add(e, LTX.ordinal, integer(ev.ordinal))
        out.link(e, LTX.evidenceAgent, agent_iri)
        out.link(e, LTX.injuryPattern, pattern)
        out.opt(e, LTX.sentence, ev.sentence)
        out.add(e, LTX.fromCaseReport, boolean(ev.from_case_report))
        if ev.from_case_report and ev.section_ordinal in cases:
            out.link(e, LTX.inCaseReport, cases[ev.section_ordinal])
        elif (ev.section_key, ev.section_ordinal) in sections:
            out.link(e, LTX.inSection, sections[(ev.section_key, ev.section_ordinal)])


def _phenotype(out: _Out, chapter: Chapter, c: str, sections: _SectionIris, cases: dict[int, str]) -> None:
    """A phenotype chapter's pattern (with LiverTox's definition) and its typical causes."""
    if chapter.pattern:
        out.link(c, LTX.describesPattern, iris.injury_pattern(chapter.pattern))
        out.opt(iris.injury_pattern(chapter.pattern), SKOS.definition, chapter.definition)
    for cause in chapter.typical_causes:
        t = iris.chapter_part(chapter.id, "cause", cause.ordinal)
        out.link(t, RDF.type, LTX.TypicalCause)
        out.link(t, LTX.inChapter, c)
        out.add(t, LTX.ordinal, integer(cause.ordinal))
        out.link(t, LTX.causeAgent, iris.agent(cause.agent_name))
        out.opt(t, LTX.agentName, cause.agent_name)
        out.link(t, LTX.injuryPattern, iris.injury_pattern(cause.pattern))
        out.opt(t, LTX.sentence, cause.sentence)
        if cause.case_number is not None and cause.case_number in cases:
            out.link(t, LTX.inCaseReport, cases[cause.case_number])
        elif ("overview", 1) in sections:
            out.link(t, LTX.inSection, sections[("overview", 1)])


def _contents(out: _Out, chapter: Chapter, c: str) -> None:
    """The table of contents (the ``toc`` page): entries, what each points to, the entry it is nested in."""
    for entry in chapter.contents:
        k = iris.chapter_part(chapter.id, "contents", entry.ordinal)
        out.link(c, LTX.hasContentsEntry, k)
        out.link(k, RDF.type, LTX.ContentsEntry)
        out.link(k, LTX.inChapter, c)
        out.add(k, LTX.ordinal, integer(entry.ordinal))
        out.opt(k, DCTERMS.title, entry.title)
        if entry.chapter_id and is_chapter_id(entry.chapter_id):
            out.link(k, LTX.pointsTo, iris.chapter(entry.chapter_id))
        out.opt(k, LTX.targetFragment, entry.object_id)
        if entry.parent is not None:
            out.link(k, LTX.parentEntry, iris.chapter_part(chapter.id, "contents", entry.parent))


def _references(out: _Out, chapter: Chapter, c: str) -> None:
    """The chapter's references, each with the work it cites (a work is also ``cito:citesAsEvidence``)."""
    for ref in chapter.references:
        r = iris.chapter_part(chapter.id, "reference", ref.ordinal)
        w = _work(out, ref.work)
        out.link(c, LTX.hasReference, r)
        out.link(r, RDF.type, LTX.ChapterReference)
        out.link(r, LTX.inChapter, c)
        out.add(r, LTX.ordinal, integer(ref.ordinal))
        out.link(r, LTX.citedWork, w)
        out.opt(r, LTX.annotation, ref.annotation)
        out.opt(r, LTX.referenceList, ref.list_title)
        out.link(c, CITO.citesAsEvidence, w)
