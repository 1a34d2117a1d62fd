"""Publishing: the site folder made in a staging or spare tree, then swapped in whole, so that
the live site is never half written."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .config import SiteConfig
from .diagnostics import Diagnostic, UserError
from .parts import EditionPage
from .files import FileStore
from .search import SearchRecord, SearchShard, write_shards


@dataclass(frozen=True)
class SiteManifest:
    """What a published site folder holds, as the build that wrote it left it: each file's
    digest (search bundles apart, which carry their own key) and the folder's identity."""

    files: dict[str, str]
    folder: list[int]

    @staticmethod
    def identity(folder: Path) -> list[int]:
        """The folder's inode and change time: renaming it in or out changes them."""
        stat = folder.stat()
        return [stat.st_ino, stat.st_ctime_ns]

    def describes(self, folder: Path) -> bool:
        return is_folder(folder, self.folder)


def is_folder(folder: Path, identity: list[int] | None) -> bool:
    """Whether `folder` is the very folder whose `SiteManifest.identity` was taken."""
    return folder.is_dir() and SiteManifest.identity(folder) == identity


@dataclass(frozen=True)
class Publication:
    """What `publish` did: the HTML pages in the site, the seconds spent indexing (None:
    every search bundle was reused), the new site's files and each edition page's inputs,
    and the spare tree (the previous site, kept to be updated by the next build) if any."""

    pages: int
    search_seconds: float | None
    site: SiteManifest
    inputs: dict[str, str]
    spare: SiteManifest | None


@dataclass(frozen=True)
class LastSite:
    """The last build into the output folder, when its record still describes the folder:
    the live site, its edition pages' inputs, and the spare tree if one was kept."""

    site: SiteManifest
    inputs: dict[str, str]
    spare: SiteManifest | None


def publish(config: SiteConfig, output: Path, store: FileStore, stored: list[tuple[str, str]],
            pages: Iterable[EditionPage], shards: list[SearchShard],
            records_of: Callable[[int], list[SearchRecord]], previous: LastSite | None, spare: Path,
            jobs: int | None = None) -> Publication:
    """Make the new site, then swap it in; on any failure the live site stays as it was.

    The new site is made in the spare tree (the site before the live one, kept at `spare`)
    when the last build left one: only the files that differ from it are written, and the
    others are hard links shared with the live site. Otherwise it is made in a staging folder
    beside `output` (callers first `remove_leftovers` of a killed build). Either way, a file
    already in the live site is linked from there, an article file from the file store, and an
    edition page is made only when its inputs changed. The live site becomes the new spare."""
    check_output_folder(config, output)
    output.parent.mkdir(parents=True, exist_ok=True)
    use_spare = previous is not None and previous.spare is not None and previous.spare.describes(spare)
    target = spare if use_spare else Path(tempfile.mkdtemp(prefix=f"{output.name}.tmp-", dir=output.parent))
    writer = SiteWriter(target, previous.spare.files if use_spare else {}, output,
                        previous.site.files if previous else {})
    try:
        for relative, digest in stored:
            writer.put(relative, digest, lambda path, digest=digest: store.place(digest, path))
        inputs = put_pages(writer, pages, previous)
        for relative, source in static_files(config):
            data = source.read_bytes()
            writer.put(relative, hashlib.sha256(data).hexdigest(), lambda path, data=data: path.write_bytes(data))
        writer.remove_the_rest()
        search_seconds = write_shards(shards, records_of, target, config.language, previous=output, jobs=jobs)
        target.chmod(0o755)
    except BaseException:
        if not use_spare:
            shutil.rmtree(target, ignore_errors=True)
        raise
    spare_kept = _swap(target, output, spare)
    spare_manifest = None
    if spare_kept and previous:
        spare_manifest = SiteManifest(previous.site.files, SiteManifest.identity(spare))
    return Publication(sum(1 for path in writer.files if path.endswith(".html")), search_seconds,
                       SiteManifest(writer.files, SiteManifest.identity(output)), inputs, spare_manifest)


def put_pages(writer: SiteWriter, pages: Iterable[EditionPage], previous: LastSite | None) -> dict[str, str]:
    """Put each edition page in the tree: linked from the live site when its inputs are the
    same as at the last build, else made (rendered) and written. Returns each page's inputs."""
    inputs = {}
    for page in pages:
        live_digest = previous.site.files.get(page.path) if previous else None
        if live_digest and previous.inputs.get(page.path) == page.inputs:
            writer.put(page.path, live_digest,
                       lambda path, page=page: path.write_bytes(page.make().encode("utf-8")))
        else:
            data = page.make().encode("utf-8")
            writer.put(page.path, hashlib.sha256(data).hexdigest(), lambda path, data=data: path.write_bytes(data))
        inputs[page.path] = page.inputs
    return inputs


class SiteWriter:
    """Brings a site folder from the files it holds (`had`) to a new set of files, writing
    only what differs. A file is never written into: it is unlinked and made anew, because
    the spare and live sites share the files they have in common."""

    def __init__(self, folder: Path, had: dict[str, str], live: Path, live_files: dict[str, str]):
        self.folder, self.had, self.live, self.live_files = folder, had, live, live_files
        self.files: dict[str, str] = {}
        self.made_folders: set[Path] = set()  # a clean site makes thousands of files in few folders

    def put(self, relative: str, digest: str, make: Callable[[Path], object]) -> None:
        """Have `relative` hold the text with this digest: kept, linked from the live site,
        or made by `make` (also when the live site lost the file)."""
        self.files[relative] = digest
        if self.had.get(relative) == digest:
            return
        target = self.folder / relative
        if relative in self.had:
            target.unlink(missing_ok=True)
        elif target.parent not in self.made_folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.made_folders.add(target.parent)
        if self.live_files.get(relative) == digest:
            try:
                os.link(self.live / relative, target)
                return
            except FileNotFoundError:
                pass
        make(target)

    def remove_the_rest(self) -> None:
        """Delete the files the new site does not have, and the folders they leave empty."""
        for relative in self.had.keys() - self.files.keys():
            target = self.folder / relative
            target.unlink(missing_ok=True)
            for parent in target.parents:
                if parent == self.folder or any(parent.iterdir()):
                    break
                parent.rmdir()


def static_files(config: SiteConfig) -> list[tuple[str, Path]]:
    """The theme's static files: (path in the site, source)."""
    static = config.theme_dir / "static"
    if not static.is_dir():
        return []
    return sorted((f"static/{path.relative_to(static).as_posix()}", path)
                  for path in static.rglob("*") if path.is_file())


def remove_leftovers(output: Path) -> None:
    """Staging folders of a build that was killed before it could clean up after itself."""
    for pattern in (f"{output.name}.tmp-*", f"{output.name}.old-*"):
        for leftover in output.parent.glob(pattern):
            shutil.rmtree(leftover, ignore_errors=True)


def _swap(new: Path, output: Path, spare: Path) -> bool:
    """Put the new site in place of the output, and keep the old one at `spare` (on another
    disk, where a rename cannot take it, it is deleted). Returns whether it was kept. What is
    no longer needed (an older spare, a site a killed build left half-swapped) goes to a trash
    folder beside the spare and is deleted by a detached process, so that the build ends as
    soon as the new site is in place: deleting 25,000 files takes a second. Builds into one
    output folder hold its lock (`build_lock`), so none sees another's folders."""
    if not output.exists():
        os.rename(new, output)
        return False
    spare.parent.mkdir(parents=True, exist_ok=True)
    for leftover in spare.parent.glob("swap-*"):
        os.rename(leftover, _trash_name(spare))
    swapping = Path(tempfile.mkdtemp(prefix="swap-", dir=spare.parent))
    try:
        os.rename(output, swapping / "site")
    except OSError:
        swapping.rmdir()
        old = Path(tempfile.mkdtemp(prefix=f"{output.name}.old-", dir=output.parent))
        os.rename(output, old / output.name)
        os.rename(new, output)
        shutil.rmtree(old, ignore_errors=True)
        return False
    os.rename(new, output)
    if spare.exists():
        os.rename(spare, _trash_name(spare))
    os.rename(swapping / "site", spare)
    swapping.rmdir()
    if any(spare.parent.glob("trash-*")):
        subprocess.Popen([sys.executable, "-c", _EMPTY_TRASH, str(spare.parent)], start_new_session=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return True


def _trash_name(spare: Path) -> Path:
    """A new name in the trash: a folder is renamed straight to it, so that a deleter still
    at work on the trash never finds it half moved."""
    return spare.parent / f"trash-{os.getpid()}-{time.time_ns()}"


_EMPTY_TRASH = ("import pathlib, shutil, sys\n"
                "for p in pathlib.Path(sys.argv[1]).glob('trash-*'): shutil.rmtree(p, True)")


def check_output_folder(config: SiteConfig, output: Path) -> None:
    """The output folder is replaced whole: never let it be the project or one of its sources."""
    resolved, root = output.resolve(), config.root.resolve()
    protected = [root, root / "content", root / "annotations", root / "themes", root / "glossator"]
    looks_like_site = not output.exists() or not any(output.iterdir()) or (output / "index.html").exists()
    if resolved in protected or resolved in root.parents or not looks_like_site:
        raise UserError([Diagnostic(str(output), 1, 1, "refusing to replace this folder with the site",
                                    "choose an output folder of its own, such as _site")])
