"""articles on their own: which files under content/ are articles, their fields and lines, and the date checks."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from glossator.articles import article_paths, load_article, load_articles
from glossator.config import load_config
from glossator.diagnostics import Report

FULL = """---
title: Harbour council votes to rebuild the pier
authors:
- Mara Lindqvist
- Tom Oduya
byline: By Mara Lindqvist and Tom Oduya
outlet: Example Courier
published: '2024-03-05T09:00:00+01:00'
updated: '2024-03-05T18:30:00+01:00'
highlights:
- The vote was seven to four
- Work starts in the autumn
source: https://example.org/pier
rights: © 2024 Example Courier
related:
- Pier closed after survey
topics:
- Harbour
language: en
---

The council voted on Tuesday.
"""


def edition(root: Path, articles: dict[str, str]) -> Path:
    """site.yaml, an empty theme and the given files under content/ (name -> text)."""
    (root / "themes/default/templates").mkdir(parents=True)
    (root / "site.yaml").write_text("title: Test\n", encoding="utf-8")
    (root / "content").mkdir()
    for name, text in articles.items():
        (root / "content" / name).write_text(text, encoding="utf-8")
    return root


def simple(**fields: str) -> str:
    lines = "".join(f"{key}: {value}\n" for key, value in fields.items())
    return f"---\ntitle: A title\n{lines}---\nText.\n"


def one_article(tmp_path: Path, text: str) -> tuple[object, list[tuple[str, int, int, str, str]]]:
    path = tmp_path / "story.md"
    path.write_text(text, encoding="utf-8")
    report = Report()
    article = load_article(path, "content/story.md", report)
    return article, [(d.path, d.line, d.col, d.message, d.hint) for d in report.diagnostics]


def test_article_files_come_in_name_order_and_other_files_are_ignored(tmp_path):
    root = edition(tmp_path, {"b-second.md": simple(), "a-first.md": simple(), "notes.txt": "x",
                              "2024-pier.md": simple()})
    (root / "content/drafts").mkdir()
    report = Report()
    paths = article_paths(load_config(root), report)
    assert [p.name for p in paths] == ["2024-pier.md", "a-first.md", "b-second.md"]
    assert report.diagnostics == []


@pytest.mark.parametrize("name", ["Pier.md", "pier_2.md", "-pier.md", "pier-.md", "pier.draft.md"])
def test_a_badly_named_article_file_is_an_error_at_its_first_line(tmp_path, name):
    root = edition(tmp_path, {name: simple(), "good.md": simple()})
    report = Report()
    assert [p.name for p in article_paths(load_config(root), report)] == ["good.md"]
    (problem,) = report.diagnostics
    assert (problem.path, problem.line, problem.col) == (f"content/{name}", 1, 1)
    assert problem.message == f"bad article file name {name!r}"
    assert "lower-case letters, digits and hyphens" in problem.hint


def test_a_link_to_a_file_outside_the_edition_is_refused_and_one_inside_is_read(tmp_path):
    root = edition(tmp_path / "edition", {"real.md": simple()})
    outside = tmp_path / "secret.md"
    outside.write_text(simple(), encoding="utf-8")
    (root / "content/leak.md").symlink_to(outside)
    (root / "content/same.md").symlink_to(root / "content/real.md")
    report = Report()
    assert [p.name for p in article_paths(load_config(root), report)] == ["real.md", "same.md"]
    assert [(d.path, d.line, d.col, d.message, d.hint) for d in report.diagnostics] == [
        ("content/leak.md", 1, 1, "this file links to a place outside the edition",
         "replace the symbolic link with the file itself")]


def test_an_edition_without_a_content_folder_has_no_articles(tmp_path):
    root = edition(tmp_path, {})
    (root / "content").rmdir()
    report = Report()
    assert load_articles(load_config(root), report) == [] and report.diagnostics == []


def test_every_front_matter_field_is_read_with_the_lines_of_title_and_highlights(tmp_path):
    article, problems = one_article(tmp_path, FULL)
    assert problems == []
    assert (article.slug, article.shown_path) == ("story", "content/story.md")
    assert article.title == "Harbour council votes to rebuild the pier"
    assert article.authors == ("Mara Lindqvist", "Tom Oduya")
    assert article.byline == "By Mara Lindqvist and Tom Oduya" and article.outlet == "Example Courier"
    assert (article.published, article.updated) == ("2024-03-05T09:00:00+01:00", "2024-03-05T18:30:00+01:00")
    assert article.highlights == ("The vote was seven to four", "Work starts in the autumn")
    assert article.source == "https://example.org/pier" and article.rights == "© 2024 Example Courier"
    assert article.related == ("Pier closed after survey",) and article.topics == ("Harbour",)
    assert article.language == "en"
    assert article.body == "\nThe council voted on Tuesday.\n" and article.body_line == 21
    assert article.title_line == 2 and article.highlight_lines == (11, 12)


def test_fields_left_out_are_empty(tmp_path):
    article, problems = one_article(tmp_path, "---\ntitle: Only a title\n---\nText.\n")
    assert problems == []
    assert (article.authors, article.highlights, article.related, article.topics) == ((), (), (), ())
    assert (article.byline, article.outlet, article.updated, article.published) == ("", "", "", "")
    assert (article.source, article.rights, article.language, article.date) == ("", "", "", "")
    assert article.highlight_lines == () and article.body_line == 4


def test_the_date_is_the_update_time_else_the_publication_time(tmp_path):
    article, _ = one_article(tmp_path, FULL)
    assert article.date == "2024-03-05T18:30:00+01:00"
    assert dataclasses.replace(article, updated="").date == "2024-03-05T09:00:00+01:00"
    assert dataclasses.replace(article, updated="", published="").date == ""


@pytest.mark.parametrize("value", ["'2024-02-29'", "2024-03-05T18:30:00Z", "'2024-03-05T18:30'",
                                   "2024-03-05T18:30:00.250-04:00"])
def test_real_dates_and_times_are_accepted(tmp_path, value):
    article, problems = one_article(tmp_path, simple(published=value))
    assert problems == [] and article.published == value.strip("'")


@pytest.mark.parametrize("value", ["'2023-02-29'", "'2024-13-01'", "2024-03-05T24:00", "2024-03-05T10:61",
                                   "2024-03-05T10:00+99:00"])
def test_a_date_of_the_right_form_that_no_calendar_has_is_an_error_at_its_value(tmp_path, value):
    article, problems = one_article(tmp_path, simple(published=value))
    assert article is None
    message = f"field 'published' is not a real date or time: {value.strip(chr(39))!r}"
    assert problems == [("content/story.md", 3, 12, message,
                         "write it as '2013-10-21T21:54:00-04:00' (date, time, UTC offset)")]


def test_both_dates_are_checked_and_reported_updated_first(tmp_path):
    article, problems = one_article(tmp_path, simple(published="'2023-02-30'", updated="'2023-04-31T08:00:00Z'"))
    assert article is None
    assert [(line, col, message) for _, line, col, message, _ in problems] == [
        (4, 10, "field 'updated' is not a real date or time: '2023-04-31T08:00:00Z'"),
        (3, 12, "field 'published' is not a real date or time: '2023-02-30'"),
    ]


def test_a_date_in_another_form_is_reported_once_by_the_schema(tmp_path):
    article, problems = one_article(tmp_path, simple(updated="Monday evening"))
    assert article is None
    assert [(line, col, message) for _, line, col, message, _ in problems] == [
        (3, 10, "field 'updated' is not in the expected form: 'Monday evening'")]


def test_front_matter_that_is_not_a_mapping_gives_one_error_and_no_date_check(tmp_path):
    article, problems = one_article(tmp_path, "---\n- updated\n- '2023-02-30'\n---\nText.\n")
    assert article is None
    assert [(line, col, message) for _, line, col, message, _ in problems] == [
        (2, 1, "expected a mapping of fields (`name: value`)")]


def test_loading_keeps_the_good_articles_and_reports_every_bad_one_in_name_order(tmp_path):
    root = edition(tmp_path, {
        "c-good.md": simple(),
        "a-no-front-matter.md": "Just text.\n",
        "b-title-a-number.md": "---\ntitle: 7\n---\nText.\n",
        "Bad-Name.md": simple(),
        "d-also-good.md": simple(outlet="Courier"),
    })
    report = Report()
    articles = load_articles(load_config(root), report)
    assert [a.slug for a in articles] == ["c-good", "d-also-good"]
    assert articles[1].outlet == "Courier"
    assert [(d.path, d.line, d.col, d.message) for d in report.diagnostics] == [
        ("content/Bad-Name.md", 1, 1, "bad article file name 'Bad-Name.md'"),
        ("content/a-no-front-matter.md", 1, 1, "missing front matter"),
        ("content/b-title-a-number.md", 2, 8, "field 'title' must be a string, not an integer"),
    ]


@pytest.mark.parametrize("value", ["'2024-1-05'", "'2024-01-05 noon'"])
def test_a_date_of_the_wrong_form_gets_one_error_not_two(tmp_path, value):
    article, problems = one_article(tmp_path, simple(published=value))
    assert article is None and len(problems) == 1 and problems[0][1:3] == (3, 12)
    assert "not a real date" not in problems[0][3]
