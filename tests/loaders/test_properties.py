"""Property-based tests: mutated real chapters either load into a well-formed graph or raise the typed
:class:`SourceError`, never anything else.

Mutations of the XML tree: drop, duplicate and shuffle elements, change text (including to markup-like
and likelihood-like text); of text copies: drop, duplicate, shuffle and change lines.
"""

from __future__ import annotations

import copy
import dataclasses
import random
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from livertox_kg.errors import SourceError
from livertox_kg.interpret import load
from livertox_kg.rdf import chapter as rdf
from livertox_kg.rdf import iris
from livertox_kg.sources import SourceDoc
from tests.conftest import CORPUS

CHAPTERS = ["aldesleukin", "bisphosphonates", "vitaminb", "amoxicillinclavulana", "proteinkinaseinhibit", "severity"]
TEXTS = [
    "Likelihood score: B[H] (x).",
    "Likelihood scores:",
    "Foo: E* (x). Bar: A[HD].",
    "Case 7. Something.",
    "<b>&amp;</b>",
    '"\\ \n\t',
    "",
    "Drug Class: A, B; See also C",
    "Medication:",
    "R=abc",
    "\u2028",
]

OPS = st.lists(
    st.tuples(
        st.sampled_from(["drop", "duplicate", "shuffle", "text", "tail", "attr"]),
        st.integers(min_value=0, max_value=10**6),
        st.sampled_from(TEXTS),
    ),
    min_size=1,
    max_size=8,
)


def _corpus_bytes(name: str) -> bytes:
    path = CORPUS / "nxml" / f"{name}.nxml"
    if not path.exists():
        pytest.skip("../shared/corpus is not beside this checkout")
    return path.read_bytes()


def mutate_xml(data: bytes, ops: list[tuple[str, int, str]]) -> bytes:
    root = ET.fromstring(data)
    for op, n, text in ops:
        parents = [(p, c) for p in root.iter() for c in p]
        if not parents:
            break
        parent, child = parents[n % len(parents)]
        if op == "drop":
            parent.remove(child)
        elif op == "duplicate":
            parent.insert(list(parent).index(child), copy.deepcopy(child))
        elif op == "shuffle":
            kids = list(parent)
            random.Random(n).shuffle(kids)
            for k in list(parent):
                parent.remove(k)
            parent.extend(kids)
        elif op == "text":
            child.text = text
        elif op == "tail":
            child.tail = text
        elif op == "attr" and child.attrib:
            key = sorted(child.attrib)[n % len(child.attrib)]
            child.set(key, text)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def check(source: SourceDoc) -> None:
    try:
        chapter = load(source)
    except SourceError as exc:
        assert str(exc).startswith(source.name)
        assert "\n" not in str(exc)
        return
    statements = rdf.chapter_triples(chapter)
    # The triples are valid N-Quads (IRIs and literals well formed), with no blank nodes.
    quads = list(ox.parse(rdf.nquads(statements, iris.graph(chapter.id)).encode(), format=ox.RdfFormat.N_QUADS))
    assert len(quads) == len(statements)
    assert not any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in quads)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(CHAPTERS), ops=OPS)
def test_mutated_xml_loads_or_fails_cleanly(name: str, ops: list[tuple[str, int, str]]) -> None:
    data = mutate_xml(_corpus_bytes(name), ops)
    check(SourceDoc(f"{name}-mutated.nxml", data, "nxml"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ops=st.lists(
        st.tuples(
            st.sampled_from(["drop", "duplicate", "swap", "text"]), st.integers(0, 10**6), st.sampled_from(TEXTS)
        ),
        min_size=1,
        max_size=12,
    )
)
def test_mutated_text_copy_loads_or_fails_cleanly(ops: list[tuple[str, int, str]]) -> None:
    path = CORPUS / "txt" / "aldesleukin.txt"
    if not path.exists():
        pytest.skip("../shared/corpus is not beside this checkout")
    lines = path.read_text(encoding="utf-8").split("\n")
    for op, n, text in ops:
        i = n % len(lines)
        if op == "drop" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = (n // 7) % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "text":
            lines[i] = text
    check(SourceDoc("aldesleukin-mutated.txt", "\n".join(lines).encode("utf-8"), "text"))


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=2000), fmt=st.sampled_from(["nxml", "text"]))
def test_arbitrary_bytes_fail_cleanly(data: bytes, fmt: str) -> None:
    check(SourceDoc(f"random.{'nxml' if fmt == 'nxml' else 'txt'}", data, fmt))


def test_mutation_helper_really_mutates() -> None:
    data = _corpus_bytes("aldesleukin")
    assert mutate_xml(data, [("drop", 5, "")]) != ET.tostring(
        ET.fromstring(data), encoding="utf-8", xml_declaration=True
    )


@pytest.mark.parametrize("name", CHAPTERS)
def test_unmutated_round_trip_loads(name: str) -> None:
    """The tree written back without a mutation reads as the file itself (but for the checksum of its bytes),
    so that what the mutation tests see comes from the mutations, not from rewriting the XML."""
    original = _corpus_bytes(name)
    data = mutate_xml(original, [])
    rewritten = load(SourceDoc(f"{name}.nxml", data, "nxml"))
    chapter = load(SourceDoc(f"{name}.nxml", original, "nxml"))
    assert rewritten.title and rewritten.sections
    assert dataclasses.replace(rewritten, provenance=chapter.provenance) == chapter
