"""The export formats: their names, file suffixes, media types and pyoxigraph formats, and which of them keep
named graphs. The one table the exports, ``diff`` (which reads exports back) and the CLI share."""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pyoxigraph as ox

FORMATS: Final = ("turtle", "ntriples", "nquads", "trig", "jsonld")
SUFFIXES: Final = {".ttl": "turtle", ".nt": "ntriples", ".nq": "nquads", ".trig": "trig", ".jsonld": "jsonld"}
MEDIA_TYPES: Final = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "nquads": "application/n-quads",
    "trig": "application/trig",
    "jsonld": "application/ld+json",
}
RDF_FORMATS: Final = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}
QUAD_FORMATS: Final = ("nquads", "trig", "jsonld")  # one named graph per chapter
TRIPLE_FORMATS: Final = ("turtle", "ntriples")  # the merge of the graphs


def format_of(path: Path) -> str | None:
    """The format a file's suffix names (``.ttl .nt .nq .trig .jsonld``, any case), else None."""
    name = path.name.lower()
    return next((fmt for suffix, fmt in SUFFIXES.items() if name.endswith(suffix)), None)


def format_for(path: Path | None, given: str | None) -> str:
    """The format asked for, else the one the output file's suffix names, else N-Quads."""
    if given:
        return given
    return (format_of(path) if path is not None else None) or "nquads"
