"""The README's pictures of the reading page come from a script anyone can run."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_the_readme_screenshots_are_made_by_a_script(tmp_path):
    done = subprocess.run([sys.executable, str(REPO / "docs" / "screenshots.py"), "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name, width in (("reading-page-1280.png", 1280), ("reading-page-390.png", 390)):
        header = (tmp_path / name).read_bytes()[:24]
        assert header.startswith(b"\x89PNG") and int.from_bytes(header[16:20], "big") == width
        assert f"docs/{name}" in readme and (REPO / "docs" / name).is_file()
