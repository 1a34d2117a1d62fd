"""Propose a note from the page: a passage selected in a real browser becomes a note file that
`build.py check` anchors where the reader pointed; what cannot be a quote is explained; each
note links to its file in GitHub's editor and to a new issue about it."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from conftest import FIXTURES, REPO, _copy_demo, copy_edition, run_main, serve_built
from glossator.stages import load_site

# Selects the n-th occurrence of `text` among the visible text of the elements matching
# `selector` (the markers of existing notes are skipped, as a reader's eye skips them, and so
# are the notes unless the selector is inside one), then releases the mouse as a reader would.
SELECT = """([selector, text, nth, release = true]) => {
  const nodes = [];
  for (const element of document.querySelectorAll(selector)) {
    const inNote = element.closest(".block-notes");
    const skip = inNote ? ".noteref, .note-toggle" : ".noteref, .note-toggle, .block-notes";
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      if (!walker.currentNode.parentElement.closest(skip)) nodes.push(walker.currentNode);
    }
  }
  const whole = nodes.map((n) => n.data).join("");
  let at = -1;
  for (let i = 0; i <= nth; i++) at = whole.indexOf(text, at + 1);
  if (at < 0) throw new Error("not on the page: " + text);
  const place = (offset, isEnd) => {
    let seen = 0;
    for (const node of nodes) {
      if (offset < seen + node.data.length || (isEnd && offset === seen + node.data.length)) {
        return [node, offset - seen];
      }
      seen += node.data.length;
    }
  };
  const range = document.createRange();
  range.setStart(...place(at, false));
  range.setEnd(...place(at + text.length, true));
  const selection = document.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  if (release) document.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
}"""

# From a passage in one element to a passage in another, as a drag across paragraphs selects.
SELECT_ACROSS = """([first, second]) => {
  const textNode = (text) => {
    const walker = document.createTreeWalker(document.querySelector(".article-body"), NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const at = walker.currentNode.data.indexOf(text);
      if (at >= 0 && !walker.currentNode.parentElement.closest("aside")) return [walker.currentNode, at];
    }
  };
  const [startNode, startAt] = textNode(first);
  const [endNode, endAt] = textNode(second);
  const range = document.createRange();
  range.setStart(startNode, startAt);
  range.setEnd(endNode, endAt + second.length);
  document.getSelection().removeAllRanges();
  document.getSelection().addRange(range);
  document.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
}"""


def article_open(browser, root: Path, slug: str):
    """The edition at `root` built and served, and its article open in a new page; yields
    (page, root), the edition also being where proposed notes are checked."""
    server, address = serve_built(root)
    page = browser.new_page()
    page.goto(f"{address}/{slug}/")
    yield page, root
    page.close()
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def fixture_page(browser, tmp_path_factory):
    """The test edition, its article open, with a last paragraph of characters Markdown reads."""
    root = copy_edition(FIXTURES / "valid", tmp_path_factory.mktemp("propose") / "edition")
    article = root / "content" / "harbour-pier.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nShares of AT&T fell &amp; the S&P 500 rose, "
                       "while 3 < 4 and a <b> tag stayed text.\n", encoding="utf-8")
    yield from article_open(browser, root, "harbour-pier")


def proposal(page, selector: str, text: str, nth: int = 0, note_type: str = "") -> tuple[str, str] | str:
    """Select the passage; return (file name, file text) from the control's link, or its message."""
    page.evaluate(SELECT, [selector, text, nth])
    return control_result(page, note_type)


def control_result(page, note_type: str = "") -> tuple[str, str] | str:
    control = page.locator("#propose-here")
    control.wait_for(state="visible")
    if note_type:
        control.locator("select").select_option(note_type)
    link = control.locator("a")
    if link.is_hidden():
        return control.locator(".propose-message").inner_text()
    query = parse_qs(urlsplit(link.get_attribute("href")).query)
    return query["filename"][0], query["value"][0]


def checked_anchor(root: Path, capsys, filename: str, text: str, slug: str = "harbour-pier") -> tuple[str, int]:
    """Write the proposed file (with the author a contributor fills in), check the edition,
    and return the anchored passage and its block; the file is removed afterwards."""
    target = root / "annotations" / slug / filename
    assert not target.exists(), "the id of a new note is never one that exists"
    target.write_text(text.replace("\nauthor:\n", "\nauthor: A reader\n"), encoding="utf-8")
    try:
        result = run_main("check", root=root, capsys=capsys)
        assert result.code == 0 and " error" not in result.stderr, result.stderr
        site, _ = load_site(root)
        (article,) = [item for item in site.articles if item.article.slug == slug]
        (anchor,) = [a for a in article.anchors if a.note.id == target.stem]
        return anchor.block.text[anchor.start:anchor.end], article.text.blocks.index(anchor.block)
    finally:
        target.unlink()


@pytest.mark.parametrize("selector, text, nth, passage", [
    (".article-body", "engineers found cracks", 0, "engineers found cracks"),  # beside an existing note
    (".article-body", "debate that has run for three", 0, "debate that has run for three"),  # into emphasis
    (".article-body", "ignored the harbour survey published", 0, "ignored the harbour survey published"),  # a link
    (".article-body", "The ferry company", 1, "The ferry company"),  # the second of two
    (".article-body", "The ferry company", 0, "The ferry company"),
    (".article-body", "ferry pier in winter", 0, "ferry pier in winter"),  # a caption
    ("#article-title", "rebuild the old ferry", 0, "rebuild the old ferry"),  # the headline
    (".article ul.highlights", "seven votes to four", 0, "seven votes to four"),  # a highlight
    (".article-body", "fair price for a pier", 0, "fair price for a pier"),
    (".article-body", "treasurer said — and the vote", 0, "treasurer said — and the vote"),  # a dash
    (".article-body", "erry compan", 1, "ferry company"),  # widened to whole words
    (".article-body", "Shares of AT&T fell & the S&P 500", 0, "Shares of AT&T fell & the S&P 500"),
])
def test_a_selected_passage_becomes_a_note_the_build_anchors_there(fixture_page, capsys, selector, text, nth,
                                                                    passage):
    page, root = fixture_page
    made = proposal(page, selector, text, nth)
    assert isinstance(made, tuple), made
    filename, file_text = made
    anchored, block = checked_anchor(root, capsys, filename, file_text)
    assert anchored.replace("\n", " ") == passage
    expected_block = page.evaluate(SELECTED_BLOCK)
    assert block == expected_block


@pytest.fixture(scope="module")
def demo_page(browser, tmp_path_factory):
    """The demo edition built and served, its article open."""
    yield from article_open(browser, _copy_demo(tmp_path_factory.mktemp("propose-demo")), "nsa-france-phone-calls")


@pytest.mark.parametrize("selector, text, nth", [
    (".article-body", "Le Monde", 0), (".article-body", "Le Monde", 2), (".article-body", "Le Monde", 3),
    (".article ul.highlights", "Le Monde", 0),  # the same name in a highlight
    (".article-body", "expresed his", 0),  # the article's own typo, beside the note that corrects it
    (".article-body", "on October 31", 0),  # in the photo caption
    (".article ul.highlights", "70 million French phone calls", 0),
    ("#article-title", "massive scale", 0),
    (".article-body", "would would", 0),
    (".article-body", "Foreign Minister Laurent Fabius", 0),
])
def test_passages_of_the_demo_become_notes_the_build_anchors_there(demo_page, capsys, selector, text, nth):
    page, root = demo_page
    made = proposal(page, selector, text, nth)
    assert isinstance(made, tuple), made
    anchored, block = checked_anchor(root, capsys, *made, slug="nsa-france-phone-calls")
    assert anchored.replace("\n", " ") == text and block == page.evaluate(SELECTED_BLOCK)


# The index, among the page's blocks of article text, of the block holding the selection.
SELECTED_BLOCK = """() => {
  const roots = ["#article-title", ".article ul.highlights", ".article-body"].map((s) => document.querySelector(s));
  const tags = "p, h1, h2, h3, h4, h5, h6, li, figcaption, td, th, dt, dd, pre, caption, blockquote";
  const blocks = [];
  for (const root of roots) {
    for (const element of [root, ...root.querySelectorAll(tags)]) {
      if (element.matches(tags) && !element.closest(".block-notes, aside") && !element.querySelector(tags)) {
        blocks.push(element);
      }
    }
  }
  let node = document.getSelection().getRangeAt(0).startContainer;
  node = node.nodeType === 1 ? node : node.parentElement;
  return blocks.indexOf(node.closest(tags));
}"""


def test_the_chosen_type_and_the_selectors_are_written_as_the_note_scaffold_writes_them(fixture_page):
    page, _ = fixture_page
    filename, text = proposal(page, ".article-body", "The ferry company", 1, note_type="question")
    front = yaml.safe_load(text.split("---\n")[1])
    assert filename == "the-ferry-company.md"
    assert front["type"] == "question" and front["quote"] == "The ferry company"
    assert front["prefix"] == "is done." and "occurrence" not in front and front["author"] is None
    assert "# sources:" in text and "Write the note here" in text


def test_a_note_left_without_an_author_is_named_by_the_check(fixture_page, capsys):
    page, root = fixture_page
    filename, text = proposal(page, ".article-body", "fair price for a pier")
    (root / "annotations/harbour-pier" / filename).write_text(text, encoding="utf-8")
    try:
        result = run_main("check", root=root, capsys=capsys)
    finally:
        (root / "annotations/harbour-pier" / filename).unlink()
    line = text.split("\n").index("author:") + 1
    assert result.code == 1 and f"annotations/harbour-pier/{filename}:{line}:" in result.stderr
    assert "author" in result.stderr


@pytest.mark.parametrize("selector, text, message", [
    (".article-body aside", "The survey listed", "note's own text"),
    (".article-meta", "Mara Lindqvist", "Only the article's text"),
    (".highlights-box h2", "Story highlights", "Only the article's text"),
])
def test_what_cannot_be_a_quote_is_explained(fixture_page, selector, text, message):
    page, _ = fixture_page
    made = proposal(page, selector, text)
    assert isinstance(made, str) and message in made


def test_a_selection_across_two_paragraphs_is_explained(fixture_page):
    page, _ = fixture_page
    page.evaluate(SELECT_ACROSS, ["council leader Ana Ruiz", "Opponents said"])
    made = control_result(page)
    assert isinstance(made, str) and "within one paragraph" in made


def test_a_passage_typed_by_keyboard_gets_its_note_and_a_repeated_one_is_explained(fixture_page, capsys):
    page, root = fixture_page
    field = page.locator("#propose-passage")
    field.focus()
    page.keyboard.type("Opponents said the plan")
    link = page.locator("#propose a")
    assert link.is_visible()
    query = parse_qs(urlsplit(link.get_attribute("href")).query)
    assert checked_anchor(root, capsys, query["filename"][0], query["value"][0])[0] == "Opponents said the plan"
    field.fill("")
    page.keyboard.type("The ferry company")
    assert link.is_hidden() and "occurs 2 times" in page.locator("#propose .propose-message").inner_text()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "propose-type"


def test_the_control_follows_a_keyboard_selection_in_tab_order(fixture_page):
    page, _ = fixture_page
    page.evaluate(SELECT, [".article-body", "Opponents said", 0, False])
    page.keyboard.down("Shift")
    page.keyboard.up("Shift")
    control = page.locator("#propose-here")
    control.wait_for(state="visible")
    order = page.evaluate("""() => {
      const block = [...document.querySelectorAll('.article-body p')].find((p) => p.textContent.includes('Opponents'));
      const after = (block.closest('.annotated') || block).nextElementSibling;
      return after && after.id;
    }""")
    assert order == "propose-here"


def test_each_note_links_to_its_file_in_the_editor_and_to_a_new_issue(fixture_page):
    page, _ = fixture_page
    note = page.locator("#note-cracks")
    edit = note.get_by_role("link", name="Edit context 1", exact=False)
    assert edit.get_attribute("href") == \
        "https://github.com/example/edition/edit/main/annotations/harbour-pier/cracks.md"
    report = parse_qs(urlsplit(note.get_by_role("link", name="Report a problem", exact=False)
                               .get_attribute("href")).query)
    assert "/harbour-pier/#note-cracks" in report["body"][0] and "Context" in report["title"][0]


def test_the_branch_and_folder_come_from_site_yaml_and_a_mail_address_gets_mail_links(tmp_path, capsys):
    root = copy_edition(FIXTURES / "valid", tmp_path / "edition")
    site = root / "site.yaml"
    site.write_text(site.read_text() + "branch: trunk\nfolder: editions/harbour\n", encoding="utf-8")
    assert run_main("build", root=root, capsys=capsys).code == 0
    page = (root / "_site/harbour-pier/index.html").read_text(encoding="utf-8")
    assert "https://github.com/example/edition/edit/trunk/editions/harbour/annotations/harbour-pier/cracks.md" in page
    assert "github.com/example/edition/new/trunk/editions/harbour/annotations/harbour-pier" in page
    site.write_text(site.read_text().replace("https://github.com/example/edition", "mailto:notes@example.org"),
                    encoding="utf-8")
    assert run_main("build", root=root, capsys=capsys).code == 0
    page = (root / "_site/harbour-pier/index.html").read_text(encoding="utf-8")
    assert "mailto:notes@example.org?subject=" in page and "/edit/" not in page
    assert '"mail": true' in page


def test_the_page_and_the_build_share_one_normalization():
    from glossator.anchoring import EQUIVALENTS, normalize

    script = (REPO / "themes/default/static/propose.js").read_text(encoding="utf-8")
    assert "data.equivalents" in script and not any(ch in script for ch in EQUIVALENTS if ch.strip())
    assert normalize("a \u201cb\u201d -- c\u2026").text == 'a "b" \u2014 c...'



def test_a_triple_click_selects_one_paragraph_not_two(fixture_page):
    page, _ = fixture_page
    page.evaluate("""() => {
      const paragraphs = [...document.querySelectorAll('.article-body p')];
      const first = paragraphs.find((p) => p.textContent.startsWith('Opponents'));
      const next = paragraphs.find((p) => p.textContent.startsWith('The ferry company said it'));
      const range = document.createRange();
      range.setStart(first.firstChild, 0);
      range.setEnd(next.firstChild, 0);
      document.getSelection().removeAllRanges();
      document.getSelection().addRange(range);
      document.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
    }""")
    made = control_result(page)
    assert isinstance(made, tuple) and "quote: 'Opponents said the plan would cost too much." in made[1]


def test_the_control_goes_when_the_selection_does(fixture_page):
    page, _ = fixture_page
    proposal(page, ".article-body", "fair price for a pier")
    page.evaluate("() => { document.getSelection().removeAllRanges(); "
                  "document.dispatchEvent(new MouseEvent('mouseup', { bubbles: true })); }")
    page.locator("#propose-here").wait_for(state="hidden")
