"""Scaffolding: `build.py note` starts a new note file, with its quote checked first."""

from __future__ import annotations

import difflib
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

from .anchoring import Anchor, Anchorer
from .articles import load_articles
from .config import load_config
from .diagnostics import Diagnostic, Report, UserError
from .importer import slugify
from .notes import Note, front_matter_lines
from .files import write_atomically
from .rendering import article_text

QUOTE_LINE = 4  # the line of `quote:` in a new note file


def new_note(root: Path, slug: str, quote: str, note_type: str, author: str | None,
             occurrence: int | None) -> Path:
    """Write `annotations/<slug>/<id>.md` for a quote that anchors; refuse anything else with
    the same diagnostics as the build. Never overwrites: a taken id gets a number."""
    config = load_config(root)
    report = Report()
    articles = {a.slug: a for a in load_articles(config, report)}
    article = articles.get(slug)
    if article is None and (config.content_dir / f"{slug}.md").is_file():
        raise UserError(report.sorted())  # the article is there, but its front matter has errors
    if article is None:
        close = difflib.get_close_matches(slug, list(articles), n=1)
        raise UserError([Diagnostic(f"content/{slug}.md", 1, 1, f"no article '{slug}'",
                                    (f"did you mean '{close[0]}'? " if close else "")
                                    + "articles: " + (", ".join(sorted(articles)) or "none"))])
    if config.note_type(note_type) is None:
        raise UserError([Diagnostic("--type", 1, 1, f"unknown note type '{note_type}'",
                                    "types: " + ", ".join(t.id for t in config.note_types))])
    folder = config.annotations_dir / slug
    note_id = _free_id(folder, quote)
    shown_path = f"annotations/{slug}/{note_id}.md"
    anchorer = Anchorer(article_text(article), article.shown_path)
    note = Note(note_id, slug, shown_path, note_type, " ".join(quote.split()), "", "", occurrence,
                author or "", (), "", "", "", (("quote", QUOTE_LINE, 8), ("occurrence", QUOTE_LINE + 1, 13)))
    result = anchorer.resolve(note)
    if not isinstance(result, Anchor):
        if result.message.startswith("ambiguous"):
            result = replace(result, hint=result.hint + "\nor pass --occurrence N to choose the N-th match")
        raise UserError([result])
    note = anchorer.simplest_selectors(note, result)
    target = folder / f"{note_id}.md"
    text = note_file(note, author or _git_user(), date.today().isoformat())
    write_atomically(target, [text.encode("utf-8")])
    return target


def _free_id(folder: Path, quote: str) -> str:
    """An id from the quote's first words that no note of the article has yet."""
    base = slugify(quote, max_length=40, fallback="note")
    note_id, number = base, 1
    while (folder / f"{note_id}.md").exists():
        number += 1
        note_id = f"{base}-{number}"
    return note_id


def _git_user() -> str:
    try:
        done = subprocess.run(["git", "config", "user.name"], capture_output=True, text=True, timeout=10)
    except OSError:
        done = None
    name = done.stdout.strip() if done and done.returncode == 0 else ""
    if not name:
        raise UserError([Diagnostic("--author", 1, 1, "who is writing this note?",
                                    'pass --author "Your Name" or --author "@your-github-handle"')])
    return name


def note_file(note: Note, author: str, today: str) -> str:
    """A new note's text: front matter with the checked quote, then room for the note."""
    lines = ["---", "# yaml-language-server: $schema=../../glossator/schemas/note.schema.json"]
    lines += front_matter_lines(replace(note, author=author, date=today))
    lines += ["# Cite where the facts come from:", "# sources:", '#   - title: "..."', "#     url: https://...",
              "---", ""]
    return "\n".join(lines)
