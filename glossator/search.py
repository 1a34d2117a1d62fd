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
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

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


def records_key(records: list[SearchRecord], language: str) -> str:
    """A hash of everything the index is made from."""
    digest = hashlib.sha256(f"{language} pagefind {metadata.version('pagefind_bin')}".encode())
    for record in records:
        digest.update(b"\0".join(value.encode() for value in (record.url, record.title, record.content)) + b"\1")
    return digest.hexdigest()


def reuse_or_write_index(records: list[SearchRecord], site: Path, language: str, previous: Path) -> float | None:
    """Link the previous site's bundle into `site` when it was made from the same records
    (returns None); otherwise index anew and return the seconds it took. Indexing 16,000
    records takes seconds, linking a fraction of that."""
    key = records_key(records, language)
    old = previous / BUNDLE
    if (old / KEY_FILE).is_file() and (old / KEY_FILE).read_text(encoding="utf-8") == key:
        shutil.copytree(old, site / BUNDLE, copy_function=os.link)
        return None
    started = time.perf_counter()
    write_search_index(records, site, language)
    (site / BUNDLE / KEY_FILE).write_text(key, encoding="utf-8")
    return time.perf_counter() - started


def write_search_index(records: list[SearchRecord], site: Path, language: str) -> None:
    """Write the Pagefind bundle into `site/pagefind/`.

    Each record becomes a small page in a temporary folder that carries its own result URL
    (`data-pagefind-meta="url:..."`), and Pagefind's own program indexes the folder in one run.
    (Pagefind's Python service costs a round trip of 0.1 s per added record and sends every
    written file back through a pipe.)"""
    from pagefind_bin import get_executable

    with tempfile.TemporaryDirectory(prefix="glossator-search-") as source:
        for number, record in enumerate(records):
            page = Path(source) / f"{number:06d}.html"
            page.write_text(_stub_page(record, language), encoding="utf-8")
        command = [str(get_executable()), "--site", source, "--output-path", str(site / BUNDLE),
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


def _stub_page(record: SearchRecord, language: str) -> str:
    title, url, text = (html.escape(value) for value in (record.title, record.url, record.content))
    return (f'<!doctype html><html lang="{html.escape(language)}"><head><title>{title}</title></head>'
            f'<body data-pagefind-body data-pagefind-meta="url:{url}"><h1>{title}</h1><p>{text}</p></body></html>')
