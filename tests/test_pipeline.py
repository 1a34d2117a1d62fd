"""The build's stages on their own (plan, stages) and the ends `check` and `build` put on them:
planning, re-planning after an edit, rendering the site."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from glossator.cache import ResultCache
from glossator.config import load_config
from glossator.diagnostics import UserError
from glossator.pipeline import build, check
from glossator.plan import plan_articles
from glossator.stages import ArticleJob, render_article, render_site
from glossator.spool import Spool

NOTE = "annotations/harbour-pier/cracks.md"


def plan_of(root: Path, live_reload: str = ""):
    config = load_config(root)
    return config, plan_articles(config, ResultCache(root), live_reload=live_reload)


def add_article(root: Path, slug: str) -> None:
    (root / "content" / f"{slug}.md").write_text(f"---\ntitle: {slug}\n---\nA short story about {slug}.\n",
                                                 encoding="utf-8")


def test_a_plan_names_each_article_with_a_key_of_its_sources(edition):
    add_article(edition, "another-story")
    _, plan = plan_of(edition)
    assert plan.slugs == ["another-story", "harbour-pier"]
    assert plan.note_counts == [0, 2] and plan.notes == 2
    assert len(set(plan.keys)) == 2 and plan.report.diagnostics == []


def test_a_key_changes_with_its_articles_notes_and_the_edition_with_the_options(edition):
    _, plan = plan_of(edition)
    note = edition / NOTE
    note.write_text(note.read_text().replace("damaged", "broken"), encoding="utf-8")
    _, edited = plan_of(edition)
    assert edited.keys != plan.keys and edited.edition_key == plan.edition_key
    _, previewed = plan_of(edition, live_reload="/livereload.js?port=1")
    assert previewed.edition_key != edited.edition_key and previewed.keys != edited.keys


def test_replanning_an_edited_article_gives_the_whole_plans_keys(edition):
    add_article(edition, "another-story")
    config, plan = plan_of(edition)
    cache = ResultCache(edition)
    note = edition / NOTE
    note.write_text(note.read_text().replace("damaged", "broken"), encoding="utf-8")
    (edition / "annotations/harbour-pier/new-note.md").write_text(
        "---\ntype: context\nquote: engineers\nauthor: A\n---\nNew.\n", encoding="utf-8")
    replanned = plan.replanned(config, cache, {"harbour-pier"})
    _, whole = plan_of(edition)
    assert replanned.keys == whole.keys and replanned.note_counts == whole.note_counts == [0, 3]
    assert replanned.keys[0] == plan.keys[0]


@pytest.mark.parametrize("edit", ["new article", "removed article", "note in a subfolder"])
def test_replanning_refuses_what_needs_a_whole_plan(edition, edit):
    config, plan = plan_of(edition)
    slug = "harbour-pier"
    if edit == "new article":
        add_article(edition, slug := "another-story")
    elif edit == "removed article":
        (edition / "content/harbour-pier.md").unlink()
    else:
        (edition / "annotations/harbour-pier/drafts").mkdir()
        (edition / "annotations/harbour-pier/drafts/idea.md").write_text("---\n---\n", encoding="utf-8")
    assert plan.replanned(config, ResultCache(edition), {slug}) is None


def test_render_site_reuses_a_result_whose_key_is_unchanged_and_renders_the_rest(edition):
    add_article(edition, "another-story")
    config, plan = plan_of(edition)
    cache = ResultCache(edition, reuse=False)
    spool = Spool()
    first = render_site(config, cache, plan, spool, {})
    assert [result.slug for result in first.results] == plan.slugs
    assert [result.key for result in first.results] == plan.keys
    kept = {"another-story": first.results[0]}
    second = render_site(config, cache, plan, spool, kept)
    assert second.results[0] is first.results[0] and second.results[1] is not first.results[1]
    paths = [page.path for page in second.edition_pages(["pagefind"])]
    assert "index.html" in paths and "search/index.html" in paths and "sitemap.xml" in paths


def test_render_site_raises_on_errors_and_on_warnings_when_strict(edition):
    (edition / "annotations/harbour-pier/unsourced.md").write_text(
        "---\ntype: context\nquote: engineers\nauthor: A\n---\nNo sources.\n", encoding="utf-8")
    config, plan = plan_of(edition)
    cache = ResultCache(edition, writable=False)
    lenient = render_site(config, cache, plan, Spool(), {})
    assert [d.severity for d in lenient.report.diagnostics] == ["warning"]
    with pytest.raises(UserError) as raised:
        render_site(config, cache, plan, Spool(), {}, strict=True)
    assert [d.path for d in raised.value.diagnostics] == ["annotations/harbour-pier/unsourced.md"]


def test_an_article_job_returns_its_problems_rather_than_raising(edition):
    (edition / "content/harbour-pier.md").write_text("---\ntitle: [unclosed\n---\nText.\n", encoding="utf-8")
    _, plan = plan_of(edition)
    result = render_article(ArticleJob(str(edition), None, "harbour-pier", plan.edition_key))
    assert result.files == [] and result.parts is None
    assert [(d.path, d.severity) for d in result.diagnostics][0] == ("content/harbour-pier.md", "error")


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
