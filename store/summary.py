"""What a store holds, counted by SPARQL: the summary ``build`` ends with and ``stats`` prints.

A build has just counted most of it for the dataset description (instances per class over every graph but the
description, and each graph's triples): it passes those counts (:class:`Known`) and only the rest is asked of
the store, which saves most of a second on the scale store. ``tests/cli/test_summary.py`` requires the
summary a build prints to be the one ``stats`` counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox

from livertox_kg.rdf.chapter import KIND_CLASS
from livertox_kg.rdf.vocab import LTX, PREFIXES

_PREFIXES = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("ltx", "skos", "fabio"))

_KINDS = {cls.rsplit("#", 1)[1]: kind.value for kind, cls in KIND_CLASS.items()}


@dataclass(frozen=True)
class Known:
    """Counts a build made already, over every graph of the store but the dataset description (which types
    none of the classes counted here): distinct instances per class IRI, and the store's triples."""

    by_class: Mapping[str, int]
    triples: int


@dataclass
class Summary:
    chapters_by_kind: dict[str, int] = field(default_factory=dict)
    agents: int = 0
    assessments_by_category: dict[str, int] = field(default_factory=dict)
    agent_patterns: int = 0  # distinct (agent, pattern) links
    patterns_used: int = 0  # distinct pattern concepts linked
    evidence: int = 0
    case_reports: int = 0
    chapter_references: int = 0
    pubmed_articles: int = 0
    other_works: int = 0
    triples: int = 0

    @property
    def chapters(self) -> int:
        return sum(self.chapters_by_kind.values())

    def lines(self, seconds: float | None = None) -> list[str]:
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(self.chapters_by_kind.items())) or "none"
        order = ["A", "B", "C", "D", "E", "E*", "X", "NA"]
        cats = ", ".join(f"{k} {self.assessments_by_category[k]}" for k in order if k in self.assessments_by_category)
        out = [
            f"chapters      {self.chapters} ({kinds})",
            f"agents        {self.agents}",
            f"likelihood    {sum(self.assessments_by_category.values())} assessments ({cats or 'none'})",
            f"patterns      {self.agent_patterns} agent-pattern links over {self.patterns_used} patterns,"
            f" {self.evidence} evidence sentences",
            f"case reports  {self.case_reports}",
            f"references    {self.chapter_references} chapter references to {self.pubmed_articles} PubMed"
            f" articles and {self.other_works} other works",
            f"triples       {self.triples}",
        ]
        if seconds is not None:
            out.append(f"seconds       {seconds:.2f}")
        return out


def _count(store: ox.Store, where: str, var: str = "x") -> int:
    q = f"{_PREFIXES} SELECT (COUNT(DISTINCT ?{var}) AS ?n) WHERE {{ GRAPH ?g {{ {where} }} }}"
    for sol in store.query(q):  # type: ignore[union-attr]
        return int(sol["n"].value)
    return 0


def summarize(store: ox.Store, known: Known | None = None) -> Summary:
    """The summary of ``store``; with ``known``, the class counts and triples are taken from it."""
    s = Summary()
    if known is None:
        _count_classes(store, s)
        s.triples = len(store)
    else:
        for kind, cls in KIND_CLASS.items():
            if known.by_class.get(cls):
                s.chapters_by_kind[kind.value] = known.by_class[cls]
        s.agents = known.by_class.get(LTX.Agent, 0)
        s.evidence = known.by_class.get(LTX.PatternEvidence, 0)
        s.case_reports = known.by_class.get(LTX.CaseReport, 0)
        s.chapter_references = known.by_class.get(LTX.ChapterReference, 0)
        s.triples = known.triples
    for sol in store.query(  # type: ignore[union-attr]
        f"{_PREFIXES} SELECT ?code (COUNT(DISTINCT ?a) AS ?n) WHERE {{ GRAPH ?g {{ ?a a ltx:LikelihoodAssessment ;"
        " ltx:category ?c } GRAPH ?v { ?c skos:notation ?code } } GROUP BY ?code"
    ):
        s.assessments_by_category[sol["code"].value] = int(sol["n"].value)
    for sol in store.query(  # type: ignore[union-attr]
        f"{_PREFIXES} SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?p) AS ?m) WHERE {{ {{ SELECT DISTINCT ?a ?p "
        "WHERE { GRAPH ?g { ?a ltx:hasInjuryPattern ?p } } } }"
    ):
        s.agent_patterns, s.patterns_used = int(sol["n"].value), int(sol["m"].value)
    s.pubmed_articles = _count(store, "?x fabio:hasPubMedId ?id")
    # Works cited where the citing graph gives no PubMed id. MINUS, not FILTER NOT EXISTS: the same rows (?x is
    # bound on both sides), but Oxigraph evaluates it as one anti-join instead of once per reference (5x faster).
    s.other_works = _count(store, "?r ltx:citedWork ?x MINUS { ?x fabio:hasPubMedId ?id }")
    return s


def _count_classes(store: ox.Store, s: Summary) -> None:
    """The counts a build passes as :class:`Known`, counted."""
    for sol in store.query(  # type: ignore[union-attr]
        f"{_PREFIXES} SELECT ?k (COUNT(DISTINCT ?c) AS ?n) WHERE {{ GRAPH ?g {{ ?c a ltx:Chapter, ?k }} "
        "FILTER(?k != ltx:Chapter) } GROUP BY ?k"
    ):
        local = sol["k"].value.rsplit("#", 1)[-1]
        if local in _KINDS:
            s.chapters_by_kind[_KINDS[local]] = int(sol["n"].value)
    s.agents = _count(store, "?x a ltx:Agent")
    s.evidence = _count(store, "?x a ltx:PatternEvidence")
    s.case_reports = _count(store, "?x a ltx:CaseReport")
    s.chapter_references = _count(store, "?x a ltx:ChapterReference")
