"""pipeline: the ends `check` and `build` put on the stages, and a rebuild that finds nothing
changed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from glossator.pipeline import build, check


def test_check_writes_nothing_and_counts_anchored_notes(edition):
    before = sorted(p.relative_to(edition) for p in edition.rglob("*"))
    assert check(edition)[:2] == (1, 2)
    assert sorted(p.relative_to(edition) for p in edition.rglob("*")) == before


def test_a_second_build_of_an_unchanged_edition_stands(edition):
    output = edition / "_site"
    first = build(edition, output)
    assert not first.up_to_date and first.pages > 0 and (output / "harbour-pier/index.html").is_file()
    again = build(edition, output)
    assert again.up_to_date and (again.pages, again.notes) == (first.pages, 2) and again.search_seconds is None


def test_a_rebuild_that_finds_nothing_changed_loads_no_template_or_markdown_engine(edition):
    assert not build(edition, edition / "_site").up_to_date
    probe = ("import runpy, sys\n"
             "sys.argv = ['build.py', 'build']\n"
             "try:\n    runpy.run_path(sys.argv[0] if False else %r, run_name='__main__')\n"
             "except SystemExit:\n    pass\n"
             "print(sorted(name for name in ('jinja2', 'markdown', 'nh3', 'rapidfuzz') if name in sys.modules))\n"
             ) % str(Path(__file__).resolve().parent.parent / "build.py")
    done = subprocess.run([sys.executable, "-c", probe], cwd=edition, capture_output=True, text=True, timeout=60)
    assert "up to date:" in done.stdout and done.stdout.rstrip().endswith("[]"), done.stdout + done.stderr
