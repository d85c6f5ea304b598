"""Validation against the SHACL shapes of ``shapes/``: a fast engine with pySHACL's results.

* :mod:`~livertox_kg.validation.shapes_graph`   reads and compiles the shapes (pyoxigraph, no rdflib);
* :mod:`~livertox_kg.validation.datagraph`     the data graph, indexed by (subject, predicate);
* :mod:`~livertox_kg.validation.engine`   evaluates the shapes (SHACL Core and SPARQL constraints);
* :mod:`~livertox_kg.validation.native`   the SPARQL constraints as Python, with a pyoxigraph fallback;
* :mod:`~livertox_kg.validation.context`  what is read from the store;
* :mod:`~livertox_kg.validation.entries`  chapter files and Turtle / JSON-LD entries;
* :mod:`~livertox_kg.validation.runner`   the whole store, entries in the store's context, a build;
* :mod:`~livertox_kg.validation.report`   text, JSON and ``sh:ValidationReport`` Turtle.
"""
