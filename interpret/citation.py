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
   ``2018 Jul 12. [Epub ahead of print]``, ``2017 Nov 11. pii: ...``). A range of years counts by its
   first year (``Acta Paediatr Hung 1988-1989;``); a year glued to the journal name
   (``Neuropsychobiology1989;``) is the last resort. A number after a page mark is a page, never a
   year (``McGraw-Hill, 2011, p. 1698.``), and numbers after the anchor (``52: 2065-76``) are never
   looked at for the year.
2. Volume, issue and pages are read after the year (``7: 1852-62``, ``32 (826): 85-6``,
   ``26 Suppl 1: 13-7``, ``148: 1340-52.e7``, ``7: e47506``, ``17. pii: E537``); whatever follows
   them (language notes such as ``French.``, ``Erratum in: ...``, ``[Epub ahead of print]``, a PubMed
   id, ``Not in Pub Med``, stray annotation text) is ignored. A stray number before the volume
   (``Lancet 2002 17; 360: 528-34``, ``AIDS 2013; 24; 27: 1187-8``) is skipped.
3. The author list is read from the start (``interpret/authors.py``): personal names, ``et al``, and
   group authors, even where a misprinted name breaks the list.
4. Between the authors and the year, the journal is the last sentence (``. ``, ``? ``, ``! `` or
   ``] `` boundary) and the title is everything before it, so titles may contain periods,
   question marks and bracketed translations (``[Cirrhosis caused by amiodarone] Rev Esp ...``,
   kept with their brackets). With no boundary, a period glued to the journal name
   (``United States.Gastroenterology``) is one; a title run into its journal (``... antiretroviral
   therapy JAMA 2000``) leaves both ``None``.
5. A group named after the title in the old NLM style (``... disease. International
   Budesonide-Mesalamine Study Group. N Engl J Med 1998; ...``) is moved to the authors
   (``interpret/authors.py``).

Not recognised (left ``None``): a ``pii: E537`` article number is not taken as pages; a citation
without a year after its journal gets authors only.

:func:`citation_year` gives the year of any citation (books and reports too): the anchor of step 1,
else the last year-like number that is not a page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from livertox_kg.interpret.authors import leading_groups, read_authors, trailing_group

__all__ = ["CitationParts", "citation_year", "split_citation"]


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
# The year follows the journal name: a letter, ")", "]" or "." and one space ("Med Clin (Barc). 1997"),
# but not a page mark ("New York: McGraw-Hill, 2011, p. 1698." / "pp. 1764.": pages, not years).
# (The look-behinds come after the year so that the search can skip quickly to " 1"/" 2".)
_YEAR_LEAD = r"(?<=[^\W\d_] \d{4}|[)\].] \d{4})(?<!\bp\. \d{4})(?<!\bpp\. \d{4})"
_YEAR_RANGE = r"(?:-(?:(?:1[6-9]|20)\d\d|\d\d))?"  # "Acta Paediatr Hung 1988-1989;", "1985-86;": the first year
_DATE = r"[ ]" + _YEAR + _YEAR_LEAD + _YEAR_RANGE + rf"(?:[ ](?P<month>{_MONTH})(?:[ ](?P<day>\d{{1,2}}))?)?"

# Strong anchor: "1989;" "2014 Nov;" "1991;" (even at the very end).
_ANCHOR_STRONG = re.compile(_DATE + r"(?=[ ]?;)")
# Weaker anchors, tried only when no strong one exists:
#   "Mayo Clin Proc 2012: 87: 732-8." / "JAMA 2003: 36-7." / "J Hepatol 2013 59; 1139-42."
#   "Epilepsia 2018 Jul 12. [Epub ahead of print]" / "... 2016 Jan 18. {Epub ahead of print]"
#   "J Hepatol 2017 Nov 11. pii: S0168-..." / "Drug Chem Toxicol 2012 Epub." / "... 1990." / "... 2016 ]"
_ANCHOR_WEAK = re.compile(_DATE + r"(?=[ ]?:|[ ]\d+[ ]?[:;][ ]?\w|\.?[ ]?[\[{]?Epub\b|\.?[ ]pii\b|[ ]?[.\]]?[ ]?$)")
# Last resort, a year glued to the journal name: "Neuropsychobiology1989; 21 (3): 124-30."
_ANCHOR_GLUED = re.compile(r"(?<=[a-z])" + _YEAR + r"(?=[ ]?;)")

# --- volume / issue / pages ------------------------------------------------------------------------

_PAGE = r"(?:[A-Za-z]{0,3}\d+[A-Za-z]?(?:\.e\d+)?|[ivxlcdm]+)"
_PAGE_RANGE = rf"{_PAGE}(?:[ ]?[-–][ ]?{_PAGE})?"
_PAGES = rf"(?P<pages>{_PAGE_RANGE}(?:,[ ]?(?!table\b){_PAGE_RANGE}(?![\w-]))*)"
_VOLUME = r"(?P<volume>\d+[A-Z]?(?:[ ]Suppl(?:[ ]\d+[A-Z]?)?)?|Suppl(?:[ ]\d+[A-Z]?)?)"
_ISSUE = r"(?:[ ]?\((?P<issue>[^()]{1,20})\)|[ ]?\[(?P<issue_b>[^\[\]]{1,20})\])"
_ISSUE_ONLY = r"\((?P<issue_only>[^()]{1,20})\)"  # "Cochrane Database Syst Rev 2008; (1): CD003383"

# After "YEAR;" (or "YEAR " / "YEAR:"): "7: 1852-62", "32 (826): 85-6", "26 Suppl 1: 13-7", "17(4).",
# "60:1399-408", "59; 1139-42" (";" misprinted for ":"), "24 205-7" (no ":"), "(1): CD003383" (no
# volume). A bare number after "YEAR:" is pages. Pages are never followed by ":" or "(issue):": in
# "2002 17; 360: 528-34" the "360" is the volume (and the "17" a day, skipped).
# What follows a volume, not pages: ": 47-8", " (1366): 47-8".
_PAGES_END = r"(?![\w-]|[ ]?:|[ ]?\([^()]{1,20}\)[ ]?:)"
_AFTER_YEAR = re.compile(
    rf"[ ]?[;:]?[ ]?(?:(?:{_VOLUME}{_ISSUE}?|{_ISSUE_ONLY})(?:(?:[ ]?[:;][ ]?|[ ]){_PAGES}{_PAGES_END})?)?"
)
_AFTER_YEAR_COLON = re.compile(rf"[ ]?:[ ]?{_PAGES}(?![\w-]|[ ]?[:(])")

# --- title / journal boundary ----------------------------------------------------------------------

# The title ends at the last sentence boundary before the journal name: ". " "? " "! " (maybe
# after a closing quote) or a closing bracket ("[Cirrhosis caused by amiodarone] Rev Esp Enferm Dig",
# "[Kava-induced acute icteric hepatitis], Gastroenterol Hepatol"). See _last_boundary.
# Without one, a period glued to the journal name: "... in the United States.Gastroenterology 2008".
_GLUED_BOUNDARY = re.compile(r"[a-z)]\.(?=[A-Z][a-z])")
_SMALL_WORDS = frozenset({"a", "and", "da", "de", "del", "der", "des", "di", "du", "e", "et", "for", "fur", "für"})
_SMALL_WORDS |= {"i", "in", "la", "le", "of", "on", "the", "und", "y"}

# --- the year of any citation (citation_year) ------------------------------------------------------

# A year-like number that is not a page: not after "p." / "pp." / ":", not in a range ("pp. 1833-52").
_ANY_YEAR = re.compile(r"(?<![\w.:])(?<!\d[–-])(?<!\bp\. )(?<!\bpp\. )(?<!: )(?:1[6-9]|20)\d\d(?!\w|[–-]\d)")


def split_citation(text: str) -> CitationParts:
    """Split a plain-text (NLM-style) journal citation into its fields; never raises."""
    try:
        return _split(text)
    except Exception:  # pragma: no cover - defensive: odd input must not stop a build
        return _EMPTY


def citation_year(text: str) -> str | None:
    """The publication year of any citation, journal or not (a book, a report); never raises.

    The year after the journal name when there is one (as :func:`split_citation` reads it,
    ``Hepatology 2010; 52: 2065-76`` is 2010, not 2065), otherwise the last year-like number that is not
    a page (``New York: McGraw-Hill, 2011, p. 1698.`` is 2011)."""
    try:
        s = " ".join(text.split())
        anchor = _find_anchor(s)
        if anchor is not None:
            return anchor.group("year")
        years = _ANY_YEAR.findall(s)
        return years[-1] if years else None
    except Exception:  # pragma: no cover - defensive
        return None


def _find_anchor(s: str) -> re.Match[str] | None:
    return _ANCHOR_STRONG.search(s) or _ANCHOR_WEAK.search(s) or _ANCHOR_GLUED.search(s)


def _split(text: str) -> CitationParts:
    s = " ".join(text.split())  # same as re.sub(r"\s+", " ", text).strip(), faster
    if not s:
        return _EMPTY

    anchor = _find_anchor(s)
    if anchor is None:
        authors, _ = read_authors(s, len(s))
        return CitationParts(authors, None, None, None, None, None, None)

    year = anchor.group("year")
    volume, issue, pages = _read_numbers(s, anchor.end())

    # Head: everything before the year, without the trailing space and "." ("Arch Intern Med. 1979").
    head_end = anchor.start("year")
    if s[head_end - 1] == " ":
        head_end -= 1
    if head_end > 0 and s[head_end - 1] == ".":
        head_end -= 1
    authors, body_start = read_authors(s, head_end)
    authors, title, journal = _read_body(s, authors, body_start, head_end)
    return CitationParts(authors, title, journal, year, volume, issue, pages)


def _read_body(
    s: str, authors: tuple[str, ...], start: int, end: int
) -> tuple[tuple[str, ...], str | None, str | None]:
    """Authors, title and journal from ``s[start:end]``, the text between the author list and the year."""
    title: str | None = None
    journal: str | None = None
    cut = _last_boundary(s, start, end)
    if cut > 0:
        if authors and s.find(". ", start, cut) >= 0:  # more than one sentence before the journal
            authors, start = leading_groups(s, authors, start, cut)
        title = _clean_title(s[start:cut])  # keeps "?", "]" or a closing quote
        journal = s[cut + 1 : end].strip() or None
    else:
        glued = _glued_boundary(s, start, end)
        if glued > 0:
            title, journal = _clean_title(s[start:glued]), s[glued + 1 : end].strip() or None
        elif _looks_like_title(s, start, end):
            return authors, None, None  # a title run into its journal name: no way to tell them apart
        else:
            journal = s[start:end].strip() or None
            if len(authors) == 1 and start > 0:
                # "Hepatitis B. Med Lett 1990; ..." - one "author" and no title: it was the title.
                title = _clean_title(s[:start])
                authors = ()
    if title is not None and ". " in title:
        title, authors = trailing_group(title, authors)
    return authors, title, journal


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


def _glued_boundary(s: str, start: int, end: int) -> int:
    """Position of the last "." glued to a capitalised word in ``s[start:end]`` (-1 if none)."""
    last = -1
    for m in _GLUED_BOUNDARY.finditer(s, start, end):
        last = m.start() + 1
    return last


def _looks_like_title(s: str, start: int, end: int) -> bool:
    """Journal names capitalise their words; two small-letter words (not "of", "de", ...) are a title."""
    small = [w for w in s[start:end].split() if w[0].islower() and w not in _SMALL_WORDS]
    return len(small) >= 2


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
        c = _AFTER_YEAR_COLON.match(rest)
        if c is not None:
            return None, None, c.group("pages")
    m = _AFTER_YEAR.match(rest)
    if m is None:  # pragma: no cover - the pattern can match the empty string
        return None, None, None
    if m.group("pages") is None and rest.startswith(";", m.end()):
        # "Lancet 2002 17; 360: 528-34" (a day), "AIDS 2013; 24; 27: 1187-8": the volume comes next.
        again = _AFTER_YEAR.match(rest, m.end())
        if again is not None and again.group("pages") is not None:
            m = again
    issue = m.group("issue") or m.group("issue_b") or m.group("issue_only")
    return m.group("volume"), issue.strip() if issue else None, m.group("pages")
