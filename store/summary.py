"""What a store holds, counted by SPARQL: the summary ``build`` ends with and ``stats`` prints."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from livertox_kg.rdf.chapter import KIND_CLASS
from livertox_kg.rdf.vocab import PREFIXES

_PREFIXES = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("ltx", "skos", "fabio"))

_KINDS = {cls.rsplit("#", 1)[1]: kind.value for kind, cls in KIND_CLASS.items()}


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


def summarize(store: ox.Store) -> Summary:
    s = Summary()
    for sol in store.query(  # type: ignore[union-attr]
        f"{_PREFIXES} SELECT ?k (COUNT(DISTINCT ?c) AS ?n) WHERE {{ GRAPH ?g {{ ?c a ltx:Chapter, ?k }} "
        "FILTER(?k != ltx:Chapter) } GROUP BY ?k"
    ):
        local = sol["k"].value.rsplit("#", 1)[-1]
        if local in _KINDS:
            s.chapters_by_kind[_KINDS[local]] = int(sol["n"].value)
    s.agents = _count(store, "?x a ltx:Agent")
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
    s.evidence = _count(store, "?x a ltx:PatternEvidence")
    s.case_reports = _count(store, "?x a ltx:CaseReport")
    s.chapter_references = _count(store, "?x a ltx:ChapterReference")
    s.pubmed_articles = _count(store, "?x fabio:hasPubMedId ?id")
    s.other_works = _count(store, "?r ltx:citedWork ?x FILTER NOT EXISTS { ?x fabio:hasPubMedId ?id }")
    s.triples = len(store)
    return s
