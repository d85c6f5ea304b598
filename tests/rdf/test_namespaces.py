"""rdf/namespaces.py (the standard vocabularies) and rdf/vocab.py (ours, and the one prefix table) stay one set.

A namespace added to ``namespaces.py`` must also be re-exported by ``vocab.py`` (every importer reads
namespaces from there) and be in one of its groups, so that the one prefix table declares it.
"""

from __future__ import annotations

import inspect

import pytest

from livertox_kg.rdf import namespaces, vocab

STANDARD = [
    cls
    for _, cls in inspect.getmembers(namespaces, inspect.isclass)
    if issubclass(cls, namespaces.Namespace) and cls is not namespaces.Namespace
]


def test_there_are_standard_namespaces() -> None:
    assert {"RDF", "SKOS", "DCTERMS", "SSSOM"} <= {cls.__name__ for cls in STANDARD}


@pytest.mark.parametrize("cls", STANDARD, ids=lambda cls: cls.__name__)
def test_vocab_re_exports_each_standard_namespace(cls: type[namespaces.Namespace]) -> None:
    assert getattr(vocab, cls.__name__) is cls
    assert cls.__name__ in vocab.__all__


@pytest.mark.parametrize("cls", STANDARD, ids=lambda cls: cls.__name__)
def test_each_standard_namespace_is_in_the_prefix_table(cls: type[namespaces.Namespace]) -> None:
    assert vocab.PREFIXES[cls.prefix] == cls.iri


def test_every_name_vocab_exports_exists() -> None:
    assert [name for name in vocab.__all__ if not hasattr(vocab, name)] == []


def test_a_namespace_is_closed() -> None:
    assert vocab.RDF.terms == {"type"}
    assert "prefix" not in vocab.SKOS.terms and "iri" not in vocab.SKOS.terms
    with pytest.raises(AttributeError):
        getattr(vocab.SKOS, "prefLabell")  # noqa: B009 - a typo must not mint a term


def test_our_own_namespaces_are_in_vocab_not_in_namespaces() -> None:
    assert not hasattr(namespaces, "LTX") and not hasattr(namespaces, "LTXSH")
    assert vocab.PREFIXES["ltx"] == vocab.LTX.iri and vocab.LTX.iri.startswith(vocab.BASE)
