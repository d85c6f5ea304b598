"""Sources -> chapters' N-Quads: each source read, interpreted and mapped to RDF (in worker processes when
there are many), its N-Quads spooled to disk with their checksum, ready to be bulk-loaded.

:func:`converting` yields every source's :class:`Converted` chapter (or the :class:`SourceError` that stops
it) in source order; :class:`livertox_kg.store.build.Build` loads them as they come.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from livertox_kg import resources
from livertox_kg.errors import SourceError
from livertox_kg.interpret import load
from livertox_kg.model import Chapter, Finding
from livertox_kg.rdf import chapter as rdf
from livertox_kg.rdf import iris
from livertox_kg.rdf.vocab import VOCAB_GRAPH
from livertox_kg.sources import SourceDoc, iter_sources
from livertox_kg.store import description as dataset
from livertox_kg.store import spool
from livertox_kg.store.spool import Spool

PARALLEL_THRESHOLD = 64  # below this many sources, worker processes cost more than they save


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
    def graph(self) -> str:
        """The chapter's named graph."""
        return iris.graph(self.chapter_id)

    @property
    def nquads(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.file is not None
        with open(self.file, "rb") as fh:
            fh.seek(self.offset)
            return fh.read(self.length)


def convert(source: SourceDoc, spool_dir: str | None = None) -> Converted | SourceError:
    """One source's chapter as N-Quads (held, or appended to this process's file in ``spool_dir``), or the
    error that stops it. Runs in a worker process when there are many sources."""
    try:
        chapter = load(source)
    except SourceError as exc:
        return exc
    nquads = rdf.nquads(rdf.chapter_triples(chapter), iris.graph(chapter.id)).encode("utf-8")
    return converted(source.name, chapter, nquads, spool_dir)


def converted(source_name: str, chapter: Chapter, nquads: bytes, spool_dir: str | None = None) -> Converted:
    """The :class:`Converted` of a chapter and its N-Quads: checksummed here, held or spooled."""
    sha, statements = dataset.checksum_lines(nquads)
    file, offset = spool.append(spool_dir, nquads) if spool_dir is not None else (None, 0)
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


def read_sources(paths: Sequence[Path]) -> tuple[list[SourceDoc], list[SourceError]]:
    """Every chapter source under ``paths`` (read into memory), and the ones that cannot be read."""
    items = list(iter_sources(paths))
    return [i for i in items if isinstance(i, SourceDoc)], [i for i in items if isinstance(i, SourceError)]


def converting(
    docs: Sequence[SourceDoc], into: Spool, tick: Callable[[int, str], None] | None = None
) -> Iterator[Converted | SourceError]:
    """Convert ``docs`` into the spool ``into`` (in worker processes when there are many), yielding each result
    in source order as soon as it is ready; ``tick(n, name)`` is called after each."""
    task = functools.partial(convert, spool_dir=into.path)
    with contextlib.ExitStack() as stack:
        if len(docs) >= PARALLEL_THRESHOLD and workers() > 1:
            pool = stack.enter_context(ProcessPoolExecutor(max_workers=workers()))
            results: Iterable[Converted | SourceError] = pool.map(task, docs, chunksize=8)
        else:
            stack.callback(spool.close_files, into.path)
            results = map(task, docs)
        for n, result in enumerate(results, 1):
            if tick is not None:
                tick(n, result.source)
            if isinstance(result, Converted):
                result = dataclasses.replace(result, spool=into)
            yield result


def workers() -> int:
    """Conversion worker processes: ``$LIVERTOX_KG_WORKERS``, else one per CPU but the one the loader uses
    (at most 4); 1 means converting in the build's own process."""
    given = os.environ.get("LIVERTOX_KG_WORKERS", "")
    if given.isdigit() and int(given) > 0:
        return int(given)
    return max(1, min(4, (os.cpu_count() or 1) - 1))


def default_sources() -> list[Path]:
    """The sample chapters shipped with the package."""
    root = resources.samples_dir()
    return [Path(str(root / name)) for name in resources.sample_names()]


def vocabulary_nquads() -> bytes:
    """The ontology and SKOS schemes, as N-Quads in the vocabulary graph."""
    import pyoxigraph as ox

    quads = ox.parse(resources.ontology_ttl(), format=ox.RdfFormat.TURTLE)
    graph = ox.NamedNode(VOCAB_GRAPH)
    lines = [f"{q.subject} {q.predicate} {q.object} {graph} .\n" for q in quads]
    return "".join(sorted(lines)).encode("utf-8")
