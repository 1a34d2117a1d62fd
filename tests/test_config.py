"""config on its own: base URLs and the one helper every URL comes from."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossator.config import SiteConfig, normalize_base_url


@pytest.mark.parametrize("given, normal", [
    ("/", "/"), ("/repo", "/repo/"), ("/repo/", "/repo/"),
    ("https://example.github.io/repo", "https://example.github.io/repo/"),
    ("http://example.org", "http://example.org/"),
    ("repo/", None), ("/a/../b/", None), ("ftp://example.org/", None), ("/x?y=1", None), ("/a b/", None),
])
def test_base_urls_are_a_path_or_an_http_address_ending_in_a_slash(given, normal):
    assert normalize_base_url(given) == normal


def test_every_url_is_made_under_the_base_path_and_absolute_only_when_the_base_is():
    under_path = SiteConfig(Path("."), "T", "", "en", "/repo/", "default", "", ())
    assert under_path.url("a/") == "/repo/a/" and under_path.url() == "/repo/"
    assert under_path.absolute_url("a/") == "/repo/a/"
    absolute = SiteConfig(Path("."), "T", "", "en", "https://example.org/repo/", "default", "", ())
    assert absolute.url("a/") == "/repo/a/"
    assert absolute.absolute_url("/a/") == "https://example.org/repo/a/"
