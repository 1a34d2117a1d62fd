"""Notes: reads `annotations/<article-slug>/<note-id>.md` files into `Note` values."""

from __future__ import annotations

import difflib
import ipaddress
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .config import SLUG, SiteConfig
from .timestamps import is_iso_timestamp
from .diagnostics import Diagnostic, Report, UserError
from .yamldoc import YamlDoc, parse_yaml, read_source, split_front_matter, validate, yaml_scalar

MAX_WORDS = 120


@dataclass(frozen=True)
class Source:
    """A source a note cites."""

    title: str
    url: str


@dataclass(frozen=True)
class Note:
    """One note: where it points (quote and selectors), what it says, who wrote it."""

    id: str
    article: str
    shown_path: str  # the note file's path as messages show it: annotations/<slug>/<id>.md
    type: str
    quote: str
    prefix: str
    suffix: str
    occurrence: int | None
    author: str
    sources: tuple[Source, ...]
    corrected: str
    date: str
    body: str
    positions: tuple[tuple[str, int, int], ...]

    def where(self, field: str) -> tuple[int, int]:
        """Line and column of a front matter field in the note file (of the file's start if absent)."""
        return next(((line, col) for name, line, col in self.positions if name == field), (1, 1))

    def error(self, field: str, message: str, hint: str = "", severity: str = "error") -> Diagnostic:
        line, col = self.where(field)
        return Diagnostic(self.shown_path, line, col, message, hint, severity)


def load_notes(config: SiteConfig, article_slugs: list[str], report: Report) -> dict[str, list[Note]]:
    """Load every note, grouped by article slug; notes for unknown articles are errors."""
    note_files(config, article_slugs, report)
    return {slug: load_notes_of(config, slug, report) for slug in article_slugs}


def note_files(config: SiteConfig, article_slugs: list[str], report: Report) -> dict[str, list[str]]:
    """The paths of each article's note files, by name; a note file anywhere else is an error.
    (Plain strings: a rebuild checks 150,000 of them, and pathlib would double its time.)"""
    found: dict[str, list[str]] = {slug: [] for slug in article_slugs}
    root = config.annotations_dir
    if not root.is_dir():
        return found
    for entry in sorted(os.scandir(root), key=lambda e: e.name):
        if entry.is_dir():
            notes, misplaced = _scan_article_folder(entry.path)
            if entry.name in found:
                found[entry.name] = notes
            else:
                misplaced = notes + misplaced
            for path in misplaced:
                _misplaced(config, path, article_slugs, report)
        elif entry.name.endswith(".md") and entry.name.lower() != "readme.md":
            _misplaced(config, entry.path, article_slugs, report)
    return found


def article_note_files(config: SiteConfig, slug: str) -> tuple[list[str], list[str]]:
    """One article's note files, and the .md files in folders below its own (misplaced)."""
    folder = config.annotations_dir / slug
    return _scan_article_folder(str(folder)) if folder.is_dir() else ([], [])


def _scan_article_folder(folder: str) -> tuple[list[str], list[str]]:
    """(notes directly in the folder, .md files in folders below it), sorted."""
    notes, deeper = [], []
    for entry in os.scandir(folder):
        if entry.is_dir():
            deeper += sorted(str(path) for path in Path(entry.path).rglob("*.md"))
        elif entry.name.endswith(".md"):
            notes.append(entry.path)
    return sorted(notes), deeper


def _misplaced(config: SiteConfig, where: str, article_slugs: list[str], report: Report) -> None:
    path = Path(where)
    shown_path = path.relative_to(config.root).as_posix()
    relative = path.relative_to(config.annotations_dir)
    if len(relative.parts) != 2:
        report.error(shown_path, 1, 1, "note file is not in an article's folder",
                     "put each note in annotations/<article-slug>/<note-id>.md")
        return
    slug = relative.parts[0]
    close = difflib.get_close_matches(slug, article_slugs, n=1)
    hint = f"did you mean annotations/{close[0]}/? " if close else ""
    report.error(shown_path, 1, 1, f"no article '{slug}' for this note",
                 hint + "articles: " + (", ".join(article_slugs) or "none yet, import one first"))


def load_notes_of(config: SiteConfig, slug: str, report: Report) -> list[Note]:
    """Load the notes of one article (the live preview reloads only what changed)."""
    notes = []
    for path, inside in config.markdown_files(config.annotations_dir / slug):
        if (note := _load_checked(config, path, slug, inside, report)) is not None:
            notes.append(note)
    return notes


def _load_checked(config: SiteConfig, path: Path, slug: str, inside: bool, report: Report) -> Note | None:
    shown_path = path.relative_to(config.root).as_posix()
    if not inside:
        report.error(shown_path, 1, 1, "this file links to a place outside the edition",
                     "replace the symbolic link with the file itself")
        return None
    if not SLUG.match(path.stem):
        report.error(shown_path, 1, 1, f"bad note file name {path.name!r}",
                     "a note's file name is its id: lower-case letters, digits and hyphens, such as `expresed-typo.md`")
        return None
    try:
        return load_note(path, shown_path, slug, config, report)
    except UserError as error:
        report.extend(error.diagnostics)
        return None


def load_note(path: Path, shown_path: str, slug: str, config: SiteConfig, report: Report) -> Note | None:
    """Load one note file; returns None when its front matter has errors (in `report`)."""
    text = read_source(path, shown_path)
    front, body, _ = split_front_matter(text, shown_path)
    doc = parse_yaml(front, shown_path, first_line=2)
    problems = validate(doc, "note") + _check_type(doc, config) + _check_source_addresses(doc)
    problems += _check_date(doc, {(problem.line, problem.col) for problem in problems})
    if problems:
        report.extend(problems)
        return None
    data = doc.data
    note = Note(
        id=path.stem, article=slug, shown_path=shown_path, type=data["type"], quote=data["quote"],
        prefix=data.get("prefix", ""), suffix=data.get("suffix", ""), occurrence=data.get("occurrence"),
        author=data["author"], sources=tuple(Source(s["title"], s["url"]) for s in data.get("sources", ())),
        corrected=data.get("corrected", ""), date=data.get("date", ""), body=body.strip(),
        positions=_positions(doc),
    )
    problems = _check_note(note)
    report.extend(problems)
    return None if any(p.severity == "error" for p in problems) else note


def _positions(doc: YamlDoc) -> tuple[tuple[str, int, int], ...]:
    keys = list(doc.data) if isinstance(doc.data, dict) else []
    return tuple((key, *doc.position(key)) for key in keys)


def _check_type(doc: YamlDoc, config: SiteConfig) -> list[Diagnostic]:
    """The note type must be one of site.yaml's `note_types` (checked even when other fields fail)."""
    note_type = doc.data.get("type") if isinstance(doc.data, dict) else None
    if not isinstance(note_type, str) or config.note_type(note_type) is not None:
        return []
    ids = [t.id for t in config.note_types]
    close = difflib.get_close_matches(note_type, ids, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    line, col = doc.position("type")
    return [Diagnostic(doc.path, line, col, f"unknown note type '{note_type}'", hint + "types: " + ", ".join(ids))]


def _check_date(doc: YamlDoc, reported: set[tuple[int, int]]) -> list[Diagnostic]:
    """A date of the right form that no calendar has (the schema checks the form)."""
    value = doc.data.get("date") if isinstance(doc.data, dict) else None
    if not isinstance(value, str) or doc.position("date") in reported or is_real_date(value):
        return []
    line, col = doc.position("date")
    return [Diagnostic(doc.path, line, col, f"field 'date' is not a real date: {value!r}",
                       "write the day the note was written as YYYY-MM-DD, e.g. 2026-11-28")]


def front_matter_lines(note: Note) -> list[str]:
    """A note's fields as front matter lines, in the order contributors write them (the
    scaffold and import-notes write notes with it)."""
    lines = [f"type: {note.type}", f"quote: {yaml_scalar(note.quote)}"]
    lines += [f"{key}: {yaml_scalar(value)}" for key, value in (("prefix", note.prefix), ("suffix", note.suffix)) if value]
    if note.occurrence is not None:
        lines.append(f"occurrence: {note.occurrence}")
    if note.corrected:
        lines.append(f"corrected: {yaml_scalar(note.corrected)}")
    lines.append(f"author: {yaml_scalar(note.author)}")
    if is_real_date(note.date):
        lines.append(f"date: {note.date}")
    if note.sources:
        lines.append("sources:")
        for source in note.sources:
            lines += [f"  - title: {yaml_scalar(source.title)}", f"    url: {yaml_scalar(source.url)}"]
    return lines


def is_real_date(value: str) -> bool:
    """'2024-02-29' yes, '2023-02-29' or '2024-13-45' no."""
    return len(value) == 10 and is_iso_timestamp(value)


# Labels that mark a copy of a site not meant for readers: staging.example.org, preview.…, dev.…
NOT_PUBLIC_LABELS = {"staging", "preview", "dev"}


def _check_source_addresses(doc: YamlDoc) -> list[Diagnostic]:
    """A source must be the public address readers reach, not a staging or preview copy of the
    page, nor one on the author's own computer or a bare IP address."""
    sources = doc.data.get("sources") if isinstance(doc.data, dict) else None
    problems = []
    for index, source in enumerate(sources if isinstance(sources, list) else []):
        url = source.get("url") if isinstance(source, dict) else None
        why = _not_public(url) if isinstance(url, str) else ""
        if why:
            line, col = doc.position("sources", index, "url")
            problems.append(Diagnostic(doc.path, line, col, f"source address is {why}: {url}",
                                       "cite the page's public, canonical address, as readers reach it"))
    return problems


PUBLIC_ADDRESS = re.compile(r"^https?://[^\s/]+\S*$")  # as the note schema's `url`


def public_source(url: str) -> bool:
    """Whether a note may cite this address: http(s), and one the public reaches."""
    return bool(PUBLIC_ADDRESS.match(url)) and not _not_public(url)


def _not_public(url: str) -> str:
    """Why an address is not one the public reaches, or ''."""
    try:
        host = (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:
        return ""  # the schema reports an address it cannot read
    labels = host.split(".")
    if host == "localhost" or host.endswith(".localhost"):
        return "on this computer (localhost)"
    if host[:1].isdigit() or ":" in host:  # only these can be IP addresses; most hosts skip the parse
        try:
            ipaddress.ip_address(host)
            return "a bare IP address"
        except ValueError:
            pass
    # Only a label left of the site's own name counts: dev.to is a public site.
    if NOT_PUBLIC_LABELS & set(labels[:-2]):
        return "on a staging, preview or development host"
    return ""


def _check_note(note: Note) -> list[Diagnostic]:
    """Warnings for odd but legal notes (the schema has checked the fields' forms)."""
    problems = []
    if not note.body:
        problems.append(note.error("", "note has no text", "write the note below the closing '---'", "warning"))
    elif len(note.body.split()) > MAX_WORDS:
        problems.append(note.error("", f"note is long ({len(note.body.split())} words)",
                                   f"keep notes under {MAX_WORDS} words: one idea per note", "warning"))
    if not note.sources:
        problems.append(note.error("", "note cites no source", "add `sources:` with a title and url", "warning"))
    if note.corrected and note.type != "correction":
        problems.append(note.error("corrected", "only corrections show a corrected reading",
                                   "use `type: correction`, or remove `corrected:`", "warning"))
    return problems
