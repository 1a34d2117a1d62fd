"""The edition-wide pages: the index of articles, all notes by type, errata, contributors,
search, 404, the feeds and the sitemap.

Each article contributes its share (`parts.EditionParts`, rendered with the article). The build
keeps those fragments in a spool file rather than in memory, and lists are split into pages
of a fixed size, so that an edition of 10,000 articles and 150,000 notes is written page by
page with memory that does not grow with its text. Every page comes with a hash of what it
is made from (`EditionPage.inputs`), so that a rebuild renders only the pages an edit
changed; the spool is kept between builds for the fragments of the others."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import jinja2
from markupsafe import Markup

from .config import SiteConfig
from .pages import ArticleView, template_errors
from .parts import EditionPage, EditionParts, Outline
from .spool import Fragment, Spool
from .syndication import (FEED_ENTRIES, FeedEntry, atom_entry, atom_feed, robots, sitemap, sitemap_entry,
                          w3c_datetime)

ARTICLES_PER_PAGE = 100
NOTES_PER_PAGE = 200

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


def _inputs(edition_key: str, path: str, *parts: object) -> str:
    """`parts` hold digests and small values only, never a fragment's number in the spool."""
    return hashlib.sha256(f"{edition_key}\0{path}\0{parts!r}".encode()).hexdigest()


def grouped_pages(groups: list[tuple[str, list[Fragment]]], size: int
                  ) -> Iterator[list[tuple[str, int, list[Fragment]]]]:
    """Split lists in named groups into pages of `size` items; each page lists, for every
    group it shows, (name, the group's whole length, its items on this page). There is always
    one page, empty for an empty list."""
    flat = [(name, ref) for name, refs in groups for ref in refs]
    totals = {name: len(refs) for name, refs in groups}
    for start in range(0, max(len(flat), 1), size):
        page: list[tuple[str, int, list[Fragment]]] = []
        for name, ref in flat[start:start + size]:
            if not page or page[-1][0] != name:
                page.append((name, totals[name], []))
            page[-1][2].append(ref)
        yield page


def _page_count(items: int, size: int) -> int:
    return max(1, -(-items // size))


def render_edition(env: jinja2.Environment, config: SiteConfig, outlines: list[Outline], spool: Spool,
                   search_bundles: list[str], edition_key: str) -> Iterator[EditionPage]:
    """The edition-wide files, one at a time, newest article first; `edition_key` is the hash
    of the templates and settings every page is made with."""
    outlines = sorted(outlines, key=lambda p: (p.date, p.slug), reverse=True)
    by_type: dict[str, list[Fragment]] = {}
    by_author: dict[str, list[Fragment]] = {}
    for outline in outlines:
        for kind, author, entry, credit in outline.notes:
            by_type.setdefault(kind, []).append(entry)
            by_author.setdefault(author, []).append(credit)
    kinds = [t.id for t in config.note_types if t.id in by_type]
    authors = sorted(by_author, key=lambda name: (name.lstrip("@").lower(), name))
    lists = TemplatePages(env, config, spool, edition_key)
    yield from lists.index_pages(outlines)
    total = sum(len(refs) for refs in by_type.values())
    yield from lists.pages("notes/", "notes.html", [(k, by_type[k]) for k in kinds],
                           lambda page: {"groups": page, "total": total})
    yield from lists.pages("errata/", "errata.html", [("correction", by_type.get("correction", []))],
                           lambda page: {"entries": page[0][2] if page else Markup("")})
    yield from lists.pages("contributors/", "contributors.html", [(a, by_author[a]) for a in authors],
                           lambda page: {"contributors": page})
    bundles = [config.url(f"{bundle}/") for bundle in search_bundles]
    yield lists.template_page("search/index.html", "search.html", (bundles,), bundles=bundles)
    yield lists.template_page("404.html", "404.html", ())
    yield from _feeds(config, outlines, spool, edition_key)
    latest = max((p.date for p in outlines), default="")
    static_pages = [("", latest), ("notes/", ""), ("errata/", ""), ("contributors/", ""), ("search/", "")]
    entries = [p.sitemap_entry for p in outlines]
    yield EditionPage("sitemap.xml", _inputs(edition_key, "sitemap.xml", static_pages, spool.digests_hex(entries)),
                      lambda: sitemap([sitemap_entry(config, path, date) for path, date in static_pages]
                                      + [spool.get(entry) for entry in entries]))
    yield EditionPage("robots.txt", _inputs(edition_key, "robots.txt"), lambda: robots(config))
    yield EditionPage(".nojekyll", _inputs(edition_key, ".nojekyll"), lambda: "")


class TemplatePages:
    """Makes the template-rendered edition pages, each with its inputs' hash."""

    def __init__(self, env: jinja2.Environment, config: SiteConfig, spool: Spool, edition_key: str):
        self.env, self.config, self.spool, self.edition_key = env, config, spool, edition_key

    def template_page(self, path: str, template: str, inputs: tuple, **context) -> EditionPage:
        def make() -> str:
            with template_errors(self.config):
                return self.env.get_template(template).render(**{
                    name: self.spool.join(value.fragments) if isinstance(value, Joined) else value
                    for name, value in context.items()})
        return EditionPage(path, _inputs(self.edition_key, path, template, inputs), make)

    def index_pages(self, outlines: list[Outline]) -> Iterator[EditionPage]:
        count = _page_count(len(outlines), ARTICLES_PER_PAGE)
        for number in range(1, count + 1):
            pager = Pager("", number, count)
            shown = Joined(self.spool,
                           [p.index_item for p in outlines[(number - 1) * ARTICLES_PER_PAGE:number * ARTICLES_PER_PAGE]])
            yield self.template_page(pager.path + "index.html", "index.html", (pager, shown.digests),
                                     items=shown, pager=pager)

    def pages(self, base: str, template: str, groups: list[tuple[str, list[Fragment]]],
              context: Callable[[list], dict]) -> Iterator[EditionPage]:
        """The pages of a grouped list; `context` turns one page's groups, with their items
        joined, into the template's variables."""
        count = _page_count(sum(len(refs) for _, refs in groups), NOTES_PER_PAGE)
        for number, page in enumerate(grouped_pages(groups, NOTES_PER_PAGE), start=1):
            pager = Pager(base, number, count)
            shown = [(name, total, Joined(self.spool, refs)) for name, total, refs in page]
            path = pager.path + "index.html"
            inputs = (pager, [(name, total, joined.digests) for name, total, joined in shown])
            yield EditionPage(path, _inputs(self.edition_key, path, template, inputs),
                              self._list_maker(template, pager, shown, context))

    def _list_maker(self, template: str, pager: Pager, shown: list, context) -> Callable[[], str]:
        def make() -> str:
            joined = [(name, total, self.spool.join(item.fragments)) for name, total, item in shown]
            with template_errors(self.config):
                return self.env.get_template(template).render(pager=pager, **context(joined))
        return make


class Joined:
    """Fragments that a page shows joined into one value."""

    def __init__(self, spool: Spool, fragments: list[Fragment]):
        self.fragments = fragments
        self.digests = spool.digests_hex(fragments)


def _feeds(config: SiteConfig, outlines: list[Outline], spool: Spool, edition_key: str) -> Iterator[EditionPage]:
    """The articles' and the notes' Atom feeds, each with its newest FEED_ENTRIES entries
    (feed readers poll them; the archive is the site)."""
    for path, title, entries in (
            ("feed.xml", config.title, [p.feed_entry for p in outlines]),
            ("notes.xml", f"{config.title}: notes", [e for p in outlines for e in p.note_feed_entries])):
        newest = sorted(entries, key=lambda entry: entry[0], reverse=True)[:FEED_ENTRIES]
        inputs = _inputs(edition_key, path, [(updated, spool.digest(fragment)) for updated, fragment in newest])
        yield EditionPage(path, inputs, _feed_maker(config, title, path, newest, spool))


def _feed_maker(config: SiteConfig, title: str, path: str, newest: list, spool: Spool) -> Callable[[], str]:
    return lambda: atom_feed(config, title, path, [(updated, spool.get(fragment)) for updated, fragment in newest])
