"""The fast SHACL engine: the shapes of :mod:`livertox_kg.validation.shapes_graph` over a :class:`DataGraph`.

It implements exactly the components the shapes use, with pySHACL's semantics (pySHACL is the reference
engine; ``tests/test_validate.py`` checks that both give the same focus node, path, value, constraint
component, shape and severity): targets with ``rdfs:subClassOf`` closure from the data graph, distinct value
nodes, rdflib's rules for ill-typed literals, Python regular expressions for ``sh:pattern``. SPARQL
constraints run as the native functions of :mod:`livertox_kg.validation.native`, or through pyoxigraph when a
constraint has no native version.

Where the speed comes from: the data is indexed once by (subject, predicate); a property shape is evaluated
for all its focus nodes at once; and a value constraint (datatype, pattern, class, ...) is decided once per
distinct value, not once per focus node and value. The 66,000 references of the scale corpus have 1,140
distinct ``ltx:inChapter`` values: the class check runs 1,140 times, not 66,000.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from itertools import compress, repeat
from typing import Final

from livertox_kg.validation import native
from livertox_kg.validation.datagraph import RDF_TYPE, DataGraph
from livertox_kg.validation.shapes_graph import SH, Constraint, Shape, ShapesError, ShapesGraph, SparqlConstraint
from livertox_kg.validation.terms import (
    iri_value,
    lexical,
)
from livertox_kg.validation.values import short, too_many, value_test

VIOLATION: Final = SH + "Violation"
WARNING: Final = SH + "Warning"
INFO: Final = SH + "Info"


@dataclass(frozen=True)
class Result:
    """One validation result, as in a ``sh:ValidationReport``; terms are N-Triples text."""

    focus: str
    path: str | None  # predicate term
    value: str | None
    component: str  # constraint component IRI
    shape: str  # source shape term
    severity: str  # sh:Violation / sh:Warning / sh:Info IRI
    message: str
    constraint: str | None = None  # sh:sourceConstraint (the sh:sparql node) term
    detail: str = ""  # what was found, in words (not part of the SHACL result)

    def key(self) -> tuple[str, str, str, str, str, str]:
        """What two engines must agree on."""
        return (self.focus, self.path or "", self.value or "", self.component, self.shape, self.severity)


Found = list[tuple[str, str | None, str]]  # (focus node, value node or None, detail)


class Column:
    """The focus nodes of a shape and, for each, its value nodes: what every check of the shape reads.

    Kept as two parallel lists so that the common questions (how many values, which values are bad) run
    in C (``map``, ``itertools.compress``, set operations) rather than in a Python loop per focus node.
    """

    __slots__ = ("_counts", "_distinct", "focus", "values")

    def __init__(self, focus: list[str], values: list[Collection[str]]) -> None:
        self.focus = focus
        self.values = values
        self._counts: list[int] | None = None
        self._distinct: set[str] | None = None

    @property
    def counts(self) -> list[int]:
        if self._counts is None:
            self._counts = list(map(len, self.values))
        return self._counts

    @property
    def distinct(self) -> set[str]:
        """Every value node, once."""
        if self._distinct is None:
            self._distinct = set().union(*self.values)
        return self._distinct

    def where_count(self, test: Callable[[int], bool]) -> list[tuple[str, Collection[str]]]:
        """``(focus, values)`` of the focus nodes whose number of values passes ``test``."""
        keep = list(map(test, self.counts))
        return list(compress(zip(self.focus, self.values, strict=True), keep))

    def having(self, bad: set[str]) -> list[tuple[str, Collection[str]]]:
        """``(focus, values)`` of the focus nodes with at least one value in ``bad``."""
        keep = list(map(bad.isdisjoint, self.values))
        return [pair for pair, clean in zip(zip(self.focus, self.values, strict=True), keep, strict=True) if not clean]


Run = Callable[[Column], Found]


@dataclass(frozen=True)
class _Compiled:
    component: str  # constraint component IRI reported
    constraint: str | None  # sh:sourceConstraint term (SPARQL constraints)
    run: Run


class Validator:
    def __init__(self, shapes: ShapesGraph, today: dt.date | None = None) -> None:
        self.shapes = shapes
        self.today = today or dt.datetime.now(dt.UTC).date()

    def validate(self, data: DataGraph, focus: Collection[str] | None = None) -> list[Result]:
        """All results for the data graph, or only those whose focus node is in ``focus``."""
        run = _Evaluation(self, data)
        results: list[Result] = []
        for shape in self.shapes.roots():
            if shape.deactivated:
                continue
            targets = run.targets(shape)
            if focus is not None:
                targets = targets & focus if isinstance(focus, set | frozenset) else {t for t in targets if t in focus}
            if targets:
                results.extend(run.evaluate(shape, list(targets)))
        return sorted(set(results), key=order)


_SEVERITY_ORDER = {VIOLATION: 0, WARNING: 1, INFO: 2}


def order(r: Result) -> tuple[int, str, str, str, str, str]:
    """Results sort by severity, then focus node, path, shape, value: the same order every run."""
    return (_SEVERITY_ORDER.get(r.severity, 3), r.focus, r.path or "", r.shape, r.component, r.value or "")


class _Evaluation:
    """One validation of one data graph: caches compiled checks and conformance."""

    def __init__(self, validator: Validator, data: DataGraph) -> None:
        self.v = validator
        self.data = data
        self.checks: dict[str, list[_Compiled]] = {}
        self.conformance: dict[tuple[str, str], bool] = {}
        self.sparql_fallback: native.SparqlFallback | None = None
        self._subclasses: dict[str, frozenset[str]] = {}

    def subclasses(self, cls: str) -> frozenset[str]:
        found = self._subclasses.get(cls)
        if found is None:
            found = self._subclasses[cls] = self.data.subclasses(cls)
        return found

    # -- targets -----------------------------------------------------------------------------------------

    def targets(self, shape: Shape) -> set[str]:
        data = self.data
        found: set[str] = set(shape.target_nodes)
        if shape.target_classes:
            by_type = data.reverse(RDF_TYPE)
            for cls in shape.target_classes:
                for c in self.subclasses(cls):
                    found.update(by_type.get(c, ()))
        for p in shape.target_subjects_of:
            found.update(data.subjects_of(p))
        for p in shape.target_objects_of:
            for values in data.values_of(p).values():
                found.update(values)
        return found

    # -- evaluation --------------------------------------------------------------------------------------

    def evaluate(self, shape: Shape, focus_nodes: Iterable[str]) -> list[Result]:
        results: list[Result] = []
        focus_list = list(focus_nodes)
        self._evaluate_into(shape, focus_list, results)
        for prop in shape.properties:
            if not prop.deactivated:
                self._evaluate_into(prop, focus_list, results)
        return results

    def _evaluate_into(self, shape: Shape, focus_nodes: list[str], out: list[Result]) -> None:
        compiled = self._checks(shape)
        if not compiled:
            return
        path = shape.path
        if path is None:
            column = Column(focus_nodes, [(f,) for f in focus_nodes])
        else:
            empty: frozenset[str] = frozenset()
            column = Column(focus_nodes, list(map(self.data.values_of(path).get, focus_nodes, repeat(empty))))
        for c in compiled:
            for f, value, detail in c.run(column):
                out.append(
                    Result(f, path, value, c.component, shape.iri, shape.severity, shape.message, c.constraint, detail)
                )

    def conforms(self, node: str, shape_iri: str) -> bool:
        """Whether ``node`` conforms to a shape (no result of any severity), as ``sh:node`` needs."""
        key = (shape_iri, node)
        cached = self.conformance.get(key)
        if cached is None:
            shape = self.v.shapes.shapes.get(shape_iri)
            if shape is None:
                raise ShapesError(f"shape {iri_value(shape_iri)} is used but not defined")
            self.conformance[key] = True  # a recursive reference conforms, as pySHACL assumes
            cached = not self.evaluate(shape, [node])
            self.conformance[key] = cached
        return cached

    def _checks(self, shape: Shape) -> list[_Compiled]:
        compiled = self.checks.get(shape.iri)
        if compiled is None:
            compiled = []
            for c in shape.constraints:
                if c.component == SH + "QualifiedValueShapeConstraintComponent":
                    compiled.extend(self._compile_qualified(c))
                else:
                    compiled.append(_Compiled(c.component, None, self._compile(c, shape)))
            for sc in shape.sparql:
                compiled.append(_Compiled(SH + "SPARQLConstraintComponent", sc.iri, self._compile_sparql(sc, shape)))
            self.checks[shape.iri] = compiled
        return compiled

    def _compile_sparql(self, sc: SparqlConstraint, shape: Shape) -> Run:
        impl = native.REGISTRY.get(iri_value(sc.iri))
        if impl is not None:
            ctx = native.Context(self.data, self.v.today, shape.path, sc.select)
            return lambda column: [(f, value, detail) for f in column.focus for value, detail in impl(ctx, f)]
        if self.sparql_fallback is None:
            self.sparql_fallback = native.SparqlFallback(self.data)
        fallback = self.sparql_fallback
        return lambda column: [(f, value, detail) for f in column.focus for value, detail in fallback.run(sc, shape, f)]

    def _compile_qualified(self, c: Constraint) -> list[_Compiled]:
        """``sh:qualifiedValueShape``: results are reported as QualifiedMin/MaxCountConstraintComponent."""
        value_shape = c.param("shape") or ""
        low_term, high_term = c.param("min"), c.param("max")
        vs = self.v.shapes.shapes.get(value_shape)
        vs_name = vs.display if vs else short(value_shape)

        def conforming(values: set[str]) -> set[str]:
            return {x for x in values if self.conforms(x, value_shape)}

        out: list[_Compiled] = []
        if high_term is not None:
            high = int(lexical(high_term))

            def q_max(column: Column) -> Found:
                many = column.where_count(high.__lt__)
                if not many:
                    return []
                good = conforming(set().union(*(v for _, v in many)))
                return [
                    (f, None, f"{n} values are a {vs_name}, at most {high} allowed")
                    for f, v in many
                    if (n := len(good.intersection(v))) > high
                ]

            out.append(_Compiled(SH + "QualifiedMaxCountConstraintComponent", None, q_max))
        if low_term is not None:
            low = int(lexical(low_term))

            def q_min(column: Column) -> Found:
                if low <= 0:
                    return []
                good = conforming(column.distinct)
                return [
                    (f, None, "no value is a " + vs_name if n == 0 else f"only {n} values are a {vs_name}")
                    for f, v in zip(column.focus, column.values, strict=True)
                    if (n := len(good.intersection(v))) < low
                ]

            out.append(_Compiled(SH + "QualifiedMinCountConstraintComponent", None, q_min))
        return out

    def _compile(self, c: Constraint, shape: Shape) -> Run:
        name = c.component.rsplit("#", 1)[-1]
        v = c.value
        if name == "MinCountConstraintComponent":
            low = int(lexical(v))

            def min_count(column: Column) -> Found:
                return [
                    (f, None, "missing" if not vs else f"{len(vs)} given, at least {low} needed")
                    for f, vs in column.where_count(low.__gt__)
                ]

            return min_count
        if name == "MaxCountConstraintComponent":
            high = int(lexical(v))

            def max_count(column: Column) -> Found:
                return [(f, None, too_many(vs, high)) for f, vs in column.where_count(high.__lt__)]

            return max_count
        if name == "HasValueConstraintComponent":
            missing = f"{short(v)} missing"

            def has_value(column: Column) -> Found:
                keep = [v not in vs for vs in column.values]
                return [(f, None, missing) for f in compress(column.focus, keep)]

            return has_value
        if name == "ClassConstraintComponent":
            return self._compile_class(v)
        test, words = self._value_test(name, c, shape)
        return _per_distinct_value(test, words)

    def _compile_class(self, cls: str) -> Run:
        """``sh:class``: the instances of the class and its subclasses are one set; bad values are the rest."""
        by_type = self.data.reverse(RDF_TYPE)
        instances: set[str] = set().union(*(by_type.get(c, ()) for c in self.subclasses(cls)))
        words = f"not a {short(cls)} in the graph"

        def class_(column: Column) -> Found:
            bad = column.distinct - instances
            if not bad:
                return []
            return [(f, x, words) for f, vs in column.having(bad) for x in sorted(bad.intersection(vs))]

        return class_

    def _value_test(self, name: str, c: Constraint, shape: Shape) -> tuple[Callable[[str], bool], Callable[[str], str]]:
        """``(ok(value), what is wrong with a value)`` for a constraint decided value by value."""
        v = c.value
        if name == "InConstraintComponent":
            members = {m for k, m in c.extra if k == "member"}
            return (lambda x: x in members), (lambda x: "not one of the allowed values")
        if name == "NodeConstraintComponent":
            target = self.v.shapes.shapes.get(v)
            shape_name = target.display if target else short(v)
            return (lambda x: self.conforms(x, v)), (lambda x: f"not a {shape_name}")
        return value_test(name, c, shape)


def _per_distinct_value(ok: Callable[[str], bool], words: Callable[[str], str]) -> Run:
    """A value constraint over all focus nodes: each distinct value is tested once."""

    def run(column: Column) -> Found:
        bad = {x for x in column.distinct if not ok(x)}
        if not bad:
            return []
        return [(f, x, words(x)) for f, vs in column.having(bad) for x in sorted(bad.intersection(vs))]

    return run
