"""Stored queries: the SPARQL files of this folder (``*.rq``, checks in ``qc/``) and the code that reads
their headers (``catalogue.py``) and runs them on the store or an endpoint (``run.py``)."""
