"""The build cache: a cached build is byte-identical to a clean one; a changed template,
site.yaml, article or note invalidates what it must; a corrupt cache only costs time."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import run_cli, tree
from glossator.cache import CACHE_DIR


def build(edition: Path, *extra: str) -> dict[str, bytes]:
    result = run_cli("build", *extra, cwd=edition)
    assert result.code == 0, result.stderr
    return tree(edition / "_site")


def clean_build(edition: Path) -> dict[str, bytes]:
    shutil.rmtree(edition / CACHE_DIR, ignore_errors=True)
    return build(edition, "--no-cache")


def test_cached_build_is_byte_identical_to_a_clean_one(edition):
    first = build(edition)
    assert any((edition / CACHE_DIR).rglob("*.json")), "the first build fills the cache"
    assert build(edition) == first
    assert clean_build(edition) == first


def test_a_changed_template_config_or_note_invalidates_the_cache(demo):
    build(demo)
    template = demo / "themes/default/templates/partials/note.html"
    template.write_text(template.read_text().replace("Note by", "Written by"), encoding="utf-8")
    cached = build(demo)
    assert b"Written by" in cached["nsa-france-phone-calls/index.html"]
    assert cached == clean_build(demo)
    site = demo / "site.yaml"
    site.write_text(site.read_text().replace("label: Context", "label: Background"), encoding="utf-8")
    cached = build(demo)
    assert b"Background" in cached["nsa-france-phone-calls/index.html"] and cached == clean_build(demo)
    note = demo / "annotations/nsa-france-phone-calls/expresed.md"
    note.write_text(note.read_text().replace("A spelling mistake", "A typo"), encoding="utf-8")
    cached = build(demo)
    assert b"A typo" in cached["nsa-france-phone-calls/index.html"] and cached == clean_build(demo)


def test_a_corrupt_or_missing_cache_only_costs_time(edition):
    first = build(edition)
    for entry in (edition / CACHE_DIR).rglob("*.json"):
        entry.write_text("{not json", encoding="utf-8")
    assert build(edition) == first
    shutil.rmtree(edition / CACHE_DIR)
    assert build(edition) == first


def test_an_error_is_never_cached(edition):
    note = edition / "annotations/harbour-pier/cracks.md"
    good = note.read_text()
    note.write_text(good.replace("engineers found cracks", "engineers fuond cracks"), encoding="utf-8")
    assert run_cli("build", cwd=edition).code == 1
    assert run_cli("build", cwd=edition).code == 1, "the error is found again, not read from a cache"
    note.write_text(good, encoding="utf-8")
    assert run_cli("build", cwd=edition).code == 0


def test_check_does_not_write_the_cache(edition):
    assert run_cli("check", cwd=edition).code == 0
    assert not (edition / CACHE_DIR).exists()


def test_a_rebuild_with_nothing_changed_leaves_the_site_alone(edition):
    first = build(edition)
    folder = (edition / "_site").stat().st_ino
    again = run_cli("build", cwd=edition)
    assert again.code == 0 and again.stdout.startswith("up to date: ")
    assert (edition / "_site").stat().st_ino == folder, "the site was not written again"
    shutil.rmtree(edition / "_site")
    assert build(edition) == first, "a deleted site is built again"
    assert run_cli("build", "--no-cache", cwd=edition).stdout.startswith("built ")
    assert run_cli("build", "--base-url", "/sub/", cwd=edition).stdout.startswith("built "), "options count"


def test_a_warning_is_shown_again_when_the_site_is_up_to_date(edition):
    (edition / "annotations/harbour-pier/unsourced.md").write_text(
        "---\ntype: context\nquote: engineers found\nauthor: A\n---\nNo source.\n", encoding="utf-8")
    first = run_cli("build", cwd=edition)
    second = run_cli("build", cwd=edition)
    assert second.stdout.startswith("up to date: ")
    assert "unsourced.md:1:1: warning: note cites no source" in first.stderr
    assert second.stderr == first.stderr


def test_lost_stored_pages_are_rendered_again(edition):
    first = build(edition)
    shutil.rmtree(edition / CACHE_DIR / "files")
    shutil.rmtree(edition / "_site")
    assert build(edition) == first


def test_each_rebuild_in_a_series_of_edits_is_byte_identical_to_a_clean_build(demo, tmp_path):
    """From the third build on, a rebuild updates the site before the live one (the spare)
    and swaps it in; after every kind of edit the site is exactly what a clean build makes."""
    article = demo / "content/nsa-france-phone-calls.md"
    notes = demo / "annotations/nsa-france-phone-calls"
    copy = demo / "content/second-article.md"

    def replace(path: Path, old: str, new: str) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    edits = [
        lambda: replace(notes / "expresed.md", "A spelling mistake", "A typo"),
        lambda: shutil.copy(article, copy),
        lambda: replace(copy, "title: 'Report:", "title: 'A copy of the report:"),
        lambda: (notes / "fabius.md").unlink(),
        lambda: replace(demo / "themes/default/templates/partials/note-entry.html", "<", "<!-- edited -->\n<"),
        lambda: (demo / "themes/default/static/style.css").write_text("body { color: black; }\n"),
        lambda: copy.unlink(),
        lambda: replace(demo / "site.yaml", "label: Context", "label: Background"),
    ]
    build(demo)
    for number, edit in enumerate(edits):
        edit()
        rebuilt = build(demo)
        shutil.rmtree(tmp_path / "clean", ignore_errors=True)
        assert run_cli("build", "--no-cache", "--output", str(tmp_path / "clean"), cwd=demo).code == 0
        assert rebuilt == tree(tmp_path / "clean"), f"after edit {number}"
    assert list((demo / CACHE_DIR / "spare").iterdir()), "the previous site was kept to be updated"
    assert sorted(p.name for p in demo.iterdir() if p.name.startswith("_site")) == ["_site"]


def test_files_deleted_from_the_site_by_hand_come_back_with_the_next_rebuild(demo, tmp_path):
    notes = demo / "annotations/nsa-france-phone-calls"
    build(demo)
    (notes / "expresed.md").write_text((notes / "expresed.md").read_text().replace("spelling", "spellng"))
    build(demo)  # the first site is now the spare, to be brought up to date from the live one
    for page in ("notes/index.html", "nsa-france-phone-calls/index.html"):  # the same in the next site
        (demo / "_site" / page).unlink()
    shutil.copy(demo / "content/nsa-france-phone-calls.md", demo / "content/copy.md")
    rebuilt = build(demo)
    assert run_cli("build", "--no-cache", "--output", str(tmp_path / "clean"), cwd=demo).code == 0
    assert rebuilt == tree(tmp_path / "clean")


def test_the_cache_drops_what_no_build_uses_once_it_has_grown(edition, monkeypatch):
    import os
    import time

    from glossator import cache
    from glossator.pipeline import build as build_in_process

    monkeypatch.setattr(cache, "PRUNE_AT_LEAST", 4)
    note = edition / "annotations/harbour-pier/cracks.md"
    folder = edition / CACHE_DIR
    build_in_process(edition, edition / "_site")  # one new entry
    for number in range(2):  # two more, each leaving the one before unused
        note.write_text(note.read_text() + f"\nEdit {number}.\n", encoding="utf-8")
        build_in_process(edition, edition / "_site")
    assert len(list(folder.glob("??/*.json"))) == 3, "not pruned yet"
    an_hour_ago = time.time() - 3600
    for path in folder.rglob("*"):
        os.utime(path, (an_hour_ago, an_hour_ago), follow_symlinks=False)
    note.write_text(note.read_text() + "\nLast edit.\n", encoding="utf-8")
    build_in_process(edition, edition / "_site")  # the fourth new entry: pruned
    entries = list(folder.glob("??/*.json"))
    assert len(entries) == 1
    result = json.loads(entries[0].read_text().splitlines()[0])
    assert {p.name for p in (folder / "files").glob("??/*")} == {digest for _, digest in result["files"]}
    site = tree(edition / "_site")
    shutil.rmtree(edition / "_site")
    assert build(edition) == site, "what the pruned cache kept builds the same site"


def test_a_spool_grown_with_old_fragments_is_emptied_and_the_site_stays_the_same(edition, monkeypatch, tmp_path):
    from glossator import buildstate, pipeline

    monkeypatch.setattr(buildstate, "SPOOL_SLACK", 1)
    monkeypatch.setattr(buildstate, "SPOOL_MINIMUM", 0)
    note = edition / "annotations/harbour-pier/cracks.md"
    pipeline.build(edition, edition / "_site")
    (spool,) = (edition / CACHE_DIR / "builds").glob("*.spool")
    first_size = spool.stat().st_size
    note.write_text(note.read_text() + "\nAn edit.\n", encoding="utf-8")
    pipeline.build(edition, edition / "_site")  # appends the edited article's fragments
    assert spool.stat().st_size > first_size
    note.write_text(note.read_text() + "\nAnother edit.\n", encoding="utf-8")
    pipeline.build(edition, edition / "_site")  # too many unused fragments: starts again
    assert spool.stat().st_size < first_size + 200
    pipeline.build(edition, tmp_path / "clean", use_cache=False)
    assert tree(edition / "_site") == tree(tmp_path / "clean")


def test_a_build_that_fails_while_updating_the_spare_leaves_the_live_site_and_the_next_one_mends(
        demo, monkeypatch, tmp_path):
    import pytest

    from glossator import pipeline, publishing

    note = demo / "annotations/nsa-france-phone-calls/expresed.md"
    for number in range(2):  # the second build keeps the first site as the spare
        note.write_text(note.read_text() + f"\nEdit {number}.\n", encoding="utf-8")
        pipeline.build(demo, demo / "_site")
    assert list((demo / CACHE_DIR / "spare").iterdir())
    live = tree(demo / "_site")
    note.write_text(note.read_text() + "\nThe edit that fails.\n", encoding="utf-8")
    (demo / "annotations/nsa-france-phone-calls/fabius.md").unlink()

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # as if the build were stopped once the spare's pages are written

    monkeypatch.setattr(publishing, "write_shards", killed)
    with pytest.raises(KeyboardInterrupt):
        pipeline.build(demo, demo / "_site")
    assert tree(demo / "_site") == live
    monkeypatch.undo()
    pipeline.build(demo, demo / "_site")
    pipeline.build(demo, tmp_path / "clean", use_cache=False)
    assert tree(demo / "_site") == tree(tmp_path / "clean")


def test_a_damaged_spool_stops_one_build_and_the_next_starts_afresh(tmp_path):
    from bench.generate import generate

    edition = generate(3, tmp_path / "edition")
    build(edition)
    (spool,) = (edition / CACHE_DIR / "builds").glob("*.spool")
    spool.write_bytes(bytes(spool.stat().st_size))  # zeros in place of every fragment
    note = sorted((edition / "annotations").glob("*/*.md"))[0]
    note.write_text(note.read_text() + "\nAn edit.\n", encoding="utf-8")
    live = tree(edition / "_site")
    damaged = run_cli("build", cwd=edition)
    assert damaged.code == 1 and "Traceback" not in damaged.stderr
    assert "spool:1:1: error: the build cache is damaged" in damaged.stderr
    assert tree(edition / "_site") == live
    rebuilt = build(edition)
    assert run_cli("build", "--no-cache", "--output", str(tmp_path / "clean"), cwd=edition).code == 0
    assert rebuilt == tree(tmp_path / "clean")


def test_an_edit_of_one_note_in_many_reads_it_again_rather_than_rewrite_every_digest(tmp_path):
    """With more than a hundred sources, a build that read only one of them leaves the saved
    digests as they were; the next build reads that note again and still sees each edit."""
    from bench.generate import generate

    edition = generate(8, tmp_path / "edition")
    digests = edition / CACHE_DIR / "digests.json"
    build(edition)
    saved = digests.read_bytes()
    note = sorted((edition / "annotations").glob("story-00003/*.md"))[0]
    for word in ("first-edit", "second-edit"):
        note.write_text(note.read_text(encoding="utf-8") + f"\n{word}\n", encoding="utf-8")
        site = build(edition)
        assert word.encode() in site["story-00003/index.html"]
        assert digests.read_bytes() == saved
    assert "up to date" in run_cli("build", cwd=edition).stdout
    assert build(edition) == clean_build(edition)


def test_installed_versions_agree_with_importlib_metadata():
    """Cache keys carry the dependencies' versions, read from sys.path without importlib.metadata."""
    from importlib import metadata

    from glossator import installed_version
    from glossator.cache import DEPENDENCIES

    for name in (*DEPENDENCIES, "pagefind_bin", "pagefind-bin", "Pagefind.Bin", "PyYAML", "Jinja2", "pytest"):
        assert installed_version(name) == metadata.version(name), name
    assert installed_version("no-such-distribution-here") == "-"


def test_the_file_store_writes_read_only_files_even_over_a_killed_writers_leftover(tmp_path):
    import hashlib
    import os
    import threading

    from glossator.files import FileStore

    store = FileStore(tmp_path / "files")
    text = "<p>stored once</p>"
    digest = hashlib.sha256(text.encode()).hexdigest()
    target = store.path(digest)
    target.parent.mkdir(parents=True)
    leftover = target.with_name(f".tmp-{os.getpid()}-{threading.get_ident()}-{target.name}")
    leftover.write_text("half a fi", encoding="utf-8")
    leftover.chmod(0o444)
    assert store.put(text) == digest
    assert target.read_text(encoding="utf-8") == text and not leftover.exists()
    assert target.stat().st_mode & 0o777 == 0o444
    assert store.put("another") == hashlib.sha256(b"another").hexdigest()  # in a folder not made yet
    assert sorted(p.name for p in (tmp_path / "files").rglob("*") if p.is_file()) == sorted(
        [digest, hashlib.sha256(b"another").hexdigest()])


def test_a_first_build_reads_sources_on_every_core_and_gets_the_same_digests(tmp_path, monkeypatch):
    """Many files with no digest yet are hashed by worker processes; the digests, and so the
    keys and the site, are those of reading them one by one."""
    import hashlib
    import os

    from bench.generate import generate
    from glossator import cache
    from glossator.pipeline import build

    edition = generate(3, tmp_path / "edition")
    sources = sorted(str(path) for path in edition.rglob("*.md"))
    digests = cache.FileDigests(tmp_path / "digests", enabled=True)
    monkeypatch.setattr(cache, "READ_IN_PARALLEL_AT", 10)
    digests.read_unknown(sources)
    assert digests.fresh == set(sources) and digests.read == len(sources) > 10
    for name in sources:
        stat = os.stat(name)
        assert digests.remembered[name] == f"{stat.st_size} {stat.st_mtime_ns} {stat.st_ino} " \
                                      f"{hashlib.sha256(Path(name).read_bytes()).hexdigest()}"
        assert digests.digest(name) == hashlib.sha256(Path(name).read_bytes()).hexdigest()
    built = []
    for threshold in (10, 10**9):  # side by side, then one by one
        monkeypatch.setattr(cache, "READ_IN_PARALLEL_AT", threshold)
        shutil.rmtree(edition / CACHE_DIR, ignore_errors=True)
        shutil.rmtree(edition / "_site", ignore_errors=True)
        build(edition, edition / "_site")
        built.append((tree(edition / "_site"), (edition / CACHE_DIR / "digests.json").read_bytes()))
    assert built[0] == built[1]


def test_jobs_sets_how_many_processes_render_and_the_site_is_the_same(tmp_path, monkeypatch):
    """`--jobs 1` renders in the build's own process, `--jobs 3` in a pool of three, and both
    sites are the same bytes as the default's; a count below 1 is refused before any work."""
    import concurrent.futures

    from bench.generate import generate
    from glossator import pipeline, stages

    pools = []

    class CountedPool(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, max_workers=None, **options):
            pools.append(max_workers)
            super().__init__(max_workers=max_workers, **options)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", CountedPool)
    edition = generate(stages.PARALLEL_THRESHOLD, tmp_path / "edition")
    sites = {}
    for jobs in (1, 3):
        pipeline.build(edition, tmp_path / f"site-{jobs}", use_cache=False, jobs=jobs)
        sites[jobs] = tree(tmp_path / f"site-{jobs}")
    assert pools == [3]
    assert sites[1] == sites[3] == build(edition)
    refused = run_cli("build", "--jobs", "0", cwd=edition)
    assert refused.code == 2 and "--jobs: expected a whole number of at least 1, not '0'" in refused.stderr
