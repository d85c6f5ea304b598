"""``livertox-kg validate`` and the validation in ``build``: pySHACL agreement, reports, exit codes, README.

pySHACL is the reference engine: on real chapters and on every hand-broken case of ``tests/shapes/`` the fast
engine must give the same results (focus node, path, value, constraint component, shape, severity). The
stores are real on-disk stores in temporary folders; the entries are real files.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from livertox_kg.cli import main
from livertox_kg.interpret import load
from livertox_kg.model import Chapter
from livertox_kg.rdf import chapter as rdf
from livertox_kg.rdf import iris
from livertox_kg.sources import SourceDoc, iter_sources
from livertox_kg.store.build import build
from livertox_kg.store.convert import default_sources, vocabulary_nquads
from livertox_kg.validation import native
from livertox_kg.validation.datagraph import DataGraph
from livertox_kg.validation.engine import VIOLATION, WARNING, Validator
from livertox_kg.validation.runner import check_build
from livertox_kg.validation.shapes_graph import ShapesGraph, parse, shape_files
from livertox_kg.validation.shapes_graph import load as load_shapes
from tests.conftest import CORPUS, ROOT, converted
from tests.support.shape_cases import CASE_FILES, Key, base_statements, normalise, read_case, vocabulary_statements

SAMPLES = ROOT / "samples"
README = ROOT / "README.md"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def chapter_statements(*names: str, folder: Path = SAMPLES) -> list[str]:
    out: list[str] = []
    for item in iter_sources([folder / n for n in names]):
        assert isinstance(item, SourceDoc), item
        out.extend(rdf.chapter_triples(load(item)))
    return out


# -- pySHACL, the reference ---------------------------------------------------------------------------------


def core_shapes() -> list[tuple[str, bytes]]:
    return [f for f in shape_files() if "/sparql/" not in f[0]]


def sparql_shapes() -> list[tuple[str, bytes]]:
    return [f for f in shape_files() if "/sparql/" in f[0]]


def pyshacl_keys(statements: list[str], files: list[tuple[str, bytes]]) -> set[Key]:
    pyshacl = pytest.importorskip("pyshacl")
    rdflib = pytest.importorskip("rdflib")
    from rdflib import BNode, Literal, URIRef

    normalize = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False  # compare lexical forms as written ("05" stays "05")
    try:
        data = rdflib.Graph()
        data.parse(data="".join(f"{s} .\n" for s in statements), format="nt")
        shapes = rdflib.Graph()
        for _, text in files:
            shapes.parse(data=text, format="turtle")
        _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    finally:
        rdflib.NORMALIZE_LITERALS = normalize
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")

    def term(t: object) -> str:
        if t is None:
            return ""
        if isinstance(t, URIRef):
            return f"<{t}>"
        if isinstance(t, BNode):
            return "_:"
        assert isinstance(t, Literal)
        datatype = ox.NamedNode(str(t.datatype)) if t.datatype else None
        return str(ox.Literal(str(t), datatype=datatype, language=t.language))

    keys: set[Key] = set()
    for r in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        keys.add(
            normalise(
                (
                    term(report.value(r, sh.focusNode)),
                    term(report.value(r, sh.resultPath)),
                    term(report.value(r, sh.value)),
                    str(report.value(r, sh.sourceConstraintComponent)),
                    term(report.value(r, sh.sourceShape)),
                    str(report.value(r, sh.resultSeverity)),
                )
            )
        )
    return keys


def our_keys(statements: list[str], shapes: ShapesGraph) -> set[Key]:
    data = DataGraph()
    data.add_statements(statements)
    return {normalise(r.key()) for r in Validator(shapes).validate(data)}


def _diff(ours: set[Key], ref: set[Key]) -> str:
    def show(keys: set[Key]) -> str:
        return "\n".join("  " + " | ".join(k) for k in sorted(keys)) or "  (none)"

    return f"only pySHACL:\n{show(ref - ours)}\nonly ours:\n{show(ours - ref)}"


@pytest.mark.slow
def test_pyshacl_agrees_on_real_chapters() -> None:
    """SHACL Core shapes on five real chapters (drug, herbal, class overview, a PubMed id cited twice)."""
    statements = vocabulary_statements() + chapter_statements(
        "aldesleukin.txt", "bisphosphonates.nxml", "greentea.nxml", "jinbuhuan.nxml", "proteinkinaseinhibit.nxml"
    )
    ref = pyshacl_keys(statements, core_shapes())
    ours = our_keys(statements, parse(core_shapes()))
    assert ref, "the real chapters give warnings and infos: an empty report would prove nothing"
    assert ours == ref, _diff(ours, ref)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:Parsing weird boolean")  # rdflib on the case's "yes"^^xsd:boolean
def test_pyshacl_agrees_on_every_hand_broken_case() -> None:
    """SHACL Core shapes on all cases of tests/shapes/ at once, with their base chapter and the vocabulary."""
    statements = base_statements() + vocabulary_statements()
    for path in CASE_FILES:
        statements += read_case(path).statements
    ref = pyshacl_keys(statements, core_shapes())
    ours = our_keys(statements, parse(core_shapes()))
    assert len(ref) > 150
    assert ours == ref, _diff(ours, ref)


def _sparql_cases() -> list[Path]:
    names = {s.rsplit("#", 1)[-1].rstrip(">") for s in parse(sparql_shapes()).shapes}
    return [
        p
        for p in CASE_FILES
        if p.name.split(".")[0] in names
        or any(k[3].endswith("SPARQLConstraintComponent") for k in read_case(p).expected)
    ]


@pytest.mark.slow
def test_pyshacl_agrees_on_the_sparql_checks() -> None:
    """The SHACL-SPARQL checks, run by pySHACL from their query text, against the native versions.

    pySHACL parses each query again for every focus node (about 0.1 s each), so this runs on the cases that
    exercise the checks and on one real chapter, not on the corpus.
    """
    statements = base_statements() + vocabulary_statements() + chapter_statements("codeine.nxml")
    for path in _sparql_cases():
        statements += read_case(path).statements
    ref = pyshacl_keys(statements, sparql_shapes())
    ours = our_keys(statements, parse(sparql_shapes()))
    components = {k[3].rsplit("#", 1)[-1] for k in ref}
    assert components == {"SPARQLConstraintComponent"} and len(ref) >= 10
    assert ours == ref, _diff(ours, ref)


def test_sparql_fallback_agrees_with_the_native_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without native versions the checks run as SPARQL through pyoxigraph: same results."""
    statements = base_statements() + vocabulary_statements()
    for path in _sparql_cases():
        statements += read_case(path).statements
    shapes = parse(sparql_shapes())
    native_keys = our_keys(statements, shapes)
    monkeypatch.setattr(native, "REGISTRY", {})
    fallback_keys = our_keys(statements, shapes)
    assert native_keys and fallback_keys == native_keys, _diff(fallback_keys, native_keys)


# -- the command ---------------------------------------------------------------------------------------------


def _store_files(location: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(location)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in location.rglob("*")
        if p.is_file()
    }


@pytest.mark.slow
def test_whole_store_conforms_with_warnings(sample_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _store_files(sample_store)
    code, out, err = run(capsys, "validate", "--store", str(sample_store))
    assert code == 0, out + err
    last = out.strip().splitlines()[-1]
    chapters = len(converted(default_sources()))
    # the chapters, the vocabulary and the agents' mapping graph
    assert re.fullmatch(rf"{chapters + 2} entries checked: 0 violations, \d+ warnings, \d+ infos", last), last
    assert "entry chapter JinBuHuan" in out or "entry chapter" in out
    assert "note: validated against the store" in err
    assert _store_files(sample_store) == before, "validate must not write to the store"
    _, again, _ = run(capsys, "validate", "--store", str(sample_store))
    assert again == out, "the report is the same every run"


@pytest.fixture
def planted_bug(monkeypatch: pytest.MonkeyPatch, sample_store: Path) -> None:
    """A bug planted in our own RDF mapping: the Severity chapter loses its chapter id. Only what our code
    makes wrong is a Violation (the source's own mistakes are Warnings), so this is how a build meets one.
    (The shared sample store is built first, without it.)"""
    original = rdf.chapter_triples

    def buggy(chapter: Chapter) -> list[str]:
        triples = original(chapter)
        if chapter.id == "Severity":
            triples = [t for t in triples if "ontology#chapterId>" not in t]
        return triples

    monkeypatch.setattr(rdf, "chapter_triples", buggy)


@pytest.mark.usefixtures("planted_bug")
@pytest.mark.slow
def test_whole_store_with_a_violation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A store written without validation (as an older build did) is checked as it is."""
    location = tmp_path / "store"
    build(location, default_sources(), validate=False)
    code, out, _ = run(capsys, "validate", "--store", str(location))
    assert code == 1
    section = out.split("entry chapter Severity\n", 1)[1].split("\nentry ", 1)[0]
    assert "Violation  chapter id: missing" in section, out


def test_fail_on_warning(sample_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(capsys, "validate", "--fail-on", "warning", "--store", str(sample_store))
    assert code == 1


def _readme_example() -> tuple[str, str]:
    """The broken entry and the report the README shows for it."""
    text = README.read_text(encoding="utf-8")
    entry = re.search(r"```turtle\n# broken-entry\.ttl\n(.*?)```", text, re.S)
    report = re.search(r"```console\n\$ livertox-kg validate broken-entry\.ttl\n(.*?)```", text, re.S)
    assert entry and report, "README: the 'Validating entries' section shows broken-entry.ttl and its report"
    return entry.group(1), report.group(1)


def test_readme_example_report_is_exact(
    sample_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    entry, expected = _readme_example()
    (tmp_path / "broken-entry.ttl").write_text(entry, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "validate", "broken-entry.ttl", "--store", str(sample_store))
    assert out == expected, "README example out of date; the report is now:\n" + out
    assert code == 1


def test_json_report(sample_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    entry, _ = _readme_example()
    path = tmp_path / "broken-entry.ttl"
    path.write_text(entry, encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(path), "--format", "json", "--store", str(sample_store))
    doc = json.loads(out)
    assert code == 1 and doc["passed"] is False and doc["conforms"] is False
    assert doc["counts"]["violations"] == sum(
        1 for e in doc["entries"] for r in e["results"] if r["severity"] == "Violation"
    )
    results = doc["entries"][0]["results"]
    category = next(r for r in results if r["path"] == "https://w3id.org/livertox-kg/ontology#category")
    assert category["value"] == "<https://w3id.org/livertox-kg/id/likelihood/F>"
    assert category["source_shape"] == "https://w3id.org/livertox-kg/shapes#Assessment-category"
    assert category["constraint_component"] == "http://www.w3.org/ns/shacl#ClassConstraintComponent"
    assert category["focus_label"] == "likelihood assessment 9 of chapter Aldesleukin"


def test_turtle_report_is_a_standard_validation_report(
    sample_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entry, _ = _readme_example()
    path = tmp_path / "broken-entry.ttl"
    path.write_text(entry, encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(path), "--format", "turtle", "--store", str(sample_store))
    assert code == 1
    triples = list(ox.parse(out.encode(), format=ox.RdfFormat.TURTLE))
    sh = "http://www.w3.org/ns/shacl#"
    reports = [t.subject for t in triples if t.object == ox.NamedNode(sh + "ValidationReport")]
    results = [t.subject for t in triples if t.object == ox.NamedNode(sh + "ValidationResult")]
    assert len(reports) == 1 and len(results) == 4
    conforms = [t.object for t in triples if t.subject == reports[0] and t.predicate == ox.NamedNode(sh + "conforms")]
    assert conforms == [ox.Literal(False)]
    assert not any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples)
    _, again, _ = run(capsys, "validate", str(path), "--format", "turtle", "--store", str(sample_store))
    assert again == out


def test_a_chapter_file_in_the_store_s_context(sample_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", str(SAMPLES / "aldesleukin.txt"), "--store", str(sample_store))
    assert code == 0, out
    assert "replaces chapter Aldesleukin in the store" in err
    assert out.strip().endswith("1 entry checked: 0 violations, 0 warnings, 0 infos") or "0 violations" in out


def test_a_json_ld_entry(sample_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A trade name for an agent of the store, and one for an agent that does not exist."""
    entry = [
        {
            "@id": "https://w3id.org/livertox-kg/id/agent/aldesleukin",
            "https://w3id.org/livertox-kg/ontology#tradeName": "Proleukin",
        },
        {
            "@id": "https://w3id.org/livertox-kg/id/agent/aldesleukine",
            "https://w3id.org/livertox-kg/ontology#tradeName": "Proleukin",
        },
    ]
    path = tmp_path / "trade-names.jsonld"
    path.write_text(json.dumps(entry), encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(path), "--store", str(sample_store))
    assert code == 1
    assert "(https://w3id.org/livertox-kg/id/agent/aldesleukin)" not in out, "the existing agent conforms"
    assert "ltxid:agent/aldesleukine" in out and "class: ltx:Agent missing" in out, out


def _future_chapter(tmp_path: Path, name: str = "severity.nxml") -> Path:
    """A real chapter whose update date was mistyped into the future."""
    data = (SAMPLES / name).read_text(encoding="utf-8")
    broken, n = re.subn(
        r'(<date date-type="updated"[^>]*>.*?<year>)\d{4}(</year>)', r"\g<1>2999\g<2>", data, count=1, flags=re.S
    )
    assert n == 1
    path = tmp_path / f"future-{name}"
    path.write_text(broken, encoding="utf-8")
    return path


def test_a_chapter_updated_in_the_future(
    sample_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mistyped date is the source's error: a Warning, never a refusal."""
    path = _future_chapter(tmp_path)
    code, out, _ = run(capsys, "validate", str(path), "--store", str(sample_store))
    assert code == 0
    assert re.search(r"Warning\s+last update: \"2999-\d\d-\d\d\"\^\^xsd:date: after today", out), out
    code, _, _ = run(capsys, "validate", "--fail-on", "warning", str(path), "--store", str(sample_store))
    assert code == 1


@pytest.mark.parametrize(
    ("content", "name", "where"),
    [
        ('@prefix ltx: <https://w3id.org/livertox-kg/ontology#> .\nltx:a ltx:b "open .\n', "bad.ttl", "line 2"),
        ('{"@id": "https://example.org/a", "https://example.org/b": [}', "bad.jsonld", "line 1"),
        ("", "empty.ttl", None),
    ],
    ids=["turtle", "json-ld", "empty"],
)
def test_unreadable_entry_exits_2(
    content: str, name: str, where: str | None, sample_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "validate", str(path), "--store", str(sample_store))
    assert code == 2 and not out
    assert err.startswith(f"livertox-kg: error: {path}") and len(err.strip().splitlines()) == 1, err
    if where:
        assert where in err


def test_entries_without_a_store_use_the_vocabulary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    entry, _ = _readme_example()
    path = tmp_path / "broken-entry.ttl"
    path.write_text(entry, encoding="utf-8")
    code, out, err = run(capsys, "validate", str(path), "--store", str(tmp_path / "no-store"))
    assert code == 1 and "the shipped vocabulary only: no store at" in err
    assert "ltxid:likelihood/F: not a ltx:LikelihoodCategory in the graph" in out
    assert "PubMed 25270293" not in out, "without the store there is no other year to conflict with"


def test_missing_entry_or_store_exits_2(tmp_path: Path, sample_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "validate", str(tmp_path / "nothing.ttl"), "--store", str(sample_store))
    assert code == 2 and "nothing.ttl" in err
    code, _, err = run(capsys, "validate", "--store", str(tmp_path / "no-store"))
    assert code == 2 and "no store here" in err


# -- build refuses what violates the shapes -----------------------------------------------------------------


@pytest.fixture
def sources_with_a_broken_chapter(tmp_path: Path, planted_bug: None) -> Iterator[Path]:
    """The sample chapters, Severity's graph made wrong by the planted bug."""
    folder = tmp_path / "sources"
    shutil.copytree(SAMPLES, folder)
    yield folder


def test_build_stops_on_a_violation(
    sources_with_a_broken_chapter: Path, store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "build", str(sources_with_a_broken_chapter))
    assert code == 1
    assert "severity.nxml: 1 violation(s)" in err
    assert "chapter id" in err and "build stopped: 1 chapter(s) violate the shapes; the store was not changed" in err
    assert not (store_dir / "current").exists()


@pytest.mark.slow
def test_build_keep_going_loads_the_others(
    sources_with_a_broken_chapter: Path, store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "build", "--keep-going", str(sources_with_a_broken_chapter))
    assert code == 1
    chapters = len(converted(default_sources()))
    assert f"loaded {chapters - 1} chapter(s)" in out and "refused 1 chapter(s) that violate the shapes:" in out
    store = ox.Store.read_only(str((store_dir / "current").resolve()))
    graphs = {g.value.rsplit("/", 1)[-1] for g in store.named_graphs() if isinstance(g, ox.NamedNode)}
    assert "Severity" not in graphs and "Aldesleukin" in graphs


@pytest.mark.slow
def test_keep_going_keeps_the_stored_graph_of_a_refused_chapter(
    sources_with_a_broken_chapter: Path, sample_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The new chapters are loaded while they are validated; a refused one is taken out again and the
    chapter the store held before is back, as it was."""
    location = tmp_path / "store"
    shutil.copytree(sample_store, location, symlinks=True)

    def severity(where: Path) -> list[str]:
        store = ox.Store.read_only(str((where / "current").resolve()))
        quads = store.quads_for_pattern(None, None, None, ox.NamedNode(iris.graph("Severity")))
        return sorted(str(q) for q in quads)

    before = severity(location)
    assert len(before) > 10
    code, out, _ = run(
        capsys, "build", "--force", "--keep-going", str(sources_with_a_broken_chapter), "--store", str(location)
    )
    assert code == 1 and "refused 1 chapter(s) that violate the shapes:" in out
    assert severity(location) == before
    assert (location / "current").resolve().name != (sample_store / "current").resolve().name


def test_a_build_into_an_existing_store_is_validated_in_its_context(
    sample_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], planted_bug: None
) -> None:
    location = tmp_path / "store"
    shutil.copytree(sample_store, location, symlinks=True)
    before = (location / "current").resolve().name
    code, _, err = run(capsys, "build", "--force", str(SAMPLES / "severity.nxml"), "--store", str(location))
    assert code == 1 and "build stopped" in err
    assert (location / "current").resolve().name == before, "a refused build leaves the store as it was"
    code, _, err = run(capsys, "build", "--force", str(SAMPLES / "codeine.nxml"), "--store", str(location))
    assert code == 0, err
    assert "validation: 0 violation(s)" in err


# -- the corpus: no violations, and the README lists its warnings -------------------------------------------


def _readme_warnings() -> dict[str, int]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Validating entries (curators)", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `ltxsh:([\w-]+)` \| (\d+) \|", section, re.M)
    assert rows, "README: the validation section has a table of the corpus warnings"
    return {name: int(n) for name, n in rows}


@pytest.mark.slow
def test_corpus_has_no_violations_and_the_readme_lists_its_warnings(corpus: Path) -> None:
    check = check_build(converted([corpus / "nxml", corpus / "txt"]), corpus / "no-store-here", vocabulary_nquads())
    violations = [r for r in check.results if r.severity == VIOLATION]
    assert not violations, "\n".join(f"{r.focus} {r.path} {r.value} {r.shape}: {r.detail}" for r in violations[:20])
    warnings = Counter(r.shape.rsplit("#", 1)[-1].rstrip(">") for r in check.results if r.severity == WARNING)
    assert dict(warnings) == _readme_warnings(), (
        f"update the README's table of corpus warnings: {dict(sorted(warnings.items()))}"
    )


def test_corpus_readme_rows_are_only_warnings() -> None:
    shapes = load_shapes()
    for name in _readme_warnings():
        shape = shapes.shapes.get(f"<https://w3id.org/livertox-kg/shapes#{name}>")
        assert shape is not None and shape.severity == WARNING, name


def test_corpus_is_beside_the_checkout_or_skipped() -> None:
    """The corpus-driven tests above skip without ../shared/corpus; the rest never need it."""
    assert CORPUS.name == "corpus"
