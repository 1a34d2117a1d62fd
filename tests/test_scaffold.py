"""scaffold on its own: new_note's file, its refusals and selectors, note_file's text, and the author from git."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from glossator import scaffold
from glossator.diagnostics import UserError
from glossator.notes import Note
from glossator.stages import load_site
from glossator.scaffold import _git_user, new_note, note_file

ARTICLE = """---
title: The ferry pier
---
The ferry pier was closed in 2019, said Ana Ruiz.

The ferry company said nothing. Ana Ruiz said more.

We will rebuild the old pier this year, said the mayor, and we will keep every promise we made to the town.

We will rebuild the old pier this year, said the mayor, and we will keep every promise we made to the town.
"""

NOTES = "annotations/harbour-pier"
TODAY = "2024-03-06"


class FixedDate:
    @staticmethod
    def today() -> datetime.date:
        return datetime.date.fromisoformat(TODAY)


@pytest.fixture
def root(tmp_path, monkeypatch) -> Path:
    """An edition with two articles and no notes yet, on a fixed day."""
    monkeypatch.setattr(scaffold, "date", FixedDate)
    (tmp_path / "themes/default/templates").mkdir(parents=True)
    (tmp_path / "site.yaml").write_text("title: Test\n", encoding="utf-8")
    (tmp_path / "content").mkdir()
    (tmp_path / "content/harbour-pier.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "content/ferry-news.md").write_text("---\ntitle: Ferry news\n---\nNothing new.\n", encoding="utf-8")
    return tmp_path


def refusal(root: Path, article: str, quote: str, note_type: str = "context", occurrence: int | None = None):
    with pytest.raises(UserError) as raised:
        new_note(root, article, quote, note_type, "@me", occurrence)
    (problem,) = raised.value.diagnostics
    return problem


def anchored_lines(root: Path) -> dict[str, int]:
    site, report = load_site(root)
    assert report.errors == []
    return {anchor.note.id: anchor.line for item in site.articles for anchor in item.anchors}


def test_a_quote_that_anchors_gets_a_file_named_after_its_first_words(root):
    path = new_note(root, "harbour-pier", "  said   Ana\nRuiz ", "context", "@me", None)
    assert path == root / NOTES / "said-ana-ruiz.md"
    assert path.read_text(encoding="utf-8") == (
        "---\n# yaml-language-server: $schema=../../glossator/schemas/note.schema.json\n"
        "type: context\nquote: said Ana Ruiz\nauthor: '@me'\ndate: 2024-03-06\n"
        "# Cite where the facts come from:\n# sources:\n#   - title: \"...\"\n#     url: https://...\n---\n")
    assert anchored_lines(root) == {"said-ana-ruiz": 4}


def test_a_taken_id_gets_the_next_free_number_and_old_files_stay(root):
    (root / NOTES).mkdir(parents=True)
    for name in ("ana-ruiz", "ana-ruiz-2"):
        (root / NOTES / f"{name}.md").write_text("mine", encoding="utf-8")
    path = new_note(root, "harbour-pier", "Ana Ruiz said more", "context", "@me", None)
    assert path.name == "ana-ruiz-said-more.md"
    path = new_note(root, "harbour-pier", "Ana Ruiz", "context", "@me", 1)
    assert path.name == "ana-ruiz-3.md"
    assert [(root / NOTES / f"{n}.md").read_text() for n in ("ana-ruiz", "ana-ruiz-2")] == ["mine", "mine"]


def test_an_unknown_article_is_refused_with_the_closest_name_and_nothing_is_written(root):
    problem = refusal(root, "harbor-pier", "Ana Ruiz")
    assert (problem.path, problem.line, problem.col, problem.message) == ("content/harbor-pier.md", 1, 1,
                                                                          "no article 'harbor-pier'")
    assert problem.hint == "did you mean 'harbour-pier'? articles: ferry-news, harbour-pier"
    assert not (root / "annotations").exists()


def test_an_unknown_article_with_no_close_name_lists_the_articles_or_none(root):
    assert refusal(root, "budget", "Ana Ruiz").hint == "articles: ferry-news, harbour-pier"
    for path in (root / "content").iterdir():
        path.unlink()
    assert refusal(root, "harbour-pier", "Ana Ruiz").hint == "articles: none"


def test_an_unknown_type_is_refused_with_the_edition_types(root):
    problem = refusal(root, "harbour-pier", "Ana Ruiz", note_type="opinion")
    assert (problem.path, problem.line, problem.col, problem.message) == ("--type", 1, 1, "unknown note type 'opinion'")
    assert problem.hint == "types: correction, context, definition, source, question"
    (root / "site.yaml").write_text("title: Test\nnote_types:\n  - id: gloss\n    label: Gloss\n  - id: fix\n"
                                    "    label: Fix\n", encoding="utf-8")
    assert refusal(root, "harbour-pier", "Ana Ruiz", note_type="context").hint == "types: gloss, fix"
    path = new_note(root, "harbour-pier", "said Ana Ruiz", "gloss", "@me", None)
    assert "\ntype: gloss\n" in path.read_text(encoding="utf-8")


def test_the_article_is_checked_before_the_type(root):
    assert refusal(root, "nowhere", "Ana Ruiz", note_type="opinion").message == "no article 'nowhere'"


def test_a_quote_that_matches_nothing_is_refused_at_the_quote_line_of_the_file_it_would_be(root):
    problem = refusal(root, "harbour-pier", "Quantum chromodynamics")
    assert problem.format() == (
        "annotations/harbour-pier/quantum-chromodynamics.md:4:8: error: not found: quote \"Quantum chromodynamics\" "
        "does not occur in the article\n  hint: no passage of content/harbour-pier.md comes close: "
        "copy the passage from the article page")
    close = refusal(root, "harbour-pier", "said Ana Ruis")
    assert close.hint.endswith("Replace the quote line with: quote: said Ana Ruiz")
    assert not (root / "annotations").exists()


def test_an_ambiguous_quote_is_refused_with_a_hint_that_mentions_occurrence(root):
    problem = refusal(root, "harbour-pier", "Ana Ruiz")
    assert (problem.path, problem.line, problem.col) == ("annotations/harbour-pier/ana-ruiz.md", 4, 8)
    assert problem.message == 'ambiguous: 2 matches for quote "Ana Ruiz"'
    lines = problem.hint.splitlines()
    assert lines[0] == "add one of these lines to the note to pick a match:"
    assert "  prefix: said nothing.   # or occurrence: 2" in lines
    assert lines[-1] == "or pass --occurrence N to choose the N-th match"


def test_an_occurrence_past_the_last_match_is_refused_at_the_occurrence_line(root):
    problem = refusal(root, "harbour-pier", "Ana Ruiz", occurrence=3)
    assert (problem.line, problem.col) == (5, 13)
    assert problem.message == "occurrence 3 is out of range: the quote has 2 matches"
    assert "--occurrence" not in problem.hint


@pytest.mark.parametrize("quote, occurrence, selector, note_id, line", [
    ("Ana Ruiz", 2, "prefix: said nothing.", "ana-ruiz", 6),  # the occurrence becomes a prefix
    ("The ferry pier", 1, "suffix: The ferry", "the-ferry-pier", 2),  # no words before it: a suffix
])
def test_an_occurrence_is_replaced_by_a_selector_that_picks_the_same_match(root, quote, occurrence, selector,
                                                                            note_id, line):
    text = new_note(root, "harbour-pier", quote, "context", "@me", occurrence).read_text(encoding="utf-8")
    assert f"\nquote: {quote}\n{selector}\nauthor: '@me'\n" in text
    assert sum(field in text for field in ("occurrence", "prefix", "suffix")) == 1
    assert anchored_lines(root) == {note_id: line}


def test_the_occurrence_stays_when_no_prefix_or_suffix_is_unique(root):
    path = new_note(root, "harbour-pier", "said the mayor", "context", "@me", 2)
    text = path.read_text(encoding="utf-8")
    assert "\nquote: said the mayor\noccurrence: 2\nauthor: '@me'\n" in text
    assert anchored_lines(root) == {"said-the-mayor": 10}


def test_an_occurrence_for_a_quote_found_once_is_left_out(root):
    text = new_note(root, "harbour-pier", "closed in 2019", "context", "@me", 1).read_text(encoding="utf-8")
    assert "occurrence" not in text and "prefix" not in text and "\nquote: closed in 2019\n" in text


def test_note_file_writes_every_selector_and_quotes_values_yaml_would_misread():
    note = Note("n", "p", "annotations/p/n.md", "definition", "the “old” pier: a ruin", "built in 1921,",
                "# closed", 2, "", (), "", "", "", ())
    assert note_file(note, "@me", "2024-03-06") == (
        "---\n# yaml-language-server: $schema=../../glossator/schemas/note.schema.json\n"
        "type: definition\nquote: 'the “old” pier: a ruin'\nprefix: built in 1921,\nsuffix: '# closed'\n"
        "occurrence: 2\nauthor: '@me'\ndate: 2024-03-06\n"
        "# Cite where the facts come from:\n# sources:\n#   - title: \"...\"\n#     url: https://...\n---\n")


@pytest.fixture
def git_home(tmp_path, monkeypatch) -> Path:
    """A home folder and a working folder where git finds only the global file named here."""
    home = tmp_path / "home"
    home.mkdir()
    for name in ("GIT_CONFIG_COUNT", "GIT_CONFIG_PARAMETERS", "GIT_DIR", "GIT_WORK_TREE", "GIT_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(home.parent))
    monkeypatch.chdir(home)
    return home


def test_without_a_git_user_name_the_author_is_asked_for(git_home):
    with pytest.raises(UserError) as raised:
        _git_user()
    (problem,) = raised.value.diagnostics
    assert (problem.path, problem.line, problem.col, problem.message) == ("--author", 1, 1, "who is writing this note?")
    assert problem.hint == 'pass --author "Your Name" or --author "@your-github-handle"'


def test_without_git_at_all_the_author_is_asked_for(git_home, monkeypatch):
    monkeypatch.setenv("PATH", str(git_home))
    with pytest.raises(UserError, match="who is writing this note"):
        _git_user()


def test_the_git_user_name_is_the_default_author(root, git_home):
    (git_home / "gitconfig").write_text("[user]\n\tname = Ada Lovelace\n", encoding="utf-8")
    assert _git_user() == "Ada Lovelace"
    path = new_note(root, "harbour-pier", "closed in 2019", "context", None, None)
    assert "\nauthor: Ada Lovelace\n" in path.read_text(encoding="utf-8")


def test_a_note_without_an_author_is_not_written_when_git_has_no_name(root, git_home):
    with pytest.raises(UserError):
        new_note(root, "harbour-pier", "closed in 2019", "context", None, None)
    assert not (root / "annotations").exists()


def test_an_article_with_front_matter_errors_is_named_with_its_error_not_called_missing(root):
    (root / "content/ferry-news.md").write_text("---\ntitle: Ferry news\ntitel: typo\n---\nNothing new.\n",
                                                encoding="utf-8")
    problem = refusal(root, "ferry-news", "Nothing new")
    assert (problem.path, problem.line) == ("content/ferry-news.md", 3) and "titel" in problem.message


def test_a_quote_with_no_latin_letters_gets_a_note_id_not_an_article_one(root):
    (root / "content/ferry-news.md").write_text("---\ntitle: Ferry news\n---\nПаром «Ракета» вышел.\n",
                                                encoding="utf-8")
    assert new_note(root, "ferry-news", "«Ракета»", "context", "@me", None).name == "note.md"
