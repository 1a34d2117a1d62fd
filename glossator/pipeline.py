"""The build, stage by stage: configuration, articles, notes, anchors, pages, output."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .anchoring import AnnotatedArticle, anchor_article
from .articles import load_articles
from .config import SiteConfig, load_config
from .diagnostics import Report, UserError
from .notes import Note, load_notes
from .output import publish, render_site
from .rendering import article_text


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


def build(root: Path, output: Path, base_url: str | None = None, strict: bool = False) -> tuple[Report, int]:
    """Check the edition, then write the site; raise UserError (nothing written) on any error."""
    site, report = load_site(root, base_url)
    stop_on_problems(report, strict)
    files, records = render_site(site.config, list(site.articles))
    pages = publish(site.config, output, files, records)
    return report, pages


def check(root: Path, strict: bool = False) -> tuple[Site, Report]:
    """Everything `build` checks, the templates included, without writing a file."""
    site, report = load_site(root)
    stop_on_problems(report, strict)
    render_site(site.config, list(site.articles))
    return site, report


def stop_on_problems(report: Report, strict: bool) -> None:
    """Raise with every diagnostic when there are errors (or warnings, in strict mode)."""
    if report.errors or (strict and report.warnings):
        raise UserError(report.sorted())
