"""The build, stage by stage: configuration, articles, notes, anchors, pages, output.

`build` and `check` treat each article as one job (load it and its notes, anchor them, render
its page, its share of the edition-wide pages and its search records), taken from the cache
when nothing it depends on changed and spread over all cores otherwise. `load_site` loads
everything into memory at once, for the live preview and the tools that edit notes."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .anchoring import AnnotatedArticle, anchor_article
from .articles import article_paths, load_article, load_articles
from .cache import ArticleResult, ResultCache, article_key, edition_key
from .config import SiteConfig, load_config
from .diagnostics import Report, UserError
from .notes import Note, check_note_places, load_notes, load_notes_of
from .output import (article_files, article_search_records, check_output_folder, edition_parts,
                     make_environment, publish, render_edition, render_view)
from .rendering import article_text

# Below this many articles to render, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 8


@dataclass(frozen=True)
class Site:
    """A loaded edition: its configuration and its annotated articles."""

    config: SiteConfig
    articles: tuple[AnnotatedArticle, ...]
    notes: dict[str, list[Note]]  # every loaded note, anchored or not, by article slug


def load_site(root: Path, base_url: str | None = None) -> tuple[Site, Report]:
    """Load and check everything, writing nothing; all problems are collected in the report."""
    config = load_config(root, base_url)
    report = Report()
    articles = load_articles(config, report)
    notes = load_notes(config, [a.slug for a in articles], report)
    annotated = []
    for article in articles:
        item, problems = anchor_article(article, notes[article.slug], article_text(article))
        report.extend(problems)
        annotated.append(item)
    return Site(config, tuple(annotated), notes), report


def build(root: Path, output: Path, base_url: str | None = None, strict: bool = False,
          use_cache: bool = True) -> tuple[Report, int]:
    """Check the edition, then write the site; raise UserError (nothing written) on any error."""
    config = load_config(root, base_url)
    check_output_folder(config, output)
    report, results = render_articles(config, ResultCache(root, enabled=use_cache))
    stop_on_problems(report, strict)
    return report, publish_site(config, make_environment(config), output, results)


def publish_site(config: SiteConfig, env, output: Path, results: list[ArticleResult]) -> int:
    """Write the articles' files, the edition-wide pages and the search index; returns pages."""
    results = sorted((r for r in results if r.parts), key=lambda r: (r.parts.date, r.slug), reverse=True)
    files = [file for result in results for file in result.files]
    files += render_edition(env, config, [result.parts for result in results])
    return publish(config, output, files, [record for result in results for record in result.records])


def check(root: Path, strict: bool = False) -> tuple[int, int, Report]:
    """Everything `build` checks, the templates included, without writing a file (the cache is
    only read). Returns the numbers of articles and of anchored notes, and the report."""
    config = load_config(root)
    report, results = render_articles(config, ResultCache(root, writable=False))
    stop_on_problems(report, strict)
    parts = [result.parts for result in results]
    render_edition(make_environment(config), config, parts)
    return len(parts), sum(len(part.notes) for part in parts), report


def stop_on_problems(report: Report, strict: bool) -> None:
    """Raise with every diagnostic when there are errors (or warnings, in strict mode)."""
    if report.errors or (strict and report.warnings):
        raise UserError(report.sorted())


def render_articles(config: SiteConfig, cache: ResultCache,
                    live_reload: str = "") -> tuple[Report, list[ArticleResult]]:
    """Every article's result, from the cache or rendered, in file-name order, with all
    problems in one report. `live_reload` is for the preview's pages only."""
    root = config.root
    report = Report()
    paths = article_paths(config, report)
    check_note_places(config, [path.stem for path in paths], report)
    edition = edition_key(root, config.theme_dir, variant=live_reload)
    keys = [article_key(edition, path, _note_paths(config, path.stem)) for path in paths]
    results: list[ArticleResult | None] = [cache.get(key) for key in keys]
    missing = [index for index, result in enumerate(results) if result is None]
    jobs = [(str(root), config.base_url, paths[index].stem, live_reload, edition) for index in missing]
    if len(jobs) >= PARALLEL_THRESHOLD and (os.cpu_count() or 1) > 1:
        with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
            rendered = list(pool.map(render_article, jobs, chunksize=max(1, len(jobs) // (8 * os.cpu_count()))))
    else:
        rendered = [render_article(job) for job in jobs]
    for index, result in zip(missing, rendered):
        results[index] = result
        cache.put(keys[index], result)
    for result in results:
        report.extend(result.diagnostics)
    return report, results


def _note_paths(config: SiteConfig, slug: str) -> list[Path]:
    return sorted((config.annotations_dir / slug).glob("*.md"), key=lambda path: path.name)


@lru_cache(maxsize=4)
def _worker_setup(root: str, base_url: str | None, live_reload: str, edition: str):
    """Configuration and templates, loaded once per process for each state of the edition
    (`edition` is the hash of site.yaml and the templates, so a change loads them again)."""
    config = load_config(Path(root), base_url)
    return config, make_environment(config, live_reload)


def render_article(job: tuple[str, str | None, str, str, str]) -> ArticleResult:
    """One article, start to finish: load, anchor, render. Problems are returned, not raised."""
    root, base_url, slug, live_reload, edition = job
    config, env = _worker_setup(root, base_url, live_reload, edition)
    report = Report()
    try:
        article = load_article(config.content_dir / f"{slug}.md", f"content/{slug}.md", report)
        notes = load_notes_of(config, slug, report)
        if article is None:
            return ArticleResult(slug, [], None, [], report.diagnostics)
        item, problems = anchor_article(article, notes, article_text(article))
        report.extend(problems)
        view = render_view(env, config, item)
        return ArticleResult(slug, article_files(env, config, view), edition_parts(env, config, view),
                             article_search_records(config, view), report.diagnostics)
    except UserError as error:
        return ArticleResult(slug, [], None, [], report.diagnostics + error.diagnostics)
