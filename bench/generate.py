#!/usr/bin/env python3
"""Generate a seeded edition for benchmarks: N articles of about 1,200 words (headings, a link,
emphasis, a blockquote, highlights, a caption) with 15 notes each, whose quotes are unique,
repeated and picked by a prefix, crossing emphasis, or in the caption.

    python bench/generate.py 1000 /tmp/edition-1000
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORDS = ("council harbour river market station budget report school garden bridge museum library "
         "festival railway tunnel hospital factory theatre orchard canal ferry island forest valley "
         "quarter square tower castle meadow harvest winter summer morning evening village county "
         "minister mayor teacher farmer engineer doctor sailor painter writer student officer").split()
VERBS = "said announced reported agreed decided warned promised expected confirmed denied".split()
REPEATED = "the committee said on Tuesday"


def sentence(rng: random.Random, length: int) -> str:
    words = [rng.choice(WORDS) for _ in range(length)]
    words.insert(2, rng.choice(VERBS))
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, key: str, number: int) -> str:
    sentences = [sentence(rng, rng.randint(10, 16)) for _ in range(6)]
    # A phrase found nowhere else in the edition, for unique quotes.
    sentences[1] = f"Record {key}-{number} was filed by the {rng.choice(WORDS)} office."
    if number % 3 == 0:
        sentences[3] = f"In part {number}, {REPEATED} that work would go on."
    return " ".join(sentences)


def article(rng: random.Random, index: int) -> tuple[str, list[str]]:
    key = f"a{index:05d}"
    paragraphs = [paragraph(rng, key, n) for n in range(14)]
    paragraphs[4] = paragraphs[4].replace(f"Record {key}-4 was filed", f"Record {key}-4 was *filed by hand* and")
    paragraphs[6] += f" The [full plan {key}](https://example.org/{key}) is online."
    figure = (f'<figure markdown="1">\n<figcaption markdown="span">The {rng.choice(WORDS)} seen in photo '
              f'{key}.</figcaption>\n</figure>')
    body = [paragraphs[0], paragraphs[1], f"## Background {key}", *paragraphs[2:6],
            f"> A resident of {rng.choice(WORDS)} street said the plan {key} was welcome.", figure,
            f"## Next steps {key}", *paragraphs[6:10], f"## Reactions {key}", *paragraphs[10:]]
    front = [
        "---", f"title: Story {key} about the {rng.choice(WORDS)} and the {rng.choice(WORDS)}",
        "authors:", f"- Reporter {key}", "outlet: Example Courier",
        f"updated: '20{10 + index % 15:02d}-{1 + index % 12:02d}-{1 + index % 28:02d}T10:00:00+00:00'",
        "highlights:", f"- Highlight one of {key}", f"- Highlight two of {key}", "rights: © Example Courier", "---",
    ]
    text = "\n".join(front) + "\n\n" + "\n\n".join(body) + "\n"
    return text, notes_for(key)


def notes_for(key: str) -> list[str]:
    quotes = [(f"Record {key}-{n} was filed", "") for n in (0, 1, 2, 5, 7, 8, 10, 11, 13)]
    quotes += [(f"Highlight two of {key}", "")]
    quotes += [(REPEATED, "In part 6,"), (REPEATED, "")]  # one picked by prefix, one by occurrence
    quotes += [(f"Record {key}-4 was filed by hand", ""), (f"full plan {key} is online", "")]
    quotes += [(f"seen in photo {key}", "")]
    notes = []
    for number, (quote, context) in enumerate(quotes):
        selector = ""
        if quote == REPEATED:
            selector = f'prefix: "{context}"' if context else "occurrence: 2"
        lines = ["---", "type: context", f'quote: "{quote}"', selector, "author: Bench",
                 "sources:", "  - title: Example", "    url: https://example.org/", "---",
                 f"Note {number} on {key}: a short explanation of the passage, with *emphasis*."]
        notes.append("\n".join(line for line in lines if line) + "\n")
    return notes


def generate(count: int, target: Path, seed: int = 1) -> Path:
    """Write an edition of `count` articles into `target` (replaced if it exists)."""
    rng = random.Random(seed)
    shutil.rmtree(target, ignore_errors=True)
    (target / "content").mkdir(parents=True)
    shutil.copytree(REPO / "themes", target / "themes")
    shutil.copy(REPO / "bench" / "site.yaml", target / "site.yaml")
    for index in range(count):
        text, notes = article(rng, index)
        slug = f"story-{index:05d}"
        (target / "content" / f"{slug}.md").write_text(text, encoding="utf-8")
        folder = target / "annotations" / slug
        folder.mkdir(parents=True)
        for number, note in enumerate(notes):
            (folder / f"note-{number:02d}.md").write_text(note, encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("target", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.count, args.target, args.seed)


if __name__ == "__main__":
    main()
