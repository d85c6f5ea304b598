"""``build``: sources -> loaders -> model -> RDF -> a new store generation, all or nothing.

Here: converting chapters to N-Quads (spooled to disk, in worker processes when there are many), validating
them, and :func:`write`, which replaces their graphs (and the vocabulary graph) in a staged generation that
becomes current only when everything has been written. The ``build`` command runs the same steps
overlapped (conversion, loading and validation at once): :mod:`livertox_kg.store.build`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import itertools
import os
import shutil
import sys
import tempfile
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from livertox_kg import resources
from livertox_kg.errors import SourceError
from livertox_kg.interpret import load
from livertox_kg.model import Chapter, Finding
from livertox_kg.rdf import chapter as rdf
from livertox_kg.rdf import iris
from livertox_kg.rdf.vocab import VOCAB_GRAPH
from livertox_kg.sources import SourceDoc, iter_sources
from livertox_kg.store import description as dataset
from livertox_kg.store import generations as store_mod

if TYPE_CHECKING:
    from livertox_kg.validation.runner import BuildCheck

PARALLEL_THRESHOLD = 64  # below this many sources, worker processes cost more than they save


class Spool:
    """A temporary folder holding converted chapters' N-Quads, so that a build keeps no copy in memory.

    Each process that converts chapters appends to a file of its own (``{pid}.nq``); a :class:`Converted`
    knows its file, offset and length. The folder is removed by :meth:`close`, or when the last object
    referring to it is collected, or at exit; one left by a killed build is removed by the next build.
    """

    PREFIX = "livertox-kg-spool-"

    def __init__(self) -> None:
        _remove_stale_spools()
        self.path = tempfile.mkdtemp(prefix=f"{self.PREFIX}{os.getpid()}-")
        self._finalizer = weakref.finalize(self, shutil.rmtree, self.path, ignore_errors=True)

    def close(self) -> None:
        self._finalizer()


def _remove_stale_spools() -> None:
    """Remove spool folders whose process is gone (a build killed before it could clean up)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{Spool.PREFIX}*-*"):
        pid = folder.name[len(Spool.PREFIX) :].split("-", 1)[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:  # alive, but another user's
            continue


_SPOOL_FILES: dict[str, int] = {}  # this process's open spool files: path -> descriptor


def _spool_write(folder: str, data: bytes) -> tuple[str, int]:
    """Append ``data`` to this process's file in ``folder``; return the file and the offset written at."""
    path = os.path.join(folder, f"{os.getpid()}.nq")
    fd = _SPOOL_FILES.get(path)
    if fd is None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        _SPOOL_FILES[path] = fd
    offset = os.lseek(fd, 0, os.SEEK_END)
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    return path, offset


def _close_spool_files(folder: str) -> None:
    for path in [p for p in _SPOOL_FILES if os.path.dirname(p) == folder]:
        os.close(_SPOOL_FILES.pop(path))


@dataclass(frozen=True)
class Converted:
    """One source, converted: what the store needs and what the user is told.

    The N-Quads of its chapter graph are either held (``data``) or spooled to ``file`` at ``offset``;
    :attr:`nquads` reads them either way. Their checksum, statement count and source node are computed
    where the chapter was converted, so the build never needs all chapters' N-Quads at once.
    """

    source: str
    chapter_id: str
    kind: str
    updated: str | None
    findings: tuple[Finding, ...]
    sha256: str  # dataset.checksum_lines of the N-Quads
    statements: int
    source_node: str | None  # the ltxid:source/{sha256} node of the file it came from
    length: int
    data: bytes | None = None
    file: str | None = None
    offset: int = 0
    spool: Spool | None = field(default=None, compare=False, repr=False)  # keeps ``file`` alive

    @property
    def nquads(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.file is not None
        with open(self.file, "rb") as fh:
            fh.seek(self.offset)
            return fh.read(self.length)


@dataclass
class BuildReport:
    loaded: list[Converted] = field(default_factory=list)
    bad: list[SourceError] = field(default_factory=list)
    superseded: list[tuple[Converted, Converted]] = field(default_factory=list)  # (dropped, kept)
    refused: list[Converted] = field(default_factory=list)  # chapters that violate the SHACL shapes
    spool: Spool | None = None
    sources: int = 0  # readable sources found (each one chapter, unless it fails to convert)

    def close(self) -> None:
        """Remove the spooled N-Quads (the chapters cannot be written after this)."""
        if self.spool is not None:
            self.spool.close()


def convert(source: SourceDoc, spool: str | None = None) -> Converted | SourceError:
    """Load one source into N-Quads for its chapter graph (held, or appended to a file in the ``spool``
    folder), or the error that stops it."""
    try:
        chapter = load(source)
    except SourceError as exc:
        return exc
    graph = iris.graph(chapter.id)
    nquads = rdf.nquads(rdf.chapter_triples(chapter), graph).encode("utf-8")
    return converted(source.name, chapter, nquads, spool)


def converted(source_name: str, chapter: Chapter, nquads: bytes, spool: str | None = None) -> Converted:
    """The :class:`Converted` of a chapter and its N-Quads: checksummed here, held or spooled."""
    sha, statements = dataset.checksum_lines(nquads)
    file, offset = _spool_write(spool, nquads) if spool is not None else (None, 0)
    return Converted(
        source_name,
        chapter.id,
        chapter.kind.value,
        chapter.updated.isoformat() if chapter.updated else None,
        tuple(chapter.findings),
        sha,
        statements,
        dataset.source_of(nquads),
        len(nquads),
        data=None if file is not None else nquads,
        file=file,
        offset=offset,
    )


def default_sources() -> list[Path]:
    """The sample chapters shipped with the package."""
    root = resources.samples_dir()
    return [Path(str(root / name)) for name in resources.sample_names()]


def _workers() -> int:
    """Conversion worker processes: ``$LIVERTOX_KG_WORKERS``, else one per CPU but the one the loader uses
    (at most 4); 1 means converting in the build's own process."""
    given = os.environ.get("LIVERTOX_KG_WORKERS", "")
    if given.isdigit() and int(given) > 0:
        return int(given)
    return max(1, min(4, (os.cpu_count() or 1) - 1))


def convert_all(paths: Sequence[Path], show_progress: bool = False) -> BuildReport:
    """Convert every source under ``paths``; the N-Quads go to a spool folder owned by the report."""
    report = BuildReport(spool=Spool())
    for _ in converting(paths, report, show_progress):
        pass
    return report


def converting(paths: Sequence[Path], report: BuildReport, show_progress: bool = False) -> Iterator[Converted]:
    """Convert every source under ``paths`` (in worker processes when there are many) into ``report``'s
    spool, yielding each chapter as soon as it is converted; bad sources and chapters given twice are
    recorded in ``report``, and ``report.loaded`` is set at the end (the later of two copies kept)."""
    assert report.spool is not None
    spool = report.spool
    items = list(iter_sources(paths))
    docs = [i for i in items if isinstance(i, SourceDoc)]
    report.bad.extend(i for i in items if isinstance(i, SourceError))
    report.sources = len(docs)
    progress = progress_printer(len(docs)) if show_progress else None
    task = functools.partial(convert, spool=spool.path)
    by_id: dict[str, Converted] = {}
    with contextlib.ExitStack() as workers:
        if len(docs) >= PARALLEL_THRESHOLD and _workers() > 1:
            pool = workers.enter_context(ProcessPoolExecutor(max_workers=_workers()))
            results: Iterable[Converted | SourceError] = pool.map(task, docs, chunksize=8)
        else:
            workers.callback(_close_spool_files, spool.path)
            results = map(task, docs)
        for result in _tick(results, progress):
            if isinstance(result, SourceError):
                report.bad.append(result)
                continue
            result = dataclasses.replace(result, spool=spool)
            previous = by_id.get(result.chapter_id)
            if previous is not None:
                report.superseded.append((previous, result))
            by_id[result.chapter_id] = result
            yield result
    report.loaded = list(by_id.values())


def _tick(
    results: Iterable[Converted | SourceError], progress: Callable[[int, str], None] | None
) -> Iterator[Converted | SourceError]:
    for n, result in enumerate(results, 1):
        if progress is not None:
            progress(n, result.source)
        yield result


def vocabulary_nquads() -> bytes:
    """The ontology and SKOS schemes, as N-Quads in the vocabulary graph."""
    import pyoxigraph as ox

    quads = ox.parse(resources.ontology_ttl(), format=ox.RdfFormat.TURTLE)
    graph = ox.NamedNode(VOCAB_GRAPH)
    lines = [f"{q.subject} {q.predicate} {q.object} {graph} .\n" for q in quads]
    return "".join(sorted(lines)).encode("utf-8")


def validate(report: BuildReport, location: Path, keep_going: bool) -> BuildCheck:
    """Check the converted chapters against the shapes (``livertox_kg.validation``), in the store's context.

    With ``keep_going``, chapters with violations move from ``report.loaded`` to ``report.refused`` and the
    others are checked again (a refused chapter may have been what another one pointed to).
    """
    from livertox_kg.validation.runner import check_build

    vocabulary = vocabulary_nquads()
    check = check_build(report.loaded, location, vocabulary)
    refused, labels, seconds = dict(check.refused), dict(check.labels), check.seconds
    while keep_going and check.refused and report.loaded:
        report.refused.extend(c for c in report.loaded if c.source in check.refused)
        report.loaded = [c for c in report.loaded if c.source not in check.refused]
        check = check_build(report.loaded, location, vocabulary)
        refused.update(check.refused)
        labels.update(check.labels)
        seconds += check.seconds
    check.refused, check.labels, check.seconds = refused, labels, seconds
    return check


def write(location: Path, loaded: Sequence[Converted]) -> None:
    """Replace the graphs of ``loaded`` chapters (and the vocabulary) in a new store generation.

    The N-Quads are bulk-loaded in batches (``store.batches``, read from the spool as they are needed), so
    memory stays flat whatever the number of chapters.
    """
    replaced = {iris.graph(conv.chapter_id) for conv in loaded} | {VOCAB_GRAPH}
    with store_mod.writer(location, replaced) as w:
        vocabulary = vocabulary_nquads()
        for batch in store_mod.batches(itertools.chain([vocabulary], (c.nquads for c in loaded))):
            w.load(batch)
        assert w.store is not None
        dataset.update(w.store, loaded, vocabulary)  # the description graph (VoID/DCAT), counts and checksums
        w.commit()


def progress_printer(total: int) -> Callable[[int, str], None] | None:
    """A one-line progress bar on stderr, only when stderr is a terminal."""
    if not sys.stderr.isatty() or total == 0:
        return None

    def show(n: int, name: str) -> None:
        width = 30
        filled = int(width * n / total)
        short = name.rsplit("/", 1)[-1][:40]
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {n}/{total} {short:<40}")
        if n == total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show
