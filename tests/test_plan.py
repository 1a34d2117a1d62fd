"""plan on its own: the articles of an edition and their cache keys, and re-planning after an
edit of a few of them."""

from __future__ import annotations

import pytest

from conftest import add_article, plan_of
from glossator.cache import ResultCache

NOTE = "annotations/harbour-pier/cracks.md"


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
