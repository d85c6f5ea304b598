"""What changed between two LiverTox releases: two stores, two exports, or one of each.

Reported:

* chapters added, removed, and changed (with the number of statements added and removed, and whether the
  source file changed); a chapter's statements are those of its named graph, or, when one side is a
  Turtle or N-Triples export (the graphs merged), those about the chapter and its parts (sections,
  likelihood assessments, evidence, case reports, references). The provenance of the source file (its
  name, checksum and the loader version) is not counted as a change of statements: it is reported apart;
* likelihood assessments whose category or high-dose flag changed, and assessments added or removed in
  chapters present in both; an assessment is matched by its chapter, its agents and its scope;
* references added or removed, per chapter, by PubMed id (or by the cited work when it has none).

Chapters whose graph checksums (listed by both dataset descriptions) are equal are not read at all.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from livertox_kg.errors import UsageError
from livertox_kg.exports.formats import RDF_FORMATS, SUFFIXES, TRIPLE_FORMATS, format_of
from livertox_kg.queries.results import plain
from livertox_kg.rdf import iris, vocab
from livertox_kg.rdf.terms import split_statement
from livertox_kg.rdf.vocab import DCTERMS, FABIO, ID, LTX, PROV, RDFS
from livertox_kg.store import generations as store_mod

_PROVENANCE = {f"<{PROV.wasDerivedFrom}>", f"<{LTX.loaderVersion}>"}
_SOURCE_PREFIX = f"<{ID}source/"


@dataclass
class Side:
    label: str
    store: ox.Store
    merged: bool  # a Turtle / N-Triples export: no named graphs

    def select(self, query: str) -> Iterator[list[str]]:
        rows = self.store.query(query, use_default_graph_as_union=True)
        assert isinstance(rows, ox.QuerySolutions)
        names = [v.value for v in rows.variables]
        for sol in rows:
            yield [plain(sol[v]) for v in names]


def open_side(path: Path) -> Side:
    """A store folder, or an export file (format by suffix: .nq .trig .jsonld .ttl .nt)."""
    if path.is_dir():
        return Side(str(path), store_mod.open_read_only(path), merged=False)
    fmt = format_of(path)
    if not path.exists():
        raise UsageError(f"{path}: no such store folder or export file")
    if fmt is None:
        raise UsageError(f"{path}: not a store folder, nor an export ({', '.join(SUFFIXES)})")
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=RDF_FORMATS[fmt])
    except (SyntaxError, ValueError, OSError) as exc:
        raise UsageError(f"{path}: cannot read as {fmt}: {exc}") from None
    return Side(str(path), store, merged=fmt in TRIPLE_FORMATS)


# --------------------------------------------------------------------------------------------------
# what each side says


def chapters(side: Side) -> dict[str, str]:
    """``{chapter id: chapter IRI}``."""
    return dict(
        (cid, c) for c, cid in side.select(f"SELECT ?c ?id WHERE {{ ?c a <{LTX.Chapter}> ; <{LTX.chapterId}> ?id }}")
    )


def checksums(side: Side) -> dict[str, str]:
    """``{graph IRI: checksum}`` from the side's dataset description."""
    return dict(
        side.select(f"SELECT ?g ?sum WHERE {{ ?g <{vocab.SPDX.checksum}> ?k . ?k <{vocab.SPDX.checksumValue}> ?sum }}")
    )


def _statements(store: ox.Store, subject: ox.NamedNode | None, graph: ox.NamedNode | None) -> Iterator[str]:
    for q in store.quads_for_pattern(subject, None, None, graph):
        yield str(q.triple)  # the N-Triples statement, as the exports write it (pyoxigraph's text)


def chapter_view(side: Side, chapter_iri: str, chapter_id: str, merged: bool) -> tuple[set[str], set[str]]:
    """(statements, provenance statements) of a chapter."""
    if merged:
        nodes = [chapter_iri] + [
            x for (x,) in side.select(f"SELECT DISTINCT ?x WHERE {{ ?x <{LTX.inChapter}> <{chapter_iri}> }}")
        ]
        lines = {line for n in nodes for line in _statements(side.store, ox.NamedNode(n), None)}
    else:
        lines = set(_statements(side.store, None, ox.NamedNode(iris.graph(chapter_id))))
    prov = {
        line
        for line in lines
        if line.startswith(_SOURCE_PREFIX)
        or (line.startswith(f"<{chapter_iri}> ") and split_statement(line)[1] in _PROVENANCE)
    }
    return lines - prov, prov


@dataclass(frozen=True)
class Assessment:
    chapter: str
    agents: tuple[str, ...]  # agent labels
    scope: str
    category: str
    high_dose: bool


def _category(iri: str) -> str:
    return iri.rsplit("/", 1)[-1].replace("-star", "*")


def assessments(side: Side) -> dict[tuple[str, tuple[str, ...], str, int], Assessment]:
    """Keyed by (chapter, agent IRIs, scope, n-th such assessment in the chapter)."""
    rows: dict[str, dict[str, Any]] = {}
    for a, cid, cat, hd, scope, agent, label, n in side.select(
        f"SELECT ?a ?id ?cat ?hd ?scope ?agent ?label ?n WHERE {{ ?a a <{LTX.LikelihoodAssessment}> ;"
        f" <{LTX.inChapter}> ?c ; <{LTX.category}> ?cat ; <{LTX.highDose}> ?hd ; <{LTX.ordinal}> ?n ."
        f" ?c <{LTX.chapterId}> ?id . OPTIONAL {{ ?a <{LTX.scope}> ?scope }}"
        f" OPTIONAL {{ ?a <{LTX.assessedAgent}> ?agent OPTIONAL {{ ?agent <{RDFS.label}> ?label }} }} }}"
    ):
        row = rows.setdefault(
            a, {"chapter": cid, "category": _category(cat), "hd": hd in ("true", "1"), "scope": scope, "n": int(n)}
        )
        if agent:
            labels = row.setdefault("agents", {})
            labels[agent] = min(labels.get(agent, label), label) if label else labels.get(agent, agent)
    out: dict[tuple[str, tuple[str, ...], str, int], Assessment] = {}
    seen: Counter[tuple[str, tuple[str, ...], str]] = Counter()
    for row in sorted(rows.values(), key=lambda r: (r["chapter"], r["n"])):
        agents = row.get("agents", {})
        key = (row["chapter"], tuple(sorted(agents)), row["scope"])
        seen[key] += 1
        labels = tuple(agents[a] for a in sorted(agents))
        out[(*key, seen[key])] = Assessment(row["chapter"], labels, row["scope"], row["category"], row["hd"])
    return out


def references(side: Side) -> dict[str, dict[str, str]]:
    """``{chapter id: {key: label}}``; the key is ``PMID n`` or the cited work's IRI."""
    out: dict[str, dict[str, str]] = {}
    for cid, work, pmid, citation in side.select(
        f"SELECT DISTINCT ?id ?w ?pmid ?cit WHERE {{ ?c <{LTX.chapterId}> ?id ; <{LTX.hasReference}> ?r ."
        f" ?r <{LTX.citedWork}> ?w . OPTIONAL {{ ?w <{FABIO.hasPubMedId}> ?pmid }}"
        f" OPTIONAL {{ ?w <{DCTERMS.bibliographicCitation}> ?cit }} }}"
    ):
        key = f"PMID {pmid}" if pmid else work
        label = key if pmid else (citation[:80] + ("…" if len(citation) > 80 else "") if citation else work)
        refs = out.setdefault(cid, {})
        refs[key] = min(refs.get(key, label), label)
    return out


# --------------------------------------------------------------------------------------------------
# the comparison


@dataclass
class ChapterChange:
    chapter: str
    statements_added: int
    statements_removed: int
    source_changed: bool


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


@dataclass
class Diff:
    old: str
    new: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[ChapterChange] = field(default_factory=list)
    source_only: list[str] = field(default_factory=list)  # same statements, another source file
    unchanged: int = 0
    likelihood: list[LikelihoodChange] = field(default_factory=list)
    references: list[ReferenceChange] = field(default_factory=list)

    @property
    def differs(self) -> bool:
        return any((self.added, self.removed, self.changed, self.source_only, self.likelihood, self.references))

    def to_json(self) -> str:
        doc = {
            "old": self.old,
            "new": self.new,
            "chapters": {
                "added": self.added,
                "removed": self.removed,
                "changed": [asdict(c) for c in self.changed],
                "source_changed_only": self.source_only,
                "unchanged": self.unchanged,
            },
            "likelihood": [asdict(c) for c in self.likelihood],
            "references": [asdict(c) for c in self.references],
        }
        return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"

    def report(self) -> str:
        lines = [
            f"old  {self.old}",
            f"new  {self.new}",
            "",
            f"chapters: {len(self.added)} added, {len(self.removed)} removed, {len(self.changed)} changed,"
            f" {len(self.source_only)} with only a new source file, {self.unchanged} unchanged",
        ]
        if self.added:
            lines.append(f"  added    {', '.join(self.added)}")
        if self.removed:
            lines.append(f"  removed  {', '.join(self.removed)}")
        for c in self.changed:
            note = "; new source file" if c.source_changed else ""
            lines.append(f"  changed  {c.chapter} (+{c.statements_added} -{c.statements_removed} statements{note})")
        if self.source_only:
            lines.append(f"  new source file, same statements: {', '.join(self.source_only)}")
        lines.append("")
        lines.append(f"likelihood: {len(self.likelihood)} assessment(s) changed, added or removed")
        for lc in self.likelihood:
            who = ", ".join(lc.agents) + (f" ({lc.scope})" if lc.scope else "")
            old = _grade(lc.old_category, lc.old_high_dose)
            new = _grade(lc.new_category, lc.new_high_dose)
            lines.append(f"  {lc.chapter}: {who}: {old} -> {new}")
        lines.append("")
        lines.append(f"references: {len(self.references)} chapter(s) with references added or removed")
        for rc in self.references:
            lines.append(f"  {rc.chapter}: +{len(rc.added)} -{len(rc.removed)}")
            lines.extend(f"    + {r}" for r in rc.added)
            lines.extend(f"    - {r}" for r in rc.removed)
        return "\n".join(lines) + "\n"


def _grade(category: str | None, high_dose: bool | None) -> str:
    if category is None:
        return "(none)"
    return category + ("[HD]" if high_dose else "")


def compare(old: Side, new: Side) -> Diff:
    result = Diff(old.label, new.label)
    old_ch, new_ch = chapters(old), chapters(new)
    result.added = sorted(set(new_ch) - set(old_ch))
    result.removed = sorted(set(old_ch) - set(new_ch))
    old_sums, new_sums = checksums(old), checksums(new)
    merged = old.merged or new.merged
    for cid in sorted(set(old_ch) & set(new_ch)):
        graph = iris.graph(cid)
        if graph in old_sums and old_sums.get(graph) == new_sums.get(graph):
            result.unchanged += 1
            continue
        a, a_prov = chapter_view(old, old_ch[cid], cid, merged)
        b, b_prov = chapter_view(new, new_ch[cid], cid, merged)
        source_changed = a_prov != b_prov
        if a != b:
            result.changed.append(ChapterChange(cid, len(b - a), len(a - b), source_changed))
        elif source_changed:
            result.source_only.append(cid)
        else:
            result.unchanged += 1
    both = set(old_ch) & set(new_ch)
    old_a = {k: v for k, v in assessments(old).items() if k[0] in both}
    new_a = {k: v for k, v in assessments(new).items() if k[0] in both}
    for key in sorted(set(old_a) | set(new_a)):
        x, y = old_a.get(key), new_a.get(key)
        if x and y and (x.category, x.high_dose) == (y.category, y.high_dose):
            continue
        ref = y or x
        assert ref is not None
        result.likelihood.append(
            LikelihoodChange(
                ref.chapter,
                list(ref.agents),
                ref.scope,
                "changed" if x and y else "added" if y else "removed",
                x.category if x else None,
                y.category if y else None,
                x.high_dose if x else None,
                y.high_dose if y else None,
            )
        )
    old_r, new_r = references(old), references(new)
    for cid in sorted(both):
        a_refs, b_refs = old_r.get(cid, {}), new_r.get(cid, {})
        plus = sorted(b_refs[k] for k in set(b_refs) - set(a_refs))
        minus = sorted(a_refs[k] for k in set(a_refs) - set(b_refs))
        if plus or minus:
            result.references.append(ReferenceChange(cid, plus, minus))
    return result
