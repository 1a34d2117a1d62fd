#!/usr/bin/env python3
"""The floor: the least work Glossator's stack allows for an edition, as a yardstick for the
benchmark. For each article, over a pool of two processes (or --jobs): read it, parse its front
matter with PyYAML's C loader, render its body with Python-Markdown and the `extra` extensions;
read each of its note files, parse their front matter and render their bodies; mark each
quote's first occurrence in the article's HTML; render one Jinja2 template with the article and
its notes; write one HTML file. Nothing else: no checks, no cache, no edition pages, no search.

    python bench/floor.py EDITION OUTPUT [--jobs 2]
"""

from __future__ import annotations

import argparse
import html
import os
from multiprocessing import Pool
from pathlib import Path

import jinja2
import markdown
import yaml

PAGE = jinja2.Template("""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><article><h1>{{ title }}</h1>{{ body }}</article>
<aside>{% for note in notes %}<section id="note-{{ note.id }}"><h2>{{ note.type }}</h2>{{ note.body }}</section>
{% endfor %}</aside></body></html>
""")


def read_document(path: Path) -> tuple[dict, str]:
    """(front matter, Markdown body) of a file that starts with '---' front matter."""
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.load(front, Loader=yaml.CSafeLoader), body


ARTICLE_MARKDOWN = markdown.Markdown(extensions=["extra"])
NOTE_MARKDOWN = markdown.Markdown()  # one instance each, reset between documents: making one costs more


def render_article(job: tuple[str, str, str]) -> None:
    edition, output, slug = map(Path, job)
    meta, body = read_document(edition / "content" / f"{slug}.md")
    page = ARTICLE_MARKDOWN.reset().convert(body)
    notes = []
    folder = edition / "annotations" / slug.name
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        note, text = read_document(path)
        quote = html.escape(str(note.get("quote", "")), quote=False)
        if quote:
            page = page.replace(quote, f'<mark id="ref-{path.stem}">{quote}</mark>', 1)
        notes.append({"id": path.stem, "type": note.get("type", ""), "body": NOTE_MARKDOWN.reset().convert(text)})
    target = output / slug.name / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(PAGE.render(title=meta["title"], body=page, notes=notes), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("edition", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args()
    slugs = sorted(path.stem for path in (args.edition / "content").glob("*.md"))
    work = [(str(args.edition), str(args.output), slug) for slug in slugs]
    with Pool(args.jobs) as pool:
        pool.map(render_article, work, chunksize=max(1, len(work) // (8 * args.jobs)))


if __name__ == "__main__":
    main()
