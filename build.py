#!/usr/bin/env python3
"""Glossator's command line: import articles, check and build the edition, serve a preview."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from glossator import commands
from glossator.diagnostics import FORMATS


def positive(text: str) -> int:
    """A whole number of at least 1, for --jobs."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return int(text)


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="build.py", description="Build an annotated reader edition.")
    main.add_argument("--root", type=Path, default=Path("."), help="the edition's folder (default: here)")
    sub = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    page = sub.add_parser("import", help="turn a scraped news page (text or HTML) into content/<slug>.md")
    page.add_argument("path", type=Path, help="the saved page")
    page.add_argument("--slug", help="the article's name in URLs and file names (default: from the title)")
    page.add_argument("--force", action="store_true", help="replace an existing article file")

    build = sub.add_parser("build", help="check the edition and write the site (default: _site/)")
    build.add_argument("--output", type=Path, default=None, help="the output folder (default: _site)")
    build.add_argument("--base-url", help="override site.yaml's base_url, e.g. /my-repo/")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build.add_argument("--no-cache", action="store_true", help="render every article again, ignoring the cache")
    build.add_argument("--jobs", type=positive, help="processes working side by side (default: one per core)")

    check = sub.add_parser("check", help="check articles and notes without writing anything")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--fix", action="store_true",
                       help="rewrite quotes that no longer match when exactly one passage is clearly closest")
    check.add_argument("--jobs", type=positive, help="processes working side by side (default: one per core)")

    note = sub.add_parser("note", help="start a new note on an article: annotations/<article>/<id>.md")
    note.add_argument("article", help="the article's slug, e.g. nsa-france-phone-calls")
    note.add_argument("--quote", required=True, help="the passage the note explains, copied from the article")
    note.add_argument("--type", default="context", help="the note type (default: context)")
    note.add_argument("--author", help="your name or GitHub handle (default: git config user.name)")
    note.add_argument("--occurrence", type=int, help="which match to annotate when the quote occurs several times")

    notes = sub.add_parser("import-notes", help="turn W3C Web Annotations or a Hypothesis export into notes")
    notes.add_argument("path", type=Path, help="the JSON file: a W3C Annotation, AnnotationPage or AnnotationCollection, "
                                              "or a Hypothesis API search response")
    notes.add_argument("--article", required=True, help="the slug of the article the annotations are on")
    notes.add_argument("--dry-run", action="store_true", help="say what would be written, and write nothing")
    notes.add_argument("--with-replies", action="store_true",
                       help="append each reply to the note it answers, instead of skipping it")

    for command in (build, check):
        command.add_argument("--format", choices=FORMATS,
                             help="how to print problems: text, github (workflow commands; the default "
                                  "when GITHUB_ACTIONS=true) or json")

    serve = sub.add_parser("serve", help="build, then serve the site on 127.0.0.1 and rebuild on changes")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument("--output", type=Path, default=None, help="the output folder (default: _site)")
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return commands.run(args)


if __name__ == "__main__":
    sys.exit(main())
