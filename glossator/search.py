"""Search: a Pagefind index of articles and notes, served as static files (no server needed).

Notes are added as records of their own whose URL is the note's permalink, so that a search
hit on a note leads to the note in place, under whatever base path the site has."""

from __future__ import annotations

import asyncio
import html
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
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


def write_search_index(records: list[SearchRecord], site: Path, language: str) -> None:
    """Write the Pagefind bundle into `site/pagefind/`.

    Each record becomes a small page in a temporary folder that carries its own result URL
    (`data-pagefind-meta="url:..."`); Pagefind then indexes the folder in one call. (Adding
    records one by one costs a round trip of 0.1 s each to the Pagefind process.)"""
    with tempfile.TemporaryDirectory(prefix="glossator-search-") as source:
        for number, record in enumerate(records):
            page = Path(source) / f"{number:06d}.html"
            page.write_text(_stub_page(record, language), encoding="utf-8")
        try:
            # A thread of its own, so that this works inside a running event loop (the preview's).
            with ThreadPoolExecutor(max_workers=1) as worker:
                worker.submit(asyncio.run, _index_folder(Path(source), site / BUNDLE, language)).result()
        except (OSError, RuntimeError) as exc:
            raise UserError([Diagnostic("pagefind", 1, 1, f"the search index could not be written: {exc}",
                                        "reinstall Glossator's dependencies: pip install -e . (pagefind[bin])")])


def _stub_page(record: SearchRecord, language: str) -> str:
    title, url, text = (html.escape(value) for value in (record.title, record.url, record.content))
    return (f'<!doctype html><html lang="{html.escape(language)}"><head><title>{title}</title></head>'
            f'<body data-pagefind-body data-pagefind-meta="url:{url}"><h1>{title}</h1><p>{text}</p></body></html>')


async def _index_folder(source: Path, bundle: Path, language: str) -> None:
    from pagefind.index import PagefindIndex

    async with PagefindIndex(config={"force_language": language}) as index:
        await index.add_directory(path=str(source))
        await index.write_files(output_path=str(bundle))
