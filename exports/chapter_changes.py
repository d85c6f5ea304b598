"""What changed in one chapter: likelihood scores, injury patterns, case reports, references, identifiers.

Both sides are chapter stores (:func:`livertox_kg.exports.diff_read.chapter_store`): what a store or an export
says about the chapter, or the graph an entry converts to. ``diff`` compares every chapter two releases
share this way; ``validate NEW --store S`` compares the store's chapter with the entry's
(:mod:`livertox_kg.validation.change`). Matching, so that renumbering is not a change:

* a likelihood assessment by its agents and scope (and its rank among those with the same ones);
* an injury pattern by agent and pattern (the pattern evidence the chapter gives: ``agent ltx:hasInjuryPattern``);
* a case report by its number; its Key Points field by field;
* a reference by its PubMed id, else by the cited work (a reference shown with its number on its side);
* an identifier by agent, kind and value: CAS numbers, registry texts, PubChem substances, DailyMed set ids,
  cross-references (the mapping graph's links), and the chapter's own links (DailyMed, ClinicalTrials.gov,
  PubMed searches); one value of a kind replaced by one other is reported as changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from livertox_kg.exports.diff_read import MATCH_PREDICATES
from livertox_kg.queries.results import plain
from livertox_kg.rdf.vocab import DCTERMS, FABIO, LTX, PUBCHEM_SUBSTANCE, RDFS

ADDED, REMOVED, CHANGED = "added", "removed", "changed"


def _select(store: ox.Store, query: str) -> Iterator[list[str]]:
    rows = store.query(query)
    assert isinstance(rows, ox.QuerySolutions)
    names = [v.value for v in rows.variables]
    for sol in rows:
        yield [plain(sol[v]) for v in names]


def _tail(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def agent_labels(store: ox.Store) -> dict[str, str]:
    """``{agent IRI: label}`` (the smallest label when there are several; the IRI's last part when none)."""
    out: dict[str, str] = {}
    for a, label in _select(store, f"SELECT ?a ?l WHERE {{ ?a a <{LTX.Agent}> OPTIONAL {{ ?a <{RDFS.label}> ?l }} }}"):
        out[a] = min(out.get(a, label or _tail(a)), label or _tail(a))
    return out


# -- what one chapter says ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Assessment:
    agents: tuple[str, ...]  # agent labels
    scope: str
    category: str
    high_dose: bool


def _category(iri: str) -> str:
    return iri.rsplit("/", 1)[-1].replace("-star", "*")


def assessments(store: ox.Store) -> dict[tuple[tuple[str, ...], str, int], Assessment]:
    """Keyed by (agent IRIs, scope, n-th such assessment in the chapter)."""
    rows: dict[str, dict[str, Any]] = {}
    for a, cat, hd, scope, agent, n in _select(
        store,
        f"SELECT ?a ?cat ?hd ?scope ?agent ?n WHERE {{ ?a a <{LTX.LikelihoodAssessment}> ;"
        f" <{LTX.category}> ?cat ; <{LTX.highDose}> ?hd ; <{LTX.ordinal}> ?n ."
        f" OPTIONAL {{ ?a <{LTX.scope}> ?scope }} OPTIONAL {{ ?a <{LTX.assessedAgent}> ?agent }} }}",
    ):
        row = rows.setdefault(a, {"cat": _category(cat), "hd": hd in ("true", "1"), "scope": scope, "n": int(n)})
        if agent:
            row.setdefault("agents", set()).add(agent)
    labels = agent_labels(store)
    out: dict[tuple[tuple[str, ...], str, int], Assessment] = {}
    seen: Counter[tuple[tuple[str, ...], str]] = Counter()
    for row in sorted(rows.values(), key=lambda r: r["n"]):
        agents = tuple(sorted(row.get("agents", ())))
        seen[(agents, row["scope"])] += 1
        names = tuple(labels.get(a, _tail(a)) for a in agents)
        out[(agents, row["scope"], seen[(agents, row["scope"])])] = Assessment(
            names, row["scope"], row["cat"], row["hd"]
        )
    return out


def references(store: ox.Store) -> dict[str, tuple[str, int]]:
    """``{key: (label, reference number)}``; the key is ``PMID n`` or the cited work's IRI."""
    out: dict[str, tuple[str, int]] = {}
    for work, n, pmid, citation in _select(
        store,
        f"SELECT ?w ?n ?pmid ?cit WHERE {{ ?r a <{LTX.ChapterReference}> ; <{LTX.citedWork}> ?w ; <{LTX.ordinal}> ?n"
        f" OPTIONAL {{ ?w <{FABIO.hasPubMedId}> ?pmid }} OPTIONAL {{ ?w <{DCTERMS.bibliographicCitation}> ?cit }} }}",
    ):
        key = f"PMID {pmid}" if pmid else work
        label = key if pmid else (citation[:80] + ("…" if len(citation) > 80 else "") if citation else work)
        old = out.get(key)
        out[key] = min(old, (label, int(n))) if old else (label, int(n))
    return out


def patterns(store: ox.Store) -> dict[tuple[str, str], int]:
    """``{(agent label, pattern key): number of evidence sentences}``."""
    labels = agent_labels(store)
    out: Counter[tuple[str, str]] = Counter()
    for agent, pattern in _select(
        store,
        f"SELECT ?a ?p WHERE {{ ?e a <{LTX.PatternEvidence}> ; <{LTX.evidenceAgent}> ?a ; <{LTX.injuryPattern}> ?p }}",
    ):
        out[(labels.get(agent, _tail(agent)), _tail(pattern))] += 1
    return dict(out)


CASE_FIELDS = {
    "title": DCTERMS.title,
    "medication": LTX.medication,
    "pattern": LTX.injuryPattern,
    "pattern text": LTX.patternText,
    "R ratio": LTX.rRatio,
    "severity": LTX.severityText,
    "severity grade": LTX.severityGrade,
    "latency": LTX.latency,
    "recovery": LTX.recovery,
    "other medications": LTX.otherMedications,
    "text": LTX.text,
}
"""A case report's fields, compared one by one (``text``: the case as printed, shown only as changed)."""


def case_reports(store: ox.Store) -> dict[int, dict[str, str]]:
    """``{case number: {field: value}}`` (a pattern as its key, ``cholestatic``)."""
    names = {p: name for name, p in CASE_FIELDS.items()}
    values = " ".join(f"<{p}>" for p in CASE_FIELDS.values())
    out: dict[int, dict[str, str]] = {}
    for _k, n, p, v in _select(
        store,
        f"SELECT ?k ?n ?p ?v WHERE {{ ?k a <{LTX.CaseReport}> ; <{LTX.caseNumber}> ?n"
        f" OPTIONAL {{ ?k ?p ?v VALUES ?p {{ {values} }} }} }}",
    ):
        fields = out.setdefault(int(n), {})
        if p:
            fields[names[p]] = _tail(v) if p == LTX.injuryPattern else v
    return out


IDENTIFIER_KINDS = {
    LTX.casRegistryNumber: "CAS number",
    LTX.registryNumberText: "registry text",
    LTX.pubchemSubstance: "PubChem substance",
    LTX.dailyMedSetId: "DailyMed set id",
    **{p: "cross-reference" for p in MATCH_PREDICATES},
}
CHAPTER_LINKS = {
    LTX.dailyMedSearch: "DailyMed search",
    LTX.clinicalTrialsSearch: "ClinicalTrials.gov search",
    LTX.pubMedSearch: "PubMed search",
    RDFS.seeAlso: "link",
}


def identifiers(store: ox.Store, chapter_iri: str) -> set[tuple[str, str, str]]:
    """``{(owner, kind, value)}``: the owner is an agent's label, or ``""`` for the chapter's own links."""
    labels = agent_labels(store)
    out: set[tuple[str, str, str]] = set()
    agent_props = " ".join(f"<{p}>" for p in IDENTIFIER_KINDS)
    for a, p, v in _select(
        store, f"SELECT ?a ?p ?v WHERE {{ ?a a <{LTX.Agent}> ; ?p ?v VALUES ?p {{ {agent_props} }} }}"
    ):
        value = v.removeprefix(PUBCHEM_SUBSTANCE) if p == LTX.pubchemSubstance else v
        out.add((labels.get(a, _tail(a)), IDENTIFIER_KINDS[p], value))
    links = " ".join(f"<{p}>" for p in CHAPTER_LINKS)
    for p, v in _select(store, f"SELECT ?p ?v WHERE {{ <{chapter_iri}> ?p ?v VALUES ?p {{ {links} }} }}"):
        out.add(("", CHAPTER_LINKS[p], v))
    return out


# -- the comparison ----------------------------------------------------------------------------------------


@dataclass
class LikelihoodChange:
    chapter: str
    agents: list[str]
    scope: str
    change: str  # "changed", "added", "removed"
    old_category: str | None
    new_category: str | None
    old_high_dose: bool | None
    new_high_dose: bool | None


@dataclass
class ReferenceChange:
    chapter: str
    added: list[str]
    removed: list[str]
    numbers: dict[str, int] = field(default_factory=dict)  # label -> reference number (its side's)


@dataclass
class PatternChange:
    chapter: str
    agent: str
    pattern: str
    change: str  # "added", "removed"
    evidence: int  # sentences giving it (on the side that has it)


@dataclass
class CaseReportChange:
    chapter: str
    number: int
    change: str  # "changed", "added", "removed"
    title: str
    fields: dict[str, list[str | None]] = field(default_factory=dict)  # field -> [old, new] (changed only)


@dataclass
class IdentifierChange:
    chapter: str
    agent: str  # "" for the chapter's own links
    kind: str
    change: str  # "changed", "added", "removed"
    old: str | None
    new: str | None


@dataclass
class ChapterChanges:
    """Every change of one chapter, in the order a reader goes through them."""

    chapter: str
    likelihood: list[LikelihoodChange] = field(default_factory=list)
    patterns: list[PatternChange] = field(default_factory=list)
    case_reports: list[CaseReportChange] = field(default_factory=list)
    references: ReferenceChange | None = None
    identifiers: list[IdentifierChange] = field(default_factory=list)

    @property
    def differs(self) -> bool:
        return bool(self.likelihood or self.patterns or self.case_reports or self.references or self.identifiers)


def compare_chapter(chapter_id: str, chapter_iri: str, old: ox.Store, new: ox.Store) -> ChapterChanges:
    """The changes from ``old`` to ``new`` (two chapter stores of the chapter ``chapter_id``)."""
    return ChapterChanges(
        chapter_id,
        _likelihood(chapter_id, assessments(old), assessments(new)),
        _patterns(chapter_id, patterns(old), patterns(new)),
        _cases(chapter_id, case_reports(old), case_reports(new)),
        _references(chapter_id, references(old), references(new)),
        _identifiers(chapter_id, identifiers(old, chapter_iri), identifiers(new, chapter_iri)),
    )


def _likelihood(cid: str, old: dict[Any, Assessment], new: dict[Any, Assessment]) -> list[LikelihoodChange]:
    out = []
    for key in sorted(set(old) | set(new)):
        x, y = old.get(key), new.get(key)
        if x and y and (x.category, x.high_dose) == (y.category, y.high_dose):
            continue
        ref = y or x
        assert ref is not None
        change = CHANGED if x and y else ADDED if y else REMOVED
        out.append(
            LikelihoodChange(
                cid,
                list(ref.agents),
                ref.scope,
                change,
                x.category if x else None,
                y.category if y else None,
                x.high_dose if x else None,
                y.high_dose if y else None,
            )
        )
    return out


def _patterns(cid: str, old: dict[tuple[str, str], int], new: dict[tuple[str, str], int]) -> list[PatternChange]:
    gone = [PatternChange(cid, a, p, REMOVED, old[(a, p)]) for a, p in sorted(set(old) - set(new))]
    return [PatternChange(cid, a, p, ADDED, new[(a, p)]) for a, p in sorted(set(new) - set(old))] + gone


def _cases(cid: str, old: dict[int, dict[str, str]], new: dict[int, dict[str, str]]) -> list[CaseReportChange]:
    out = []
    for n in sorted(set(old) | set(new)):
        x, y = old.get(n), new.get(n)
        if x is None or y is None:
            out.append(CaseReportChange(cid, n, ADDED if x is None else REMOVED, (y or x or {}).get("title", "")))
            continue
        fields: dict[str, list[str | None]] = {f: [x.get(f), y.get(f)] for f in CASE_FIELDS if x.get(f) != y.get(f)}
        if fields:
            out.append(CaseReportChange(cid, n, CHANGED, y.get("title", ""), fields))
    return out


def _references(cid: str, old: dict[str, tuple[str, int]], new: dict[str, tuple[str, int]]) -> ReferenceChange | None:
    plus = sorted(new[k][0] for k in set(new) - set(old))
    minus = sorted(old[k][0] for k in set(old) - set(new))
    if not plus and not minus:
        return None
    numbers = {new[k][0]: new[k][1] for k in set(new) - set(old)} | {old[k][0]: old[k][1] for k in set(old) - set(new)}
    return ReferenceChange(cid, plus, minus, dict(sorted(numbers.items())))


def _identifiers(cid: str, old: set[tuple[str, str, str]], new: set[tuple[str, str, str]]) -> list[IdentifierChange]:
    gone: dict[tuple[str, str], list[str]] = {}
    came: dict[tuple[str, str], list[str]] = {}
    for owner, kind, value in sorted(old - new):
        gone.setdefault((owner, kind), []).append(value)
    for owner, kind, value in sorted(new - old):
        came.setdefault((owner, kind), []).append(value)
    out = []
    for owner, kind in sorted(set(gone) | set(came)):
        minus, plus = gone.get((owner, kind), []), came.get((owner, kind), [])
        if len(minus) == 1 and len(plus) == 1:
            out.append(IdentifierChange(cid, owner, kind, CHANGED, minus[0], plus[0]))
            continue
        out.extend(IdentifierChange(cid, owner, kind, ADDED, None, v) for v in plus)
        out.extend(IdentifierChange(cid, owner, kind, REMOVED, v, None) for v in minus)
    return out
