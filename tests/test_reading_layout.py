"""The reading page at real density, in Chromium: every note beside its passage on the demo and on a
generated dense article (40 paragraphs, 3 notes each), with and without JavaScript; compact notes
that open in place; the type filter from the address and from the controls; print.

Figures (see tests/layout.py for how drift is measured): with JavaScript, median drift at most
24 px and maximum 160 px (120 px at 1600 px); without it, maximum 320 px; in print, every note
whole and beside or right under its block; a page at most 1.15 times as tall as the same article
without notes; no two notes overlapping in any state."""

from __future__ import annotations

import shutil

import pytest

from conftest import ARTIFACTS, REPO, serve_built
from layout import measure, stress_edition

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {"1024": {"width": 1024, "height": 800}, "1280": {"width": 1280, "height": 800},
             "1600": {"width": 1600, "height": 1000}}
PHONE = {"width": 390, "height": 844}
A4 = {"width": 794, "height": 1123}
MAX_DRIFT = {"1024": 160, "1280": 160, "1600": 120}
DEMO = "nsa-france-phone-calls"


def _without_notes(root, target):
    """A copy of an edition with its notes removed, to measure the page's height without them."""
    shutil.copytree(root, target, ignore=shutil.ignore_patterns("_site", ".glossator-cache"))
    shutil.rmtree(target / "annotations")
    (target / "annotations").mkdir()
    return target


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    """The demo, a dense generated article (3 notes a paragraph) and a crowded one (6 notes a
    paragraph), each built with and without its notes and served.
    Yields {name: (address of the article, address of the same article without notes)}."""
    servers, found = [], {}
    base = tmp_path_factory.mktemp("density")
    demo = base / "demo"
    demo.mkdir()
    for name in ("site.yaml", "content", "annotations", "themes"):
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, demo / name)
    dense, crowded = base / "dense", base / "crowded"
    slug = stress_edition(dense)
    stress_edition(crowded, paragraphs=12, notes_per_paragraph=6)
    for root in (dense, crowded):
        shutil.copytree(REPO / "themes", root / "themes")
    for name, root, article in (("demo", demo, DEMO), ("dense", dense, slug), ("crowded", crowded, slug)):
        addresses = []
        for folder in (root, _without_notes(root, base / f"{name}-bare")):
            server, address = serve_built(folder)
            servers.append(server)
            addresses.append(f"{address}/{article}/")
        found[name] = tuple(addresses)
    yield found
    for server in servers:
        server.shutdown()
        server.server_close()


def open_page(browser, address: str, viewport: dict, javascript: bool = True, **options):
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript, **options)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    page.goto(address)
    page.errors = errors
    return context, page


def text_column(page) -> dict:
    return page.evaluate("""() => document.querySelector('.article-body .annotated > p, .article-body > p')
                                 .getBoundingClientRect().toJSON()""")


def assert_no_overlap(layout, column=None):
    assert layout.overlaps() == [], "notes overlap"
    for note in layout.notes:
        if column and not note["inText"]:
            apart = note["right"] <= column["left"] or note["left"] >= column["right"]
            assert apart, f"note {note['id']} covers the text"


@pytest.mark.parametrize("edition", ["demo", "dense"])
@pytest.mark.parametrize("width", VIEWPORTS)
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_every_note_stands_beside_its_passage(browser, editions, edition, width, javascript):
    address, bare = editions[edition]
    context, page = open_page(browser, bare, VIEWPORTS[width], javascript)
    height_without_notes = page.evaluate("document.documentElement.scrollHeight")
    page.goto(address)
    layout = measure(page)
    assert len(layout.notes) == page.locator("aside.note").count() > 0, "every note is shown"
    assert_no_overlap(layout, text_column(page))
    assert layout.in_text_too_far() == [], "a note in the text stands right under its block"
    if javascript:
        assert layout.median_drift <= 24, layout.summary()
        assert layout.max_drift <= MAX_DRIFT[width], layout.summary()
    else:
        assert layout.max_drift <= 320, layout.summary()
    assert layout.height <= 1.15 * height_without_notes, f"{layout.height} against {height_without_notes} without notes"
    assert page.errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{edition}-{width}-{'js' if javascript else 'nojs'}.png"), full_page=True)
    context.close()


def test_notes_that_cannot_stand_near_their_passage_are_shown_under_its_paragraph(browser, editions):
    """Six notes on every paragraph are more than one margin can hold at 1024 px."""
    context, page = open_page(browser, editions["crowded"][0], VIEWPORTS["1024"])
    layout = measure(page)
    in_text = [note for note in layout.notes if note["inText"]]
    assert 0 < len(in_text) < len(layout.notes) / 2, layout.summary()
    assert layout.in_text_too_far() == [], "each stands right under its paragraph"
    assert layout.median_drift <= 24 and layout.max_drift <= 160, layout.summary()
    assert_no_overlap(layout, text_column(page))
    context.close()


@pytest.mark.parametrize("edition", ["demo", "dense"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_compact_note_shows_its_number_type_and_first_words(browser, editions, edition, javascript):
    context, page = open_page(browser, editions[edition][0], VIEWPORTS["1280"], javascript)
    cut = [note for note in measure(page).notes if not is_whole(note)]
    assert cut, "some notes are compact"
    for note in cut:
        aside = page.locator(f"#note-{note['id']}")
        head = [aside.locator(part).text_content() for part in (".note-number", ".symbol", ".note-type")]
        words, shown = note["text"].split(), note["visibleText"].split()
        assert words[:3] == head, "a note's words start with its number, symbol and type"
        assert shown[:6] == words[:6], f"{note['id']} shows {shown}: its head and first words"
        assert note["bottom"] - note["top"] <= 64, "a compact note has a small, fixed height"
    context.close()


def crowded_note(page) -> str:
    """A compact note in the middle of the page, with neighbours."""
    layout = measure(page)
    cut = [n for n in layout.notes if not is_whole(n) and not n["inText"]]
    return cut[len(cut) // 2]["id"]


def note_state(page, note_id: str) -> dict:
    return next(n for n in measure(page).notes if n["id"] == note_id)


def is_whole(note: dict) -> bool:
    return note["visibleText"] == note["text"]


@pytest.mark.parametrize("edition", ["demo", "dense"])
@pytest.mark.parametrize("width", ["1280", "1600"])
def test_a_note_opens_in_place_and_its_neighbours_come_back_when_it_closes(browser, editions, edition, width):
    context, page = open_page(browser, editions[edition][0], VIEWPORTS[width])
    note_id = crowded_note(page)
    # The passage near the top of the window: the note has room to open without scrolling.
    page.evaluate(f"window.scrollTo(0, {note_state(page, note_id)['passage']} - 100)")
    before = {n["id"]: n["top"] for n in measure(page).notes}
    scroll = page.evaluate("scrollY")
    page.locator(f"#note-{note_id} .note-type").click()
    opened = note_state(page, note_id)
    assert is_whole(opened), "an opened note is shown whole"
    assert abs(opened["top"] - opened["passage"]) <= 2, "level with its passage"
    assert_no_overlap(measure(page))
    assert page.evaluate("scrollY") == scroll, "the window does not scroll when it need not"
    page.locator(f"#note-{note_id} .note-type").click()
    assert not is_whole(note_state(page, note_id)), "a second click closes it"
    assert {n["id"]: n["top"] for n in measure(page).notes} == before, "every note is back where it was"
    context.close()


@pytest.mark.parametrize("edition", ["demo", "dense"])
def test_notes_open_and_close_by_keyboard_with_focus_kept(browser, editions, edition):
    context, page = open_page(browser, editions[edition][0], VIEWPORTS["1280"])
    note_id = crowded_note(page)
    before = {n["id"]: n["top"] for n in measure(page).notes}
    page.focus(f"#ref-{note_id}")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == f"note-{note_id}", "focus moves into the note"
    assert is_whole(note_state(page, note_id))
    assert_no_overlap(measure(page))
    page.keyboard.press("Space")
    assert not is_whole(note_state(page, note_id)), "Space on the note closes it"
    assert page.evaluate("document.activeElement.id") == f"note-{note_id}", "and focus stays on it"
    page.keyboard.press("Enter")
    assert is_whole(note_state(page, note_id)), "Enter on the note opens it"
    page.keyboard.press("Escape")
    assert not is_whole(note_state(page, note_id))
    assert page.evaluate("document.activeElement.id") == f"ref-{note_id}", "Escape returns focus to the marker"
    assert {n["id"]: n["top"] for n in measure(page).notes} == before
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('aside.note')?.id")
    assert focused == f"note-{note_id}", "Tab moves through the open note's links"
    context.close()


def test_without_javascript_a_compact_note_opens_on_click_and_on_focus(browser, editions):
    context, page = open_page(browser, editions["dense"][0], VIEWPORTS["1280"], javascript=False)
    note_id = crowded_note(page)
    page.locator(f"#note-{note_id} .note-type").click()
    assert is_whole(note_state(page, note_id))
    assert_no_overlap(measure(page), text_column(page))
    page.mouse.click(5, 5)
    assert not is_whole(note_state(page, note_id))
    page.focus(f"#note-{note_id} .note-number")
    assert is_whole(note_state(page, note_id)), "a link inside it taking focus opens it"
    assert_no_overlap(measure(page), text_column(page))
    context.close()


@pytest.mark.parametrize("width", ["1024", "1280", "1600", "390"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_permalink_opens_its_note_whole_beside_its_passage(browser, editions, width, javascript):
    address = editions["dense"][0]
    viewport = VIEWPORTS.get(width, PHONE)
    context, page = open_page(browser, address, VIEWPORTS["1280"])
    note_id = crowded_note(page)
    context.close()
    context, page = open_page(browser, f"{address}#note-{note_id}", viewport, javascript)
    if width == "390":  # a popover with a script, the :target rule without
        assert page.locator(f"#note-{note_id}").is_visible()
        context.close()
        return
    note = note_state(page, note_id)
    assert is_whole(note)
    if javascript:
        assert abs(note["top"] - note["passage"]) <= 2
    top = page.evaluate(f"document.getElementById('note-{note_id}').getBoundingClientRect().top")
    assert -1 <= top < viewport["height"], "the note is in view"
    assert_no_overlap(measure(page), text_column(page))
    context.close()


NOTE_TYPE = "const noteType = note => [...note.classList].find(c => c.startsWith('note-')).slice(5);"


def shown_types(page) -> set[str]:
    return set(page.evaluate("""() => { """ + NOTE_TYPE + """ return [...document.querySelectorAll('aside.note')]
        .filter(n => n.getClientRects().length).map(noteType); }"""))


def demo_type_counts(page) -> dict[str, int]:
    return page.evaluate("""() => {
        """ + NOTE_TYPE + """
        const counts = {};
        for (const n of document.querySelectorAll('aside.note')) {
            const type = noteType(n);
            counts[type] = (counts[type] || 0) + 1;
        }
        return counts;
    }""")


@pytest.mark.parametrize("width", ["1280", "390"])
def test_the_type_filter_comes_from_the_address_and_survives_a_reload(browser, editions, width):
    address = editions["demo"][0]
    viewport = VIEWPORTS.get(width, PHONE)
    context, page = open_page(browser, address + "?types=question", viewport)
    counts = demo_type_counts(page)
    assert page.locator(".shown-count").inner_text() == f"{counts['question']} of {sum(counts.values())} notes"
    assert page.locator("#show-type-question").is_checked()
    assert not page.locator("#show-type-correction").is_checked()
    visible_markers = page.locator("a.noteref:visible, button.note-toggle:visible")
    assert visible_markers.count() == counts["question"], "only the questions' markers are shown"
    if width == "1280":
        layout = measure(page)
        assert shown_types(page) == {"question"}
        assert_no_overlap(layout, text_column(page))
        assert layout.median_drift <= 24 and layout.max_drift <= 160, layout.summary()
    page.reload()
    assert page.locator(".shown-count").inner_text().startswith(f"{counts['question']} of")
    context.close()


def test_the_type_filter_works_by_keyboard_and_writes_the_address(browser, editions):
    address = editions["demo"][0]
    context, page = open_page(browser, address, VIEWPORTS["1280"])
    counts = demo_type_counts(page)
    page.focus("#show-type-context")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.id") == "show-type-definition"
    assert page.url.endswith("?types=correction,source,question")
    shown = sum(counts.values()) - counts["context"] - counts["definition"]
    assert page.locator(".shown-count").inner_text() == f"{shown} of {sum(counts.values())} notes"
    assert shown_types(page) == {"correction", "source", "question"}
    assert_no_overlap(measure(page), text_column(page))
    page.reload()
    assert shown_types(page) == {"correction", "source", "question"}, "the choice survives a reload"
    for box in ("context", "definition"):
        page.check(f"#show-type-{box}")
    assert page.url == address, "showing every type again leaves a plain address"
    context.close()


def test_the_type_filter_works_without_javascript(browser, editions):
    context, page = open_page(browser, editions["demo"][0], VIEWPORTS["1280"], javascript=False)
    page.uncheck("#show-type-context")
    assert "context" not in shown_types(page) and "correction" in shown_types(page)
    assert_no_overlap(measure(page), text_column(page))
    context.close()


@pytest.mark.parametrize("edition", ["demo", "dense"])
def test_print_shows_every_note_whole_beside_its_block_even_with_one_left_open(browser, editions, edition):
    context, page = open_page(browser, editions[edition][0], VIEWPORTS["1280"])
    note_id = crowded_note(page)
    page.locator(f"#note-{note_id} .note-type").click()
    page.set_viewport_size(A4)
    page.emulate_media(media="print")
    layout = measure(page)
    assert len(layout.notes) == page.locator("aside.note").count()
    assert all(is_whole(note) for note in layout.notes), "every note is printed whole"
    assert layout.in_text_too_far() == [] and layout.max_drift <= 480, layout.summary()
    assert_no_overlap(layout)
    title = page.locator("h1").bounding_box()
    assert all(note["top"] >= title["y"] + title["height"] for note in layout.notes), "nothing covers the title"
    context.close()


def open_popover(page, index: int) -> str:
    """Open the popover of the index-th marker on a narrow screen; returns the note's element id."""
    toggle = page.locator("button.note-toggle").nth(index)
    note_id = toggle.get_attribute("popovertarget")
    toggle.click()
    assert page.locator(f"#{note_id}").is_visible()
    return note_id


def test_print_closes_a_popover_left_open_on_a_phone(browser, editions):
    context, page = open_page(browser, editions["demo"][0], PHONE)
    note_id = open_popover(page, 3)
    page.emulate_media(media="print")
    page.wait_for_function(f"!document.getElementById('{note_id}').matches(':popover-open')", timeout=2000)
    layout = measure(page)
    assert layout.in_text_too_far() == [] and layout.overlaps() == []
    context.close()


def test_a_printed_worksheet_keeps_only_the_chosen_types_numbered_as_on_screen(browser, editions):
    context, page = open_page(browser, editions["demo"][0] + "?types=question", VIEWPORTS["1280"])
    on_screen = page.evaluate("""() => [...document.querySelectorAll('aside.note')].filter(n => n.getClientRects().length)
                                       .map(n => n.querySelector('.note-number').textContent)""")
    page.emulate_media(media="print")
    layout = measure(page)
    assert shown_types(page) == {"question"}
    printed = [page.locator(f"#note-{n['id']} .note-number").text_content() for n in layout.notes]
    assert printed == on_screen and len(printed) == demo_type_counts(page)["question"]
    assert all(is_whole(note) for note in layout.notes) and layout.in_text_too_far() == []
    context.close()


@pytest.mark.parametrize("state", ["compact", "open", "filtered", "phone-open"])
def test_axe_finds_no_violation_in_each_state(browser, editions, state):
    address = editions["demo"][0] + ("?types=question,correction" if state == "filtered" else "")
    viewport = PHONE if state == "phone-open" else VIEWPORTS["1280"]
    context, page = open_page(browser, address, viewport, bypass_csp=True)
    if state == "open":
        page.locator(f"#note-{crowded_note(page)} .note-type").click()
    if state == "phone-open":
        page.locator("button.note-toggle").nth(5).click()
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
    violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert violations == []
    context.close()


def test_nothing_moves_after_the_placement_pass(browser, editions):
    context, page = open_page(browser, editions["dense"][0], VIEWPORTS["1280"])
    page.wait_for_load_state("load")
    first = measure(page).notes
    page.wait_for_timeout(500)
    assert measure(page).notes == first
    context.close()



def test_a_permalink_to_a_note_of_a_hidden_type_shows_that_type_again(browser, editions):
    context, page = open_page(browser, editions["demo"][0] + "?types=question#note-expresed", VIEWPORTS["1280"])
    assert page.locator("#show-type-correction").is_checked()
    assert "correction" in page.url.split("?types=")[1].split("#")[0].split(",")
    note = note_state(page, "expresed")
    assert is_whole(note) and abs(note["top"] - note["passage"]) <= 2
    page.keyboard.press("Escape")
    # Closed; it may still be shown whole where it has room, so ask the page whether it is open.
    assert not page.evaluate("document.getElementById('note-expresed').classList.contains('open')"), \
        "Escape closes a note opened by its permalink"
    context.close()


def test_hiding_the_type_of_an_open_note_and_showing_it_again_leaves_it_closed(browser, editions):
    context, page = open_page(browser, editions["dense"][0], VIEWPORTS["1280"])
    note_id = crowded_note(page)
    page.locator(f"#note-{note_id} .note-type").click()
    note_type = page.evaluate(f"[...document.getElementById('note-{note_id}').classList]"
                              ".find(c => c.startsWith('note-') && c !== 'note')").removeprefix("note-")
    page.uncheck(f"#show-type-{note_type}")
    assert note_type not in shown_types(page)
    assert_no_overlap(measure(page), text_column(page))
    page.check(f"#show-type-{note_type}")
    assert not is_whole(note_state(page, note_id))
    assert_no_overlap(measure(page), text_column(page))
    context.close()


def test_resizing_keeps_notes_apart_and_closes_a_phone_popover(browser, editions):
    context, page = open_page(browser, editions["dense"][0], PHONE)
    note_id = open_popover(page, 4)
    page.set_viewport_size(VIEWPORTS["1280"])
    page.wait_for_function(f"!document.getElementById('{note_id}').matches(':popover-open')", timeout=2000)
    opened = crowded_note(page)
    page.locator(f"#note-{opened} .note-type").click()
    for width in ("1024", "1600", "1280"):
        page.set_viewport_size(VIEWPORTS[width])
        page.wait_for_timeout(100)  # the placement runs on the next frame after a resize
        layout = measure(page)
        assert_no_overlap(layout, text_column(page))
        state = next(n for n in layout.notes if n["id"] == opened)
        assert is_whole(state) and abs(state["top"] - state["passage"]) <= 2, width
    context.close()


def test_a_note_opened_by_tabbing_into_it_closes_when_focus_leaves(browser, editions):
    context, page = open_page(browser, editions["dense"][0], VIEWPORTS["1280"])
    note_id = crowded_note(page)
    page.focus(f"#ref-{note_id}")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.getElementById('note-{note_id}').contains(document.activeElement)"):
            break
    assert is_whole(note_state(page, note_id)), "focus inside a compact note opens it"
    for _ in range(20):
        page.keyboard.press("Tab")
        if not page.evaluate(f"document.getElementById('note-{note_id}').contains(document.activeElement)"):
            break
    assert not is_whole(note_state(page, note_id))
    assert_no_overlap(measure(page), text_column(page))
    context.close()


def test_a_fragment_that_names_no_note_leaves_the_page_working(browser, editions):
    context, page = open_page(browser, editions["dense"][0] + "#100%", VIEWPORTS["1280"])
    assert page.errors == []
    note_id = crowded_note(page)
    page.locator(f"#note-{note_id} .note-type").click()
    assert is_whole(note_state(page, note_id))
    context.close()
