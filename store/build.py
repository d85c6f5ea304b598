"""The one build: sources -> chapters -> a new store generation, all or nothing (:class:`Build`).

Three things overlap: worker processes convert chapters (spooling their N-Quads, :mod:`.convert`), a background
thread bulk-loads them into the staged generation in batches as soon as a batch is full (Oxigraph lets go of
the GIL while it loads, :class:`_Loader`), and, once every chapter is converted, the main thread validates
them while the loading thread loads the last batch, copies the graphs that stay, writes the mapping graph and
the dataset description (:mod:`.description`) and starts compacting the generation after a large load
(:data:`livertox_kg.store.generations.COMPACT_AFTER_BYTES`). :meth:`Build.commit` puts right what validation
changed (refused chapters: the description is written again), waits for the compaction and makes the
generation current. Nothing is visible before; leaving the
``with`` block without it discards the staged generation, so a build that stops (bad sources, refused
chapters, Ctrl-C, an error) leaves the store as it was.

A generation is staged in one of two ways (:func:`livertox_kg.store.generations.should_start_empty`): when the
build replaces most graphs, as empty, the graphs that stay being copied in at the end; otherwise as a copy of
the current one, each chapter's old graph being removed just before its new one is loaded.

The CLI, the tests and the benchmarks all build through this class.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import pyoxigraph as ox

from livertox_kg.errors import SourceError
from livertox_kg.mappings import graph as mapping_graph
from livertox_kg.rdf.terms import nquads
from livertox_kg.rdf.vocab import DESCRIPTION_GRAPH, GRAPH, MAPPING_GRAPH, VOCAB_GRAPH
from livertox_kg.sources import SourceDoc
from livertox_kg.store import description as dataset
from livertox_kg.store import generations as store_mod
from livertox_kg.store import incremental, spool
from livertox_kg.store.convert import Converted, convert, converting, read_sources, vocabulary_nquads
from livertox_kg.store.converter import converter_iri
from livertox_kg.store.description_records import Archives, GraphRecord
from livertox_kg.store.incremental import Unchanged
from livertox_kg.store.loader import Loader
from livertox_kg.store.spool import Spool
from livertox_kg.store.summary import Known
from livertox_kg.validation import context
from livertox_kg.validation.runner import UNPLACED, BuildCheck, Pattern, check_build


@dataclass
class BuildReport:
    """What a build found: the chapters it loads, those it skips as unchanged, the sources it could not read,
    what it refused, and what it removed (``sync``)."""

    loaded: list[Converted] = field(default_factory=list)
    bad: list[SourceError] = field(default_factory=list)
    superseded: list[tuple[Converted, Converted]] = field(default_factory=list)  # (dropped, kept)
    refused: list[Converted] = field(default_factory=list)  # chapters whose graph violates the shapes
    sources: int = 0  # readable sources found (each one chapter, unless it fails to convert)
    unchanged: list[Unchanged] = field(default_factory=list)  # sources skipped: the store holds their chapter
    new: int = 0  # of ``loaded``: chapters the store did not hold (the others are changed)
    removed: list[str] = field(default_factory=list)  # chapter graphs removed (``sync``): no source in the build
    store_unchanged: bool = False  # nothing to commit: no generation was made
    known: Known | None = None  # the summary's counts the dataset description made (None: count them)

    @property
    def changed(self) -> int:
        return len(self.loaded) - self.new

    def counts(self) -> str:
        """``N unchanged, M changed, K new`` (and the chapters removed, if any)."""
        text = f"{len(self.unchanged)} unchanged, {self.changed} changed, {self.new} new"
        return text + (f", {len(self.removed)} removed" if self.removed else "")


class Build:
    """One build: :meth:`convert`, then :meth:`validate`, then :meth:`commit`; leaving without ``commit``
    changes nothing. ``keep_going``: chapters with violations are refused and the others validated again.
    (A caller that commits without validating loads the chapters as they are: tests use that to write a
    store with known defects.)"""

    def __init__(
        self, location: Path, keep_going: bool = False, fresh: bool = False, force: bool = False, sync: bool = False
    ) -> None:
        self.location = location
        self.keep_going = keep_going
        self.fresh = fresh  # start from an empty store: the chapters the store holds are not kept
        self.force = force  # convert every source, even those the store holds unchanged
        self.sync = sync  # remove the chapters no source of this build gives
        self._prev = incremental.Previous()  # what the current generation holds
        self._archives = Archives()
        self._converting = 0  # sources converted (the others are unchanged)
        self._lock: int | None = None  # the store's build lock, held from the start of convert()
        self.report = BuildReport()
        self._spool = Spool()
        self._stack = contextlib.ExitStack()
        self._writer: store_mod.Writer | None = None
        self._loader: Loader | None = None
        self._empty = False
        self._vocabulary = b""
        self._removing: set[str] = set()  # graphs ``sync`` removes, as known when the last chapter is converted
        self._described: dataset.Described | None = None  # written by the loading thread after the last load

    def __enter__(self) -> Build:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        try:
            if self._loader is not None:
                self._loader.cancel()
        finally:
            self._stack.close()  # the writer: discards the staged generation unless it was committed
            self._spool.close()

    def convert(
        self, paths: Sequence[Path], progress: Callable[[int], Callable[[int, str], None] | None] | None = None
    ) -> BuildReport:
        """Convert every source under ``paths``, loading the chapters into the staged generation as they come;
        a chapter given twice is kept from the later source. ``progress(total)`` may give a function to call
        with ``(n, name)`` after each source."""
        report = self.report
        docs, bad = read_sources(paths)
        report.bad.extend(bad)
        report.sources = len(docs)
        self._lock = self._stack.enter_context(store_mod.locked(self.location))  # before reading what it holds
        self._prev = incremental.previous(self.location)
        unchanged: list[Unchanged] = []
        if self.force or self.fresh:
            todo = list(range(len(docs)))
        else:
            todo, unchanged = incremental.split(docs, self._prev)
        self._converting = len(todo)
        by_id: dict[str, tuple[int, Converted]] = {}  # chapter id -> (source place, chapter)
        tick = progress(len(todo)) if progress else None
        for i, result in zip(todo, converting([docs[i] for i in todo], self._spool, tick), strict=True):
            if isinstance(result, SourceError):
                report.bad.append(result)
            else:
                self._keep(by_id, i, result)
        self._convert_unchanged_twins(docs, unchanged, by_id)
        report.loaded = [conv for _, conv in by_id.values()]
        report.unchanged = [u for u in unchanged if u.chapter_id not in by_id]
        report.new = sum(1 for c in report.loaded if self.fresh or c.graph not in self._prev.graphs)
        if self._loader is not None and not (report.bad and not self.keep_going):  # (else the build stops)
            self._close_loader()  # the last batch loads while the chapters are validated
        return report

    def _keep(self, by_id: dict[str, tuple[int, Converted]], place: int, conv: Converted) -> None:
        """Load ``conv``, the chapter of the source at ``place``, unless a later source gives it too."""
        held = by_id.get(conv.chapter_id)
        if held is not None:
            first, later = (held[1], conv) if held[0] < place else (conv, held[1])
            self.report.superseded.append((first, later))
            if later is held[1]:
                return
        by_id[conv.chapter_id] = (place, conv)
        self._staged().add(conv.nquads, conv.graph)
        store_mod.checkpoint("convert")

    def _convert_unchanged_twins(
        self, docs: Sequence[SourceDoc], unchanged: Sequence[Unchanged], by_id: dict[str, tuple[int, Converted]]
    ) -> None:
        """An unchanged source that gives the same chapter as a converted one is converted too, so that the
        later source is kept, as when both are converted."""
        for u in (u for u in unchanged if u.chapter_id in by_id):
            result = convert(docs[u.index], self._spool.path)
            spool.close_files(self._spool.path)
            if isinstance(result, Converted):
                self._keep(by_id, u.index, dataclasses.replace(result, spool=self._spool))

    def _staged(self) -> Loader:
        """The loader into the staged generation, staged when the first chapter is ready (see the module's
        description), the vocabulary graph first."""
        if self._loader is None:
            old = self._prev.graphs
            self._empty = self.fresh or store_mod.should_start_empty(self.location, self._converting + 1)
            if self._lock is None:  # a caller that commits without converting
                self._lock = self._stack.enter_context(store_mod.locked(self.location))
            replacing = old if self._empty else ()
            writer = store_mod.writer(self.location, replacing, self._empty, lock_fd=self._lock)
            self._writer = self._stack.enter_context(writer)
            self._loader = Loader(self._writer, set() if self._empty else set(old))
            self._vocabulary = vocabulary_nquads()
            self._loader.add(self._vocabulary, VOCAB_GRAPH)
        return self._loader

    def _close_loader(self) -> None:
        """No more chapters to load: what the loading thread does after the last one is decided here, in the
        build's thread (see :meth:`_after_last_load`)."""
        assert self._loader is not None
        self._removing = set(self.stale()) if self.sync else set()
        written = None  # what not to copy from the current generation (None: copy nothing)
        if self._empty and not self.fresh:
            written = {c.graph for c in self.report.loaded} | {VOCAB_GRAPH, DESCRIPTION_GRAPH, MAPPING_GRAPH}
            written |= self._removing
        self._loader.close(functools.partial(self._after_last_load, written))

    def _after_last_load(self, written: set[str] | None) -> None:
        """In the loading thread, beside validation, once every chapter is loaded: an empty staged generation
        gets the graphs of the current one that stay (all but ``written``: the chapters loaded, the vocabulary,
        those ``sync`` removes, and the mapping graph and description, written anew), a copied one loses those
        ``sync`` removes; then the dataset is described as if no chapter were refused (:meth:`commit` describes
        it again if one is), and a large load is compacted in the background
        (:meth:`livertox_kg.store.generations.Writer.compact`), the description and mapping graph with it."""
        w, loader = self._writer, self._loader
        assert w is not None and loader is not None
        if written is not None:
            w.copy_current(lambda g: isinstance(g, ox.NamedNode) and g.value not in written)
        elif not self._empty:
            for graph in sorted(self._removing):
                w.remove_graph(graph)
        if loader.stopping:  # the build stops (refused chapters, Ctrl-C): nothing to describe or compact
            return
        self._described = self._describe(w)
        if not loader.stopping and w.loaded_since_compaction >= store_mod.COMPACT_AFTER_BYTES:
            w.compact(background=True)

    def _describe(self, w: store_mod.Writer) -> dataset.Described:
        """The mapping graph and the dataset description, written for the chapters now staged."""
        assert w.store is not None
        mapping = self._write_mappings(w)
        old = None if self.fresh else self._prev.records  # the staged generation holds the same description
        report = self.report
        return dataset.update(
            w.store, report.loaded, self._vocabulary, report.unchanged, self._archives, mapping, w.replace_content, old
        )

    def _kept_chapters(self) -> bool:
        """Whether the store keeps chapters this build does not load (then they are the validation's context)."""
        if self.fresh:
            return False
        loaded = {c.graph for c in self.report.loaded}
        removed = set(self.stale()) if self.sync else set()
        described = {VOCAB_GRAPH, DESCRIPTION_GRAPH, MAPPING_GRAPH}
        return any(
            g.startswith(GRAPH) and g not in described and g not in loaded and g not in removed
            for g in self._prev.graphs
        )

    def stale(self) -> list[str]:
        """The chapter graphs of the store that no source of this build gives: kept, unless ``sync`` (or
        ``fresh``, which keeps nothing)."""
        if self.fresh:
            return []
        given = {c.graph for c in self.report.loaded} | {u.graph for u in self.report.unchanged}
        given |= {VOCAB_GRAPH, DESCRIPTION_GRAPH, MAPPING_GRAPH}
        return sorted(g for g in self._prev.graphs if g.startswith(GRAPH) and g not in given)

    def _nothing_to_commit(self) -> bool:
        """No chapter converted, none to remove, and the description would say what it says."""
        return (
            self._loader is None
            and not (self.sync and self.stale())
            and not incremental.archives_moved(self.report.unchanged, self._prev, self._archives)
        )

    def validate(self) -> BuildCheck:
        """Check the converted chapters against the shapes, in the store's context (while the last batches
        load). With ``keep_going``, chapters with violations move to ``report.refused`` and the others are
        checked again (a refused chapter may have been what another one pointed to)."""
        report = self.report
        vocabulary = self._vocabulary or vocabulary_nquads()
        # Without chapters that stay, the context is only graphs the build writes anew (the mapping graph): the
        # chapters are checked as a build from scratch checks them (in context: 32 s instead of 4 s, scale store).
        in_context = self._kept_chapters()
        check = check_build(report.loaded, self.location, vocabulary, self._locate, in_context=in_context)
        refused, labels, seconds = dict(check.refused), dict(check.labels), check.seconds
        while self.keep_going and set(check.refused) - {UNPLACED} and report.loaded:
            report.refused.extend(c for c in report.loaded if c.source in check.refused)
            report.loaded = [c for c in report.loaded if c.source not in check.refused]
            check = check_build(report.loaded, self.location, vocabulary, self._locate, in_context=in_context)
            refused.update(check.refused)
            labels.update(check.labels)
            seconds += check.seconds
        check.refused, check.labels, check.seconds = refused, labels, seconds
        return check

    def _locate(self, patterns: set[Pattern]) -> dict[Pattern, list[str]]:
        """Where violations are stated: asked of the staged generation, once everything is loaded into it."""
        assert self._loader is not None and self._writer is not None and self._writer.store is not None
        self._loader.finish()
        return context.graphs_containing(self._writer.store, patterns)

    def commit(self) -> None:
        """Finish loading (and describing, :meth:`_after_last_load`), put right what the load could not know,
        make the staged generation current."""
        report = self.report
        if self._nothing_to_commit():
            report.store_unchanged = True
            return
        loader, w = self._staged(), self._writer
        assert w is not None and w.store is not None
        self._close_loader()  # (done at the end of convert() when it converted a chapter)
        loader.finish()
        store_mod.checkpoint("loaded")
        report.removed = self.stale() if self.sync else []
        if self._put_right(w) or self._described is None:
            self._described = self._describe(w)
        report.known = _known(w.store, self._described)
        w.commit()

    def _put_right(self, w: store_mod.Writer) -> bool:
        """What the load could not know; whether it changed the staged store. A chapter given twice was loaded
        twice: its graph is loaded again from the version kept. Refused chapters get back the graph the
        current generation holds (or none); in a copied generation, ``sync`` then removes those no chapter
        loaded gives any more."""
        report = self.report
        changed = False
        loaded = {c.chapter_id: c for c in report.loaded}
        for chapter_id in sorted({kept.chapter_id for _, kept in report.superseded} & loaded.keys()):
            w.remove_graph(loaded[chapter_id].graph)
            w.load(loaded[chapter_id].nquads)
            changed = True
        for conv in report.refused:
            w.restore(conv.graph)
            changed = True
        if not self._empty:
            for graph in (g for g in report.removed if g not in self._removing):
                w.remove_graph(graph)
                changed = True
        return changed

    def _write_mappings(self, w: store_mod.Writer) -> GraphRecord | None:
        """The agents' cross-references for the agents now in the store (the mapping graph), changed only where
        they change; its record (the one kept when the graph stays as it was, same agents and converter; else
        made from the statements written, as a chapter's is: reading 44,000 statements back costs 0.5-1 s)."""
        assert w.store is not None
        agents = mapping_graph.agents_in(w.store)
        old = self._prev.records.graphs.get(MAPPING_GRAPH)
        current = store_mod.current_generation(self.location)
        if (
            old is not None
            and old.converter == converter_iri()
            and current is not None
            and w.store.contains_named_graph(ox.NamedNode(MAPPING_GRAPH))
            and agents == mapping_graph.agents_in(ox.Store.read_only(str(current)))
        ):
            return old
        statements = mapping_graph.mapping_statements(mapping_graph.read_table(), agents)
        data = nquads(statements, MAPPING_GRAPH).encode("utf-8")
        w.replace_content(MAPPING_GRAPH, data)
        if not w.store.contains_named_graph(ox.NamedNode(MAPPING_GRAPH)):  # no agent with a cross-reference
            return None
        sha, count = dataset.checksum_lines(data)
        return GraphRecord(MAPPING_GRAPH, count, sha, converter=converter_iri())


def _known(store: ox.Store, described: dataset.Described) -> Known | None:
    """The summary's counts the description made, when it describes every graph of the store but itself (and
    the default graph is empty, as a build leaves it); else None, and the summary counts them."""
    graphs = {g.value if isinstance(g, ox.NamedNode) else "" for g in store.named_graphs()}
    if graphs != set(described.records.graphs) | {DESCRIPTION_GRAPH}:
        return None
    if next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None:
        return None
    return Known(described.counts.by_class, described.triples)


def build(
    location: Path,
    paths: Sequence[Path],
    validate: bool = True,
    keep_going: bool = False,
    force: bool = False,
    sync: bool = False,
) -> BuildReport:
    """Build ``paths`` into the store at ``location`` in one call (what the ``build`` command does, without its
    messages); with ``validate`` False the chapters are loaded as they are. Raises :class:`SourceError` for
    the first bad source (unless ``keep_going``) and ``ValueError`` when violations stop it."""
    with Build(location, keep_going, force=force, sync=sync) as b:
        report = b.convert(paths)
        if report.bad and not keep_going:
            raise report.bad[0]
        if validate and report.loaded:
            check = b.validate()
            if check.refused and not keep_going:
                raise ValueError(f"{len(check.refused)} chapter(s) violate the shapes: {sorted(check.refused)}")
        if report.loaded or report.unchanged:
            b.commit()
    return report
