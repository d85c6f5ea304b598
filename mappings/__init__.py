"""Cross-references of the agents to other databases (UNII, DrugBank, MeSH, ChEBI): the pipeline's side table.

* ``agents.sssom.tsv``: the mapping table (SSSOM/TSV), made by ``tools/make_mappings.py`` from pinned source
  packages, never at build time; ``ambiguous.tsv``: what that tool could not decide without a guess.
* :mod:`.table`: its rows and the mapping set's metadata; :mod:`.graph`: the rows as the mapping graph the
  build writes into the store (``https://w3id.org/livertox-kg/graph/mappings``).
"""
