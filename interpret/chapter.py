"""Turn a :class:`RawDocument` (any format) into the model's :class:`Chapter`.

The rules for whom a likelihood score is for (README, "Likelihood scores"):

a. The chapter's agents are the rows of its chemical-structure table, named as printed; a table of one
   row names the chapter's subject, so that agent takes the chapter title as its name; the row the
   title names (ignoring case, punctuation and salt words) takes the title as its name too.
b. A statement that names agents ("(X)", "for X", "X likelihood score", "X: C" items) is for them;
   a name that is no agent and does not contain the chapter title or an agent's name is a new agent;
   one that does ("parenteral gold preparations") is a scope of that agent.
c. "when used for ..." is a scope; the agent comes from context (d).
d. Context: the per-agent subsection the statement is in; else the only agent; else the agent the title
   names; else the agent named last before the statement in its top-level section; else an agent
   named by the chapter title.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from livertox_kg.interpret import likelihood as lk
from livertox_kg.interpret import phenotype
from livertox_kg.interpret.agents import MentionFinder, match_agent, name_key
from livertox_kg.interpret.citation import citation_year, split_citation
from livertox_kg.interpret.patterns import is_negated, pattern_from_case_label, patterns_in
from livertox_kg.interpret.sentences import sentences
from livertox_kg.loaders.document import Para, RawDocument, RawRef, Sec, Table, TocEntry, norm
from livertox_kg.loaders.sections import standard_key, top_kind
from livertox_kg.model import (
    Agent,
    CaseReport,
    Chapter,
    ChapterKind,
    ChapterReference,
    ContentsEntry,
    DrugClass,
    Finding,
    LikelihoodAssessment,
    PatternEvidence,
    Section,
    TypicalCause,
    Work,
)

# --- small text helpers --------------------------------------------------------------------------

_CAS = re.compile(r"(?<![\d-])(\d{2,7}-\d{2}-\d)(?![\d-])")
_NO_VALUE = re.compile(r"^(?:not (?:applicable|available)|no information|none|n/?a|-+|unknown)?\.?$", re.I)
_TRADE_SKIP = re.compile(r"^(?:generic|combination products?|various|none|multiple|others?|and others)$", re.I)
_MARKS = re.compile(r"[®™©]")
_CASE_TITLE = re.compile(r"^Case\s+(\d+)\s*[.:]?\s*(.*)$", re.I)
_R_RATIO = re.compile(r"\bR(?:\s*ratio)?\s*[=:~≈]+\s*(\d+(?:\.\d+)?)", re.I)
_SEVERITY = re.compile(r"^\s*([1-5])\s*\+")


def _trade_names(text: str) -> list[str]:
    names = []
    for part in re.split(r",|;", text):
        name = norm(_MARKS.sub("", part))
        if name and not _TRADE_SKIP.match(name):
            names.append(name)
    return names


# --- the interpreter -----------------------------------------------------------------------------


@dataclass
class _Ctx:
    """A paragraph in document order with where it sits."""

    para: Para
    top: int  # index of its top-level section (-1: body text outside sections)
    path: tuple[Sec, ...]  # enclosing sections, outermost first


@dataclass
class _Builder:
    doc: RawDocument
    agents: list[Agent] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    title_agent: str | None = None  # the agent the chapter title names, if any

    # agents -----------------------------------------------------------------------------------

    def agent_names(self) -> list[str]:
        return [a.name for a in self.agents]

    def get(self, name: str) -> Agent:
        for a in self.agents:
            if a.name == name:
                return a
        raise KeyError(name)

    def add_agent(self, name: str) -> str:
        for a in self.agents:
            if a.name == name:
                return name
        self.agents.append(Agent(name=name))
        return name

    def subject_name(self) -> str:
        """The name of the agent the chapter is about when only its title can tell: the title, or, for a
        chapter printed without one, its id (with a finding, so that the stand-in is not silent)."""
        if self.doc.title:
            return self.doc.title
        note = Finding("book-part-meta", f"an agent is named only by the missing title; named {self.doc.chapter_id!r}")
        if note not in self.findings:
            self.findings.append(note)
        return self.doc.chapter_id

    def resolve_name(self, name: str) -> str | None:
        return match_agent(name, self.agent_names())


def _chemical_agents(b: _Builder, table: Table, where: str) -> None:
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
    for row in table.rows[header_idx + 1 :]:
        if not row or not row[0].strip():
            continue
        name = row[0].strip()
        agent = Agent(name=name)
        if cas_col is not None and cas_col < len(row):
            cell = row[cas_col]
            agent.cas_numbers = _CAS.findall(cell)
            if not agent.cas_numbers and not _NO_VALUE.match(cell.strip()):
                agent.registry_texts = [cell]
                b.findings.append(Finding(where, f"registry number {cell!r} of {name} is not a CAS RN"))
        if formula_col is not None and formula_col < len(row):
            formula = row[formula_col].strip()
            if formula and not _NO_VALUE.match(formula):
                agent.molecular_formula = formula
        same = next((a for a in b.agents if name_key(a.name) == name_key(name)), None)
        if same is None:
            b.agents.append(agent)
            continue
        # Another salt of the same agent ("Penicillin G Potassium" after "Penicillin G Sodium"): one agent,
        # every registry number and spelling kept.
        if name != same.name and name not in same.alt_names:
            same.alt_names.append(name)
        same.cas_numbers.extend(c for c in agent.cas_numbers if c not in same.cas_numbers)
        same.registry_texts.extend(t for t in agent.registry_texts if t not in same.registry_texts)


def _name_agents(b: _Builder, title: str) -> None:
    """Rule a: the table row the title names (or a single row) takes the title as its name."""
    if len(b.agents) == 1:
        named = b.agents[0]
    else:
        matches = [a for a in b.agents if name_key(a.name) == name_key(title)]
        if len(matches) != 1:
            return
        named = matches[0]
    if named.name != title:
        named.alt_names.append(named.name)
        named.name = title
    b.title_agent = title


def _paragraphs(doc: RawDocument) -> Iterator[_Ctx]:
    for p in doc.intro_paras:
        yield _Ctx(p, -1, ())

    def walk(sec: Sec, top: int, path: tuple[Sec, ...]) -> Iterator[_Ctx]:
        here = (*path, sec)
        for p in sec.paras:
            yield _Ctx(p, top, here)
        for child in sec.children:
            yield from walk(child, top, here)

    for i, sec in enumerate(doc.sections):
        if top_kind(sec.title) in ("overview", "other", "cases"):
            yield from walk(sec, i, ())


_NOT_AGENT_TITLES = ("key points", "laboratory", "comment", "approach", "table", "figure")


def _agent_like(title: str) -> bool:
    title = title.strip()
    return bool(title) and not (
        standard_key(title)
        or top_kind(title) != "other"
        or _CASE_TITLE.match(title)
        or title.lower().startswith(_NOT_AGENT_TITLES)
    )


def _title_agent(b: _Builder, title: str) -> str | None:
    """The agent a section title names ("Vitamin B1, Thiamine" -> "Thiamine HCl"), if any."""
    for part in reversed([p.strip() for p in title.split(",") if p.strip()]):
        found = b.resolve_name(part)
        if found:
            return found
    return None


def _section_agent(b: _Builder, path: tuple[Sec, ...]) -> str | None:
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
        found = _title_agent(b, sec.title)
        if found:
            return found
        siblings = [c for c in parent.children if c is not sec and _agent_like(c.title)]
        if any(_title_agent(b, c.title) for c in siblings):
            parts = [p.strip() for p in sec.title.split(",") if p.strip()]
            return b.add_agent(parts[-1])
    return None


def _context_agents(b: _Builder, ctx: _Ctx, before: list[_Ctx], allow_mention: bool = True) -> list[str]:
    """Rule d. With ``allow_mention`` False (pattern evidence) an unknown agent gives ``[]``."""
    found = _section_agent(b, ctx.path)
    if found:
        return [found]
    if len(b.agents) == 1:
        return [b.agents[0].name]
    if b.title_agent:
        return [b.title_agent]
    if allow_mention and b.agents:
        finder = MentionFinder({a.name: [a.name, *a.alt_names] for a in b.agents})
        for prev in reversed(before):
            if prev.top != ctx.top:
                break
            last = finder.last(prev.para.text)
            if last:
                return [last]
    if not allow_mention:
        return []
    return [b.add_agent(b.subject_name())]


def _split_names(names: str) -> list[str]:
    return [n.strip() for n in re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*|\s*/\s*", names) if n.strip()]


def _statement_agents(b: _Builder, st: lk.Statement, ctx: _Ctx, before: list[_Ctx]) -> tuple[list[str], str | None]:
    """(agents, scope) for a statement, by rules b-d."""
    scope = st.context
    if st.names:
        resolved = [match_agent(n, b.agent_names(), qualified=False) for n in _split_names(st.names)]
        if all(resolved):
            return [r for r in resolved if r], scope
        title_key = name_key(b.doc.title)
        whole_key = name_key(st.names)
        if title_key and title_key in whole_key:
            return [b.title_agent or b.add_agent(b.subject_name())], st.names
        for a in b.agents:
            if name_key(a.name) and name_key(a.name) in whole_key:
                return [a.name], st.names
        return [b.resolve_name(n) or b.add_agent(n) for n in _split_names(st.names)], scope
    return _context_agents(b, ctx, before), scope


def _section_index(doc: RawDocument) -> dict[int, tuple[str, int]]:
    """id(Sec) -> (section key, ordinal) for the text sections, in document order."""
    counts: dict[str, int] = {}
    index: dict[int, tuple[str, int]] = {}

    def visit(sec: Sec, in_overview: bool) -> None:
        key = standard_key(sec.title) if in_overview else None
        if key is None:
            if in_overview and not sec.title.upper().startswith("OVERVIEW"):
                key = "other"
            elif in_overview:
                key = "overview"
            elif top_kind(sec.title) == "other" and sec.title:
                key = "other"
        if key and sec.paras:
            counts[key] = counts.get(key, 0) + 1
            index[id(sec)] = (key, counts[key])
        for child in sec.children:
            visit(child, in_overview)

    for sec in doc.sections:
        kind = top_kind(sec.title)
        if kind in ("overview", "other"):  # case reports, product information, tables, references: not text sections
            visit(sec, kind == "overview")
    return index


def _kind(doc: RawDocument, classes: list[DrugClass]) -> ChapterKind:
    """What the chapter is, in this order: a ``book-app`` or the ``toc`` page is front matter; a
    ``Phenotypes_*`` chapter a phenotype; one with product information a drug (herbal when its classes
    are herbal); one with neither an overview nor a PubMed excerpt front matter (severity grading, RUCAM,
    causality, ...); one that links other chapters outside its "Drug Class:" line a class overview; any
    other (a single agent without product information, e.g. benzbromarone) a drug or herbal."""
    if doc.part_type in ("appendix", "toc"):
        return ChapterKind.FRONT_MATTER
    if phenotype.is_phenotype(doc):
        return ChapterKind.PHENOTYPE
    tops = [top_kind(s.title) for s in doc.sections]
    herbal = any(
        c.chapter_id == "HerbalDietarySuppl" or "herbal" in c.name.lower() or "dietary supplement" in c.name.lower()
        for c in classes
    )
    if "product" in tops:
        return ChapterKind.HERBAL if herbal else ChapterKind.DRUG
    paras = [*doc.intro_paras, *(p for s in doc.all_sections() for p in s.paras)]
    excerpt = any(s.sec_type == "pubmed-excerpt" for s in doc.all_sections()) or any(
        p.content_type == "pubmed-excerpt" for p in paras
    )
    if "overview" not in tops and not excerpt:
        return ChapterKind.FRONT_MATTER
    if any(p.links for p in paras if not p.text.lower().startswith("drug class")) or any(
        t.links for s in doc.all_sections() for t in s.tables
    ):
        return ChapterKind.CLASS_OVERVIEW
    return ChapterKind.HERBAL if herbal else ChapterKind.DRUG


def _classes(doc: RawDocument) -> list[DrugClass]:
    """Classes from "Drug Class:" paragraphs, linked to their overview chapter where the source links one."""
    out: list[DrugClass] = []
    seen: set[str] = set()
    for ctx in _paragraphs(doc):
        text = ctx.para.text
        if not text.lower().startswith("drug class"):
            continue
        body = text.split(":", 1)[1] if ":" in text else ""
        body = re.split(r"\bsee also\b", body, flags=re.I)[0]
        links = {norm(link.text): link.chapter_id for link in ctx.para.links}
        # Linked names first split off as whole names (they may contain commas), then the rest.
        rest = body
        names: list[tuple[int, str]] = []
        for text_of_link in sorted(links, key=len, reverse=True):
            pos = rest.find(text_of_link)
            if text_of_link and pos >= 0:
                names.append((pos, text_of_link))
                rest = rest[:pos] + "," * len(text_of_link) + rest[pos + len(text_of_link) :]
        offset = 0
        for piece in re.split(r"[,;]", rest):
            if piece.strip():
                names.append((offset + len(piece) - len(piece.lstrip()), piece.strip()))
            offset += len(piece) + 1
        for _, name in sorted(names):
            name = norm(name.strip(" ."))
            if name and name.lower() not in seen:
                seen.add(name.lower())
                out.append(DrugClass(name, links.get(name)))
    return out


def _product_information(b: _Builder, sec: Sec) -> None:
    state = ""
    for p in [q for s in sec.walk() for q in s.paras]:
        upper = p.text.upper()
        if upper.startswith("REPRESENTATIVE TRADE NAME"):
            state = "trade"
            continue
        if upper.startswith("DRUG CLASS") or upper.startswith("COMPLETE LABELING"):
            state = ""
            continue
        if state != "trade":
            continue
        m = re.match(r"^(?P<name>.+?)\s+[–—-]\s+(?P<trades>.+)$", p.text)
        if not m:
            continue
        target = b.resolve_name(m["name"])
        if target is None:
            for part in reversed([x for x in m["name"].split(",") if x.strip()]):
                target = b.resolve_name(part)
                if target:
                    break
        if target is None and len(b.agents) == 1:
            target = b.agents[0].name
        if target is None:
            b.findings.append(Finding(sec.title, f"trade names for {m['name']!r}, which names no agent"))
            continue
        agent = b.get(target)
        for trade in _trade_names(m["trades"]):
            if trade not in agent.trade_names:
                agent.trade_names.append(trade)


def _table_scores(b: _Builder, table: Table, where: str) -> list[tuple[str, lk.Score, str]]:
    """Scores given only in a table column (class overviews): (agent, score, row text)."""
    out: list[tuple[str, lk.Score, str]] = []
    score_col = None
    start = 0
    for i, row in enumerate(table.rows[:4]):
        for j, cell in enumerate(row):
            if re.search(r"likelihood\s*score", cell, re.I):
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
        if re.search(r"likelihood\s*score", cell, re.I):  # the head repeated for a second block
            continue
        score, _ = lk.read_code(cell)
        generic = row[0].split(" ")[0] if " " in row[0] else row[0]
        if score is None or norm(cell) != _score_text(score):
            b.findings.append(Finding(where, f"likelihood score {cell!r} of {generic} is not a valid code; not loaded"))
            continue
        name = b.resolve_name(generic) or b.add_agent(generic)
        trades = _trade_names(row[0][len(generic) :])
        agent = b.get(name)
        agent.trade_names.extend(t for t in trades if t not in agent.trade_names)
        out.append((name, score, " | ".join(row)))
    return out


def _score_text(score: lk.Score) -> str:
    if score.category == "NA":
        return "cannot be assessed"
    return score.category + (f"[{score.high_dose_marker}]" if score.high_dose_marker else "")


def _cases_in(sec: Sec) -> list[tuple[Sec, list[Sec]]]:
    """Each "Case N." section under ``sec`` with the sections that are its own: its subsections up to a
    case nested in it. A case printed inside another (a source error seen in phenotype chapters: "Case 3"
    among the subsections of "Case 2") owns the sections that follow it there."""
    out: list[tuple[Sec, list[Sec]]] = []

    def visit(node: Sec, owner: list[Sec] | None) -> None:
        for child in node.children:
            if _CASE_TITLE.match(child.title):
                owner = [child]
                out.append((child, owner))
                visit(child, owner)
            elif owner is not None:
                owner.append(child)
                visit(child, owner)
            else:
                visit(child, None)

    visit(sec, None)
    return out


def _case_reports(b: _Builder, sec: Sec) -> list[CaseReport]:
    out: list[CaseReport] = []
    for case, own in _cases_in(sec):
        m = _CASE_TITLE.match(case.title)
        assert m is not None
        points: dict[str, str] = {}
        for s in own:
            if not s.title.lower().startswith("key point"):
                continue
            for t in s.tables:
                for row in t.rows:
                    if len(row) >= 2 and row[0].strip().endswith(":"):
                        points[row[0].strip().rstrip(":").strip().lower()] = row[1].strip()
        pattern_text = points.get("pattern")
        r_match = _R_RATIO.search(pattern_text or "")
        severity = points.get("severity")
        sev_match = _SEVERITY.match(severity or "")
        narrative = "\n\n".join(p.text for s in own for p in s.paras)
        out.append(
            CaseReport(
                text=narrative,
                number=int(m[1]),
                title=m[2].strip(),
                medication=points.get("medication"),
                pattern_text=pattern_text,
                pattern=pattern_from_case_label(pattern_text) if pattern_text else None,
                r_ratio=float(r_match[1]) if r_match else None,
                severity_text=severity,
                severity_grade=int(sev_match[1]) if sev_match else None,
                latency=points.get("latency"),
                recovery=points.get("recovery"),
                other_medications=points.get("other medications"),
            )
        )
    return out


def _work(ref: RawRef) -> Work:
    if ref.structured:
        return Work(
            publication_type=ref.publication_type,
            pmid=ref.pmid,
            pmcid=ref.pmcid,
            doi=ref.doi,
            authors=ref.authors,
            title=ref.title,
            journal=ref.journal,
            year=ref.year,
            volume=ref.volume,
            issue=ref.issue,
            pages=ref.pages,
            citation_text=ref.text,
        )
    if ref.publication_type == "journal":
        parts = split_citation(ref.text)
        return Work(
            publication_type=ref.publication_type,
            pmid=ref.pmid,
            pmcid=ref.pmcid,
            doi=ref.doi,
            authors=parts.authors,
            title=parts.title,
            journal=parts.journal,
            year=parts.year,
            volume=parts.volume,
            issue=parts.issue,
            pages=parts.pages,
            citation_text=ref.text,
        )
    return Work(
        publication_type=ref.publication_type,
        pmid=ref.pmid,
        pmcid=ref.pmcid,
        doi=ref.doi,
        year=citation_year(ref.text),
        citation_text=ref.text,
    )


def interpret(doc: RawDocument) -> Chapter:
    b = _Builder(doc)
    b.findings.extend(Finding(where, what) for where, what in doc.problems)
    classes = _classes(doc)
    kind = _kind(doc, classes)
    tops = [(top_kind(s.title), s) for s in doc.sections]
    index = _section_index(doc)
    ctxs = list(_paragraphs(doc))
    if kind != ChapterKind.PHENOTYPE:
        _read_agents(b, tops)
    assessments = [] if kind == ChapterKind.PHENOTYPE else _assessments(b, kind, index, ctxs)
    cases = [case for t, sec in tops if t == "cases" for case in _case_reports(b, sec)]
    pattern: str | None = None
    causes: list[TypicalCause] = []
    evidence: list[PatternEvidence] = []
    if kind == ChapterKind.PHENOTYPE:
        pattern, causes = _typical_causes(b, cases)
    else:
        evidence = _text_evidence(b, index, ctxs)
        evidence.extend(_case_evidence(b, cases, len(evidence)))
    for covered in b.agents:
        covered.classes = list(classes)
    linked: list[str] = []
    if kind in (ChapterKind.CLASS_OVERVIEW, ChapterKind.PHENOTYPE):
        in_tables = (link for sec in doc.all_sections() for table in sec.tables for link in table.links)
        in_text = (link for ctx in ctxs for link in ctx.para.links)
        linked = [c for c in dict.fromkeys(link.chapter_id for link in (*in_text, *in_tables)) if c != doc.chapter_id]
    return Chapter(
        id=doc.chapter_id,
        title=doc.title,
        kind=kind,
        provenance=doc.provenance,
        updated=doc.updated,
        sections=_sections(b, doc, index),
        agents=b.agents if kind not in (ChapterKind.FRONT_MATTER, ChapterKind.PHENOTYPE) else [],
        assessments=assessments,
        evidence=evidence,
        case_reports=cases,
        references=_references(b, doc),
        classes=classes,
        linked_chapters=linked,
        findings=b.findings,
        typical_causes=causes,
        pattern=pattern,
        definition=phenotype.definition(doc.intro_paras) if kind == ChapterKind.PHENOTYPE else None,
        contents=_contents(doc),
    )


def _read_agents(b: _Builder, tops: list[tuple[str, Sec]]) -> None:
    """The chapter's agents: the chemical-structure table's rows, named by rule a, with their trade names."""
    for t, sec in tops:
        if t == "chemical":
            for s in sec.walk():
                for table in s.tables:
                    _chemical_agents(b, table, f"section {sec.title}")
    _name_agents(b, b.doc.title)
    for t, sec in tops:
        if t == "product":
            _product_information(b, sec)


def _assessments(
    b: _Builder, kind: ChapterKind, index: dict[int, tuple[str, int]], ctxs: list[_Ctx]
) -> list[LikelihoodAssessment]:
    """Likelihood statements in document order (rules b-d); a class overview's table column otherwise."""
    assessments: list[LikelihoodAssessment] = []

    def add(agents: list[str], score: lk.Score, scope: str | None, text: str, ctx: _Ctx | None) -> None:
        key, ordinal = _placed(index, ctx.path) if ctx is not None else (None, None)
        assessments.append(
            LikelihoodAssessment(
                ordinal=len(assessments) + 1,
                agents=tuple(dict.fromkeys(agents)),
                category=score.category,
                high_dose=score.high_dose_marker is not None,
                high_dose_marker=score.high_dose_marker,
                scope=scope,
                statement=text,
                section_key=key,
                section_ordinal=ordinal,
            )
        )

    heading_open = False
    for i, ctx in enumerate(ctxs):
        statements = lk.parse_paragraph(ctx.para.text)
        if not statements and heading_open:
            statements = lk.parse_items(ctx.para.text)
            if not statements:
                heading_open = False
        elif statements:
            heading_open = False
        for st in statements:
            if st.heading:
                heading_open = True
                continue
            if st.score is None:
                b.findings.append(
                    Finding(_where(ctx), f"likelihood statement with no readable score: {st.text[:80]!r}")
                )
                continue
            agents, scope = _statement_agents(b, st, ctx, ctxs[:i])
            add(agents, st.score, scope, st.text, ctx)
    if kind == ChapterKind.CLASS_OVERVIEW and not assessments:
        for sec in b.doc.all_sections():
            for table in sec.tables:
                for name, score, row_text in _table_scores(b, table, f"section {sec.title or 'body'}"):
                    add([name], score, None, row_text, None)
    return assessments


def _placed(index: dict[int, tuple[str, int]], path: tuple[Sec, ...]) -> tuple[str | None, int | None]:
    """(key, ordinal) of the innermost text section on ``path``."""
    for sec in reversed(path):
        if id(sec) in index:
            return index[id(sec)]
    return None, None


def _text_evidence(b: _Builder, index: dict[int, tuple[str, int]], ctxs: list[_Ctx]) -> list[PatternEvidence]:
    """Pattern evidence from the sentences of the hepatotoxicity sections (negated sentences left out)."""
    evidence: list[PatternEvidence] = []
    seen: set[tuple[str, str, str]] = set()
    finder = MentionFinder({a.name: [a.name, *a.alt_names] for a in b.agents})
    for i, ctx in enumerate(ctxs):
        key, ordinal = _placed(index, ctx.path)
        if key != "hepatotoxicity" or ordinal is None or lk.parse_paragraph(ctx.para.text):
            continue
        for sentence in sentences(ctx.para.text):
            found = patterns_in(sentence)
            if not found or is_negated(sentence):
                continue
            agents = finder.all(sentence) if len(b.agents) > 1 else []
            if not agents:
                agents = _context_agents(b, ctx, ctxs[:i], allow_mention=False)
            for agent in agents:
                for pattern in found:
                    if (agent, pattern, sentence) not in seen:
                        seen.add((agent, pattern, sentence))
                        evidence.append(
                            PatternEvidence(len(evidence) + 1, agent, pattern, sentence, key, ordinal, False)
                        )
    return evidence


def _case_evidence(b: _Builder, cases: list[CaseReport], start: int) -> list[PatternEvidence]:
    """Each case report's Key Points pattern, for the agents its medication names (else the chapter's)."""
    out: list[PatternEvidence] = []
    finder = MentionFinder({a.name: [a.name, *a.alt_names] for a in b.agents})
    for case in cases:
        if case.pattern is None or case.pattern_text is None:
            continue
        named = finder.all(case.medication or "") if len(b.agents) > 1 else []
        if named:
            agents = named
        elif len(b.agents) == 1:
            agents = [b.agents[0].name]
        else:
            agents = [b.title_agent or b.add_agent(b.subject_name())]
        for agent in agents:
            out.append(
                PatternEvidence(
                    start + len(out) + 1, agent, case.pattern, case.pattern_text, "case-report", case.number, True
                )
            )
    return out


def _typical_causes(b: _Builder, cases: list[CaseReport]) -> tuple[str | None, list[TypicalCause]]:
    """A phenotype chapter's pattern concept and the agents it names as typical causes (in its "Drugs."
    paragraph, then in the medication of a representative case report)."""
    doc = b.doc
    pattern = phenotype.pattern_of(doc.title)
    if pattern is None:
        if not phenotype.is_intro(doc):
            b.findings.append(
                Finding("title", f"phenotype {doc.title!r} names no concept of the injury-pattern scheme")
            )
        return None, []
    named = phenotype.typical_causes(doc.intro_paras)
    causes = [TypicalCause(n, c.name, pattern, c.sentence) for n, c in enumerate(named, 1)]
    finder = MentionFinder({c.name: [c.name] for c in named})
    for case in cases:
        for name in finder.all(case.medication or ""):
            text = case.pattern_text or case.medication or ""
            causes.append(TypicalCause(len(causes) + 1, name, case.pattern or pattern, text, case.number))
    return pattern, causes


def _references(b: _Builder, doc: RawDocument) -> list[ChapterReference]:
    references: list[ChapterReference] = []
    for sec in doc.sections:
        for s in sec.walk():
            for ref in s.refs:
                where = f"section {sec.title}, reference {len(references) + 1}"
                if not ref.text and ref.annotation:
                    ref = _citation_in_annotation(ref)
                    b.findings.append(Finding(where, "citation printed inside its annotation; read from there"))
                elif _cut_into_annotation(ref):
                    ref = _citation_in_annotation(ref, ref.text)
                    b.findings.append(
                        Finding(where, f"citation cut after {ref.text[:30]!r} and continued inside its annotation")
                    )
                references.append(ChapterReference(len(references) + 1, _work(ref), ref.annotation, sec.title))
    return references


def _sections(b: _Builder, doc: RawDocument, index: dict[int, tuple[str, int]]) -> list[Section]:
    sections: list[Section] = []
    if doc.intro_paras:
        sections.append(Section("overview", 1, doc.title, "\n\n".join(p.text for p in doc.intro_paras)))
    for sec in (s for top in doc.sections for s in top.walk()):
        if id(sec) in index:
            key, ordinal = index[id(sec)]
            if doc.intro_paras and key == "overview":
                ordinal += 1
            text = "\n\n".join(p.text for p in sec.paras)
            sections.append(Section(key, ordinal, sec.title, text, _section_agent(b, _path_to(doc, sec))))
    return sections


def _contents(doc: RawDocument) -> list[ContentsEntry]:
    """The table of contents, entries numbered in document order with the entry each is nested in."""
    out: list[ContentsEntry] = []

    def visit(entry: TocEntry, parent: int | None) -> None:
        out.append(ContentsEntry(len(out) + 1, entry.title, entry.chapter_id, entry.object_id, parent))
        here = len(out)
        for child in entry.children:
            visit(child, here)

    for entry in doc.toc:
        visit(entry, None)
    return out


_ANNOTATION_START = (re.compile(r"\s*PubMed Citation\s*(?=\()"), re.compile(r"(?<=\.)\s+(?=\()"))


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


def _path_to(doc: RawDocument, target: Sec) -> tuple[Sec, ...]:
    def find(sec: Sec, path: tuple[Sec, ...]) -> tuple[Sec, ...] | None:
        here = (*path, sec)
        if sec is target:
            return here
        for child in sec.children:
            found = find(child, here)
            if found:
                return found
        return None

    for sec in doc.sections:
        found = find(sec, ())
        if found:
            return found
    return ()


def _where(ctx: _Ctx) -> str:
    titles = [s.title for s in ctx.path if s.title]
    return "section " + " > ".join(titles) if titles else "body"
