"""livertox-kg: LiverTox (NIDDK/NLM, NCBI Bookshelf NBK547852) as an RDF knowledge graph."""

__version__ = "0.1.0"
