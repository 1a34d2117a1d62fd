"""Articles: reads `content/<slug>.md` files into `Article` values."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .config import SLUG, SiteConfig
from .diagnostics import Diagnostic, Report, UserError
from .timestamps import is_iso_timestamp
from .yamldoc import YamlDoc, parse_yaml, read_source, split_front_matter, validate



@dataclass(frozen=True)
class Article:
    """One article: its front matter fields, its Markdown body, and where each came from."""

    slug: str
    shown_path: str  # the file's path as messages show it: content/<slug>.md
    title: str
    authors: tuple[str, ...]
    byline: str
    outlet: str
    updated: str
    published: str
    highlights: tuple[str, ...]
    source: str
    rights: str
    related: tuple[str, ...]
    topics: tuple[str, ...]
    language: str
    body: str
    body_line: int
    title_line: int
    highlight_lines: tuple[int, ...]

    @property
    def date(self) -> str:
        """The article's own timestamp: its update time, else its publication time."""
        return self.updated or self.published


def article_paths(config: SiteConfig, report: Report) -> list[Path]:
    """The article files under `content/`, in file-name order; badly named ones are errors."""
    paths = []
    for path, inside in config.markdown_files(config.content_dir):
        if not inside:
            report.error(path.relative_to(config.root).as_posix(), 1, 1, "this file links to a place outside the edition",
                         "replace the symbolic link with the file itself")
        elif SLUG.match(path.stem):
            paths.append(path)
        else:
            report.error(path.relative_to(config.root).as_posix(), 1, 1, f"bad article file name {path.name!r}",
                         "name articles with lower-case letters, digits and hyphens, such as `nsa-france.md`")
    return paths


def load_articles(config: SiteConfig, report: Report) -> list[Article]:
    """Load every article under `content/`, in file-name order; problems go to `report`."""
    articles = []
    for path in article_paths(config, report):
        shown_path = path.relative_to(config.root).as_posix()
        try:
            article = load_article(path, shown_path, report)
        except UserError as error:
            report.extend(error.diagnostics)
            continue
        if article is not None:
            articles.append(article)
    return articles


def load_article(path: Path, shown_path: str, report: Report) -> Article | None:
    """Load one article file; returns None when its front matter has errors (in `report`)."""
    text = read_source(path, shown_path)
    front, body, body_line = split_front_matter(text, shown_path)
    doc = parse_yaml(front, shown_path, first_line=2)
    problems = validate(doc, "article")
    problems += _check_values(doc, {(problem.line, problem.col) for problem in problems})
    if problems:
        report.extend(problems)
        return None
    data = doc.data
    highlights = tuple(data.get("highlights", ()))
    return Article(
        slug=path.stem, shown_path=shown_path, title=data["title"],
        authors=tuple(data.get("authors", ())), byline=data.get("byline", ""),
        outlet=data.get("outlet", ""), updated=data.get("updated", ""),
        published=data.get("published", ""), highlights=highlights,
        source=data.get("source", ""), rights=data.get("rights", ""),
        related=tuple(data.get("related", ())), topics=tuple(data.get("topics", ())),
        language=data.get("language", ""), body=body, body_line=body_line,
        title_line=doc.position("title")[0],
        highlight_lines=tuple(doc.position("highlights", i)[0] for i in range(len(highlights))),
    )


def _check_values(doc: YamlDoc, reported: set[tuple[int, int]]) -> list[Diagnostic]:
    """Dates that no calendar has, among those whose form the schema did not refuse (at a
    place already `reported`)."""
    problems = []
    data = doc.data if isinstance(doc.data, dict) else {}
    for key in ("updated", "published"):
        value = data.get(key)
        line, col = doc.position(key)
        if isinstance(value, str) and re.match(r"^\d{4}-", value) and not is_iso_timestamp(value) \
                and (line, col) not in reported:
            problems.append(Diagnostic(doc.path, line, col, f"field '{key}' is not a real date or time: {value!r}",
                                       "write it as '2013-10-21T21:54:00-04:00' (date, time, UTC offset)"))
    return problems
