"""Stage 4, RDF: the model as triples. ``vocab.py`` (every namespace and the one prefix table), ``iris.py``
(minting every instance IRI), ``chapter.py`` (a chapter's triples, the one model -> RDF mapping)."""
