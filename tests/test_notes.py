"""Notes on their own: reading a note file and the checks on its fields."""

from __future__ import annotations

import pytest

from glossator.notes import _not_public


@pytest.mark.parametrize("url", [
    "https://staging.libe.io/planete/2013/10/21/espionnage",
    "https://preview.example.org/story",
    "http://www.dev.example.com/page",
    "http://localhost:8000/notes/",
    "http://app.localhost/",
    "http://127.0.0.1/page",
    "http://10.0.0.5:8080/",
    "http://[::1]/",
])
def test_addresses_readers_cannot_reach_are_refused(url):
    assert _not_public(url)


@pytest.mark.parametrize("url", [
    "https://www.liberation.fr/planete/2013/10/21/espionnage",
    "https://dev.to/someone/a-post",
    "https://developer.mozilla.org/en-US/",
    "https://en.wikipedia.org/wiki/Laurent_Fabius",
    "https://www.previewsworld.com/",
    "http://example.org",
])
def test_public_addresses_pass(url):
    assert _not_public(url) == ""


def test_a_note_date_no_calendar_has_is_an_error_at_its_value(edition):
    from glossator.config import load_config
    from glossator.diagnostics import Report
    from glossator.notes import load_note

    path = edition / "annotations/harbour-pier/dated.md"
    path.write_text("---\ntype: context\nquote: Ana Ruiz\nauthor: A\ndate: 2024-13-45\n---\nText.\n", encoding="utf-8")
    report = Report()
    assert load_note(path, "annotations/harbour-pier/dated.md", "harbour-pier", load_config(edition), report) is None
    assert [(d.line, d.col, d.message) for d in report.diagnostics] == [
        (5, 7, "field 'date' is not a real date: '2024-13-45'")]
