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
3. The author list is read from the start: personal names (``Lo Re V 3rd``, ``deLemos AS``,
   ``Warrell RP Jr``), ``et al``, and group authors. If a misprinted name breaks that reading
   (``Gardner MJl``, ``Yamamoto,``), the first sentence is still taken as the list when nearly all of
   its items are names or group names. A group author (one item; a leading ``for the``, ``and the``,
   ``on behalf of the``, ``the`` is left out) stands
   * first, when it names an organisation: ``Centers for Disease Control and Prevention (CDC).``,
     ``Writing Group for the AREDS2 Research Group., Bonds DE, ...``;
   * after ``;`` (``...; STALWART Study Group.``, ``Read JS.; NISDI ... Group.``, ``U.S. Acute Liver
     Failure Study Group``), where it may contain commas (``Club Rhumatismes et Inflammation, a section
     of the French Society of Rheumatology``);
   * after ``,`` or ``:`` when it names an organisation (``Squires RH, Pediatric Acute Liver Failure
     Study Group.``, ``et al., and the Acute Liver Failure Study Group.``, ``Chalasani N: Drug-induced
     Liver Injury Network.``);
   * as a sentence of its own after the names (``Rochon J. Drug Induced Liver Injury Network (DILIN).
     Causes, ...``, ``et al. for the ESS40010(TARHEEL) Study Team. Lack of ...``), when its words are
     capitalised, it ends with its organisation word (or an acronym after it), no "of the" / "from the"
     comes before that word, and a title still follows.
4. Between the authors and the year, the journal is the last sentence (``. ``, ``? ``, ``! `` or
   ``] `` boundary) and the title is everything before it, so titles may contain periods,
   question marks and bracketed translations (``[Cirrhosis caused by amiodarone] Rev Esp ...``,
   kept with their brackets). With no boundary, a period glued to the journal name
   (``United States.Gastroenterology``) is one; a title run into its journal (``... antiretroviral
   therapy JAMA 2000``) leaves both ``None``.
5. A group named after the title in the old NLM style (``... disease. International
   Budesonide-Mesalamine Study Group. N Engl J Med 1998; ...``, ``... The Mesalamine Study Group.``,
   kept as printed) is moved to the authors (not a sentence such as ``Recommendations of the Panel on
   ...``).

Not recognised (left ``None``): a ``pii: E537`` article number is not taken as pages; a citation
without a year after its journal gets authors only.

:func:`citation_year` gives the year of any citation (books and reports too): the anchor of step 1,
else the last year-like number that is not a page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
_PERSON = re.compile(_NAME + r"(?=[ ]?[,;.:]|[ ](?:et[ ]al|eds?)\b|[ ]\[)")
_PERSON_ITEM = re.compile(_NAME)  # used with fullmatch
# The common case, checked with one regex: only personal names, maybe "et al", then ". ".
_PERSON_LIST = re.compile(rf"{_NAME}(?:[ ]?,[ ]?{_NAME})*(?:,?[ ]et[ ]al)?")
# "et al" (also "Tet al", a misprint in the corpus) and "eds" are not names.
_ET_AL = re.compile(r"[ ]?,?[ ]?(?:[A-Z]?et[ ]al\b\.?|eds?\b)")
# A group author: no ".", ";" or "," inside, except in "U.S." and "S. aureus"
# ("Drug Induced Liver Injury Network (DILIN)", "U.S. Acute Liver Failure Study Group").
_GROUP_END = r"(?=[ ]?[;,]|\.(?:[ ]|$|[;,]))"
_GROUP_PLAIN = re.compile(rf"[^.;,\s][^.;,]*?{_GROUP_END}")
_ABBREVIATION = r"(?:[A-Z]\.){2,}(?=[ ])|[A-Z]\.(?=[ ][a-z])"
_GROUP_ABBREVIATED = re.compile(rf"(?:{_ABBREVIATION}|[^.;,\s])(?:{_ABBREVIATION}|[^.;,])*?{_GROUP_END}")
# Left out of a group author: "for the", "and the", "on behalf of the", "the", "For The".
_GROUP_PREFIX = re.compile(r"(?:(?:and|&)[ ])?(?:(?:for|on[ ]behalf[ ]of)[ ])?(?:the[ ])?", re.IGNORECASE)
_GROUP_WORDS = re.compile(
    r"\b(?:groupe?s?|grupo|gruppo|committee|council|services?|association|society|centers?|centres?|network|"
    r"investigators|institutes?|organi[sz]ation|agency|administration|consortium|collaborat\w*|"
    r"team|panel|task force|board|department|ministry|foundation|college|academy|federation|"
    r"programm?e?|working party|trialists)\b",
    re.IGNORECASE,
)
# A group author standing as a sentence of its own ends with its organisation word (or an acronym after it).
_GROUP_WORD_LAST = re.compile(_GROUP_WORDS.pattern + r"(?:[ ]?\([^()]*\))?$", re.IGNORECASE)
_NAME_SMALL_WORDS = frozenset({"and", "de", "des", "du", "for", "in", "la", "le", "of", "on", "the"})
# A sentence with "of the" / "from the" / "by the" before its organisation word is a title, not a group:
# "Recommendations of the Panel on ...", "From the Centers for Disease Control", "Report of the ... Panel"
# (but "Utilization of Leflunomide in the Treatment of ... Trial Investigator Group" is one).
_OF_THE = re.compile(r"\b(?:of|from|by)[ ]the\b", re.IGNORECASE)
_SEP = re.compile(r"[ .]?([,;:])[ ]?")  # "Read JS.; NISDI ...", "Research Group., Bonds DE"
_END_OF_AUTHORS = re.compile(rf"\.?[ ]|\.$|[ ](?=\[)|\.(?=[{_UPPER}][a-z])")  # "Lucena MI.Hepatotoxicity"
# Lenient reading, when the strict one fails on a misprinted name ("Gardner MJl", "Yamamoto,",
# "Sario&#287lu A"): the first sentence, split at "," and ";".
_FIRST_SENTENCE_END = re.compile(r"\.[ ]|[ ](?=\[)")
_ITEM_SPLIT = re.compile(r"[ ]?[,;][ ]?")
_ET_AL_ITEM = re.compile(r"(?:[A-Z]?et[ ]al|eds?)\.?")
_ET_AL_TAIL = re.compile(r"[ ](?:[A-Z]?et[ ]al|eds?)\.?$")

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
        authors, _ = _read_authors(s, len(s))
        return CitationParts(authors, None, None, None, None, None, None)

    year = anchor.group("year")
    volume, issue, pages = _read_numbers(s, anchor.end())

    # Head: everything before the year, without the trailing space and "." ("Arch Intern Med. 1979").
    head_end = anchor.start("year")
    if s[head_end - 1] == " ":
        head_end -= 1
    if head_end > 0 and s[head_end - 1] == ".":
        head_end -= 1
    authors, body_start = _read_authors(s, head_end)
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
            authors, start = _leading_groups(s, authors, start, cut)
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
        title, authors = _trailing_group(title, authors)
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


def _leading_groups(s: str, authors: tuple[str, ...], start: int, cut: int) -> tuple[tuple[str, ...], int]:
    """Group authors printed as sentences of their own between the names and the title: "..., Rochon J.
    Drug Induced Liver Injury Network (DILIN). Causes, clinical ..." / "..., et al. for the ESS40010(TARHEEL)
    Study Team. Lack of ..." - move them to the authors while a title still follows (``cut`` is its end)."""
    while True:
        dot = _sentence_end(s, start, cut)
        if dot < 0 or dot + 1 >= cut:  # no sentence, or the last one before the journal: the title
            break
        name = s[_after_prefix(s, start, dot) : dot]
        if "," in name or ";" in name or not _is_group_name(name, strict=True):
            break
        if _GROUP_WORD_LAST.search(name) is None:  # "Prometheus Study Group", "... Network (DILIN)"
            break
        authors, start = (*authors, name), dot + 2
    return authors, start


def _sentence_end(s: str, start: int, end: int) -> int:
    """Position of the first ". " in ``s[start:end]`` not after a capital that abbreviates ("U.S. Acute
    Liver ...", "S. aureus ..."); -1 if none."""
    dot = s.find(". ", start, end)
    while dot > start and _ends_with_capital(s, dot):
        dot = s.find(". ", dot + 2, end)
    return dot


def _trailing_group(title: str, authors: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """Old NLM style puts a group author after the title: "... trials. Amiodarone Trials
    Meta-Analysis Investigators. Lancet 1997; ..." - move it to the authors."""
    head, _, last = title.rpartition(". ")
    # "... in the U.S. Drug-Induced Liver Injury Network" is one title.
    if head and "." not in head[-4:] and _is_group_name(last, strict=True, max_words=12):
        return head, (*authors, last)
    return title, authors


def _is_group_name(text: str, strict: bool, max_words: int = 16) -> bool:
    """Words naming an organisation. ``strict`` (where a title could stand instead): every word
    capitalised (but a few small ones) and no "of the" before the organisation word; otherwise (in
    an author list) only the first word must be capitalised ("Ad hoc committee on Androcur Users")."""
    words = text.split()
    if not words or len(words) > max_words:
        return False
    if strict:  # cheap tests first: most sentences tried here are titles in sentence case
        if not all(_capitalised(w) or w.rstrip(",") in _NAME_SMALL_WORDS for w in words):
            return False
    elif not _capitalised(words[0]):
        return False
    if ":" in text or "[" in text or "]" in text:
        return False
    m = _GROUP_WORDS.search(text)
    if m is None:
        return False
    return not strict or _OF_THE.search(text, 0, m.start()) is None


def _capitalised(word: str) -> bool:
    c = word[0]
    return c.isupper() or c.isdigit() or word.startswith("d'") or (c == "(" and word[1:2].isalnum())


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
    sep = ""  # the separator before the item: "" (first item), ",", ";" or ":"
    while pos < limit:
        person = _PERSON.match(s, pos, limit) if sep != ":" else None  # after ":" only a group
        if person is not None:
            authors.append(person.group())
            pos = person.end()
        else:
            end = _read_group(s, pos, limit, sep, authors)
            if end < 0:
                break
            pos = end
        e = _ET_AL.match(s, pos, limit)
        if e is not None:
            pos = e.end()
        m = _SEP.match(s, pos, limit)
        if m is None:
            break
        pos, sep = m.end(), m.group(1)
    end_of_list = _END_OF_AUTHORS.match(s, pos, limit) if authors else None
    if end_of_list is None:
        return _read_authors_leniently(s, limit)
    return tuple(authors), end_of_list.end()


def _read_group(s: str, pos: int, limit: int, sep: str, authors: list[str]) -> int:
    """Read a group author at ``pos`` into ``authors``; return where it ends (-1 if none is there).

    ``sep`` is the separator before it: "" (the first item), ",", ";" or ":"."""
    start = pos if not sep else _after_prefix(s, pos, limit)
    g = _match_group(s, start, limit)
    if g is None:
        return -1
    if sep == ";":
        end = _extend_group(s, start, g.end(), limit)
    elif (not sep and _is_group(s, g)) or (sep and _is_group_name(g.group(), strict=False)):
        end = g.end()
    else:
        return -1
    authors.append(s[start:end].strip())
    return end


def _extend_group(s: str, start: int, end: int, limit: int) -> int:
    """A group name with commas ("Club Rhumatismes et Inflammation, a section of the French Society of
    Rheumatology"; "Ambrisentan in Pulmonary Arterial Hypertension, Randomized, ..., (ARIES) Group") goes
    on while what follows a comma is neither a name, nor "et al", nor (once it has its organisation word) a
    group of its own."""
    while s.startswith(",", end) and _ET_AL.match(s, end, limit) is None:
        nxt = end + 2 if s.startswith(", ", end) else end + 1
        if _PERSON.match(s, nxt, limit) is not None:
            break
        g = _match_group(s, nxt, limit)
        if g is None:
            break
        if _GROUP_WORDS.search(s, start, end) is not None:
            following = s[_after_prefix(s, nxt, limit) : g.end()]
            if _is_group_name(following, strict=False):
                break
        end = g.end()
    return end


def _match_group(s: str, pos: int, limit: int) -> re.Match[str] | None:
    """A group author at ``pos`` (see _GROUP_PLAIN); the slower pattern only where an abbreviation may
    have cut it short ("U.S. Acute Liver ...", "S. aureus Endocarditis ...")."""
    g = _GROUP_PLAIN.match(s, pos, limit)
    if g is None or (s.startswith(".", g.end()) and _ends_with_capital(s, g.end())):
        return _GROUP_ABBREVIATED.match(s, pos, limit) or g
    return g


def _after_prefix(s: str, pos: int, limit: int) -> int:
    """Where a group author starts after "for the", "and the", "on behalf of the", "the" at ``pos``."""
    m = _GROUP_PREFIX.match(s, pos, limit)
    return m.end() if m is not None else pos


def _ends_with_capital(s: str, end: int) -> bool:
    """``s[:end]`` ends with a capital that stands alone ("U.S", "S")."""
    return s[end - 1].isupper() and (end < 2 or not s[end - 2].isalpha())


def _read_authors_leniently(s: str, limit: int) -> tuple[tuple[str, ...], int]:
    """Accept the first sentence as an author list if all but a few of its items are names or groups."""
    end = _FIRST_SENTENCE_END.search(s, 0, limit)
    if end is None:
        return (), 0
    # "Kaye S, S et al." - "et al" glued to a broken name is left out too.
    raw_items = [_ET_AL_TAIL.sub("", i) for i in _ITEM_SPLIT.split(s[: end.start()]) if i]
    raw_items = [i for i in raw_items if i and not _ET_AL_ITEM.fullmatch(i)]
    names = sum(1 for i in raw_items if _PERSON_ITEM.fullmatch(i))
    if names == 0:
        # "Tuberculosis Research Centre, Madras, and National Tuberculosis Institute, Bangalore."
        group = s[: end.start()]
        return ((group,), end.end()) if _is_group_name(group, strict=True) else ((), 0)
    items: list[str] = []
    odd: list[str] = []
    for item in raw_items:
        if not _PERSON_ITEM.fullmatch(item):
            group = item[_after_prefix(item, 0, len(item)) :]
            if _is_group_name(group, strict=False):
                item = group
            else:
                odd.append(item)
        items.append(item)
    if names < 2 or len(odd) > max(1, len(raw_items) // 4):
        return (), 0
    if any(len(i.split()) > 4 or ":" in i for i in odd):
        return (), 0
    return tuple(items), end.end()


def _is_group(s: str, g: re.Match[str]) -> bool:
    """A first item that is not a personal name is a group author only if it names one and is a
    sentence of its own ("Centers for Disease Control and Prevention (CDC).") or is followed by ";"."""
    if s.startswith(";", g.end()) or s.startswith(" ;", g.end()):
        return True
    return ":" not in g.group() and _GROUP_WORDS.search(g.group()) is not None
