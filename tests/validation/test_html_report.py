"""``validate --format html`` in headless Chromium: the page renders, logs no console error, makes no network
request, and its counts are the text report's. ``LIVERTOX_KG_SCREENSHOTS=1`` writes docs/validate-report.png."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from livertox_kg.cli import main
from tests.conftest import ROOT, chapter_file
from tests.support.cdp import chromium

pytestmark = pytest.mark.server  # starts a browser


def report(capsys: pytest.CaptureFixture[str], path: Path, fmt: str) -> str:
    main(["validate", "--format", fmt, str(path), "--store", "/nonexistent-store"])
    return capsys.readouterr().out


def test_the_html_report_renders_offline_with_the_text_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "aldesleukin.nxml"
    shutil.copy(chapter_file("nxml/aldesleukin.nxml"), path)
    text = path.read_text().replace("Likelihood score: C[HD]", "Likelihood score: F[HD]")
    path.write_text(text.replace('<ref id="Aldesleukin.R2">', '<ref id="Aldesleukin.R1">'))
    counts = re.search(r"^1 entry checked: .*$", report(capsys, path, "text"), re.M)
    assert counts is not None
    page = tmp_path / "report.html"
    page.write_text(report(capsys, path, "html"))
    with chromium() as tab:
        tab.open(page.as_uri())
        assert tab.js("document.getElementById('counts').textContent") == counts.group(0)
        assert tab.js("document.querySelectorAll('.finding.Warning').length") >= 4
        assert "Likelihood score: F[HD]" in tab.js("document.body.innerText")
        assert tab.errors == []
        assert [u for u in tab.requests if not u.startswith(("file:", "data:"))] == []
        if os.environ.get("LIVERTOX_KG_SCREENSHOTS") == "1":
            tab.screenshot(ROOT / "docs" / "validate-report.png")
