"""Whom a likelihood statement or a pattern sentence is for (README, "Likelihood scores"; rule a, the
chemical table's agents, is in ``interpret/agents.py``):

b. A statement that names agents ("(X)", "for X", "X likelihood score", "X: C" items) is for them;
   a name that is no agent and does not contain the chapter title or an agent's name is a new agent;
   one that does ("parenteral gold preparations") is a scope of that agent.
c. "when used for ..." is a scope; the agent comes from context (d).
d. Context: the per-agent subsection the statement is in; else the only agent; else the agent the title
   names; else the agent named last before the statement in its top-level section; else an agent
   named by the chapter title.
"""

from __future__ import annotations

import re

from livertox_kg.interpret import likelihood as lk
from livertox_kg.interpret.agents import ChapterAgents, match_agent, name_key
from livertox_kg.interpret.cases import CASE_TITLE
from livertox_kg.interpret.paragraphs import PlacedPara
from livertox_kg.loaders.document import Sec
from livertox_kg.loaders.sections import standard_key, top_kind

_NOT_AGENT_TITLES = ("key points", "laboratory", "comment", "approach", "table", "figure")


def statement_agents(
    found: ChapterAgents, st: lk.Statement, placed: PlacedPara, before: list[PlacedPara]
) -> tuple[list[str], str | None]:
    """(agents, scope) for a statement, by rules b-d; ``before`` are the paragraphs that precede it."""
    scope = st.context
    if st.names:
        resolved = [match_agent(n, found.names(), qualified=False) for n in _split_names(st.names)]
        if all(resolved):
            return [r for r in resolved if r], scope
        title_key = name_key(found.doc.title)
        whole_key = name_key(st.names)
        if title_key and title_key in whole_key:
            return [found.subject()], st.names
        for a in found.agents:
            if name_key(a.name) and name_key(a.name) in whole_key:
                return [a.name], st.names
        return [found.resolve(n) or found.add(n) for n in _split_names(st.names)], scope
    return context_agents(found, placed, before), scope


def context_agents(
    found: ChapterAgents, placed: PlacedPara, before: list[PlacedPara], allow_mention: bool = True
) -> list[str]:
    """Rule d. With ``allow_mention`` False (pattern evidence) an unknown agent gives ``[]``."""
    agent = section_agent(found, placed.path)
    if agent:
        return [agent]
    if len(found.agents) == 1:
        return [found.agents[0].name]
    if found.title_agent:
        return [found.title_agent]
    if not allow_mention:
        return []
    if found.agents:
        finder = found.finder()
        for prev in reversed(before):
            if prev.top != placed.top:
                break
            last = finder.last(prev.para.text)
            if last:
                return [last]
    return [found.add(found.subject_name())]


def section_agent(found: ChapterAgents, path: tuple[Sec, ...]) -> str | None:
    """Rule d1: the agent of the innermost per-agent subsection of an OVERVIEW on ``path``.

    A subsection is per-agent when its title names an agent. A title that names none makes a new
    agent only beside sibling subsections that do name agents ("Vitamin B3, Niacin" among the other
    vitamins), so that a topical subsection ("Reye Syndrome" in aspirin) is never taken for an agent.
    """
    if not path or top_kind(path[0].title) != "overview":
        return None
    for i in range(len(path) - 1, 0, -1):
        sec, parent = path[i], path[i - 1]
        if not _agent_like(sec.title):
            continue
        agent = _title_agent(found, sec.title)
        if agent:
            return agent
        siblings = [c for c in parent.children if c is not sec and _agent_like(c.title)]
        if any(_title_agent(found, c.title) for c in siblings):
            parts = [p.strip() for p in sec.title.split(",") if p.strip()]
            return found.add(parts[-1])
    return None


def _agent_like(title: str) -> bool:
    """A subsection title that may name an agent: not a standard subsection, a case or a label."""
    title = title.strip()
    return bool(title) and not (
        standard_key(title)
        or top_kind(title) != "other"
        or CASE_TITLE.match(title)
        or title.lower().startswith(_NOT_AGENT_TITLES)
    )


def _title_agent(found: ChapterAgents, title: str) -> str | None:
    """The agent a section title names ("Vitamin B1, Thiamine" -> "Thiamine HCl"), if any."""
    for part in reversed([p.strip() for p in title.split(",") if p.strip()]):
        agent = found.resolve(part)
        if agent:
            return agent
    return None


def _split_names(names: str) -> list[str]:
    """The names of a list as printed ("Alendronate, Risedronate and Ibandronate")."""
    return [n.strip() for n in re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*|\s*/\s*", names) if n.strip()]
