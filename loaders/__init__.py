"""Stage 2, loaders: one source (``livertox_kg.sources.SourceDoc``) -> one :class:`RawDocument`.

Each format reader (``nxml.py`` for NCBI's BITS XML, ``text.py`` for plain-text copies of the web pages)
recovers only the document's structure (titles, paragraphs, tables, reference entries) into the
format-neutral classes of ``document.py``; :mod:`livertox_kg.interpret` reads their meaning, the same way
for every format. To add a format: a reader here returning a :class:`RawDocument`, chosen in :func:`read`.
"""

from __future__ import annotations

import hashlib

from livertox_kg import __version__
from livertox_kg.loaders.document import RawDocument
from livertox_kg.loaders.nxml import read_nxml
from livertox_kg.loaders.text import read_text
from livertox_kg.model import Provenance
from livertox_kg.sources import SourceDoc

__all__ = ["RawDocument", "read"]


def read(source: SourceDoc) -> RawDocument:
    """The structure of one source; raises :class:`~livertox_kg.errors.SourceError` naming the file and the
    place when it is not a LiverTox chapter."""
    display = source.name
    base = display.rsplit("/", 1)[-1].rsplit("!", 1)[-1]
    provenance = Provenance(
        source_name=base,
        sha256=hashlib.sha256(source.data).hexdigest(),
        source_format=source.fmt,
        loader_version=__version__,
    )
    reader = read_nxml if source.fmt == "nxml" else read_text
    return reader(source.data, provenance, display)
