"""An article's share of the edition-wide pages, as the cache and the spool keep it, and an
edition page as publishing receives it: plain data, so that the modules that store and publish
them (and a rebuild that finds nothing changed) need not load the templates that make them."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .spool import Fragment, Spool


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


@dataclass(frozen=True)
class Outline:
    """One article's share of the edition pages with its fragments in a Spool: what the
    build keeps in memory (and, for the next build, on disk) is small."""

    slug: str
    date: str
    index_item: Fragment
    notes: tuple[tuple[str, str, Fragment, Fragment], ...]
    feed_entry: tuple[str, Fragment]
    note_feed_entries: tuple[tuple[str, Fragment], ...]
    sitemap_entry: Fragment


def spool_parts(parts: EditionParts, spool: Spool) -> Outline:
    texts = [parts.index_item, parts.feed_entry[1], parts.sitemap_entry]
    for _, _, entry, credit in parts.notes:
        texts += [entry, credit]
    texts += [entry for _, entry in parts.note_feed_entries]
    refs = iter(spool.put_all(texts))
    index_item, feed_entry, sitemap_entry = next(refs), next(refs), next(refs)
    notes = tuple((sys.intern(kind), sys.intern(author), next(refs), next(refs)) for kind, author, _, _ in parts.notes)
    note_feed_entries = tuple((updated, next(refs)) for updated, _ in parts.note_feed_entries)
    return Outline(parts.slug, parts.date, index_item, notes, (parts.feed_entry[0], feed_entry),
                   note_feed_entries, sitemap_entry)


def outline_fragments(outline: Outline) -> Iterator[Fragment]:
    yield from (outline.index_item, outline.feed_entry[1], outline.sitemap_entry)
    for _, _, entry, credit in outline.notes:
        yield from (entry, credit)
    yield from (entry for _, entry in outline.note_feed_entries)


def outline_from_json(data: list) -> Outline:
    """An Outline from its JSON form (a list of its fields, fragments as lists)."""
    slug, date, index_item, notes, feed_entry, note_feed_entries, sitemap_entry = data
    return Outline(slug, date, index_item,
                   tuple((sys.intern(kind), sys.intern(author), entry, credit) for kind, author, entry, credit in notes),
                   tuple(feed_entry), tuple(map(tuple, note_feed_entries)), sitemap_entry)


def outline_to_json(outline: Outline) -> list:
    return [outline.slug, outline.date, outline.index_item, outline.notes, outline.feed_entry,
            outline.note_feed_entries, outline.sitemap_entry]


@dataclass(frozen=True)
class EditionPage:
    """One edition-wide file: `inputs` is a hash of everything it is made from (the edition's
    templates and settings, its fragments' digests, its place in a list), so that a page
    whose inputs did not change since the last build need not be made again."""

    path: str
    inputs: str
    make: Callable[[], str]
