"""The dataset's prose and the fixed parts of its description, read from ``ontology/dataset.ttl``.

The file says what the summary level (``ltxid:dataset``) and its publisher say, and what every version and
its distribution say besides what the code computes: a blank node that is a version of ``ltxid:dataset``
(the version template) and the distribution it links to (the distribution template). Here the templates'
blank nodes become placeholders that :meth:`Prose.version_statements` replaces with the real IRIs, so no
blank node reaches the graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Final

import pyoxigraph as ox

from livertox_kg import resources
from livertox_kg.rdf.terms import iri, lit, literal_parts
from livertox_kg.rdf.vocab import DCAT, DCTERMS, ID

SUMMARY: Final = ID + "dataset"
"""The summary level's IRI (the version and distribution IRIs are made from it)."""

_FILE: Final = "ontology/dataset.ttl"
_VERSION: Final = "\x00version"  # placeholders for the templates' blank nodes
_DISTRIBUTION: Final = "\x00distribution"

# What each version, and each distribution, repeats of the summary level (HCLS: every level has them).
VERSION_COPIES: Final = (DCTERMS.description, DCTERMS.publisher, DCTERMS.license, DCTERMS.rights, DCTERMS.source)
DISTRIBUTION_COPIES: Final = (DCTERMS.publisher, DCTERMS.license)

Triple = tuple[str, str, str]  # N-Triples terms (or a placeholder)


@dataclass(frozen=True)
class Prose:
    fixed: tuple[Triple, ...]  # about the summary and the other IRI nodes: written as they are
    templates: tuple[Triple, ...]  # about the version and distribution placeholders
    title: str  # the summary's dcterms:title, lexical form
    title_language: str | None

    def summary(self, predicate: str) -> list[str]:
        """The objects of the summary's statements with ``predicate``, in file order."""
        return [o for s, p, o in self.fixed if s == iri(SUMMARY) and p == iri(predicate)]

    def title_of(self, suffix: str) -> str:
        """``"{title}{suffix}"`` as a literal in the title's language."""
        return lit(f"{self.title}{suffix}", language=self.title_language)

    def version_statements(self, version: str, distribution: str) -> list[Triple]:
        """The templates' statements about ``version`` and ``distribution``, plus what they copy of the summary."""
        names = {_VERSION: iri(version), _DISTRIBUTION: iri(distribution)}
        out = [(names.get(s, s), p, names.get(o, o)) for s, p, o in self.templates]
        for node, copies in ((version, VERSION_COPIES), (distribution, DISTRIBUTION_COPIES)):
            out.extend((iri(node), iri(p), o) for p in copies for o in self.summary(p))
        return out


def _templates(triples: list[ox.Triple]) -> dict[str, str]:
    """``{blank node label: placeholder}`` of the version template and the distribution it links to."""
    is_version = ox.NamedNode(DCTERMS.isVersionOf)
    versions = [t.subject for t in triples if t.predicate == is_version and t.object == ox.NamedNode(SUMMARY)]
    if len(versions) != 1 or not isinstance(versions[0], ox.BlankNode):
        raise ValueError(f"{_FILE}: expected one blank node that is dcterms:isVersionOf ltxid:dataset")
    link = ox.NamedNode(DCAT.distribution)
    distributions = [t.object for t in triples if t.subject == versions[0] and t.predicate == link]
    if len(distributions) != 1 or not isinstance(distributions[0], ox.BlankNode):
        raise ValueError(f"{_FILE}: the version template needs one blank-node dcat:distribution")
    return {versions[0].value: _VERSION, distributions[0].value: _DISTRIBUTION}


@cache
def prose() -> Prose:
    """``ontology/dataset.ttl``, read once."""
    triples = list(ox.parse(resources.dataset_ttl(), format=ox.RdfFormat.TURTLE))
    placeholders = _templates(triples)

    def term(t: object) -> str:
        if isinstance(t, ox.BlankNode):
            if t.value not in placeholders:
                raise ValueError(f"{_FILE}: a blank node that is neither the version nor the distribution template")
            return placeholders[t.value]
        return str(t)

    fixed: list[Triple] = []
    templates: list[Triple] = []
    for t in triples:
        s, p, o = term(t.subject), term(t.predicate), term(t.object)
        (templates if s in (_VERSION, _DISTRIBUTION) else fixed).append((s, p, o))
    titles = [o for s, p, o in fixed if s == iri(SUMMARY) and p == iri(DCTERMS.title)]
    if len(titles) != 1:
        raise ValueError(f"{_FILE}: ltxid:dataset needs exactly one dcterms:title")
    title, _, language = literal_parts(titles[0])
    return Prose(tuple(fixed), tuple(templates), title, language)
