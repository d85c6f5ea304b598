#!/usr/bin/env python
"""How well ``split_citation`` agrees with the structured citations of the corpus.

Run from the repository root::

    python bench/citation_agreement.py [--corpus DIR] [--show FIELD] [--time]

LiverTox cites many PubMed articles as a structured ``<element-citation publication-type="journal">``
(``person-group/name`` surname + given-names, ``collab``, ``article-title``, ``source``, ``year``,
``volume``, ``fpage``/``lpage``) in one chapter and as a plain ``<mixed-citation
publication-type="journal">`` in another, both with the same ``<pub-id pub-id-type="pmid">``. Every
chapter of ``DIR/nxml`` and ``DIR/archive`` is read (stdlib XML only), each plain citation is paired with
the structured versions of its PubMed id, it is split with :func:`split_citation` and six fields are
compared: title, journal, year, volume, pages and first author.

Pairs: one per distinct (PubMed id, plain text); the same text cited by several chapters counts once.
When the structured versions of a PubMed id differ among themselves, the split agrees if it matches any
of them. The plain text is read as the build reads it: the ``mixed-citation`` without its
``annotation`` and ``pub-id``, whitespace-normalised.

Comparison rules (both sides normalised the same way):

* every value: whitespace collapsed and stripped; a missing or empty value is ``None``, and two
  ``None`` agree;
* title: one trailing ``.`` removed, compared case-insensitively; when the structured citation has no
  ``article-title`` its bracketed translated title (``<comment>[...]</comment>``) is the title, as the
  plain text prints it (``[Cirrhosis caused by amiodarone]``);
* journal: one trailing ``.`` removed, case kept;
* year, volume: compared as printed; the structured volume is ``volume`` followed by its
  ``supplement`` (``37`` + ``Suppl 1`` = ``37 Suppl 1``, which the splitter keeps as printed);
* pages: both sides become (first page, last page) with the last page written out in full
  (``1852-62``, ``1852-1862`` and fpage 1852 + lpage 62 or 1862 are all ``(1852, 1862)``; a single page
  has no last page). A list of ranges (``942-3, 946-7``, in ``lpage`` too) is compared by its first range;
* first author: the structured first author (a ``name`` or a ``collab``, whichever comes first) is
  written ``Surname Initials [Suffix]`` (initials are the given-names without dots and spaces when they
  are initials already, ``DL`` from ``D.L.``; otherwise the first letter of each given name,
  ``JH`` from ``John Henry``; ``J-P`` and ``JP`` compare equal), a ``collab`` as its text; compared with
  the first author of the split, ignoring case, dots and hyphens between initials.

"Source differs" (counted apart from the disagreements, never as agreement) is decided by these rules.
They look at what the two chapters print; the one that looks at the split too (group author) requires
the split to be right about everything else:

* not printed: the split disagrees and none of the structured values can be found in the plain text at
  all, so that no reading of the text could have produced it (the two chapters print different titles,
  a typo in one, another article's volume). "Found" is tested on the plain text: the title
  (case-insensitive) as a whole sentence (followed by ``.``, ``?``, ``!`` or ``]``, not by more words),
  the journal, year, volume and first author (``Surname Initials``, as compared) as whole tokens, the
  pages as a range starting at the first page with the same (first, last) key; a structured value that
  is ``None`` while the text prints the field counts as not found;
* title, group author in structured title: the structured ``article-title`` starts with a group author
  (``Infectious Diseases Society of America. Treatment of tuberculosis.``) which the split has among its
  authors, and the rest of it is exactly the split title;
* title, names as structured title: the structured ``article-title`` is a list of personal names
  (``de Oliveira e Silva A, Baldi J, ...``: the structuring went wrong there);
* journal, no sentence end before journal: the plain text runs the structured title into the journal
  name with no sentence end (``... antiretroviral therapy JAMA 2000``); the split then leaves the
  journal ``None``, as it cannot tell where the title ends.

Everything else is a disagreement, i.e. a splitter error (or a difference the rules do not see).

Prints the number of pairs, and per field: agree, source differs, disagree and the agreement,
``agree / (pairs - source differs)``, then the "source differs" counts by rule. ``--show FIELD`` lists
the disagreeing pairs of that field (``--show-source FIELD`` the "source differs" ones); ``--time``
times ``split_citation`` over every journal ``mixed-citation`` of the corpus (``time.perf_counter``,
best of 5).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO / "dev") not in sys.path:
    sys.path.insert(0, str(REPO / "dev"))  # the working tree as the package

from livertox_kg.interpret.citation import CitationParts, split_citation  # noqa: E402

DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
FIELDS = ("title", "journal", "year", "volume", "pages", "first_author")
AGREE, SOURCE, DISAGREE = "agree", "source differs", "disagree"

_WS = re.compile(r"\s+")


def norm(text: str | None) -> str | None:
    """Whitespace collapsed and stripped; ``None`` for nothing."""
    if text is None:
        return None
    return _WS.sub(" ", text).strip() or None


# --- reading the corpus ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Truth:
    """The fields of one structured (``element-citation``) version of a PubMed article."""

    title: str | None
    journal: str | None
    year: str | None
    volume: str | None
    fpage: str | None
    lpage: str | None
    first_author: str | None
    surname: str | None  # of the first author (the collab text for a group)


@dataclass(frozen=True)
class Plain:
    pmid: str
    chapter: str
    text: str


@dataclass(frozen=True)
class Pair:
    plain: Plain
    truths: tuple[Truth, ...]


def corpus_files(corpus: Path) -> list[Path]:
    return sorted([*corpus.glob("nxml/*.nxml"), *corpus.glob("archive/*.nxml")])


def mixed_text(el: ET.Element) -> str:
    """The text of a ``mixed-citation`` without its ``annotation`` and ``pub-id``, normalised."""
    parts = [el.text or ""]
    for child in el:
        if child.tag not in ("annotation", "pub-id"):
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return norm("".join(parts)) or ""


def journal_mixed_citations(paths: Iterable[Path]) -> list[str]:
    """The (non-empty) text of every journal ``mixed-citation`` of ``paths``."""
    texts = []
    for path in paths:
        for el in ET.parse(path).iter("mixed-citation"):
            if el.get("publication-type") == "journal":
                text = mixed_text(el)
                if text:
                    texts.append(text)
    return texts


def _pmid(el: ET.Element) -> str | None:
    for pid in el.iter("pub-id"):
        if pid.get("pub-id-type") == "pmid":
            return norm(pid.text)
    return None


def _initials(given: str) -> str:
    given = given.replace(".", " ").strip()
    words = given.split()
    if all(w.isupper() and len(w) <= 4 for w in words):
        return "".join(words)  # "DL", "D L", "D.L."
    return "".join(w[0] for w in re.split(r"[\s]+", given) if w)  # "John Henry" -> "JH"


def _first_author(cit: ET.Element) -> tuple[str | None, str | None]:
    for el in cit.iter():
        if el.tag == "collab":
            text = norm("".join(el.itertext()))
            return text, text
        if el.tag == "name":
            surname = norm(el.findtext("surname")) or ""
            given = _initials(norm(el.findtext("given-names")) or "")
            suffix = norm(el.findtext("suffix")) or ""
            return norm(f"{surname} {given} {suffix}"), surname or None
    return None, None


def _title(cit: ET.Element) -> str | None:
    el = cit.find("article-title")
    if el is not None:
        return norm("".join(el.itertext()))
    for comment in cit.findall("comment"):
        text = norm("".join(comment.itertext()))
        if text and text.startswith("["):
            return text
    return None


def truth_of(cit: ET.Element) -> Truth:
    author, surname = _first_author(cit)
    return Truth(
        title=_title(cit),
        journal=norm(cit.findtext("source")),
        year=norm(cit.findtext("year")),
        volume=norm(f"{cit.findtext('volume') or ''} {cit.findtext('supplement') or ''}"),
        fpage=norm(cit.findtext("fpage")),
        lpage=norm(cit.findtext("lpage")),
        first_author=author,
        surname=surname,
    )


def read_corpus(paths: Iterable[Path]) -> tuple[dict[str, list[Truth]], list[Plain]]:
    """Structured versions by PubMed id, and the plain journal citations that have a PubMed id."""
    truths: dict[str, list[Truth]] = defaultdict(list)
    plains: list[Plain] = []
    for path in paths:
        for cit in ET.parse(path).iter():
            if cit.tag not in ("element-citation", "mixed-citation") or cit.get("publication-type") != "journal":
                continue
            pmid = _pmid(cit)
            if pmid is None:
                continue
            if cit.tag == "element-citation":
                truth = truth_of(cit)
                if truth not in truths[pmid]:
                    truths[pmid].append(truth)
            else:
                text = mixed_text(cit)
                if text:
                    plains.append(Plain(pmid, path.stem, text))
    return truths, plains


def pairs_of(corpus: Path) -> list[Pair]:
    """One pair per distinct (PubMed id, plain text) whose PubMed id is also cited structured."""
    truths, plains = read_corpus(corpus_files(corpus))
    seen: set[tuple[str, str]] = set()
    pairs = []
    for plain in plains:
        key = (plain.pmid, plain.text)
        if plain.pmid in truths and key not in seen:
            seen.add(key)
            pairs.append(Pair(plain, tuple(truths[plain.pmid])))
    return pairs


# --- comparing ---------------------------------------------------------------------------------------


def _strip_period(text: str | None) -> str | None:
    text = norm(text)
    if text is not None and text.endswith(".") and not text.endswith(".."):
        text = text[:-1].rstrip() or None
    return text


def _title_key(text: str | None) -> str | None:
    text = _strip_period(text)
    return text.casefold() if text is not None else None


def _full_last(first: str, last: str) -> str:
    """``1852``, ``62`` -> ``1862``; ``S13``, ``7`` -> ``S17``; anything else stays."""
    m, n = re.fullmatch(r"(\D*)(\d+)", first), re.fullmatch(r"(\D*)(\d+)", last)
    if m is None or n is None or (n.group(1) and n.group(1) != m.group(1)):
        return last
    digits = m.group(2)
    tail = n.group(2)
    if len(tail) < len(digits):
        tail = digits[: len(digits) - len(tail)] + tail
    return m.group(1) + tail


def split_pages_key(pages: str | None) -> tuple[str, str | None] | None:
    """``1852-62`` -> ``("1852", "1862")``; a list of ranges by its first range; ``None`` for nothing."""
    pages = norm(pages)
    if pages is None:
        return None
    first, sep, last = pages.split(",")[0].replace("–", "-").partition("-")
    first, last = first.strip(), last.strip()
    if not first:
        return None
    return first, (_full_last(first, last) if sep and last else None)


def _author_key(text: str | None) -> str | None:
    if text is None:
        return None
    return re.sub(r"(?<=[A-Z])[-.](?=[A-Z]|$)|\.", "", norm(text) or "").casefold() or None


_KEYS: dict[str, Callable[[str | None], object]] = {
    "title": _title_key,
    "journal": _strip_period,
    "year": norm,
    "volume": norm,
    "first_author": _author_key,
}


def split_value(parts: CitationParts, field: str) -> object:
    if field == "pages":
        return split_pages_key(parts.pages)
    if field == "first_author":
        return _author_key(parts.authors[0] if parts.authors else None)
    return _KEYS[field](getattr(parts, field))


def truth_value(truth: Truth, field: str) -> object:
    if field == "pages":
        pages = f"{truth.fpage}-{truth.lpage}" if truth.fpage and truth.lpage else truth.fpage or truth.lpage
        return split_pages_key(pages)
    return _KEYS[field](getattr(truth, field))


def _has_token(text: str, value: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(value)}(?![\w])", text) is not None


_SENTENCE_END = ".?!]"


def _title_printed(title: str, text: str) -> bool:
    """The title as a whole sentence of the text: followed by a sentence end, not by more words."""
    t, low = title.casefold(), text.casefold()
    start = low.find(t)
    while start >= 0:
        end = start + len(t)
        if t[-1] in _SENTENCE_END or end == len(low) or low[end] in _SENTENCE_END:
            return True
        start = low.find(t, start + 1)
    return False


def _pages_printed(truth: Truth, text: str) -> bool:
    key = truth_value(truth, "pages")
    if key is None or truth.fpage is None:
        return False
    ranges = re.finditer(rf"(?<![\w.]){re.escape(truth.fpage)}(?:[ ]?[-–][ ]?[\w.]*\w)?(?![\w])", text)
    return any(split_pages_key(m.group()) == key for m in ranges)


def printed(truth: Truth, field: str, text: str) -> bool:
    """Whether the structured value of ``field`` can be found in the plain ``text`` (see the docstring)."""
    if field == "pages":
        return _pages_printed(truth, text)
    if field == "first_author":
        key = _author_key(truth.first_author)
        return key is not None and _has_token(_author_key(text) or "", key)
    value = {"title": _strip_period(truth.title), "journal": _strip_period(truth.journal)}.get(field)
    value = value if field in ("title", "journal") else getattr(truth, field)
    if value is None:
        return False
    if field == "title":
        return _title_printed(value, text)
    return _has_token(text, value)


def _group_in_title(truth: Truth, parts: CitationParts, text: str) -> bool:
    """The structured title starts with a group author that the split (rightly) reads as an author, and the
    rest of it is the split title ("Infectious Diseases Society of America. Treatment of tuberculosis")."""
    title, split_title = _title_key(truth.title), _title_key(parts.title)
    if title is None or split_title is None or not title.endswith(" " + split_title):
        return False
    group = title[: -len(split_title) - 1].rstrip(" .;")
    authors = "; ".join(parts.authors).casefold()
    return bool(group) and group in authors


_NAMES = r"(?:[^\W\d_][\w'’-]*[ ])+[A-Z]{1,3}"
_NAME_LIST = re.compile(rf"{_NAMES}(?:,[ ]{_NAMES})*")


def _names_as_title(truth: Truth, parts: CitationParts, text: str) -> bool:
    """The structured title is a list of personal names ("de Oliveira e Silva A, Baldi J, ...")."""
    title = _strip_period(truth.title)
    return title is not None and _NAME_LIST.fullmatch(title) is not None


def _no_sentence_end(truth: Truth, parts: CitationParts, text: str) -> bool:
    """The plain text runs the title into the journal name ("... antiretroviral therapy JAMA 2000")."""
    title, journal = _strip_period(truth.title), _strip_period(truth.journal)
    return title is not None and journal is not None and f"{title} {journal} " in text


# Rules for "source differs" besides "not printed", by field (see the module docstring).
_SOURCE_RULES: dict[str, tuple[tuple[str, Callable[[Truth, CitationParts, str], bool]], ...]] = {
    "title": (("group author in structured title", _group_in_title), ("names as structured title", _names_as_title)),
    "journal": (("no sentence end before journal", _no_sentence_end),),
}


def judge(pair: Pair, parts: CitationParts, field: str) -> tuple[str, str | None]:
    """The verdict on one field (AGREE, SOURCE or DISAGREE) and, for SOURCE, the rule that gave it."""
    got = split_value(parts, field)
    if any(truth_value(t, field) == got for t in pair.truths):
        return AGREE, None
    if not any(printed(t, field, pair.plain.text) for t in pair.truths):
        return SOURCE, "not printed"
    for rule, applies in _SOURCE_RULES.get(field, ()):
        if any(applies(t, parts, pair.plain.text) for t in pair.truths):
            return SOURCE, rule
    return DISAGREE, None


def verdict(pair: Pair, parts: CitationParts, field: str) -> str:
    return judge(pair, parts, field)[0]


@dataclass
class Report:
    pairs: int
    counts: dict[str, Counter[str]]
    rules: Counter[tuple[str, str]]  # (field, rule) -> "source differs" pairs
    cases: dict[str, dict[str, list[tuple[Pair, CitationParts]]]]

    def agreement(self, field: str) -> float:
        """Agreeing pairs / compared pairs (pairs where the source differs are not compared)."""
        c = self.counts[field]
        compared = c[AGREE] + c[DISAGREE]
        return c[AGREE] / compared if compared else 1.0


def measure(pairs: Sequence[Pair], split: Callable[[str], CitationParts] = split_citation) -> Report:
    counts: dict[str, Counter[str]] = {f: Counter() for f in FIELDS}
    rules: Counter[tuple[str, str]] = Counter()
    cases: dict[str, dict[str, list[tuple[Pair, CitationParts]]]] = {f: defaultdict(list) for f in FIELDS}
    for pair in pairs:
        parts = split(pair.plain.text)
        for field in FIELDS:
            v, rule = judge(pair, parts, field)
            counts[field][v] += 1
            if rule is not None:
                rules[field, rule] += 1
            if v != AGREE:
                cases[field][v].append((pair, parts))
    return Report(len(pairs), counts, rules, cases)


# --- output ------------------------------------------------------------------------------------------


def print_table(report: Report) -> None:
    print(f"{report.pairs} pairs (distinct PubMed id + plain text, PubMed id also cited structured)")
    print(f"{'field':<14}{'agree':>8}{'source differs':>16}{'disagree':>10}{'agreement':>11}")
    for field in FIELDS:
        c = report.counts[field]
        print(f"{field:<14}{c[AGREE]:>8}{c[SOURCE]:>16}{c[DISAGREE]:>10}{report.agreement(field):>11.4f}")
    print("source differs, by rule:", ", ".join(f"{f} {r}: {n}" for (f, r), n in sorted(report.rules.items())))


def print_cases(report: Report, field: str, kind: str) -> None:
    cases = report.cases[field][kind]
    print(f"\n{len(cases)} pairs where {field}: {kind}")
    for pair, parts in cases:
        expected = " | ".join(repr(truth_value(t, field)) for t in pair.truths)
        print(f"- {pair.plain.chapter} pmid {pair.plain.pmid}")
        print(f"  text:     {pair.plain.text}")
        print(f"  split:    {split_value(parts, field)!r}")
        print(f"  expected: {expected}")


def time_splitter(texts: Sequence[str], runs: int = 5) -> float:
    """Best wall time of ``runs`` passes of ``split_citation`` over ``texts`` (seconds)."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        for text in texts:
            split_citation(text)
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--show", choices=FIELDS, action="append", default=[], help="list disagreeing pairs")
    parser.add_argument("--show-source", choices=FIELDS, action="append", default=[], help="list 'source differs'")
    parser.add_argument("--time", action="store_true", help="time split_citation over all journal citations")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        parser.error(f"corpus not found: {args.corpus}")
    report = measure(pairs_of(args.corpus))
    print_table(report)
    for field in args.show:
        print_cases(report, field, DISAGREE)
    for field in args.show_source:
        print_cases(report, field, SOURCE)
    if args.time:
        texts = journal_mixed_citations(corpus_files(args.corpus))
        best = time_splitter(texts)
        print(
            f"\nsplit_citation: {len(texts)} citations in {best * 1e3:.1f} ms ({best / len(texts) * 1e6:.2f} µs each)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
