"""Serving: a live preview. Each change goes through the build's stages (`plan`, `stages`), reusing
every article whose sources did not change; the rendered site is kept in memory and only the
files that changed are written to the folder being served. The browser reloads; every mistake
is survived: problems are printed and shown at the top of every page."""

from __future__ import annotations

import errno
import hashlib
import html
import socket
import sys
import time
from pathlib import Path

from .buildstate import forget_build
from .cache import ResultCache
from .config import SiteConfig, load_config
from .diagnostics import Diagnostic, UserError
from .files import write_atomically
from .plan import Plan, plan_articles
from .stages import RenderedSite, publish_site, render_site
from .publishing import remove_leftovers, static_files
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
        self.cache = ResultCache(root)
        self.site: RenderedSite | None = None  # the last rebuild without errors
        self.files: dict[str, str] = {}  # what the served folder holds (search index apart): path -> digest
        self.inputs: dict[str, str] = {}  # each edition page's inputs, as last written
        self.showing_errors = False

    def rebuild(self, changed: list[str] | None = None) -> list[Diagnostic]:
        """Rebuild after a change (the watcher may name the `changed` paths, which saves
        planning the whole edition); never raises for user errors. Returns the diagnostics
        of the edition as it now stands."""
        try:
            config, plan = self._plan(changed)
            last = None if self.showing_errors else self.site
            whole = last is None or (last.plan.edition_key, last.plan.slugs) != (plan.edition_key, plan.slugs)
            spool, reused = (Spool(), {}) if whole else (last.spool, {r.slug: r for r in last.results})
            site = render_site(config, self.cache, plan, spool, reused, live_reload=self.live_reload)
            forget_build(self.cache, self.output)  # `build` must not take the preview's pages for its own
            if whole:
                self._publish(site)
            else:
                self._update(site)
            self.site, self.showing_errors = site, False
            return site.report.sorted()
        except UserError as error:
            self.showing_errors = True
            show_errors(self.output, error.diagnostics)
            return error.diagnostics

    def base_path(self) -> str:
        try:
            return load_config(self.root).base_path
        except UserError:
            return "/"

    def _plan(self, changed: list[str] | None) -> tuple[SiteConfig, Plan]:
        """The plan of the edition as it now is: the last one with the keys of the articles
        the watcher names as changed hashed again, when it names only articles and notes."""
        slugs = self._articles_of(changed)
        if self.site and not self.showing_errors and slugs is not None:
            plan = self.site.plan.replanned(self.site.config, self.cache, slugs)
            if plan:
                return self.site.config, plan
        config = load_config(self.root, self.base_path())
        return config, plan_articles(config, self.cache, live_reload=self.live_reload)

    def _articles_of(self, changed: list[str] | None) -> set[str] | None:
        """The slugs of the articles these changed paths belong to; None when one belongs to
        no article (a template, site.yaml, a static file) or the paths are not known."""
        if changed is None:
            return None
        slugs, root = set(), self.root.resolve()
        for path in map(Path, changed):
            parts = path.resolve().relative_to(root).parts if path.resolve().is_relative_to(root) else ()
            if len(parts) == 2 and parts[0] == "content" and parts[1].endswith(".md"):
                slugs.add(parts[1].removesuffix(".md"))
            elif len(parts) == 3 and parts[0] == "annotations":
                slugs.add(parts[1])
            else:
                return None
        return slugs

    def _publish(self, site: RenderedSite) -> None:
        """Publish the whole site, search index included, as `build` does."""
        remove_leftovers(self.output)
        published = publish_site(site, self.output, self.cache, None)
        self.files, self.inputs = dict(published.site.files), published.inputs

    def _update(self, site: RenderedSite) -> None:
        """Write the files that changed since the last rebuild, each one whole (the server
        never sends half a file), and delete those the site no longer has. The search index
        waits for the next whole rebuild."""
        files: dict[str, str] = {}
        for result in site.results:
            for relative, digest in result.files:
                files[relative] = digest
                if self.files.get(relative) != digest:
                    write_atomically(self.output / relative, [self.cache.files.path(digest).read_bytes()])
        for page in site.edition_pages(bundles_in(self.output)):
            if self.inputs.get(page.path) == page.inputs and page.path in self.files:
                files[page.path] = self.files[page.path]
                continue
            data = page.make().encode("utf-8")
            files[page.path] = self._write(page.path, data)
            self.inputs[page.path] = page.inputs
        for relative, source in static_files(site.config):
            files[relative] = self._write(relative, source.read_bytes())
        for relative in self.files.keys() - files.keys():
            (self.output / relative).unlink(missing_ok=True)
            self.inputs.pop(relative, None)
        self.files = files

    def _write(self, relative: str, data: bytes) -> str:
        """Write the file if its text changed; returns its digest."""
        digest = hashlib.sha256(data).hexdigest()
        if self.files.get(relative) != digest:
            write_atomically(self.output / relative, [data])
        return digest


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
