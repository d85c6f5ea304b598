"""Native versions of the shapes' SPARQL constraints, and a SPARQL fallback for any other.

Each function here does what the ``sh:select`` of the constraint it is registered for does, on the indexed
data graph instead of through a SPARQL engine: pySHACL runs the query once per focus node, which is what
makes it slow. ``tests/test_validate.py`` checks that both give the same results on real chapters and on
hand-broken cases, so the query text in ``shapes/`` stays the specification.

A SPARQL constraint without a native version still runs, through pyoxigraph on an in-memory copy of the
data graph with ``$this`` pre-bound (slower, same semantics).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import pyoxigraph as ox

from livertox_kg.rdf import vocab
from livertox_kg.validation.datagraph import RDF_TYPE, DataGraph
from livertox_kg.validation.terms import iri, iri_value, is_iri, is_literal, lexical

if TYPE_CHECKING:
    from livertox_kg.validation.shapes_graph import Shape, SparqlConstraint

SHAPES: Final = vocab.LTXSH.iri
LTX: Final = vocab.LTX.iri
ID: Final = vocab.ID
OWL: Final = vocab.OWL.iri

Failure = tuple[str | None, str]


@dataclass(frozen=True)
class Context:
    data: DataGraph
    today: dt.date
    path: str | None  # the property shape's path term, if any
    query: str = ""  # the constraint's sh:select text (where a table such as a VALUES block is read from)


Native = Callable[[Context, str], list[Failure]]
REGISTRY: dict[str, Native] = {}


def _native(name: str) -> Callable[[Native], Native]:
    def register(fn: Native) -> Native:
        REGISTRY[SHAPES + name] = fn
        return fn

    return register


def _values(ctx: Context, focus: str) -> set[str] | frozenset[str]:
    assert ctx.path is not None
    return ctx.data.objects(focus, ctx.path)


@_native("KnownClassShape-query")
def known_class(ctx: Context, focus: str) -> list[Failure]:
    if not is_iri(focus) or iri_value(focus).startswith(OWL):
        return []
    if not ctx.data.reverse(RDF_TYPE).get(focus):
        return []
    if iri(OWL + "Class") in ctx.data.types(focus):
        return []
    return [(focus, "not declared an owl:Class by the ontology")]


@_native("Chapter-chapterId-iri-query")
def chapter_id_iri(ctx: Context, focus: str) -> list[Failure]:
    if not is_iri(focus):
        return []
    return [
        (v, f"the IRI of chapter {lexical(v)} is {ID}chapter/{lexical(v)}")
        for v in _values(ctx, focus)
        if iri_value(focus) != f"{ID}chapter/{lexical(v)}"
    ]


@_native("Chapter-chapterId-unique-query")
def chapter_id_unique(ctx: Context, focus: str) -> list[Failure]:
    assert ctx.path is not None
    out: list[Failure] = []
    users = ctx.data.reverse(ctx.path)
    for v in _values(ctx, focus):
        others = sorted(users.get(v, set()) - {focus})
        if others:
            out.append((v, "also the chapter id of " + ", ".join(lexical(o) for o in others)))
    return out


@_native("Chapter-modified-future-query")
def modified_future(ctx: Context, focus: str) -> list[Failure]:
    today = ctx.today.isoformat()
    return [(v, f"after today ({today})") for v in _values(ctx, focus) if is_literal(v) and lexical(v) > today]


@_native("ScoredChapterShape-query")
def scored_chapter(ctx: Context, focus: str) -> list[Failure]:
    data = ctx.data
    if not data.types(focus):
        return []
    assessment = iri(LTX + "LikelihoodAssessment")
    for part in data.reverse(iri(LTX + "inChapter")).get(focus, ()):
        if assessment in data.types(part):
            return []
    return [(focus, "no likelihood assessment")]


_CAS = re.compile(r"^[0-9]{2,7}-[0-9]{2}-[0-9]$")


def cas_check_digit_ok(cas: str) -> bool:
    """The last digit of a CAS RN is the sum of the other digits, from the right, times 1, 2, 3, ... mod 10."""
    digits = cas.replace("-", "")
    body = digits[:-1]
    total = sum(int(d) * weight for weight, d in enumerate(reversed(body), 1))
    return total % 10 == int(digits[-1])


@_native("Agent-casRegistryNumber-checkDigit-query")
def cas_check_digit(ctx: Context, focus: str) -> list[Failure]:
    out: list[Failure] = []
    for v in _values(ctx, focus):
        if is_literal(v):
            text = lexical(v)
            if _CAS.search(text) and not cas_check_digit_ok(text):
                out.append((v, "wrong check digit"))
    return out


@_native("Work-pubMedId-iri-query")
def pubmed_iri(ctx: Context, focus: str) -> list[Failure]:
    if not is_iri(focus):
        return []
    return [
        (v, f"a work with PubMed id {lexical(v)} is https://pubmed.ncbi.nlm.nih.gov/{lexical(v)}/")
        for v in _values(ctx, focus)
        if _PMID.fullmatch(lexical(v)) and iri_value(focus) != f"{vocab.PUBMED}{lexical(v)}/"
    ]


_PMID = re.compile("[1-9][0-9]{0,9}")
_FLOOR_ROW = re.compile(r" (\d{4}):(\d+)(?= )")
_FLOORS: dict[str, dict[str, int]] = {}  # query text -> year -> floor (the table lives in the shape)
_FABIO_YEAR = f"<{vocab.FABIO.hasPublicationYear}>"


@_native("Work-pubMedId-year-query")
def pubmed_id_year(ctx: Context, focus: str) -> list[Failure]:
    """A PubMed id below the floor of its work's publication year (the query's string of ``year:floor`` pairs)."""
    floors = _FLOORS.get(ctx.query)
    if floors is None:
        floors = _FLOORS[ctx.query] = {y: int(f) for y, f in _FLOOR_ROW.findall(ctx.query)}
    years = [lexical(y) for y in ctx.data.objects(focus, _FABIO_YEAR) if is_literal(y)]
    out: list[Failure] = []
    for v in _values(ctx, focus):
        text = lexical(v)
        if not (is_literal(v) and text.isascii() and text.isdigit()):
            continue
        for year in years:
            if year in floors and int(text) < floors[year]:
                out.append((v, f"PubMed id {text} is below {floors[year]:,}, the lowest expected for {year}"))
                break
    return out


_NOT_ALNUM = re.compile("[^A-Za-z0-9]")


def title_key(title: str) -> str:
    """A title up to case and punctuation: ``LCASE(REPLACE(STR(?t), "[^A-Za-z0-9]", ""))``."""
    return _NOT_ALNUM.sub("", title).lower()


@_native("Work-title-conflict-query")
def title_conflict(ctx: Context, focus: str) -> list[Failure]:
    titles = [v for v in _values(ctx, focus) if is_literal(v)]
    keys = {title_key(lexical(v)) for v in titles}
    if len(keys) < 2:
        return []
    return [(v, f"{len(titles)} different titles for this work") for v in titles]


@_native("Work-citation-query")
def work_citation(ctx: Context, focus: str) -> list[Failure]:
    data = ctx.data
    if not is_iri(focus) or not iri_value(focus).startswith(ID + "work/") or not data.types(focus):
        return []
    citation = "<http://purl.org/dc/terms/bibliographicCitation>"
    if any(lexical(t) for t in data.objects(focus, citation)):
        return []
    return [(None, "no citation text and no PubMed id")]


@_native("Work-year-future-query")
def year_future(ctx: Context, focus: str) -> list[Failure]:
    year = f"{ctx.today.year:04d}"
    return [(v, f"after this year ({year})") for v in _values(ctx, focus) if is_literal(v) and lexical(v) > year]


class SparqlFallback:
    """Runs a SPARQL constraint with pyoxigraph, ``$this`` pre-bound, on an in-memory copy of the data."""

    def __init__(self, data: DataGraph) -> None:
        self.store = ox.Store()
        text = "".join(f"{s} {p} {o} .\n" for s, p, o in data.triples())
        self.store.load(text, format=ox.RdfFormat.N_TRIPLES)

    def run(self, sc: SparqlConstraint, shape: Shape, focus: str) -> list[Failure]:
        query = sc.select
        if shape.path is not None:
            query = query.replace("$PATH", shape.path)
        head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sc.prefixes)
        term = next(iter(ox.parse(f"{focus} <urn:p> <urn:o> .", format=ox.RdfFormat.N_TRIPLES))).subject
        out: list[Failure] = []
        seen: set[str | None] = set()
        solutions = self.store.query(head + query, substitutions={ox.Variable("this"): term})
        assert isinstance(solutions, ox.QuerySolutions)
        for solution in solutions:
            value = solution["value"]
            text = str(value) if value is not None else (None if shape.is_property else focus)
            if text not in seen:
                seen.add(text)
                out.append((text, "found by the SPARQL check"))
        return out
