#!/usr/bin/env python3
"""Live preview latency: the time from saving a note to its rebuilt article page on disk, on
the demo edition and on a generated edition of 1,000 articles (15,000 notes).

    python bench/preview.py [--articles 1000] [--edits 15]

It drives the preview's own rebuild (what `build.py serve` runs on a change), without the
watcher's polling interval (livereload looks for changes every 0.8 s)."""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import REPO, generate  # noqa: E402
from glossator.serving import Preview  # noqa: E402


def copy_demo(target: Path) -> Path:
    target.mkdir(parents=True)
    for name in ("site.yaml", "content", "annotations", "themes"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target / name)
    return target


def measure(root: Path, edits: int) -> tuple[float, list[float]]:
    """Full build time, then the save-to-page time of each note edit, in seconds."""
    preview = Preview(root, root / "_site")
    started = time.perf_counter()
    problems = [d for d in preview.rebuild() if d.severity == "error"]
    assert not problems, problems
    full = time.perf_counter() - started
    notes = sorted((root / "annotations").glob("*/*.md"))
    timings = []
    for number in range(edits):
        note = notes[number * len(notes) // edits]
        page = root / "_site" / note.parent.name / "index.html"
        marker = f"Edit number {number}."
        started = time.perf_counter()
        note.write_text(note.read_text(encoding="utf-8").rstrip("\n") + f" {marker}\n", encoding="utf-8")
        preview.rebuild([str(note)])  # as the watcher reports a saved file
        assert marker in page.read_text(encoding="utf-8")
        timings.append(time.perf_counter() - started)
    return full, timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        editions = {"demo edition": copy_demo(Path(folder) / "demo"),
                    f"generated, {args.articles} articles": generate(args.articles, Path(folder) / "generated")}
        print(f"{'edition':<28} {'notes':>7} {'full build':>11} {'note edit, median':>18} {'max':>8}")
        for name, root in editions.items():
            notes = len(list((root / "annotations").glob("*/*.md")))
            full, timings = measure(root, args.edits)
            print(f"{name:<28} {notes:>7} {full:>10.2f}s {statistics.median(timings) * 1000:>16.0f}ms"
                  f" {max(timings) * 1000:>6.0f}ms")


if __name__ == "__main__":
    main()
