"""Files: writing a file so that no reader ever sees it half written, and the store of rendered
files by the hash of their text."""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
from collections.abc import Iterable
from pathlib import Path


def write_atomically(target: Path, chunks: Iterable[bytes], mode: int = 0o644) -> None:
    """Write a temporary file beside `target` and rename it into place, so that a reader never
    sees half a file. The file is made with its final mode, and its folder only when it is
    missing: the cache's workers store thousands of files, and on a slow disk a chmod or a
    failing mkdir costs as much as the write. (The name is the process's and thread's own; a
    leftover of a killed writer is replaced, and the cache prunes its own.)"""
    temporary = target.with_name(f".tmp-{os.getpid()}-{threading.get_ident()}-{target.name}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    try:
        handle = os.open(temporary, flags, mode)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(temporary, flags, mode)
    except FileExistsError:  # left by a killed process that had the same number
        os.unlink(temporary)
        handle = os.open(temporary, flags, mode)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.writelines(chunks)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


class FileStore:
    """Rendered files by the hash of their text, written once and never changed (read-only),
    and linked into each new site."""

    def __init__(self, folder: Path):
        self.folder = folder

    def path(self, digest: str) -> Path:
        return self.folder / digest[:2] / digest

    def put(self, text: str) -> str:
        data = text.encode("utf-8")
        digest = hashlib.sha256(data).hexdigest()
        target = self.path(digest)
        if not target.exists():
            write_atomically(target, [data], mode=0o444)
        return digest

    def place(self, digest: str, target: Path) -> None:
        """Put the file at `target` (a new path): a hard link, or a copy across devices."""
        try:
            os.link(self.path(digest), target)
        except OSError:
            shutil.copyfile(self.path(digest), target)
            os.chmod(target, 0o644)
