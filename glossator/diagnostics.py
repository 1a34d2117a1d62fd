"""Diagnostics: user errors and warnings that name a file, a line and a fix."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Diagnostic:
    """One problem in one input file, reported as `path:line:col: severity: message`."""

    path: str
    line: int
    col: int
    message: str
    hint: str = ""
    severity: str = "error"

    def format(self) -> str:
        """Return the problem as one line, then its hint lines indented below it."""
        text = f"{visible(self.path)}:{self.line}:{self.col}: {self.severity}: {visible(self.message)}"
        if self.hint:
            hint_lines = [visible(line) for line in self.hint.splitlines()]
            text += "\n  hint: " + hint_lines[0]
            text += "".join(f"\n    {line}" for line in hint_lines[1:])
        return text

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.col, self.message)


@dataclass
class Report:
    """Collects every diagnostic of a run, so that all problems are shown at once."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def add(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)

    def extend(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics.extend(diagnostics)

    def error(self, path: str | Path, line: int, col: int, message: str, hint: str = "") -> None:
        self.add(Diagnostic(str(path), line, col, message, hint))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    def sorted(self) -> list[Diagnostic]:
        """Diagnostics in a stable order: by file, line and column."""
        return sorted(set(self.diagnostics), key=lambda d: d.sort_key)


def visible(text: str) -> str:
    """Spell out control and format characters (terminal escapes, bidirectional overrides,
    zero-width marks) as `\\uXXXX`: a file name or quote from a stranger must not rewrite the
    terminal or disguise itself, and a diagnostic must stay on one line."""
    if text.isprintable():
        return text
    return "".join(f"\\u{ord(ch):04x}" if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch
                   for ch in text)


class UserError(Exception):
    """Raised when a run must stop because of problems in the user's files."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("\n".join(d.format() for d in diagnostics))
        self.diagnostics = diagnostics


# --- output formats -----------------------------------------------------------------------

FORMATS = ("text", "github", "json")
_COLOURS = {"error": "\033[1;31m", "warning": "\033[1;33m"}
_RESET = "\033[0m"


def default_format(environ: dict[str, str]) -> str:
    """GitHub workflow commands inside GitHub Actions, so problems show on the diff; else text."""
    return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"


def render(diagnostics: list[Diagnostic], style: str, colour: bool = False) -> str:
    """All diagnostics in one output format; empty when there are none (but for JSON)."""
    if style == "json":
        return as_json(diagnostics)
    lines = [as_github(d) if style == "github" else as_text(d, colour) for d in diagnostics]
    return "".join(line + "\n" for line in lines)


def as_text(diagnostic: Diagnostic, colour: bool = False) -> str:
    text = diagnostic.format()
    if colour:
        word = f"{diagnostic.severity}:"
        text = text.replace(word, f"{_COLOURS[diagnostic.severity]}{word}{_RESET}", 1)
    return text


def as_github(diagnostic: Diagnostic) -> str:
    """A workflow command: `::error file=F,line=L,col=C,title=T::message%0Ahint`."""
    properties = ",".join(f"{key}={_escape_property(value)}" for key, value in (
        ("file", diagnostic.path), ("line", str(diagnostic.line)), ("col", str(diagnostic.col)),
        ("title", f"Glossator {diagnostic.severity}")))
    message = diagnostic.message + (f"\nhint: {diagnostic.hint}" if diagnostic.hint else "")
    message = "\n".join(visible(line) for line in message.split("\n"))
    return f"::{diagnostic.severity} {properties}::{_escape_data(message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_json(diagnostics: list[Diagnostic]) -> str:
    items = [{"path": d.path, "line": d.line, "col": d.col, "severity": d.severity,
              "message": d.message, "hint": d.hint} for d in diagnostics]
    summary = {"errors": sum(d.severity == "error" for d in diagnostics),
               "warnings": sum(d.severity == "warning" for d in diagnostics), "diagnostics": items}
    return json.dumps(summary, ensure_ascii=False, indent=2) + "\n"
