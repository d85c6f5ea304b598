"""The summary ``build`` prints takes most of its numbers from the counts the dataset description made
(``store.summary.Known``): it must be, line for line, what counting the committed store gives (``stats``)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from livertox_kg.cli import main
from livertox_kg.store import generations
from livertox_kg.store.build import Build
from livertox_kg.store.convert import default_sources
from livertox_kg.store.summary import _count, summarize


def _summary_lines(out: str) -> list[str]:
    """The summary ``build`` printed, without the first line (what it loaded) and the seconds."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("chapters "))
    return [line for line in lines[start:] if not line.startswith("seconds")]


def _build_and_stats(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[list[str], list[str]]:
    assert main(["build", *argv]) in (0, 1)
    built = _summary_lines(capsys.readouterr().out)
    assert main(["stats"]) == 0
    return built, capsys.readouterr().out.splitlines()


@pytest.mark.slow
def test_the_summary_a_build_prints_is_what_counting_gives(
    store_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """From scratch, after one edited chapter, after --force, after --sync removed chapters."""
    sources = default_sources()
    built, counted = _build_and_stats(capsys, *map(str, sources))
    assert built == counted and "agents        98" in built  # the README's sample summary

    edited = tmp_path / sources[0].name
    edited.write_bytes(sources[0].read_bytes() + b"\n<!-- edited -->\n")
    built, counted = _build_and_stats(capsys, str(edited), *map(str, sources[1:]))
    assert built == counted

    built, counted = _build_and_stats(capsys, "--force", *map(str, sources))
    assert built == counted

    kept = [p for p in sources if p.suffix == ".nxml"][:5]
    built, counted = _build_and_stats(capsys, "--sync", *map(str, kept))
    assert built == counted and built[0].startswith("chapters      5 ")


@pytest.mark.slow
def test_the_build_counts_are_the_stores(store_dir: Path) -> None:
    """What a build passes to the summary equals what the summary would count: classes and triples (every
    quad is in a described graph or the description); and the anti-join that counts the other works gives
    what FILTER NOT EXISTS gives."""
    with Build(store_dir) as b:
        b.convert(default_sources())
        b.validate()
        b.commit()
    known = b.report.known
    assert known is not None
    store = generations.open_read_only(store_dir)
    assert known.triples == len(store)
    assert summarize(store, known) == summarize(store)
    not_exists = _count(store, "?r ltx:citedWork ?x FILTER NOT EXISTS { ?x fabio:hasPubMedId ?id }")
    assert summarize(store).other_works == not_exists > 0


@pytest.mark.slow
def test_a_graph_the_description_does_not_describe_is_counted(store_dir: Path) -> None:
    """A store holding a graph no build wrote (here: added by hand to the staged generation): the build
    passes no counts, and the summary counts."""
    with Build(store_dir) as b:
        b.convert(default_sources()[:2])
        assert b._loader is not None
        b._loader.finish()
        assert b._writer is not None and b._writer.store is not None
        b._writer.store.add(
            ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal("o"), ox.NamedNode("urn:x:g"))
        )
        b.commit()
    assert b.report.known is None
