"""Phenotype chapters: LiverTox's own description of each injury phenotype ("Cholestatic Hepatitis").

A phenotype chapter's body is a run of labelled paragraphs ("Description. ...", "Latency to Onset. ...",
"Drugs. Medications commonly implicated in causing cholestatic hepatitis include rifampin, the
penicillins, ..."), then representative case reports. Read here:

* which concept of the injury-pattern scheme the chapter describes (:func:`pattern_of`), from its title;
* LiverTox's definition of the phenotype: the paragraph labelled "Description." or "Definition.";
* the agents it names as typical causes, each with the sentence that names it (:func:`typical_causes`):
  the items of the lists in the "Drugs." paragraph ("include a, b and c", "such as a, b", "(a, b)"), then
  the medications of its representative case reports (:func:`pattern_and_causes`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from livertox_kg.interpret.agents import MentionFinder
from livertox_kg.interpret.patterns import PATTERNS, patterns_in
from livertox_kg.interpret.sentences import sentences
from livertox_kg.loaders.document import Para, RawDocument, norm
from livertox_kg.model import CaseReport, Finding, TypicalCause

_LABEL = re.compile(r"^(?P<label>[A-Z][A-Za-z ,/-]{1,40}?)\.\s+(?P<text>\S.*)$", re.DOTALL)
_DEFINITION_LABELS = ("description", "definition")
_DRUG_LABELS = ("drugs", "medications", "agents", "drugs implicated", "causative agents")

# Words that open a list of causes inside a sentence.
_LIST_OPENER = re.compile(r"(?:\b(?:includes?|including|such as|particularly|especially|notably)|:)\s+", re.I)
# A bracket without a list inside is a comment on the name before it ("carmustine (BCNU)",
# "penicillins (all four generations)"), not another cause.
_ASIDE = re.compile(r"\s*\([^(),]*\)")
_ITEM_SPLIT = re.compile(r"\s*(?:,|;|\(|\)|\s-\s|\s–\s|\bsuch as\b|\bincluding\b|\bparticularly\b)\s*", re.I)
_LEADING = re.compile(r"^(?:and|or|the|also|both|either|most|other|some|even|as well as)\s+", re.I)
_NOT_A_CAUSE = re.compile(
    r"^(?:many|several|few|a few|numerous|various|rare|individual)?\s*(?:others?|other agents|other drugs|"
    r"other medications|agents|drugs|medications|cases|herbals)$",
    re.I,
)
_MAX_WORDS = 4  # longer items are clauses, not names


@dataclass(frozen=True)
class Cause:
    name: str  # as printed ("rifampin", "amoxicillin/clavulanate")
    sentence: str


def is_phenotype(doc: RawDocument) -> bool:
    """NCBI files LiverTox's phenotype chapters as ``Phenotypes_*``; their body opens with labelled
    paragraphs such as "Description." and names typical causes under "Drugs."."""
    if doc.chapter_id.lower().startswith("phenotypes"):
        return True
    labels = {_label(p.text)[0] for p in doc.intro_paras}
    return bool(labels & set(_DEFINITION_LABELS)) and bool(labels & set(_DRUG_LABELS))


def is_intro(doc: RawDocument) -> bool:
    """The introduction to the phenotype chapters lists (links to) them and describes no phenotype itself."""
    linked = {link.chapter_id.lower() for p in doc.intro_paras for link in p.links}
    return sum(1 for c in linked if c.startswith("phenotypes")) >= 2


def pattern_and_causes(
    doc: RawDocument, cases: list[CaseReport], findings: list[Finding]
) -> tuple[str | None, list[TypicalCause]]:
    """A phenotype chapter's pattern concept and the agents it names as typical causes (in its "Drugs."
    paragraph, then in the medication of a representative case report). A title that names no concept is a
    finding (but for the introduction to the phenotype chapters)."""
    pattern = pattern_of(doc.title)
    if pattern is None:
        if not is_intro(doc):
            findings.append(Finding("title", f"phenotype {doc.title!r} names no concept of the injury-pattern scheme"))
        return None, []
    named = typical_causes(doc.intro_paras)
    causes = [TypicalCause(n, c.name, pattern, c.sentence) for n, c in enumerate(named, 1)]
    finder = MentionFinder({c.name: [c.name] for c in named})
    for case in cases:
        for name in finder.all(case.medication or ""):
            text = case.pattern_text or case.medication or ""
            causes.append(TypicalCause(len(causes) + 1, name, case.pattern or pattern, text, case.number))
    return pattern, causes


def _label(text: str) -> tuple[str, str]:
    """("description", the rest) for "Description. The course of ..."; ("", text) when unlabelled."""
    m = _LABEL.match(text)
    if m is None or len(m["label"].split()) > 4:
        return "", text
    return m["label"].strip().lower(), m["text"].strip()


def pattern_of(title: str) -> str | None:
    """The pattern concept a phenotype chapter's title names: a concept whose label or phenotype name is
    the title (ignoring case and punctuation), else the first concept whose phrases the title contains."""
    key = _key(title)
    for concept in PATTERNS.values():
        if key in {_key(name) for name in (concept.label, *concept.phenotype_names)}:
            return concept.key
    found = patterns_in(title)
    return found[0] if found else None


def _key(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def definition(paras: Iterable[Para]) -> str | None:
    """The text of the paragraph labelled "Description." or "Definition.", without its label."""
    for p in paras:
        label, text = _label(p.text)
        if label in _DEFINITION_LABELS:
            return text
    return None


def typical_causes(paras: Iterable[Para]) -> list[Cause]:
    """The agents the "Drugs." paragraph names, in order, each once, with the first sentence naming it."""
    out: dict[str, Cause] = {}
    for p in paras:
        label, text = _label(p.text)
        if label not in _DRUG_LABELS:
            continue
        for sentence in sentences(text):
            for name in _listed_names(sentence):
                out.setdefault(name.lower(), Cause(name, sentence))
    return list(out.values())


def _listed_names(sentence: str) -> list[str]:
    """Names in the lists of a sentence: what follows a list opener, split at commas, "and", brackets."""
    opener = _LIST_OPENER.search(sentence)
    if opener is None:
        return []
    names: list[str] = []
    for raw in _ITEM_SPLIT.split(_ASIDE.sub("", sentence[opener.end() :]).rstrip(" .")):
        for piece in re.split(r"\s+(?:and|or|and/or)\s+", raw):
            name = _clean(piece)
            if name is None and piece.strip():
                return names  # a clause ends the list ("such as rice or wheat with ... weeds")
            if name:
                names.append(name)
    return names


def _clean(piece: str) -> str | None:
    name = norm(piece).strip(" .:")
    while (stripped := _LEADING.sub("", name)) != name:
        name = stripped
    if not name or not name[0].isalnum() or _NOT_A_CAUSE.match(name):
        return None
    words = name.split()
    if len(words) > _MAX_WORDS or any(w.lower() in _VERBS for w in words):
        return None
    return name


# A word that makes an item a clause ("have also been implicated") rather than a name.
_VERBS = frozenset(
    {"is", "are", "was", "were", "be", "been", "has", "have", "had", "can", "may", "cause", "causes", "caused"}
    | {"use", "used", "linked", "associated", "implicated", "reported", "given", "which", "that", "with", "in"}
    | {"of", "for", "to", "from", "by", "after", "during", "when", "than", "typically", "usually", "rarely"}
)
