"""The chapter's likelihood assessments: the statements ``interpret/likelihood.py`` recognises, in document
order, each for the agents rules b-d give (``interpret/attribution.py``); for a class overview that makes
none, the "Likelihood Score" column of its tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from livertox_kg.interpret import likelihood as lk
from livertox_kg.interpret.agents import ChapterAgents, trade_names
from livertox_kg.interpret.attribution import statement_agents
from livertox_kg.interpret.paragraphs import PlacedPara, where
from livertox_kg.interpret.sections import SectionIndex, placed
from livertox_kg.loaders.document import Table, norm
from livertox_kg.model import ChapterKind, Finding, LikelihoodAssessment

_SCORE_HEAD = re.compile(r"likelihood\s*score", re.I)


def assessments(
    found: ChapterAgents, kind: ChapterKind, index: SectionIndex, paras: list[PlacedPara]
) -> list[LikelihoodAssessment]:
    """Likelihood statements in document order (rules b-d); a class overview's table column otherwise."""
    out: list[LikelihoodAssessment] = []

    def add(agents: list[str], score: lk.Score, scope: str | None, text: str, at: PlacedPara | None) -> None:
        key, ordinal = placed(index, at.path) if at is not None else (None, None)
        out.append(
            LikelihoodAssessment(
                ordinal=len(out) + 1,
                agents=tuple(dict.fromkeys(agents)),
                category=score.category,
                high_dose=score.high_dose_marker is not None,
                high_dose_marker=score.high_dose_marker,
                scope=scope,
                statement=text,
                section_key=key,
                section_ordinal=ordinal,
                line=at.para.line if at is not None else None,
            )
        )

    for i, st in _statements(paras):
        if st.score is None:
            text = f"likelihood statement with no readable score: {st.text[:80]!r}; not loaded: {SCORES_HINT}"
            found.findings.append(Finding(where(paras[i]), text, paras[i].para.line, st.text))
            continue
        agents, scope = statement_agents(found, st, paras[i], paras[:i])
        add(agents, st.score, scope, st.text, paras[i])
    if kind == ChapterKind.CLASS_OVERVIEW and not out:
        for sec in found.doc.all_sections():
            for table in sec.tables:
                for name, score, row_text in _table_scores(found, table, f"section {sec.title or 'body'}"):
                    add([name], score, None, row_text, None)
    return out


SCORES_HINT = "a LiverTox score is A, B, C, D, E, E* or X (NA: cannot be assessed); correct the score as printed"


def _statements(paras: list[PlacedPara]) -> Iterator[tuple[int, lk.Statement]]:
    """(paragraph index, statement) for each statement but headings; after a "Likelihood scores:" heading,
    the "Agent: C (...)" items of the paragraphs that follow, up to one that has none."""
    heading_open = False
    for i, at in enumerate(paras):
        statements = lk.parse_paragraph(at.para.text)
        if not statements and heading_open:
            statements = lk.parse_items(at.para.text)
            if not statements:
                heading_open = False
        elif statements:
            heading_open = False
        for st in statements:
            if st.heading:
                heading_open = True
                continue
            yield i, st


def _table_scores(found: ChapterAgents, table: Table, place: str) -> list[tuple[str, lk.Score, str]]:
    """Scores given only in a table column (class overviews): (agent, score, row text)."""
    out: list[tuple[str, lk.Score, str]] = []
    score_col = None
    start = 0
    for i, row in enumerate(table.rows[:4]):
        for j, cell in enumerate(row):
            if _SCORE_HEAD.search(cell):
                score_col, start = j, i + 1
                break
        if score_col is not None:
            break
    if score_col is None:
        return out
    for row in table.rows[start:]:
        if len(row) <= score_col or not row[0].strip():
            continue
        cell = row[score_col].strip()
        if _SCORE_HEAD.search(cell):  # the head repeated for a second block
            continue
        score, _ = lk.read_code(cell)
        generic = row[0].split(" ")[0] if " " in row[0] else row[0]
        if score is None or norm(cell) != _score_text(score):
            found.findings.append(
                Finding(place, f"likelihood score {cell!r} of {generic} is not a valid code; not loaded")
            )
            continue
        name = found.resolve(generic) or found.add(generic)
        agent = found.get(name)
        agent.trade_names.extend(t for t in trade_names(row[0][len(generic) :]) if t not in agent.trade_names)
        out.append((name, score, " | ".join(row)))
    return out


def _score_text(score: lk.Score) -> str:
    """A score as a table cell prints it: "C", "E*", "A[HD]", "cannot be assessed"."""
    if score.category == "NA":
        return "cannot be assessed"
    return score.category + (f"[{score.high_dose_marker}]" if score.high_dose_marker else "")
