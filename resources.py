"""The one module that locates files shipped inside the package (``importlib.resources``)."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable


def _root() -> Traversable:
    return resources.files("livertox_kg")


def ontology_ttl() -> bytes:
    return (_root() / "ontology" / "livertox.ttl").read_bytes()


def shapes_dir() -> Traversable:
    return _root() / "shapes"


def queries_dir() -> Traversable:
    return _root() / "queries"


def samples_dir() -> Traversable:
    return _root() / "samples"


def sample_names() -> list[str]:
    return sorted(p.name for p in samples_dir().iterdir() if p.name.endswith((".nxml", ".txt")))


def jsonld_context() -> bytes:
    """The JSON-LD context exports use (``ontology/context.jsonld``)."""
    return (_root() / "ontology" / "context.jsonld").read_bytes()


def dataset_ttl() -> bytes:
    """The dataset description's prose and fixed parts (``ontology/dataset.ttl``)."""
    return (_root() / "ontology" / "dataset.ttl").read_bytes()


def agent_mappings_tsv() -> bytes:
    """The agents' cross-references (``mappings/agents.sssom.tsv``, SSSOM/TSV)."""
    return (_root() / "mappings" / "agents.sssom.tsv").read_bytes()
