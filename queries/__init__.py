"""Stored queries: the SPARQL files of this folder (``*.rq``, checks in ``qc/``, tuned variants in ``tuned/``)
and the code that runs them.

``headers.py`` reads the files and their ``#+`` header; ``params.py`` types parameters and turns each value
into one RDF term (or, for a name, a comparison with letter case ignored); ``sparql_text.py`` reads just
enough SPARQL (query form, prefixes, comments) to bind parameters as a ``VALUES`` block or a ``FILTER``;
``prefixes.py`` is the prefixes a hand-written query may use undeclared; ``syntax.py`` turns a syntax error
into one line; ``run.py`` runs on the embedded store (default graph: the union of all graphs);
``results.py`` holds the results and writes the W3C result formats; ``catalogue.py`` is the catalogue as RDF.
"""
