"""Rendering on its own: where `mark_section` puts highlights, markers and notes."""

from __future__ import annotations

from glossator.rendering import Highlight, mark_section, split_section


def highlight(section, block: int, passage: str, note: str) -> Highlight:
    """A highlight of `passage` in the given block, with stand-ins for its marker and note."""
    text = section.blocks[block].text
    start = text.index(passage)
    return Highlight(section.blocks[block], start, start + len(passage), note, "anchor",
                     f"<sup>{note}</sup>", f'<aside id="{note}"></aside>')


def test_a_paragraphs_notes_follow_it_and_its_marker_follows_the_emphasis():
    section = split_section("<p>One <em>two three</em> four.</p>\n<p>Five.</p>", 2)
    html = mark_section(section, [highlight(section, 0, "three", "a")])
    assert html == ('<div class="annotated"><p>One <em>two <mark class="anchor" data-note="a">three</mark></em>'
                    '<sup>a</sup> four.</p>\n<div class="block-notes">\n<aside id="a"></aside>\n</div></div>\n'
                    "<p>Five.</p>")


def test_notes_of_one_block_stand_together_in_reading_order():
    section = split_section("<p>Alpha beta gamma.</p>", 2)
    html = mark_section(section, [highlight(section, 0, "Alpha", "a"), highlight(section, 0, "gamma", "b")])
    assert html.endswith('</p>\n<div class="block-notes">\n<aside id="a"></aside>\n<aside id="b"></aside>\n</div></div>')
    assert html.index("<sup>a</sup>") < html.index("<sup>b</sup>") < html.index("</p>")


def test_notes_on_list_items_and_headings_follow_the_whole_list_or_heading():
    section = split_section("<h2>A heading</h2>\n<ul><li>First item</li><li>Second item</li></ul>\n<p>After.</p>", 2)
    html = mark_section(section, [highlight(section, 0, "heading", "h"), highlight(section, 2, "Second", "s")])
    assert html.startswith('<div class="annotated"><h2>A <mark class="anchor" data-note="h">heading</mark>'
                           '<sup>h</sup></h2>\n<div class="block-notes">\n<aside id="h"></aside>\n</div></div>')
    assert ('<li><mark class="anchor" data-note="s">Second</mark><sup>s</sup> item</li></ul>\n'
            '<div class="block-notes">\n<aside id="s"></aside>\n</div></div>\n<p>After.</p>') in html
    assert html.count('<div class="annotated">') == 2


def test_a_section_without_highlights_is_unchanged():
    source = "<p>One <a href=\"https://example.org/\">link</a>.</p>\n<hr>\n<p>Two.</p>"
    assert mark_section(split_section(source, 2), []) == source
