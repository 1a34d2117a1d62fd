"""Configuration: reads `site.yaml` into a `SiteConfig`."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .diagnostics import Diagnostic, UserError
from .yamldoc import parse_yaml, read_source, validate

CONFIG_FILE = "site.yaml"

DEFAULT_NOTE_TYPES = (
    ("correction", "Correction", "Corrections", "\u270e", "editing"),
    ("context", "Context", "Context", "\u25c6", "commenting"),
    ("definition", "Definition", "Definitions", "\u25b2", "describing"),
    ("source", "Source", "Sources", "\u25a0", "linking"),
    ("question", "Question", "Questions", "?", "questioning"),
)
# The shape shown for a type that site.yaml gives none: colour is never the only cue.
DEFAULT_SYMBOL = "\u25cf"

_SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# An article's slug and a note's id: what may name a file and a URL path segment.
SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$")


@dataclass(frozen=True)
class NoteType:
    """A kind of note, as listed in `site.yaml`: its id, the word readers see, its plural."""

    id: str
    label: str
    plural: str
    symbol: str
    motivation: str
    description: str = ""
    tags: tuple[str, ...] = ()  # tags of imported annotations that mean this type (lower case)


@dataclass(frozen=True)
class SiteConfig:
    """The edition's settings and the folders it is built from."""

    root: Path
    title: str
    description: str
    language: str
    base_url: str
    theme: str
    repository: str
    note_types: tuple[NoteType, ...]
    branch: str = "main"
    folder: str = ""  # the edition's folder in the repository: "" or "editions/2013/"

    @property
    def takes_note_files(self) -> bool:
        """Whether a reader can send a note file from the page: to GitHub's editor, or by mail."""
        return self.repository.startswith(("https://github.com/", "mailto:"))

    @property
    def base_path(self) -> str:
        """The path part of the base URL, always ending in '/': '/' or '/repo/'."""
        return urlsplit(self.base_url).path or "/"

    def contains(self, path: Path) -> bool:
        """Whether a path, once symbolic links are followed, stays inside the edition's folder.
        Paths found under the root without a symbolic link on the way are inside; only the
        others are resolved (resolving every one of 150,000 notes would cost seconds)."""
        absolute = path if path.is_absolute() else self.root / path
        if absolute.is_relative_to(self.root) and not _crosses_symlink(absolute, self.root):
            return True
        return path.resolve().is_relative_to(self.root.resolve())

    def markdown_files(self, folder: Path) -> list[tuple[Path, bool]]:
        """The `.md` entries of a folder in name order, each with whether it stays inside the
        edition. The folder is checked once, and a file is resolved only when its entry is a
        symbolic link: walking each of 160,000 paths up to the root took a second."""
        if not folder.is_dir():
            return []
        folder_inside = self.contains(folder)
        entries = sorted((entry for entry in os.scandir(folder) if entry.name.endswith(".md")), key=lambda e: e.name)
        return [(Path(entry.path), self.contains(Path(entry.path)) if entry.is_symlink() or not folder_inside else True)
                for entry in entries]

    def url(self, path: str = "") -> str:
        """The site-absolute URL of a page or file: base path + path, never a `<base href>`."""
        return self.base_path + path.lstrip("/")

    def absolute_url(self, path: str = "") -> str:
        """The full URL when base_url is absolute (feeds, canonical links); else `url(path)`."""
        if self.base_url.startswith("/"):
            return self.url(path)
        return self.base_url + path.lstrip("/")

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def annotations_dir(self) -> Path:
        return self.root / "annotations"

    @property
    def theme_dir(self) -> Path:
        return self.root / "themes" / self.theme

    def note_type(self, type_id: str) -> NoteType | None:
        return next((t for t in self.note_types if t.id == type_id), None)


def _crosses_symlink(path: Path, root: Path) -> bool:
    """Whether the path or a folder between it and `root` is a symbolic link (or `..`)."""
    while path != root:
        if path.name in ("", "..") or path.is_symlink():
            return True
        path = path.parent
    return False


def load_config(root: Path, base_url: str | None = None) -> SiteConfig:
    """Read and check `site.yaml` under `root`; `base_url` overrides the file's value."""
    doc = parse_yaml(read_source(root / CONFIG_FILE, CONFIG_FILE), CONFIG_FILE)
    problems = validate(doc, "site")
    if problems:
        raise UserError(problems)
    data = doc.data
    url_given = base_url if base_url is not None else data.get("base_url", "/")
    normalized_url = normalize_base_url(url_given)
    if normalized_url is None:
        line, col = doc.position("base_url") if base_url is None else (1, 1)
        where = CONFIG_FILE if base_url is None else "--base-url"
        raise UserError([Diagnostic(
            where, line, col, f"bad base URL {url_given!r}",
            "use an absolute address such as https://example.github.io/edition/ or a path such as /edition/",
        )])
    theme = data.get("theme", "default")
    config = SiteConfig(
        root=root,
        title=data["title"],
        description=data.get("description", ""),
        language=data.get("language", "en"),
        base_url=normalized_url,
        theme=theme,
        repository=data.get("repository", "").rstrip("/"),
        note_types=_note_types(data.get("note_types")),
        branch=data.get("branch", "main"),
        folder=data["folder"].strip("/") + "/" if data.get("folder") else "",
    )
    _check_theme(config, doc.position("theme"))
    _check_note_types(config, doc)
    return config


def normalize_base_url(url: str) -> str | None:
    """Return the base URL ending in '/', or None when it is neither http(s) nor a path."""
    parts = urlsplit(url.strip())
    if any(ch.isspace() or ord(ch) < 32 for ch in url.strip()) or parts.query or parts.fragment:
        return None
    if parts.scheme in ("http", "https") and parts.netloc:
        path = parts.path if parts.path.endswith("/") else parts.path + "/"
        return f"{parts.scheme}://{parts.netloc}{path}"
    if not parts.scheme and not parts.netloc and parts.path.startswith("/") and ".." not in parts.path.split("/"):
        return parts.path if parts.path.endswith("/") else parts.path + "/"
    return None


def _note_types(entries: list[dict[str, str]] | None) -> tuple[NoteType, ...]:
    if not entries:
        return tuple(NoteType(*fields) for fields in DEFAULT_NOTE_TYPES)
    defaults = {fields[0]: fields for fields in DEFAULT_NOTE_TYPES}
    return tuple(
        NoteType(e["id"], e["label"], e.get("plural", e["label"]),
                 e.get("symbol", defaults.get(e["id"], ("", "", "", DEFAULT_SYMBOL))[3]),
                 e.get("motivation", defaults.get(e["id"], ("", "", "", "", "commenting"))[4]),
                 e.get("description", ""), tuple(tag.lower() for tag in e.get("tags", ())))
        for e in entries
    )


def _check_theme(config: SiteConfig, position: tuple[int, int]) -> None:
    line, col = position
    if not _SAFE_NAME.match(config.theme):
        raise UserError([Diagnostic(CONFIG_FILE, line, col, f"bad theme name {config.theme!r}",
                                    "a theme is a folder name under themes/, such as `default`")])
    if not config.contains(config.theme_dir):
        raise UserError([Diagnostic(CONFIG_FILE, line, col, f"theme {config.theme!r} lies outside the edition",
                                    "copy the theme into themes/ instead of linking to it")])
    if not (config.theme_dir / "templates").is_dir():
        known = sorted(p.name for p in (config.root / "themes").glob("*") if (p / "templates").is_dir())
        raise UserError([Diagnostic(CONFIG_FILE, line, col, f"theme {config.theme!r} not found",
                                    "themes found: " + (", ".join(known) or "none"))])


def _check_note_types(config: SiteConfig, doc) -> None:
    seen: set[str] = set()
    for index, note_type in enumerate(config.note_types):
        if note_type.id in seen or not _SAFE_NAME.match(note_type.id):
            line, col = doc.position("note_types", index, "id")
            raise UserError([Diagnostic(CONFIG_FILE, line, col, f"bad or repeated note type id {note_type.id!r}",
                                        "ids are unique lower-case words such as `correction`")])
        seen.add(note_type.id)
