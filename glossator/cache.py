"""Cache: each article's rendered result, stored under a hash of everything that can change it
(the tool and its dependencies, site.yaml, the theme's templates, the article file and its
note files), so that an unchanged article is never rendered again. A missing or corrupt entry
only costs the time to render it; the cache is JSON, never code."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

from . import __version__
from .diagnostics import Diagnostic
from .output import EditionParts
from .search import SearchRecord

CACHE_DIR = ".glossator-cache"
DEPENDENCIES = ("jinja2", "markdown", "pyyaml", "nh3", "jsonschema", "rapidfuzz")


@dataclass(frozen=True)
class ArticleResult:
    """All a build needs from one article."""

    slug: str
    files: list[tuple[str, str]]
    parts: EditionParts | None
    records: list[SearchRecord]
    diagnostics: list[Diagnostic]


def edition_key(root: Path, theme_dir: Path, variant: str = "") -> str:
    """The hash of what every article's result depends on (`variant`: the preview's pages)."""
    digest = hashlib.sha256()
    digest.update(f"glossator {__version__} {variant}\n".encode())
    for name in DEPENDENCIES:
        try:
            digest.update(f"{name} {metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} -\n".encode())
    digest.update((root / "site.yaml").read_bytes())
    templates = theme_dir / "templates"
    for path in sorted(templates.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(templates).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def article_key(edition: str, article: Path, notes: list[Path]) -> str:
    """The hash of one article's inputs: the edition's key, its file and its notes' files."""
    digest = hashlib.sha256(edition.encode())
    for path in [article, *notes]:
        digest.update(b"\0" + path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class ResultCache:
    """Article results on disk, one JSON file per key."""

    def __init__(self, root: Path, enabled: bool = True, writable: bool = True):
        self.folder = root / CACHE_DIR
        self.enabled = enabled
        self.writable = writable

    def get(self, key: str) -> ArticleResult | None:
        if not self.enabled:
            return None
        try:
            data = json.loads((self.folder / key[:2] / f"{key}.json").read_text(encoding="utf-8"))
            return _result(data)
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing or corrupt: render again

    def put(self, key: str, result: ArticleResult) -> None:
        if not (self.enabled and self.writable) or result.parts is None \
                or any(d.severity == "error" for d in result.diagnostics):
            return
        folder = self.folder / key[:2]
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(asdict(result), stream, ensure_ascii=False, separators=(",", ":"))
        os.replace(temporary, folder / f"{key}.json")


def _result(data: dict) -> ArticleResult:
    parts = data["parts"]
    return ArticleResult(
        slug=data["slug"],
        files=[(path, text) for path, text in data["files"]],
        parts=EditionParts(parts["slug"], parts["date"], parts["index_item"],
                           tuple(tuple(note) for note in parts["notes"]), tuple(parts["feed_entry"]),
                           tuple(tuple(entry) for entry in parts["note_feed_entries"]), parts["sitemap_entry"])
        if parts else None,
        records=[SearchRecord(**record) for record in data["records"]],
        diagnostics=[Diagnostic(**diagnostic) for diagnostic in data["diagnostics"]],
    )
