"""What an entry would change in the graph, shown like a pull request (``validate NEW --store S``).

For every chapter file given, the chapter graph it converts to is compared with the chapter graph the store
holds under the same id, with the code ``diff`` compares two releases with
(:func:`livertox_kg.exports.chapter_changes.compare_chapter`): likelihood scores, injury patterns, case
reports, references and identifiers (CAS numbers, PubChem substances, cross-references from the shipped
mapping table, the chapter's links) added, removed or changed. ``build`` of the entry then makes exactly
that change (``tests/validation/test_change.py`` builds it and compares). A chapter the store does not hold
is a new chapter, reported with what it brings; a chapter whose statements are those the store holds is no
change (perhaps from another source file). Turtle or JSON-LD entries add statements and replace no chapter:
they are not reported here.

:func:`to_data` gives the report as plain data (lists, dicts, strings, numbers) for the JSON report and
for any other rendering (an HTML page); :func:`to_text` as the text block ``validate`` prints.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from livertox_kg.exports import chapter_changes as cc
from livertox_kg.exports.change_text import change_lines
from livertox_kg.exports.diff_read import MATCH_PREDICATES, Side, chapter_store, chapter_view, split_provenance
from livertox_kg.mappings import graph as mapping_graph
from livertox_kg.mappings import table
from livertox_kg.rdf import iris
from livertox_kg.rdf.terms import split_statement
from livertox_kg.rdf.vocab import LTX
from livertox_kg.store import generations as store_mod
from livertox_kg.validation.entries import EntryData

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"


@dataclass
class EntryChange:
    """What one chapter entry changes: its status, statement counts, and the changes in detail."""

    entry: str  # the entry as the user gave it
    chapter: str
    status: str  # NEW, CHANGED or UNCHANGED
    statements_added: int
    statements_removed: int
    source_changed: bool  # another source file (name, checksum) than the store's chapter came from
    counts: dict[str, int] = field(default_factory=dict)  # a new chapter: what it brings
    changes: cc.ChapterChanges | None = None  # a changed chapter


def _entry_store(entry: EntryData, links: list[str]) -> tuple[ox.Store, set[str]]:
    """The entry's chapter graph as a chapter store (with its agents' cross-references), and its statements
    as pyoxigraph prints them (the form the store's are compared in)."""
    store = ox.Store()
    store.bulk_load(input="".join(f"{s} .\n" for s in entry.statements).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    lines = {str(q.triple) for q in store}
    if links:
        store.bulk_load(input="".join(f"{s} .\n" for s in links).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store, lines


def _cross_references(entries: Sequence[EntryData]) -> dict[str, list[str]]:
    """``{chapter id: the links of its agents to other databases}``, as the build's mapping graph states them."""
    covers = f"<{LTX.coversAgent}>"
    agents_of: dict[str, set[str]] = {}
    for e in entries:
        triples = (split_statement(s) for s in e.statements)
        agents_of[e.chapter_id or ""] = {o[1:-1] for _, p, o in triples if p == covers}
    agents = set().union(*agents_of.values())
    rows = [r for r in mapping_graph.read_table() if table.expand(r.subject_id) in agents]  # the table is large
    statements = mapping_graph.mapping_statements(rows, agents)
    links = [s for s in statements if split_statement(s)[1][1:-1] in MATCH_PREDICATES]
    return {cid: [s for s in links if split_statement(s)[0][1:-1] in agents] for cid, agents in agents_of.items()}


def counts(store: ox.Store, chapter_iri: str, statements: int) -> dict[str, int]:
    """What a chapter brings: statements, agents, likelihood assessments, injury patterns, case reports,
    references, identifiers."""
    return {
        "statements": statements,
        "agents": len(cc.agent_labels(store)),
        "likelihood assessments": len(cc.assessments(store)),
        "injury patterns": len(cc.patterns(store)),
        "case reports": len(cc.case_reports(store)),
        "references": sum(1 for _ in store.quads_for_pattern(None, ox.NamedNode(LTX.hasReference), None)),
        "identifiers": len(cc.identifiers(store, chapter_iri)),
    }


def entry_changes(entries: Sequence[EntryData], location: Path) -> list[EntryChange]:
    """The change each chapter entry would make to the store at ``location`` (every chapter is new when there
    is no store there)."""
    chapters = [e for e in entries if e.replaces is not None and e.chapter_id is not None]
    if not chapters:
        return []
    store = store_mod.open_read_only(location) if store_mod.current_generation(location) is not None else None
    side = Side(str(location), store, merged=False) if store is not None else None
    links = _cross_references(chapters)
    out = []
    for entry in chapters:
        cid = entry.chapter_id
        assert cid is not None and entry.replaces is not None
        chapter_iri = iris.chapter(cid)
        new_store, new_lines = _entry_store(entry, links.get(cid, []))
        b, b_prov = split_provenance(new_lines, chapter_iri)
        if side is None or not side.store.contains_named_graph(ox.NamedNode(entry.replaces)):
            out.append(EntryChange(entry.name, cid, NEW, len(b), 0, False, counts(new_store, chapter_iri, len(b))))
            continue
        a, a_prov = chapter_view(side, chapter_iri, cid, merged=False)
        if a == b:
            out.append(EntryChange(entry.name, cid, UNCHANGED, 0, 0, a_prov != b_prov))
            continue
        changes = cc.compare_chapter(cid, chapter_iri, chapter_store(side, chapter_iri, cid, False), new_store)
        out.append(EntryChange(entry.name, cid, CHANGED, len(b - a), len(a - b), a_prov != b_prov, changes=changes))
    return out


# -- the report --------------------------------------------------------------------------------------------


def to_data(changes: Sequence[EntryChange]) -> list[dict[str, Any]]:
    """Plain data, one dict per entry: ``entry``, ``chapter``, ``status``, ``statements_added``,
    ``statements_removed``, ``source_changed``, ``counts`` (new chapters), and the lists ``likelihood``,
    ``patterns``, ``case_reports``, ``references``, ``identifiers`` (shaped as ``diff --format json`` gives
    them), and ``lines``: the text lines of :func:`to_text` for the entry's changes."""
    out = []
    for ec in changes:
        detail = ec.changes or cc.ChapterChanges(ec.chapter)
        out.append(
            {
                "entry": ec.entry,
                "chapter": ec.chapter,
                "status": ec.status,
                "statements_added": ec.statements_added,
                "statements_removed": ec.statements_removed,
                "source_changed": ec.source_changed,
                "counts": ec.counts,
                "likelihood": [asdict(c) for c in detail.likelihood],
                "patterns": [asdict(c) for c in detail.patterns],
                "case_reports": [asdict(c) for c in detail.case_reports],
                "references": [asdict(detail.references)] if detail.references else [],
                "identifiers": [asdict(c) for c in detail.identifiers],
                "lines": change_lines(detail),
            }
        )
    return out


def headline(ec: EntryChange) -> str:
    """``chapter Mesalamine (mesalamine.nxml): +12 -15 statements; new source file``."""
    head = f"chapter {ec.chapter} ({ec.entry}): "
    if ec.status == NEW:
        return head + "new chapter: " + ", ".join(f"{n} {what}" for what, n in ec.counts.items())
    note = "; new source file" if ec.source_changed else ""
    if ec.status == UNCHANGED:
        return head + "no change" + (" (same statements from another source file)" if ec.source_changed else "")
    return head + f"+{ec.statements_added} -{ec.statements_removed} statements{note}"


def to_text(changes: Sequence[EntryChange], location: Path) -> str:
    """The block ``validate`` prints after its findings (empty when no chapter entry was given)."""
    if not changes:
        return ""
    lines = ["", f"what these entries change in the store {location}:"]
    for ec in changes:
        lines.append(f"  {headline(ec)}")
        detail = change_lines(ec.changes) if ec.changes else []
        if ec.status == CHANGED and not detail:
            detail = ["(no score, pattern, case report, reference or identifier changed: other statements did)"]
        lines.extend(f"    {line}" for line in detail)
    return "\n".join(lines) + "\n"


def with_changes(json_report: str, changes: Sequence[EntryChange]) -> str:
    """The JSON report of ``validate`` with a ``changes`` member (:func:`to_data`)."""
    doc = json.loads(json_report)
    doc["changes"] = to_data(changes)
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
