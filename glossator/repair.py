"""Repair: after an article's text changes, `check --fix` rewrites the quotes that no longer
match, but only where one passage is close enough and clearly closer than any other."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from .anchoring import Anchor, Anchorer, normalize_quote
from .notes import Note
from .files import write_atomically
from .stages import load_site
from .yamldoc import read_source, yaml_scalar


@dataclass(frozen=True)
class Rewrite:
    """A quote rewritten in a note file."""

    path: str
    line: int
    col: int
    old: str
    new: str

    def format(self) -> str:
        return f'{self.path}:{self.line}:{self.col}: fixed: quote "{self.old}" is now "{self.new}"'


def repair_quotes(root: Path) -> list[Rewrite]:
    """Rewrite every unmatched quote that has one clear replacement; leave the rest to `check`."""
    site, _ = load_site(root)
    rewrites = []
    for item in site.articles:
        anchored = {anchor.note.id for anchor in item.anchors}
        anchorer = Anchorer(item.text, item.article.shown_path)
        for note in site.notes[item.article.slug]:
            if note.id in anchored or anchorer.matches(note.quote):
                continue  # anchored, or failing for another reason than changed text
            new_quote = proposed_quote(anchorer, note)
            if new_quote:
                rewrites.append(_rewrite(root, note, new_quote))
    return rewrites


def proposed_quote(anchorer: Anchorer, note: Note) -> str:
    """The replacement quote, or '' when no passage is close enough or two are about as close."""
    quote = normalize_quote(note.quote)
    candidates = anchorer.closest_passages(quote)
    if not candidates:
        return ""
    best = candidates[0]
    close_enough = best.edits <= max(2, len(quote) * 0.3)
    clearly_closest = len(candidates) == 1 or candidates[1].edits - best.edits >= max(2, best.edits)
    if not (close_enough and clearly_closest):
        return ""
    new_quote = anchorer.passage(best)
    return new_quote if isinstance(anchorer.resolve(replace(note, quote=new_quote)), Anchor) else ""


# The line that closes front matter, as `yamldoc.split_front_matter` reads it, in a file that may
# end its lines with CRLF.
_CLOSING_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M)


def _rewrite(root: Path, note: Note, new_quote: str) -> Rewrite:
    """Replace the `quote:` value in the note file, leaving every other byte as it was (line
    endings, a byte-order mark, the Unicode form of the rest of the text)."""
    path = root / note.shown_path
    read_source(path, note.shown_path)  # refuses what the build refuses
    text = path.read_bytes().decode("utf-8")
    front_start = text.index("\n") + 1
    front_end = _CLOSING_FENCE.search(text, front_start).start()
    node = next(value for key, value in yaml.compose(text[front_start:front_end]).value if key.value == "quote")
    start, end = front_start + node.start_mark.index, front_start + node.end_mark.index
    line_end = text[start:end][len(text[start:end].rstrip("\r\n")):]
    fixed = text[:start] + yaml_scalar(new_quote) + line_end + text[end:]
    write_atomically(path, [fixed.encode("utf-8")])
    line, col = note.where("quote")
    return Rewrite(note.shown_path, line, col, " ".join(note.quote.split()), new_quote)
