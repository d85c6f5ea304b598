"""The NXML reader keeps the links out of LiverTox (``<ext-link>``) where they are: on the paragraph (not the
links of a table inside it), on the table row, on the citation (not those of its annotation)."""

from __future__ import annotations

from livertox_kg.loaders.document import ExtLink, RawDocument
from livertox_kg.loaders.nxml import read_nxml
from livertox_kg.model import Provenance

XLINK = 'xmlns:xlink="http://www.w3.org/1999/xlink"'
CHAPTER = f"""<book-part-wrapper id="Testamine" {XLINK}><book-meta><book-id>livertox</book-id></book-meta>
<book-part><book-part-meta><title-group><title>Testamine</title></title-group></book-part-meta><body>
<sec><title>PRODUCT INFORMATION</title>
  <p><ext-link ext-link-type="uri" xlink:href="https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=x">COMPLETE
  LABELING</ext-link> and a table:
  <table-wrap><table><tr><td>Testamine</td>
  <td><ext-link ext-link-type="pubchem" xlink:href="sid://42">1-11-1</ext-link></td></tr></table></table-wrap></p>
</sec>
<sec><title>CHEMICAL FORMULA AND STRUCTURE</title>
  <table-wrap><table><thead><tr><th>DRUG</th><th>CAS REGISTRY NUMBER</th></tr></thead>
  <tbody><tr><td>Testamine</td>
  <td><ext-link ext-link-type="pubchem" xlink:href="sid://135273161">110942-02-4</ext-link></td></tr>
  <tr><td>Other</td><td>50-78-2</td></tr></tbody></table></table-wrap>
</sec>
<sec><title>ANNOTATED BIBLIOGRAPHY</title><ref-list><ref>
  <mixed-citation publication-type="web">CDC. Chagas. Available at:
  <ext-link ext-link-type="uri"
  xlink:href="https://www.cdc.gov/parasites/chagas/">https://www.cdc.gov/parasites/chagas/</ext-link>
  <annotation><p>(See also
  <ext-link ext-link-type="uri" xlink:href="https://www.ncbi.nlm.nih.gov/pubmed/1">PubMed Citation</ext-link>)</p>
  </annotation>
</mixed-citation></ref></ref-list></sec>
</body></book-part></book-part-wrapper>"""


def _doc() -> RawDocument:
    return read_nxml(CHAPTER.encode(), Provenance("testamine.nxml", "0" * 64, "nxml", "0"))


def test_a_paragraph_keeps_its_links_but_not_those_of_its_table() -> None:
    product = _doc().sections[0]
    (para,) = product.paras
    assert para.ext_links == (
        ExtLink("uri", "https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=x", "COMPLETE LABELING"),
    )
    assert product.tables[0].row_links == ((0, ExtLink("pubchem", "sid://42", "1-11-1")),)


def test_a_table_row_keeps_its_links_with_the_row_index() -> None:
    (table,) = _doc().sections[1].tables
    assert table.rows[1][0] == "Testamine"
    assert table.row_links == ((1, ExtLink("pubchem", "sid://135273161", "110942-02-4")),)


def test_a_citation_keeps_its_links_but_not_those_of_its_annotation() -> None:
    (ref,) = _doc().sections[2].refs
    assert ref.ext_links == (
        ExtLink("uri", "https://www.cdc.gov/parasites/chagas/", "https://www.cdc.gov/parasites/chagas/"),
    )
    assert ref.annotation is not None and "PubMed Citation" in ref.annotation
