"""Exports: every format reads back as the store's graph, byte-identical across runs, processes, hash seeds,
locales and store locations; no blank nodes; only used prefixes; one named graph per chapter; statements
sorted; the shipped JSON-LD context; files made with the umask's mode."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import OWL

from livertox_kg import resources
from livertox_kg.cli import main
from livertox_kg.exports import jsonld, order, turtle
from livertox_kg.exports import write as export
from livertox_kg.rdf import iris, vocab
from livertox_kg.rdf.vocab import LTX, PREFIXES, VOCAB_GRAPH, XSD
from livertox_kg.store import description as dataset
from livertox_kg.store import generations as store
from tests.conftest import DEV

PARSE = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}
SUFFIX = {"turtle": ".ttl", "ntriples": ".nt", "nquads": ".nq", "trig": ".trig", "jsonld": ".jsonld"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, sample_store: Path) -> Path:
    """The shipped sample (the session's build of it), copied once for the module."""
    location = tmp_path_factory.mktemp("export") / "store"
    shutil.copytree(sample_store, location, symlinks=True)
    return location


@pytest.fixture(scope="module")
def exported(built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("exports")
    out = {}
    for fmt in export.FORMATS:
        path = folder / f"all{SUFFIX[fmt]}"
        assert main(["export", "--store", str(built), "-o", str(path)]) == 0  # format from the suffix
        out[fmt] = path
    return out


def store_quads(location: Path) -> set[str]:
    s = store.open_read_only(location)
    return {str(q) for q in s.quads_for_pattern(None, None, None, None)}


def parsed(path: Path, fmt: str) -> list[ox.Quad]:
    return list(ox.parse(path=str(path), format=PARSE[fmt]))


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["nquads", "trig", "jsonld"])
def test_quad_formats_read_back_as_the_store(built: Path, exported: dict[str, Path], fmt: str) -> None:
    got = {str(q) for q in parsed(exported[fmt], fmt)}
    expected = store_quads(built)
    assert got == expected, (sorted(got - expected)[:3], sorted(expected - got)[:3])


@pytest.mark.parametrize("fmt", ["turtle", "ntriples"])
@pytest.mark.slow
def test_triple_formats_are_the_merge_of_the_graphs(built: Path, exported: dict[str, Path], fmt: str) -> None:
    quads = parsed(exported[fmt], fmt)
    assert all(isinstance(q.graph_name, ox.DefaultGraph) for q in quads)
    got = [f"{q.subject} {q.predicate} {q.object}" for q in quads]
    assert len(got) == len(set(got)), "a statement shared by several chapters is written once"
    s = store.open_read_only(built)
    expected = {f"{q.subject} {q.predicate} {q.object}" for q in s.quads_for_pattern(None, None, None, None)}
    assert set(got) == expected


@pytest.mark.slow
def test_jsonld_read_by_rdflib_with_the_context_equals_nquads(exported: dict[str, Path]) -> None:
    """A second, independent JSON-LD processor (rdflib) reads the same quads."""
    from_jsonld = rdflib.Dataset()
    from_jsonld.parse(exported["jsonld"], format="json-ld")
    from_nquads = rdflib.Dataset()
    from_nquads.parse(exported["nquads"], format="nquads")

    def quads(ds: rdflib.Dataset) -> set[tuple[str, ...]]:
        return {(s.n3(), p.n3(), o.n3(), str(g)) for s, p, o, g in ds.quads((None, None, None, None))}

    a, b = quads(from_jsonld), quads(from_nquads)
    assert a == b, (sorted(a - b)[:3], sorted(b - a)[:3])


def test_jsonld_carries_the_shipped_context(exported: dict[str, Path]) -> None:
    doc = json.loads(exported["jsonld"].read_text(encoding="utf-8"))
    shipped = json.loads(resources.jsonld_context())
    assert doc["@context"] == shipped["@context"]
    node = next(n for g in doc["@graph"] for n in g["@graph"] if n["@id"] == "ltxid:chapter/Codeine")
    assert node["chapterId"] == "Codeine"
    assert "ltx:DrugChapter" in node["@type"]


def test_context_agrees_with_the_ontology() -> None:
    """Every ltx: property has a term whose coercion is its rdfs:range (object properties: @id).

    To fix a failure: edit ontology/context.jsonld so that the term says what ontology/livertox.ttl says.
    """
    onto = rdflib.Graph()
    onto.parse(data=resources.ontology_ttl(), format="turtle")
    context = jsonld.load_context()
    for prop in sorted(t for t in LTX.terms if t[0].islower()):
        iri = rdflib.URIRef(getattr(LTX, prop))
        assert prop in context, f"ontology/context.jsonld has no term {prop!r}"
        term = context[prop]
        assert term["@id"] == f"ltx:{prop}"
        rng = onto.value(iri, rdflib.RDFS.range)
        if (iri, rdflib.RDF.type, OWL.ObjectProperty) in onto:
            assert term.get("@type") == "@id", prop
        elif rng is None or str(rng) == XSD.string:
            assert "@type" not in term, prop
        else:
            assert term.get("@type") == "xsd:" + str(rng).rsplit("#", 1)[1], prop
    for prefix, ns in PREFIXES.items():
        assert context.get(prefix) == ns


def _export_in_subprocess(location: Path, fmt: str, seed: str, cwd: Path, extra: dict[str, str]) -> bytes:
    env = {**os.environ, "PYTHONPATH": str(DEV), "PYTHONHASHSEED": seed, **extra}
    env.pop("LIVERTOX_KG_STORE", None)
    done = subprocess.run(
        [sys.executable, "-m", "livertox_kg", "export", "--store", str(location), "--format", fmt],
        cwd=cwd,
        env=env,
        capture_output=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


@pytest.mark.slow
@pytest.mark.parametrize("fmt", export.FORMATS)
def test_bytes_identical_across_runs_seeds_locales_and_locations(
    built: Path, exported: dict[str, Path], fmt: str, tmp_path: Path
) -> None:
    """The reference was written in this process (pytest's random hash seed); the other run is another
    process with a fixed seed, another locale, time zone and working folder, from a copy of the store."""
    reference = exported[fmt].read_bytes()
    moved = tmp_path / "elsewhere" / "store"
    shutil.copytree(built, moved, symlinks=True)
    seed = "4242" if os.environ.get("PYTHONHASHSEED") != "4242" else "7"
    extra = {"LC_ALL": "C.UTF-8", "TZ": "Asia/Tokyo", "LANG": "de_DE.UTF-8"}
    out = _export_in_subprocess(moved, fmt, seed, tmp_path, extra)
    assert out == reference, f"{fmt} differs with PYTHONHASHSEED={seed} {extra} from a copy of the store"


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_no_blank_nodes(exported: dict[str, Path], fmt: str) -> None:
    quads = parsed(exported[fmt], fmt)
    assert quads
    for q in quads:
        assert not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode), q
    if fmt in ("ntriples", "nquads"):
        assert not re.search(r"(^|\s)_:", exported[fmt].read_text(encoding="utf-8"), re.M)


@pytest.mark.parametrize("fmt", ["turtle", "trig"])
def test_only_the_prefixes_used_are_declared(exported: dict[str, Path], fmt: str) -> None:
    text = exported[fmt].read_text(encoding="utf-8")
    head, _, body = text.partition("\n\n")
    declared = re.findall(r"^@prefix ([A-Za-z][\w.-]*): <([^>]+)> \.$", head, re.M)
    assert head.count("\n") + 1 == len(declared), "the header is only @prefix lines, once each"
    assert [p for p, _ in declared] == sorted({p for p, _ in declared}), "declared once each, in prefix order"
    assert declared, "prefixes are used"
    outside_literals = re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', body)
    assert "@prefix" not in outside_literals, "pyoxigraph's own prefix lines are gone"
    for prefix, ns in declared:
        assert PREFIXES[prefix] == ns
        assert re.search(rf"(^|[\s^]){prefix}:", outside_literals, re.M), f"{prefix}: is declared but not used"
    # and no IRI written in full could have been abbreviated with a known prefix
    for iri in set(re.findall(r"<([^<>\"\s]+)>", outside_literals)):
        assert not any(iri.startswith(ns) for ns in PREFIXES.values()), f"<{iri}> is written in full"


def test_a_prefix_named_only_inside_a_literal_is_not_declared() -> None:
    """Prefixes are found in what pyoxigraph wrote, outside literals: ``owl:`` in a literal (even after an
    escaped quote, or after a space) is not a use; ``xsd:`` after ``^^`` and ``ltxid:`` with escapes are."""
    n = ox.NamedNode
    subject = n(vocab.ID + "chapter/A")
    triples = [
        ox.Triple(subject, n(LTX.text), ox.Literal('see \\" owl:Thing and\n owl:Class')),
        ox.Triple(subject, n(LTX.text), ox.Literal("x", language="en")),
        ox.Triple(subject, n(vocab.FABIO.hasPublicationYear), ox.Literal("2004", datatype=n(XSD.gYear))),
    ]
    out = io.BytesIO()
    turtle.write_terse(triples, ox.RdfFormat.TURTLE, out)
    text = out.getvalue().decode("utf-8")
    head, _, body = text.partition("\n\n")
    assert head.splitlines() == [f"@prefix {p}: <{PREFIXES[p]}> ." for p in ("fabio", "ltx", "ltxid", "xsd")]
    assert "ltxid:chapter\\/A" in body
    assert {str(t) for t in ox.parse(text.encode(), format=ox.RdfFormat.TURTLE)} == {str(t) for t in triples}


def test_pyoxigraph_writes_no_jsonld_context() -> None:
    """Why JSON-LD is hand-written: pyoxigraph's JSON-LD serialiser takes no context and ignores prefixes.
    If this fails, pyoxigraph can compact now: consider writing JSON-LD through it (exports/jsonld.py)."""
    q = ox.Quad(ox.NamedNode(vocab.ID + "a"), ox.NamedNode(LTX.chapterId), ox.Literal("A"), ox.NamedNode(VOCAB_GRAPH))
    doc = json.loads(ox.serialize([q], format=ox.RdfFormat.JSON_LD, prefixes=PREFIXES) or b"")
    assert "@context" not in json.dumps(doc)
    assert LTX.chapterId in json.dumps(doc), "the predicate is written as a full IRI"


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_exported_files_follow_the_umask(built: Path, tmp_path: Path, umask: int, mode: int) -> None:
    out = tmp_path / "all.nq"
    out.write_text("previous export\n")
    os.chmod(out, 0o600)
    old = os.umask(umask)
    try:
        assert main(["export", "--store", str(built), "--chapter", "Codeine", "-o", str(out)]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == mode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["all.nq"], "no temporary file left behind"


def test_statements_are_sorted_inside_each_graph(exported: dict[str, Path]) -> None:
    by_graph: dict[str, list[bytes]] = {}
    for line in exported["nquads"].read_bytes().splitlines():
        head, _, graph = line[:-2].rpartition(b" ")
        by_graph.setdefault(graph.decode(), []).append(head)
    for graph, lines in by_graph.items():
        assert lines == sorted(lines), graph
    merged = exported["ntriples"].read_bytes().splitlines()
    assert merged == sorted(set(merged)), "N-Triples: the distinct statements, sorted"


def test_named_graph_per_chapter(built: Path, exported: dict[str, Path]) -> None:
    s = store.open_read_only(built)
    chapters = dataset.chapter_graphs(s)
    graphs = {q.graph_name.value for q in parsed(exported["nquads"], "nquads")}
    assert graphs == {g.value for g in s.named_graphs()}
    assert {*chapters, VOCAB_GRAPH, dataset.DESCRIPTION_GRAPH} <= graphs
    trig = exported["trig"].read_text(encoding="utf-8")
    for graph in chapters:
        assert trig.count(f"\n<{graph}> {{\n") == 1


def test_graph_order_is_description_vocabulary_then_chapters(exported: dict[str, Path]) -> None:
    seen: list[str] = []
    for q in parsed(exported["nquads"], "nquads"):
        if not seen or seen[-1] != q.graph_name.value:
            seen.append(q.graph_name.value)
    assert seen[:2] == [dataset.DESCRIPTION_GRAPH, VOCAB_GRAPH]
    assert seen[2:] == sorted(seen[2:])
    assert len(seen) == len(set(seen)), "each graph is written in one piece"


def test_chosen_chapters(built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "two.nq"
    code = main(["export", "--store", str(built), "--chapter", "Codeine", "--chapter", "Severity", "-o", str(out)])
    assert code == 0
    quads = parsed(out, "nquads")
    graphs = {q.graph_name.value for q in quads}
    assert graphs == {iris.graph("Codeine"), iris.graph("Severity"), VOCAB_GRAPH, dataset.DESCRIPTION_GRAPH}
    assert not any("/chapter/Aldesleukin" in str(q.subject) for q in quads)
    # the description describes what was exported: two chapters
    mem = ox.Store()
    mem.extend(quads)
    chapters = f"<{vocab.VOID.class_}> <{LTX.Chapter}> ; <{vocab.VOID.entities}> ?n"
    (row,) = list(mem.query(f"SELECT ?n WHERE {{ GRAPH ?g {{ ?p {chapters} }} }}"))  # type: ignore[union-attr]
    assert row["n"].value == "2"
    merged = tmp_path / "two.ttl"
    assert main(["export", "--store", str(built), "--chapter", "Codeine", "-o", str(merged)]) == 0
    assert "Aldesleukin" not in merged.read_text(encoding="utf-8")


def test_unknown_chapter_is_exit_2_and_leaves_the_file(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "keep.ttl"
    out.write_text("previous export\n")
    code = main(["export", "--store", str(built), "--chapter", "NoSuchChapter", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "NoSuchChapter" in err and err.count("\n") == 1
    assert out.read_text() == "previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.ttl"], "no temporary file left behind"


def test_stdout_equals_file(built: Path, exported: dict[str, Path], capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["export", "--store", str(built), "--format", "trig"]) == 0
    assert capsysbinary.readouterr().out == exported["trig"].read_bytes()


def test_turtle_is_readable(exported: dict[str, Path]) -> None:
    """One paragraph per subject, its types first (``a``), then its other statements in order."""
    text = exported["turtle"].read_text(encoding="utf-8")
    assert "\nltxid:chapter\\/Codeine a ltx:Chapter , ltx:DrugChapter ;\n" in text
    assert '\tltx:chapterId "Codeine" ;\n' in text
    assert re.search(r"ltx:highDose (true|false) [;.]", text)
    paragraphs = re.findall(r"^(\S+) (\S+) ", text.partition("\n\n")[2], re.M)
    subjects = [s for s, _ in paragraphs]
    assert len(subjects) == len(set(subjects)), "each subject is one paragraph"
    typed = {s for s, p in paragraphs if p == "a"}
    assert "ltxid:chapter\\/Codeine" in typed
    assert not re.search(r";\n\ta ", text), "a subject's types come first"


def test_turtle_order_puts_types_first_and_keeps_every_line() -> None:
    t = f"<{vocab.RDF.type}>"
    lines = [
        f'<http://b> <http://a/p> "x> {t} y" .',
        f"<http://b> {t} <http://c/B> .",
        "<http://a> <https://z/p> <http://o> .",
        f"<http://a> {t} <http://c/A2> .",
        "<http://a> <http://a/p> <http://o> .",
        f"<http://a> {t} <http://c/A1> .",
        "<http://a/b> <http://a/p> <http://o> .",
    ]
    got = [line.decode() for line in order.turtle_sorted(line.encode() for line in lines)]
    assert sorted(got) == sorted(lines)
    assert got == [
        "<http://a/b> <http://a/p> <http://o> .",  # "/" sorts before ">": by the N-Triples text
        f"<http://a> {t} <http://c/A1> .",
        f"<http://a> {t} <http://c/A2> .",
        "<http://a> <http://a/p> <http://o> .",
        "<http://a> <https://z/p> <http://o> .",
        f"<http://b> {t} <http://c/B> .",
        f'<http://b> <http://a/p> "x> {t} y" .',
    ]
