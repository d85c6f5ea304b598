"""The stored queries (``queries/*.rq``, checks in ``queries/qc/*.rq``) and their strict ``#+`` header.

Each stored ``.rq`` file starts with a header of ``#+ key: value`` lines; a value may continue on lines
starting with ``#+   `` (three spaces)::

    #+ summary: Agents with a given likelihood category
    #+ description: One row per agent and likelihood assessment ...
    #+   (continued)
    #+ params:
    #+   category | string | A | the category notation: A, B, C, D, E, E*, X or NA
    #+ tags: likelihood, agents

Every key must be there (``params`` may be empty). Each parameter line is ``name | type | example |
description``, or ``name | type | example | description | optional`` for a parameter that may be left
out (the query then lists everything: it must give the same rows as without the parameter); the type is
one of :data:`~livertox_kg.queries.params.PARAM_TYPES`, the example must be a valid value of that type,
and the query must use the variable ``?name``. Anything else (an unknown key, a
key given twice, a malformed line, a ``#+`` line after the header) is an error naming the file and line,
never ignored. (The header is our own convention, in the style of sib-swiss/sparql-examples: no library
reads it.)

A query may have a tuned variant, ``queries/tuned/NAME.rq`` (``tuned/qc/...`` for a check): the same rows,
written for Oxigraph's evaluator where the plain query is slow on it; it has no header (it is the plain
query's) and must use the same parameter variables. ``query`` and ``qc`` run it (:attr:`StoredQuery.run_text`);
the catalogue shows the plain text. ``queries/tuned/README.md`` says why each exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from importlib.resources.abc import Traversable
from typing import Any

from livertox_kg import resources
from livertox_kg.errors import QueryError
from livertox_kg.queries.params import PARAM_NAME, PARAM_TYPES, Param, term

HEADER_KEYS = ("summary", "description", "params", "tags")
QC_FOLDER = "qc"
TUNED_FOLDER = "tuned"
QC_SUFFIX = "-violation"

_HEADER_LINE = re.compile(r"^#\+ (?P<key>[a-z_]+):(?P<value>.*)$")
_CONTINUATION = re.compile(r"^#\+ {3}(?P<value>\S.*)$")
_TAG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_QUERY_NAME = re.compile(r"^(?:qc/)?[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class StoredQuery:
    name: str  # "likelihood", or "qc/pmid-two-titles-violation"
    text: str
    summary: str
    description: str = ""
    params: tuple[Param, ...] = ()
    tags: tuple[str, ...] = field(default_factory=tuple)
    tuned: str | None = None  # the text of queries/tuned/{name}.rq, if there is one

    @property
    def run_text(self) -> str:
        """The text ``query`` and ``qc`` run: the tuned variant if there is one (the same rows, faster)."""
        return self.text if self.tuned is None else self.tuned

    @property
    def is_qc(self) -> bool:
        return self.name.startswith(f"{QC_FOLDER}/")

    @property
    def path(self) -> str:
        return f"queries/{self.name}.rq"

    def examples(self) -> dict[str, str]:
        return {p.name: p.example for p in self.params}


OPTIONAL = "optional"


def _param_line(where: str, value: str) -> Param:
    fields = [f.strip() for f in value.split("|")]
    if len(fields) not in (4, 5) or not all(fields):
        raise QueryError(
            f"{where}: a parameter line is 'name | type | example | description' (then '| {OPTIONAL}' for one that"
            f" may be left out), got {value!r}"
        )
    name, kind, example, description = fields[:4]
    if fields[4:] not in ([], [OPTIONAL]):
        raise QueryError(f"{where}: parameter {name!r}: the fifth field can only be {OPTIONAL!r}, not {fields[4]!r}")
    if not PARAM_NAME.match(name):
        raise QueryError(f"{where}: parameter name {name!r} is not lower-case letters, digits and '_'")
    if kind not in PARAM_TYPES:
        raise QueryError(f"{where}: parameter {name!r} has unknown type {kind!r} (known: {', '.join(PARAM_TYPES)})")
    try:
        term(kind, example)
    except QueryError as exc:
        raise QueryError(f"{where}: the example of parameter {name!r} is not a valid {kind}: {exc}") from None
    return Param(name, kind, example, description, optional=len(fields) == 5)


def _header_lines(where: str, text: str) -> tuple[dict[str, str], list[Param]]:
    """The header's keys with their (joined) values, and its parameter lines, as written."""
    raw: dict[str, str] = {}
    params: list[Param] = []
    last: str | None = None
    in_header = True
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#+"):
            in_header = False
            continue
        here = f"{where}:{lineno}"
        if not in_header:
            raise QueryError(f"{here}: header line after the header ended (the header is the first lines)")
        cont = _CONTINUATION.match(line)
        if cont:
            if last is None:
                raise QueryError(f"{here}: continuation line before any header key")
            if last == "params":
                params.append(_param_line(here, cont["value"]))
            else:
                raw[last] = f"{raw[last]} {cont['value'].strip()}".strip()
            continue
        m = _HEADER_LINE.match(line)
        if not m:
            raise QueryError(f"{here}: malformed header line {line!r} (expected '#+ key: value' or '#+   more')")
        key = m["key"]
        if key not in HEADER_KEYS:
            raise QueryError(f"{here}: unknown header key {key!r} (known: {', '.join(HEADER_KEYS)})")
        if key in raw:
            raise QueryError(f"{here}: header key {key!r} given twice")
        value = m["value"].strip()
        if key == "params" and value:
            params.append(_param_line(here, value))
            value = ""
        raw[key] = value
        last = key
    return raw, params


def parse_header(where: str, text: str, require_all: bool = True) -> dict[str, Any]:
    """The header of a query file as ``{key: value}`` (``params``: a tuple of :class:`Param`).

    ``where`` names the file in errors (``queries/likelihood.rq``). With ``require_all`` every key of
    :data:`HEADER_KEYS` must be present; summary, description and tags must not be empty.
    """
    raw, params = _header_lines(where, text)
    if require_all:
        missing = [k for k in HEADER_KEYS if k not in raw]
        if missing:
            raise QueryError(f"{where}: header has no {', '.join(f'#+ {k}:' for k in missing)} line")
        for key in ("summary", "description", "tags"):
            if not raw[key]:
                raise QueryError(f"{where}: header '#+ {key}:' is empty")
    tags = tuple(t.strip() for t in raw.get("tags", "").split(",") if t.strip())
    for tag in tags:
        if not _TAG.match(tag):
            raise QueryError(f"{where}: tag {tag!r} is not lower-case letters, digits and '-'")
    names = [p.name for p in params]
    for name in names:
        if names.count(name) > 1:
            raise QueryError(f"{where}: parameter {name!r} declared twice")
    _check_variables(where, text, params)
    return {
        "summary": raw.get("summary", ""),
        "description": raw.get("description", ""),
        "params": tuple(params),
        "tags": tags,
    }


def _check_variables(where: str, text: str, params: list[Param] | tuple[Param, ...]) -> None:
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#+"))
    for p in params:
        if not re.search(rf"[?$]{p.name}(?![A-Za-z0-9_])", body):
            raise QueryError(f"{where}: parameter {p.name!r} is declared but the query has no variable ?{p.name}")


def parse_stored(name: str, text: str) -> StoredQuery:
    header = parse_header(f"queries/{name}.rq", text)
    return StoredQuery(name, text, header["summary"], header["description"], header["params"], header["tags"])


def _read_folder(folder: Traversable, prefix: str) -> dict[str, StoredQuery]:
    out: dict[str, StoredQuery] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = prefix + entry.name[:-3]
            if not _QUERY_NAME.match(name):
                raise QueryError(f"queries/{name}.rq: a query name is lower-case letters, digits and '-'")
            out[name] = parse_stored(name, entry.read_text(encoding="utf-8"))
    return out


def _with_tuned(queries: dict[str, StoredQuery], folder: Traversable, prefix: str) -> dict[str, StoredQuery]:
    """``queries`` with the tuned variants of ``folder`` (``queries/tuned/`` or ``queries/tuned/qc/``)."""
    if not folder.is_dir():
        return queries
    out = dict(queries)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".rq"):
            continue
        name = prefix + entry.name[:-3]
        where = f"queries/{TUNED_FOLDER}/{name}.rq"
        if name not in queries:
            raise QueryError(f"{where}: a tuned variant of no stored query (there is no queries/{name}.rq)")
        text = entry.read_text(encoding="utf-8")
        if any(line.startswith("#+") for line in text.splitlines()):
            raise QueryError(f"{where}: a tuned variant has no header (it is queries/{name}.rq's)")
        _check_variables(where, text, queries[name].params)
        out[name] = replace(queries[name], tuned=text)
    return out


def stored_queries() -> dict[str, StoredQuery]:
    """The catalogue: ``queries/*.rq`` by name (without the data-quality checks), with their tuned variants."""
    return _with_tuned(_read_folder(resources.queries_dir(), ""), resources.queries_dir() / TUNED_FOLDER, "")


def qc_queries() -> dict[str, StoredQuery]:
    """The data-quality checks ``queries/qc/*-violation.rq``, by name (``qc/...``), with their tuned variants."""
    folder = resources.queries_dir() / QC_FOLDER
    out = _read_folder(folder, f"{QC_FOLDER}/") if folder.is_dir() else {}
    for name in out:
        if not name.endswith(QC_SUFFIX):
            raise QueryError(f"queries/{name}.rq: a data-quality check's name ends with '{QC_SUFFIX}'")
    return _with_tuned(out, resources.queries_dir() / TUNED_FOLDER / QC_FOLDER, f"{QC_FOLDER}/")


def all_queries() -> dict[str, StoredQuery]:
    return {**stored_queries(), **qc_queries()}


def stored_query(name: str) -> StoredQuery:
    queries = all_queries()
    if name not in queries:
        names = ", ".join(n for n in queries if not n.startswith(f"{QC_FOLDER}/"))
        raise QueryError(f"no stored query {name!r}; 'livertox-kg queries' lists them ({names})")
    return queries[name]
