"""One broken edition per expected error (tests/fixtures/invalid/<case>/): each gives exit
status 1, its diagnostic at the right file, line and column with a hint, no traceback, and
leaves a previous build untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, run_cli, tree

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
def test_check_reports_the_error_at_its_place(edition, case):
    expected = broken_edition(edition, case)
    result = run_cli("check", cwd=edition)
    assert result.code == 1, result.stdout
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    for wanted in expected:
        found = [i for i, line in enumerate(lines) if line.startswith(wanted)]
        assert found, f"{wanted!r} not in:\n{result.stderr}"
        assert lines[found[0] + 1].startswith("  hint: "), "every error comes with a hint"


@pytest.mark.parametrize("case", CASES)
def test_failed_build_leaves_the_previous_site_untouched(edition, case):
    assert run_cli("build", cwd=edition).code == 0
    before = tree(edition / "_site")
    broken_edition(edition, case)
    result = run_cli("build", cwd=edition)
    assert result.code == 1 and "Traceback" not in result.stderr
    assert tree(edition / "_site") == before
    assert sorted(p.name for p in edition.iterdir() if p.name.startswith("_site")) == ["_site"]


def test_all_problems_of_the_edition_are_reported_together(edition):
    for case in ("unknown-type", "article-unknown-field"):
        broken_edition(edition, case)
    (edition / "annotations/harbour-pier/other.md").write_text(
        "---\ntype: context\nquote: nowhere in this text\nauthor: A\n---\nx\n", encoding="utf-8")
    result = run_cli("check", cwd=edition)
    assert result.code == 1
    assert result.stderr.count(": error: ") == 3
    assert "3 errors; nothing was written." in result.stderr
