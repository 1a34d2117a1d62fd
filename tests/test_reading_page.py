"""The reading page in Chromium: popover notes on phones, with and without JavaScript, by
keyboard, in print, and through axe-core's WCAG 2.1 AA rules. Each check runs on the demo
edition and on the small test edition's article. The margin notes at real density have their
own file, test_reading_layout.py."""

from __future__ import annotations

import pytest

from conftest import ARTIFACTS, REPO

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WIDE = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
ARTICLES = {"demo": "nsa-france-phone-calls", "fixture": "harbour-pier"}


@pytest.fixture(params=["demo", "fixture"])
def article(request, demo_site, fixture_site) -> tuple[str, str]:
    """(name, address of the article page) for each edition."""
    base = demo_site if request.param == "demo" else fixture_site
    return request.param, f"{base}/{ARTICLES[request.param]}/"


def open_page(browser, address: str, viewport: dict, javascript: bool = True, **options):
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript, **options)
    page = context.new_page()
    page.goto(address)
    return context, page


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_phone_notes_open_by_click_and_close_by_escape(browser, article, javascript):
    name, address = article
    context, page = open_page(browser, address, PHONE, javascript)
    notes = page.locator("aside.note")
    assert all(not notes.nth(i).is_visible() for i in range(notes.count())), "notes start hidden"
    toggle = page.locator("button.note-toggle").nth(1)
    note = page.locator("#" + toggle.get_attribute("popovertarget"))
    toggle.click()
    assert note.is_visible()
    paragraph = toggle.locator("xpath=..").bounding_box()
    note_box = note.bounding_box()
    assert 0 <= note_box["y"] - (paragraph["y"] + paragraph["height"]) <= 24, "the note opens right under its paragraph"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-article-375-open{'' if javascript else '-nojs'}.png"))
    page.keyboard.press("Escape")
    assert not note.is_visible()
    toggle.click()
    toggle.click()
    assert not note.is_visible(), "the marker closes its note"
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_phone_notes_work_by_keyboard_alone(browser, article, javascript):
    _, address = article
    context, page = open_page(browser, address, PHONE, javascript)
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('button.note-toggle')"):
            break
    toggle_id = page.evaluate("() => document.activeElement.id")
    assert toggle_id.startswith("toggle-"), "Tab reaches a note marker"
    note_id = "note-" + toggle_id.removeprefix("toggle-")
    page.keyboard.press("Enter")
    assert page.locator(f"#{note_id}").is_visible()
    if javascript:
        assert page.evaluate("() => document.activeElement.id") == note_id, "focus moves into the note"
    else:
        page.keyboard.press("Tab")
        assert page.evaluate(f"() => document.getElementById('{note_id}').contains(document.activeElement)")
    page.keyboard.press("Escape")
    assert not page.locator(f"#{note_id}").is_visible()
    assert page.evaluate("() => document.activeElement.id") == toggle_id, "focus returns to the marker"
    page.keyboard.press("Space")
    assert page.locator(f"#{note_id}").is_visible(), "Space opens a note too"
    context.close()


def test_every_note_is_printed_with_its_number(browser, article):
    _, address = article
    context, page = open_page(browser, address, {"width": 800, "height": 1000})
    page.emulate_media(media="print")
    notes = page.locator("aside.note")
    for index in range(notes.count()):
        note = notes.nth(index)
        assert note.is_visible()
        number = note.locator(".note-number").inner_text()
        assert number.isdigit() and page.locator(f"a.noteref:text-is('{number}')").count() <= 1
    for chrome in ("button.note-toggle", ".site-header nav", ".reader-controls"):
        assert not page.locator(chrome).first.is_visible(), chrome
    context.close()


def test_readers_can_hide_highlights_and_the_choice_is_remembered(browser, demo_site):
    address = f"{demo_site}/{ARTICLES['demo']}/"
    context, page = open_page(browser, address, WIDE)
    mark = page.locator("mark.anchor").first
    shown = mark.evaluate("m => getComputedStyle(m).backgroundColor")
    page.locator("#show-highlights").uncheck()
    hidden = mark.evaluate("m => getComputedStyle(m).backgroundColor")
    assert shown != hidden and hidden in ("rgba(0, 0, 0, 0)", "transparent")
    page.reload()
    assert not page.locator("#show-highlights").is_checked(), "remembered when scripts run"
    page.locator("#show-highlights").check()
    context.close()


def test_passage_and_note_light_up_together(browser, demo_site):
    address = f"{demo_site}/{ARTICLES['demo']}/"
    context, page = open_page(browser, address, WIDE, javascript=False)
    note = page.locator("aside.note").nth(3)
    note_id = note.get_attribute("id").removeprefix("note-")
    mark = page.locator(f'mark[data-note="{note_id}"]').first
    before = mark.evaluate("m => getComputedStyle(m).backgroundColor")
    note.hover()
    assert mark.evaluate("m => getComputedStyle(m).backgroundColor") != before
    page.mouse.move(0, 0)
    mark.hover()
    assert note.evaluate("n => getComputedStyle(n).outlineStyle") == "solid"
    context.close()


PAGES = ["", "nsa-france-phone-calls/", "notes/", "errata/"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES, ids=["index", "article", "notes", "errata"])
def test_axe_finds_no_wcag_21_aa_violation(browser, demo_site, path, scheme):
    context, page = open_page(browser, f"{demo_site}/{path}", WIDE, color_scheme=scheme, bypass_csp=True)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
    violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert violations == []
    for width, viewport in (("1280", WIDE), ("375", PHONE)):
        page.set_viewport_size(viewport)
        name = (path.strip("/") or "index").replace("/", "-")
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}-{scheme}.png"), full_page=True)
    context.close()


@pytest.mark.parametrize("viewport", [WIDE, {"width": 1024, "height": 800}], ids=["1280", "1024"])
def test_text_measure_is_60_to_75_characters(browser, demo_site, viewport):
    address = f"{demo_site}/{ARTICLES['demo']}/"
    context, page = open_page(browser, address, viewport)
    characters_per_line = page.evaluate("""() => {
        const paragraph = document.querySelector('.article-body > p');
        const probe = document.createElement('span');
        probe.textContent = paragraph.textContent.slice(0, 200);
        probe.style.whiteSpace = 'nowrap';
        paragraph.appendChild(probe);
        const perCharacter = probe.getBoundingClientRect().width / probe.textContent.length;
        probe.remove();
        return paragraph.getBoundingClientRect().width / perCharacter;
    }""")
    assert 60 <= characters_per_line <= 75, characters_per_line
    context.close()
