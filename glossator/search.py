"""Search: a Pagefind index of articles and notes, served as static files (no server needed).

Notes are added as records of their own whose URL is the note's permalink, so that a search
hit on a note leads to the note in place, under whatever base path the site has."""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from . import installed_version, worker_count
from .diagnostics import Diagnostic, UserError

BUNDLE = "pagefind"


@dataclass(frozen=True)
class SearchRecord:
    """One searchable thing: a page or a note, with the site-absolute URL it leads to."""

    url: str
    title: str
    content: str


def plain_text(fragment: str) -> str:
    """Text of an HTML fragment, for indexing."""
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment)).strip()


KEY_FILE = ".glossator-index-key"
# An edit re-indexes its article's shard, so shards are small; the search page merges every
# shard (each one more download for a reader's first search), so an edition of more than 32
# shards' worth has 32 larger ones instead. README, Speed, has the figures.
SHARD_RECORDS = 2_000
MAX_SHARDS = 32
# Shards are indexed side by side, one Pagefind process a core, as long as those running at
# once hold at most this many records: Pagefind takes about 20 kB a record.
RECORDS_AT_ONCE = 10_000


def records_digest(records: list[SearchRecord]) -> str:
    """A hash of one article's records, which the build keeps instead of the records."""
    digest = hashlib.sha256()
    for record in records:
        digest.update(b"\0".join(value.encode() for value in (record.url, record.title, record.content)) + b"\1")
    return digest.hexdigest()


@dataclass(frozen=True)
class SearchShard:
    """One Pagefind bundle, made from the records of some articles: an edition's index is
    split so that indexing holds a bounded number of records in memory, and an edit re-indexes
    only its article's shard. The search page merges the bundles."""

    bundle: str  # folder in the site: pagefind, pagefind-2, ...
    articles: tuple[int, ...]  # positions in the build's list of articles
    key: str
    records: int


def plan_shards(articles: list[tuple[str, str, int]], language: str) -> list[SearchShard]:
    """Shards for (slug, records digest, record count) of each article; an article's shard
    depends on its slug only, so that an edit changes one shard."""
    total = sum(count for _, _, count in articles)
    count = max(1, -(-total // max(SHARD_RECORDS, -(-total // MAX_SHARDS))))
    members: list[list[int]] = [[] for _ in range(count)]
    for position, (slug, _, _) in enumerate(articles):
        members[int(hashlib.sha256(slug.encode()).hexdigest()[:8], 16) % count].append(position)
    version = installed_version("pagefind_bin")
    shards = []
    # The first bundle always exists (the search page loads Pagefind from it); empty others don't.
    for number, positions in enumerate([members[0]] + [member for member in members[1:] if member]):
        digest = hashlib.sha256(f"{language} pagefind {version} page per article {number}/{count}".encode())
        for position in positions:
            digest.update(f"{articles[position][0]} {articles[position][1]}\n".encode())
        shards.append(SearchShard(BUNDLE if number == 0 else f"{BUNDLE}-{number + 1}", tuple(positions),
                                  digest.hexdigest(), sum(articles[position][2] for position in positions)))
    return shards


def bundles_in(site: Path) -> list[str]:
    """The search bundles of a built site, in shard order (pagefind, pagefind-2, ...)."""
    def number(name: str) -> int:
        return int(name.removeprefix(f"{BUNDLE}-")) if name != BUNDLE else 1

    found = [p.name for p in site.glob(f"{BUNDLE}*") if re.fullmatch(rf"{BUNDLE}(-\d+)?", p.name)]
    return sorted(found, key=number)


def write_shards(shards: list[SearchShard], records_of: Callable[[int], list[SearchRecord]], site: Path,
                 language: str, previous: Path, jobs: int | None = None) -> float | None:
    """Each shard's bundle in `site`: kept when `site` has it made from the same records,
    linked from the `previous` site when that has it, else indexed anew (several at once);
    bundles of shards that no longer exist are removed. Returns the seconds spent indexing
    (None: all reused). At most `jobs` Pagefind runs at once (default: one per core)."""
    to_index = []
    for shard in shards:
        bundle = site / shard.bundle
        if _bundle_key(bundle) == shard.key:
            continue
        shutil.rmtree(bundle, ignore_errors=True)
        if _bundle_key(previous / shard.bundle) == shard.key:
            shutil.copytree(previous / shard.bundle, bundle, copy_function=os.link)
        else:
            to_index.append(shard)
    for name in set(bundles_in(site)) - {shard.bundle for shard in shards}:
        shutil.rmtree(site / name)
    if not to_index:
        return None
    started = time.perf_counter()
    _index_side_by_side(to_index, records_of, site, language, worker_count(jobs))
    return time.perf_counter() - started


def _index_side_by_side(shards: list[SearchShard], records_of: Callable[[int], list[SearchRecord]], site: Path,
                        language: str, workers: int) -> None:
    """Index the shards, as many at once as `workers` and RECORDS_AT_ONCE allow: each
    Pagefind run uses little more than one core, and the threads mostly wait for it."""
    def index(shard: SearchShard) -> None:
        write_search_index(map(records_of, shard.articles), site / shard.bundle, language)
        (site / shard.bundle / KEY_FILE).write_text(shard.key, encoding="utf-8")

    at_once = min(len(shards), workers, max(1, RECORDS_AT_ONCE // max(s.records for s in shards)))
    if at_once == 1:
        for shard in shards:
            index(shard)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=at_once) as pool:
        for done in [pool.submit(index, shard) for shard in shards]:
            done.result()  # raises the first shard's error, once every run has ended


def _bundle_key(bundle: Path) -> str:
    try:
        return (bundle / KEY_FILE).read_text(encoding="utf-8")
    except OSError:
        return ""


def _scratch_folder(bundle: Path) -> Path:
    """Where Pagefind's input pages go: memory (/dev/shm) where the system has it, else beside
    the bundle. Creating a file on a disk costs 30 to 500 us here; 6,000 pages a shard."""
    memory = Path("/dev/shm")
    return memory if memory.is_dir() and os.access(memory, os.W_OK) else bundle.parent


def write_search_index(articles: Iterable[list[SearchRecord]], bundle: Path, language: str) -> None:
    """Write a Pagefind bundle into the folder `bundle`.

    Each article's records become one small page in a temporary folder: the article's text,
    then each note under a heading whose id is the note's, which Pagefind turns into a sub-result
    whose URL is the note's permalink. The page carries its own URL (`data-pagefind-meta`), and
    Pagefind's own program indexes the folder in one run. (A page per note made many times as
    many files to write and index, and Pagefind's Python service costs a round trip per added
    record.)"""
    from pagefind_bin import get_executable

    with tempfile.TemporaryDirectory(prefix="glossator-search-", dir=_scratch_folder(bundle)) as source:
        for number, records in enumerate(articles):
            page = Path(source) / f"{number:06d}.html"
            page.write_text(_search_page(records, language), encoding="utf-8")
        command = [str(get_executable()), "--site", source, "--output-path", str(bundle),
                   "--force-language", language, "--quiet"]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=600)
        except OSError as exc:
            raise _index_error(exc.strerror)
        if done.returncode != 0:
            raise _index_error((done.stderr or done.stdout).strip()[-500:])


def _index_error(problem: str) -> UserError:
    return UserError([Diagnostic("pagefind", 1, 1, f"the search index could not be written: {problem}",
                                 "reinstall Glossator's dependencies: pip install -e . (pagefind[bin])")])


def _search_page(records: list[SearchRecord], language: str) -> str:
    """The page Pagefind indexes for one article: its record first, then one section per note."""
    article, *notes = records
    sections = "".join(f'<h2 id="{html.escape(note.url.partition("#")[2])}">{html.escape(note.title)}</h2>'
                       f"<p>{html.escape(note.content)}</p>" for note in notes)
    title = html.escape(article.title)
    return (f'<!doctype html><html lang="{html.escape(language)}"><head><title>{title}</title></head>'
            f'<body data-pagefind-body data-pagefind-meta="url:{html.escape(article.url)}"><h1>{title}</h1>'
            f"<p>{html.escape(article.content)}</p>{sections}</body></html>")