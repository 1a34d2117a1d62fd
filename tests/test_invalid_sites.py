"""One broken edition per expected error (tests/fixtures/invalid/<case>/): each gives exit
status 1, its diagnostic at the right file, line and column with a hint, no traceback, and
leaves a previous build untouched. A line of expected.txt that starts with '  hint: ' is how
the hint of the error above it must begin."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, run_cli, run_main, tree

CASES = sorted(p.name for p in (FIXTURES / "invalid").iterdir())


def broken_edition(edition: Path, case: str) -> list[str]:
    """Lay the case's files over the valid edition; return the diagnostics it must produce."""
    source = FIXTURES / "invalid" / case
    for path in source.rglob("*"):
        if path.is_file() and path.name != "expected.txt":
            target = edition / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    return (source / "expected.txt").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("case", CASES)
def test_check_reports_the_error_at_its_place(edition, case, capsys):
    expected = broken_edition(edition, case)
    result = run_main("check", root=edition, capsys=capsys)  # an exception would fail the test here
    assert result.code == 1, result.stdout
    lines = result.stderr.splitlines()
    error_line = 0
    for wanted in expected:
        if wanted.startswith("  hint: "):  # the hint of the error above, as it must begin
            assert lines[error_line + 1].startswith(wanted), f"{wanted!r} not in:\n{result.stderr}"
            continue
        found = [i for i, line in enumerate(lines) if line.startswith(wanted)]
        assert found, f"{wanted!r} not in:\n{result.stderr}"
        error_line = found[0]
        assert lines[error_line + 1].startswith("  hint: "), "every error comes with a hint"


@pytest.mark.parametrize("case", CASES)
def test_failed_build_leaves_the_previous_site_untouched(edition, case, capsys):
    assert run_main("build", root=edition, capsys=capsys).code == 0
    before = tree(edition / "_site")
    broken_edition(edition, case)
    result = run_main("build", root=edition, capsys=capsys)
    assert result.code == 1
    assert tree(edition / "_site") == before
    assert sorted(p.name for p in edition.iterdir() if p.name.startswith("_site")) == ["_site"]


@pytest.mark.parametrize("case", ["yaml-tab-indent", "not-found", "site-bad-base-url", "template-syntax"])
def test_the_command_line_prints_one_line_and_a_hint_with_no_traceback(edition, case):
    """A few cases through the real script, as a user runs it."""
    expected = broken_edition(edition, case)
    result = run_cli("check", cwd=edition)
    assert result.code == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    (error,) = [index for index, line in enumerate(lines) if line.startswith(expected[0])]
    assert lines[error + 1].startswith("  hint: ")


def test_all_problems_of_the_edition_are_reported_together(edition):
    for case in ("unknown-type", "article-unknown-field"):
        broken_edition(edition, case)
    (edition / "annotations/harbour-pier/other.md").write_text(
        "---\ntype: context\nquote: nowhere in this text\nauthor: A\n---\nx\n", encoding="utf-8")
    result = run_cli("check", cwd=edition)
    assert result.code == 1
    assert result.stderr.count(": error: ") == 3
    assert "3 errors; nothing was written." in result.stderr


def test_a_ten_megabyte_note_is_refused(edition):
    (edition / "annotations/harbour-pier/huge.md").write_text(
        "---\ntype: context\nquote: engineers found\nauthor: A\n---\n" + "word " * 2_000_000, encoding="utf-8")
    result = run_cli("check", cwd=edition)
    assert result.code == 1 and "annotations/harbour-pier/huge.md:1:1: error: file is too large" in result.stderr


def test_files_that_link_outside_the_edition_are_refused(edition, tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text("---\ntitle: Secret\n---\nText.\n", encoding="utf-8")
    (edition / "content/secret.md").symlink_to(outside)
    (edition / "annotations/harbour-pier/linked.md").symlink_to(outside)
    result = run_cli("check", cwd=edition)
    assert result.code == 1
    assert "content/secret.md:1:1: error: this file links to a place outside the edition" in result.stderr
    assert "annotations/harbour-pier/linked.md:1:1: error: this file links to a place outside the edition" in result.stderr
    # A note folder that is itself a link: each note in it is refused, though none is a link.
    folder = tmp_path / "elsewhere"
    shutil.copytree(edition / "annotations/harbour-pier", folder, symlinks=True)
    shutil.rmtree(edition / "annotations/harbour-pier")
    (edition / "annotations/harbour-pier").symlink_to(folder)
    result = run_cli("check", cwd=edition)
    notes = sorted(path.name for path in folder.glob("*.md"))
    assert len(notes) > 2 and result.code == 1
    for name in notes:
        assert f"annotations/harbour-pier/{name}:1:1: error: this file links to a place outside" in result.stderr
    shutil.rmtree(edition / "themes/default")
    (edition / "themes/default").symlink_to(tmp_path)
    assert "lies outside the edition" in run_cli("check", cwd=edition).stderr


def test_a_killed_build_leaves_the_previous_site_and_the_next_build_cleans_up(edition):
    import signal
    import subprocess
    import sys
    import time

    from conftest import REPO

    assert run_cli("build", cwd=edition).code == 0
    before = tree(edition / "_site")
    for number in range(300):  # enough articles that the build is still running when killed
        shutil.copy(edition / "content/harbour-pier.md", edition / f"content/copy-{number:03d}.md")
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "build", "--no-cache"], cwd=edition,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not list(edition.glob("_site.tmp-*")) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert tree(edition / "_site") == before, "the previous site is untouched"
    for copy in edition.glob("content/copy-*.md"):
        copy.unlink()
    assert run_cli("build", cwd=edition).code == 0
    assert sorted(p.name for p in edition.iterdir() if p.name.startswith("_site")) == ["_site"]
