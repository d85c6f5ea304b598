"""Minting of every instance IRI. Readable and deterministic: the same input gives the same IRIs.

* chapter            ``ltxid:chapter/{chapter id}``
* chapter parts      ``ltxid:chapter/{chapter id}/{part}/{n}`` (section, likelihood, evidence, case, reference)
* agent              ``ltxid:agent/{slug of the name}``, shared by every chapter naming the same agent
* drug class         ``ltxid:class/{slug of the name}``
* PubMed article     ``https://pubmed.ncbi.nlm.nih.gov/{pmid}/`` (Bioregistry's ``pubmed`` prefix)
* other cited work   ``ltxid:work/{first 20 hex digits of the sha256 of its normalised citation text}``
* source file        ``ltxid:source/{sha256}``
* named graph        ``https://w3id.org/livertox-kg/graph/{chapter id}``
* agent mapping      ``ltxid:mapping/{agent slug}/{PREFIX}-{local id}``, one cross-reference (``.../UNII-R16CO5Y76E``)
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from livertox_kg.rdf.vocab import GRAPH, ID, PUBMED

LIKELIHOOD_SCHEME = ID + "likelihood-scale"
PATTERN_SCHEME = ID + "injury-pattern"

_SLUG_DROP = re.compile(r"[^a-z0-9]+")
PMID = re.compile(r"^[1-9][0-9]{0,9}$")


def is_pmid(value: str) -> bool:
    return PMID.match(value) is not None


def slug(name: str) -> str:
    """``"Zoledronic Acid"`` -> ``"zoledronic-acid"``; accents are folded, punctuation becomes ``-``."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    return _SLUG_DROP.sub("-", folded).strip("-") or "unnamed"


def chapter(chapter_id: str) -> str:
    return f"{ID}chapter/{chapter_id}"


def graph(chapter_id: str) -> str:
    return f"{GRAPH}{chapter_id}"


def chapter_part(chapter_id: str, part: str, key: str | int) -> str:
    return f"{ID}chapter/{chapter_id}/{part}/{key}"


def section(chapter_id: str, key: str, ordinal: int) -> str:
    return chapter_part(chapter_id, "section", f"{key}-{ordinal}")


def agent(name: str) -> str:
    return f"{ID}agent/{slug(name)}"


def drug_class(name: str) -> str:
    return f"{ID}class/{slug(name)}"


def pubmed(pmid: str) -> str:
    if not is_pmid(pmid):
        raise ValueError(f"not a PubMed id: {pmid!r}")
    return f"{PUBMED}{pmid}/"


def work_without_pmid(citation_text: str) -> str:
    normalised = " ".join(citation_text.split()).casefold()
    return f"{ID}work/{hashlib.sha256(normalised.encode('utf-8')).hexdigest()[:20]}"


def source(sha256: str) -> str:
    return f"{ID}source/{sha256}"


def likelihood_category(code: str) -> str:
    """``"E*"`` -> ``ltxid:likelihood/E-star``; ``"NA"`` is "cannot be assessed"."""
    return f"{ID}likelihood/{code.replace('*', '-star')}"


def injury_pattern(key: str) -> str:
    return f"{ID}pattern/{key}"


def mapping(agent_iri: str, object_curie: str) -> str:
    """The node describing one cross-reference of an agent (SSSOM's ``record_id``)."""
    prefix, _, local = object_curie.partition(":")
    return f"{ID}mapping/{agent_iri.rsplit('/', 1)[-1]}/{prefix}-{local}"
