"""Test helpers: a chapter's graph as an rdflib Graph, and readable graph diffs."""

from __future__ import annotations

from pathlib import Path

import rdflib
from rdflib.compare import graph_diff, to_isomorphic

from livertox_kg.interpret import load
from livertox_kg.model import Chapter
from livertox_kg.rdf import chapter as rdf
from livertox_kg.rdf.vocab import PREFIXES
from livertox_kg.sources import iter_sources


def load_path(path: Path) -> Chapter:
    (source,) = list(iter_sources([path]))
    assert not isinstance(source, Exception), source
    return load(source)


def chapter_graph(chapter: Chapter) -> rdflib.Graph:
    g = rdflib.Graph(bind_namespaces="none")
    for prefix, iri in PREFIXES.items():
        g.bind(prefix, iri)
    g.parse(data=rdf.ntriples(rdf.chapter_triples(chapter)), format="nt")
    return g


def diff_text(expected: rdflib.Graph, got: rdflib.Graph, limit: int = 40) -> str:
    _, only_expected, only_got = graph_diff(to_isomorphic(expected), to_isomorphic(got))
    lines = [f"- {' '.join(t.n3() for t in triple)}" for triple in sorted(only_expected)[:limit]]
    lines += [f"+ {' '.join(t.n3() for t in triple)}" for triple in sorted(only_got)[:limit]]
    return "\n".join(lines)
