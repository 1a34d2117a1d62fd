"""What each `build.py` subcommand does: run a stage, print diagnostics, return the exit status."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from .diagnostics import Diagnostic, UserError, default_format, render
from .pipeline import build, check

DEFAULT_OUTPUT = "_site"


def run(args: argparse.Namespace) -> int:
    """Run one subcommand; user errors are printed as diagnostics and give exit status 1."""
    handlers = {"import": _import, "build": _build, "check": _check, "serve": _serve, "note": _note,
                "import-notes": _import_notes}
    try:
        return handlers[args.command](args)
    except UserError as error:
        _print(args, error.diagnostics)
        if _style(args) != "json":
            errors = sum(1 for d in error.diagnostics if d.severity == "error")
            # --strict stops on warnings alone
            count = counted(errors, "error") if errors else f"{counted(len(error.diagnostics), 'warning')} (--strict)"
            print(f"{count}; nothing was written.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; nothing was changed.", file=sys.stderr)
        return 130


def counted(number: int, noun: str) -> str:
    """'1 warning', '2 warnings'."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _style(args: argparse.Namespace) -> str:
    return getattr(args, "format", None) or default_format(dict(os.environ))


def _print(args: argparse.Namespace, diagnostics: list[Diagnostic]) -> None:
    """Diagnostics in the chosen format: text on stderr (coloured on a terminal), workflow
    commands and JSON on stdout, where GitHub Actions and tools read them."""
    style = _style(args)
    if style == "text":
        colour = sys.stderr.isatty() and "NO_COLOR" not in os.environ
        sys.stderr.write(render(diagnostics, style, colour))
    elif diagnostics or style == "json":
        sys.stdout.write(render(diagnostics, style))


def _summary(args: argparse.Namespace, line: str) -> None:
    if _style(args) != "json":
        print(line)


def _import(args: argparse.Namespace) -> int:
    from .importer import import_page  # trafilatura and lxml load only for this command

    root: Path = args.root
    target, warnings = import_page(args.path, root / "content", args.slug, args.force)
    _print(args, warnings)
    print(f"wrote {target}")
    return 0


def _build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    output = args.output or args.root / DEFAULT_OUTPUT
    progress = ProgressBar(started) if sys.stderr.isatty() and _style(args) == "text" else None
    built = build(args.root, output, args.base_url, args.strict, use_cache=not args.no_cache, progress=progress,
                  jobs=args.jobs)
    if progress:
        progress.clear()
    _print(args, built.report.sorted())
    verb = "up to date:" if built.up_to_date else "built"
    search = "" if built.search_seconds is None else f"; search index {built.search_seconds:.2f} s"
    warnings = counted(len(built.report.warnings), "warning")
    _summary(args, f"{verb} {counted(built.pages, 'page')} with {counted(built.notes, 'note')} in {output} "
                   f"({warnings}, {time.perf_counter() - started:.2f} s{search})")
    return 0


class ProgressBar:
    """`rendering [#####.....] 412/1000 articles` on the terminal, once a build has run for a
    second; cleared before the summary."""

    def __init__(self, started: float, width: int = 30):
        self.started = started
        self.width = width
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if time.perf_counter() - self.started < 1.0 and not self.shown:
            return
        filled = self.width * done // total
        sys.stderr.write(f"\rrendering [{'#' * filled}{'.' * (self.width - filled)}] {done}/{total} articles")
        sys.stderr.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def _check(args: argparse.Namespace) -> int:
    if args.fix:
        from .repair import repair_quotes

        for rewrite in repair_quotes(args.root):
            print(rewrite.format())
    articles, notes, report = check(args.root, args.strict, jobs=args.jobs)
    _print(args, report.sorted())
    _summary(args, f"ok: {counted(articles, 'article')}, {counted(notes, 'note')} anchored, "
                   f"{counted(len(report.warnings), 'warning')}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from .serving import serve

    return serve(args.root, args.output or args.root / DEFAULT_OUTPUT, args.host, args.port)


def _note(args: argparse.Namespace) -> int:
    from .scaffold import new_note

    target = new_note(args.root, args.article, args.quote, args.type, args.author, args.occurrence)
    print(f"wrote {target.relative_to(args.root) if target.is_relative_to(args.root) else target}")
    print("next: write the note below the closing '---', add its sources, then run: python build.py check")
    return 0


def _import_notes(args: argparse.Namespace) -> int:
    from .notes_import import import_notes

    outcomes = import_notes(args.root, args.path, args.article, args.dry_run, args.with_replies)
    for outcome in outcomes:
        print(outcome.format(str(args.path)))
    counts = {status: sum(o.status == status for o in outcomes) for status in ("written", "already there", "skipped")}
    verb = "would be written" if args.dry_run else "written"
    print(f"{counted(len(outcomes), 'annotation')}: {counts['written']} {verb}, {counts['already there']} already "
          f"there, {counts['skipped']} skipped" + ("; nothing was written (--dry-run)" if args.dry_run else ""))
    return 0
