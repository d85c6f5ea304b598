"""The converter's version: what an incremental build compares, besides a source's checksum, to skip it.

A chapter graph is a function of its source's bytes, the source's file name, and the code and data that turn
a source into triples: the readers (``sources/``, ``loaders/``), the interpretation (``interpret/``,
``model.py``), the mapping to RDF (``rdf/``, ``store/convert.py``), the ontology (the vocabulary graph) and the
agents' cross-reference table (``mappings/``: the mapping graph follows the agents). The version is a digest of
the package version and of those files' bytes, computed once per process (about 60 files: a few milliseconds),
so that any edit to the converter, even without a new release, reconverts every chapter. It is recorded in the
dataset description per chapter graph (``pav:createdWith ltxid:software/converter-{digest}``).
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Final

from livertox_kg import __version__
from livertox_kg.rdf.vocab import ID

_ROOT: Final = Path(__file__).resolve().parent.parent  # the package root (the repository root in a checkout)
_FOLDERS: Final = ("sources", "loaders", "interpret", "rdf", "ontology", "mappings")
_FILES: Final = ("model.py", "errors.py", "store/convert.py")
_SUFFIXES: Final = (".py", ".ttl", ".jsonld", ".tsv")
PREFIX: Final = f"{ID}software/converter-"


def _files() -> list[Path]:
    found = [p for folder in _FOLDERS for p in (_ROOT / folder).rglob("*") if p.suffix in _SUFFIXES and p.is_file()]
    found += [_ROOT / name for name in _FILES if (_ROOT / name).is_file()]
    return sorted({p for p in found if "__pycache__" not in p.parts}, key=lambda p: p.relative_to(_ROOT).as_posix())


@functools.cache
def converter_version() -> str:
    """The converter's digest (20 hex digits) for this process's code."""
    digest = hashlib.sha256(f"livertox-kg {__version__}\n".encode())
    for path in _files():
        digest.update(f"{path.relative_to(_ROOT).as_posix()}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:20]


def converter_iri() -> str:
    """The node the description names as the software a chapter graph was created with."""
    return PREFIX + converter_version()
