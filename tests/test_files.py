"""files on their own: atomic writes and the store of rendered files."""

from __future__ import annotations

import stat

from glossator.files import FileStore, write_atomically


def test_a_write_replaces_the_file_whole_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "deep" / "folder" / "page.html"
    write_atomically(target, [b"first"])
    write_atomically(target, [b"sec", b"ond"], mode=0o600)
    assert target.read_bytes() == b"second"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["page.html"]


def test_a_failed_write_keeps_the_old_file(tmp_path):
    target = tmp_path / "page.html"
    write_atomically(target, [b"old"])

    def chunks():
        yield b"half of the new"
        raise RuntimeError("the writer died")

    try:
        write_atomically(target, chunks())
    except RuntimeError:
        pass
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


def test_the_store_keeps_one_read_only_copy_per_text_and_places_it_by_a_link(tmp_path):
    store = FileStore(tmp_path / "files")
    digest = store.put("<p>same</p>")
    assert store.put("<p>same</p>") == digest != store.put("<p>other</p>")
    assert stat.S_IMODE(store.path(digest).stat().st_mode) == 0o444
    site = tmp_path / "site"
    site.mkdir()
    store.place(digest, site / "index.html")
    assert (site / "index.html").read_text() == "<p>same</p>"
    assert (site / "index.html").stat().st_ino == store.path(digest).stat().st_ino
