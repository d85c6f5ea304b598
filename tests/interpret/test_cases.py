"""Tests for ``livertox_kg.interpret.cases``: case reports and their Key Points, nested cases included."""

from __future__ import annotations

from livertox_kg.interpret.cases import case_reports, cases_in
from livertox_kg.loaders.document import Para, Sec, Table


def key_points(*rows: list[str]) -> Sec:
    return Sec("Key Points", tables=[Table([["Medication:", "Amoxicillin-clavulanate"], *rows])])


def test_a_case_report_with_its_key_points() -> None:
    case = Sec(
        "Case 1. Cholestatic hepatitis after amoxicillin-clavulanate.",
        paras=[Para("A 65 year old man ...")],
        children=[
            key_points(
                ["Pattern:", "Cholestatic (R=1.2)"],
                ["Severity:", "3+ (jaundice, hospitalization)"],
                ["Latency:", "6 weeks"],
                ["Recovery:", "3 months"],
                ["Other medications:", "None"],
                ["Not a label", "ignored"],
            ),
            Sec("Comment", paras=[Para("A typical case.")]),
        ],
    )
    (report,) = case_reports(Sec("CASE REPORT", children=[case]))
    assert report.number == 1
    assert report.title == "Cholestatic hepatitis after amoxicillin-clavulanate."
    assert report.medication == "Amoxicillin-clavulanate"
    assert (report.pattern_text, report.pattern, report.r_ratio) == ("Cholestatic (R=1.2)", "cholestatic", 1.2)
    assert (report.severity_text, report.severity_grade) == ("3+ (jaundice, hospitalization)", 3)
    assert (report.latency, report.recovery, report.other_medications) == ("6 weeks", "3 months", "None")
    assert report.text == "A 65 year old man ...\n\nA typical case."


def test_a_case_without_key_points() -> None:
    (report,) = case_reports(Sec("CASE REPORTS", children=[Sec("Case 2: Jaundice", paras=[Para("...")])]))
    assert (report.number, report.title, report.pattern, report.r_ratio, report.severity_grade) == (
        2,
        "Jaundice",
        None,
        None,
        None,
    )


def test_a_case_printed_inside_another_owns_what_follows_it() -> None:
    """The source error of some phenotype chapters: "Case 3" among the subsections of "Case 2"."""
    points_2, points_3, comment_3 = key_points(["Pattern:", "Mixed"]), key_points(), Sec("Comment")
    case_3 = Sec("Case 3. Second.")
    case_2 = Sec("Case 2. First.", children=[points_2, case_3, points_3, comment_3])
    got = cases_in(Sec("REPRESENTATIVE CASE REPORTS", children=[case_2]))
    assert [(case.title, [s.title for s in own]) for case, own in got] == [
        ("Case 2. First.", ["Case 2. First.", "Key Points"]),
        ("Case 3. Second.", ["Case 3. Second.", "Key Points", "Comment"]),
    ]
    assert got[0][1][1] is points_2 and got[1][1][1] is points_3
    reports = case_reports(Sec("CASE REPORTS", children=[case_2]))
    assert [(r.number, r.pattern) for r in reports] == [(2, "mixed"), (3, None)]
