"""Stage 3, interpret: a :class:`~livertox_kg.loaders.RawDocument` -> the model's
:class:`~livertox_kg.model.Chapter` (what the chapter says: agents, likelihood scores, injury patterns,
case reports, references, phenotypes, the table of contents).

:func:`load` is the one entry point from a source: read (``livertox_kg.loaders``) and interpret. Input that is
not a chapter raises :class:`~livertox_kg.errors.SourceError`; anything else that fails is our bug, raised as
:class:`~livertox_kg.errors.LoaderBug` naming the file (exit 3), never turned into bad input.
"""

from __future__ import annotations

from livertox_kg.errors import LoaderBug, SourceError
from livertox_kg.interpret.chapter import interpret
from livertox_kg.loaders import read
from livertox_kg.model import Chapter
from livertox_kg.sources import SourceDoc

__all__ = ["interpret", "load"]


def load(source: SourceDoc) -> Chapter:
    """Read and interpret one source."""
    try:
        return interpret(read(source))
    except SourceError:
        raise
    except Exception as exc:
        raise LoaderBug(source.name, exc) from exc
