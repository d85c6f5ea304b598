#!/usr/bin/env python3
"""An independent second reading of the LiverTox NXML files, written as expectation tables.

Usage: python tests/data/expected/independent_reader.py /work/shared/corpus [OUT_DIR]

It reads every ``.nxml`` file of ``nxml/`` and ``archive/`` of the corpus with the standard library only
(it does not import livertox_kg and shares no code with the project's loaders), writes ``chapters.tsv``,
``references.tsv``, ``scores.tsv``, ``invalid_scores.tsv``, ``years.tsv``, ``cases.tsv`` and ``cas.tsv``
into OUT_DIR (default: the folder of this script), and applies ``corrections.tsv`` last. Rows of the
committed ``chapters.tsv`` and ``references.tsv`` for files this script does not read (``txt/``) are kept
as they are. Re-running it on the same corpus reproduces the committed files byte for byte.

Rules (what the XML shows, nothing more):

Text
    The text of an element is all its text, with ``<break/>`` and paragraph boundaries read as a space,
    runs of white space collapsed to one space and stripped.

Chapter facts (chapters.tsv)
    chapter   ``book-part-wrapper/@id``.
    title     ``book-part/book-part-meta/title-group/title`` (``book-app/...`` for appendix pages); for
              the table of contents (``<toc>``) the book title ``book-meta/book-title-group/book-title``.
    updated   ``pub-history/date[@date-type="updated"]`` as YYYY-MM-DD; empty when there is none.
    case_reports  the number of ``sec`` whose title starts "Case N." (N a number).
    references    the number of ``ref`` elements.
    kind, decided in this order:
      1. front-matter  the page is a ``<book-app>`` or the ``<toc>``;
      2. phenotype     the chapter id starts with "Phenotypes_" (LiverTox's injury-phenotype chapters);
      3. drug / herbal the chapter has a "PRODUCT INFORMATION" section: herbal when the DRUG CLASS given
                       there (or, when it gives none, the "Drug Class:" line) names herbal, botanical or
                       dietary supplements, drug otherwise;
      4. front-matter  no "OVERVIEW" section and no ``pubmed-excerpt`` text (severity grading, causality
                       tools, RUCAM, glossary, ...);
      5. class-overview  the body links (``related-object/@document-id``) to other chapters outside its
                       own "Drug Class:" line: an overview lists the chapters of its class;
      6. drug / herbal otherwise (a single agent without product information, e.g. benzbromarone), by
                       its "Drug Class:" line as in 3.

Likelihood scores (scores.tsv, invalid_scores.tsv)
    In document order, outside ``ref`` (bibliography annotations are never statements):
    * a paragraph that starts, after an optional "(", with at most four words, a word beginning "lik"
      (Likelihood, Liklihood, Likehood, Likelhood, LIkelihood) and "score" or "scores", then an optional
      short scope without ":" or "." ("(oral gold preparations)", "for caffeine", ", Hydromorphone",
      "when used for ..."), then ":" and the code. The code is a capital letter, an optional "*" and an
      optional bracketed qualifier ("C[HD]", "A[H]"), not followed by a letter. A code of A-E, E*, X
      with no qualifier, [HD] or [H] is a row (high_dose true for [HD] and [H]); "cannot be assessed"
      (a negation and "assess") is NA; any other code is listed in invalid_scores.tsv.
    * a paragraph that is only such a heading ("Likelihood scores:") is followed by per-agent lines:
      each following sibling paragraph that starts "Agent: CODE" gives one row for each "Agent: CODE"
      that starts it or follows a ". " in it; the first paragraph that does not ends the list.
    * a table with a header cell (``th`` or ``td``) starting "Likelihood Score": each later row gives
      the cell of that column (columns counted with colspan and rowspan); a valid code is a row, group
      headings (a cell spanning several columns) and empty cells are skipped, any other text is listed
      in invalid_scores.tsv. A further header row restarts the column.

References (references.tsv)
    Every ``pub-id[@pub-id-type="pmid"]`` inside a ``ref``, text as printed (stripped), counted; rows in
    order of first appearance.

Years (years.tsv)
    One row per journal reference; ordinal is the position of the ``ref`` among all refs of the chapter.
    A journal reference is an ``element-citation`` or ``mixed-citation`` with
    ``publication-type="journal"``, or a ``mixed-citation`` of another type printed in the journal form
    "YYYY; <number>" (metoclopramide's references are typed "other": "Hepatology 2010; 52: 2065-76.").
    element-citation: the text of its ``<year>``. mixed-citation: its own text without ``annotation`` and
    ``pub-id`` (the citation as printed); the year is the first 4-digit number, not after a digit or
    inside a range, followed by ";" (optionally with a month, "Jan" or "Sep-Oct", and a day in between:
    "2005 Mar;", "1980 Jun 28;"; a volume-year range "1988-1989;" gives its first year; a year fused to
    the journal name, "Neuropsychobiology1989;", counts). When no year is printed before a ";", the first
    4-digit number, not inside a word or a range, right after the journal name and followed by ":", a
    volume and ":" or ";", a month, ". [Epub" / "[Epub", or nothing but punctuation to the end
    ("Pediatrics 2006: 118", "Drug Saf 2013 36: 491", "Liver Int 2013 Sep 11. [Epub ahead of print]").
    A number followed by "-" (a page range) or by more digits is never a year; a year is kept as printed
    ("1001" in benzbromarone, a typo for 2001). When the citation's own text has no year (a markup slip
    put all or the rest of the citation into the ``annotation``), the annotation's text before its first
    "(" (where LiverTox's comment starts) is read after it. Empty when there is none.

Case reports (cases.tsv)
    One row per "Case N." section in document order. Pattern: the cell after the first "Pattern:" label
    cell (``td`` or ``th``) of a table row that comes after the case's title and before the next case's
    title in document order (so a case nested inside another has its own Key Points, and its parent
    keeps those before it). r_ratio: the number right after "R=" (also "R =", "R ratio=", "R~", "R=~");
    empty when there is none or when a bound follows ("R>100", "R=<1.0").

CAS numbers (cas.tsv)
    A table with a header cell containing "CAS": for each later row, the first cell's text (row) and each
    ddddddd-dd-d number in the CAS column, as printed; check_digit_ok by the CAS check-digit rule.
"""

from __future__ import annotations

import csv
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SUBDIRS = ("archive", "nxml")

CATEGORIES = ("A", "B", "C", "D", "E", "E*", "X")
HIGH_DOSE = ("HD", "H")

COLUMNS: dict[str, tuple[str, ...]] = {
    "chapters": ("file", "chapter", "title", "kind", "updated", "case_reports", "references"),
    "references": ("file", "chapter", "pmid", "count"),
    "scores": ("file", "chapter", "ordinal", "category", "high_dose"),
    "invalid_scores": ("file", "chapter", "text"),
    "years": ("file", "chapter", "ordinal", "year"),
    "cases": ("file", "chapter", "number", "pattern", "r_ratio"),
    "cas": ("file", "chapter", "row", "cas", "check_digit_ok"),
}
CARRIED_OVER = ("chapters", "references")  # tables that also hold hand-checked rows for txt/ files

Row = dict[str, str]


# --- text ---------------------------------------------------------------------------------------------


def text(el: ET.Element) -> str:
    parts: list[str] = []

    def walk(e: ET.Element) -> None:
        if e.tag in ("break", "p"):
            parts.append(" ")
        if e.text:
            parts.append(e.text)
        for child in e:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if e.tag == "p":
            parts.append(" ")

    walk(el)
    return " ".join("".join(parts).split())


def title_of(sec: ET.Element) -> str:
    t = sec.find("title")
    return text(t) if t is not None else ""


CASE_TITLE = re.compile(r"Case\s+(\d+)\.")


def case_number(el: ET.Element) -> int | None:
    if el.tag != "sec":
        return None
    m = CASE_TITLE.match(title_of(el))
    return int(m.group(1)) if m else None


# --- tables -------------------------------------------------------------------------------------------


@dataclass
class Cell:
    el: ET.Element
    text: str
    colspan: int


def table_rows(table: ET.Element) -> Iterator[tuple[ET.Element, dict[int, Cell]]]:
    """Each ``tr`` of the table with its cells by column index (colspan and rowspan applied)."""
    pending: dict[int, tuple[Cell, int]] = {}  # column -> (cell, rows still covered below)
    for tr in table.iter("tr"):
        grid: dict[int, Cell] = {}
        for col, (cell, left) in list(pending.items()):
            grid[col] = cell
            if left <= 1:
                del pending[col]
            else:
                pending[col] = (cell, left - 1)
        col = 0
        for el in tr:
            if el.tag not in ("td", "th"):
                continue
            while col in grid:
                col += 1
            colspan = int(el.get("colspan") or 1)
            rowspan = int(el.get("rowspan") or 1)
            cell = Cell(el, text(el), colspan)
            for c in range(col, col + colspan):
                grid[c] = cell
                if rowspan > 1:
                    pending[c] = (cell, rowspan - 1)
            col += colspan
        yield tr, grid


# --- likelihood scores --------------------------------------------------------------------------------

CODE = r"(?P<letter>[A-Z])(?P<star>\*?)(?:\s*\[(?P<qual>[A-Za-z]+)\])?(?![A-Za-z])"
STATEMENT = re.compile(
    r"^\(?\s*(?:[A-Za-z-]+\s+){0,4}?lik\w*\s+scores?\b(?P<scope>[^:.]{0,80}?):\s*(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
HEADING = re.compile(r"^lik\w*\s+scores?\s*:?$", re.IGNORECASE)
AGENT_LINE = re.compile(r"(?:^|(?<=\.)\s+)(?P<agent>[A-Z][^:.()]{0,60}):\s*" + CODE)
NOT_ASSESSED = re.compile(r"^(?:can\s*not|could\s+not|not|un)\b[\w\s]{0,20}?assess", re.IGNORECASE)


def parse_code(m: re.Match[str]) -> tuple[str, bool] | None:
    """(category, high_dose) for a valid printed code, None for a code that is not a category."""
    category = m.group("letter") + m.group("star")
    qual = m.group("qual")
    if category not in CATEGORIES or (qual is not None and qual not in HIGH_DOSE):
        return None
    return category, qual is not None


def cell_code(value: str) -> tuple[str, bool] | None:
    m = re.fullmatch(CODE, value)
    return parse_code(m) if m else None


@dataclass
class Scores:
    rows: list[tuple[str, bool]] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)

    def add(self, m: re.Match[str], printed: str) -> None:
        got = parse_code(m)
        if got is None:
            self.invalid.append(printed)
        else:
            self.rows.append(got)


def statement(p_text: str, scores: Scores) -> bool:
    """Read one statement paragraph; True when the paragraph was a "Likelihood scores:" heading."""
    if HEADING.match(p_text):
        return True
    m = STATEMENT.match(p_text)
    if not m:
        return False
    rest = m.group("rest")
    code = re.match(CODE, rest)
    if code:
        scores.add(code, p_text)
    elif NOT_ASSESSED.match(rest):
        scores.rows.append(("NA", False))
    return False


def score_table(table: ET.Element, scores: Scores) -> None:
    col: int | None = None
    for _tr, grid in table_rows(table):
        header = [c for c, cell in sorted(grid.items()) if re.match(r"lik\w*\s+scores?\b", cell.text, re.I)]
        if header:
            col = header[0]
            continue
        if col is None or col not in grid:
            continue
        cell = grid[col]
        if cell.colspan > 1 or not cell.text:
            continue
        got = cell_code(cell.text)
        if got is None:
            scores.invalid.append(cell.text)
        else:
            scores.rows.append(got)


def read_scores(part: ET.Element, parents: dict[ET.Element, ET.Element]) -> Scores:
    scores = Scores()
    in_list: set[ET.Element] = set()  # paragraphs already read as per-agent lines
    for el in part.iter():
        if inside(el, "ref", parents) or el in in_list:
            continue
        if el.tag == "table":
            score_table(el, scores)
        elif el.tag == "p" and statement(text(el), scores):
            siblings = list(parents[el])
            for sib in siblings[siblings.index(el) + 1 :]:
                lines = list(AGENT_LINE.finditer(text(sib))) if sib.tag == "p" else []
                if not lines or lines[0].start() != 0:
                    break
                in_list.add(sib)
                for line in lines:
                    scores.add(line, line.group(0))
    return scores


def inside(el: ET.Element, tag: str, parents: dict[ET.Element, ET.Element]) -> bool:
    while el in parents:
        el = parents[el]
        if el.tag == tag:
            return True
    return False


# --- references and years -----------------------------------------------------------------------------

MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
YEAR_BEFORE_SEMICOLON = re.compile(
    rf"(?<![\d./-])(?P<year>\d{{4}})(?:-\d{{4}})?(?:\s+{MONTH}(?:-{MONTH})?)?(?:\s+\d{{1,2}})?\s*;"
)
YEAR_OTHERWISE = re.compile(
    rf"(?<![\w./-])(?P<year>\d{{4}})(?![\d-])(?=\s*:|\s+\d+\s*[:;]|\s+{MONTH}|\.?\s*\[?\s*Epub|[\s\W]*$)"
)


def citation_text(cit: ET.Element) -> str:
    parts = [cit.text or ""]
    for child in cit:
        if child.tag not in ("annotation", "pub-id"):
            parts.append(text(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


JOURNAL_FORM = re.compile(YEAR_BEFORE_SEMICOLON.pattern + r"\s*\d")  # "Cancer 1994; 74: 3204-11."


def is_journal(cit: ET.Element) -> bool:
    """A journal citation: typed so, or a mixed-citation of another type printed as one ("YYYY; 74: ...")."""
    if cit.get("publication-type") == "journal":
        return True
    return cit.tag == "mixed-citation" and JOURNAL_FORM.search(citation_text(cit)) is not None


def find_year(printed: str) -> str:
    m = YEAR_BEFORE_SEMICOLON.search(printed) or YEAR_OTHERWISE.search(printed)
    return m.group("year") if m else ""


def journal_year(cit: ET.Element) -> str:
    if cit.tag == "element-citation":
        return (cit.findtext("year") or "").strip()
    year = find_year(citation_text(cit))
    if not year:  # a markup slip put (the rest of) the citation into the annotation, before its "(comment)"
        spilled = " ".join(text(a).split("(", 1)[0] for a in cit.findall("annotation"))
        year = find_year(f"{citation_text(cit)} {spilled}")
    return year


# --- case reports -------------------------------------------------------------------------------------

R_RATIO = re.compile(r"\bR(?:\s+ratio)?\s*(?:=\s*~?|~)\s*(?P<r>\d+(?:\.\d+)?)")


@dataclass
class Case:
    number: int
    pattern: str = ""
    has_pattern: bool = False


def read_cases(part: ET.Element, parents: dict[ET.Element, ET.Element]) -> list[Case]:
    cases: list[Case] = []
    for el in part.iter():
        number = case_number(el)
        if number is not None:
            cases.append(Case(number))
        elif el.tag == "tr" and cases and not cases[-1].has_pattern and in_case(el, parents):
            cells = [c for c in el if c.tag in ("td", "th")]
            if len(cells) >= 2 and re.fullmatch(r"pattern\s*:?", text(cells[0]), re.IGNORECASE):
                cases[-1].pattern = text(cells[1])
                cases[-1].has_pattern = True
    return cases


def in_case(el: ET.Element, parents: dict[ET.Element, ET.Element]) -> bool:
    while el in parents:
        el = parents[el]
        if case_number(el) is not None:
            return True
    return False


def r_ratio(pattern: str) -> str:
    m = R_RATIO.search(pattern)
    return m.group("r") if m else ""


# --- CAS numbers --------------------------------------------------------------------------------------

CAS = re.compile(r"(?<![\d-])\d{2,7}-\d{2}-\d(?![\d-])")


def cas_check_digit_ok(cas: str) -> bool:
    digits = cas.replace("-", "")
    body, check = digits[:-1], int(digits[-1])
    return sum(i * int(d) for i, d in enumerate(reversed(body), start=1)) % 10 == check


def read_cas(part: ET.Element) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for table in part.iter("table"):
        col: int | None = None
        for _tr, grid in table_rows(table):
            header = [c for c, cell in sorted(grid.items()) if re.search(r"\bCAS\b", cell.text)]
            if header:
                col = header[0]
                continue
            if col is None or col not in grid or 0 not in grid:
                continue
            for cas in CAS.findall(grid[col].text):
                out.append((grid[0].text, cas))
    return out


# --- chapter kind -------------------------------------------------------------------------------------

HERBAL = re.compile(r"herbal|botanical|dietary\s+supplement", re.IGNORECASE)


def product_information_class(body: ET.Element) -> tuple[bool, str | None]:
    """(has a PRODUCT INFORMATION section, the DRUG CLASS printed there or None)."""
    for sec in body.iter("sec"):
        if title_of(sec).upper() != "PRODUCT INFORMATION":
            continue
        paragraphs = [text(p) for p in sec.iter("p")]
        for i, t in enumerate(paragraphs):
            if t.upper() == "DRUG CLASS":
                following = [x for x in paragraphs[i + 1 :] if x]
                return True, following[0] if following else None
        return True, None
    return False, None


def drug_class_lines(body: ET.Element) -> list[ET.Element]:
    return [p for p in body.iter("p") if re.match(r"drug class\s*:", text(p), re.IGNORECASE)]


def kind_of(root: ET.Element, part: ET.Element) -> str:
    if part.tag in ("book-app", "toc"):
        return "front-matter"
    if (root.get("id") or "").lower().startswith("phenotypes_"):
        return "phenotype"
    body = part.find("body")
    if body is None:
        return "front-matter"
    class_lines = drug_class_lines(body)
    line_class = " ".join(text(p) for p in class_lines)
    has_pi, pi_class = product_information_class(body)
    if has_pi:
        return "herbal" if HERBAL.search(pi_class if pi_class is not None else line_class) else "drug"
    has_overview = any(title_of(s).upper() == "OVERVIEW" for s in body.iter("sec"))
    has_excerpt = any(
        e.get("content-type") == "pubmed-excerpt" or e.get("sec-type") == "pubmed-excerpt" for e in body.iter()
    )
    if not has_overview and not has_excerpt:
        return "front-matter"
    in_class_line = {ro for p in class_lines for ro in p.iter("related-object")}
    links = [ro for ro in body.iter("related-object") if ro.get("document-id") and ro not in in_class_line]
    if links:
        return "class-overview"
    return "herbal" if HERBAL.search(line_class) else "drug"


# --- one chapter --------------------------------------------------------------------------------------


def updated_of(part: ET.Element) -> str:
    date = part.find("book-part-meta/pub-history/date[@date-type='updated']")
    if date is None:
        return ""
    year, month, day = (date.findtext(k) or "" for k in ("year", "month", "day"))
    if not year:
        return ""
    return f"{int(year):04d}-{int(month or 1):02d}-{int(day or 1):02d}"


def read_chapter(path: Path, rel: str) -> dict[str, list[Row]]:
    root = ET.parse(path).getroot()
    part = next(el for el in root if el.tag in ("book-part", "book-app", "toc"))
    parents = {child: parent for parent in root.iter() for child in parent}
    chapter = root.get("id") or ""
    key = {"file": rel, "chapter": chapter}

    if part.tag == "toc":
        title_el = root.find("book-meta/book-title-group/book-title")
    else:
        title_el = part.find("book-part-meta/title-group/title")
    refs = list(part.iter("ref"))
    cases = read_cases(part, parents)
    out: dict[str, list[Row]] = {name: [] for name in COLUMNS}
    out["chapters"].append(
        {
            **key,
            "title": text(title_el) if title_el is not None else "",
            "kind": kind_of(root, part),
            "updated": updated_of(part) if part.tag != "toc" else "",
            "case_reports": str(len(cases)),
            "references": str(len(refs)),
        }
    )

    pmids = Counter(
        (pid.text or "").strip() for ref in refs for pid in ref.iter("pub-id") if pid.get("pub-id-type") == "pmid"
    )
    for pmid, count in pmids.items():  # Counter keeps first-appearance order
        out["references"].append({**key, "pmid": pmid, "count": str(count)})

    scores = read_scores(part, parents)
    for i, (category, high_dose) in enumerate(scores.rows, start=1):
        out["scores"].append({**key, "ordinal": str(i), "category": category, "high_dose": bool_text(high_dose)})
    for printed in scores.invalid:
        out["invalid_scores"].append({**key, "text": printed})

    for i, ref in enumerate(refs, start=1):
        cit = next((c for c in ref if c.tag in ("element-citation", "mixed-citation")), None)
        if cit is not None and is_journal(cit):
            out["years"].append({**key, "ordinal": str(i), "year": journal_year(cit)})

    for case in cases:
        out["cases"].append(
            {**key, "number": str(case.number), "pattern": case.pattern, "r_ratio": r_ratio(case.pattern)}
        )

    for row, cas in read_cas(part):
        out["cas"].append({**key, "row": row, "cas": cas, "check_digit_ok": bool_text(cas_check_digit_ok(cas))})
    return out


def bool_text(value: bool) -> str:
    return "true" if value else "false"


# --- files --------------------------------------------------------------------------------------------


def read_tsv(path: Path) -> list[Row]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def write_tsv(path: Path, columns: tuple[str, ...], rows: list[Row]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def apply_corrections(tables: dict[str, list[Row]], corrections: list[Row]) -> None:
    """Each correction names a row (file, table, key "column=value;...") and sets one column to a new
    value (column "-" deletes the row). The reader's value must still be the recorded old one."""
    for c in corrections:
        rows = tables[c["table"]]
        want = dict(part.split("=", 1) for part in c["key"].split(";") if part)
        hits = [r for r in rows if r["file"] == c["file"] and all(r[k] == v for k, v in want.items())]
        if len(hits) != 1:
            raise SystemExit(f"correction {c} matches {len(hits)} rows")
        row = hits[0]
        if c["column"] == "-":
            rows.remove(row)
            continue
        if row[c["column"]] != c["old"]:
            raise SystemExit(f"correction {c}: the reader now gives {row[c['column']]!r}")
        row[c["column"]] = c["new"]


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    corpus = Path(argv[1])
    out_dir = Path(argv[2]) if len(argv) == 3 else HERE
    files = sorted(p for sub in SUBDIRS for p in (corpus / sub).glob("*.nxml"))
    if not files:
        print(f"no .nxml files under {corpus}/{{{','.join(SUBDIRS)}}}", file=sys.stderr)
        return 2
    tables: dict[str, list[Row]] = {name: [] for name in COLUMNS}
    for path in files:
        for name, rows in read_chapter(path, path.relative_to(corpus).as_posix()).items():
            tables[name].extend(rows)
    read_prefixes = tuple(f"{sub}/" for sub in SUBDIRS)
    for name in CARRIED_OVER:
        kept = [r for r in read_tsv(HERE / f"{name}.tsv") if not r["file"].startswith(read_prefixes)]
        tables[name] = sorted(tables[name] + kept, key=lambda r: r["file"])  # stable: rows keep their order
    apply_corrections(tables, read_tsv(HERE / "corrections.tsv"))
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, columns in COLUMNS.items():
        write_tsv(out_dir / f"{name}.tsv", columns, tables[name])
        print(f"{name}.tsv: {len(tables[name])} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
