"""Pages: an annotated article as the theme shows it (views of the article and its notes), the
Jinja2 environment and its filters, and the files of one article page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, urlencode

import jinja2

from .anchoring import CONTEXT_WORDS, EQUIVALENTS, WHITESPACE, AnnotatedArticle
from .config import SiteConfig
from .diagnostics import Diagnostic, UserError
from .rendering import TEXT_BLOCKS, Highlight, mark_section, render_note_markdown
from .search import SearchRecord, plain_text
from .syndication import article_plain_text, news_article_jsonld, web_annotations


@dataclass(frozen=True)
class NoteView:
    """A note as a page shows it: numbered in reading order, with its HTML."""

    id: str
    number: int
    type: str
    label: str
    symbol: str
    quote: str
    corrected: str
    author: str
    sources: tuple
    date: str
    html: str
    article_slug: str
    article_title: str
    block: int  # the reading-order index of the block holding the passage

    @property
    def excerpt(self) -> str:
        """The start of the quoted passage, for labels such as 'Correction 3: expresed'."""
        words = self.quote.split()
        return " ".join(words[:8]) + ("..." if len(words) > 8 else "")


@dataclass(frozen=True)
class ArticleView:
    """An article page's parts, ready for the template."""

    annotated: AnnotatedArticle
    title_html: str
    highlights_html: str
    body_html: str
    notes: tuple[NoteView, ...]

    @property
    def article(self):
        return self.annotated.article


def make_environment(config: SiteConfig, live_reload: str = "") -> jinja2.Environment:
    """Jinja2 with autoescaping and StrictUndefined; `url()` is the one place URLs are made.
    `live_reload` is the address of the preview server's reload script, for `serve` only."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(config.theme_dir / "templates")),
        autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
        trim_blocks=True, lstrip_blocks=True,
        auto_reload=False,  # an environment lives for one state of the templates (see pipeline._worker_setup)
    )
    env.globals["url"] = config.url
    env.globals["absolute_url"] = config.absolute_url
    env.globals["site"] = config
    env.globals["live_reload"] = live_reload
    env.filters["display_date"] = display_date
    env.filters["join_names"] = join_names
    env.filters["cite_article"] = cite_article
    env.filters["cite_note"] = lambda note, article: cite_note(config, note, article)
    env.filters["suggest_note_url"] = lambda article: suggest_note_url(config, article)
    env.filters["edit_note_url"] = lambda note: edit_note_url(config, note)
    env.filters["propose_data"] = lambda view: propose_data(config, view)
    env.filters["report_note_url"] = lambda note: report_note_url(config, note)
    return env


def display_date(iso: str, time: bool = True) -> str:
    """'2013-10-21T21:54:00-04:00' -> '21 October 2013, 21:54 UTC−04:00'."""
    if not iso:
        return ""
    moment = datetime.fromisoformat(iso)
    if "T" not in iso or not time:
        return f"{moment.day} {moment:%B %Y}"
    text = f"{moment.day} {moment:%B %Y, %H:%M}"
    offset = moment.strftime("%z")
    if offset:
        sign = "+" if offset[0] == "+" else "\u2212"
        text += f" UTC{sign}{offset[1:3]}:{offset[3:]}"
    return text


def join_names(names: tuple[str, ...]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""


def _apa_name(name: str) -> str:
    """'Ed Payne' -> 'Payne, E.'; a handle or a single name stays as it is."""
    parts = name.split()
    if len(parts) < 2 or name.startswith("@"):
        return name
    return f"{parts[-1]}, " + " ".join(f"{p[0]}." for p in parts[:-1])


def _apa_date(iso: str) -> str:
    if not iso:
        return "n.d."
    moment = datetime.fromisoformat(iso)
    return f"{moment.year}, {moment:%B} {moment.day}" if len(iso) > 4 else str(moment.year)


def cite_article(article) -> str:
    """The article in APA style (7th edition)."""
    names = [_apa_name(n) for n in article.authors]
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", & " + names[-1] if names else article.outlet
    text = f"{who} ({_apa_date(article.date)}). {article.title}."
    if names and article.outlet:
        text += f" {article.outlet}."
    return text + (f" {article.source}" if article.source else "")


def cite_note(config: SiteConfig, note: NoteView, article) -> str:
    """A note in APA style, as a contribution to the edition, with its permalink."""
    address = config.absolute_url(f"{article.slug}/") + f"#note-{note.id}"
    return (f"{_apa_name(note.author)} ({_apa_date(note.date)}). {note.label} {note.number} on "
            f"\u201c{article.title}\u201d [Annotation]. {config.title}. {address}")


NOTE_TEMPLATE = """---
type: context
quote: "the passage you explain, copied from the article"
author: "@your-github-name"
sources:
  - title: "where the facts come from"
    url: https://
---
Your note: one idea, neutral, sourced, under 120 words.
"""


def on_github(config: SiteConfig) -> bool:
    return config.repository.startswith("https://github.com/")


def new_note_url(config: SiteConfig, slug: str, filename: str, text: str) -> str:
    """Where a reader sends a new note file: GitHub's editor on it, prefilled, in the
    article's folder; a mail to the editors with the file in its body; or the repository."""
    if on_github(config):
        folder = f"{config.folder}annotations/{slug}"
        return f"{config.repository}/new/{config.branch}/{folder}?" + urlencode({"filename": filename, "value": text})
    if config.repository.startswith("mailto:"):
        return config.repository + "?" + urlencode({"subject": f"A note on {slug}", "body": text}, quote_via=quote)
    return config.repository


def suggest_note_url(config: SiteConfig, article) -> str:
    """The article-level "Suggest a note" link, which works without JavaScript."""
    return new_note_url(config, article.slug, "your-note-id.md", NOTE_TEMPLATE)


def edit_note_url(config: SiteConfig, note: NoteView) -> str:
    """GitHub's editor on the note's own file, or '' when the repository is not on GitHub."""
    if not on_github(config):
        return ""
    return f"{config.repository}/edit/{config.branch}/{config.folder}annotations/{note.article_slug}/{note.id}.md"


def report_note_url(config: SiteConfig, note: NoteView) -> str:
    """A new issue (or mail) about the note, naming it and its permalink."""
    permalink = config.absolute_url(f"{note.article_slug}/") + f"#note-{note.id}"
    title = f"{note.label} {note.number} on \u201c{note.article_title}\u201d"
    body = f"About the note at {permalink}\n\nWhat is wrong, and where you read otherwise:\n"
    if on_github(config):
        return f"{config.repository}/issues/new?" + urlencode({"title": title, "body": body})
    if config.repository.startswith("mailto:"):
        return config.repository + "?" + urlencode({"subject": title, "body": body}, quote_via=quote)
    return ""


def propose_data(config: SiteConfig, view: ArticleView) -> str:
    """What the page's "Propose a note" control needs, as JSON for a data block: where to send
    the note file, and the build's own rules for matching a quote (the normalization, the
    blocks of text, the context words of a prefix), so that the page and the build agree."""
    slug = view.article.slug
    mail = config.repository.startswith("mailto:")
    data = {
        "slug": slug,
        "target": config.repository if mail else f"{config.repository}/new/{config.branch}/{config.folder}annotations/{slug}",
        "mail": mail,
        "note_ids": [note.id for note in view.notes],
        "roots": ["#article-title", ".article ul.highlights", ".article-body"],
        "block_tags": sorted(TEXT_BLOCKS),
        "skip": ".block-notes, aside, .noteref, .note-toggle, .propose-here",
        "whitespace": WHITESPACE,
        "equivalents": EQUIVALENTS,
        "context_words": CONTEXT_WORDS,
    }
    return json.dumps(data, ensure_ascii=True, sort_keys=True).replace("<", "\\u003c")


def article_view(env: jinja2.Environment, config: SiteConfig, item: AnnotatedArticle) -> ArticleView:
    """Number the notes in reading order, render each, and mark the passages they explain."""
    order = {id(block): index for index, block in enumerate(item.text.blocks)}
    # Numbered in the order readers meet their markers, which follow the end of each passage.
    anchors = sorted(item.anchors, key=lambda a: (order[id(a.block)], a.end, -a.start, a.note.id))
    note_partial = env.get_template("partials/note.html")
    ref_partial = env.get_template("partials/noteref.html")
    views, highlights = [], []
    for number, anchor in enumerate(anchors, start=1):
        note = anchor.note
        note_type = config.note_type(note.type)
        view = NoteView(note.id, number, note.type, note_type.label, note_type.symbol,
                        anchor.block.text[anchor.start:anchor.end], note.corrected, note.author, note.sources,
                        note.date, render_note_markdown(note.body), item.article.slug, item.article.title,
                        order[id(anchor.block)])
        views.append(view)
        highlights.append(Highlight(anchor.block, anchor.start, anchor.end, note.id, f"anchor anchor-{note.type}",
                                    ref_partial.render(note=view).strip(),
                                    note_partial.render(note=view, article=item.article).strip()))
    sections = [mark_section(section, [h for h in highlights if h.block.section == index])
                for index, section in enumerate(item.text.sections)]
    return ArticleView(item, sections[0], sections[1], sections[2], tuple(views))


def pairing_stylesheet(view: ArticleView) -> str:
    """CSS that pairs each passage with its note: both light up when either is hovered or
    focused, and an opened note is anchored under the paragraph (or heading, item, caption)
    that holds its marker. It names each note, which a shared stylesheet cannot, and needs no
    script. Markers are direct children of their block, so `:has(> marker)` finds the block.
    It also hides the notes of each type whose box the reader unticked in the type filter."""
    rules = []
    blocks: dict[int, str] = {}
    for note in view.notes:
        mark, aside, ref, toggle = f'mark[data-note="{note.id}"]', f"#note-{note.id}", f"#ref-{note.id}", f"#toggle-{note.id}"
        trigger = f"{mark}:hover, {aside}:hover, {aside}:focus-within, {ref}:focus, {ref}:hover, {toggle}:focus"
        rules.append(f"body:has({trigger}) {mark} {{ background: var(--mark-active); }}")
        rules.append(f"body:has({trigger}) {aside} {{ outline: 2px solid var(--accent); }}")
        blocks.setdefault(note.block, toggle)
        rules.append(f"{aside} {{ position-anchor: --block-{note.block}; }}")
    for block, toggle in blocks.items():
        rules.append(f".article :has(> {toggle}) {{ anchor-name: --block-{block}; }}")
    for note_type in dict.fromkeys(note.type for note in view.notes):
        hidden = f"body:has(#show-type-{note_type}:not(:checked))"
        rules.append(f"{hidden} :is(aside.note-{note_type}, .noteref-{note_type}) {{ display: none; }}")
        rules.append(f"{hidden} mark.anchor-{note_type} {{ background: none; }}")
    return "/* Generated: pairs each passage with its note. */\n" + "\n".join(rules) + "\n"


@contextmanager
def template_errors(config: SiteConfig) -> Iterator[None]:
    """Turn Jinja2's errors into diagnostics that name the template file."""
    try:
        yield
    except jinja2.TemplateSyntaxError as exc:
        raise UserError([Diagnostic(_theme_path(config, exc.filename), exc.lineno or 1, 1,
                                    f"template error: {exc.message}", "fix the template's Jinja2 syntax")])
    except jinja2.TemplateError as exc:
        raise UserError([Diagnostic(f"themes/{config.theme}/templates", 1, 1, f"template error: {exc}",
                                    "a template uses a name or file the theme does not provide")])


def render_view(env: jinja2.Environment, config: SiteConfig, item: AnnotatedArticle) -> ArticleView:
    with template_errors(config):
        return article_view(env, config, item)


def article_files(env: jinja2.Environment, config: SiteConfig, view: ArticleView) -> list[tuple[str, str]]:
    """One article's page, its pairing stylesheet, its W3C export and its plain text."""
    slug = view.article.slug
    with template_errors(config):
        page = env.get_template("article.html").render(view=view, jsonld=news_article_jsonld(config, view))
    return [
        (f"{slug}/index.html", page),
        (f"{slug}/notes.css", pairing_stylesheet(view)),
        (f"{slug}/annotations.jsonld", web_annotations(config, view.annotated, view.notes)),
        (f"{slug}/article.txt", article_plain_text(view.annotated.text)[0] + "\n"),
    ]


def article_search_records(config: SiteConfig, view: ArticleView) -> list[SearchRecord]:
    page = config.url(f"{view.article.slug}/")
    text = "\n".join(block.text for block in view.annotated.text.blocks)
    records = [SearchRecord(page, view.article.title, text)]
    for note in view.notes:
        records.append(SearchRecord(f"{page}#note-{note.id}", f"{note.label} {note.number}: {note.excerpt}",
                                    f"{note.quote}\n{plain_text(note.html)}"))
    return records


def _theme_path(config: SiteConfig, filename: str | None) -> str:
    if not filename:
        return f"themes/{config.theme}/templates"
    try:
        return Path(filename).resolve().relative_to(config.root.resolve()).as_posix()
    except ValueError:
        return filename
