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
