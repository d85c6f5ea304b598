"""One IRI of each kind the graph mints, read from a built store (for the pages and the w3id redirects)."""

from __future__ import annotations

import pyoxigraph as ox

from livertox_kg.rdf.vocab import BASE


def minted_kinds(store: ox.Store) -> dict[str, str]:
    """One IRI of each kind the graph mints (``id/chapter/X/case/N`` -> ``id/chapter/*/case/*``)."""
    kinds: dict[str, str] = {}
    for q in store.quads_for_pattern(None, None, None, None):
        for t in (q.subject, q.object, q.graph_name):
            if isinstance(t, ox.NamedNode) and t.value.startswith(BASE) and len(t.value) > len(BASE):
                rest = t.value[len(BASE) :]
                parts = rest.split("#")[0].split("/")
                ids = {
                    i
                    for i in range(len(parts))
                    if (parts[0] == "id" and i >= 2 and i % 2 == 0) or i == 1 == (parts[0] == "graph")
                }
                kind = "/".join("*" if i in ids else p for i, p in enumerate(parts))
                kinds.setdefault(kind + ("#" if "#" in rest else ""), t.value)
    kinds["graph/*"] = BASE + "graph/Codeine"  # the smallest chapter graph: rdflib parses it quickly
    return kinds
