"""Turn a :class:`RawDocument` (any format) into the model's :class:`Chapter`.

This module only orders the reading; each part of a chapter is read by the module named for it:

* ``kind.py``        what the chapter is, its "Drug Class:" lines, the chapters it lists;
* ``agents.py``      its agents: the chemical-structure table (rule a), trade names; name matching;
* ``scores.py``      its likelihood assessments (statements: ``likelihood.py``; whom for, rules b-d:
  ``attribution.py``);
* ``cases.py``       its case reports;
* ``evidence.py``    the sentences and case reports that state an injury pattern (``patterns.py``);
* ``phenotype.py``   a phenotype chapter's pattern, definition and typical causes;
* ``sections.py``    its text sections and table of contents (paragraphs in place: ``paragraphs.py``);
* ``references.py``  its references and the works they cite (plain-text citations: ``citation.py``);
* ``links.py``       its links out of LiverTox (PubChem, DailyMed, ClinicalTrials.gov, PubMed, other pages).
"""

from __future__ import annotations

from livertox_kg.interpret import phenotype
from livertox_kg.interpret.agents import ChapterAgents, read_agents
from livertox_kg.interpret.cases import case_reports
from livertox_kg.interpret.evidence import case_evidence, text_evidence
from livertox_kg.interpret.kind import chapter_kind, drug_classes, linked_chapters
from livertox_kg.interpret.links import chapter_links
from livertox_kg.interpret.paragraphs import paragraphs
from livertox_kg.interpret.references import references
from livertox_kg.interpret.scores import assessments
from livertox_kg.interpret.sections import contents, section_index, text_sections
from livertox_kg.loaders.document import RawDocument
from livertox_kg.loaders.sections import top_kind
from livertox_kg.model import Chapter, ChapterKind, PatternEvidence, TypicalCause

_LISTING = (ChapterKind.CLASS_OVERVIEW, ChapterKind.PHENOTYPE)  # chapters whose links list other chapters
_WITHOUT_AGENTS = (ChapterKind.FRONT_MATTER, ChapterKind.PHENOTYPE)


def interpret(doc: RawDocument) -> Chapter:
    """The model of one chapter: what ``doc`` says, read the same way whatever its format.

    The order matters: agents are read before the statements that name them, and reading statements,
    evidence and text sections may add agents (rules b-d) and findings."""
    findings = list(doc.problems)
    classes = drug_classes(doc)
    kind = chapter_kind(doc, classes)
    is_phenotype = kind == ChapterKind.PHENOTYPE
    index = section_index(doc)
    paras = list(paragraphs(doc))
    found = ChapterAgents(doc, findings) if is_phenotype else read_agents(doc, findings)
    scores = [] if is_phenotype else assessments(found, kind, index, paras)
    cases = [case for sec in doc.sections if top_kind(sec.title) == "cases" for case in case_reports(sec)]
    pattern: str | None = None
    causes: list[TypicalCause] = []
    evidence: list[PatternEvidence] = []
    if is_phenotype:
        pattern, causes = phenotype.pattern_and_causes(doc, cases, findings)
    else:
        evidence = text_evidence(found, index, paras)
        evidence.extend(case_evidence(found, cases, len(evidence)))
    sections = text_sections(found, doc, index)  # the last reading that may add an agent (rule d1)
    for covered in found.agents:
        covered.classes = list(classes)
    return Chapter(
        id=doc.chapter_id,
        title=doc.title,
        kind=kind,
        provenance=doc.provenance,
        updated=doc.updated,
        sections=sections,
        agents=found.agents if kind not in _WITHOUT_AGENTS else [],
        assessments=scores,
        evidence=evidence,
        case_reports=cases,
        references=references(doc, findings),
        classes=classes,
        linked_chapters=linked_chapters(doc, paras) if kind in _LISTING else [],
        findings=findings,
        typical_causes=causes,
        pattern=pattern,
        definition=phenotype.definition(doc.intro_paras) if is_phenotype else None,
        contents=contents(doc),
        links=chapter_links(doc, findings),
        title_line=doc.title_line,
    )
