"""Cache: each article's rendered result, stored under a hash of everything that can change it
(the tool and its dependencies, site.yaml, the theme's templates, the article file and its
note files), so that an unchanged article is never rendered again, and the digests of the
source files those hashes are made from. A missing or corrupt entry only costs the time to
render it; the cache is JSON, never code. (What a build leaves for the next build into the
same folder is `buildstate`'s, in the cache's `builds/` folder.)"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from . import __version__, installed_version, worker_count
from .diagnostics import Diagnostic
from .parts import EditionParts, Outline, outline_from_json, outline_to_json
from .files import FileStore, write_atomically
from .search import SearchRecord

CACHE_DIR = ".glossator-cache"
BUILDS = "builds"  # the folder of buildstate's files, whose states say which entries are in use
CACHE_FORMAT = 2  # raised whenever what an entry holds changes, so old entries are not read
PRUNE_AT_LEAST = 100  # new entries before the cache is pruned, for an edition of fewer articles
READ_IN_PARALLEL_AT = 4_000  # source files with no digest yet, from which they are read on every core
DEPENDENCIES = ("jinja2", "markdown", "pyyaml", "nh3", "jsonschema", "fastjsonschema", "rapidfuzz")


@dataclass(frozen=True)
class ArticleResult:
    """All a build needs from one article. Its files are (path in the site, digest) pairs:
    their text is in the cache's file store, so that a build never holds every page in memory
    and an unchanged page is linked into the new site rather than written again."""

    slug: str
    files: list[tuple[str, str]]
    parts: EditionParts | None  # None when it failed, or once its parts are in the spool
    records_digest: str  # the search records stay in the cache until the index needs them
    record_count: int
    diagnostics: list[Diagnostic]
    key: str = ""  # the cache key, where the records are
    outline: Outline | None = None  # where its parts are in the build's spool


def edition_key(root: Path, theme_dir: Path, options: str = "") -> str:
    """The hash of what every article's result depends on (`options`: the base URL and the
    preview's live-reload address, which every page carries)."""
    digest = hashlib.sha256()
    digest.update(f"glossator {__version__} cache {CACHE_FORMAT} {options}\n".encode())
    for name in DEPENDENCIES:
        digest.update(f"{name} {installed_version(name)}\n".encode())
    digest.update((root / "site.yaml").read_bytes())
    templates = theme_dir / "templates"
    for path in sorted(templates.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(templates).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class FileDigests:
    """The SHA-256 of source files, remembered with their size, modification time and inode
    (as git's index does), so that a rebuild reads only the files that changed. Only the
    files asked about are saved: a deleted source is forgotten.

    The file is saved again only when more than one source in a hundred had to be read (or
    was deleted): after an edit of a few notes, the next build reading those few again costs
    less than rewriting the digests of every source of a large edition (README, Speed)."""

    def __init__(self, folder: Path, enabled: bool):
        self.file = folder / "digests.json"
        self.remembered: dict[str, str] = {}  # path -> "size mtime inode sha256", one string is quick to save
        self.asked: set[str] = set()
        self.read = 0  # files whose digest was not remembered
        self.fresh: set[str] = set()  # read by `read_unknown` in this build
        if enabled:
            try:
                self.remembered = json.loads(self.file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.remembered = {}

    def digest(self, path: str | Path) -> str:
        name = str(path)
        self.asked.add(name)
        if name in self.fresh:
            return self.remembered[name].rpartition(" ")[2]
        signature = _signature(os.stat(name))
        remembered = self.remembered.get(name)
        if isinstance(remembered, str) and remembered.startswith(signature):
            return remembered[len(signature):]
        value = _file_sha256(name)
        self.remembered[name] = signature + value
        self.read += 1
        return value

    def read_unknown(self, names: list[str], jobs: int | None = None) -> None:
        """Hash the files that have no remembered digest side by side on every core, when there
        are many: a first build reads every source before any article can be rendered.
        `jobs`: at most that many processes (default: one per core)."""
        unknown = [name for name in names if name not in self.remembered]
        workers = worker_count(jobs)
        if len(unknown) < READ_IN_PARALLEL_AT or workers < 2:
            return
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            self.remembered.update(zip(unknown, pool.map(_signed_digest, unknown, chunksize=1_000)))
        self.fresh.update(unknown)
        self.read += len(unknown)

    def save(self) -> None:
        forgotten = len(self.remembered) - len(self.asked)
        if max(self.read, forgotten) * 100 > len(self.asked):
            write_json(self.file, [{name: self.remembered[name] for name in sorted(self.asked)}])


def _signature(stat: os.stat_result) -> str:
    return f"{stat.st_size} {stat.st_mtime_ns} {stat.st_ino} "


def _file_sha256(name: str) -> str:
    with open(name, "rb", buffering=0) as stream:  # one read, no buffer: 20% less per file
        return hashlib.sha256(stream.read()).hexdigest()


def _signed_digest(name: str) -> str:
    """A file's entry in FileDigests: "size mtime inode sha256"."""
    return _signature(os.stat(name)) + _file_sha256(name)


def article_key(edition_key: str, article: Path, notes: list[str], digests: FileDigests) -> str:
    """The hash of one article's inputs: the edition's key, its file and its notes' files."""
    digest = hashlib.sha256(edition_key.encode())
    for path in [str(article), *notes]:
        digest.update(b"\0" + os.path.basename(path).encode() + b"\0" + digests.digest(path).encode())
    return digest.hexdigest()


class ResultCache:
    """Article results on disk, one JSON file per key; `reuse=False` (`--no-cache`) renders
    everything again and stores the new results; `writable=False` (`check`) stores nothing."""

    def __init__(self, root: Path, reuse: bool = True, writable: bool = True):
        self.folder = root / CACHE_DIR
        self.reuse = reuse
        self.writable = writable
        self.files = FileStore(self.folder / "files")

    def digests(self, remembered: bool = True) -> FileDigests:
        """The digests of source files, for planning a build (then let go: for a large
        edition they are the largest thing the build holds): the remembered ones, or none
        (`remembered=False`), for hashing a few files quicker than loading them all."""
        return FileDigests(self.folder, enabled=self.reuse and remembered)

    def get(self, key: str) -> ArticleResult | None:
        if not self.reuse:
            return None
        try:
            with self._entry(key).open(encoding="utf-8") as stream:
                result = result_from_json(json.loads(stream.readline()), key)
            if all(self.files.path(digest).is_file() for _, digest in result.files):
                return result
        except (OSError, ValueError, KeyError, TypeError):
            pass
        return None  # missing or corrupt: render again

    def put(self, key: str, result: ArticleResult, records: list[SearchRecord]) -> None:
        """Store a result and its search records (workers store their own, in parallel);
        never one with errors."""
        if not self.writable or result.parts is None or any(d.severity == "error" for d in result.diagnostics):
            return
        write_json(self._entry(key), [result_to_json(result), [vars(record) for record in records]])

    def records(self, key: str) -> list[SearchRecord]:
        """The search records stored with a result, on the entry's second line: only a search
        shard that changed reads them."""
        with self._entry(key).open(encoding="utf-8") as stream:
            stream.readline()
            return [SearchRecord(**record) for record in json.loads(stream.readline())]

    def prune_when_grown(self, new_entries: int, articles: int) -> None:
        """Count the entries a build added; once they add up to as many as the edition has
        articles (or a hundred, for a small one), `prune`. Pruning reads the whole cache, so
        it waits until there is about an edition's worth of old results to drop."""
        counter = self.folder / "growth.json"
        try:
            grown = json.loads(counter.read_text(encoding="utf-8"))["new_entries"] + new_entries
        except (OSError, ValueError, KeyError, TypeError):
            grown = new_entries
        if grown >= max(articles, PRUNE_AT_LEAST):
            self.prune()
            grown = 0
        write_json(counter, [{"new_entries": grown}])

    def prune(self) -> None:
        """Delete the results and stored files that no build's state uses: what edits and
        changed templates left behind. What was written in the last minute stays, in case a
        preview (which keeps no state) has just stored it."""
        entries, files = set(), set()
        for state in (self.folder / BUILDS).glob("*.state.json"):
            try:
                with state.open(encoding="utf-8") as lines:
                    next(lines)  # the header
                    for result in map(json.loads, lines):
                        entries.add(f"{result['key']}.json")
                        files.update(digest for _, digest in result["files"])
            except (OSError, ValueError, KeyError, TypeError):
                continue  # a broken state keeps nothing: its build will start afresh
        recent = time.time() - 60
        for path, used in [(p, entries) for p in self.folder.glob("??/*.json")] + \
                          [(p, files) for p in self.files.folder.glob("??/*")]:
            try:
                if path.name not in used and path.stat().st_mtime < recent:
                    path.unlink()
            except OSError:
                pass

    def _entry(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

def write_json(target: Path, documents: Iterable[object]) -> None:
    """Write one JSON document per line, one at a time, so that a large state is never held
    twice (dumps, not dump: only dumps uses the C encoder)."""
    write_atomically(target, ((json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
                              for document in documents))


def result_to_json(result: ArticleResult) -> dict:
    """A result as JSON: its parts (in a cache entry) or its outline (in a build's state)."""
    data = {"slug": result.slug, "files": result.files, "records_digest": result.records_digest,
            "record_count": result.record_count, "diagnostics": [vars(d) for d in result.diagnostics]}
    if result.parts:
        data["parts"] = vars(result.parts)
    if result.outline:
        data["outline"] = outline_to_json(result.outline)
    return data


def result_from_json(data: dict, key: str) -> ArticleResult:
    parts, outline = data.get("parts"), data.get("outline")
    return ArticleResult(
        slug=data["slug"],
        files=[(path, digest) for path, digest in data["files"]],
        parts=EditionParts(parts["slug"], parts["date"], parts["index_item"],
                           tuple(tuple(note) for note in parts["notes"]), tuple(parts["feed_entry"]),
                           tuple(tuple(entry) for entry in parts["note_feed_entries"]), parts["sitemap_entry"])
        if parts else None,
        records_digest=data["records_digest"],
        record_count=data["record_count"],
        diagnostics=[Diagnostic(**diagnostic) for diagnostic in data["diagnostics"]],
        key=key,
        outline=outline_from_json(outline) if outline else None,
    )
