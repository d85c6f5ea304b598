"""Stored queries: the SPARQL files of this folder (``*.rq``, checks in ``qc/``) and the code that runs them.

``headers.py`` reads the files and their ``#+`` header; ``params.py`` types parameters and turns each value
into one RDF term; ``sparql_text.py`` reads just enough SPARQL (query form, prefixes, comments) to bind
parameters as a ``VALUES`` block; ``run.py`` runs on the embedded store; ``results.py`` holds the results
and writes the W3C result formats; ``catalogue.py`` is the catalogue as RDF.
"""
