"""The body of a plain-text chapter page (the lines after "Last Update:" up to the page footer) as sections:
what ``loaders/text.py`` hands on once it has found the page's title and date.

Section structure is recovered from the heading lines:

* top level: upper-case lines naming a LiverTox section (OVERVIEW, CASE REPORT(S), PRODUCT INFORMATION,
  CHEMICAL FORMULA(S) AND STRUCTURE(S), CITED REFERENCE(S), ANNOTATED BIBLIOGRAPHY, OTHER REFERENCE
  LINKS; typos tolerated). Other upper-case lines are headings too, except inside PRODUCT INFORMATION
  (its box labels) and OVERVIEW (where they are subsections);
* in OVERVIEW: the standard subsections (Introduction, Background, Hepatotoxicity, Mechanism of Injury,
  Outcome and Management); a short title-like line followed by a standard subsection heading is a
  per-agent group ("Levonorgestrel" > "Introduction" ...); one followed by a running paragraph is a
  subsection of its own ("Reye Syndrome", "Vitamin B1, Thiamine");
* in CASE REPORT(S): "Case N. ..." sections with "Key Points" (``Label: value`` lines, or tab-separated
  cells, read as a two-column table), "Laboratory Values" (table rows) and "Comment".

Bibliography entries are bullet lines; an indented (or parenthesised) line right under one is its
annotation. "[PubMed: n]" and "[PMC free article: PMCn]" become ``pmid`` and ``pmcid`` and are cut
from the citation text; an entry is "journal" when it has a PubMed id or reads "Journal Year; vol",
else "other". Blank lines between all lines and lost indentation are read alike.

Everything runs in one pass over the lines, with one line of look-ahead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from livertox_kg.loaders.document import Para, RawRef, Sec, Table, norm
from livertox_kg.loaders.sections import top_kind

__all__ = ["read_body"]

# --- headings -------------------------------------------------------------------------------------

_HAS_LOWER = re.compile(r"[a-z]")
_HAS_UPPER_WORD = re.compile(r"[A-Z]{2}")
_TOP_WORD = re.compile(
    r"OVERV|OVERIEW|CASE\s+REP|CASE\s+STUD|PRODUCT|CHEMICAL|FORMULA|STRUCTUR|REFERENC|REFERNC|BIBLIOG|LINKS\b"
)
_STANDARD = re.compile(
    r"^(?:intro\w*|background|hepato?\s?tox\w*|mech\w*(?:\s+of\s+[\w ]{1,30})?"
    r"|outcomes?(?:\s+and\s+[\w ]{1,20})?)$",
    re.I,
)
_NOT_TITLE = re.compile(
    r"^(?:Lik\w*hood|Drug Class|See also|Other Drugs|Other Names|Case\s+\d|Table\b|Figure\b|Abbreviations)",
    re.I,
)
_CASE_TITLE = re.compile(r"^Case\s+\d+\s*[.:]")
_CASE_PART = re.compile(r"^(?P<kind>key\s+points?|laboratory\s+values?|lab\s+values|comments?)\s*\*?$", re.I)

# --- bullets, tables, references ------------------------------------------------------------------

_BULLET = re.compile(r"^[•◦▪·●○■□‣⁃∙]\s*")
_NUMBERED = re.compile(r"^\d{1,3}\.\s+(?=\S)")
_CELL_SPLIT = re.compile(r"\t| {2,}")
_KEY_ROW = re.compile(r"^(?P<label>[A-Z][A-Za-z /()-]{0,40}?:)\s*(?P<value>.*)$")

_CHEM_HEADER = re.compile(
    r"^DRUGS?\s*(?P<cas>CAS\s+(?:REGISTRY\s+)?(?:NUMBERS?|NO\.?|#)|REGISTRY\s+(?:NUMBER|NO\.?))\s*"
    r"(?P<formula>MOLECULAR\s+FORMULAS?)\s*(?P<structure>STRUCTURES?)$",
    re.I,
)
_CAS = r"\d{2,7}-\d{2}-\d(?!\d)"
_CAS_RUN = rf"{_CAS}(?:\s*\([^()]{{1,40}}\))?(?:\s+{_CAS}(?:\s*\([^()]{{1,40}}\))?)*"
_CHEM_ROW_SPACED = re.compile(rf"^(?P<name>.+?)\s+(?P<cas>{_CAS_RUN})\s*(?P<rest>.*)$")
_CHEM_ROW_TIGHT = re.compile(rf"^(?P<name>.+?)(?P<cas>{_CAS_RUN})\s*(?P<rest>.*)$")
_CHEM_ROW_NO_CAS = re.compile(
    r"^(?P<name>.+?)\s*(?P<cas>Not\s+Applicable|Not\s+Available|No\s+Information|ID:\s*[A-Z]{0,4}\d+)"
    r"\s*(?P<rest>.*)$",
    re.I,
)
# What the STRUCTURE cell can hold as text: a no-value phrase, or the alt text of the structure image
# ("Abiraterone chemical structure", "2D chemical structure of 13614-98-7", "Image of ...", "Chemical
# Structure for ..."); in a run-together row it follows the formula directly.
_STRUCTURE_TAIL = re.compile(
    r"(?:Not\s+Available|Not\s+Applicable|No\s+Information|2D\s+chemical\s+structure\s+of\s+\S+"
    r"|Image\s+of\s+.*|Chemical\s+Structure\s+(?:for|of)\s+.+)$",
    re.I,
)
_ALT_TEXT = re.compile(r"\bchemical\s+structure$", re.I)
# A formula as LiverTox prints it ("C16-H19-N3-O5-S.C8-H9-N-O5", "C25-H29-12-N-O3"), ending where a
# capitalised word (the image's alt text) begins.
_FORMULA_THEN_WORD = re.compile(r"^(?:\d*[A-Z][a-z]?\d*|\d+)(?:[-.](?:\d*[A-Z][a-z]?\d*|\d+))*(?=[A-Z][a-z]{2})")

_REF_ID = re.compile(r"\s*\[(?P<kind>PubMed|PMC free article|PMCID|CrossRef|DOI)(?::\s*(?P<value>[^\]]*))?\]", re.I)
_NON_DIGIT = re.compile(r"\D")
_PMCID = re.compile(r"PMC\d+", re.I)
# "Journal Year; volume" (or "Year Mon Day; ..."): a journal citation, even without a PubMed id.
_JOURNAL = re.compile(r"(?<=[^\W\d_] |[)\].] )(?:1[6-9]|20)\d\d(?:\s[A-Z][a-z]{2,8}\.?(?:\s\d{1,2})?)?\s?;\s?[\d(]")


@dataclass(slots=True)
class _Line:
    raw: str  # the line without its end of line
    text: str  # whitespace-normalised, bullet removed
    para: str  # as a paragraph: without the bullet of an (indented) list item, else as printed
    bullet: bool  # starts with a bullet ("•")
    indented: bool
    tabbed: bool  # has a tab between non-blank text: table cells
    after_blank: bool  # a blank line precedes it
    number: int = 0  # its line number in the file (1-based), for findings


def _cells(raw: str) -> list[str]:
    return [norm(c) for c in _CELL_SPLIT.split(raw.strip(" \r\n"))]


class _Reader:
    """The one pass: each line goes to the section, table or reference open where it stands."""

    def __init__(self, lines: list[_Line]) -> None:
        self.lines = lines
        self.intro = Sec(title="")
        self.tops: list[Sec] = []
        self.kind = ""  # kind of the current top-level section ("" before the first one)
        self.group: Sec | None = None  # per-agent group inside OVERVIEW
        self.sub: Sec | None = None  # subsection (OVERVIEW) or case section (CASE REPORTS)
        self.case_part: Sec | None = None  # Key Points / Laboratory Values / Comment of a case
        self.table: Table | None = None  # table rows are being added to
        self.ref: RawRef | None = None  # the reference annotation lines belong to
        self.ref_raw = ""  # its citation line, identifiers included

    # where content goes -------------------------------------------------------------------------

    def target(self) -> Sec:
        for sec in (self.case_part, self.sub, self.group):
            if sec is not None:
                return sec
        return self.tops[-1] if self.tops else self.intro

    def end_block(self) -> None:
        self.table = None
        self.finish_ref()

    def new_top(self, line: _Line) -> None:
        self.end_block()
        self.tops.append(Sec(title=line.text, line=line.number))
        self.kind = top_kind(line.text)
        self.group = self.sub = self.case_part = None

    def new_sub(self, line: _Line, parent: Sec) -> Sec:
        self.end_block()
        sec = Sec(title=line.text, line=line.number)
        parent.children.append(sec)
        return sec

    def para(self, line: _Line, text: str | None = None) -> None:
        self.end_block()
        text = line.para if text is None else text
        if text:
            self.target().paras.append(Para(text, line=line.number))

    def row(self, cells: list[str], header_rows: int = 0) -> None:
        self.finish_ref()
        if self.table is None:
            self.table = Table([], header_rows)
            self.target().tables.append(self.table)
        self.table.rows.append(cells)

    # references ---------------------------------------------------------------------------------

    def start_ref(self, line: _Line) -> None:
        self.end_block()
        self.ref = RawRef(publication_type="other", text="", line=line.number)
        self.ref_raw = line.text
        self.target().refs.append(self.ref)

    def finish_ref(self) -> None:
        ref = self.ref
        if ref is None:
            return
        self.ref = None
        ids: dict[str, str] = {}
        for m in _REF_ID.finditer(self.ref_raw):
            kind = m["kind"].lower()
            value = norm(m["value"] or "")
            if value and kind not in ids:
                ids[kind] = value
        ref.text = norm(_REF_ID.sub(" ", self.ref_raw))
        pmid = _NON_DIGIT.sub("", ids.get("pubmed", ""))
        ref.pmid = pmid or None
        pmc = ids.get("pmc free article") or ids.get("pmcid") or ""
        pmc_match = _PMCID.search(pmc)
        ref.pmcid = pmc_match[0].upper() if pmc_match else None
        ref.doi = ids.get("doi") or None
        ref.publication_type = "journal" if ref.pmid or _JOURNAL.search(ref.text) else "other"

    # the pass -----------------------------------------------------------------------------------

    def run(self) -> None:
        lines = self.lines
        for i, line in enumerate(lines):
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            self.step(line, nxt)
        self.end_block()

    def step(self, line: _Line, nxt: _Line | None) -> None:
        text = line.text
        if self.kind == "chemical" and not line.bullet and _CHEM_HEADER.match(text):
            self.chem_header(line)
            return
        if _is_top_heading(line, self.kind):
            self.new_top(line)
            return
        kind = self.kind
        if kind == "":
            if _STANDARD.match(text) and _title_like(line):
                self.new_top(line)  # a subsection with no OVERVIEW above it: keep it as a section
            else:
                self.text_line(line)
        elif kind == "overview":
            self.overview_line(line, nxt)
        elif kind == "cases":
            self.case_line(line)
        elif kind == "chemical":
            self.chem_line(line)
        elif kind == "references":
            self.ref_line(line)
        elif kind == "links":
            self.para(line, _NUMBERED.sub("", line.para))
        else:
            self.text_line(line)

    def text_line(self, line: _Line) -> None:
        if line.tabbed:
            self.row(_cells(line.raw), 1)
        else:
            self.para(line)

    def overview_line(self, line: _Line, nxt: _Line | None) -> None:
        overview = self.tops[-1]
        text = line.text
        if _title_like(line):
            if _STANDARD.match(text):
                self.sub = self.new_sub(line, self.group or overview)
                return
            if nxt is not None and not nxt.bullet and not nxt.tabbed:
                if _STANDARD.match(nxt.text) and _title_like(nxt):
                    self.sub = None
                    self.group = self.new_sub(line, overview)
                    return
                if not _title_like(nxt) and not _is_top_heading(nxt, self.kind):
                    self.sub = self.new_sub(line, self.group or overview)
                    return
        self.text_line(line)

    def case_line(self, line: _Line) -> None:
        text = line.text
        if not line.bullet and _CASE_TITLE.match(text):
            self.case_part = None
            self.sub = self.new_sub(line, self.tops[-1])
            return
        if not line.bullet and _CASE_PART.match(text):
            self.case_part = self.new_sub(line, self.sub or self.tops[-1])
            return
        title = self.case_part.title.lower() if self.case_part is not None else ""
        if title.startswith("key"):
            if line.tabbed:
                self.row(_cells(line.raw))
                return
            m = _KEY_ROW.match(text)
            if m:
                self.row([m["label"], norm(m["value"])])
                return
        elif title.startswith("lab") and not text.startswith(("*", "[", "(")):
            self.row(_cells(line.raw), 1)
            return
        self.text_line(line)

    def chem_header(self, line: _Line) -> None:
        self.end_block()
        m = _CHEM_HEADER.match(line.text)
        assert m is not None
        self.row(["DRUG", norm(m["cas"]), norm(m["formula"]), norm(m["structure"])], 1)

    def chem_line(self, line: _Line) -> None:
        if line.tabbed:
            self.row(_cells(line.raw), 1 if self.table is None else self.table.header_rows)
            return
        text = line.text
        m = _CHEM_ROW_SPACED.match(text) or _CHEM_ROW_TIGHT.match(text) or _CHEM_ROW_NO_CAS.match(text)
        if m is None:
            if self.table is not None and self.table.rows:
                self.row([text])
            else:
                self.para(line)
            return
        formula, structure = _split_formula(norm(m["rest"]))
        self.row([norm(m["name"]), norm(m["cas"]), formula, structure])

    def ref_line(self, line: _Line) -> None:
        text = line.text
        numbered = _NUMBERED.match(line.raw.strip())
        if line.bullet or (numbered and line.indented):
            self.start_ref(line)
            if numbered and not line.bullet:
                self.ref_raw = _NUMBERED.sub("", text)
            return
        ref = self.ref
        follows = not line.after_blank and (line.indented or text.startswith("("))
        if ref is not None and (follows or (line.indented and text.startswith("("))):
            # The annotation is printed as an indented block under its entry (occasionally it is not
            # in parentheses, where the source split it).
            ref.annotation = f"{ref.annotation} {text}" if ref.annotation else text
            return
        self.text_line(line)


def _split_formula(rest: str) -> tuple[str, str]:
    """Split the run-together MOLECULAR FORMULA and STRUCTURE cells ("CytokineNot Available")."""
    tail = _STRUCTURE_TAIL.search(rest)
    if tail:
        return norm(rest[: tail.start()]), norm(tail[0])
    if _ALT_TEXT.search(rest):
        formula = _FORMULA_THEN_WORD.match(rest)
        if formula:
            return formula[0], norm(rest[formula.end() :])
    return rest, ""


def _is_top_heading(line: _Line, kind: str) -> bool:
    """An upper-case heading line: a LiverTox top-level section, or (outside PRODUCT INFORMATION,
    where upper-case lines are box labels, and OVERVIEW, where they are subsections) any other."""
    text = line.text
    if line.bullet or line.tabbed or len(text) > 80 or len(text.split()) > 8:
        return False
    if _HAS_LOWER.search(text) or not _HAS_UPPER_WORD.search(text) or text.endswith((".", ":", ",", ";")):
        return False
    if _TOP_WORD.search(text):
        return True
    return kind not in ("", "product", "overview", "chemical")


def _title_like(line: _Line) -> bool:
    """Could this line be a subsection title (short, no sentence punctuation, not a known label)?"""
    text = line.text
    if line.bullet or line.tabbed or not text or len(text) > 100 or len(text.split()) > 12:
        return False
    if text.endswith((".", ":", ";", ",", "!", "?")) or ":" in text:
        return False
    if not (text[0].isupper() or text[0].isdigit()):
        return False
    return not _NOT_TITLE.match(text)


def _lines(numbered: list[str], first: int, last: int) -> list[_Line]:
    out: list[_Line] = []
    blank = True
    for i in range(first, last):
        raw = numbered[i]
        stripped = raw.strip()
        if not stripped:
            blank = True
            continue
        bullet = _BULLET.match(stripped)
        body = norm(stripped[bullet.end() :] if bullet else stripped)
        indented = raw[:1] in (" ", "\t")
        out.append(
            _Line(
                raw=raw,
                text=body,
                # A list item is an indented bullet; a bullet at the start of a line belongs to the text
                # ("• Alendronate (a len' droe nate) ..." in bisphosphonates is one paragraph).
                para=body if bullet and indented else norm(stripped),
                bullet=bullet is not None,
                indented=indented,
                tabbed="\t" in stripped,
                after_blank=blank,
                number=i + 1,
            )
        )
        blank = False
    return out


def read_body(page: list[str], first: int, end: int) -> tuple[Sec, list[Sec]]:
    """The sections of ``page[first:end]``: the content before the first heading (as a section without a
    title) and the top-level sections, in order."""
    reader = _Reader(_lines(page, first, end))
    reader.run()
    return reader.intro, reader.tops
