"""diagnostics on their own: one line per problem, a hint below it, nothing that can rewrite the terminal."""

from __future__ import annotations

import json

from glossator.diagnostics import Diagnostic, Report, as_github, as_json, render


def test_a_problem_is_one_line_with_its_hint_below():
    problem = Diagnostic("annotations/a/n.md", 3, 8, "not found", "did you mean this?\nor that?")
    assert problem.format() == ("annotations/a/n.md:3:8: error: not found\n"
                                "  hint: did you mean this?\n    or that?")


def test_control_and_format_characters_are_spelled_out():
    line = Diagnostic("n\u202emd.md", 1, 1, "quote \x1b[2J here").format()
    assert "\u202e" not in line and "\x1b" not in line
    assert "\\u202e" in line and "\\u001b" in line and "\n" not in line


def test_errors_and_warnings_are_counted_and_sorted_by_place():
    report = Report()
    report.extend([Diagnostic("b.md", 1, 1, "late"), Diagnostic("a.md", 9, 1, "warn", severity="warning"),
                   Diagnostic("a.md", 2, 5, "early")])
    assert [d.message for d in report.sorted()] == ["early", "warn", "late"]
    assert len(report.errors) == 2 and len(report.warnings) == 1
    data = json.loads(as_json(report.sorted()))
    assert data["errors"] == 2 and data["warnings"] == 1
    assert render(report.sorted(), "text").splitlines()[0] == "a.md:2:5: error: early"


def test_a_workflow_command_escapes_what_github_would_read_as_syntax():
    line = as_github(Diagnostic("a,b:c.md", 2, 3, "100% wrong\nsecond", "fix, then: rerun"))
    assert line == ("::error file=a%2Cb%3Ac.md,line=2,col=3,title=Glossator error::"
                    "100%25 wrong%0Asecond%0Ahint: fix, then: rerun")
