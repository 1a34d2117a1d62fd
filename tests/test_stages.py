"""stages on their own: every article rendered or reused by its key, problems stopped on, and
one article's job returning its problems."""

from __future__ import annotations

import pytest

from conftest import add_article, plan_of
from glossator.cache import ResultCache
from glossator.diagnostics import UserError
from glossator.spool import Spool
from glossator.stages import ArticleJob, render_article, render_site


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
