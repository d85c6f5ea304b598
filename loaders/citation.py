"""Split a plain-text journal citation into its fields.

Most LiverTox references are ``<mixed-citation publication-type="journal">`` whose fields exist only
as text, in (roughly) NLM style::

    Fisher B, Keenan AM, ..., et al. Interleukin-2 induces profound reversible cholestasis: a
    detailed analysis in treated cancer patients. J Clin Oncol 1989; 7: 1852-62.

:func:`split_citation` recovers authors, title, journal, year, volume, issue and pages. It is a
best-effort reader: it never raises, never invents or "corrects" a value (every field it returns is
a substring of the whitespace-normalised input) and leaves a field ``None`` when it cannot be told
apart with confidence.

How it works:

1. The *year anchor* is found first: a 4-digit year printed right after the journal name
   (``J Clin Oncol 1989;``), optionally followed by a month and day (``2014 Nov;``,
   ``2018 Jul 12. [Epub ahead of print]``).
2. Volume, issue and pages are read after the year (``7: 1852-62``, ``32 (826): 85-6``,
   ``26 Suppl 1: 13-7``, ``148: 1340-52.e7``, ``7: e47506``, ``17. pii: E537``); whatever follows
   them (language notes such as ``French.``, ``Erratum in: ...``, ``[Epub ahead of print]``, stray
   annotation text) is ignored.
3. The author list is read from the start: personal names (``Lo Re V 3rd``, ``deLemos AS``,
   ``Warrell RP Jr``), ``et al``, and group authors (after ``;``, or as the first item when it names
   an organisation: ``Centers for Disease Control and Prevention (CDC).``). If a misprinted name
   breaks that reading (``Gardner MJl``, ``Yamamoto,``), the first sentence is still taken as the
   list when nearly all of its items are names.
4. Between the authors and the year, the journal is the last sentence (``. ``, ``? ``, ``! `` or
   ``] `` boundary) and the title is everything before it, so titles may contain periods,
   question marks and bracketed translations (``[Cirrhosis caused by amiodarone] Rev Esp ...``,
   kept with their brackets).
5. A group named after the title in the old NLM style (``... disease. International
   Budesonide-Mesalamine Study Group. N Engl J Med 1998; ...``) is moved to the authors.

Not recognised (left ``None``): a ``pii: E537`` article number is not taken as pages; a citation
without a year after its journal gets authors only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["CitationParts", "split_citation"]


@dataclass(frozen=True)
class CitationParts:
    authors: tuple[str, ...]  # ("Fisher B", "Keenan AM", ...); "et al" left out; group authors included
    title: str | None
    journal: str | None
    year: str | None  # 4 digits as printed
    volume: str | None  # "26 Suppl 1" stays as printed
    issue: str | None  # "826" from "32 (826)"
    pages: str | None  # "1852-62", "e47506"


_EMPTY = CitationParts((), None, None, None, None, None, None)

# --- year anchor -----------------------------------------------------------------------------------

_MON = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?|Spring|Summer|Autumn|Fall|Winter"
_MONTH = rf"(?:{_MON})(?:[-/](?:{_MON}))?"  # "Nov", "Jul-Aug"
_YEAR = r"(?P<year>(?:1[6-9]|20)\d\d)"
# The year follows the journal name: a letter, ")", "]" or "." and one space ("Med Clin (Barc). 1997").
# (The look-behind comes after the year so that the search can skip quickly to " 1"/" 2".)
_YEAR_LEAD = r"(?<=[^\W\d_] \d{4}|[)\].] \d{4})"
_DATE = r"[ ]" + _YEAR + _YEAR_LEAD + rf"(?:[ ](?P<month>{_MONTH})(?:[ ](?P<day>\d{{1,2}}))?)?"

# Strong anchor: "1989;" "2014 Nov;" "1991;" (even at the very end).
_ANCHOR_STRONG = re.compile(_DATE + r"(?=[ ]?;)")
# Weaker anchors, tried only when no strong one exists:
#   "Mayo Clin Proc 2012: 87: 732-8." / "JAMA 2003: 36-7." / "J Hepatol 2013 59; 1139-42."
#   "Epilepsia 2018 Jul 12. [Epub ahead of print]" / "Drug Chem Toxicol 2012 Epub." / "... 1990."
_ANCHOR_WEAK = re.compile(_DATE + r"(?=[ ]?:|[ ]\d+[ ]?[:;][ ]?\w|\.?[ ]?\[?Epub\b|[ ]?\.?[ ]?$)")

# --- volume / issue / pages ------------------------------------------------------------------------

_PAGE = r"(?:[A-Za-z]{0,3}\d+[A-Za-z]?(?:\.e\d+)?|[ivxlcdm]+)"
_PAGE_RANGE = rf"{_PAGE}(?:[ ]?[-–][ ]?{_PAGE})?"
_PAGES = rf"(?P<pages>{_PAGE_RANGE}(?:,[ ]?(?!table\b){_PAGE_RANGE}(?![\w-]))*)"
_VOLUME = r"(?P<volume>\d+[A-Z]?(?:[ ]Suppl(?:[ ]\d+[A-Z]?)?)?|Suppl(?:[ ]\d+[A-Z]?)?)"
_ISSUE = r"(?:[ ]?\((?P<issue>[^()]{1,20})\)|[ ]?\[(?P<issue_b>[^\[\]]{1,20})\])"
_ISSUE_ONLY = r"\((?P<issue_only>[^()]{1,20})\)"  # "Cochrane Database Syst Rev 2008; (1): CD003383"

# After "YEAR;" (or "YEAR " / "YEAR:"): "7: 1852-62", "32 (826): 85-6", "26 Suppl 1: 13-7", "17(4).",
# "60:1399-408", "59; 1139-42" (";" misprinted for ":"), "24 205-7" (no ":"), "(1): CD003383" (no
# volume). A bare number after "YEAR:" is pages.
_AFTER_YEAR = re.compile(
    rf"[ ]?[;:]?[ ]?(?:(?:{_VOLUME}{_ISSUE}?|{_ISSUE_ONLY})(?:(?:[ ]?[:;][ ]?|[ ]){_PAGES}(?![\w-]))?)?"
)
_AFTER_YEAR_COLON = re.compile(rf"[ ]?:[ ]?{_PAGES}(?![\w-]|[ ]?[:(])")

# --- authors ---------------------------------------------------------------------------------------

_PARTICLES = (
    "al|bin|da|dal|das|de|degli|del|della|dei|den|der|des|di|do|dos|du|e|el|la|las|le|lo|los|op|"
    "san|st|te|ten|ter|van|vande|vanden|vander|von|y|zu|zur"
)
_UPPER = "A-ZÀ-ÖØ-ÞĀ-ſ"  # Latin-1 and Latin Extended-A capitals (the latter includes small letters)
_SURNAME_WORD = (
    rf"(?:[{_UPPER}][\w'’`\-]*"  # Fisher, O'Day, Rodriguez-Antolin, Mde
    rf"|(?:{_PARTICLES})(?=[ ])"  # van, de, di, ...
    rf"|[a-z]{{1,4}}[-'’]?[{_UPPER}][\w'’\-]*)"  # deLemos, el-Agroudy, d'Arcy
)
_NAME = (
    rf"{_SURNAME_WORD}(?:[ ]{_SURNAME_WORD}){{0,3}}?"  # lazy: "Fisher B" is the common case
    rf"[ ](?:[{_UPPER}]{{1,4}}|[{_UPPER}]-[{_UPPER}])"  # initials: "AM", "J-P"
    r"(?:[ ](?:Jr|Sr|2nd|3rd|4th|II|III|IV))?"
)
_PERSON = re.compile(_NAME + r"(?=[ ]?[,;.]|[ ](?:et[ ]al|eds?)\b|[ ]\[)")
_PERSON_ITEM = re.compile(_NAME)  # used with fullmatch
# The common case, checked with one regex: only personal names, maybe "et al", then ". ".
_PERSON_LIST = re.compile(rf"{_NAME}(?:[ ]?,[ ]?{_NAME})*(?:,?[ ]et[ ]al)?")
# "et al" (also "Tet al", a misprint in the corpus) and "eds" are not names.
_ET_AL = re.compile(r"[ ]?,?[ ]?(?:[A-Z]?et[ ]al\b\.?|eds?\b)")
# A group author: no ".", ";" or "," inside ("Drug Induced Liver Injury Network (DILIN)").
_GROUP = re.compile(r"[^.;,\s][^.;,]*?(?=[ ]?[;,]|\.(?:[ ]|$))")
_GROUP_WORDS = re.compile(
    r"\b(?:groupe?|grupo|gruppo|committee|council|services?|association|society|centers?|centres?|network|"
    r"investigators|institutes?|organi[sz]ation|agency|administration|consortium|collaborat\w*|"
    r"team|panel|task force|board|department|ministry|foundation|college|academy|federation|"
    r"programm?e?|working party|trialists)\b",
    re.IGNORECASE,
)
_NAME_SMALL_WORDS = frozenset({"and", "de", "des", "du", "for", "in", "la", "le", "of", "on", "the"})
_SEP = re.compile(r"[ ]?([,;])[ ]?")
_END_OF_AUTHORS = re.compile(r"\.?[ ]|\.$|[ ](?=\[)")
# Lenient reading, when the strict one fails on a misprinted name ("Gardner MJl", "Yamamoto,",
# "Sario&#287lu A"): the first sentence, split at "," and ";".
_FIRST_SENTENCE_END = re.compile(r"\.[ ]|[ ](?=\[)")
_ITEM_SPLIT = re.compile(r"[ ]?[,;][ ]?")
_ET_AL_ITEM = re.compile(r"(?:[A-Z]?et[ ]al|eds?)\.?")

# --- title / journal boundary ----------------------------------------------------------------------

# The title ends at the last sentence boundary before the journal name: ". " "? " "! " (maybe
# after a closing quote) or a closing bracket ("[Cirrhosis caused by amiodarone] Rev Esp Enferm Dig",
# "[Kava-induced acute icteric hepatitis], Gastroenterol Hepatol"). See _last_boundary.


def split_citation(text: str) -> CitationParts:
    """Split a plain-text (NLM-style) journal citation into its fields; never raises."""
    try:
        return _split(text)
    except Exception:  # pragma: no cover - defensive: odd input must not stop a build
        return _EMPTY


def _split(text: str) -> CitationParts:
    s = " ".join(text.split())  # same as re.sub(r"\s+", " ", text).strip(), faster
    if not s:
        return _EMPTY

    anchor = _ANCHOR_STRONG.search(s) or _ANCHOR_WEAK.search(s)
    if anchor is None:
        authors, _ = _read_authors(s, len(s))
        return CitationParts(authors, None, None, None, None, None, None)

    year = anchor.group("year")
    volume, issue, pages = _read_numbers(s, anchor.end())

    # Head: everything before the year, without the trailing space and "." ("Arch Intern Med. 1979").
    head_end = anchor.start("year") - 1
    if head_end > 0 and s[head_end - 1] == ".":
        head_end -= 1
    authors, body_start = _read_authors(s, head_end)

    title: str | None = None
    journal: str | None = None
    cut = _last_boundary(s, body_start, head_end)
    if cut > 0:
        title = _clean_title(s[body_start:cut])  # keeps "?", "]" or a closing quote
        journal = s[cut + 1 : head_end].strip() or None
    else:
        journal = s[body_start:head_end].strip() or None
        if len(authors) == 1 and body_start > 0:
            # "Hepatitis B. Med Lett 1990; ..." - one "author" and no title: it was the title.
            title = _clean_title(s[:body_start])
            authors = ()
    if title is not None and ". " in title:
        title, authors = _trailing_group(title, authors)
    return CitationParts(authors, title, journal, year, volume, issue, pages)


def _last_boundary(s: str, start: int, end: int) -> int:
    """Position of the space after the last sentence end in ``s[start:end]`` (-1 if none).

    The journal name has no sentence end in it, so walking back over its few words is quick."""
    k = s.rfind(" ", start, end)
    while k > start:
        c = s[k - 1]
        if c in ".?!]":
            return k
        if k - 2 >= start:
            b = s[k - 2]
            if (c in "\"'”’" and b in ".?!") or (c in ".," and b == "]"):
                return k
        k = s.rfind(" ", start, k)
    return -1


def _trailing_group(title: str, authors: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """Old NLM style puts a group author after the title: "... trials. Amiodarone Trials
    Meta-Analysis Investigators. Lancet 1997; ..." - move it to the authors."""
    head, _, last = title.rpartition(". ")
    # "... in the U.S. Drug-Induced Liver Injury Network" is one title.
    if head and "." not in head[-4:] and _is_group_name(last, 12):
        return head, (*authors, last)
    return title, authors


def _is_group_name(text: str, max_words: int) -> bool:
    """Capitalised words (and a few small ones) naming an organisation."""
    words = text.split()
    return (
        len(words) <= max_words
        and not any(c in text for c in ":[]")
        and _GROUP_WORDS.search(text) is not None
        and all(
            w[0].isupper() or w[0].isdigit() or w.rstrip(",") in _NAME_SMALL_WORDS or w.startswith("d'")
            for w in words
        )
    )


def _clean_title(raw: str) -> str | None:
    title = raw.strip()
    if title.endswith((".", ",")) and not title.endswith("..."):
        title = title[:-1].rstrip()
    return title or None


def _read_numbers(s: str, pos: int) -> tuple[str | None, str | None, str | None]:
    """Volume, issue and pages after the year (``pos`` is just after the year/month/day)."""
    rest = s[pos : pos + 80]
    if rest.lstrip().startswith(":"):
        # "JAMA 2003: 36-7." / "Lancet 2002: 1336." - no volume, pages after the colon.
        m = _AFTER_YEAR_COLON.match(rest)
        if m is not None:
            return None, None, m.group("pages")
    m = _AFTER_YEAR.match(rest)
    if m is None:  # pragma: no cover - the pattern can match the empty string
        return None, None, None
    issue = m.group("issue") or m.group("issue_b") or m.group("issue_only")
    return m.group("volume"), issue.strip() if issue else None, m.group("pages")


def _read_authors(s: str, limit: int) -> tuple[tuple[str, ...], int]:
    """Read the author list at the start of ``s[:limit]``.

    Returns the authors and the position where the title starts (0 when no author list is found).
    """
    dot = s.find(". ", 0, limit)
    if dot > 0 and _PERSON_LIST.fullmatch(s, 0, dot):
        names = [a.strip() for a in s[:dot].split(",")]
        last = names[-1]
        if last.endswith("et al"):  # "..., et al" / "... Smith J et al"
            last = last[:-5].rstrip()
            if last:
                names[-1] = last
            else:
                names.pop()
        return tuple(names), dot + 2
    authors: list[str] = []
    pos = 0
    after_semicolon = False
    first = True
    while pos < limit:
        m = _PERSON.match(s, pos, limit)
        if m is not None:
            authors.append(m.group())
            pos = m.end()
        else:
            g = _GROUP.match(s, pos, limit)
            if g is None or not (after_semicolon or (first and _is_group(s, g))):
                break
            authors.append(g.group().strip())
            pos = g.end()
        first = False
        e = _ET_AL.match(s, pos, limit)
        if e is not None:
            pos = e.end()
        sep = _SEP.match(s, pos, limit)
        if sep is None:
            break
        pos = sep.end()
        after_semicolon = sep.group(1) == ";"
    end = _END_OF_AUTHORS.match(s, pos, limit) if authors else None
    if end is None:
        return _read_authors_leniently(s, limit)
    return tuple(authors), end.end()


def _read_authors_leniently(s: str, limit: int) -> tuple[tuple[str, ...], int]:
    """Accept the first sentence as an author list if all but a few of its items are names."""
    end = _FIRST_SENTENCE_END.search(s, 0, limit)
    if end is None:
        return (), 0
    items = [i for i in _ITEM_SPLIT.split(s[: end.start()]) if i and not _ET_AL_ITEM.fullmatch(i)]
    names = sum(1 for i in items if _PERSON_ITEM.fullmatch(i))
    if names == 0:
        # "Tuberculosis Research Centre, Madras, and National Tuberculosis Institute, Bangalore."
        group = s[: end.start()]
        return ((group,), end.end()) if _is_group_name(group, 16) else ((), 0)
    odd = len(items) - names
    if names < 2 or odd > max(1, len(items) // 4):
        return (), 0
    if any(len(i.split()) > 4 or ":" in i for i in items if not _PERSON_ITEM.fullmatch(i)):
        return (), 0
    return tuple(items), end.end()


def _is_group(s: str, g: re.Match[str]) -> bool:
    """A first item that is not a personal name is a group author only if it names one and is a
    sentence of its own ("Centers for Disease Control and Prevention (CDC).") or is followed by ";"."""
    if s.startswith(";", g.end()) or s.startswith(" ;", g.end()):
        return True
    return ":" not in g.group() and _GROUP_WORDS.search(g.group()) is not None
