"""The build, stage by stage: configuration, plan, articles with their notes and anchors, pages,
edition pages, search index, output.

`check`, `build` and the live preview (`serving.Preview`) share the stages up to
`stages.render_site` and differ in their ends: `check` reports, `build` publishes to a folder,
the preview keeps the rendered site in memory and updates the folder it serves."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .buildstate import BuildMemory, build_lock
from .cache import ResultCache
from .config import load_config
from .diagnostics import Diagnostic, Report
from .plan import plan_articles
from .publishing import check_output_folder, remove_leftovers
from .search import BUNDLE
from .spool import Spool

if TYPE_CHECKING:
    from .stages import Progress


@dataclass(frozen=True)
class BuildSummary:
    """What a build did: its problems (warnings only, or it would have raised), the number of
    pages and of note files, and the seconds spent in the search indexer (None: the index was
    reused)."""

    report: Report
    pages: int
    notes: int
    search_seconds: float | None
    up_to_date: bool = False


def build(root: Path, output: Path, base_url: str | None = None, strict: bool = False,
          use_cache: bool = True, progress: Progress | None = None, jobs: int | None = None) -> BuildSummary:
    """Check the edition, then write the site; raise UserError (nothing written) on any error.
    When nothing it is made from changed since the last build into `output`, that site stands.
    `jobs` is how many processes may work side by side (default: one per core)."""
    config = load_config(root, base_url)
    check_output_folder(config, output)
    cache = ResultCache(root, reuse=use_cache)
    with build_lock(cache, output):
        remove_leftovers(output)
        plan = plan_articles(config, cache, jobs=jobs)
        memory = BuildMemory(cache, output, plan.stamp(str(output.resolve()), strict), dict(zip(plan.slugs, plan.keys)),
                             enabled=use_cache)
        last = None if plan.report.errors else memory.unchanged()
        if last:
            return BuildSummary(Report([Diagnostic(**d) for d in last["warnings"]]), last["pages"], plan.notes,
                                None, up_to_date=True)
        from .stages import publish_site, render_site  # Jinja2 and Markdown load only when something must be rendered

        reused, previous, spool = memory.resume()
        site = render_site(config, cache, plan, spool, reused, strict, progress=progress, jobs=jobs)
        memory.forget()  # before the output folder or its spare is touched
        published = publish_site(site, output, cache, previous, jobs)
        memory.remember(site.results, published, site.report, spool)
        spool.close()
    return BuildSummary(site.report, published.pages, plan.notes, published.search_seconds)


def check(root: Path, strict: bool = False, jobs: int | None = None) -> tuple[int, int, Report]:
    """Everything `build` checks, the templates included, without writing a file (the cache is
    only read). Returns the numbers of articles and of anchored notes, and the report."""
    from .stages import render_site

    config = load_config(root)
    cache = ResultCache(root, writable=False)
    plan = plan_articles(config, cache, jobs=jobs)
    site = render_site(config, cache, plan, Spool(), {}, strict, jobs=jobs)
    for page in site.edition_pages([BUNDLE]):
        page.make()  # rendered for the templates' errors, not written
    outlines = [result.outline for result in site.results]
    return len(outlines), sum(len(outline.notes) for outline in outlines), site.report
