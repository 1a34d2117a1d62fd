"""The built pages in a real browser: Debian's Chromium driven by Playwright, served by a real
HTTP server on 127.0.0.1, with JavaScript off (notes must be readable without it)."""

from __future__ import annotations

import pytest

from conftest import ARTIFACTS, REPO


@pytest.fixture
def page_without_js(browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    yield page
    context.close()


def article_url(base: str) -> str:
    slug = next((REPO / "content").glob("*.md")).stem
    return f"{base}/{slug}/"


def test_every_note_is_visible_and_readable_without_javascript(demo_site, page_without_js):
    page = page_without_js
    page.goto(article_url(demo_site))
    notes = page.locator("aside.note")
    count = notes.count()
    assert count >= 1
    for index in range(count):
        note = notes.nth(index)
        note.scroll_into_view_if_needed()
        assert note.is_visible()
        assert len(note.inner_text().split()) >= 5
    marked = {mark.get_attribute("data-note") for mark in page.locator("mark[data-note]").all()}
    ids = {notes.nth(i).get_attribute("id").removeprefix("note-") for i in range(count)}
    assert marked == ids, "every note has a highlighted passage and every highlight a note"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "article-1280-nojs.png"), full_page=True)


def test_note_reference_leads_to_the_note_by_keyboard(demo_site, page_without_js):
    page = page_without_js
    page.goto(article_url(demo_site))
    first_ref = page.locator("a[role=doc-noteref]").first
    target = first_ref.get_attribute("href")
    first_ref.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{target}")
    note = page.locator(target)
    assert note.is_visible()
    box = note.bounding_box()
    assert -1 <= box["y"] < 800, "the note is scrolled into view"


def test_errata_and_notes_pages_link_into_the_article(demo_site, page_without_js):
    page = page_without_js
    page.goto(f"{demo_site}/errata/")
    link = page.locator(".note-entry a").first
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url(f"**{href}")
    assert page.locator(href[href.index("#"):]).is_visible()
