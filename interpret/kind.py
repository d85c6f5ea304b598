"""What a chapter is (drug, herbal, class overview, phenotype, front matter), the classes its "Drug Class:"
lines state, and the chapters a class overview or a phenotype chapter lists.
"""

from __future__ import annotations

import re

from livertox_kg.interpret import phenotype
from livertox_kg.interpret.paragraphs import PlacedPara, paragraphs
from livertox_kg.loaders.document import Para, RawDocument, norm
from livertox_kg.loaders.sections import top_kind
from livertox_kg.model import ChapterKind, DrugClass


def chapter_kind(doc: RawDocument, classes: list[DrugClass]) -> ChapterKind:
    """What the chapter is, in this order: a ``book-app`` or the ``toc`` page is front matter; a
    ``Phenotypes_*`` chapter a phenotype; one with product information a drug (herbal when its classes
    are herbal); one with neither an overview nor a PubMed excerpt front matter (severity grading, RUCAM,
    causality, ...); one that links other chapters outside its "Drug Class:" line a class overview; any
    other (a single agent without product information, e.g. benzbromarone) a drug or herbal."""
    if doc.part_type in ("appendix", "toc"):
        return ChapterKind.FRONT_MATTER
    if phenotype.is_phenotype(doc):
        return ChapterKind.PHENOTYPE
    tops = [top_kind(s.title) for s in doc.sections]
    herbal = any(
        c.chapter_id == "HerbalDietarySuppl" or "herbal" in c.name.lower() or "dietary supplement" in c.name.lower()
        for c in classes
    )
    if "product" in tops:
        return ChapterKind.HERBAL if herbal else ChapterKind.DRUG
    paras = [*doc.intro_paras, *(p for s in doc.all_sections() for p in s.paras)]
    excerpt = any(s.sec_type == "pubmed-excerpt" for s in doc.all_sections()) or any(
        p.content_type == "pubmed-excerpt" for p in paras
    )
    if "overview" not in tops and not excerpt:
        return ChapterKind.FRONT_MATTER
    if any(p.links for p in paras if not p.text.lower().startswith("drug class")) or any(
        t.links for s in doc.all_sections() for t in s.tables
    ):
        return ChapterKind.CLASS_OVERVIEW
    return ChapterKind.HERBAL if herbal else ChapterKind.DRUG


def drug_classes(doc: RawDocument) -> list[DrugClass]:
    """Classes from "Drug Class:" paragraphs, linked to their overview chapter where the source links one;
    each once (ignoring case), in the order printed."""
    out: list[DrugClass] = []
    seen: set[str] = set()
    for at in paragraphs(doc):
        if not at.para.text.lower().startswith("drug class"):
            continue
        links = {norm(link.text): link.chapter_id for link in at.para.links}
        for name in _class_names(at.para, links):
            if name and name.lower() not in seen:
                seen.add(name.lower())
                out.append(DrugClass(name, links.get(name)))
    return out


def _class_names(para: Para, links: dict[str, str]) -> list[str]:
    """The names of a "Drug Class: A, B; see also C" line up to "see also", in the order printed: linked
    names first split off as whole names (they may contain commas), then the rest at "," and ";"."""
    text = para.text
    body = text.split(":", 1)[1] if ":" in text else ""
    rest = re.split(r"\bsee also\b", body, flags=re.I)[0]
    names: list[tuple[int, str]] = []
    for text_of_link in sorted(links, key=len, reverse=True):
        pos = rest.find(text_of_link)
        if text_of_link and pos >= 0:
            names.append((pos, text_of_link))
            rest = rest[:pos] + "," * len(text_of_link) + rest[pos + len(text_of_link) :]
    offset = 0
    for piece in re.split(r"[,;]", rest):
        if piece.strip():
            names.append((offset + len(piece) - len(piece.lstrip()), piece.strip()))
        offset += len(piece) + 1
    return [norm(name.strip(" .")) for _, name in sorted(names)]


def linked_chapters(doc: RawDocument, paras: list[PlacedPara]) -> list[str]:
    """The chapters a class overview or phenotype chapter links, in its text then its tables, each once,
    not itself."""
    in_tables = (link for sec in doc.all_sections() for table in sec.tables for link in table.links)
    in_text = (link for at in paras for link in at.para.links)
    return [c for c in dict.fromkeys(link.chapter_id for link in (*in_text, *in_tables)) if c != doc.chapter_id]
