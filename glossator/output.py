"""Output: turns annotated articles into pages with the theme's Jinja2 templates, and
publishes the site atomically (a staging folder swapped in only when all is written)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator
from urllib.parse import urlencode

import jinja2

from .anchoring import AnnotatedArticle
from .config import SiteConfig
from .diagnostics import Diagnostic, UserError
from .rendering import Highlight, mark_section, render_note_markdown
from .search import SearchRecord, SearchShard, plain_text, write_shards
from .syndication import article_plain_text, news_article_jsonld, web_annotations

if TYPE_CHECKING:
    from .cache import FileStore  # cache.py imports this module
    from .edition import EditionPage  # edition.py imports this module


@dataclass(frozen=True)
class NoteView:
    """A note as a page shows it: numbered in reading order, with its HTML."""

    id: str
    number: int
    type: str
    label: str
    symbol: str
    quote: str
    corrected: str
    author: str
    sources: tuple
    date: str
    html: str
    article_slug: str
    article_title: str
    block: int  # the reading-order index of the block holding the passage

    @property
    def excerpt(self) -> str:
        """The start of the quoted passage, for labels such as 'Correction 3: expresed'."""
        words = self.quote.split()
        return " ".join(words[:8]) + ("..." if len(words) > 8 else "")


@dataclass(frozen=True)
class ArticleView:
    """An article page's parts, ready for the template."""

    annotated: AnnotatedArticle
    title_html: str
    highlights_html: str
    body_html: str
    notes: tuple[NoteView, ...]

    @property
    def article(self):
        return self.annotated.article


def make_environment(config: SiteConfig, live_reload: str = "") -> jinja2.Environment:
    """Jinja2 with autoescaping and StrictUndefined; `url()` is the one place URLs are made.
    `live_reload` is the address of the preview server's reload script, for `serve` only."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(config.theme_dir / "templates")),
        autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
        trim_blocks=True, lstrip_blocks=True,
        auto_reload=False,  # an environment lives for one state of the templates (see pipeline._worker_setup)
    )
    env.globals["url"] = config.url
    env.globals["absolute_url"] = config.absolute_url
    env.globals["site"] = config
    env.globals["live_reload"] = live_reload
    env.filters["display_date"] = display_date
    env.filters["join_names"] = join_names
    env.filters["cite_article"] = cite_article
    env.filters["cite_note"] = lambda note, article: cite_note(config, note, article)
    env.filters["suggest_note_url"] = lambda article: suggest_note_url(config, article)
    return env


def display_date(iso: str, time: bool = True) -> str:
    """'2013-10-21T21:54:00-04:00' -> '21 October 2013, 21:54 UTC−04:00'."""
    if not iso:
        return ""
    moment = datetime.fromisoformat(iso)
    if "T" not in iso or not time:
        return f"{moment.day} {moment:%B %Y}"
    text = f"{moment.day} {moment:%B %Y, %H:%M}"
    offset = moment.strftime("%z")
    if offset:
        sign = "+" if offset[0] == "+" else "\u2212"
        text += f" UTC{sign}{offset[1:3]}:{offset[3:]}"
    return text


def join_names(names: tuple[str, ...]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""


def _apa_name(name: str) -> str:
    """'Ed Payne' -> 'Payne, E.'; a handle or a single name stays as it is."""
    parts = name.split()
    if len(parts) < 2 or name.startswith("@"):
        return name
    return f"{parts[-1]}, " + " ".join(f"{p[0]}." for p in parts[:-1])


def _apa_date(iso: str) -> str:
    if not iso:
        return "n.d."
    moment = datetime.fromisoformat(iso)
    return f"{moment.year}, {moment:%B} {moment.day}" if len(iso) > 4 else str(moment.year)


def cite_article(article) -> str:
    """The article in APA style (7th edition)."""
    names = [_apa_name(n) for n in article.authors]
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", & " + names[-1] if names else article.outlet
    text = f"{who} ({_apa_date(article.date)}). {article.title}."
    if names and article.outlet:
        text += f" {article.outlet}."
    return text + (f" {article.source}" if article.source else "")


def cite_note(config: SiteConfig, note: NoteView, article) -> str:
    """A note in APA style, as a contribution to the edition, with its permalink."""
    address = config.absolute_url(f"{article.slug}/") + f"#note-{note.id}"
    return (f"{_apa_name(note.author)} ({_apa_date(note.date)}). {note.label} {note.number} on "
            f"\u201c{article.title}\u201d [Annotation]. {config.title}. {address}")


NOTE_TEMPLATE = """---
type: context
quote: "the passage you explain, copied from the article"
author: "@your-github-name"
sources:
  - title: "where the facts come from"
    url: https://
---
Your note: one idea, neutral, sourced, under 120 words.
"""


def suggest_note_url(config: SiteConfig, article) -> str:
    """A link that opens GitHub's editor on a new note for this article, or the repository."""
    repository = config.repository.rstrip("/")
    if not repository.startswith("https://github.com/"):
        return repository
    query = urlencode({"filename": "your-note-id.md", "value": NOTE_TEMPLATE})
    return f"{repository}/new/main/annotations/{article.slug}?{query}"


def article_view(env: jinja2.Environment, config: SiteConfig, item: AnnotatedArticle) -> ArticleView:
    """Number the notes in reading order, render each, and mark the passages they explain."""
    order = {id(block): index for index, block in enumerate(item.text.blocks)}
    # Numbered in the order readers meet their markers, which follow the end of each passage.
    anchors = sorted(item.anchors, key=lambda a: (order[id(a.block)], a.end, -a.start, a.note.id))
    note_partial = env.get_template("partials/note.html")
    ref_partial = env.get_template("partials/noteref.html")
    views, highlights = [], []
    for number, anchor in enumerate(anchors, start=1):
        note = anchor.note
        note_type = config.note_type(note.type)
        view = NoteView(note.id, number, note.type, note_type.label, note_type.symbol,
                        anchor.block.text[anchor.start:anchor.end], note.corrected, note.author, note.sources,
                        note.date, render_note_markdown(note.body), item.article.slug, item.article.title,
                        order[id(anchor.block)])
        views.append(view)
        highlights.append(Highlight(anchor.block, anchor.start, anchor.end, note.id, f"anchor anchor-{note.type}",
                                    ref_partial.render(note=view).strip(),
                                    note_partial.render(note=view, article=item.article).strip()))
    sections = [mark_section(section, [h for h in highlights if h.block.section == index])
                for index, section in enumerate(item.text.sections)]
    return ArticleView(item, sections[0], sections[1], sections[2], tuple(views))


def pairing_stylesheet(view: ArticleView) -> str:
    """CSS that pairs each passage with its note: both light up when either is hovered or
    focused, and an opened note is anchored under the paragraph (or heading, item, caption)
    that holds its marker. It names each note, which a shared stylesheet cannot, and needs no
    script. Markers are direct children of their block, so `:has(> marker)` finds the block.
    It also hides the notes of each type whose box the reader unticked in the type filter."""
    rules = []
    blocks: dict[int, str] = {}
    for note in view.notes:
        mark, aside, ref, toggle = f'mark[data-note="{note.id}"]', f"#note-{note.id}", f"#ref-{note.id}", f"#toggle-{note.id}"
        trigger = f"{mark}:hover, {aside}:hover, {aside}:focus-within, {ref}:focus, {ref}:hover, {toggle}:focus"
        rules.append(f"body:has({trigger}) {mark} {{ background: var(--mark-active); }}")
        rules.append(f"body:has({trigger}) {aside} {{ outline: 2px solid var(--accent); }}")
        blocks.setdefault(note.block, toggle)
        rules.append(f"{aside} {{ position-anchor: --block-{note.block}; }}")
    for block, toggle in blocks.items():
        rules.append(f".article :has(> {toggle}) {{ anchor-name: --block-{block}; }}")
    for note_type in dict.fromkeys(note.type for note in view.notes):
        hidden = f"body:has(#show-type-{note_type}:not(:checked))"
        rules.append(f"{hidden} :is(aside.note-{note_type}, .noteref-{note_type}) {{ display: none; }}")
        rules.append(f"{hidden} mark.anchor-{note_type} {{ background: none; }}")
    return "/* Generated: pairs each passage with its note. */\n" + "\n".join(rules) + "\n"


@contextmanager
def template_errors(config: SiteConfig) -> Iterator[None]:
    """Turn Jinja2's errors into diagnostics that name the template file."""
    try:
        yield
    except jinja2.TemplateSyntaxError as exc:
        raise UserError([Diagnostic(_theme_path(config, exc.filename), exc.lineno or 1, 1,
                                    f"template error: {exc.message}", "fix the template's Jinja2 syntax")])
    except jinja2.TemplateError as exc:
        raise UserError([Diagnostic(f"themes/{config.theme}/templates", 1, 1, f"template error: {exc}",
                                    "a template uses a name or file the theme does not provide")])


def render_view(env: jinja2.Environment, config: SiteConfig, item: AnnotatedArticle) -> ArticleView:
    with template_errors(config):
        return article_view(env, config, item)


def article_files(env: jinja2.Environment, config: SiteConfig, view: ArticleView) -> list[tuple[str, str]]:
    """One article's page, its pairing stylesheet, its W3C export and its plain text."""
    slug = view.article.slug
    with template_errors(config):
        page = env.get_template("article.html").render(view=view, jsonld=news_article_jsonld(config, view))
    return [
        (f"{slug}/index.html", page),
        (f"{slug}/notes.css", pairing_stylesheet(view)),
        (f"{slug}/annotations.jsonld", web_annotations(config, view.annotated, view.notes)),
        (f"{slug}/article.txt", article_plain_text(view.annotated)[0] + "\n"),
    ]


def article_search_records(config: SiteConfig, view: ArticleView) -> list[SearchRecord]:
    page = config.url(f"{view.article.slug}/")
    text = "\n".join(block.text for block in view.annotated.text.blocks)
    records = [SearchRecord(page, view.article.title, text)]
    for note in view.notes:
        records.append(SearchRecord(f"{page}#note-{note.id}", f"{note.label} {note.number}: {note.excerpt}",
                                    f"{note.quote}\n{plain_text(note.html)}"))
    return records


def _theme_path(config: SiteConfig, filename: str | None) -> str:
    if not filename:
        return f"themes/{config.theme}/templates"
    try:
        return Path(filename).resolve().relative_to(config.root.resolve()).as_posix()
    except ValueError:
        return filename


@dataclass(frozen=True)
class Tree:
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
    """Whether `folder` is the very folder whose `Tree.identity` was taken."""
    return folder.is_dir() and Tree.identity(folder) == identity


@dataclass(frozen=True)
class Published:
    """What `publish` did: the HTML pages in the site, the seconds spent indexing (None:
    every search bundle was reused), the new site's files and each edition page's inputs,
    and the spare tree (the previous site, kept to be updated by the next build) if any."""

    pages: int
    search_seconds: float | None
    site: Tree
    inputs: dict[str, str]
    spare: Tree | None


@dataclass(frozen=True)
class Previous:
    """The last build into the output folder, when its record still describes the folder:
    the live site, its edition pages' inputs, and the spare tree if one was kept."""

    site: Tree
    inputs: dict[str, str]
    spare: Tree | None


def publish(config: SiteConfig, output: Path, store: FileStore, stored: list[tuple[str, str]],
            pages: Iterable[EditionPage], shards: list[SearchShard],
            records_of: Callable[[int], list[SearchRecord]], previous: Previous | None, spare: Path,
            jobs: int | None = None) -> Published:
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
    writer = TreeWriter(target, previous.spare.files if use_spare else {}, output,
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
    kept = _swap(target, output, spare)
    return Published(sum(1 for path in writer.files if path.endswith(".html")), search_seconds,
                     Tree(writer.files, Tree.identity(output)), inputs,
                     Tree(previous.site.files, Tree.identity(spare)) if kept and previous else None)


def put_pages(writer: TreeWriter, pages: Iterable[EditionPage], previous: Previous | None) -> dict[str, str]:
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


class TreeWriter:
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
