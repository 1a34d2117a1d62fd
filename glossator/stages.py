"""The stages that render: each article as one job (load it and its notes, anchor them, render
its page, its share of the edition-wide pages and its search records), taken from the cache
when nothing it depends on changed and spread over all cores otherwise; then the edition pages.
`check`, `build` and the live preview (`serving.Preview`) share these stages up to
`render_site` and differ in their ends. `load_site` loads everything into memory at once, for
the tools that edit notes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment

from . import worker_count
from .anchoring import AnnotatedArticle, anchor_article
from .articles import load_article, load_articles
from .buildstate import spare_path
from .cache import ArticleResult, ResultCache
from .config import SiteConfig, load_config
from .diagnostics import Report, UserError
from .edition import edition_parts, render_edition
from .notes import Note, load_notes, load_notes_of
from .pages import article_files, article_search_records, make_environment, render_view
from .parts import EditionPage, spool_parts
from .plan import Plan
from .publishing import LastSite, Publication, publish
from .rendering import article_text
from .search import plan_shards, records_digest
from .spool import Spool

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


@dataclass(frozen=True)
class RenderedSite:
    """Every article rendered (in file-name order, their shares of the edition pages in the
    spool) with the problems found, none of them an error: where `check`, `build` and the
    preview part ways."""

    config: SiteConfig
    plan: Plan
    report: Report
    results: list[ArticleResult]
    spool: Spool
    env: Environment  # the templates, compiled once for the articles and the edition pages

    def edition_pages(self, search_bundles: list[str]) -> Iterator[EditionPage]:
        outlines = [result.outline for result in self.results if result.outline]
        return render_edition(self.env, self.config, outlines, self.spool, search_bundles, self.plan.edition_key)


def render_site(config: SiteConfig, cache: ResultCache, plan: Plan, spool: Spool, reused: dict[str, ArticleResult],
                strict: bool = False, live_reload: str = "", progress: Progress | None = None,
                jobs: int | None = None) -> RenderedSite:
    """Render every article (see `render_articles`); raise UserError on any error (or warning,
    when `strict`)."""
    report, results = render_articles(config, cache, plan, spool, reused, live_reload, progress, jobs)
    stop_on_problems(report, strict)
    env = _worker_setup(str(config.root), config.base_url, live_reload, plan.edition_key)[1]
    return RenderedSite(config, plan, report, results, spool, env)


def publish_site(site: RenderedSite, output: Path, cache: ResultCache, previous: LastSite | None,
                 jobs: int | None = None) -> Publication:
    """Write the articles' files, the edition-wide pages and the search index (its records
    read back from the cache) to `output`, from what `previous` published where it can."""
    results = sorted((r for r in site.results if r.outline), key=lambda r: (r.outline.date, r.slug), reverse=True)
    shards = plan_shards([(r.slug, r.records_digest, r.record_count) for r in results], site.config.language)
    stored = [file for result in results for file in result.files]
    return publish(site.config, output, cache.files, stored, site.edition_pages([shard.bundle for shard in shards]),
                   shards, lambda position: cache.records(results[position].key), previous, spare_path(cache, output),
                   jobs)


Progress = Callable[[int, int], None]  # (articles done, articles in all)


def render_articles(config: SiteConfig, cache: ResultCache, plan: Plan, spool: Spool,
                    reused: dict[str, ArticleResult], live_reload: str = "",
                    progress: Progress | None = None, jobs: int | None = None) -> tuple[Report, list[ArticleResult]]:
    """Every article's result, in file-name order: `reused` to be already in the spool (the
    last build's, by slug), else from the cache or rendered, with its share of the edition
    pages moved to `spool` as it arrives; and all problems in one report. `live_reload` is
    for the preview's pages only."""
    report = Report(list(plan.report.diagnostics))
    results: list[ArticleResult | None] = [None] * len(plan.keys)
    for index, key in enumerate(plan.keys):
        result = reused.get(plan.slugs[index])
        if result is None or result.key != key:
            cached = cache.get(key)
            result = cached and spooled(cached, spool)
        results[index] = result
    missing = [index for index, result in enumerate(results) if result is None]
    work = [ArticleJob(str(config.root), config.base_url, plan.slugs[index], plan.edition_key, live_reload,
                       key=plan.keys[index] if cache.writable else "")
            for index in missing]
    for index, result in zip(missing, _run(work, progress, worker_count(jobs))):
        results[index] = spooled(result, spool)
    for result in results:
        report.extend(result.diagnostics)
    return report, results


def stop_on_problems(report: Report, strict: bool) -> None:
    """Raise with every diagnostic when there are errors (or warnings, in strict mode)."""
    if report.errors or (strict and report.warnings):
        raise UserError(report.sorted())


def spooled(result: ArticleResult, spool: Spool) -> ArticleResult:
    """The result with its share of the edition pages moved out of memory, into the spool."""
    return replace(result, parts=None, outline=spool_parts(result.parts, spool)) if result.parts else result


def _run(work: list[ArticleJob], progress: Progress | None, workers: int) -> Iterator[ArticleResult]:
    """Render the articles in order, in `workers` processes when there are enough of them."""
    if len(work) >= PARALLEL_THRESHOLD and workers > 1:
        from concurrent.futures import ProcessPoolExecutor  # a rebuild of one article does without

        with ProcessPoolExecutor(max_workers=workers) as pool:
            chunk = max(1, min(16, len(work) // (8 * workers)))
            yield from _counted(pool.map(render_article, work, chunksize=chunk), len(work), progress)
    else:
        yield from _counted(map(render_article, work), len(work), progress)


def _counted(results: Iterator[ArticleResult], total: int, progress: Progress | None) -> Iterator[ArticleResult]:
    for done, result in enumerate(results, start=1):
        if progress:
            progress(done, total)
        yield result


@lru_cache(maxsize=4)
def _worker_setup(root: str, base_url: str | None, live_reload: str, edition_key: str):
    """Configuration and templates, loaded once per process for each state of the edition
    (`edition_key` is the hash of site.yaml and the templates, so a change loads them again)."""
    config = load_config(Path(root), base_url)
    return config, make_environment(config, live_reload)


@dataclass(frozen=True)
class ArticleJob:
    """One article to render, as a worker process receives it. With a `key` (a build, the
    preview) its files and result are stored in the cache under it; without (`check`),
    nothing is stored."""

    root: str
    base_url: str | None
    slug: str
    edition_key: str  # the hash of site.yaml, the templates and the build's options, for the worker's setup
    live_reload: str = ""
    key: str = ""


def render_article(job: ArticleJob) -> ArticleResult:
    """One article, start to finish: load, anchor, render. Problems are returned, not raised."""
    config, env = _worker_setup(job.root, job.base_url, job.live_reload, job.edition_key)
    slug = job.slug
    report = Report()
    try:
        article = load_article(config.content_dir / f"{slug}.md", f"content/{slug}.md", report)
        notes = load_notes_of(config, slug, report)
        if article is None:
            return ArticleResult(slug, [], None, "", 0, report.diagnostics)
        item, problems = anchor_article(article, notes, article_text(article))
        report.extend(problems)
        view = render_view(env, config, item)
        cache = ResultCache(Path(job.root), writable=bool(job.key))
        stored = [(path, cache.files.put(text) if cache.writable else "")
                  for path, text in article_files(env, config, view)]
        records = article_search_records(config, view)
        result = ArticleResult(slug, stored, edition_parts(env, config, view), records_digest(records),
                               len(records), report.diagnostics, job.key)
        if job.key:
            cache.put(job.key, result, records)
        return result
    except UserError as error:
        return ArticleResult(slug, [], None, "", 0, report.diagnostics + error.diagnostics)
