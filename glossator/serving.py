"""Serving: a live preview. It rebuilds what a change touches (a note or an article: that
article's page and the edition-wide pages; a template or site.yaml: everything), reloads the
browser, and survives every mistake: problems are printed and shown at the top of every page."""

from __future__ import annotations

import errno
import html
import os
import socket
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path


from .cache import ArticleResult, ResultCache
from .config import SiteConfig, load_config
from .diagnostics import Diagnostic, UserError
from .edition import render_edition
from .files import FileStore
from .pipeline import (ArticleJob, edition_environment, plan_articles, publish_site, render_article,
                       render_articles, spooled, stop_on_problems)
from .publishing import remove_leftovers
from .search import bundles_in
from .spool import Spool

WATCHED = ("content", "annotations", "themes", "site.yaml")
BANNER_START, BANNER_END = "<!-- glossator: build errors -->", "<!-- /glossator: build errors -->"


class Preview:
    """Builds the site for local preview and rebuilds it after changes."""

    def __init__(self, root: Path, output: Path, live_reload: str = ""):
        self.root = root
        self.output = output
        self.live_reload = live_reload  # the reload script's address, linked from every page
        self.results: dict[str, ArticleResult] = {}
        self.general: list[Diagnostic] = []  # problems that belong to no single article
        self.config: SiteConfig | None = None
        self.env = None  # templates stay compiled between rebuilds
        self.edition = ""
        self.showing_errors = False
        self.sources: dict[str, int] = {}
        self.cache = ResultCache(root)
        self.spool: Spool | None = None  # the edition pages' fragments, made anew by each full build
        self.inputs: dict[str, str] = {}  # each edition page's inputs, as last written

    def rebuild(self, paths: list[str] | None = None) -> list[Diagnostic]:
        """Rebuild after whatever changed since the last call (the watcher may name the changed
        `paths`, which saves scanning every source); never raises for user errors. Returns the
        diagnostics of the edition as it now stands."""
        changed = self._changed_sources() if paths is None else self._note_changes(paths)
        try:
            if self.config is None or self.showing_errors or _touches_everything(changed):
                self._build_everything()
            elif changed:
                self._build_articles(_touched_articles(changed))
            self.showing_errors = False
            return sorted(self._diagnostics(), key=lambda d: d.sort_key)
        except UserError as error:
            self.showing_errors = True
            show_errors(self.output, error.diagnostics)
            return error.diagnostics

    def base_path(self) -> str:
        try:
            return load_config(self.root).base_path
        except UserError:
            return "/"

    def _diagnostics(self) -> list[Diagnostic]:
        return self.general + [d for result in self.results.values() for d in result.diagnostics]

    def _changed_sources(self) -> set[str]:
        """Source files added, changed or removed since the last call (by modification time)."""
        current = {}
        for name in WATCHED:
            top = self.root / name
            paths = [top] if top.is_file() else (p for p in top.rglob("*") if p.is_file())
            for path in paths:
                current[path.relative_to(self.root).as_posix()] = path.stat().st_mtime_ns
        changed = {p for p in current.keys() | self.sources.keys() if current.get(p) != self.sources.get(p)}
        self.sources = current
        return changed

    def _note_changes(self, paths: list[str]) -> set[str]:
        changed = set()
        for path in map(Path, paths):
            relative = path.resolve().relative_to(self.root.resolve()).as_posix()
            self.sources[relative] = path.stat().st_mtime_ns if path.exists() else 0
            changed.add(relative)
        return changed

    def _build_everything(self) -> None:
        config = load_config(self.root, self.base_path())
        plan = plan_articles(config, self.cache, live_reload=self.live_reload)
        self.spool = Spool()
        report, results = render_articles(config, self.cache, plan, self.spool, {}, live_reload=self.live_reload)
        stop_on_problems(report, strict=False)
        self.env = edition_environment(config, plan, self.live_reload)
        remove_leftovers(self.output)
        self.cache.forget_build(self.output)  # `build` must not take the preview's pages for its own
        self.inputs = publish_site(config, self.env, self.output, results, self.cache, self.spool, plan.edition,
                                   None).inputs
        article_problems = {id(d) for result in results for d in result.diagnostics}
        self.general = [d for d in report.diagnostics if id(d) not in article_problems]
        self.results = {result.slug: result for result in results}
        self.config = config
        self.edition = plan.edition

    def _build_articles(self, slugs: set[str]) -> None:
        """Render these articles again, then the edition-wide pages from every article's kept
        share; the search index waits for the next full build."""
        config = self.config
        if any(slug not in self.results or not (config.content_dir / f"{slug}.md").exists() for slug in slugs):
            self._build_everything()  # an article was added or removed
            return
        for slug in slugs:
            job = ArticleJob(str(self.root), config.base_url, slug, self.edition, self.live_reload, store_files=True)
            self.results[slug] = spooled(render_article(job), self.spool)
        problems = self._diagnostics()
        if any(d.severity == "error" for d in problems):
            raise UserError(sorted(problems, key=lambda d: d.sort_key))
        self.cache.forget_build(self.output)
        for slug in slugs:
            place_in_site(self.output, self.results[slug].files, self.cache.files)
        pages = list(render_edition(self.env, config, [r.outline for r in self.results.values() if r.outline],
                                    self.spool, bundles_in(self.output), self.edition))
        write_in_place(self.output, [(page.path, page.make()) for page in pages
                                     if self.inputs.get(page.path) != page.inputs])
        self.inputs.update((page.path, page.inputs) for page in pages)


def _slug_of(path: str) -> str:
    parts = path.split("/")
    if parts[0] == "content" and len(parts) == 2:
        return parts[1].removesuffix(".md")
    if parts[0] == "annotations" and len(parts) == 3:
        return parts[1]
    return ""


def _touches_everything(changed: set[str]) -> bool:
    return any(_slug_of(path) == "" for path in changed)


def _touched_articles(changed: set[str]) -> set[str]:
    return {_slug_of(path) for path in changed}


def place_in_site(output: Path, stored: list[tuple[str, str]], store: FileStore) -> None:
    """Link changed article files from the file store into the preview's site."""
    for relative, digest in stored:
        target = output / relative
        if not (target.is_file() and os.path.samefile(target, store.path(digest))):
            _replace(target, lambda temporary: store.place(digest, temporary))


def write_in_place(output: Path, files: Iterable[tuple[str, str]]) -> None:
    """Write changed files into the preview's site."""
    for relative, text in files:
        target = output / relative
        if not (target.is_file() and target.read_text(encoding="utf-8") == text):
            _replace(target, lambda temporary: temporary.write_text(text, encoding="utf-8", newline="\n"))


def _replace(target: Path, write: Callable[[Path], object]) -> None:
    """Write a file through a temporary name and a rename, so the server never sends half of it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.unlink(missing_ok=True)
    write(temporary)
    os.replace(temporary, target)


def show_errors(output: Path, diagnostics: list[Diagnostic]) -> None:
    """Put the build's problems at the top of every page of the preview (the HTML itself,
    so they show without scripts too); the next good build replaces every page."""
    items = "".join(f"<li><code>{html.escape(d.format())}</code></li>" for d in diagnostics)
    banner = (f'{BANNER_START}<section class="build-errors" role="alert"><h2>The site could not be rebuilt</h2>'
              f"<p>Fix these problems and save: the page reloads by itself.</p><ul>{items}</ul></section>{BANNER_END}")
    pages = list(output.rglob("*.html")) if output.is_dir() else []
    if not pages:
        output.mkdir(parents=True, exist_ok=True)
        pages = [output / "index.html"]
        pages[0].write_text("<!doctype html><html lang=en><head><meta charset=utf-8><title>Build errors</title>"
                            "</head><body></body></html>", encoding="utf-8")
    for page in pages:
        text = page.read_text(encoding="utf-8")
        if BANNER_START in text:
            text = text[:text.index(BANNER_START)] + text[text.index(BANNER_END) + len(BANNER_END):]
        at = text.index(">", text.index("<body")) + 1 if "<body" in text else 0
        page.write_text(text[:at] + banner + text[at:], encoding="utf-8")


def serve(root: Path, output: Path, host: str, port: int) -> int:
    """Build, then serve the site under its base path with live reload until interrupted.
    Under a base path such as /repo/ the preview is written to <output>/repo/, and <output>
    is served, so that the preview has the same URLs as GitHub Pages."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler

    _check_port_free(host, port)
    base_path = Preview(root, output).base_path()
    # livereload's own snippet is an inline script, which the pages' security policy forbids;
    # the pages link its script file instead.
    preview = Preview(root, output / base_path.strip("/") if base_path != "/" else output,
                      live_reload=f"/livereload.js?port={port}")
    _report(preview.rebuild())
    # livereload ignores a reload within 3 s of the previous one; saves come quicker than that.
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0.2

    def on_change(changed: list[str] | None = None) -> None:
        started = time.perf_counter()
        _report(preview.rebuild(changed if isinstance(changed, list) else None), time.perf_counter() - started)

    server = Server()
    for name in WATCHED:
        server.watch(str(root / name), on_change)
    print(f"serving {output} at http://{host}:{port}{base_path} (Ctrl-C stops)", file=sys.stderr)
    server.serve(root=str(output), host=host, port=port, open_url_delay=None, restart_delay=0)
    return 0


def _report(diagnostics: list[Diagnostic], seconds: float | None = None) -> None:
    for diagnostic in diagnostics:
        print(diagnostic.format(), file=sys.stderr)
    errors = sum(d.severity == "error" for d in diagnostics)
    timing = f" in {seconds * 1000:.0f} ms" if seconds is not None else ""
    count = f"{errors} error{'s' if errors != 1 else ''}"
    print(f"rebuilt{timing}: {count}" if errors else f"rebuilt{timing}", file=sys.stderr)


def _check_port_free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            reason = "is in use" if exc.errno == errno.EADDRINUSE else f"cannot be used ({exc.strerror})"
            raise UserError([Diagnostic("build.py serve", 1, 1, f"port {port} on {host} {reason}",
                                        "stop the other server, or pass another port: --port 8001")])
