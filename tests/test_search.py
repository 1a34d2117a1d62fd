"""Search in a real browser, under a subpath: a word found only in a note leads to that note."""

from __future__ import annotations

from conftest import ARTIFACTS


def test_a_word_only_in_a_note_finds_the_note_under_the_subpath(browser, demo_under_subpath):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(demo_under_subpath + "search/")
    page.locator(".pagefind-ui__search-input").fill("Booz")
    result = page.locator(".pagefind-ui__result-link").first
    result.wait_for(timeout=10_000)
    href = result.get_attribute("href")
    assert href == "/glossator-demo/nsa-france-phone-calls/#note-snowden"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search-1280.png"))
    result.click()
    page.wait_for_url("**/glossator-demo/nsa-france-phone-calls/#note-snowden")
    assert page.locator("#note-snowden").is_visible()
    context.close()


def test_without_javascript_the_search_page_says_so_and_links_to_the_notes(browser, demo_under_subpath):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_under_subpath + "search/")
    assert "Search needs JavaScript" in page.locator("main").inner_text()
    assert page.locator("main a", has_text="notes page").get_attribute("href") == "/glossator-demo/notes/"
    context.close()
