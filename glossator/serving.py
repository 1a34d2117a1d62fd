"""Serving: builds the site, serves it on 127.0.0.1 and rebuilds when a source changes."""

from __future__ import annotations

import errno
import socket
import sys
from pathlib import Path

from livereload import Server

from .diagnostics import Diagnostic, UserError
from .pipeline import build

WATCHED = ("content", "annotations", "themes", "site.yaml")


def serve(root: Path, output: Path, host: str, port: int) -> int:
    """Build once, then serve `output` with live reload; a broken source never stops the server."""
    _check_port_free(host, port)

    def rebuild() -> None:
        try:
            report, pages = build(root, output, base_url="/")
        except UserError as error:
            for diagnostic in error.diagnostics:
                print(diagnostic.format(), file=sys.stderr)
            return
        for diagnostic in report.sorted():
            print(diagnostic.format(), file=sys.stderr)
        print(f"rebuilt {pages} pages", file=sys.stderr)

    rebuild()
    server = Server()
    for name in WATCHED:
        server.watch(str(root / name), rebuild)
    print(f"serving {output} at http://{host}:{port}/ (Ctrl-C stops)", file=sys.stderr)
    server.serve(root=str(output), host=host, port=port, open_url_delay=None, restart_delay=0)
    return 0


def _check_port_free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            reason = "is in use" if exc.errno == errno.EADDRINUSE else f"cannot be used ({exc.strerror})"
            raise UserError([Diagnostic("build.py serve", 1, 1, f"port {port} on {host} {reason}",
                                        "stop the other server, or pass another port: --port 8001")])
