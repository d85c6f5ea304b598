"""``w3id/.htaccess``: its rewrite rules, read and applied as Apache's mod_rewrite would (the subset they use:
``RewriteCond %{HTTP_ACCEPT}`` with ``[NC,OR]``, ``RewriteRule`` with ``$1``, ``%{ENV:...}``, ``[E=...]``,
``[R=303,L]``), send every kind of IRI the graph mints to a path ``serve`` answers, in the format asked."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest

from livertox_kg.rdf.vocab import BASE
from livertox_kg.remote import pages
from livertox_kg.remote.pages import data
from tests.conftest import ROOT, SAMPLES
from tests.support.minted import minted_kinds
from tests.support.stores import build_store, read_only

HTACCESS = ROOT / "w3id" / ".htaccess"


@dataclass
class Rule:
    conditions: list[tuple[str, re.Pattern[str], bool]]  # (variable, pattern, OR with the next)
    pattern: re.Pattern[str]
    target: str
    flags: dict[str, str] = field(default_factory=dict)


def _flags(text: str) -> dict[str, str]:
    out = {}
    for flag in text.strip("[]").split(","):
        key, _, value = flag.partition("=")
        out[key] = value
    return out


def read_rules(path: Path) -> list[Rule]:
    rules, pending = [], []
    for line in path.read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        words = shlex.split(line, posix=False)
        if words[0] == "RewriteCond":
            flags = _flags(words[3]) if len(words) > 3 else {}
            regex = re.compile(words[2], re.IGNORECASE if "NC" in flags else 0)
            pending.append((words[1], regex, "OR" in flags))
        elif words[0] == "RewriteRule":
            rules.append(Rule(pending, re.compile(words[1]), words[2], _flags(words[3]) if len(words) > 3 else {}))
            pending = []
    return rules


def _conditions_hold(rule: Rule, variables: dict[str, str]) -> bool:
    """Conditions are ANDed; one flagged ``OR`` is ORed with the next."""
    groups: list[list[bool]] = [[]]
    for variable, regex, or_next in rule.conditions:
        groups[-1].append(regex.search(variables[variable.removeprefix("%{").removesuffix("}")]) is not None)
        if not or_next:
            groups.append([])
    return all(any(group) for group in groups if group)


def _backreference(m: re.Match[str]) -> Callable[[re.Match[str]], str]:
    return lambda ref: m.group(int(ref[1])) or ""


def redirect(rules: list[Rule], path: str, accept: str) -> tuple[int, str] | None:
    """(status, location) for a request of ``/livertox-kg/{path}``, or None when no rule redirects."""
    env: dict[str, str] = {}
    for rule in rules:
        m = rule.pattern.search(path)
        if m is None or not _conditions_hold(rule, {"HTTP_ACCEPT": accept}):
            continue
        if "E" in rule.flags:
            name, _, value = rule.flags["E"].partition(":")
            env[name] = value
        if rule.target == "-":
            continue
        target = re.sub(r"%\{ENV:(\w+)\}", lambda v: env[v[1]], rule.target)
        target = re.sub(r"\$(\d)", _backreference(m), target)
        return int(rule.flags.get("R", "302")), target
    return None


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    return read_only(build_store(tmp_path_factory, SAMPLES))


def test_every_kind_of_iri_is_redirected_to_a_path_serve_answers(store: ox.Store) -> None:
    rules = read_rules(HTACCESS)
    base = next(r.flags["E"].split(":", 1)[1] for r in rules if "E" in r.flags)
    assert base.startswith("https://") and not base.endswith("/")
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    cases = [("text/turtle", "text/turtle"), ("application/n-triples", "application/n-triples")]
    cases += [("application/ld+json", "application/ld+json"), (browser, "text/html"), ("*/*", "text/turtle")]
    kinds = minted_kinds(store)
    assert len(kinds) >= 15
    for kind, iri in kinds.items():
        for accept, answered_as in cases:
            found = redirect(rules, iri[len(BASE) :].split("#")[0], accept)
            assert found is not None, (kind, accept)
            status, location = found
            assert status == 303 and location.startswith(base + "/"), (kind, location)
            target = location[len(base) :]
            assert pages.route(target)[0] == iri.split("#")[0]  # the same IRI, at the path after w3id.org/livertox-kg
            # what serve answers there (rendering itself is tests/remote/test_pages.py's)
            iri_there, forced = pages.route(target)
            fmt = forced or pages.negotiate(accept)
            assert fmt is not None and pages.FORMATS[fmt][0].startswith(answered_as), (kind, accept, target)
            assert data.exists(store, iri_there), kind


def test_the_project_iri_goes_to_the_query_ui() -> None:
    rules = read_rules(HTACCESS)
    found = redirect(rules, "", "text/html")
    assert found is not None and found[1].endswith("/") and found[0] == 303
    assert redirect(rules, "shapes#Agent", "text/html") is None  # nothing we do not mint
