"""What each `build.py` subcommand does: run a stage, print diagnostics, return the exit status."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .diagnostics import Diagnostic, UserError
from .importer import import_page
from .pipeline import build, check

DEFAULT_OUTPUT = "_site"


def run(args: argparse.Namespace) -> int:
    """Run one subcommand; user errors are printed as diagnostics and give exit status 1."""
    handlers = {"import": _import, "build": _build, "check": _check, "serve": _serve}
    try:
        return handlers[args.command](args)
    except UserError as error:
        _print(error.diagnostics)
        errors = sum(1 for d in error.diagnostics if d.severity == "error")
        print(f"{errors} error{'s' if errors != 1 else ''}; nothing was written.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; nothing was changed.", file=sys.stderr)
        return 130


def _print(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        print(diagnostic.format(), file=sys.stderr)


def _import(args: argparse.Namespace) -> int:
    root: Path = args.root
    target, warnings = import_page(args.path, root / "content", args.slug, args.force)
    _print(warnings)
    print(f"wrote {target}")
    return 0


def _build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    output = args.output or args.root / DEFAULT_OUTPUT
    report, pages = build(args.root, output, args.base_url, args.strict)
    _print(report.sorted())
    notes = _count_notes(args.root)
    print(f"built {pages} pages with {notes} notes into {output} "
          f"({len(report.warnings)} warnings, {time.perf_counter() - started:.2f} s)")
    return 0


def _check(args: argparse.Namespace) -> int:
    site, report = check(args.root, args.strict)
    _print(report.sorted())
    notes = sum(len(item.anchors) for item in site.articles)
    print(f"ok: {len(site.articles)} articles, {notes} notes anchored, {len(report.warnings)} warnings")
    return 0


def _count_notes(root: Path) -> int:
    return sum(1 for _ in (root / "annotations").glob("*/*.md"))


def _serve(args: argparse.Namespace) -> int:
    from .serving import serve

    return serve(args.root, args.output or args.root / DEFAULT_OUTPUT, args.host, args.port)
