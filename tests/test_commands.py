"""commands on their own: run() with build.py's own arguments for check, build and note, in this process."""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

import pytest

from conftest import Result, run_main
from glossator import commands
from glossator.commands import ProgressBar
from glossator.diagnostics import Report
from glossator.pipeline import BuildSummary

NOTES = "annotations/harbour-pier"
NEXT = "next: write the note below the closing '---', add its sources, then run: python build.py check"
SOURCES = "sources:\n  - title: T\n    url: https://example.org/t\n"


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch):
    """Text diagnostics by default, whatever machine runs the tests."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


def run(capsys, *argv: str, root: Path | str) -> Result:
    return run_main(*argv, root=Path(root), capsys=capsys)


def add_note(edition: Path, name: str, quote: str, sources: bool = False) -> None:
    (edition / NOTES / f"{name}.md").write_text(
        f"---\ntype: context\nquote: {quote}\nauthor: A\n{SOURCES if sources else ''}---\nText.\n", encoding="utf-8")


def add_article(edition: Path) -> None:
    (edition / "content/second.md").write_text("---\ntitle: Second story\n---\nA short second story.\n",
                                               encoding="utf-8")


TYPO = ("annotations/harbour-pier/typo.md:3:8: error: not found: quote \"engineers fuond cracks\" does not occur "
        "in the article\n  hint: did you mean the passage at content/harbour-pier.md:16 (2 edits away)? "
        "Replace the quote line with: quote: engineers found cracks\n")


# --- check -----------------------------------------------------------------------------------

def test_a_clean_check_prints_only_its_summary(edition, capsys):
    add_article(edition)
    ran = run(capsys, "check", root=edition)
    assert (ran.code, ran.stdout, ran.stderr) == (0, "ok: 2 articles, 2 notes anchored, 0 warnings\n", "")
    assert not (edition / "_site").exists()


def test_warnings_go_to_stderr_and_are_counted_in_the_summary(edition, capsys):
    add_article(edition)
    add_note(edition, "one", "Ana Ruiz")
    add_note(edition, "two", "treasurer")
    ran = run(capsys, "check", root=edition)
    assert ran.code == 0
    assert ran.stderr == ("annotations/harbour-pier/one.md:1:1: warning: note cites no source\n"
                       "  hint: add `sources:` with a title and url\n"
                       "annotations/harbour-pier/two.md:1:1: warning: note cites no source\n"
                       "  hint: add `sources:` with a title and url\n")
    assert ran.stdout == "ok: 2 articles, 4 notes anchored, 2 warnings\n"


def test_an_error_gives_status_1_the_diagnostic_and_the_count_and_no_summary(edition, capsys):
    add_note(edition, "typo", "engineers fuond cracks", sources=True)
    ran = run(capsys, "check", root=edition)
    assert (ran.code, ran.stdout) == (1, "")
    assert ran.stderr == TYPO + "1 error; nothing was written.\n"


def test_several_errors_are_counted_in_the_plural(edition, capsys):
    add_note(edition, "typo", "engineers fuond cracks", sources=True)
    add_note(edition, "lost", "Quantum chromodynamics", sources=True)
    ran = run(capsys, "check", root=edition)
    assert ran.code == 1
    assert ran.stderr.splitlines()[-1] == "2 errors; nothing was written."
    assert ran.stderr.startswith("annotations/harbour-pier/lost.md:3:8: error: not found")


def test_strict_check_stops_on_a_warning(edition, capsys):
    add_note(edition, "one", "Ana Ruiz")
    ran = run(capsys, "check", "--strict", root=edition)
    assert (ran.code, ran.stdout) == (1, "")
    assert ran.stderr.startswith("annotations/harbour-pier/one.md:1:1: warning: note cites no source\n")
    assert ran.stderr.endswith("\n1 warning (--strict); nothing was written.\n")


def test_counts_in_the_summaries_are_singular_for_one(edition, capsys):
    add_note(edition, "one", "Ana Ruiz")
    assert run(capsys, "check", root=edition).stdout == "ok: 1 article, 3 notes anchored, 1 warning\n"
    for name in ("one", "cracks"):
        (edition / NOTES / f"{name}.md").unlink()
    assert run(capsys, "check", root=edition).stdout == "ok: 1 article, 1 note anchored, 0 warnings\n"
    assert re.match(r"built \d+ pages with 1 note in .+ \(0 warnings, ", run(capsys, "build", root=edition).stdout)


def test_json_format_prints_one_json_document_and_no_summary_or_count(edition, capsys):
    ran = run(capsys, "check", "--format", "json", root=edition)
    assert (ran.code, ran.stderr) == (0, "")
    assert json.loads(ran.stdout) == {"errors": 0, "warnings": 0, "diagnostics": []}
    add_note(edition, "typo", "engineers fuond cracks", sources=True)
    ran = run(capsys, "check", "--format", "json", root=edition)
    assert (ran.code, ran.stderr) == (1, "")
    data = json.loads(ran.stdout)
    assert (data["errors"], data["warnings"]) == (1, 0)
    assert [(d["path"], d["line"], d["col"], d["severity"]) for d in data["diagnostics"]] == [
        ("annotations/harbour-pier/typo.md", 3, 8, "error")]


def test_inside_github_actions_problems_are_workflow_commands_on_stdout(edition, capsys, monkeypatch):
    add_note(edition, "typo", "engineers fuond cracks", sources=True)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    ran = run(capsys, "check", root=edition)
    assert ran.code == 1 and ran.stderr == "1 error; nothing was written.\n"
    assert ran.stdout.startswith("::error file=annotations/harbour-pier/typo.md,line=3,col=8,title=Glossator error::"
                              "not found: quote")
    text = run(capsys, "check", "--format", "text", root=edition)
    assert text.stdout == "" and text.stderr == TYPO + "1 error; nothing was written.\n"


def test_on_a_terminal_the_severity_is_coloured_unless_no_color_is_set(edition, capsys, monkeypatch):
    add_note(edition, "typo", "engineers fuond cracks", sources=True)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    coloured = run(capsys, "check", root=edition)
    assert coloured.stderr.startswith("annotations/harbour-pier/typo.md:3:8: \033[1;31merror:\033[0m not found")
    monkeypatch.setenv("NO_COLOR", "1")
    assert run(capsys, "check", root=edition).stderr == TYPO + "1 error; nothing was written.\n"


def test_check_fix_prints_each_rewrite_then_checks_the_repaired_edition(edition, capsys):
    add_article(edition)
    add_note(edition, "typo", "engineers fuond cracks", sources=True)
    ran = run(capsys, "check", "--fix", root=edition)
    assert (ran.code, ran.stderr) == (0, "")
    assert ran.stdout.splitlines() == [
        'annotations/harbour-pier/typo.md:3:8: fixed: quote "engineers fuond cracks" is now "engineers found cracks"',
        "ok: 2 articles, 3 notes anchored, 0 warnings"]
    assert "\nquote: engineers found cracks\n" in (edition / NOTES / "typo.md").read_text(encoding="utf-8")


def test_an_interrupted_run_gives_status_130(edition, capsys, monkeypatch):
    def interrupted(*args, **options):
        raise KeyboardInterrupt

    monkeypatch.setattr(commands, "check", interrupted)
    ran = run(capsys, "check", root=edition)
    assert (ran.code, ran.stdout, ran.stderr) == (130, "", "interrupted; nothing was changed.\n")


# --- build -----------------------------------------------------------------------------------

SECONDS = r"\d+\.\d\d s"


def test_build_writes_the_site_and_sums_up_pages_notes_warnings_and_times(edition, capsys):
    ran = run(capsys, "build", root=edition)
    assert (ran.code, ran.stderr) == (0, "")
    site = edition / "_site"
    found = re.fullmatch(rf"built (\d+) pages with 2 notes in {re.escape(str(site))} "
                         rf"\(0 warnings, {SECONDS}; search index {SECONDS}\)\n", ran.stdout)
    assert found, ran.stdout
    assert int(found.group(1)) == len(list(site.rglob("*.html"))) == 7


def test_a_build_with_nothing_changed_says_up_to_date_without_a_search_time(edition, capsys):
    assert run(capsys, "build", root=edition).code == 0
    ran = run(capsys, "build", root=edition)
    assert ran.code == 0
    assert re.fullmatch(rf"up to date: 7 pages with 2 notes in {re.escape(str(edition / '_site'))} "
                        rf"\(0 warnings, {SECONDS}\)\n", ran.stdout), ran.stdout


def test_build_to_a_chosen_folder_names_it_and_reports_warnings(edition, capsys, tmp_path):
    add_note(edition, "one", "Ana Ruiz")
    add_note(edition, "two", "treasurer")
    output = tmp_path / "public"
    ran = run(capsys, "build", "--output", str(output), root=edition)
    assert ran.code == 0 and (output / "harbour-pier/index.html").is_file() and not (edition / "_site").exists()
    assert ran.stderr == ("annotations/harbour-pier/one.md:1:1: warning: note cites no source\n"
                       "  hint: add `sources:` with a title and url\n"
                       "annotations/harbour-pier/two.md:1:1: warning: note cites no source\n"
                       "  hint: add `sources:` with a title and url\n")
    assert ran.stdout.startswith(f"built 7 pages with 4 notes in {output} (2 warnings, ")


def test_a_refused_output_folder_gives_status_1_and_writes_nothing(edition, capsys):
    ran = run(capsys, "build", "--output", str(edition), root=edition)
    assert (ran.code, ran.stdout) == (1, "")
    assert ran.stderr == (f"{edition}:1:1: error: refusing to replace this folder with the site\n"
                       "  hint: choose an output folder of its own, such as _site\n"
                       "1 error; nothing was written.\n")
    assert not (edition / "_site").exists()


class FakeBuild:
    """Stands in for pipeline.build: records its progress callback and, when it has one,
    reports two steps as if the build had already run for seconds."""

    def __init__(self):
        self.progress = "not called"

    def __call__(self, root, output, base_url, strict, use_cache, progress, jobs):
        self.progress = progress
        if progress is not None:
            progress.started -= 5
            progress(1, 3)
            progress(3, 3)
        return BuildSummary(Report(), 4, 2, None)


def test_on_a_terminal_a_build_draws_a_progress_bar_and_clears_it_before_the_summary(edition, capsys, monkeypatch):
    fake = FakeBuild()
    monkeypatch.setattr(commands, "build", fake)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    ran = run(capsys, "build", root=edition)
    assert isinstance(fake.progress, ProgressBar) and ran.code == 0
    assert ran.stderr == (f"\rrendering [{'#' * 10}{'.' * 20}] 1/3 articles"
                       f"\rrendering [{'#' * 30}] 3/3 articles\r\033[K")
    site = re.escape(str(edition / "_site"))
    assert re.fullmatch(rf"built 4 pages with 2 notes in {site} \(0 warnings, {SECONDS}\)\n", ran.stdout), ran.stdout


def test_no_progress_bar_off_a_terminal_or_with_json_output(edition, capsys, monkeypatch):
    fake = FakeBuild()
    monkeypatch.setattr(commands, "build", fake)
    ran = run(capsys, "build", root=edition)
    assert fake.progress is None and ran.stderr == ""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    ran = run(capsys, "build", "--format", "json", root=edition)
    assert fake.progress is None and ran.stderr == ""
    assert json.loads(ran.stdout) == {"errors": 0, "warnings": 0, "diagnostics": []}


def test_the_progress_bar_waits_a_second_then_keeps_drawing_until_cleared(capsys):
    bar = ProgressBar(time.perf_counter(), width=10)
    bar(1, 4)
    bar.clear()
    assert capsys.readouterr().err == "", "nothing during the first second, nothing to clear"
    bar.started -= 2
    bar(0, 4)
    bar(3, 4)
    bar.started = time.perf_counter()
    bar(4, 4)
    bar.clear()
    assert capsys.readouterr().err == ("\rrendering [..........] 0/4 articles"
                                       "\rrendering [#######...] 3/4 articles"
                                       "\rrendering [##########] 4/4 articles"
                                       "\r\033[K")


# --- note ------------------------------------------------------------------------------------

def test_note_prints_the_file_it_wrote_relative_to_the_edition_and_what_to_do_next(edition, capsys):
    ran = run(capsys, "note", "harbour-pier", "--quote", "council leader Ana Ruiz", "--author", "@me", root=edition)
    assert (ran.code, ran.stderr) == (0, "")
    assert ran.stdout == f"wrote annotations/harbour-pier/council-leader-ana-ruiz.md\n{NEXT}\n"
    assert (edition / NOTES / "council-leader-ana-ruiz.md").is_file()


def test_note_with_a_relative_root_prints_the_same_relative_path(edition, capsys, monkeypatch):
    monkeypatch.chdir(edition.parent)
    ran = run(capsys, "note", "harbour-pier", "--quote", "treasurer", "--type", "question", "--author", "x",
              root=edition.name)
    assert ran.code == 0 and ran.stdout == f"wrote annotations/harbour-pier/treasurer.md\n{NEXT}\n"
    assert "\ntype: question\n" in (edition / NOTES / "treasurer.md").read_text(encoding="utf-8")


def test_note_passes_occurrence_through_and_writes_a_prefix(edition, capsys):
    ran = run(capsys, "note", "harbour-pier", "--quote", "The ferry company", "--occurrence", "2", "--author", "x",
              root=edition)
    assert ran.code == 0 and ran.stdout.startswith("wrote annotations/harbour-pier/the-ferry-company.md\n")
    text = (edition / NOTES / "the-ferry-company.md").read_text(encoding="utf-8")
    assert re.search(r"^prefix: \S", text, re.M) and "occurrence" not in text


def test_a_refused_note_gives_status_1_the_diagnostic_and_the_count(edition, capsys):
    ran = run(capsys, "note", "harbor-pier", "--quote", "Ana Ruiz", "--author", "x", root=edition)
    assert (ran.code, ran.stdout) == (1, "")
    assert ran.stderr == ("content/harbor-pier.md:1:1: error: no article 'harbor-pier'\n"
                       "  hint: did you mean 'harbour-pier'? articles: harbour-pier\n"
                       "1 error; nothing was written.\n")


def test_a_refused_note_inside_github_actions_is_a_workflow_command(edition, capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    ran = run(capsys, "note", "harbour-pier", "--quote", "Ana Ruiz", "--type", "opinion", "--author", "x",
              root=edition)
    assert ran.code == 1 and ran.stderr == "1 error; nothing was written.\n"
    assert ran.stdout == ("::error file=--type,line=1,col=1,title=Glossator error::unknown note type 'opinion'"
                       "%0Ahint: types: correction, context, definition, source, question\n")
