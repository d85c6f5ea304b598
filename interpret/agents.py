"""The agents a chapter covers: matching a name as printed to them, finding their mentions, and reading them
from the chemical-structure table (rule a, below; with the PubChem substance each row links) and the trade names
and DailyMed labels of the product information.

Rule a (README, "Likelihood scores"): the chapter's agents are the rows of its chemical-structure table,
named as printed; a table of one row names the chapter's subject, so that agent takes the chapter title as
its name; the row the title names (ignoring case, punctuation and salt words) takes the title as its name
too. Rules b-d (whom a statement is for) are in ``interpret/attribution.py``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from livertox_kg.interpret.links import label_set_ids, pubchem_sids
from livertox_kg.loaders.document import RawDocument, Sec, Table, norm
from livertox_kg.loaders.sections import top_kind
from livertox_kg.model import Agent, Finding

SALT_WORDS = frozenset(
    {"hcl", "hydrochloride", "sodium", "monohydrate", "anhydrous", "potassium", "hyclate", "mesylate"}
)
_WORD = re.compile(r"[a-z0-9]+")


def name_key(name: str) -> str:
    """Comparison key: lower case, letters and digits only, salt words dropped."""
    words = [w for w in _WORD.findall(name.lower()) if w not in SALT_WORDS]
    return "".join(words)


def match_agent(name: str, agents: Sequence[str], *, qualified: bool = True) -> str | None:
    """The agent ``name`` refers to: same key, else one key containing the other (5+ letters).

    With ``qualified`` False, a name *longer* than the agent's ("oral gold preparations" for "Gold
    Preparations") does not match: it is the agent plus qualifiers, a scope.
    """
    key = name_key(name)
    if not key:
        return None
    for agent in agents:
        if name_key(agent) == key:
            return agent
    if len(key) < 5:
        return None
    best: str | None = None
    for agent in agents:
        other = name_key(agent)
        if (
            len(other) >= 5
            and (key in other or (qualified and other in key))
            and (best is None or len(other) > len(name_key(best)))
        ):
            best = agent
    return best


def _mention_pattern(name: str) -> re.Pattern[str] | None:
    words = [w for w in _WORD.findall(name.lower()) if w not in SALT_WORDS]
    if not words:
        return None
    return re.compile(r"\b" + r"[\s\-]+".join(re.escape(w) for w in words) + r"\b", re.IGNORECASE)


class MentionFinder:
    """Finds the agent named last in a text (longest name wins at the same place)."""

    def __init__(self, names: dict[str, list[str]]) -> None:
        # agent -> the spellings to look for
        self._patterns: list[tuple[str, re.Pattern[str]]] = []
        for agent, spellings in names.items():
            for spelling in spellings:
                pattern = _mention_pattern(spelling)
                if pattern is not None:
                    self._patterns.append((agent, pattern))

    def last(self, text: str) -> str | None:
        best: tuple[int, int, str] | None = None  # (end, length, agent)
        for agent, pattern in self._patterns:
            for m in pattern.finditer(text):
                candidate = (m.end(), m.end() - m.start(), agent)
                if best is None or candidate[:2] > best[:2]:
                    best = candidate
        return best[2] if best else None

    def all(self, text: str) -> list[str]:
        """Agents named in ``text``, in order of first mention; a name inside a longer one is not counted."""
        spans: list[tuple[int, int, str]] = []
        for agent, pattern in self._patterns:
            spans.extend((m.start(), m.end(), agent) for m in pattern.finditer(text))
        spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
        found: list[str] = []
        covered_to = -1
        for start, end, agent in spans:
            if start < covered_to:
                continue
            covered_to = end
            if agent not in found:
                found.append(agent)
        return found


# --- the chapter's agents -------------------------------------------------------------------------


@dataclass
class ChapterAgents:
    """The agents of one chapter as its reading finds them: the chemical table's rows (rule a), then the
    agents statements name or their context gives (rules b-d, ``interpret/attribution.py``), which may be
    new. ``findings`` is the chapter's list of findings, shared with the rest of the reading."""

    doc: RawDocument
    findings: list[Finding]
    agents: list[Agent] = field(default_factory=list)
    title_agent: str | None = None  # the agent the chapter title names, if any

    def names(self) -> list[str]:
        return [a.name for a in self.agents]

    def get(self, name: str) -> Agent:
        for a in self.agents:
            if a.name == name:
                return a
        raise KeyError(name)

    def add(self, name: str) -> str:
        """The agent named ``name``, made when there is none."""
        for a in self.agents:
            if a.name == name:
                return name
        self.agents.append(Agent(name=name))
        return name

    def resolve(self, name: str) -> str | None:
        return match_agent(name, self.names())

    def finder(self) -> MentionFinder:
        """Finds the agents by their names and alternative names."""
        return MentionFinder({a.name: [a.name, *a.alt_names] for a in self.agents})

    def subject_name(self) -> str:
        """The name of the agent the chapter is about when only its title can tell: the title, or, for a
        chapter printed without one, its id (with a finding, so that the stand-in is not silent)."""
        if self.doc.title:
            return self.doc.title
        note = Finding("book-part-meta", f"an agent is named only by the missing title; named {self.doc.chapter_id!r}")
        if note not in self.findings:
            self.findings.append(note)
        return self.doc.chapter_id

    def subject(self) -> str:
        """The agent the chapter title names, else the one named by the title (or the id), made if need be."""
        return self.title_agent or self.add(self.subject_name())


def read_agents(doc: RawDocument, findings: list[Finding]) -> ChapterAgents:
    """The chapter's agents: the chemical-structure table's rows, named by rule a, with their trade names."""
    found = ChapterAgents(doc, findings)
    for sec in doc.sections:
        if top_kind(sec.title) == "chemical":
            for s in sec.walk():
                for table in s.tables:
                    _chemical_agents(found, table, f"section {sec.title}")
    _name_agents(found, doc.title)
    for sec in doc.sections:
        if top_kind(sec.title) == "product":
            _product_information(found, sec)
    _labels(found)
    return found


def _labels(found: ChapterAgents) -> None:
    """The DailyMed labels PRODUCT INFORMATION links by set id: for the agent the link text names
    ("Nandrolone"), else ("COMPLETE LABELING") for the agent the title names or the chapter's only agent; else a
    finding."""
    for text, set_id in label_set_ids(found.doc):
        only = found.agents[0].name if len(found.agents) == 1 else None
        target = found.resolve(text) or found.title_agent or only
        if target is None:
            found.findings.append(Finding("PRODUCT INFORMATION", f"DailyMed label {set_id} names no agent ({text!r})"))
        elif set_id not in found.get(target).dailymed_set_ids:
            found.get(target).dailymed_set_ids.append(set_id)


# --- the chemical-structure table (rule a) ---------------------------------------------------------

_CAS = re.compile(r"(?<![\d-])(\d{2,7}-\d{2}-\d)(?![\d-])")
_NO_VALUE = re.compile(r"^(?:not (?:applicable|available)|no information|none|n/?a|-+|unknown)?\.?$", re.I)


def _chemical_agents(found: ChapterAgents, table: Table, where: str) -> None:
    """One agent per row of a chemical-structure table, with its CAS numbers and molecular formula."""
    if not table.rows:
        return
    header_idx = 0
    for i, row in enumerate(table.rows[: max(table.header_rows, 1) + 1]):
        if row and row[0].strip().upper().startswith("DRUG"):
            header_idx = i
            break
    header = [c.upper() for c in table.rows[header_idx]]

    def col(*words: str) -> int | None:
        for i, h in enumerate(header):
            if any(w in h for w in words):
                return i
        return None

    cas_col, formula_col = col("CAS", "REGISTRY"), col("FORMULA")
    for n, row in enumerate(table.rows[header_idx + 1 :], start=header_idx + 1):
        if row and row[0].strip():
            agent = _row_agent(found, row, cas_col, formula_col, where)
            agent.pubchem_substances = [sid for i, link in table.row_links if i == n for sid in pubchem_sids(link)]
            _add_row(found, agent)


def _row_agent(found: ChapterAgents, row: list[str], cas_col: int | None, formula_col: int | None, where: str) -> Agent:
    name = row[0].strip()
    agent = Agent(name=name)
    if cas_col is not None and cas_col < len(row):
        cell = row[cas_col]
        agent.cas_numbers = _CAS.findall(cell)
        if not agent.cas_numbers and not _NO_VALUE.match(cell.strip()):
            agent.registry_texts = [cell]
            found.findings.append(Finding(where, f"registry number {cell!r} of {name} is not a CAS RN"))
    if formula_col is not None and formula_col < len(row):
        formula = row[formula_col].strip()
        if formula and not _NO_VALUE.match(formula):
            agent.molecular_formula = formula
    return agent


def _add_row(found: ChapterAgents, agent: Agent) -> None:
    """A new agent, or another salt of one already listed ("Penicillin G Potassium" after "Penicillin G
    Sodium"): one agent, every registry number and spelling kept."""
    name = agent.name
    same = next((a for a in found.agents if name_key(a.name) == name_key(name)), None)
    if same is None:
        found.agents.append(agent)
        return
    if name != same.name and name not in same.alt_names:
        same.alt_names.append(name)
    same.cas_numbers.extend(c for c in agent.cas_numbers if c not in same.cas_numbers)
    same.registry_texts.extend(t for t in agent.registry_texts if t not in same.registry_texts)
    same.pubchem_substances.extend(x for x in agent.pubchem_substances if x not in same.pubchem_substances)


def _name_agents(found: ChapterAgents, title: str) -> None:
    """Rule a: the table row the title names (or a single row) takes the title as its name."""
    if len(found.agents) == 1:
        named = found.agents[0]
    else:
        matches = [a for a in found.agents if name_key(a.name) == name_key(title)]
        if len(matches) != 1:
            return
        named = matches[0]
    if not title:  # a chapter printed without a title: its one row keeps the table's name (and is the subject)
        found.title_agent = named.name
        return
    if named.name != title:
        named.alt_names.append(named.name)
        named.name = title
    found.title_agent = title


# --- product information: trade names --------------------------------------------------------------

_TRADE_SKIP = re.compile(r"^(?:generic|combination products?|various|none|multiple|others?|and others)$", re.I)
_MARKS = re.compile(r"[®™©]")
_TRADE_LINE = re.compile(r"^(?P<name>.+?)\s+[–—-]\s+(?P<trades>.+)$")


def trade_names(text: str) -> list[str]:
    """The trade names of a list as printed ("Proleukin®, Generic" -> ["Proleukin"])."""
    names = []
    for part in re.split(r",|;", text):
        name = norm(_MARKS.sub("", part))
        if name and not _TRADE_SKIP.match(name):
            names.append(name)
    return names


def _product_information(found: ChapterAgents, sec: Sec) -> None:
    """The "Representative Trade Names" lines of PRODUCT INFORMATION ("Aldesleukin – Proleukin®")."""
    for line in _trade_lines(sec):
        m = _TRADE_LINE.match(line)
        if not m:
            continue
        target = found.resolve(m["name"])
        if target is None:
            for part in reversed([x for x in m["name"].split(",") if x.strip()]):
                target = found.resolve(part)
                if target:
                    break
        if target is None and len(found.agents) == 1:
            target = found.agents[0].name
        if target is None:
            found.findings.append(Finding(sec.title, f"trade names for {m['name']!r}, which names no agent"))
            continue
        agent = found.get(target)
        for trade in trade_names(m["trades"]):
            if trade not in agent.trade_names:
                agent.trade_names.append(trade)


def _trade_lines(sec: Sec) -> list[str]:
    """The paragraphs after "REPRESENTATIVE TRADE NAME(S)" up to "DRUG CLASS" or "COMPLETE LABELING"."""
    lines: list[str] = []
    state = ""
    for p in [q for s in sec.walk() for q in s.paras]:
        upper = p.text.upper()
        if upper.startswith("REPRESENTATIVE TRADE NAME"):
            state = "trade"
        elif upper.startswith("DRUG CLASS") or upper.startswith("COMPLETE LABELING"):
            state = ""
        elif state == "trade":
            lines.append(p.text)
    return lines
