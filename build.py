#!/usr/bin/env python3
"""Glossator's command line: import articles, check and build the edition, serve a preview."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from glossator import commands


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

    check = sub.add_parser("check", help="check articles and notes without writing anything")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")

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
