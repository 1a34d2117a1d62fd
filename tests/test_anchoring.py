"""Anchoring: each resolution rule and each error, on the fixture article."""

from __future__ import annotations

import re

import pytest
import yaml

from conftest import FIXTURES
from glossator.anchoring import Anchor, Anchorer, normalize
from glossator.articles import load_article
from glossator.diagnostics import Report
from glossator.notes import Note
from glossator.rendering import article_text

ARTICLE = "content/harbour-pier.md"


@pytest.fixture(scope="module")
def anchorer() -> Anchorer:
    report = Report()
    article = load_article(FIXTURES / "valid" / ARTICLE, ARTICLE, report)
    assert not report.diagnostics
    return Anchorer(article_text(article), ARTICLE)


def note(quote: str, **fields) -> Note:
    positions = (("type", 2, 7), ("quote", 3, 8), ("prefix", 4, 9), ("suffix", 5, 9), ("occurrence", 6, 13))
    values = dict(id="n", article="harbour-pier", shown_path="annotations/harbour-pier/n.md", type="context",
                  quote=quote, prefix="", suffix="", occurrence=None, author="A", sources=(), corrected="",
                  date="", body="Body.", positions=positions)
    values.update(fields)
    return Note(**values)


def anchored_text(anchor: Anchor) -> str:
    return anchor.block.text[anchor.start:anchor.end]


def test_unique_quote_anchors_to_its_passage(anchorer):
    anchor = anchorer.resolve(note("engineers found cracks in its supports"))
    assert isinstance(anchor, Anchor)
    assert anchored_text(anchor) == "engineers found cracks in its supports"
    assert anchor.line == 16


def test_quote_across_emphasis_and_link_matches_visible_text(anchorer):
    emphasis = anchorer.resolve(note("has run for three years"))
    assert anchored_text(emphasis) == "has run for three years"
    link = anchorer.resolve(note("ignored the harbour survey published last spring"))
    assert anchored_text(link) == "ignored the harbour survey published last spring"


def test_quote_copied_from_markdown_source_matches(anchorer):
    anchor = anchorer.resolve(note("has run for *three years*"))
    assert anchored_text(anchor) == "has run for three years"


def test_straight_quotes_match_curly_text_and_dashes_are_equal(anchorer):
    anchor = anchorer.resolve(note('"It is a fair price for a pier'))
    assert anchored_text(anchor) == "“It is a fair price for a pier"
    dash = anchorer.resolve(note("the treasurer said -- and the vote"))
    assert anchored_text(dash) == "the treasurer said — and the vote"
    curly_typed = anchorer.resolve(note("“We cannot let the pier fall into the sea,”"))
    assert anchored_text(curly_typed) == '"We cannot let the pier fall into the sea,"'


def test_white_space_and_line_breaks_are_one_space(anchorer):
    anchor = anchorer.resolve(note("the vote was   taken soon\n after"))
    assert anchored_text(anchor) == "the vote was taken\nsoon after"


def test_title_highlight_and_caption_are_quotable(anchorer):
    assert anchorer.resolve(note("Harbour council votes")).block.section == 0
    assert "ambiguous: 2 matches" in anchorer.resolve(note("rebuild the old ferry pier")).message
    assert anchored_text(anchorer.resolve(note("seven votes to four"))) == "seven votes to four"
    caption = anchorer.resolve(note("photographed on March 31"))
    assert anchored_text(caption) == "photographed on March 31" and caption.line == 25
    assert anchorer.resolve(note("soon after")).line == 29


def test_matching_is_case_sensitive(anchorer):
    problem = anchorer.resolve(note("the harbour council voted"))
    assert not isinstance(problem, Anchor)
    assert problem.message.startswith("not found")
    assert "(1 edit away, in another case)" in problem.hint
    assert problem.hint.endswith("Replace the quote line with: quote: The harbour council voted")


def test_ambiguous_quote_lists_each_match_with_line_and_selector(anchorer):
    problem = anchorer.resolve(note("The ferry company"))
    assert problem.message == 'ambiguous: 2 matches for quote "The ferry company"'
    assert (problem.line, problem.col) == (3, 8)
    assert "content/harbour-pier.md:22:" in problem.hint
    assert "prefix:" in problem.hint and "occurrence: 2" in problem.hint


def test_prefix_suffix_and_occurrence_pick_one_match(anchorer):
    by_prefix = anchorer.resolve(note("The ferry company", prefix="once work is done."))
    assert anchored_text(by_prefix) == "The ferry company" and by_prefix.start > 20
    by_suffix = anchorer.resolve(note("The ferry company", suffix="said it would"))
    assert by_suffix.start == 0
    by_occurrence = anchorer.resolve(note("The ferry company", occurrence=2))
    assert by_occurrence.start == by_prefix.start


def test_whole_words_are_preferred_to_parts_of_words(anchorer):
    # "pier" is a word of its own several times, and also a part of "piers" nowhere; the text has
    # "ngineers" only inside "engineers": a part of a word anchors when no whole word matches.
    assert "ambiguous" in anchorer.resolve(note("pier")).message
    assert anchored_text(anchorer.resolve(note("ngineers"))) == "ngineers"
    # "the" is also inside "they" and "another": only the whole words are counted.
    visible = " ".join(block.text for block in anchorer.blocks)
    words, anywhere = len(re.findall(r"\bthe\b", visible)), visible.count("the")
    assert words < anywhere
    assert f"ambiguous: {words} matches" in anchorer.resolve(note("the")).message


def test_occurrence_out_of_range(anchorer):
    problem = anchorer.resolve(note("The ferry company", occurrence=3))
    assert problem.message == "occurrence 3 is out of range: the quote has 2 matches"
    assert (problem.line, problem.col) == (6, 13)


def test_prefix_that_fits_no_match(anchorer):
    problem = anchorer.resolve(note("The ferry company", prefix="nowhere in the text"))
    assert "fits none of the 2 matches" in problem.message and problem.line == 4


def test_empty_quote_after_normalizing(anchorer):
    assert anchorer.resolve(note("   \n ")).message == "empty quote"


def test_typo_in_quote_gets_a_did_you_mean_with_line(anchorer):
    problem = anchorer.resolve(note("engineers fuond cracks in its suports"))
    assert problem.message.startswith("not found:")
    assert problem.hint.endswith("quote: engineers found cracks in its supports")
    assert "content/harbour-pier.md:16" in problem.hint


def test_quote_missing_a_word_of_the_text_gets_a_did_you_mean(anchorer):
    problem = anchorer.resolve(note("Work is due to start in autumn"))
    assert problem.hint.endswith("quote: Work is due to start in the autumn")


def test_quote_nothing_like_the_text(anchorer):
    problem = anchorer.resolve(note("Quantum chromodynamics explains the strong force"))
    assert problem.message.startswith("not found:") and "no passage" in problem.hint


def test_quote_across_two_paragraphs_is_refused(anchorer):
    problem = anchorer.resolve(note("in its supports. \"We cannot let the pier fall into the sea,\" said council leader "
                                    "Ana Ruiz. A long debate"))
    assert "runs across two paragraphs" in problem.message


def test_normalize_maps_back_to_the_original_text():
    norm = normalize("a  \u201cb\u201d -- c\u2026")
    assert norm.text == 'a "b" \u2014 c...'
    start, end = norm.original(2, len(norm.text))
    assert "a  \u201cb\u201d -- c\u2026"[start:end] == "\u201cb\u201d -- c\u2026"


def test_normalize_maps_every_character_back_to_what_it_stands_for():
    """Each normalized character maps to the original run it replaced, or to itself."""
    raw = "\u00ad\u201cA\u00ad\u2014 b  c\n\t--d\u2026 e\u200b\u2019f-g\u00ad"
    norm = normalize(raw)
    assert norm.text == '"A\u2014 b c \u2014d... e\'f-g'
    expected = ["\u201c", "A", "\u2014", " ", "b", "  ", "c", "\n\t", "--", "d", "\u2026", "\u2026", "\u2026", " ",
                "e", "\u2019", "f", "-", "g"]
    assert [raw[slice(*norm.original(i, i + 1))] for i in range(len(norm.text))] == expected
    start, end = norm.original(1, len(norm.text))
    assert raw[start:end] == "A\u00ad\u2014 b  c\n\t--d\u2026 e\u200b\u2019f-g"


# --- hints a contributor can paste ----------------------------------------------------------

DEMO_ARTICLE = "content/nsa-france-phone-calls.md"


@pytest.fixture(scope="module")
def demo_anchorer() -> Anchorer:
    from conftest import REPO

    report = Report()
    article = load_article(REPO / DEMO_ARTICLE, DEMO_ARTICLE, report)
    return Anchorer(article_text(article), DEMO_ARTICLE)


def pasted_quote(hint: str) -> str:
    """The value of the line a hint says to paste, read as YAML reads the note."""
    line = hint.split("Replace the quote line with: ", 1)[1]
    return yaml.safe_load(line)["quote"]


@pytest.mark.parametrize("typo", [
    'expresed his "deep disapprovl with regard',    # double quotes inside
    "Kerry, who was in Paris and met with the Qatari foreign minister, wouldnt address",  # an apostrophe
    "Le Monde: The NSA intercepted more than 70 milion French",  # a colon and a space
    "-- some of which have distortd our activities",  # a leading dash
])
def test_the_suggested_quote_line_pasted_into_the_note_anchors(demo_anchorer, typo):
    problem = demo_anchorer.resolve(note(typo))
    assert problem.message.startswith("not found")
    assert isinstance(demo_anchorer.resolve(note(pasted_quote(problem.hint))), Anchor), problem.hint


def test_a_quote_that_leaves_out_a_doubled_word_is_pointed_to_its_own_first_word(demo_anchorer):
    for typo, passage in (("Rivkin would continue consultations", "Rivkin would would continue consultations"),
                          ("said Rivkin would continue", "said Rivkin would would continue")):
        assert pasted_quote(demo_anchorer.resolve(note(typo)).hint) == passage


def test_the_selector_of_an_ambiguous_quote_can_be_pasted(anchorer):
    problem = anchorer.resolve(note("The ferry company"))
    lines = [line.strip() for line in problem.hint.splitlines() if line.strip().startswith("prefix:")]
    assert lines
    for line in lines:
        prefix = yaml.safe_load(line)["prefix"]  # the "# or occurrence: N" after it is a YAML comment
        assert isinstance(anchorer.resolve(note("The ferry company", prefix=prefix)), Anchor)


def test_the_context_of_each_match_is_spaced_as_the_text_is(tmp_path):
    path = tmp_path / "story.md"
    path.write_text("---\ntitle: T\n---\nThe vote went to Ana Ruiz. The ferry left.\n\n"
                    "Then Ana Ruiz, the leader, spoke of (Ana Ruiz)\n", encoding="utf-8")
    article = load_article(path, "content/story.md", Report())
    hint = Anchorer(article_text(article), "content/story.md").resolve(note("Ana Ruiz")).hint
    contexts = [line.split(": ", 1)[1] for line in hint.splitlines() if line.startswith("content/story.md")]
    assert contexts == ['"...T The vote went to [Ana Ruiz]. The ferry left. Then Ana..."',
                        '"...Ana Ruiz. The ferry left. Then [Ana Ruiz], the leader, spoke of (Ana..."',
                        '"...Ruiz, the leader, spoke of ([Ana Ruiz])..."']
