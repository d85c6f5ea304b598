"""Case reports: each "Case N. Title" section of CASE REPORT(S), its narrative and its Key Points table
("Medication:", "Pattern:", "Severity:", "Latency:", "Recovery:", "Other medications:").

A case printed inside another (a source error seen in phenotype chapters: "Case 3" among the subsections of
"Case 2") is a case of its own, owning the sections that follow it there.
"""

from __future__ import annotations

import re

from livertox_kg.interpret.links import case_source
from livertox_kg.interpret.patterns import pattern_from_case_label
from livertox_kg.loaders.document import Sec
from livertox_kg.model import CaseReport

CASE_TITLE = re.compile(r"^Case\s+(\d+)\s*[.:]?\s*(.*)$", re.I)
"""A case report's section title: group 1 its number, group 2 its title."""

_R_RATIO = re.compile(r"\bR(?:\s*ratio)?\s*[=:~≈]+\s*(\d+(?:\.\d+)?)", re.I)
_SEVERITY = re.compile(r"^\s*([1-5])\s*\+")


def case_reports(sec: Sec) -> list[CaseReport]:
    """The case reports of one CASE REPORT(S) section, in document order."""
    out: list[CaseReport] = []
    for case, own in cases_in(sec):
        m = CASE_TITLE.match(case.title)
        assert m is not None
        points = key_points(own)
        pattern_text = points.get("pattern")
        r_match = _R_RATIO.search(pattern_text or "")
        severity = points.get("severity")
        sev_match = _SEVERITY.match(severity or "")
        narrative = "\n\n".join(p.text for s in own for p in s.paras)
        out.append(
            CaseReport(
                text=narrative,
                number=int(m[1]),
                title=m[2].strip(),
                medication=points.get("medication"),
                pattern_text=pattern_text,
                pattern=pattern_from_case_label(pattern_text) if pattern_text else None,
                r_ratio=float(r_match[1]) if r_match else None,
                severity_text=severity,
                severity_grade=int(sev_match[1]) if sev_match else None,
                latency=points.get("latency"),
                recovery=points.get("recovery"),
                other_medications=points.get("other medications"),
                modified_from=case_source(p for s in own for p in s.paras),
            )
        )
    return out


def cases_in(sec: Sec) -> list[tuple[Sec, list[Sec]]]:
    """Each "Case N." section under ``sec`` with the sections that are its own: itself and its subsections
    up to a case nested in it, which owns the sections that follow it there."""
    out: list[tuple[Sec, list[Sec]]] = []

    def visit(node: Sec, owner: list[Sec] | None) -> None:
        for child in node.children:
            if CASE_TITLE.match(child.title):
                owner = [child]
                out.append((child, owner))
                visit(child, owner)
            elif owner is not None:
                owner.append(child)
                visit(child, owner)
            else:
                visit(child, None)

    visit(sec, None)
    return out


def key_points(own: list[Sec]) -> dict[str, str]:
    """The "Label: value" rows of the Key Points tables among ``own``, labels in lower case without ":"."""
    points: dict[str, str] = {}
    for s in own:
        if not s.title.lower().startswith("key point"):
            continue
        for t in s.tables:
            for row in t.rows:
                if len(row) >= 2 and row[0].strip().endswith(":"):
                    points[row[0].strip().rstrip(":").strip().lower()] = row[1].strip()
    return points
