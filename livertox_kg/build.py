"""``build``: sources -> loaders -> model -> RDF -> a new store generation, all or nothing.

Chapters are read and converted to N-Quads first (in worker processes when there are many), then the
store is written once: the graphs of the loaded chapters (and the vocabulary graph) are replaced in a
staged copy of the store, which becomes current only when everything has been written.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from livertox_kg import dataset, iris, rdf, resources
from livertox_kg import store as store_mod
from livertox_kg.errors import SourceError
from livertox_kg.loaders import SourceDoc, iter_sources, load
from livertox_kg.model import Finding
from livertox_kg.vocab import VOCAB_GRAPH

if TYPE_CHECKING:
    from livertox_kg.validation.runner import BuildCheck

PARALLEL_THRESHOLD = 64  # below this many sources, worker processes cost more than they save


@dataclass(frozen=True)
class Converted:
    """One source, converted: what the store needs and what the user is told."""

    source: str
    chapter_id: str
    kind: str
    updated: str | None
    nquads: bytes
    findings: tuple[Finding, ...]


@dataclass
class BuildReport:
    loaded: list[Converted] = field(default_factory=list)
    bad: list[SourceError] = field(default_factory=list)
    superseded: list[tuple[Converted, Converted]] = field(default_factory=list)  # (dropped, kept)
    refused: list[Converted] = field(default_factory=list)  # chapters that violate the SHACL shapes


def convert(source: SourceDoc) -> Converted | SourceError:
    """Load one source into N-Quads for its chapter graph, or the error that stops it."""
    try:
        chapter = load(source)
    except SourceError as exc:
        return exc
    graph = iris.graph(chapter.id)
    nquads = rdf.nquads(rdf.chapter_triples(chapter), graph).encode("utf-8")
    return Converted(
        source.name,
        chapter.id,
        chapter.kind.value,
        chapter.updated.isoformat() if chapter.updated else None,
        nquads,
        tuple(chapter.findings),
    )


def default_sources() -> list[Path]:
    """The sample chapters shipped with the package."""
    root = resources.samples_dir()
    return [Path(str(root / name)) for name in resources.sample_names()]


def _workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def convert_all(paths: Sequence[Path], show_progress: bool = False) -> BuildReport:
    report = BuildReport()
    items = list(iter_sources(paths))
    docs = [i for i in items if isinstance(i, SourceDoc)]
    report.bad.extend(i for i in items if isinstance(i, SourceError))
    progress = progress_printer(len(docs)) if show_progress else None
    if len(docs) >= PARALLEL_THRESHOLD and _workers() > 1:
        with ProcessPoolExecutor(max_workers=_workers()) as pool:
            results = list(_tick(pool.map(convert, docs, chunksize=16), progress))
    else:
        results = list(_tick(map(convert, docs), progress))
    by_id: dict[str, Converted] = {}
    for result in results:
        if isinstance(result, SourceError):
            report.bad.append(result)
            continue
        previous = by_id.get(result.chapter_id)
        if previous is not None:
            report.superseded.append((previous, result))
        by_id[result.chapter_id] = result
    report.loaded = list(by_id.values())
    return report


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
    check = check_build([(c.source, c.chapter_id, c.nquads) for c in report.loaded], location, vocabulary)
    refused, labels, seconds = dict(check.refused), dict(check.labels), check.seconds
    while keep_going and check.refused and report.loaded:
        report.refused.extend(c for c in report.loaded if c.source in check.refused)
        report.loaded = [c for c in report.loaded if c.source not in check.refused]
        check = check_build([(c.source, c.chapter_id, c.nquads) for c in report.loaded], location, vocabulary)
        refused.update(check.refused)
        labels.update(check.labels)
        seconds += check.seconds
    check.refused, check.labels, check.seconds = refused, labels, seconds
    return check


def write(location: Path, loaded: Sequence[Converted]) -> None:
    """Replace the graphs of ``loaded`` chapters (and the vocabulary) in a new store generation."""
    with store_mod.writer(location) as w:
        w.remove_graph(VOCAB_GRAPH)
        for conv in loaded:
            w.remove_graph(iris.graph(conv.chapter_id))
        vocabulary = vocabulary_nquads()
        w.load([vocabulary, *(c.nquads for c in loaded)])
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
