"""The benchmark script itself, run as a user runs it, on small editions it did not generate."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

from conftest import REPO

ROW = re.compile(r"^\s+(\d+)  Glossator\s+(clean build|no-change rebuild|one-note edit|one-article edit|template edit)"
                 r"\s+(\d+\.\d\d)\s+(\d+\.\d\d)\s+(\d+\.\d\d)\s+(\d+)$", re.MULTILINE)
FLOOR_ROW = re.compile(r"^\s+(\d+)  floor \(bench/floor.py\)\s+clean build\s+(\d+\.\d\d)\s+1\.00\s+\d+\.\d\d\s+\d+$",
                       re.MULTILINE)


def run_bench(*args: str) -> str:
    done = subprocess.run([sys.executable, str(REPO / "bench" / "run.py"), "--runs", "1", *args],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_benchmark_times_every_scenario_of_editions_brought_to_it(tmp_path):
    """One edition without site.yaml or theme, another whose articles have no notes at all:
    each gets a row per scenario it has, with wall time, CPU time and peak memory."""
    from bench.generate import generate

    with_notes = generate(3, tmp_path / "with-notes")
    shutil.rmtree(with_notes / "themes")
    (with_notes / "site.yaml").unlink()
    shutil.rmtree(with_notes / "annotations" / "story-00001")
    without_notes = generate(2, tmp_path / "without-notes")
    shutil.rmtree(without_notes / "annotations")

    table = run_bench("--corpus", str(with_notes), str(without_notes), "--workdir", str(tmp_path / "work"),
                      "--markdown", str(tmp_path / "table.md"))

    last_table = table.rpartition("articles  tool")[2]
    floors = {int(size): float(wall) for size, wall in FLOOR_ROW.findall(last_table)}
    assert set(floors) == {2, 3}, table
    rows = {(int(size), scenario): (float(wall), float(cpu), int(peak))
            for size, scenario, wall, ratio, cpu, peak in ROW.findall(last_table)}
    for size, scenario, wall, ratio, cpu, peak in ROW.findall(last_table):
        floor, ratio = floors[int(size)], float(ratio)
        rounding = 0.005 * (1 + ratio + floor)  # each figure is printed to two decimals
        assert abs(ratio * floor - float(wall)) <= rounding + 1e-9, (scenario, wall, ratio, floor)
    assert {scenario for size, scenario in rows if size == 3} == {
        "clean build", "no-change rebuild", "one-note edit", "one-article edit", "template edit"}
    assert {scenario for size, scenario in rows if size == 2} == {
        "clean build", "no-change rebuild", "one-article edit", "template edit"}
    # A Python interpreter alone takes about 10 MiB, and a build's processes use CPU of their own.
    assert all(wall > 0 and cpu > 0 and peak >= 10 for wall, cpu, peak in rows.values()), rows
    markdown = (tmp_path / "table.md").read_text().splitlines()
    assert markdown[0] == "| articles | tool | scenario | wall s | × floor | × Hugo | CPU s | peak MiB |"
    assert sum("| Glossator |" in line for line in markdown) == len(rows)
    assert [line.split(" | ")[4] for line in markdown if "| floor (bench/floor.py) |" in line] == ["1.00", "1.00"]
    edited = (tmp_path / "work" / "edition-3" / "annotations" / "story-00002" / "note-00.md").read_text()
    assert edited.endswith("\nEdited 0.\n")  # the note of an article in the middle, not of the one without
