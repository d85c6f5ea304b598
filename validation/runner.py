"""The three validations: the whole store, entries in the context of the store, and a build's chapters.

All three run the same shapes with the same engine; they differ only in what the data graph is and which
nodes are reported:

* the whole store: the union of its chapter graphs and vocabulary; every node;
* entries (``validate FILES``): the entries, plus what the store says about every node they mention (minus
  the graphs the entries replace); only the nodes the entries describe;
* a build: the chapters being loaded, plus the store's context when the build adds to a store that keeps
  other chapters; the nodes of the loaded chapters.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from livertox_kg import resources
from livertox_kg.rdf import iris
from livertox_kg.rdf.vocab import GRAPH, LTX, VOCAB_GRAPH
from livertox_kg.store import generations as store_mod
from livertox_kg.validation import context
from livertox_kg.validation.datagraph import RDF_TYPE, DataGraph
from livertox_kg.validation.engine import VIOLATION, Result, Validator, order
from livertox_kg.validation.entries import EntryData, read_entries
from livertox_kg.validation.report import Entry, Report, labels_for
from livertox_kg.validation.shapes_graph import ShapesGraph, load
from livertox_kg.validation.terms import iri_value, is_iri


def _targets_objects_of(shapes: ShapesGraph) -> set[str]:
    return {p for s in shapes.shapes.values() for p in s.target_objects_of}


_IN_CHAPTER = f"<{LTX.inChapter}>"  # reverse lookup of a native check (a chapter's likelihood assessments)
_CHAPTER_ID = f"<{LTX.chapterId}>"  # looked up by value (a chapter id in use elsewhere)


def _context(store: ox.Store, new: DataGraph, shapes: ShapesGraph, skip: Collection[str]) -> str:
    """What to read from the store to validate the nodes of ``new`` (see :func:`context.neighbourhood`).

    Reverse lookups are asked only where ``new`` itself does not already link to the node: a chapter file
    links to every work it cites, so its works need no lookup among the store's 66,000 references.
    """
    subjects = new.subjects()
    reverse: set[tuple[str, str]] = set()
    for p in (_targets_objects_of(shapes) - {RDF_TYPE}) | {_IN_CHAPTER}:
        linked = new.reverse(p)
        reverse.update((p, s) for s in subjects if s.startswith("<") and s not in linked)
    ids: set[str] = set().union(*(new.objects(s, _CHAPTER_ID) for s in new.subjects_of(_CHAPTER_ID)))
    return context.neighbourhood(store, subjects, new.iri_objects(), reverse, {_CHAPTER_ID: ids}, skip)


def _entry_name(graph_iri: str) -> str:
    if graph_iri == VOCAB_GRAPH:
        return "vocabulary (ontology/livertox.ttl)"
    if graph_iri.startswith(GRAPH):
        return f"chapter {graph_iri[len(GRAPH) :]}"
    return graph_iri


def _shared_name(graphs: Sequence[str]) -> str:
    names = [_entry_name(g).removeprefix("chapter ") for g in graphs]
    shown = ", ".join(names[:5])
    more = f" and {len(names) - 5} more" if len(names) > 5 else ""
    return f"nodes shared by {len(names)} chapters ({shown}{more})"


# -- the whole store ---------------------------------------------------------------------------------------


def validate_store(location: Path, today: dt.date | None = None) -> Report:
    shapes = load()
    store = store_mod.open_read_only(location)
    data = context.whole_graph(store)
    results = Validator(shapes, today).validate(data)
    graphs = sorted(
        g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode) and g.value not in context.EXCLUDED_GRAPHS
    )
    entries = {g: Entry(_entry_name(g)) for g in graphs}
    shared: dict[tuple[str, ...], Entry] = {}
    where = context.graphs_containing(store, {_pattern(r) for r in results})
    for r in results:
        found = where.get(_pattern(r)) or []
        if len(found) == 1 and found[0] in entries:
            entries[found[0]].results.append(r)
        else:
            key = tuple(found)
            if key not in shared:
                shared[key] = Entry(_shared_name(found) if found else "nodes in no chapter graph")
            shared[key].results.append(r)
    chapters = sum(1 for g in graphs if g != VOCAB_GRAPH)
    return Report(
        entries=list(entries.values()) + [shared[k] for k in sorted(shared)],
        checked=len(graphs),
        labels=labels_for(data, results),
        context=f"the store {location} ({chapters} chapters, {len(data)} distinct triples)",
    )


Pattern = tuple[str, str | None, str | None]


def _pattern(r: Result) -> Pattern:
    value = r.value if r.value is not None and r.value != r.focus else None
    if r.path is None:
        return (r.focus, None, None)
    return (r.focus, r.path, value)


# -- entries -----------------------------------------------------------------------------------------------


@dataclass
class EntriesValidation:
    report: Report
    entries: list[EntryData]
    notes: list[str] = field(default_factory=list)


def validate_entries(paths: Sequence[Path], location: Path, today: dt.date | None = None) -> EntriesValidation:
    shapes = load()
    entries: list[EntryData] = []
    notes: list[str] = []
    by_graph: dict[str, EntryData] = {}
    for entry in read_entries(paths):
        if entry.replaces is not None:
            previous = by_graph.get(entry.replaces)
            if previous is not None:
                notes.append(f"chapter {entry.chapter_id} given twice: {previous.name} replaced by {entry.name}")
                entries.remove(previous)
            by_graph[entry.replaces] = entry
        entries.append(entry)

    data = DataGraph()
    for entry in entries:
        data.add_statements(entry.statements)
    focus = data.subjects() | set(data.reverse(RDF_TYPE))
    store = _open_if_any(location)
    if store is None:
        where = f"the shipped vocabulary only: no store at {location}"
        extra = _packaged_vocabulary()
    else:
        where = f"the store {location}"
        skip = {e.replaces for e in entries if e.replaces} | {VOCAB_GRAPH}
        extra = context.vocabulary(store) + _context(store, data, shapes, skip)
        notes.extend(_replacements(store, entries))
    data.add_ntriples_text(extra)
    validator = Validator(shapes, today)
    results = validator.validate(data, focus)
    old = _already_there(validator, extra, results) if store is not None else set()
    report = Report(
        entries=[Entry(e.name) for e in entries],
        checked=len(entries),
        labels=labels_for(data, results),
        context=where,
        elsewhere=[r for r in results if r.key() in old],
    )
    _attribute(report, entries, [r for r in results if r.key() not in old])
    for entry, reported in zip(entries, report.entries, strict=True):
        reported.chapter = iris.chapter(entry.chapter_id) if entry.chapter_id else None
        if entry.places is not None:
            reported.findings = [(f, entry.places.finding(f)) for f in entry.findings]
            reported.places = {r.key(): p for r in reported.results if (p := entry.places.of(r)) is not None}
            _merge_twins(reported)
    return EntriesValidation(report, entries, notes)


def _merge_twins(reported: Entry) -> None:
    """A shape's result that says again what a finding of the reader says (a missing title) is left out of
    the entry's results: the finding says it at its place in the file, with what to do, and counts the same."""
    twins = {f.shape for f, _ in reported.findings if f.shape}
    if twins:
        reported.results = [r for r in reported.results if _local(r.shape) not in twins]


def _local(term: str) -> str:
    return re.split(r"[#/]", iri_value(term))[-1] if is_iri(term) else ""


def _already_there(validator: Validator, context_text: str, results: Sequence[Result]) -> set[tuple[str, ...]]:
    """The results the store's context gives without the entries (another chapter's citation conflicts): not
    the curator's to fix in this entry, so they are summarised apart ("elsewhere in the graph")."""
    if not results:
        return set()
    alone = DataGraph()
    alone.add_ntriples_text(context_text)
    return {r.key() for r in validator.validate(alone, {r.focus for r in results})}


def _open_if_any(location: Path) -> ox.Store | None:
    if store_mod.current_generation(location) is None:
        return None
    return store_mod.open_read_only(location)


def _packaged_vocabulary() -> str:
    quads = ox.parse(resources.ontology_ttl(), format=ox.RdfFormat.TURTLE)
    return "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads)


def _replacements(store: ox.Store, entries: Sequence[EntryData]) -> list[str]:
    """Notes on chapters an entry would replace: the source they came from and their last update."""
    notes = []
    for entry in entries:
        if entry.replaces is None or entry.chapter_id is None:
            continue
        chapter = f"<{iris.chapter(entry.chapter_id)}>"
        result = store.query(
            f"SELECT ?name ?updated WHERE {{ GRAPH <{entry.replaces}> {{ {chapter} <{LTX.chapterId}> ?id . "
            f"OPTIONAL {{ {chapter} <http://purl.org/dc/terms/modified> ?updated }} "
            f"OPTIONAL {{ {chapter} <http://www.w3.org/ns/prov#wasDerivedFrom> ?src . "
            f"?src <{LTX.sourceName}> ?name }} }} }}"
        )
        assert isinstance(result, ox.QuerySolutions)
        for sol in result:
            name = sol["name"].value if sol["name"] is not None else "an unknown file"
            updated = sol["updated"].value if sol["updated"] is not None else None
            note = f"{entry.name} replaces chapter {entry.chapter_id} in the store (loaded from {name}"
            note += f", updated {updated})" if updated else ")"
            if updated and entry.updated and entry.updated < updated:
                note += f"; this entry is older (updated {entry.updated})"
            notes.append(note)
            break
    return notes


def _attribute(report: Report, entries: Sequence[EntryData], results: Sequence[Result]) -> None:
    """Put each result under the entries that state the offending triple (else, that describe the node)."""
    statement_sets = [set(e.statements) for e in entries]
    seen: set[tuple[str, ...]] = set()
    for r in results:
        chosen: list[int] = []
        if r.key() in seen:  # each result reported once
            continue
        seen.add(r.key())
        if r.path is not None and r.value is not None:
            line = f"{r.focus} {r.path} {r.value}"
            chosen = [i for i, st in enumerate(statement_sets) if line in st]
        if not chosen and r.path is not None:
            head = f"{r.focus} {r.path} "
            chosen = [i for i, e in enumerate(entries) if any(s.startswith(head) for s in e.statements)]
        if not chosen:
            head = f"{r.focus} "
            chosen = [i for i, e in enumerate(entries) if any(s.startswith(head) for s in e.statements)]
        if not chosen:
            tail = f" {r.focus}"
            chosen = [i for i, e in enumerate(entries) if any(s.endswith(tail) for s in e.statements)]
        for i in chosen or [0]:
            report.entries[i].results.append(r)


# -- build -------------------------------------------------------------------------------------------------


@dataclass
class BuildCheck:
    """The validation ``build`` runs before writing: results, and the sources refused for violations."""

    results: list[Result]
    refused: dict[str, list[Result]]  # source name -> its violations
    seconds: float
    labels: dict[str, str] = field(default_factory=dict)  # focus node -> label, for the violations

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)


class BuildEntry(Protocol):
    """A chapter a build is about to load (``build.Converted``): its source, chapter id and N-Quads."""

    @property
    def source(self) -> str: ...

    @property
    def chapter_id(self) -> str: ...

    @property
    def nquads(self) -> bytes: ...


Locate = Callable[[set[Pattern]], dict[Pattern, list[str]]]
"""Given result patterns (focus, path, value), the named graphs that state each (see context.graphs_containing)."""

UNPLACED = ""
"""The key of :attr:`BuildCheck.refused` for violations no chapter being loaded states (a bug of ours)."""


def check_build(
    loaded: Sequence[BuildEntry],
    location: Path,
    vocabulary_nquads: bytes,
    locate: Locate | None = None,
    today: dt.date | None = None,
    in_context: bool = True,
) -> BuildCheck:
    """Validate chapters about to be loaded (each chapter's N-Quads read once; they may be spooled to disk).

    Each violation is put under the loaded chapter graphs that state it, found by ``locate`` (a build asks the
    store it is staging; by default the loaded chapters are read into a store in memory): the results carry
    their graph, and :attr:`BuildCheck.refused` is keyed by the source of that graph."""
    started = time.perf_counter()
    shapes = load()
    data = DataGraph()
    for entry in loaded:
        data.add_nquads_text(entry.nquads.decode("utf-8"), iris.graph(entry.chapter_id))
    focus: set[str] | None = None
    store = _open_if_any(location) if in_context else None  # not in_context: a fresh build keeps nothing
    if store is not None:
        replaced = {iris.graph(entry.chapter_id) for entry in loaded} | {VOCAB_GRAPH}
        kept = [
            g
            for g in store.named_graphs()
            if isinstance(g, ox.NamedNode) and g.value not in replaced and g.value not in context.EXCLUDED_GRAPHS
        ]
        if kept:  # the build adds to chapters already in the store: validate the new ones in their context
            focus = data.subjects() | set(data.reverse(RDF_TYPE))
            data.add_ntriples_text(_context(store, data, shapes, replaced))
    data.add_nquads_text(vocabulary_nquads.decode("utf-8"), VOCAB_GRAPH)
    results = Validator(shapes, today).validate(data, focus)
    violations = [r for r in results if r.severity == VIOLATION]
    labels = labels_for(data, violations)
    del data
    refused = _refused(violations, loaded, locate or _in_memory(loaded)) if violations else {}
    return BuildCheck(results, refused, time.perf_counter() - started, labels)


def _in_memory(loaded: Sequence[BuildEntry]) -> Locate:
    """A locator over the loaded chapters alone, read into an in-memory store when it is first needed."""

    def locate(patterns: set[Pattern]) -> dict[Pattern, list[str]]:
        store = ox.Store()
        for entry in loaded:
            store.bulk_load(input=entry.nquads, format=ox.RdfFormat.N_QUADS)
        return context.graphs_containing(store, patterns)

    return locate


def _refused(violations: Sequence[Result], loaded: Sequence[BuildEntry], locate: Locate) -> dict[str, list[Result]]:
    """Each violation under the source of every loaded chapter graph that states it (else describes or mentions
    its node); one that no loaded graph states is under :data:`UNPLACED`."""
    source_of = {iris.graph(entry.chapter_id): entry.source for entry in loaded}
    found = locate({_pattern(r) for r in violations})
    refused: dict[str, list[Result]] = {}
    for r in violations:
        sources = [source_of[g] for g in found.get(_pattern(r), []) if g in source_of]
        for source in sources or [UNPLACED]:
            refused.setdefault(source, []).append(r)
    for results in refused.values():
        results.sort(key=order)
    return refused
