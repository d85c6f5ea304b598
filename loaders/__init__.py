"""Loaders: source files -> format readers (``nxml``, ``text``) -> ``interpret`` -> the typed model.

``load(source)`` is the one entry point; ``iter_sources`` finds the sources under paths.
"""

from __future__ import annotations

import hashlib

from livertox_kg import __version__
from livertox_kg.errors import LoaderBug, SourceError
from livertox_kg.loaders.document import RawDocument
from livertox_kg.loaders.interpret import interpret
from livertox_kg.loaders.sources import SourceDoc, iter_sources
from livertox_kg.model import Chapter, Provenance

__all__ = ["SourceDoc", "iter_sources", "load", "read"]


def read(source: SourceDoc) -> RawDocument:
    display = source.name
    base = display.rsplit("/", 1)[-1].rsplit("!", 1)[-1]
    provenance = Provenance(
        source_name=base,
        sha256=hashlib.sha256(source.data).hexdigest(),
        source_format=source.fmt,
        loader_version=__version__,
    )
    if source.fmt == "nxml":
        from livertox_kg.loaders.nxml import read_nxml

        doc = read_nxml(source.data, provenance, display)
    else:
        from livertox_kg.loaders.text import read_text

        doc = read_text(source.data, provenance, display)
    return doc


def load(source: SourceDoc) -> Chapter:
    """Read and interpret one source. Raises :class:`SourceError` naming the file and place for input that
    is not a chapter; anything else that goes wrong is our bug, raised as :class:`LoaderBug` naming the file."""
    try:
        return interpret(read(source))
    except SourceError:
        raise
    except Exception as exc:
        raise LoaderBug(source.name, exc) from exc
