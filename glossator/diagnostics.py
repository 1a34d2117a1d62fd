"""Diagnostics: user errors and warnings that name a file, a line and a fix."""

from __future__ import annotations

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
        text = f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"
        if self.hint:
            hint_lines = self.hint.splitlines()
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

    def warning(self, path: str | Path, line: int, col: int, message: str, hint: str = "") -> None:
        self.add(Diagnostic(str(path), line, col, message, hint, severity="warning"))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    def sorted(self) -> list[Diagnostic]:
        """Diagnostics in a stable order: by file, line and column."""
        return sorted(set(self.diagnostics), key=lambda d: d.sort_key)


class UserError(Exception):
    """Raised when a run must stop because of problems in the user's files."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("\n".join(d.format() for d in diagnostics))
        self.diagnostics = diagnostics
