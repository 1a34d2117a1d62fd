"""repair on its own: which stale quotes get a replacement, and the rewrite that changes only the quote's value."""

from __future__ import annotations

from pathlib import Path

from glossator.anchoring import Anchorer
from glossator.articles import load_article
from glossator.diagnostics import Report
from glossator.notes import Note
from glossator.stages import load_site
from glossator.rendering import article_text
from glossator.repair import Rewrite, proposed_quote, repair_quotes

ARTICLE = """---
title: Council backs the pier
---
The council voted to rebuild the old ferry pier on Tuesday.

“It is a fair price,” the treasurer said. Asked about the cost, she said: "We will pay it."

The ferry company said nothing. The ferry company left early.
"""

NOTES = "annotations/pier"


def edition(root: Path, notes: dict[str, str]) -> Path:
    """One article, content/pier.md, and the given note files (id -> text)."""
    (root / "themes/default/templates").mkdir(parents=True)
    (root / "site.yaml").write_text("title: Test\n", encoding="utf-8")
    (root / "content").mkdir()
    (root / "content/pier.md").write_text(ARTICLE, encoding="utf-8")
    (root / NOTES).mkdir(parents=True)
    for note_id, text in notes.items():
        (root / NOTES / f"{note_id}.md").write_text(text, encoding="utf-8")
    return root


def note_text(quote: str) -> str:
    return f"---\ntype: context\nquote: {quote}\nauthor: A\n---\nText.\n"


def anchorer(tmp_path: Path) -> Anchorer:
    path = tmp_path / "pier.md"
    path.write_text(ARTICLE, encoding="utf-8")
    article = load_article(path, "content/pier.md", Report())
    return Anchorer(article_text(article), article.shown_path)


def note(quote: str, prefix: str = "") -> Note:
    return Note("n", "pier", "annotations/pier/n.md", "context", quote, prefix, "", None, "A", (), "", "", "",
                (("quote", 3, 8), ("prefix", 4, 9)))


def test_a_rewrite_is_one_line_at_the_quote_with_old_and_new_text():
    rewrite = Rewrite("annotations/pier/n.md", 3, 8, "ferry peer", "ferry pier")
    assert rewrite.format() == 'annotations/pier/n.md:3:8: fixed: quote "ferry peer" is now "ferry pier"'


def test_the_proposal_is_the_article_own_text_of_the_one_close_passage(tmp_path):
    found = anchorer(tmp_path)
    assert proposed_quote(found, note("voted to rebiuld the old ferry pier")) == "voted to rebuild the old ferry pier"
    curly = proposed_quote(found, note('"It is a fair prize," the treasurer'))
    assert curly == "“It is a fair price,” the treasurer"


def test_no_proposal_when_nothing_is_close(tmp_path):
    assert proposed_quote(anchorer(tmp_path), note("the mayor resigned over the harbour budget")) == ""


def test_no_proposal_when_two_passages_are_about_as_close(tmp_path):
    assert proposed_quote(anchorer(tmp_path), note("The ferry compani")) == ""


def test_no_proposal_when_the_note_prefix_does_not_fit_the_new_passage(tmp_path):
    found = anchorer(tmp_path)
    assert proposed_quote(found, note("voted to rebiuld the old ferry pier", prefix="The council")) != ""
    assert proposed_quote(found, note("voted to rebiuld the old ferry pier", prefix="The mayor")) == ""


def test_only_the_quote_value_changes_comments_quoting_and_other_fields_stay(tmp_path):
    before = ("---\n# yaml-language-server: $schema=../../glossator/schemas/note.schema.json\n"
              "type: context   # why it matters\n"
              "quote: \"voted to rebuild the old ferry peer\"   # copied on Monday\n"
              "author: '@me'\nsources:\n  - title: Minutes\n    url: https://example.org/minutes\n"
              "---\nThe vote was *seven* to four.\n\n---\n\nquote: not a field\n")
    root = edition(tmp_path, {"vote": before})
    assert repair_quotes(root) == [Rewrite("annotations/pier/vote.md", 4, 8, "voted to rebuild the old ferry peer",
                                           "voted to rebuild the old ferry pier")]
    after = (root / NOTES / "vote.md").read_bytes()
    expected = before.replace('"voted to rebuild the old ferry peer"', "voted to rebuild the old ferry pier")
    assert after == expected.encode("utf-8")


def test_a_quote_written_over_several_lines_becomes_one_line(tmp_path):
    before = "---\ntype: context\nquote: >\n  voted to rebuild\n  the old  ferry peer\nauthor: A\n---\nText.\n"
    root = edition(tmp_path, {"folded": before})
    (rewrite,) = repair_quotes(root)
    assert (rewrite.line, rewrite.col, rewrite.old) == (3, 8, "voted to rebuild the old ferry peer")
    assert (root / NOTES / "folded.md").read_text(encoding="utf-8") == (
        "---\ntype: context\nquote: voted to rebuild the old ferry pier\nauthor: A\n---\nText.\n")


def test_a_new_quote_that_needs_quoting_is_written_as_yaml_reads_it_back(tmp_path):
    root = edition(tmp_path, {"cost": note_text("'she sad: \"We will pay it.\"'")})
    (rewrite,) = repair_quotes(root)
    assert rewrite.new == 'she said: "We will pay it."'
    assert "\nquote: 'she said: \"We will pay it.\"'\n" in (root / NOTES / "cost.md").read_text(encoding="utf-8")
    site, report = load_site(root)
    assert report.errors == [] and site.notes["pier"][0].quote == 'she said: "We will pay it."'
    assert [anchor.note.id for anchor in site.articles[0].anchors] == ["cost"]


def test_anchored_ambiguous_and_hopeless_notes_are_left_alone(tmp_path):
    notes = {"anchored": note_text("the old ferry pier"), "ambiguous": note_text("The ferry company"),
             "hopeless": note_text("the mayor resigned over the harbour budget"),
             "two-alike": note_text("The ferry compani")}
    root = edition(tmp_path, notes)
    assert repair_quotes(root) == []
    for note_id, text in notes.items():
        assert (root / NOTES / f"{note_id}.md").read_text(encoding="utf-8") == text


def test_each_fixable_note_is_rewritten_in_file_name_order(tmp_path):
    root = edition(tmp_path, {"b-pier": note_text("the old ferry peer"), "a-vote": note_text("council votd"),
                              "c-fine": note_text("on Tuesday")})
    rewrites = repair_quotes(root)
    assert [r.format() for r in rewrites] == [
        'annotations/pier/a-vote.md:3:8: fixed: quote "council votd" is now "council voted"',
        'annotations/pier/b-pier.md:3:8: fixed: quote "the old ferry peer" is now "the old ferry pier"',
    ]
    assert (root / NOTES / "c-fine.md").read_text(encoding="utf-8") == note_text("on Tuesday")
    assert repair_quotes(root) == [], "a second run finds nothing left to fix"


def test_line_endings_a_byte_order_mark_and_the_rest_of_the_text_stay_as_they_were(tmp_path):
    before = ("\ufeff---\r\ntype: context\r\nquote: the old ferry peer\r\nauthor: Jose\u0301\r\n...\r\n"
              "Cafe\u0301 owners welcomed it.\r\n")
    root = edition(tmp_path, {"crlf": before})
    assert [r.new for r in repair_quotes(root)] == ["the old ferry pier"]
    after = (root / NOTES / "crlf.md").read_bytes()
    assert after == before.replace("the old ferry peer", "the old ferry pier").encode("utf-8")
