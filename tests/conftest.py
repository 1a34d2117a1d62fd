"""Shared helpers: real editions in temporary folders, and the real command line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = REPO.parent / "shared" / "seed" / "000_955782b18c34d0b9.txt"


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


def run_cli(*args: str, cwd: Path) -> Result:
    """Run `build.py` in a separate process, as a user would."""
    done = subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)
    return Result(done.returncode, done.stdout, done.stderr)


def copy_edition(source: Path, target: Path) -> Path:
    """Copy an edition and give it the repository's themes."""
    shutil.copytree(source, target)
    if not (target / "themes").exists():
        shutil.copytree(REPO / "themes", target / "themes")
    return target


@pytest.fixture
def edition(tmp_path: Path) -> Path:
    """A small valid edition in a temporary folder."""
    return copy_edition(FIXTURES / "valid", tmp_path / "edition")


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """The repository's own demo edition, copied to a temporary folder."""
    target = tmp_path / "demo"
    target.mkdir()
    for name in ("site.yaml", "content", "annotations", "themes"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target / name)
    return target


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under a folder with its bytes, to compare whole sites."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
