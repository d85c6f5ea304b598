"""One chapter's changes as lines a curator reads like a pull request: ``+`` added, ``-`` removed, ``~`` changed.

``diff`` prints them under each changed chapter; ``validate NEW --store S`` under each entry. Examples::

    likelihood Codeine: E -> D
    + injury pattern Mesalamine: cholestatic (1 sentence)
    ~ case report 2: pattern hepatocellular -> cholestatic; R ratio 13.8 -> 1.7
    - reference 12 (PMID 5696234)
    ~ CAS number of Olsalazine: 6054-98-4 -> 6054-98-5
"""

from __future__ import annotations

from livertox_kg.exports.chapter_changes import (
    ADDED,
    CHANGED,
    CaseReportChange,
    ChapterChanges,
    IdentifierChange,
    LikelihoodChange,
)

_SIGN = {ADDED: "+", "removed": "-", CHANGED: "~"}
_QUOTED = 40  # longer field values are cut to this many characters


def grade(category: str | None, high_dose: bool | None) -> str:
    """``A[HD]``, ``E*``; ``(none)`` when the side has no such assessment."""
    if category is None:
        return "(none)"
    return category + ("[HD]" if high_dose else "")


def likelihood_line(lc: LikelihoodChange) -> str:
    who = ", ".join(lc.agents) + (f" ({lc.scope})" if lc.scope else "")
    old, new = grade(lc.old_category, lc.old_high_dose), grade(lc.new_category, lc.new_high_dose)
    if lc.change == CHANGED:
        return f"likelihood {who}: {old} -> {new}"
    return f"{_SIGN[lc.change]} likelihood {who}: {new if lc.change == ADDED else old}"


def _value(value: str | None) -> str:
    if value is None:
        return "(none)"
    cut = value if len(value) <= _QUOTED else value[: _QUOTED - 1] + "…"
    return f'"{cut}"' if " " in cut else cut


def case_line(cc: CaseReportChange) -> str:
    head = f"{_SIGN[cc.change]} case report {cc.number}"
    if cc.change != CHANGED:
        return head + (f" ({_value(cc.title)})" if cc.title else "")
    parts = [
        f"{name} changed" if name == "text" else f"{name} {_value(old)} -> {_value(new)}"
        for name, (old, new) in cc.fields.items()
    ]
    return f"{head}: {'; '.join(parts)}"


def identifier_line(ic: IdentifierChange) -> str:
    what = f"{ic.kind} of {ic.agent}" if ic.agent else f"chapter {ic.kind}"
    if ic.change == CHANGED:
        return f"~ {what}: {ic.old} -> {ic.new}"
    return f"{_SIGN[ic.change]} {what}: {ic.new if ic.change == ADDED else ic.old}"


def change_lines(changes: ChapterChanges) -> list[str]:
    """Every change of the chapter, one line each (no indentation)."""
    lines = [likelihood_line(lc) for lc in changes.likelihood]
    for pc in changes.patterns:
        sentences = f"{pc.evidence} sentence{'s' if pc.evidence != 1 else ''}"
        lines.append(f"{_SIGN[pc.change]} injury pattern {pc.agent}: {pc.pattern} ({sentences})")
    lines.extend(case_line(cc) for cc in changes.case_reports)
    if changes.references is not None:
        rc = changes.references
        for sign, labels in (("+", rc.added), ("-", rc.removed)):
            for label in labels:
                number = rc.numbers.get(label)
                lines.append(f"{sign} reference {number} ({label})" if number else f"{sign} reference ({label})")
    lines.extend(identifier_line(ic) for ic in changes.identifiers)
    return lines
