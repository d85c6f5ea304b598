"""Read a LiverTox chapter in NCBI's BITS 2.0 XML (``.nxml``) into a :class:`RawDocument`.

Both layouts are handled: the 2021 archive (``related-object`` previous/next links, indented inline
elements) and the 2026 archive (``abstract`` and a disclaimer in ``book-meta``, no indentation).
Safety: a document that declares any entity (``<!ENTITY``, in any encoding) is refused before it is
parsed, so no entity is ever expanded (no billion-laughs bomb) and no external entity is ever resolved
(no XXE); the parser (Python's expat, through ``xml.etree``'s C accelerator) loads no DTD and fetches
nothing from the network. A parse error becomes a :class:`~livertox_kg.errors.SourceError` naming the
file and line.

``xml.etree`` rather than ``lxml``: lxml parses faster, but every element it hands to Python is a new
proxy object, and walking the ~60 references of a chapter that way cost three times the parse;
``xml.etree`` elements are plain objects. ``defusedxml`` is not used: its parser is the pure-Python
``XMLParser``, which made parsing five times slower than the C one for the same refusal.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from livertox_kg.errors import SourceError
from livertox_kg.loaders.document import ExtLink, Link, Para, RawDocument, RawRef, Sec, Table, TocEntry, norm
from livertox_kg.model import Finding, Provenance, is_chapter_id

# Elements whose content is not running text of the section they sit in.
_SKIP_IN_TEXT = frozenset({"annotation", "pub-id", "object-id"})


def text_of(el: ET.Element) -> str:
    """Text content of ``el``, whitespace-normalised (``<break/>`` was turned into a space before parsing)."""
    return norm("".join(el.itertext()))


def _text_without(el: ET.Element, skip: frozenset[str] = _SKIP_IN_TEXT) -> str:
    """Text of ``el`` leaving out its ``skip`` children (a citation without annotation and ids)."""
    parts = [el.text or ""]
    for child in el:
        if child.tag not in skip:
            parts.extend(child.itertext())
        parts.append(child.tail or "")
    return norm("".join(parts))


_BREAK = re.compile(rb"<break\s*/>")
_PLACED = ("p", "sec", "ref", "title", "book-part-meta")  # elements whose line a finding may name
_START_TAG = re.compile(rb"<(p|sec|ref|title|book-part-meta)[\s>/]")


class _Places:
    """The source line of each element of :data:`_PLACED`: ``xml.etree`` keeps no positions, so the start tags
    are found in the bytes (one regex pass) and paired, tag by tag, with the elements in document order. A tag
    whose counts differ (one inside a comment or CDATA section) gets no lines rather than wrong ones."""

    def __init__(self, data: bytes, root: ET.Element) -> None:
        found: dict[str, list[int]] = {t: [] for t in _PLACED}
        line, last = 1, 0
        for m in _START_TAG.finditer(data):
            line += data.count(b"\n", last, m.start())
            last = m.start()
            found[m.group(1).decode()].append(line)
        self.lines: dict[int, int] = {}
        for tag, lines in found.items():
            elements = list(root.iter(tag))
            if len(elements) == len(lines):
                self.lines.update((id(el), n) for el, n in zip(elements, lines, strict=True))

    def line(self, el: ET.Element | None) -> int | None:
        return self.lines.get(id(el)) if el is not None else None


def _links(el: ET.Element) -> tuple[Link, ...]:
    """Links to other LiverTox chapters inside ``el``, in order."""
    return tuple(
        Link(text_of(r), r.get("document-id", ""))
        for r in el.iter("related-object")
        if r.get("source-id") == "livertox" and r.get("document-id") and r.get("link-type") != "ext-image-back-link"
    )


_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


def _ext_links(elements: Iterable[ET.Element]) -> tuple[ExtLink, ...]:
    """The ``<ext-link>`` elements among ``elements`` (each and its descendants), in document order."""
    return tuple(
        ExtLink(e.get("ext-link-type", ""), norm(e.get(_XLINK_HREF, "")), text_of(e))
        for el in elements
        for e in el.iter("ext-link")
    )


def _para(p: ET.Element, at: _Places | None = None) -> Para:
    bold = tuple(t for t in (text_of(b) for b in p.iter("bold")) if t)
    in_tables = {id(e) for tw in p.iter("table-wrap") for e in tw.iter("ext-link")}
    ext = tuple(x for x, e in zip(_ext_links([p]), p.iter("ext-link"), strict=True) if id(e) not in in_tables)
    return Para(text_of(p), bold, _links(p), p.get("content-type"), ext, at.line(p) if at else None)


def _table(tw: ET.Element) -> Table:
    rows: list[list[str]] = []
    row_links: list[tuple[int, ExtLink]] = []
    header_rows = 0
    for table in tw.iter("table"):
        for part in table:
            trs = [part] if part.tag == "tr" else [tr for tr in part if tr.tag == "tr"]
            for tr in trs:
                row_links.extend((len(rows), link) for link in _ext_links([tr]))
                rows.append([text_of(c) for c in tr if c.tag in ("td", "th")])
                if part.tag == "thead":
                    header_rows += 1
    return Table(rows, header_rows, _links(tw), tuple(row_links))


def _name(name: ET.Element) -> str:
    surname = norm(name.findtext("surname") or "")
    given = norm(name.findtext("given-names") or "")
    return f"{surname} {given}".strip()


def _ref(ref: ET.Element, at: _Places) -> RawRef | None:
    cit = None
    for child in ref:
        if child.tag in ("element-citation", "mixed-citation", "citation"):
            cit = child
            break
    if cit is None:
        text = text_of(ref)
        return RawRef("other", text, line=at.line(ref), ref_id=ref.get("id")) if text else None
    ids = {pid.get("pub-id-type", ""): norm(pid.text or "") for pid in cit.findall("pub-id")}
    annotation_el = cit.find("annotation")
    annotation = text_of(annotation_el) if annotation_el is not None else None
    raw = RawRef(
        publication_type=cit.get("publication-type", "other"),
        text=_text_without(cit),
        annotation=annotation or None,
        pmid=ids.get("pmid") or None,
        pmcid=ids.get("pmc") or ids.get("pmcid") or None,
        doi=ids.get("doi") or None,
        ext_links=_ext_links(c for c in cit if c.tag != "annotation"),
        line=at.line(ref),
        ref_id=ref.get("id"),
    )
    if cit.tag == "element-citation":
        authors = [_name(n) for n in cit.iter("name")]
        authors += [text_of(c) for c in cit.iter("collab")]
        fpage, lpage = cit.findtext("fpage"), cit.findtext("lpage")
        pages = norm(fpage or "")
        if lpage and norm(lpage):
            pages = f"{pages}-{norm(lpage)}" if pages else norm(lpage)
        article_title = cit.find("article-title")
        raw.structured = True
        raw.authors = tuple(a for a in authors if a)
        raw.title = text_of(article_title) if article_title is not None else None
        raw.journal = norm(cit.findtext("source") or "") or None
        raw.year = norm(cit.findtext("year") or "") or None
        raw.volume = norm(cit.findtext("volume") or "") or None
        raw.issue = norm(cit.findtext("issue") or "") or None
        raw.pages = pages or None
    return raw


def _content(container: ET.Element, sec: Sec, at: _Places) -> None:
    """Collect paragraphs, tables and references of ``container`` that are not in a nested ``sec``."""
    for child in container:
        tag = child.tag
        if tag == "title":
            continue
        if tag == "sec":
            sec.children.append(_sec(child, at))
        elif tag == "p":
            sec.paras.append(_para(child, at))
            for tw in child.iter("table-wrap"):
                sec.tables.append(_table(tw))
        elif tag == "table-wrap":
            sec.tables.append(_table(child))
        elif tag == "ref-list":
            for ref in child.iter("ref"):
                raw = _ref(ref, at)
                if raw is not None:
                    sec.refs.append(raw)
        elif tag in ("boxed-text", "list", "list-item", "def-list", "fig", "disp-quote", "table-wrap-group"):
            _content(child, sec, at)


def _sec(el: ET.Element, at: _Places) -> Sec:
    title_el = el.find("title")
    sec = Sec(
        title=text_of(title_el) if title_el is not None else "",
        sec_type=el.get("sec-type"),
        line=at.line(title_el) or at.line(el),
    )
    _content(el, sec, at)
    return sec


def _date(el: ET.Element | None) -> dt.date | None:
    if el is None:
        return None
    try:
        return dt.date(int(el.findtext("year") or ""), int(el.findtext("month") or "1"), int(el.findtext("day") or "1"))
    except ValueError:
        return None


def _parse(data: bytes, source: str) -> ET.Element:
    """The XML's root element; :class:`SourceError` for an empty file, an entity declaration or bad XML."""
    if not data.strip():
        raise SourceError(source, None, "empty file")
    refused = _entity_declaration(data)
    if refused is not None:
        name, line = refused
        raise SourceError(
            source,
            f"line {line}",
            f"entity declaration {name!r} refused (entity expansion and external entities are off)",
        )
    try:
        return ET.fromstring(_BREAK.sub(b" ", data))
    except ET.ParseError as exc:
        line, _col = exc.position
        msg = str(exc).split(": line ")[0]
        raise SourceError(source, f"line {line}", f"not well-formed XML: {msg}") from None


def read_nxml(data: bytes, provenance: Provenance, display: str | None = None) -> RawDocument:
    """Parse one chapter. Raises :class:`SourceError` for XML that is malformed or not a chapter.

    ``display`` is the file name as the user gave it, for error messages.
    """
    source = display or provenance.source_name
    root = _parse(data, source)
    if root.tag != "book-part-wrapper":
        raise SourceError(
            source, None, f"not a LiverTox chapter: root element is <{root.tag}>, not <book-part-wrapper>"
        )
    book_id = root.findtext("book-meta/book-id")
    if book_id is not None and norm(book_id).lower() != "livertox":
        raise SourceError(source, "book-part-wrapper", f"not a LiverTox chapter: book id is {norm(book_id)!r}")
    chapter_id = root.get("id") or ""
    if not is_chapter_id(chapter_id):
        raise SourceError(source, "book-part-wrapper", f"chapter id {chapter_id!r} is missing or malformed")
    toc = root.find("toc")
    if toc is not None and root.find("book-part") is None:
        return _toc_page(root, toc, chapter_id, provenance)
    part = root.find("book-part")
    if part is None:
        part = root.find("book-app")  # front matter: "About LiverTox", "Disclaimer", "Abbreviations", ...
    if part is None:
        raise SourceError(source, "book-part-wrapper", "no <book-part>, <book-app> or <toc> element")
    meta = part.find("book-part-meta")
    title_el = meta.find("title-group/title") if meta is not None else None
    title = text_of(title_el) if title_el is not None else ""
    updated = _date(meta.find("pub-history/date[@date-type='updated']")) if meta is not None else None
    part_type = "appendix" if part.tag == "book-app" else part.get("book-part-type", "chapter")
    doc = RawDocument(chapter_id=chapter_id, title=title, provenance=provenance, updated=updated, part_type=part_type)
    at = _Places(data, root)
    doc.title_line = at.line(title_el) or at.line(meta)
    if not title:
        doc.problems.append(_no_title(doc.title_line))
    doc.problems.extend(_repeated_ref_ids(part, at))
    body = part.find("body")
    if body is None:
        return doc
    holder = Sec(title="")
    _content(body, holder, at)
    doc.intro_paras = holder.paras
    doc.sections = holder.children
    if holder.tables or holder.refs:
        # Content outside any section: keep it in an untitled section so nothing is dropped.
        doc.sections.insert(0, Sec(title="", tables=holder.tables, refs=holder.refs))
    return doc


def _no_title(line: int | None) -> Finding:
    return Finding(
        "book-part-meta",
        "the chapter has no <title>, so the graph has no title for it: add <title>the chapter title</title> "
        "inside <title-group> of <book-part-meta>",
        line,
        "<book-part-meta>",
        shape="Chapter-title-missing",
    )


def _repeated_ref_ids(part: ET.Element, at: _Places) -> list[Finding]:
    """A ``<ref id>`` used twice: the reference is loaded, but a link to that id reaches only the first one."""
    first: dict[str, int | None] = {}
    out = []
    for ref in part.iter("ref"):
        ref_id = ref.get("id")
        if not ref_id:
            continue
        if ref_id not in first:
            first[ref_id] = at.line(ref)
            continue
        where = f"line {first[ref_id]}" if first[ref_id] else "an earlier reference"
        out.append(
            Finding(
                f'reference <ref id="{ref_id}">',
                f"the reference id {ref_id!r} is already used by the reference at {where}: ids must be unique; "
                "give this reference its own id (the next free number)",
                at.line(ref),
                f'<ref id="{ref_id}">',
            )
        )
    return out


def _toc_page(root: ET.Element, toc: ET.Element, chapter_id: str, provenance: Provenance) -> RawDocument:
    """The book's table of contents (``<toc>``): its entries, nested as printed, and the book's abstract."""
    book_title = norm(root.findtext("book-meta/book-title-group/book-title") or "")
    subtitle = norm(root.findtext("book-meta/book-title-group/subtitle") or "")
    title = f"{book_title}: {subtitle}" if book_title and subtitle else book_title or subtitle
    doc = RawDocument(chapter_id=chapter_id, title=title, provenance=provenance, part_type="toc")
    abstract = root.find("book-meta/abstract")
    if abstract is not None:
        doc.intro_paras = [_para(p) for p in abstract.iter("p")]
    doc.toc = [_toc_entry(e) for e in toc if e.tag == "toc-entry"]
    return doc


def _toc_entry(el: ET.Element) -> TocEntry:
    title_el = el.find("title")
    target = el.find("nav-pointer/related-object")
    entry = TocEntry(
        title=text_of(title_el) if title_el is not None else "",
        chapter_id=target.get("document-id") if target is not None else None,
        object_id=target.get("object-id") if target is not None else None,
    )
    entry.children = [_toc_entry(child) for child in el if child.tag == "toc-entry"]
    return entry


_ENTITY_DECL = re.compile(r"<!ENTITY\s+(?:%\s+)?([^\s>]*)")


def _entity_declaration(data: bytes) -> tuple[str, int] | None:
    """(name, line) of the first ``<!ENTITY`` declaration, whatever the document's encoding; else None."""
    if b"ENTITY" not in data and b"E\x00N\x00T\x00" not in data and b"\x00E\x00N\x00T" not in data:
        return None
    text = _as_text(data)
    m = _ENTITY_DECL.search(text)
    if m is None:
        return None
    return m.group(1) or "?", text.count("\n", 0, m.start()) + 1


def _as_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(data) > 1 and (data[0] == 0 or data[1] == 0)):
        for codec in ("utf-16", "utf-16-le", "utf-16-be"):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                continue
    return data.decode("latin-1")  # ASCII-compatible encodings: the markup is ASCII either way
