"""Entries a curator asks ``validate`` about: chapter files, or hand-written Turtle / JSON-LD.

A chapter file (``.nxml``, ``.xml``, a ``.txt`` text copy, a folder or archive of them) goes through the same
loaders and RDF mapping as ``build``; its triples would replace the chapter's named graph. A Turtle,
N-Triples or JSON-LD file is an entry of its own (a new likelihood assessment, a trade name, a reference):
its triples are added to the graph, replacing nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from livertox_kg.errors import SourceError
from livertox_kg.interpret import load
from livertox_kg.model import Finding
from livertox_kg.rdf import chapter as rdf
from livertox_kg.rdf import iris
from livertox_kg.sources import MAX_CHAPTER_BYTES, SourceDoc, iter_sources
from livertox_kg.validation.places import SourcePlaces
from livertox_kg.validation.terms import canonical

RDF_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
}


@dataclass
class EntryData:
    name: str  # as the user gave it (a path, or archive!member)
    statements: list[str]  # "<s> <p> o"
    replaces: str | None = None  # the named graph the entry would replace (chapter files)
    chapter_id: str | None = None
    updated: str | None = None
    findings: list[Finding] = field(default_factory=list)
    places: SourcePlaces | None = None  # where its nodes and findings are in the file (chapter files)

    @property
    def subjects(self) -> set[str]:
        return {s.split(" ", 1)[0] for s in self.statements}


def _rdf_entry(path: Path) -> EntryData:
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_CHAPTER_BYTES:
            raise SourceError(name, None, f"file is {size:,} bytes; an entry is at most {MAX_CHAPTER_BYTES:,} bytes")
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(name, None, f"cannot read: {exc.strerror or exc}") from None
    fmt = RDF_FORMATS[path.suffix.lower()]
    try:
        quads = list(ox.parse(data, format=fmt, base_iri=path.resolve().as_uri()))
    except SyntaxError as exc:
        where = None
        if isinstance(exc.args[-1], tuple) and len(exc.args[-1]) >= 3 and exc.args[-1][1]:
            where = f"line {exc.args[-1][1]} column {exc.args[-1][2]}"
        message = str(exc.args[0]) if exc.args else str(exc)
        if message.startswith("Parser error"):
            message = message.split(": ", 1)[-1]
        raise SourceError(name, where, f"not valid {fmt.name}: {message}") from None
    except (ValueError, OSError) as exc:
        raise SourceError(name, None, f"not valid {fmt.name}: {exc}") from None
    statements = sorted({canonical(f"{q.subject} {q.predicate} {q.object}") for q in quads})
    if not statements:
        raise SourceError(name, None, "no triples")
    return EntryData(name, statements)


def _chapter_entry(doc: SourceDoc) -> EntryData:
    chapter = load(doc)
    statements = [canonical(s) for s in rdf.chapter_triples(chapter)]
    return EntryData(
        doc.name,
        statements,
        replaces=iris.graph(chapter.id),
        chapter_id=chapter.id,
        updated=chapter.updated.isoformat() if chapter.updated else None,
        findings=list(chapter.findings),
        places=SourcePlaces(doc.name, chapter, doc.data),
    )


def read_entries(paths: Sequence[Path]) -> Iterator[EntryData]:
    """Each entry under ``paths``; a file that cannot be read raises :class:`SourceError` (exit code 2)."""
    for path in paths:
        if path.is_file() and path.suffix.lower() in RDF_FORMATS:
            yield _rdf_entry(path)
            continue
        if not path.exists():
            raise SourceError(str(path), None, "no such file or folder")
        found = False
        for item in iter_sources([path]):
            if isinstance(item, SourceError):
                raise item
            found = True
            yield _chapter_entry(item)
        if not found:
            raise SourceError(
                str(path), None, "no entry here: give chapter files (.nxml, .txt) or Turtle / JSON-LD (.ttl, .jsonld)"
            )
