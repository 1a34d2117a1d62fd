"""Planning: the articles of an edition and the cache key of each, found without rendering
anything, so that a build can tell what changed (or that nothing did) before it loads the
templates and the Markdown engine."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from .articles import article_paths
from .cache import ResultCache, article_key, edition_key
from .config import SiteConfig
from .diagnostics import Report
from .notes import article_note_files, note_files
from .publishing import static_files


@dataclass(frozen=True)
class Plan:
    """The articles of an edition and the cache key of each, found without rendering anything;
    `report` holds the problems found on the way (badly named or linked files, notes outside
    any article's folder)."""

    slugs: list[str]
    keys: list[str]
    note_counts: list[int]  # each article's note files, anchored or not
    edition_key: str  # the hash of site.yaml, the templates and the build's options
    static: str  # a hash of the theme's static files, which no article depends on
    report: Report

    @property
    def notes(self) -> int:
        return sum(self.note_counts)

    def stamp(self, *options: object) -> str:
        """One hash of the whole edition as a build would see it, with the build's options."""
        digest = hashlib.sha256(repr(options).encode() + self.edition_key.encode() + self.static.encode())
        for slug, key in zip(self.slugs, self.keys):
            digest.update(f"{slug} {key}\n".encode())
        return digest.hexdigest()

    def replanned(self, config: SiteConfig, cache: ResultCache, slugs: set[str]) -> Plan | None:
        """This plan after edits to these articles' files and notes only: their keys hashed
        from the files as they now are, every other kept. None when the edits need a whole
        plan: an article is new or gone, or a note file sits deeper than its article's folder."""
        keys, note_counts = list(self.keys), list(self.note_counts)
        digests = cache.digests(remembered=False)
        for slug in slugs:
            article = config.content_dir / f"{slug}.md"
            notes, misplaced = article_note_files(config, slug)
            if slug not in self.slugs or not article.is_file() or misplaced:
                return None
            index = self.slugs.index(slug)
            keys[index], note_counts[index] = article_key(self.edition_key, article, notes, digests), len(notes)
        return replace(self, keys=keys, note_counts=note_counts)


def plan_articles(config: SiteConfig, cache: ResultCache, live_reload: str = "", jobs: int | None = None) -> Plan:
    report = Report()
    paths = article_paths(config, report)
    notes = note_files(config, [path.stem for path in paths], report)
    edition_hash = edition_key(config.root, config.theme_dir, options=f"{config.base_url} {live_reload}")
    digests = cache.digests()
    digests.read_unknown([str(path) for path in paths] + [note for found in notes.values() for note in found], jobs)
    keys = [article_key(edition_hash, path, notes[path.stem], digests) for path in paths]
    static = hashlib.sha256("".join(f"{relative}\0{digests.digest(path)}\n"
                                    for relative, path in static_files(config)).encode()).hexdigest()
    if cache.writable:
        digests.save()
    return Plan([path.stem for path in paths], keys, [len(notes[path.stem]) for path in paths], edition_hash, static,
                report)
