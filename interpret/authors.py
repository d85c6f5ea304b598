"""The author list of a plain-text citation (step 3 of ``interpret/citation.py``), and the group authors
printed elsewhere in it (step 5).

The author list is read from the start: personal names (``Lo Re V 3rd``, ``deLemos AS``,
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

A group named after the title in the old NLM style (``... disease. International
Budesonide-Mesalamine Study Group. N Engl J Med 1998; ...``, ``... The Mesalamine Study Group.``,
kept as printed) is moved to the authors (not a sentence such as ``Recommendations of the Panel on
...``).

Every name returned is a substring of the whitespace-normalised citation.
"""

from __future__ import annotations

import re

__all__ = ["leading_groups", "read_authors", "trailing_group"]

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


def read_authors(s: str, limit: int) -> tuple[tuple[str, ...], int]:
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


def leading_groups(s: str, authors: tuple[str, ...], start: int, cut: int) -> tuple[tuple[str, ...], int]:
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


def trailing_group(title: str, authors: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
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
