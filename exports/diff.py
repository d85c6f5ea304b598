"""What changed between two LiverTox releases: two stores, two exports, or one of each.

Reported:

* chapters added, removed, and changed (with the number of statements added and removed, and whether the
  source file changed); a chapter's statements are those of its named graph, or, when one side is a
  Turtle or N-Triples export (the graphs merged), those about the chapter and its parts (sections,
  likelihood assessments, evidence, case reports, references). The provenance of the source file (its
  name, checksum and the loader version) is not counted as a change of statements: it is reported apart;
* for each chapter present in both whose statements changed, what changed in it
  (:mod:`livertox_kg.exports.chapter_changes`): likelihood assessments (category or high-dose flag changed,
  added, removed; matched by agents and scope), injury patterns, case reports, references (by PubMed id, or
  by the cited work when it has none) and identifiers (CAS numbers, PubChem substances, cross-references,
  the chapter's links).

Chapters whose graph checksums (listed by both dataset descriptions) are equal are not read at all.
``validate NEW --store S`` reports an entry's changes with the same code (:mod:`livertox_kg.validation.change`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from livertox_kg.exports.change_text import change_lines
from livertox_kg.exports.chapter_changes import (
    CaseReportChange,
    ChapterChanges,
    IdentifierChange,
    LikelihoodChange,
    PatternChange,
    ReferenceChange,
    compare_chapter,
)
from livertox_kg.exports.diff_read import Side, chapter_store, chapter_view, chapters, checksums, open_side
from livertox_kg.rdf import iris

__all__ = ["ChapterChange", "Diff", "Side", "compare", "open_side"]


@dataclass
class ChapterChange:
    chapter: str
    statements_added: int
    statements_removed: int
    source_changed: bool


@dataclass
class Diff:
    old: str
    new: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[ChapterChange] = field(default_factory=list)
    source_only: list[str] = field(default_factory=list)  # same statements, another source file
    unchanged: int = 0
    details: list[ChapterChanges] = field(default_factory=list)  # of the changed chapters that have any

    @property
    def likelihood(self) -> list[LikelihoodChange]:
        return [c for d in self.details for c in d.likelihood]

    @property
    def patterns(self) -> list[PatternChange]:
        return [c for d in self.details for c in d.patterns]

    @property
    def case_reports(self) -> list[CaseReportChange]:
        return [c for d in self.details for c in d.case_reports]

    @property
    def references(self) -> list[ReferenceChange]:
        return [d.references for d in self.details if d.references is not None]

    @property
    def identifiers(self) -> list[IdentifierChange]:
        return [c for d in self.details for c in d.identifiers]

    @property
    def differs(self) -> bool:
        return any((self.added, self.removed, self.changed, self.source_only, self.details))

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
            "patterns": [asdict(c) for c in self.patterns],
            "case_reports": [asdict(c) for c in self.case_reports],
            "references": [asdict(c) for c in self.references],
            "identifiers": [asdict(c) for c in self.identifiers],
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
        lines.append(
            f"likelihood: {len(self.likelihood)} assessment(s) changed, added or removed;"
            f" references: {len(self.references)} chapter(s) with references added or removed"
        )
        for d in self.details:
            lines.append(f"  {d.chapter}")
            lines.extend(f"    {line}" for line in change_lines(d))
        return "\n".join(lines) + "\n"


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
            details = compare_chapter(
                cid,
                new_ch[cid],
                chapter_store(old, old_ch[cid], cid, old.merged),
                chapter_store(new, new_ch[cid], cid, new.merged),
            )
            if details.differs:
                result.details.append(details)
        elif source_changed:
            result.source_only.append(cid)
        else:
            result.unchanged += 1
    return result
