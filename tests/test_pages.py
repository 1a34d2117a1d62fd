"""pages on their own: the article page's views, filters and generated stylesheet."""

from __future__ import annotations

from types import SimpleNamespace

from glossator.pages import article_view, cite_article, display_date, join_names, make_environment, pairing_stylesheet
from glossator.stages import load_site


def test_dates_are_shown_with_their_offset_and_names_joined_as_in_prose():
    assert display_date("2013-10-21T21:54:00-04:00") == "21 October 2013, 21:54 UTC\u221204:00"
    assert display_date("2013-10-21T21:54:00-04:00", time=False) == "21 October 2013"
    assert display_date("2013-10-21") == "21 October 2013" and display_date("") == ""
    assert join_names(("A",)) == "A" and join_names(("A", "B", "C")) == "A, B and C" and join_names(()) == ""


def test_an_article_is_cited_in_apa_style():
    article = SimpleNamespace(authors=("Ed Payne", "Khushbu Shah"), outlet="CNN", date="2013-10-21T21:54:00-04:00",
                              title="Report", source="https://edition.cnn.com/x")
    assert cite_article(article) == "Payne, E., & Shah, K. (2013, October 21). Report. CNN. https://edition.cnn.com/x"


def test_notes_are_numbered_in_reading_order_and_each_type_can_be_hidden(edition):
    site, report = load_site(edition)
    assert not report.errors
    (item,) = site.articles
    view = article_view(make_environment(site.config), site.config, item)
    assert [note.number for note in view.notes] == [1, 2]
    assert [note.id for note in view.notes] == ["cracks", "march-31"]
    css = pairing_stylesheet(view)
    for note_type in {note.type for note in view.notes}:
        assert (f"body:has(#show-type-{note_type}:not(:checked)) :is(aside.note-{note_type}, "
                f".noteref-{note_type}) {{ display: none; }}") in css
    assert "show-type-question" not in css, "only the types the article has"
