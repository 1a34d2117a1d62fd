"""Measuring the reading page's layout in a browser, and a generated dense article to measure.

*Drift* is the distance, in CSS px, between a note's top and the top of its passage. A note
shown in the text, under its block, is beside its passage when its top is within 24 px of the
bottom of that block or of the note above it there; its drift is that distance."""

from __future__ import annotations

import random
import statistics
from dataclasses import dataclass
from pathlib import Path

import yaml

IN_TEXT_SLACK = 24

MEASURE = r"""() => {
    const body = document.querySelector('.article-body > p, .article-body > .annotated > p');
    const column = body.getBoundingClientRect();
    const box = element => {
        const r = element.getBoundingClientRect();
        return {top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left, right: r.right};
    };
    const notes = [...document.querySelectorAll('aside.note')].filter(n => n.getClientRects().length);
    return {
        height: document.documentElement.scrollHeight,
        notes: notes.map(note => {
            const id = note.id.slice('note-'.length);
            const mark = document.querySelector(`mark[data-note="${CSS.escape(id)}"]`);
            const own = box(note);
            const inText = own.left < column.right - 1 && own.right > column.left + 1;
            let above = null;
            if (inText) {
                // The block's bottom, or the bottom of the nearest shown note above in the same place.
                const group = note.closest('.block-notes');
                const before = [...group.querySelectorAll('aside.note')].filter(n => n.getClientRects().length
                    && n !== note && box(n).left < column.right && box(n).bottom <= own.top + 1);
                above = before.length ? Math.max(...before.map(n => box(n).bottom))
                                      : box(group.closest('.annotated').firstElementChild).bottom;
            }
            const words = renderedWords(note, note.getBoundingClientRect());
            return {id, ...own, passage: box(mark).top, inText, above,
                    text: words.all.join(' '), visibleText: words.visible.join(' ')};
        }),
    };
    function renderedWords(note, limit) {
        // The words of the note that are laid out, and those of them drawn inside its box (a
        // compact note cuts the rest off). Words as written, before any text-transform.
        const walker = document.createTreeWalker(note, NodeFilter.SHOW_TEXT);
        const all = [], visible = [];
        const range = document.createRange();
        while (walker.nextNode()) {
            const node = walker.currentNode;
            for (const match of node.textContent.matchAll(/\S+/g)) {
                range.setStart(node, match.index);
                range.setEnd(node, match.index + match[0].length);
                const r = range.getBoundingClientRect();
                if (!r.height) continue;
                all.push(match[0]);
                if (r.bottom <= limit.bottom + 1 && r.top >= limit.top - 1) visible.push(match[0]);
            }
        }
        return {all, visible};
    }
}"""


@dataclass
class Layout:
    height: float
    notes: list[dict]

    def drift(self, note: dict) -> float:
        if note["inText"]:
            return note["top"] - note["above"]
        return abs(note["top"] - note["passage"])

    @property
    def drifts(self) -> list[float]:
        return [self.drift(note) for note in self.notes]

    @property
    def median_drift(self) -> float:
        return statistics.median(self.drifts)

    @property
    def max_drift(self) -> float:
        return max(self.drifts)

    def overlaps(self) -> list[tuple[str, str]]:
        pairs = []
        for index, first in enumerate(self.notes):
            for second in self.notes[index + 1:]:
                apart = (first["bottom"] <= second["top"] + 0.5 or second["bottom"] <= first["top"] + 0.5
                         or first["right"] <= second["left"] + 0.5 or second["right"] <= first["left"] + 0.5)
                if not apart:
                    pairs.append((first["id"], second["id"]))
        return pairs

    def in_text_too_far(self) -> list[str]:
        return [n["id"] for n in self.notes if n["inText"] and not -1 <= self.drift(n) <= IN_TEXT_SLACK]

    def summary(self) -> str:
        shown = len(self.notes)
        in_text = sum(n["inText"] for n in self.notes)
        return (f"{shown} notes ({in_text} in the text), drift median {self.median_drift:.0f} px, "
                f"max {self.max_drift:.0f} px, height {self.height:.0f} px")


def measure(page) -> Layout:
    data = page.evaluate(MEASURE)
    return Layout(data["height"], data["notes"])


# --- A dense article nobody wrote by hand -----------------------------------------------------

SYLLABLES = ["ba", "ko", "ri", "del", "man", "tu", "sen", "lo", "vi", "ra", "quen", "po", "stel",
             "mi", "dar", "fe", "gun", "ho", "ja", "wen"]
COMMON = ("the of and a to in that it was for on are as with his they at be this from have or by one "
          "had not but what all were when we there can an your which their said if do will each about "
          "how up out them then she many some so these would other into has more her two like him see "
          "time could no make than first been its who now people my made over did down only way find use "
          "may water long little very after words called just where most know").split()


def _name(index: int) -> str:
    """A made-up word that occurs once in the whole article."""
    first, second = divmod(index, len(SYLLABLES))
    return SYLLABLES[second].capitalize() + SYLLABLES[(first * 7 + 3) % len(SYLLABLES)] + "vek"


def stress_edition(root: Path, paragraphs: int = 40, notes_per_paragraph: int = 3, seed: int = 16) -> str:
    """Write an edition with one article of `paragraphs` paragraphs of 60 to 90 words, each with
    `notes_per_paragraph` notes whose passages are spread through it; a third of the notes run
    over 120 words, and two notes share one word. Returns the article's slug."""
    rng = random.Random(seed)
    slug = "dense-article"
    (root / "content").mkdir(parents=True)
    notes_dir = root / "annotations" / slug
    notes_dir.mkdir(parents=True)
    (root / "site.yaml").write_text("title: Dense test edition\nbase_url: /\n", encoding="utf-8")
    body, count = [], 0
    for number in range(paragraphs):
        words = [rng.choice(COMMON) for _ in range(rng.randint(60, 90))]
        share = (len(words) - 4) // notes_per_paragraph  # one passage in each part of the paragraph
        spots = [1 + part * share + rng.randrange(share - 3) for part in range(notes_per_paragraph)]
        quotes = []
        for spot in spots:
            words[spot] = _name(count)
            length = rng.randint(1, 3)
            quotes.append(" ".join(words[spot:spot + length]))
            count += 1
        words[0] = words[0].capitalize()
        body.append(" ".join(words) + ".")
        for index, quote in enumerate(quotes):
            _write_note(notes_dir / f"p{number:02d}-{index}.md", quote, rng, long=rng.random() < 1 / 3)
    # A second note on the first marked word of the middle paragraph.
    word = next(w for w in body[paragraphs // 2].split() if w.endswith("vek"))
    _write_note(notes_dir / "same-word.md", word, rng, long=False)
    front = {"title": "A dense article for testing the margins", "authors": ["Test Writer"],
             "outlet": "Test Outlet", "updated": "2024-01-02T10:00:00+00:00"}
    text = "---\n" + yaml.safe_dump(front, sort_keys=False) + "---\n\n" + "\n\n".join(body) + "\n"
    (root / "content" / f"{slug}.md").write_text(text, encoding="utf-8")
    return slug


def _write_note(path: Path, quote: str, rng: random.Random, long: bool) -> None:
    size = rng.randint(125, 170) if long else rng.randint(12, 60)
    words = [rng.choice(COMMON) for _ in range(size)]
    words[0] = words[0].capitalize()
    front = {"type": rng.choice(["context", "definition", "source", "question", "correction"]),
             "quote": quote, "author": "Test Author",
             "sources": [{"title": "A source", "url": "https://example.org/source"}]}
    if front["type"] == "correction":
        front["corrected"] = quote + " (corrected)"
    path.write_text("---\n" + yaml.safe_dump(front, sort_keys=False) + "---\n" + " ".join(words) + ".\n",
                    encoding="utf-8")
