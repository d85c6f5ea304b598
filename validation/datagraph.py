"""The data graph the validator reads: every distinct triple, indexed by predicate, then subject.

Triples come as N-Triples text (see :mod:`livertox_kg.validation.terms`): the N-Quads a build converts, the
Turtle or JSON-LD of an entry (parsed by pyoxigraph), or the store. Named graphs are merged: validation
sees the union, as SHACL and pySHACL see one data graph.

Predicate first, because shapes ask by predicate: the values of one property for many focus nodes, the
subjects of a property (``sh:targetSubjectsOf``), the nodes of a class (the subjects of ``rdf:type`` by
value). A graph has few predicates (about 70), so each question is one dictionary of subjects.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Final

import pyoxigraph as ox

from livertox_kg.validation.terms import canonical

RDF_TYPE: Final = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
SUBCLASS_OF: Final = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"

_EMPTY: Final[frozenset[str]] = frozenset()


class DataGraph:
    """Distinct triples: ``by_predicate[p][s]`` is the set of objects. Terms are N-Triples text."""

    def __init__(self) -> None:
        self.by_predicate: dict[str, dict[str, set[str]]] = {}
        self._reverse: dict[str, dict[str, set[str]]] = {}
        self._closure: dict[str, frozenset[str]] | None = None

    # -- loading ---------------------------------------------------------------------------------------

    def add_statements(self, statements: Iterable[str]) -> None:
        """Statements as ``rdf.chapter_triples`` gives them: ``<s> <p> o`` without the final `` .``."""
        by_predicate = self.by_predicate
        for line in statements:
            if "\\u000" in line:
                line = canonical(line)
            s, p, o = line.split(" ", 2)
            subjects = by_predicate.get(p)
            if subjects is None:
                by_predicate[p] = {s: {o}}
                continue
            values = subjects.get(s)
            if values is None:
                subjects[s] = {o}
            else:
                values.add(o)
        self._reverse.clear()
        self._closure = None

    def add_nquads_text(self, text: str, graph_iri: str) -> None:
        """N-Quads lines as ``rdf.nquads`` writes them, every line ending with `` <graph_iri> .``."""
        cut = len(graph_iri) + 5  # " <" + iri + "> ."
        self.add_statements([line[:-cut] for line in text.split("\n") if line])

    def add_ntriples_text(self, text: str) -> None:
        """N-Triples lines as pyoxigraph serialises them (``<s> <p> o .``)."""
        self.add_statements([line[:-2].rstrip() for line in text.split("\n") if line and not line.startswith("#")])

    def add_quads(self, quads: Iterable[ox.Quad | ox.Triple]) -> None:
        self.add_statements(f"{q.subject} {q.predicate} {q.object}" for q in quads)

    # -- reading ---------------------------------------------------------------------------------------

    def objects(self, s: str, p: str) -> set[str] | frozenset[str]:
        subjects = self.by_predicate.get(p)
        if subjects is None:
            return _EMPTY
        return subjects.get(s) or _EMPTY

    def types(self, s: str) -> set[str] | frozenset[str]:
        return self.objects(s, RDF_TYPE)

    def values_of(self, p: str) -> dict[str, set[str]]:
        """``subject -> objects`` for one predicate (empty when the graph does not use it)."""
        return self.by_predicate.get(p) or {}

    def subjects_of(self, p: str) -> Iterable[str]:
        """Subjects with at least one value for ``p``."""
        return self.values_of(p).keys()

    def subjects(self) -> set[str]:
        out: set[str] = set()
        for subjects in self.by_predicate.values():
            out.update(subjects)
        return out

    def iri_objects(self) -> set[str]:
        out: set[str] = set()
        for subjects in self.by_predicate.values():
            for values in subjects.values():
                out.update(v for v in values if v.startswith("<"))
        return out

    def triples(self) -> Iterator[tuple[str, str, str]]:
        for p, subjects in self.by_predicate.items():
            for s, values in subjects.items():
                for o in values:
                    yield s, p, o

    def __len__(self) -> int:
        return sum(len(v) for subjects in self.by_predicate.values() for v in subjects.values())

    def reverse(self, p: str) -> dict[str, set[str]]:
        """``object -> subjects`` for predicate ``p`` (built on first use)."""
        cached = self._reverse.get(p)
        if cached is None:
            cached = {}
            for s, values in self.values_of(p).items():
                for o in values:
                    found = cached.get(o)
                    if found is None:
                        cached[o] = {s}
                    else:
                        found.add(s)
            self._reverse[p] = cached
        return cached

    def superclasses(self, cls: str) -> frozenset[str]:
        """``cls`` and every class it is an ``rdfs:subClassOf*`` of, from the data graph's own axioms."""
        return self._closed().get(cls) or frozenset((cls,))

    def subclasses(self, cls: str) -> frozenset[str]:
        """``cls`` and every class that is ``rdfs:subClassOf*`` it."""
        return frozenset(c for c, supers in self._closed().items() if cls in supers) | {cls}

    def _closed(self) -> dict[str, frozenset[str]]:
        if self._closure is None:
            direct = self.values_of(SUBCLASS_OF)
            closure: dict[str, frozenset[str]] = {}
            for start in direct:
                seen = {start}
                todo = [start]
                while todo:
                    for sup in direct.get(todo.pop(), ()):
                        if sup not in seen:
                            seen.add(sup)
                            todo.append(sup)
                closure[start] = frozenset(seen)
            self._closure = closure
        return self._closure
