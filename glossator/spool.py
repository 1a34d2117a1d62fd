"""The spool: the edition pages' fragments in a file, kept between builds, with a table of where
each fragment is and a digest of its text."""

from __future__ import annotations

import hashlib
import os
import tempfile
from array import array
from collections.abc import Iterable
from pathlib import Path

from markupsafe import Markup

from .diagnostics import Diagnostic, UserError
from .files import write_atomically

Fragment = int  # a fragment's number in its Spool
TABLE_COLUMNS = ("Q", "Q", "I")  # a Spool's table: each fragment's digest, offset and length
TABLE_ENTRY_SIZE = sum(array(code).itemsize for code in TABLE_COLUMNS)


class Spool:
    """Fragments in a file, read back when their page is written, with a table of where
    each one is and a digest of its text: a fragment is its number in the table, so that
    150,000 notes' fragments take a few megabytes of memory. The file is temporary, or kept
    between builds (`path`, with the table beside it) and appended to."""

    def __init__(self, path: Path | None = None, fresh: bool = True) -> None:
        self.digests, self.offsets, self.lengths = (array(code) for code in TABLE_COLUMNS)
        self.name = str(path or "temporary spool")
        if path is None:
            self.file, self.table = tempfile.TemporaryFile(), None
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        self.table = self.table_path(path)
        if not fresh:
            self._read_table()
        self.file = open(path, "w+b" if fresh else "a+b")  # a+b: every write appends

    @staticmethod
    def table_path(path: Path) -> Path:
        return path.with_name(path.name + "-table")

    def _read_table(self) -> None:
        data = self.table.read_bytes()
        count, start = len(data) // TABLE_ENTRY_SIZE, 0
        for column in (self.digests, self.offsets, self.lengths):
            column.frombytes(data[start:start + column.itemsize * count])
            start += column.itemsize * count

    @property
    def end(self) -> int:
        return self.file.seek(0, os.SEEK_END)

    def __len__(self) -> int:
        return len(self.offsets)

    def put_all(self, texts: list[str]) -> range:
        """Append the texts in one write; returns their numbers."""
        first, end, chunks = len(self.offsets), self.end, []
        for text in texts:
            data = text.encode("utf-8")
            self.digests.append(_digest(data))
            self.offsets.append(end)
            self.lengths.append(len(data))
            chunks.append(data)
            end += len(data)
        self.file.write(b"".join(chunks))
        return range(first, len(self.offsets))

    def get(self, fragment: Fragment) -> str:
        """The fragment's text, checked against its digest: a damaged spool stops the build
        (whose state is already forgotten, so the next build starts afresh)."""
        self.file.seek(self.offsets[fragment])
        data = self.file.read(self.lengths[fragment])
        if _digest(data) != self.digests[fragment]:
            raise UserError([Diagnostic(self.name, 1, 1, "the build cache is damaged",
                                        "build again: the next build does not use what is damaged")])
        return data.decode("utf-8")

    def digest(self, fragment: Fragment) -> int:
        return self.digests[fragment]

    def digests_hex(self, fragments: Iterable[Fragment]) -> str:
        """The digests of some fragments as one string, for the hash of what a page shows."""
        return array("Q", map(self.digests.__getitem__, fragments)).tobytes().hex()

    def join(self, fragments: Iterable[Fragment]) -> Markup:
        """Fragments joined into one Markup for a template: one value, not thousands."""
        return Markup("".join(self.get(fragment) for fragment in fragments))

    def close(self) -> None:
        """Close the file, writing the table of a kept spool (through a rename: a build killed
        before this leaves the last one, which still describes the start of the file)."""
        self.file.close()
        if self.table is not None:
            write_atomically(self.table, [self.digests.tobytes(), self.offsets.tobytes(), self.lengths.tobytes()])


def _digest(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")
