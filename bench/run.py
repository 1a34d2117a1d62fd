#!/usr/bin/env python3
"""Build-speed benchmark: prints a table of Glossator's clean build, no-change rebuild,
one-note edit, one-article edit and template edit at each size, with wall time, CPU time and
peak memory of the whole process tree (medians of --runs runs), and of the floor
(bench/floor.py: the least work the stack allows for the same edition), every wall time also
as a multiple of the floor's; optionally Hugo, Jekyll, Pelican and MkDocs on the same articles
(without notes) in the same run.

    python bench/run.py                                  # 100, 1,000 and 10,000 articles
    python bench/run.py --sizes 1000 --peers             # beside the peers (installs them)
    python bench/run.py --sizes 10000 --peers hugo jekyll   # beside some of them
    python bench/run.py --corpus /path/to/edition --peers   # an edition you made yourself
    python bench/run.py --sizes 1000 --peers --markdown table.md   # the README's table

An edition is a folder with content/, annotations/ and site.yaml (bench/generate.py writes
one); it is copied before it is built, and given the default theme and bench/site.yaml if it
has none. The time Glossator spends in Pagefind, the search indexer it runs, is printed on a
line of its own."""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

try:
    from bench.generate import REPO, generate
    from bench.measure import Sample, run_measured
    from bench.peers import PEERS, install_peers, peer_versions
    from glossator.config import load_config
except ModuleNotFoundError as missing:  # run by a Python without Glossator's dependencies
    sys.exit(f"bench/run.py: {missing}; run it as `make bench ARGS=\"...\"` or with .venv/bin/python")

BUILD = [sys.executable, str(REPO / "build.py"), "build", "--output", "_site"]
FLOOR = "floor (bench/floor.py)"
SEARCH = re.compile(r"search index (\d+\.\d+) s")


@dataclass(frozen=True)
class Row:
    size: int
    tool: str
    scenario: str
    wall: float
    cpu: float
    peak_mb: float


def median_of(samples: list[Sample], pick: Callable[[Sample], float]) -> float:
    return statistics.median(pick(sample) for sample in samples)


def median_row(size: int, tool: str, scenario: str, samples: list[Sample]) -> Row:
    return Row(size, tool, scenario, median_of(samples, lambda s: s.wall), median_of(samples, lambda s: s.cpu),
               median_of(samples, lambda s: s.peak_mb))


def search_seconds(sample: Sample) -> float:
    found = SEARCH.search(sample.stdout)
    return float(found.group(1)) if found else 0.0


def compile_glossator() -> None:
    """Compile Glossator's modules to bytecode once, as installing a package from a wheel does
    (the peers' were, by pip). An editable install leaves it to the first run, and where
    PYTHONDONTWRITEBYTECODE is set every run would compile them again: 30 ms a build."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "glossator")], check=True,
                   stdout=subprocess.DEVNULL)


def glossator_build(edition: Path) -> Sample:
    sample = run_measured(BUILD, edition)
    if sample.code != 0:
        sys.exit(f"build failed in {edition}:\n{sample.stderr[-2000:]}")
    return sample


def clean(edition: Path) -> None:
    for name in ("_site", ".glossator-cache"):
        shutil.rmtree(edition / name, ignore_errors=True)


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write(text)


def scenarios(edition: Path) -> list[tuple[str, Callable[[int], None]]]:
    """(name, what to do before run number i) for each scenario, in the order they run."""
    slugs = sorted(p.stem for p in (edition / "content").glob("*.md"))
    with_notes = [slug for slug in slugs if any((edition / "annotations" / slug).glob("*.md"))]
    candidates = with_notes or slugs  # articles with notes, if any has
    middle = candidates[len(candidates) // 2]
    template = load_config(edition).theme_dir / "templates" / "article.html"
    edits = [
        ("clean build", lambda i: clean(edition)),
        ("no-change rebuild", lambda i: None),
        ("one-article edit", lambda i: append(edition / "content" / f"{middle}.md", f"\nEdited {i}.\n")),
        ("template edit", lambda i: append(template, f"{{# edited {i} #}}\n")),
    ]
    if with_notes:  # an edition without notes has no one-note edit to time
        note = sorted((edition / "annotations" / middle).glob("*.md"))[0]
        edits.insert(2, ("one-note edit", lambda i: append(note, f"\nEdited {i}.\n")))
    return edits


def bench_glossator(edition: Path, size: int, runs: int) -> list[Row]:
    rows = []
    glossator_build(edition)  # warm the file cache, so that the first clean run is not an outlier
    for scenario, prepare in scenarios(edition):
        samples = []
        for run in range(runs):
            prepare(run)
            samples.append(glossator_build(edition))
        search = median_of(samples, search_seconds)
        rows.append(median_row(size, "Glossator", scenario, samples))
        if search:
            rows.append(Row(size, "  of which search index (Pagefind)", scenario, search, float("nan"), float("nan")))
    return rows


def bench_floor(edition: Path, size: int, runs: int, workdir: Path) -> Row:
    output = workdir / f"floor-{size}"
    samples = []
    for _ in range(runs):
        shutil.rmtree(output, ignore_errors=True)
        sample = run_measured([sys.executable, str(REPO / "bench" / "floor.py"), str(edition), str(output)], edition)
        if sample.code != 0:
            sys.exit(f"the floor failed in {edition}:\n{sample.stderr[-2000:]}")
        samples.append(sample)
    return median_row(size, FLOOR, "clean build", samples)


def bench_peers(edition: Path, size: int, runs: int, workdir: Path, names: list[str]) -> list[Row]:
    rows = []
    for peer in (peer for peer in PEERS if not names or peer.name.lower() in names):
        project = workdir / f"{peer.name.lower()}-{size}"
        shutil.rmtree(project, ignore_errors=True)
        peer.prepare(edition, project)
        samples = []
        for _ in range(runs):
            for output in ("public", "_site", "output", "site", ".jekyll-cache", "resources"):
                shutil.rmtree(project / output, ignore_errors=True)
            sample = run_measured(peer.command(project), project)
            if sample.code != 0:
                sys.exit(f"{peer.name} failed:\n{sample.stderr[-2000:]}")
            samples.append(sample)
        rows.append(median_row(size, peer.name, "clean build", samples))
    return rows


def prepare_edition(source: Path | None, size: int, workdir: Path) -> Path:
    target = workdir / f"edition-{size}"
    if source is None:
        return generate(size, target)
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("_site", ".glossator-cache"))
    if not (target / "site.yaml").exists():
        shutil.copy(REPO / "bench" / "site.yaml", target / "site.yaml")
    if not (target / "themes" / "default").is_dir():
        shutil.copytree(REPO / "themes", target / "themes", dirs_exist_ok=True)
    return target


def ratio_to(tool: str, row: Row, rows: list[Row]) -> str:
    """The row's wall time as a multiple of `tool`'s clean build at the same size, or ''."""
    base = next((r.wall for r in rows if r.size == row.size and r.tool == tool and r.scenario == "clean build"), 0.0)
    return f"{row.wall / base:.2f}" if base else ""


def floor_ratio(row: Row, rows: list[Row]) -> str:
    return ratio_to(FLOOR, row, rows)


def print_table(rows: list[Row]) -> None:
    print(f"{'articles':>8}  {'tool':<36} {'scenario':<18} {'wall s':>8} {'x floor':>8} {'CPU s':>8} {'peak MiB':>9}")
    for row in rows:
        cpu = "" if row.cpu != row.cpu else f"{row.cpu:8.2f}"
        peak = "" if row.peak_mb != row.peak_mb else f"{row.peak_mb:9.0f}"
        print(f"{row.size:>8}  {row.tool:<36} {row.scenario:<18} {row.wall:8.2f} {floor_ratio(row, rows):>8} "
              f"{cpu:>8} {peak:>9}")


def markdown_table(rows: list[Row]) -> str:
    """The table as Markdown, for the README."""
    lines = ["| articles | tool | scenario | wall s | × floor | × Hugo | CPU s | peak MiB |",
             "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for row in rows:
        cpu = "" if row.cpu != row.cpu else f"{row.cpu:.2f}"
        peak = "" if row.peak_mb != row.peak_mb else f"{row.peak_mb:.0f}"
        lines.append(f"| {row.size:,} | {row.tool.strip()} | {row.scenario} | {row.wall:.2f} | "
                     f"{floor_ratio(row, rows)} | {ratio_to('Hugo', row, rows)} | {cpu} | {peak} |")
    return "\n".join(lines) + "\n"


def print_ratios(rows: list[Row]) -> None:
    """Glossator's clean build without the time it spends in the search indexer, as a multiple
    of the floor and of each peer's clean build of the same articles."""
    for size in sorted({row.size for row in rows}):
        clean_rows = {row.tool: row for row in rows if row.size == size and row.scenario == "clean build"}
        ours = clean_rows.get("Glossator")
        search = clean_rows.pop("  of which search index (Pagefind)", None)
        if ours is None or len(clean_rows) < 2:
            continue
        pages = ours.wall - (search.wall if search else 0.0)
        ratios = [f"{pages / row.wall:.2f}x {tool}" for tool, row in clean_rows.items() if tool != "Glossator"]
        print(f"{size} articles, clean build without search index: Glossator {pages:.2f} s = " + ", ".join(ratios))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--corpus", type=Path, nargs="+", help="editions to use instead of generated ones")
    parser.add_argument("--runs", type=int, default=3, help="runs per measure; the table shows medians")
    parser.add_argument("--peers", nargs="*", metavar="NAME",
                        help="also run Hugo, Jekyll, Pelican and MkDocs (or the ones named)")
    parser.add_argument("--workdir", type=Path, help="where to build (default: a temporary folder)")
    parser.add_argument("--markdown", type=Path, help="also write the table to this file, as Markdown")
    args = parser.parse_args()
    peers = None if args.peers is None else [name.lower() for name in args.peers]
    if peers is not None:
        install_peers()
        print("peers: " + "; ".join(f"{name} {version}" for name, version in peer_versions().items()))
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="glossator-bench-"))
    sources = [(corpus, len(list((corpus / "content").glob("*.md")))) for corpus in args.corpus] \
        if args.corpus else [(None, size) for size in args.sizes]
    rows: list[Row] = []
    compile_glossator()
    for source, size in sources:
        edition = prepare_edition(source, size, workdir)
        ours = bench_glossator(edition, size, args.runs) + [bench_floor(edition, size, args.runs, workdir)]
        print_table(ours)  # before the peers, some of which take minutes at 10,000 articles
        print(flush=True)
        rows += ours
        if peers is not None:
            rows += bench_peers(edition, size, args.runs, workdir, peers)
            print_table([row for row in rows if row.size == size])
            print(flush=True)
    print_table(rows)
    print_ratios(rows)
    if args.markdown:
        args.markdown.write_text(markdown_table(rows), encoding="utf-8")
    if not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
