"""The edition-wide pages: the index of articles, all notes by type, errata, contributors,
search, 404, the feeds and the sitemap.

Each article contributes its share (`EditionParts`, rendered with the article). The build
keeps those fragments in a temporary file rather than in memory, and lists are split into
pages of a fixed size, so that an edition of 10,000 articles and 150,000 notes is written
page by page with memory that does not grow with its text."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import jinja2
from markupsafe import Markup

from .config import SiteConfig
from .output import ArticleView, template_errors
from .syndication import (FEED_ENTRIES, FeedEntry, atom_entry, atom_feed, robots, sitemap, sitemap_entry,
                          w3c_datetime)

ARTICLES_PER_PAGE = 100
NOTES_PER_PAGE = 200

Ref = tuple[int, int]  # (offset, length) of a fragment in a Spool


@dataclass(frozen=True)
class EditionParts:
    """One article's share of the edition-wide pages, rendered with the article: the preview
    re-renders only the article that changed and joins the rest."""

    slug: str
    date: str
    index_item: str
    notes: tuple[tuple[str, str, str, str], ...]  # (type, author, entry for lists, item for credits)
    feed_entry: tuple[str, str]  # (updated, Atom entry)
    note_feed_entries: tuple[tuple[str, str], ...]
    sitemap_entry: str


def edition_parts(env: jinja2.Environment, config: SiteConfig, view: ArticleView) -> EditionParts:
    article = view.article
    with template_errors(config):
        entry, credit = env.get_template("partials/note-entry.html"), env.get_template("partials/note-credit.html")
        notes = tuple((n.type, n.author, entry.render(note=n), credit.render(note=n)) for n in view.notes)
        index_item = env.get_template("partials/article-item.html").render(view=view)
    return EditionParts(
        article.slug, article.date, index_item, notes,
        atom_entry(config, FeedEntry(f"{article.slug}/", article.title, w3c_datetime(article.date),
                                     article.authors, summary=" ".join(article.highlights))),
        tuple(atom_entry(config, FeedEntry(f"{n.article_slug}/#note-{n.id}",
                                           f"{n.label} {n.number} on \u201c{n.article_title}\u201d",
                                           w3c_datetime(n.date), (n.author,), html=n.html)) for n in view.notes),
        sitemap_entry(config, f"{article.slug}/", article.date),
    )


class Spool:
    """Fragments written to a temporary file and read back when their page is written."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()
        self.end = 0

    def put_all(self, texts: list[str]) -> list[Ref]:
        """Append the texts in one write; returns where each one is."""
        refs, chunks = [], []
        for text in texts:
            data = text.encode("utf-8")
            refs.append((self.end, len(data)))
            chunks.append(data)
            self.end += len(data)
        self.file.seek(0, 2)
        self.file.write(b"".join(chunks))
        return refs

    def get(self, ref: Ref) -> str:
        self.file.seek(ref[0])
        return self.file.read(ref[1]).decode("utf-8")

    def join(self, refs: Iterable[Ref]) -> Markup:
        """Fragments joined into one Markup for a template: one value, not thousands."""
        return Markup("".join(self.get(ref) for ref in refs))


@dataclass(frozen=True)
class SpooledParts:
    """EditionParts whose fragments are in a Spool; what stays in memory is small."""

    slug: str
    date: str
    index_item: Ref
    notes: tuple[tuple[str, str, Ref, Ref], ...]
    feed_entry: tuple[str, Ref]
    note_feed_entries: tuple[tuple[str, Ref], ...]
    sitemap_entry: Ref


def spool_parts(parts: EditionParts, spool: Spool) -> SpooledParts:
    texts = [parts.index_item, parts.feed_entry[1], parts.sitemap_entry]
    for _, _, entry, credit in parts.notes:
        texts += [entry, credit]
    texts += [entry for _, entry in parts.note_feed_entries]
    refs = iter(spool.put_all(texts))
    index_item, feed_entry, sitemap_entry = next(refs), next(refs), next(refs)
    notes = tuple((sys.intern(kind), sys.intern(author), next(refs), next(refs)) for kind, author, _, _ in parts.notes)
    note_feed_entries = tuple((updated, next(refs)) for updated, _ in parts.note_feed_entries)
    return SpooledParts(parts.slug, parts.date, index_item, notes, (parts.feed_entry[0], feed_entry),
                        note_feed_entries, sitemap_entry)


@dataclass(frozen=True)
class Pager:
    """Page `number` of `count` of a list whose first page is at `base` (`notes/`); the
    others at `notes/page/2/` and on, as Hugo and Jekyll paginate."""

    base: str
    number: int
    count: int

    def path_of(self, number: int) -> str:
        return self.base if number == 1 else f"{self.base}page/{number}/"

    @property
    def path(self) -> str:
        return self.path_of(self.number)

    @property
    def previous(self) -> str:
        return self.path_of(self.number - 1) if self.number > 1 else ""

    @property
    def next(self) -> str:
        return self.path_of(self.number + 1) if self.number < self.count else ""

    @property
    def last(self) -> str:
        return self.path_of(self.count)


def grouped_pages(groups: list[tuple[str, list[Ref]]], size: int) -> Iterator[list[tuple[str, int, list[Ref]]]]:
    """Split lists in named groups into pages of `size` items; each page lists, for every
    group it shows, (name, the group's whole length, its items on this page). There is always
    one page, empty for an empty list."""
    flat = [(name, ref) for name, refs in groups for ref in refs]
    totals = {name: len(refs) for name, refs in groups}
    for start in range(0, max(len(flat), 1), size):
        page: list[tuple[str, int, list[Ref]]] = []
        for name, ref in flat[start:start + size]:
            if not page or page[-1][0] != name:
                page.append((name, totals[name], []))
            page[-1][2].append(ref)
        yield page


def _page_count(items: int, size: int) -> int:
    return max(1, -(-items // size))


def render_edition(env: jinja2.Environment, config: SiteConfig, parts: list[SpooledParts], spool: Spool,
                   search_bundles: list[str]) -> Iterator[tuple[str, str]]:
    """The edition-wide files, one at a time, newest article first."""
    parts = sorted(parts, key=lambda p: (p.date, p.slug), reverse=True)
    by_type: dict[str, list[Ref]] = {}
    by_author: dict[str, list[Ref]] = {}
    for part in parts:
        for kind, author, entry, credit in part.notes:
            by_type.setdefault(kind, []).append(entry)
            by_author.setdefault(author, []).append(credit)
    kinds = [t.id for t in config.note_types if t.id in by_type]
    authors = sorted(by_author, key=lambda name: (name.lstrip("@").lower(), name))
    with template_errors(config):
        yield from _index_pages(env, parts, spool)
        yield from _list_pages(env, "notes/", "notes.html", [(k, by_type[k]) for k in kinds], spool,
                               lambda page: {"groups": page, "total": sum(len(refs) for refs in by_type.values())})
        yield from _list_pages(env, "errata/", "errata.html", [("correction", by_type.get("correction", []))],
                               spool, lambda page: {"entries": page[0][2] if page else Markup("")})
        yield from _list_pages(env, "contributors/", "contributors.html", [(a, by_author[a]) for a in authors],
                               spool, lambda page: {"contributors": page})
        bundles = [config.url(f"{bundle}/") for bundle in search_bundles]
        yield "search/index.html", env.get_template("search.html").render(bundles=bundles)
        yield "404.html", env.get_template("404.html").render()
    yield from _feeds(config, parts, spool)
    latest = max((p.date for p in parts), default="")
    static_pages = [("", latest), ("notes/", ""), ("errata/", ""), ("contributors/", ""), ("search/", "")]
    yield "sitemap.xml", sitemap([sitemap_entry(config, path, date) for path, date in static_pages]
                                 + [spool.get(p.sitemap_entry) for p in parts])
    yield "robots.txt", robots(config)
    yield ".nojekyll", ""


def _index_pages(env: jinja2.Environment, parts: list[SpooledParts], spool: Spool) -> Iterator[tuple[str, str]]:
    template = env.get_template("index.html")
    count = _page_count(len(parts), ARTICLES_PER_PAGE)
    for number in range(1, count + 1):
        pager = Pager("", number, count)
        shown = parts[(number - 1) * ARTICLES_PER_PAGE:number * ARTICLES_PER_PAGE]
        yield pager.path + "index.html", template.render(items=spool.join(p.index_item for p in shown), pager=pager)


def _list_pages(env: jinja2.Environment, base: str, template_name: str, groups: list[tuple[str, list[Ref]]],
                spool: Spool, context) -> Iterator[tuple[str, str]]:
    """The pages of a grouped list; `context` turns one page's groups, with their items
    joined, into the template's variables."""
    template = env.get_template(template_name)
    count = _page_count(sum(len(refs) for _, refs in groups), NOTES_PER_PAGE)
    for number, page in enumerate(grouped_pages(groups, NOTES_PER_PAGE), start=1):
        joined = [(name, total, spool.join(refs)) for name, total, refs in page]
        pager = Pager(base, number, count)
        yield pager.path + "index.html", template.render(pager=pager, **context(joined))


def _feeds(config: SiteConfig, parts: list[SpooledParts], spool: Spool) -> Iterator[tuple[str, str]]:
    """The articles' and the notes' Atom feeds, each with its newest FEED_ENTRIES entries
    (feed readers poll them; the archive is the site)."""
    for path, title, entries in (
            ("feed.xml", config.title, [p.feed_entry for p in parts]),
            ("notes.xml", f"{config.title}: notes", [e for p in parts for e in p.note_feed_entries])):
        newest = sorted(entries, key=lambda entry: entry[0], reverse=True)[:FEED_ENTRIES]
        yield path, atom_feed(config, title, path, [(updated, spool.get(ref)) for updated, ref in newest])
