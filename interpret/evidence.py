"""Pattern evidence: the sentences of the hepatotoxicity sections that name an injury pattern
(``interpret/patterns.py``), each for the agents it names or its context gives (rule d), and the
"Pattern:" of each case report's Key Points, for the agents its medication names.
"""

from __future__ import annotations

from livertox_kg.interpret import likelihood as lk
from livertox_kg.interpret.agents import ChapterAgents
from livertox_kg.interpret.attribution import context_agents
from livertox_kg.interpret.paragraphs import PlacedPara
from livertox_kg.interpret.patterns import is_negated, patterns_in
from livertox_kg.interpret.sections import SectionIndex, placed
from livertox_kg.interpret.sentences import sentences
from livertox_kg.model import CaseReport, PatternEvidence


def text_evidence(found: ChapterAgents, index: SectionIndex, paras: list[PlacedPara]) -> list[PatternEvidence]:
    """Pattern evidence from the sentences of the hepatotoxicity sections (negated sentences left out, and
    likelihood statements); each (agent, pattern, sentence) once."""
    evidence: list[PatternEvidence] = []
    seen: set[tuple[str, str, str]] = set()
    finder = found.finder()
    for i, at in enumerate(paras):
        key, ordinal = placed(index, at.path)
        if key != "hepatotoxicity" or ordinal is None or lk.parse_paragraph(at.para.text):
            continue
        for sentence in sentences(at.para.text):
            patterns = patterns_in(sentence)
            if not patterns or is_negated(sentence):
                continue
            agents = finder.all(sentence) if len(found.agents) > 1 else []
            if not agents:
                agents = context_agents(found, at, paras[:i], allow_mention=False)
            for agent in agents:
                for pattern in patterns:
                    if (agent, pattern, sentence) not in seen:
                        seen.add((agent, pattern, sentence))
                        evidence.append(
                            PatternEvidence(len(evidence) + 1, agent, pattern, sentence, key, ordinal, False)
                        )
    return evidence


def case_evidence(found: ChapterAgents, cases: list[CaseReport], start: int) -> list[PatternEvidence]:
    """Each case report's Key Points pattern, for the agents its medication names (else the chapter's);
    numbered on from ``start``, the count of the text evidence."""
    out: list[PatternEvidence] = []
    finder = found.finder()
    for case in cases:
        if case.pattern is None or case.pattern_text is None:
            continue
        named = finder.all(case.medication or "") if len(found.agents) > 1 else []
        if named:
            agents = named
        elif len(found.agents) == 1:
            agents = [found.agents[0].name]
        else:
            agents = [found.subject()]
        for agent in agents:
            out.append(
                PatternEvidence(
                    start + len(out) + 1, agent, case.pattern, case.pattern_text, "case-report", case.number, True
                )
            )
    return out
