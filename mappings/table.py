"""The mapping table: agents' cross-references as SSSOM/TSV rows, and the mapping set's metadata.

``mappings/agents.sssom.tsv`` is made by ``tools/make_mappings.py`` from pinned packages (it is data: the build
reads it, never those packages). Each row is one :class:`Mapping`, with SSSOM's own column names; the header is
SSSOM's YAML metadata block (``#``-prefixed lines), written by :func:`header` from the constants here, so the
repository's table and ``livertox-kg export --format sssom`` say the same about the set.

Why the reader is ours: it reads only the rows (the standard library's ``csv``), the header being ours and
fixed; ``sssom`` (pandas, LinkML: 100 packages) is used by the tests to validate both files, not by the build.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass, fields
from typing import Final

from livertox_kg.rdf.vocab import ID, PREFIXES, XREF_PREFIXES

MAPPING_SET_ID: Final = ID + "mappings/agents"
TITLE: Final = "LiverTox agents cross-referenced to UNII, DrugBank, MeSH and ChEBI"
DESCRIPTION: Final = (
    "Each drug and herbal agent of the LiverTox chapters (NIDDK/NLM) mapped to the identifiers of FDA's UNII, "
    "DrugBank, MeSH and ChEBI that a kept source gives it: by CAS registry number first, then by its name and "
    "other names. A name or CAS number that names several records is never resolved by a guess: it is left "
    "out and listed in mappings/ambiguous.tsv. Sources: DrugBank open-data vocabulary (CC0), FDA UNII names "
    "(public domain), MeSH 2024 (NLM), ChEBI (CC BY 4.0)."
)
LICENSE: Final = "https://creativecommons.org/licenses/by/4.0/"
MAPPING_TOOL: Final = "livertox-kg tools/make_mappings.py"

PREDICATES: Final = ("skos:exactMatch", "skos:closeMatch")
"""The mapping predicates the table uses: an exact match, or a close one (see ``tools/make_mappings.py``)."""


@dataclass(frozen=True)
class Mapping:
    """One row: an agent, the record of another database it is, and how that was found."""

    subject_id: str  # "ltxid:agent/aspirin"
    subject_label: str
    predicate_id: str  # one of PREDICATES
    object_id: str  # "UNII:R16CO5Y76E"
    object_label: str
    mapping_justification: str  # a SEMAPV term ("semapv:LexicalMatching")
    subject_match_field: str  # "ltx:casRegistryNumber", "rdfs:label", "skos:altLabel", "ltx:tradeName"
    object_match_field: str  # "CHEMINF:000446" (CAS registry number), "rdfs:label", "skos:altLabel"
    match_string: str  # the CAS number or name that matched, as the agent has it
    subject_preprocessing: str  # "|"-separated semapv: terms, or ""
    confidence: float
    object_source: str  # "bioregistry:drugbank"
    object_source_version: str  # the release, and the package that ships it
    comment: str  # the method: "CAS match", "exact name", "normalised name", "synonym"; and notes

    @property
    def preprocessing(self) -> tuple[str, ...]:
        return tuple(p for p in self.subject_preprocessing.split("|") if p)


COLUMNS: Final = tuple(f.name for f in fields(Mapping))

_CURIE_PREFIXES: Final = ("bioregistry", "CHEBI", "CHEMINF", "DRUGBANK", "MESH", "UNII")


def curie_map() -> dict[str, str]:
    """The prefixes the table's CURIEs use, with their IRIs (from :mod:`livertox_kg.rdf.vocab`)."""
    wanted = {p: XREF_PREFIXES[p] for p in _CURIE_PREFIXES}
    wanted.update({p: PREFIXES[p] for p in ("ltx", "ltxid", "rdfs", "semapv", "skos")})
    return dict(sorted(wanted.items()))


def expand(curie: str) -> str:
    """``"UNII:R16CO5Y76E"`` -> its IRI; raises ``ValueError`` for a prefix the table does not declare."""
    prefix, _, local = curie.partition(":")
    table = curie_map()
    if prefix not in table or not local:
        raise ValueError(f"not a CURIE of the mapping table: {curie!r}")
    return table[prefix] + local


def contract(iri_value: str) -> str:
    """An IRI as the table's CURIE (the longest namespace of :func:`curie_map` it starts with); raises
    ``ValueError`` for an IRI no prefix abbreviates."""
    matches = [(ns, p) for p, ns in curie_map().items() if iri_value.startswith(ns) and len(iri_value) > len(ns)]
    if not matches:
        raise ValueError(f"no prefix of the mapping table abbreviates <{iri_value}>")
    ns, prefix = max(matches, key=lambda m: len(m[0]))
    return f"{prefix}:{iri_value[len(ns) :]}"


def header(version: str) -> str:
    """SSSOM's metadata block: the curie map and the set's slots, each line ``#``-prefixed."""
    lines = ["curie_map:", *(f"  {p}: {iri}" for p, iri in curie_map().items())]
    slots = {
        "mapping_set_id": MAPPING_SET_ID,
        "mapping_set_version": version,
        "mapping_set_title": TITLE,
        "mapping_set_description": DESCRIPTION,
        "license": LICENSE,
        "mapping_tool": MAPPING_TOOL,
    }
    lines += [f"{k}: {json.dumps(v)}" for k, v in slots.items()]  # a JSON string is a YAML string
    return "".join(f"#{line}\n" for line in lines)


def write(rows: Sequence[Mapping], version: str) -> str:
    """The whole SSSOM/TSV text: the header, the column names, the rows sorted by subject then object."""
    out = io.StringIO()
    out.write(header(version))
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    for row in sorted(rows, key=lambda r: (r.subject_id, r.object_id)):
        writer.writerow(_cell(v) for v in astuple(row))
    return out.getvalue()


def _cell(value: object) -> str:
    return repr(value) if isinstance(value, float) else str(value)


def read(text: str) -> list[Mapping]:
    """The rows of a table :func:`write` wrote (the ``#`` header lines are skipped)."""
    body = "".join(line for line in io.StringIO(text) if not line.startswith("#"))
    rows = csv.DictReader(io.StringIO(body), delimiter="\t")
    if tuple(rows.fieldnames or ()) != COLUMNS:
        raise ValueError(f"mapping table columns are {rows.fieldnames}, expected {list(COLUMNS)}")
    out = [Mapping(**{**row, "confidence": float(row["confidence"])}) for row in rows]  # type: ignore[arg-type]
    wrong = sorted({r.predicate_id for r in out} - set(PREDICATES))
    if wrong:
        raise ValueError(f"mapping table predicates {wrong} are not among {list(PREDICATES)}")
    return out


def version_of(rows: Iterable[Mapping]) -> str:
    """A digest of the rows: the same mappings give the same version."""
    digest = hashlib.sha256()
    for row in sorted(rows, key=lambda r: (r.subject_id, r.object_id)):
        digest.update("\t".join(_cell(v) for v in astuple(row)).encode("utf-8") + b"\n")
    return digest.hexdigest()[:16]
