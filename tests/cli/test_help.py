"""Every command's ``--help`` shows its defaults and its examples, and the examples run (issue #17 point 6).

The examples (each command module's ``EXAMPLES``) are run on a workspace made from the shipped sample: the
store at ``/tmp/kg`` (and ``$LIVERTOX_KG_STORE``) is the sample store, and the file names an example uses
stand for the files listed in :data:`PLACEHOLDERS`. Examples that need a server (``serve``, ``push``,
``--endpoint``) are not run here.
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import tarfile
from pathlib import Path

import pytest

from livertox_kg.cli import PROG, main, parser
from livertox_kg.cli.commands import all_commands
from livertox_kg.exports.write import export_to_file
from livertox_kg.store import generations
from tests.conftest import SAMPLES

COMMANDS = {command.name: command for command in all_commands()}
NEEDS_A_SERVER = {"serve", "push"}

PLACEHOLDERS = {
    "kg": "the sample store (what /tmp/kg stands for)",
    "kg-last": "a second copy of the sample store (the last release's store)",
    "last.nq": "the sample store exported as N-Quads (the last release's export)",
    "nxml": "a folder of the sample's .nxml chapters",
    "livertox_NBK547852.tar.gz": "the sample's .nxml chapters as an NCBI-style archive",
    "new-chapter.nxml": "a copy of the sample's codeine.nxml (a curator's new entry)",
}


def _runs_offline(name: str, example: str) -> bool:
    return name not in NEEDS_A_SERVER and "--endpoint" not in example


OFFLINE = [(name, e) for name, c in COMMANDS.items() for e in c.examples if _runs_offline(name, e)]


def _timed(name: str, example: str) -> object:
    """The example as a test case; building or validating the whole store takes seconds: those are slow."""
    slow = name == "build" or shlex.split(example, comments=True) == ["validate"]
    return pytest.param(name, example, id=example.split("  #")[0], marks=[pytest.mark.slow] if slow else [])


@pytest.fixture(autouse=True)
def _wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """No wrapping: each option's help is one line, so a default cannot be split across lines."""
    monkeypatch.setenv("COLUMNS", "1000")


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    (sub,) = [a for a in parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


def _help(name: str, capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as done:
        main([name, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


def _action_help(sub: argparse.ArgumentParser, action: argparse.Action) -> str:
    formatter = sub._get_formatter()
    formatter.add_argument(action)
    return " ".join(formatter.format_help().split())


def _shown_defaults(action: argparse.Action) -> list[str]:
    """How the default may be printed: as ``%(default)s`` prints it, or as ``%(default)g`` does a number."""
    default = action.default
    shown = [str(default)]
    if isinstance(default, float):
        shown.append(f"{default:g}")
    return shown


def test_every_command_is_checked() -> None:
    assert set(_subparsers()) == set(COMMANDS) and len(COMMANDS) >= 10


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_ends_with_the_examples(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    examples = COMMANDS[name].examples
    assert examples, f"{name}: no EXAMPLES"
    text = _help(name, capsys)
    heading = "examples:" if len(examples) > 1 else "example:"
    assert f"\n{heading}\n" in text
    shown = text.split(f"\n{heading}\n", 1)[1].splitlines()
    assert shown == [f"  {PROG} {example}" for example in examples]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_example_starts_with_its_command(name: str) -> None:
    for example in COMMANDS[name].examples:
        assert shlex.split(example, comments=True)[0] == name, example


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_default_is_shown(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    sub = _subparsers()[name]
    text = " ".join(_help(name, capsys).split())
    for action in sub._actions:
        if not action.option_strings or action.default in (None, False, argparse.SUPPRESS):
            continue
        if isinstance(action, argparse._HelpAction | argparse._VersionAction):
            continue
        line = _action_help(sub, action)
        assert line in text
        assert "default" in line, f"{name} {action.option_strings[-1]}: the default is not shown: {line}"
        if action.default != []:  # a repeatable option's help says what none means
            assert any(d in line for d in _shown_defaults(action)), f"{name}: {line} (default {action.default!r})"


@pytest.mark.parametrize("name", sorted(n for n, s in _subparsers().items() if "--store" in s._option_string_actions))
def test_the_store_default_is_shown(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    text = _help(name, capsys)
    assert f"${generations.ENV_VAR}" in text and "livertox-kg/store" in text


def test_the_examples_run_every_offline_command() -> None:
    assert {name for name, _ in OFFLINE} == set(COMMANDS) - NEEDS_A_SERVER


@pytest.fixture(scope="module")
def workspace(sample_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The files the examples name (:data:`PLACEHOLDERS`), made once from the shipped sample."""
    root = tmp_path_factory.mktemp("examples")
    shutil.copytree(sample_store, root / "kg", symlinks=True)
    shutil.copytree(sample_store, root / "kg-last", symlinks=True)
    export_to_file(generations.open_read_only(sample_store), "nquads", root / "last.nq")
    (root / "nxml").mkdir()
    chapters = sorted(SAMPLES.glob("*.nxml"))
    with tarfile.open(root / "livertox_NBK547852.tar.gz", "w:gz") as tar:
        for chapter in chapters:
            shutil.copy(chapter, root / "nxml")
            tar.add(chapter, arcname=f"livertox/{chapter.name}")
    shutil.copy(SAMPLES / "codeine.nxml", root / "new-chapter.nxml")
    assert sorted(p.name for p in root.iterdir()) == sorted(PLACEHOLDERS)
    return root


@pytest.mark.parametrize(("name", "example"), [_timed(name, e) for name, e in OFFLINE])
@pytest.mark.slow
def test_example_runs(
    name: str, example: str, workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = tmp_path / "w"
    shutil.copytree(workspace, here, symlinks=True)
    monkeypatch.chdir(here)
    monkeypatch.setenv(generations.ENV_VAR, str(here / "kg"))
    argv = [arg.replace("/tmp/", f"{here}/") for arg in shlex.split(example, comments=True)]
    assert main(argv) == 0, example
