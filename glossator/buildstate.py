"""The build state: what a build into one output folder leaves for the next build there, in the
cache's `builds/` folder. A record that says whether anything changed, each article's result
with its fragments' place in the spool kept beside it, the site it published and the spare
(the site before it, which the next site is made in); and the lock that keeps two builds out of
one folder. `BuildMemory` is all `build()` sees of it."""

from __future__ import annotations

import fcntl
import hashlib
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .cache import BUILDS, ArticleResult, ResultCache, result_from_json, result_to_json, write_json
from .diagnostics import Report
from .parts import outline_fragments
from .publishing import LastSite, Publication, SiteManifest, is_folder
from .spool import TABLE_ENTRY_SIZE, Spool


def _output_name(output: Path) -> str:
    return hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:16]


def build_file(cache: ResultCache, output: Path, suffix: str) -> Path:
    """One of the files kept for builds into `output` (named by a hash of its resolved path)."""
    return cache.folder / BUILDS / f"{_output_name(output)}.{suffix}"


def spool_path(cache: ResultCache, output: Path) -> Path:
    return build_file(cache, output, "spool")


def spare_path(cache: ResultCache, output: Path) -> Path:
    """Where the site before the live one is kept, to make the next site in."""
    return cache.folder / "spare" / _output_name(output)


@contextmanager
def build_lock(cache: ResultCache, output: Path) -> Iterator[None]:
    """Held by a build into `output` for its whole run: a second build waits."""
    path = build_file(cache, output, "lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def forget_build(cache: ResultCache, output: Path) -> None:
    """The output folder is being changed by something else (the preview): the next build
    into it starts afresh."""
    for suffix in ("state.json", "json"):
        build_file(cache, output, suffix).unlink(missing_ok=True)


class BuildMemory:
    """What a build into `output` takes from the last build there, and leaves for the next: the
    record that tells whether anything changed, the results whose fragments are still in the
    kept spool, the site it published (whose predecessor, the spare, the next site is made in),
    and the cache's growth, which decides when to prune. `build()` calls it around its stages;
    disabled (`--no-cache`) it reuses nothing but still leaves its record."""

    def __init__(self, cache: ResultCache, output: Path, stamp: str, keys: dict[str, str], enabled: bool = True):
        self.cache, self.output, self.stamp, self.enabled = cache, output, stamp, enabled
        self.keys = keys  # each article's cache key, by slug
        self.old_keys: set[str] = set()

    def unchanged(self) -> dict | None:
        """The last build's record, when it was made from the same edition with the same
        options into this very folder: then its site stands."""
        last = self._last_record() if self.enabled else {}
        return last if last.get("stamp") == self.stamp and is_folder(self.output, last.get("folder")) else None

    def resume(self) -> tuple[dict[str, ArticleResult], LastSite | None, Spool]:
        """The last build's results whose keys are unchanged, the site it published, and the
        spool to render into: kept when results are reused, emptied otherwise."""
        state = self._state() if self.enabled else None
        reused, previous = _reusable(state, self.keys)
        self.old_keys = {result.key for result in state.results.values()} if state else set()
        if not reused:
            self.forget()  # the state points into the spool, which is about to be emptied
        return reused, previous, Spool(spool_path(self.cache, self.output), fresh=not reused)

    def forget(self) -> None:
        """Drop the state before the output or its spare changes: a build killed after this
        leaves the next one to start afresh rather than trust folders it half changed."""
        build_file(self.cache, self.output, "state.json").unlink(missing_ok=True)

    def remember(self, results: list[ArticleResult], published: Publication, report: Report, spool: Spool) -> None:
        """Record what this build made (its spool as long as it is now) and prune the cache
        when it has grown. A build killed before its spool is closed leaves a table shorter
        than this record says, which the next build refuses."""
        spooled_bytes, spooled_fragments = spool.end, len(spool)
        outlined = {result.slug: result for result in results if result.outline}
        if self.cache.writable:
            state = SiteState(outlined, spooled_bytes, spooled_fragments,
                              LastSite(published.site, published.inputs, published.spare))
            write_json(build_file(self.cache, self.output, "state.json"), state.to_json_lines())
            write_json(build_file(self.cache, self.output, "json"),
                       [{"stamp": self.stamp, "folder": published.site.folder, "pages": published.pages,
                         "warnings": [vars(d) for d in report.sorted()]}])
        self.cache.prune_when_grown(len(set(self.keys.values()) - self.old_keys), len(self.keys))

    def _last_record(self) -> dict:
        """What the last successful build into the folder was made from, or {}."""
        try:
            return json.loads(build_file(self.cache, self.output, "json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _state(self) -> SiteState | None:
        """What the last build into the folder left for the next one, if it still holds: the
        output folder and the spare are as it left them, and so is its spool."""
        try:
            with build_file(self.cache, self.output, "state.json").open(encoding="utf-8") as lines:
                state = SiteState.from_json_lines(lines)
            spool = spool_path(self.cache, self.output)
            if state.previous.site.describes(self.output) and spool.stat().st_size >= state.spool_size \
                    and Spool.table_path(spool).stat().st_size == TABLE_ENTRY_SIZE * state.fragments:
                return state
        except (OSError, ValueError, KeyError, TypeError):
            pass
        return None


# A kept spool is emptied when it has grown to this many times the fragments the build uses
# (and by this many more: a small spool is not worth the trouble).
SPOOL_SLACK = 3
SPOOL_MINIMUM = 10_000


def _reusable(state: SiteState | None, keys: dict[str, str]) -> tuple[dict[str, ArticleResult], LastSite | None]:
    """From the last build's state: the results whose keys are unchanged, with their
    fragments in the kept spool (none when the spool is to be emptied), and the site it
    published."""
    if state is None:
        return {}, None
    if state.fragments > SPOOL_SLACK * state.used_fragments() + SPOOL_MINIMUM:
        return {}, state.previous
    return {slug: result for slug, result in state.results.items() if keys.get(slug) == result.key}, state.previous


@dataclass(frozen=True)
class SiteState:
    """What a build leaves for the next build into the same folder: each article's result
    with its fragments' numbers in the spool (then `spool_size` bytes and `fragments`
    fragments long), and the site it published (`previous`). Saved as JSON lines: a header,
    then a line per result, so that neither saving nor loading holds it all twice."""

    results: dict[str, ArticleResult]  # by slug
    spool_size: int
    fragments: int
    previous: LastSite

    def to_json_lines(self) -> Iterator[dict]:
        previous = self.previous
        yield {"spool_size": self.spool_size, "fragments": self.fragments, "site": vars(previous.site),
               "inputs": previous.inputs, "spare": vars(previous.spare) if previous.spare else None}
        for result in self.results.values():
            yield dict(result_to_json(result), key=result.key)

    @staticmethod
    def from_json_lines(lines: Iterable[str]) -> SiteState:
        lines = iter(lines)
        header = json.loads(next(lines))
        results = (result_from_json(data, data["key"]) for data in map(json.loads, lines))
        spare = header["spare"]
        return SiteState({result.slug: result for result in results}, header["spool_size"], header["fragments"],
                         LastSite(SiteManifest(**header["site"]), header["inputs"], SiteManifest(**spare) if spare else None))

    def used_fragments(self) -> int:
        """How many of the spool's fragments its outlines use; the rest are older builds'."""
        return sum(sum(1 for _ in outline_fragments(result.outline)) for result in self.results.values()
                   if result.outline)
