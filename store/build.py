"""The one build: sources -> chapters -> a new store generation, all or nothing (:class:`Build`).

Three things overlap: worker processes convert chapters (spooling their N-Quads, :mod:`.convert`), a background
thread bulk-loads them into the staged generation in batches as soon as a batch is full (Oxigraph lets go of
the GIL while it loads, :class:`_Loader`), and, once every chapter is converted, the main thread validates
them while the last batches load. Nothing is visible before :meth:`Build.commit` (which compacts the
generation after a large load: :data:`livertox_kg.store.generations.COMPACT_AFTER_BYTES`); leaving the
``with`` block without it discards the staged generation, so a build that stops (bad sources, refused
chapters, Ctrl-C, an error) leaves the store as it was.

A generation is staged in one of two ways (:func:`livertox_kg.store.generations.should_start_empty`): when the
build replaces most graphs, as empty, the graphs that stay being copied in at the end; otherwise as a copy of
the current one, each chapter's old graph being removed just before its new one is loaded.

The CLI, the tests and the benchmarks all build through this class.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import pyoxigraph as ox

from livertox_kg.errors import SourceError
from livertox_kg.mappings import graph as mapping_graph
from livertox_kg.rdf.vocab import DESCRIPTION_GRAPH, GRAPH, MAPPING_GRAPH, VOCAB_GRAPH
from livertox_kg.store import description as dataset
from livertox_kg.store import generations as store_mod
from livertox_kg.store.convert import Converted, converting, read_sources, vocabulary_nquads
from livertox_kg.store.loader import Loader
from livertox_kg.store.spool import Spool
from livertox_kg.validation import context
from livertox_kg.validation.runner import UNPLACED, BuildCheck, Pattern, check_build


@dataclass
class BuildReport:
    """What a build found: the chapters it loads, the sources it could not read, and what it refused."""

    loaded: list[Converted] = field(default_factory=list)
    bad: list[SourceError] = field(default_factory=list)
    superseded: list[tuple[Converted, Converted]] = field(default_factory=list)  # (dropped, kept)
    refused: list[Converted] = field(default_factory=list)  # chapters whose graph violates the shapes
    sources: int = 0  # readable sources found (each one chapter, unless it fails to convert)


class Build:
    """One build: :meth:`convert`, then :meth:`validate`, then :meth:`commit`; leaving without ``commit``
    changes nothing. ``keep_going``: chapters with violations are refused and the others validated again.
    (A caller that commits without validating loads the chapters as they are: tests use that to write a
    store with known defects.)"""

    def __init__(self, location: Path, keep_going: bool = False, fresh: bool = False) -> None:
        self.location = location
        self.keep_going = keep_going
        self.fresh = fresh  # start from an empty store: the chapters the store holds are not kept
        self._old: set[str] = set()  # the named graphs of the current generation
        self.report = BuildReport()
        self._spool = Spool()
        self._stack = contextlib.ExitStack()
        self._writer: store_mod.Writer | None = None
        self._loader: Loader | None = None
        self._empty = False
        self._vocabulary = b""

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
        by_id: dict[str, Converted] = {}
        for result in converting(docs, self._spool, progress(len(docs)) if progress else None):
            if isinstance(result, SourceError):
                report.bad.append(result)
                continue
            if result.chapter_id in by_id:
                report.superseded.append((by_id[result.chapter_id], result))
            by_id[result.chapter_id] = result
            self._staged().add(result.nquads, result.graph)
        report.loaded = list(by_id.values())
        return report

    def _staged(self) -> Loader:
        """The loader into the staged generation, staged when the first chapter is ready (see the module's
        description), the vocabulary graph first."""
        if self._loader is None:
            current = store_mod.current_generation(self.location)
            old: set[str] = set()
            if current is not None:
                stored = ox.Store.read_only(str(current)).named_graphs()
                old = {g.value for g in stored if isinstance(g, ox.NamedNode)}
            self._old = old
            self._empty = self.fresh or store_mod.should_start_empty(self.location, self.report.sources + 1)
            writer = store_mod.writer(self.location, replacing=old if self._empty else (), empty=self._empty)
            self._writer = self._stack.enter_context(writer)
            self._loader = Loader(self._writer, set() if self._empty else old)
            self._vocabulary = vocabulary_nquads()
            self._loader.add(self._vocabulary, VOCAB_GRAPH)
        return self._loader

    def kept(self) -> list[str]:
        """The chapter graphs of the store that this build keeps (it neither replaces them nor starts fresh)."""
        if self.fresh:
            return []
        written = {c.graph for c in self.report.loaded} | {VOCAB_GRAPH, DESCRIPTION_GRAPH, MAPPING_GRAPH}
        return sorted(g for g in self._old if g.startswith(GRAPH) and g not in written)

    def validate(self) -> BuildCheck:
        """Check the converted chapters against the shapes, in the store's context (while the last batches
        load). With ``keep_going``, chapters with violations move to ``report.refused`` and the others are
        checked again (a refused chapter may have been what another one pointed to)."""
        report = self.report
        vocabulary = self._vocabulary or vocabulary_nquads()
        check = check_build(report.loaded, self.location, vocabulary, self._locate, in_context=not self.fresh)
        refused, labels, seconds = dict(check.refused), dict(check.labels), check.seconds
        while self.keep_going and set(check.refused) - {UNPLACED} and report.loaded:
            report.refused.extend(c for c in report.loaded if c.source in check.refused)
            report.loaded = [c for c in report.loaded if c.source not in check.refused]
            check = check_build(report.loaded, self.location, vocabulary, self._locate, in_context=not self.fresh)
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
        """Finish loading, put right what the load could not know, describe the dataset, make it current.

        A chapter given twice was loaded twice: its graph is loaded again from the version kept. Refused
        chapters get back the graph the current generation holds (or none). An empty staged generation
        gets the graphs that stay.
        """
        w, report = self._writer, self.report
        assert self._loader is not None and w is not None and w.store is not None
        self._loader.finish()
        loaded = {c.chapter_id: c for c in report.loaded}
        for chapter_id in sorted({kept.chapter_id for _, kept in report.superseded} & loaded.keys()):
            w.remove_graph(loaded[chapter_id].graph)
            w.load(loaded[chapter_id].nquads)
        for conv in report.refused:
            w.restore(conv.graph)
        if self._empty and not self.fresh:
            written = {c.graph for c in [*report.loaded, *report.refused]} | {VOCAB_GRAPH}
            w.copy_current(lambda g: isinstance(g, ox.NamedNode) and g.value not in written)
        mapping_graph.replace_graph(w.store)  # the agents' cross-references, for the agents now in the store
        dataset.update(w.store, report.loaded, self._vocabulary)
        w.commit()


def build(location: Path, paths: Sequence[Path], validate: bool = True, keep_going: bool = False) -> BuildReport:
    """Build ``paths`` into the store at ``location`` in one call (what the ``build`` command does, without its
    messages); with ``validate`` False the chapters are loaded as they are. Raises :class:`SourceError` for
    the first bad source (unless ``keep_going``) and ``ValueError`` when violations stop it."""
    with Build(location, keep_going) as b:
        report = b.convert(paths)
        if report.bad and not keep_going:
            raise report.bad[0]
        if validate and report.loaded:
            check = b.validate()
            if check.refused and not keep_going:
                raise ValueError(f"{len(check.refused)} chapter(s) violate the shapes: {sorted(check.refused)}")
        if report.loaded:
            b.commit()
    return report


# -- TEMPORARY shims while the tree is migrated to Build (to be removed in this change) ------------------


def convert_all(paths: Sequence[Path]) -> BuildReport:  # pragma: no cover - migration shim
    report = BuildReport()
    spool_ = Spool()
    docs, report.bad = read_sources(paths)
    by_id = {c.chapter_id: c for c in converting(docs, spool_) if isinstance(c, Converted)}
    report.loaded = list(by_id.values())
    return report


def write(location: Path, loaded: Sequence[Converted]) -> None:  # pragma: no cover - migration shim
    from livertox_kg.rdf import iris

    with store_mod.writer(location, {iris.graph(c.chapter_id) for c in loaded} | {VOCAB_GRAPH}) as w:
        vocabulary = vocabulary_nquads()
        for batch in store_mod.batches([vocabulary, *(c.nquads for c in loaded)]):
            w.load(batch)
        assert w.store is not None
        dataset.update(w.store, loaded, vocabulary)
        w.commit()
