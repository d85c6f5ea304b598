"""Deterministic exports: Turtle, N-Triples, N-Quads, TriG and JSON-LD, streamed graph by graph.

What makes the bytes the same on every run and machine:

* graphs are written in one fixed order: the dataset description, the vocabulary, then every other graph
  by IRI; inside a graph, statements are sorted by their N-Triples text (subject, predicate, object);
* terms are written from the store's own N-Triples text (one escaping, Oxigraph's), never through a
  hash-ordered structure; there are no blank nodes in the graph, and none are made;
* Turtle and TriG declare only the prefixes they use, in prefix order (the body is written to a temporary
  file first, so the header can list exactly those); JSON-LD carries the shipped context
  (``ontology/context.jsonld``) inline, so a reader needs nothing from the network;
* nothing depends on the clock, the locale, the file system order or ``PYTHONHASHSEED``.

N-Quads, TriG and JSON-LD keep one named graph per chapter. Turtle and N-Triples are the merge of the
graphs: a statement made in several chapters (an agent, a cited article) is written once. They are
written chapter by chapter (the chapter and its parts), then the nodes shared between chapters, each with
all its statements gathered from the store's index; so memory holds one graph's statements and the list of
shared nodes, never the whole export.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final

import pyoxigraph as ox
from livertox_kg import resources
from livertox_kg.errors import StoreError, UsageError
from livertox_kg.rdf import iris
from livertox_kg.rdf.vocab import DESCRIPTION_GRAPH, ID, PREFIXES, RDF, VOCAB_GRAPH, XSD
from livertox_kg.store import description as dataset

FORMATS: Final = ("turtle", "ntriples", "nquads", "trig", "jsonld")
SUFFIXES: Final = {".ttl": "turtle", ".nt": "ntriples", ".nq": "nquads", ".trig": "trig", ".jsonld": "jsonld"}
MEDIA_TYPES: Final = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "nquads": "application/n-quads",
    "trig": "application/trig",
    "jsonld": "application/ld+json",
}
QUAD_FORMATS: Final = ("nquads", "trig", "jsonld")

_CHAPTER_ROOT = ID + "chapter/"
_LOCAL_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_DECIMAL = re.compile(r"^[+-]?[0-9]*\.[0-9]+$")
_LITERAL = re.compile(r'^"(?P<body>(?:[^"\\]|\\.)*)"(?:@(?P<lang>[A-Za-z0-9-]+)|\^\^<(?P<dt>[^>]*)>)?$')
_UNESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_SIMPLE_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


Triple = tuple[str, str, str]  # N-Triples text of subject, predicate, object


@dataclass(frozen=True)
class ExportStats:
    graphs: int
    statements: int  # lines of N-Triples / N-Quads, triples of Turtle, quads of TriG / JSON-LD


# --------------------------------------------------------------------------------------------------
# reading: graphs in order, each as sorted N-Triples statements


@dataclass(frozen=True)
class Selection:
    """The graphs an export writes, in order, and the description statements it writes for them."""

    graphs: tuple[str, ...]  # the description graph first
    description: tuple[str, ...]  # N-Triples statements without " ."
    chapter_of_graph: dict[str, str]  # chapter graphs -> chapter id
    subset: bool  # chosen chapters, not the whole store
    by_subject: dict[str, list[Triple]]  # the description's statements, by subject

    def described(self, subject: str) -> list[Triple]:
        return self.by_subject.get(subject, [])


def select(store: ox.Store, chapter_ids: Sequence[str] = ()) -> Selection:
    """The whole store, or the given chapters with the vocabulary; plus their description."""
    chapters = dataset.chapter_graphs(store)  # graph -> id
    by_id = {cid: g for g, cid in chapters.items()}
    present = {g.value for g in store.named_graphs()}
    present.discard(DESCRIPTION_GRAPH)
    if chapter_ids:
        unknown = [c for c in chapter_ids if c not in by_id]
        if unknown:
            raise UsageError(
                f"no chapter {', '.join(repr(c) for c in unknown)} in the store ({len(by_id)} chapters;"
                " ids are case-sensitive, as in the chapter's NCBI address)"
            )
        chosen = {by_id[c] for c in chapter_ids}
        if VOCAB_GRAPH in present:
            chosen.add(VOCAB_GRAPH)
    else:
        chosen = present
    stored = ox.NamedNode(DESCRIPTION_GRAPH)
    if not chapter_ids and store.contains_named_graph(stored):
        # the whole store: the description the build wrote for exactly these graphs
        text = dataset.graph_ntriples(store, DESCRIPTION_GRAPH).decode("utf-8")
    else:
        records = dataset.read_records(store)
        text = "".join(f"{line} .\n" for line in dataset.describe(store, records, sorted(chosen)))
    # through Oxigraph's writer, so that a statement has the same text here as when read from the store
    parsed = ox.parse(text, format=ox.RdfFormat.N_TRIPLES)
    description = sorted(f"{t.subject} {t.predicate} {t.object}" for t in parsed)
    by_subject: dict[str, list[Triple]] = {}
    for line in description:
        t = _split(line)
        by_subject.setdefault(t[0], []).append(t)
    ordered = [g for g in (VOCAB_GRAPH,) if g in chosen] + sorted(chosen - {VOCAB_GRAPH})
    return Selection(
        (DESCRIPTION_GRAPH, *ordered),
        tuple(description),
        {g: chapters[g] for g in ordered if g in chapters},
        bool(chapter_ids),
        by_subject,
    )


def _split(line: str) -> Triple:
    s, p, rest = line.split(" ", 2)
    return s, p, rest[:-2] if rest.endswith(" .") else rest


def graph_statements(store: ox.Store, sel: Selection, graph: str) -> list[Triple]:
    """The statements of one graph, sorted."""
    if graph == DESCRIPTION_GRAPH:
        return [_split(line) for line in sel.description]
    data = dataset.graph_ntriples(store, graph).decode("utf-8")
    return sorted(_split(line) for line in data.split("\n") if line)


def _chapter_local(subject: str, chapter_id: str) -> bool:
    root = f"<{_CHAPTER_ROOT}{chapter_id}"
    return subject.startswith(root) and subject[len(root)] in ">/"


def _home_graph(subject: str, sel: Selection) -> str | None:
    """The chapter graph a ``ltxid:chapter/{id}...`` subject belongs to, when that graph is exported."""
    if not subject.startswith(f"<{_CHAPTER_ROOT}"):
        return None
    cid = re.split(r"[/>]", subject[len(_CHAPTER_ROOT) + 1 :], maxsplit=1)[0]
    graph = iris.graph(cid)
    return graph if sel.chapter_of_graph.get(graph) == cid else None


def _subject_statements(store: ox.Store, sel: Selection, subject: str) -> list[Triple]:
    """Every distinct statement about ``subject`` in the exported graphs (but not in its home graph).

    ``DISTINCT`` runs on Oxigraph's encoded terms, so a statement made in many chapters is decoded once.
    """
    home = _home_graph(subject, sel)
    scope = f"VALUES ?g {{ {' '.join(f'<{g}>' for g in sel.graphs[1:])} }}" if sel.subset else ""
    skip = f"FILTER(?g != <{DESCRIPTION_GRAPH}>)"
    if home is not None:
        skip += f" FILTER(?g != <{home}>) FILTER NOT EXISTS {{ GRAPH <{home}> {{ {subject} ?p ?o }} }}"
    rows = store.query(f"SELECT DISTINCT ?p ?o WHERE {{ {scope} GRAPH ?g {{ {subject} ?p ?o }} {skip} }}")
    assert isinstance(rows, ox.QuerySolutions)
    found = {(subject, str(sol[0]), str(sol[1])) for sol in rows}
    found.update(sel.described(subject))
    return sorted(found)


def _subjects_elsewhere(store: ox.Store, sel: Selection, graph: str, subjects: Sequence[str]) -> set[str]:
    """Those of ``subjects`` that have statements in another exported graph (a few hundred at a time)."""
    exported = set(sel.graphs) - {graph, DESCRIPTION_GRAPH}
    found: set[str] = set()
    iri_subjects = [x for x in subjects if x.startswith("<")]
    for i in range(0, len(iri_subjects), 500):
        batch = " ".join(iri_subjects[i : i + 500])
        rows = store.query(f"SELECT DISTINCT ?s ?g WHERE {{ VALUES ?s {{ {batch} }} GRAPH ?g {{ ?s ?p ?o }} }}")
        assert isinstance(rows, ox.QuerySolutions)
        found.update(str(sol[0]) for sol in rows if isinstance(sol[1], ox.NamedNode) and sol[1].value in exported)
    return found


def merged_blocks(store: ox.Store, sel: Selection) -> Iterator[list[Triple]]:
    """The merge of the selected graphs as blocks of sorted, distinct statements (streamed).

    Blocks: the description and the vocabulary (each subject with all its statements), each chapter's own
    nodes, then the nodes several chapters share, in IRI order.
    """
    done: set[str] = set()
    shared: set[str] = set()
    for graph in sel.graphs:
        chapter_id = sel.chapter_of_graph.get(graph)
        statements = graph_statements(store, sel, graph)
        if chapter_id is None:
            own: dict[str, list[Triple]] = {}
            for t in statements:
                own.setdefault(t[0], []).append(t)
            subjects = sorted(set(own) - done)
            elsewhere = _subjects_elsewhere(store, sel, graph, subjects)
            block: list[Triple] = []
            for subject in subjects:
                done.add(subject)
                block.extend(_subject_statements(store, sel, subject) if subject in elsewhere else own[subject])
            yield block
            continue
        shared.update(t[0] for t in statements if t[0] not in done and not _chapter_local(t[0], chapter_id))
        yield [t for t in statements if _chapter_local(t[0], chapter_id)]
    for subject in sorted(shared - done):
        yield _subject_statements(store, sel, subject)


# --------------------------------------------------------------------------------------------------
# writing


class Prefixes:
    """Compacts IRIs with the known prefixes and remembers which prefixes were used."""

    def __init__(self, prefixes: dict[str, str] | None = None) -> None:
        items = (prefixes or PREFIXES).items()
        # longest namespace first, so that ltxid: wins over a shorter prefix of it
        self._by_ns = sorted(((ns, p) for p, ns in items), key=lambda x: (-len(x[0]), x[1]))
        self.used: set[str] = set()
        self._cache: dict[str, str | None] = {}

    def compact(self, iri: str) -> str | None:
        """``prefix:local`` for a safe local name, else None."""
        if iri in self._cache:
            hit = self._cache[iri]
        else:
            hit = None
            for ns, prefix in self._by_ns:
                if iri.startswith(ns) and _LOCAL_NAME.match(iri[len(ns) :]):
                    hit = f"{prefix}:{iri[len(ns) :]}"
                    break
            self._cache[iri] = hit
        if hit is not None:
            self.used.add(hit.split(":", 1)[0])
        return hit

    def header(self, namespaces: dict[str, str] | None = None) -> str:
        table = namespaces or PREFIXES
        return "".join(f"@prefix {p}: <{table[p]}> .\n" for p in sorted(self.used))


def _turtle_term(term: str, prefixes: Prefixes, predicate: bool = False) -> str:
    if term.startswith("<"):
        if predicate and term == f"<{RDF.type}>":
            return "a"
        return prefixes.compact(term[1:-1]) or term
    m = _LITERAL.match(term)
    if m is None or m["dt"] is None:
        return term
    body, dt = m["body"], m["dt"]
    if dt == XSD.integer and _INTEGER.match(body):
        return body
    if dt == XSD.boolean and body in ("true", "false"):
        return body
    if dt == XSD.decimal and _DECIMAL.match(body):
        return body
    short = prefixes.compact(dt)
    return f'"{body}"^^{short}' if short else term


def _turtle_block(statements: Sequence[Triple], prefixes: Prefixes, indent: str = "") -> Iterator[str]:
    """Turtle for sorted statements: one paragraph per subject, ``a`` first."""
    i = 0
    while i < len(statements):
        subject = statements[i][0]
        j = i
        while j < len(statements) and statements[j][0] == subject:
            j += 1
        rows = sorted(statements[i:j], key=lambda t: (t[1] != f"<{RDF.type}>", t[1], t[2]))
        parts: list[str] = []
        k = 0
        while k < len(rows):
            pred = rows[k][1]
            objs = []
            while k < len(rows) and rows[k][1] == pred:
                objs.append(_turtle_term(rows[k][2], prefixes))
                k += 1
            parts.append(f"{_turtle_term(pred, prefixes, predicate=True)} {', '.join(objs)}")
        head = _turtle_term(subject, prefixes)
        yield f"{indent}{head} " + f" ;\n{indent}    ".join(parts) + " .\n\n"
        i = j


def write_ntriples(store: ox.Store, sel: Selection, out: IO[str]) -> ExportStats:
    n = 0
    for block in merged_blocks(store, sel):
        for s, p, o in block:
            out.write(f"{s} {p} {o} .\n")
        n += len(block)
    return ExportStats(len(sel.graphs), n)


def write_nquads(store: ox.Store, sel: Selection, out: IO[str]) -> ExportStats:
    n = 0
    for graph in sel.graphs:
        statements = graph_statements(store, sel, graph)
        tail = f" <{graph}> .\n"
        for s, p, o in statements:
            out.write(f"{s} {p} {o}{tail}")
        n += len(statements)
    return ExportStats(len(sel.graphs), n)


def _with_header(out: IO[str], body: Callable[[IO[str], Prefixes], ExportStats]) -> ExportStats:
    """Write the body to a temporary file, then the prefixes it used, then the body."""
    prefixes = Prefixes()
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n") as tmp:
        stats = body(tmp, prefixes)
        tmp.seek(0)
        out.write(prefixes.header())
        out.write("\n")
        shutil.copyfileobj(tmp, out, 1 << 20)
    return stats


def write_turtle(store: ox.Store, sel: Selection, out: IO[str]) -> ExportStats:
    def body(tmp: IO[str], prefixes: Prefixes) -> ExportStats:
        n = 0
        for block in merged_blocks(store, sel):
            tmp.writelines(_turtle_block(block, prefixes))
            n += len(block)
        return ExportStats(len(sel.graphs), n)

    return _with_header(out, body)


def write_trig(store: ox.Store, sel: Selection, out: IO[str]) -> ExportStats:
    def body(tmp: IO[str], prefixes: Prefixes) -> ExportStats:
        n = 0
        for graph in sel.graphs:
            statements = graph_statements(store, sel, graph)
            tmp.write(f"{_turtle_term(f'<{graph}>', prefixes)} {{\n\n")
            tmp.writelines(_turtle_block(statements, prefixes, indent="    "))
            tmp.write("}\n\n")
            n += len(statements)
        return ExportStats(len(sel.graphs), n)

    return _with_header(out, body)


# --------------------------------------------------------------------------------------------------
# JSON-LD with the shipped context


def _unescape(body: str) -> str:
    def one(m: re.Match[str]) -> str:
        if m[1] or m[2]:
            return chr(int(m[1] or m[2], 16))
        return _SIMPLE_ESCAPES.get(m[3], m[3])

    return _UNESCAPE.sub(one, body) if "\\" in body else body


class JsonLdContext:
    """The shipped context, inverted: for a predicate IRI, the key to write and how values are coerced."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.context = context
        self.prefixes = {k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("/", "#"))}
        self.compactor = Prefixes(self.prefixes)
        self.keys: dict[str, tuple[str, str | None]] = {}  # predicate IRI -> (key, coercion IRI or "@id")
        for key, value in context.items():
            if not isinstance(value, dict):
                continue
            iri = self.expand(value.get("@id", key))
            coerce = value.get("@type")
            self.keys[iri] = (key, coerce if coerce == "@id" else (self.expand(coerce) if coerce else None))

    def expand(self, value: str) -> str:
        prefix, sep, local = value.partition(":")
        if sep and prefix in self.prefixes:
            return self.prefixes[prefix] + local
        return value

    def compact_iri(self, iri: str) -> str:
        for ns, prefix in self.compactor._by_ns:
            if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns) :].startswith("//"):
                return f"{prefix}:{iri[len(ns) :]}"
        return iri

    def key(self, predicate: str) -> tuple[str, str | None]:
        return self.keys.get(predicate) or (self.compact_iri(predicate), None)

    def value(self, term: str, coerce: str | None) -> Any:
        if term.startswith("<"):
            iri = self.compact_iri(term[1:-1])
            return iri if coerce == "@id" else {"@id": iri}
        m = _LITERAL.match(term)
        if m is None:
            raise ValueError(f"not an N-Triples literal: {term}")
        text = _unescape(m["body"])
        if m["lang"]:
            return {"@value": text, "@language": m["lang"]}
        dt = m["dt"] or XSD.string
        if coerce is not None and coerce != "@id" and dt == coerce:
            return text
        if dt == XSD.string:
            return text if coerce is None else {"@value": text}
        return {"@value": text, "@type": self.compact_iri(dt)}


def load_context() -> dict[str, Any]:
    doc = json.loads(resources.jsonld_context())
    context = doc["@context"]
    assert isinstance(context, dict)
    return context


def _node(statements: Sequence[Triple], ctx: JsonLdContext) -> dict[str, Any]:
    node: dict[str, Any] = {"@id": ctx.compact_iri(statements[0][0][1:-1])}
    types = [ctx.compact_iri(o[1:-1]) for _, p, o in statements if p == f"<{RDF.type}>" and o.startswith("<")]
    if types:
        node["@type"] = types[0] if len(types) == 1 else types
    props: dict[str, list[Any]] = {}
    for _, p, o in statements:
        if p == f"<{RDF.type}>" and o.startswith("<"):
            continue
        key, coerce = ctx.key(p[1:-1])
        props.setdefault(key, []).append(ctx.value(o, coerce))
    for key in sorted(props):
        values = props[key]
        node[key] = values[0] if len(values) == 1 else values
    return node


def _nodes(statements: Sequence[Triple], ctx: JsonLdContext) -> Iterator[dict[str, Any]]:
    i = 0
    while i < len(statements):
        j = i
        while j < len(statements) and statements[j][0] == statements[i][0]:
            j += 1
        yield _node(statements[i:j], ctx)
        i = j


def write_jsonld(store: ox.Store, sel: Selection, out: IO[str]) -> ExportStats:
    context = load_context()
    ctx = JsonLdContext(context)

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))

    out.write('{\n"@context": ' + json.dumps(context, ensure_ascii=False, indent=1) + ',\n"@graph": [\n')
    n = 0
    for gi, graph in enumerate(sel.graphs):
        statements = graph_statements(store, sel, graph)
        out.write(("," if gi else "") + '{"@id": ' + dump(ctx.compact_iri(graph)) + ', "@graph": [\n')
        for ni, node in enumerate(_nodes(statements, ctx)):
            out.write(("," if ni else "") + dump(node) + "\n")
        out.write("]}\n")
        n += len(statements)
    out.write("]\n}\n")
    return ExportStats(len(sel.graphs), n)


WRITERS: Final[dict[str, Callable[[ox.Store, Selection, IO[str]], ExportStats]]] = {
    "turtle": write_turtle,
    "ntriples": write_ntriples,
    "nquads": write_nquads,
    "trig": write_trig,
    "jsonld": write_jsonld,
}


def format_for(path: Path | None, given: str | None) -> str:
    """The format asked for, else the one the output file's suffix names, else N-Quads."""
    if given:
        return given
    if path is not None:
        for suffix, fmt in SUFFIXES.items():
            if path.name.lower().endswith(suffix):
                return fmt
    return "nquads"


def export(store: ox.Store, fmt: str, out: IO[str], chapter_ids: Sequence[str] = ()) -> ExportStats:
    if fmt not in WRITERS:
        raise UsageError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")
    return WRITERS[fmt](store, select(store, chapter_ids), out)


def export_to_file(store: ox.Store, fmt: str, path: Path, chapter_ids: Sequence[str] = ()) -> ExportStats:
    """Write to ``path`` through a temporary file beside it: the file is whole or untouched."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise StoreError(f"{path}: cannot write here: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            stats = export(store, fmt, fh, chapter_ids)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return stats


def iter_formats() -> Iterable[str]:
    return FORMATS
