"""`build.py serve`: a real server on a free port of 127.0.0.1 that shows each save within
2 seconds, shows mistakes in the page without dying, recovers when they are fixed, and makes
the browser reload by itself."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from glossator.serving import Preview

NOTE = "annotations/harbour-pier/cracks.md"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError):
        return ""


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture
def server(edition: Path, tmp_path: Path):
    """`build.py serve` on a free port, with the edition published under /sub/."""
    site = edition / "site.yaml"
    site.write_text(site.read_text().replace("base_url: /", "base_url: /sub/"), encoding="utf-8")
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--port", str(port)],
                               cwd=edition, stdout=log, stderr=subprocess.STDOUT)
    page = f"http://127.0.0.1:{port}/sub/harbour-pier/"
    assert wait_for(lambda: "engineers found" in fetch(page), 30), (tmp_path / "serve.log").read_text()
    yield process, page, edition
    process.terminate()
    process.wait(timeout=10)
    log.close()


def test_a_saved_note_shows_within_two_seconds(server):
    process, page, edition = server
    note = edition / NOTE
    note.write_text(note.read_text().replace("The survey listed", "The 2023 survey listed"), encoding="utf-8")
    assert wait_for(lambda: "The 2023 survey listed" in fetch(page), 2.0)


def test_a_broken_note_is_shown_in_the_page_and_fixing_it_recovers(server):
    process, page, edition = server
    note = edition / NOTE
    good = note.read_text()
    note.write_text(good.replace("quote: engineers found cracks in its supports", 'quote: "engineers found'),
                    encoding="utf-8")
    assert wait_for(lambda: f"{NOTE}:3:8: error: invalid YAML" in fetch(page), 2.0)
    assert process.poll() is None, "the server is still running"
    note.write_text(good.replace("The survey listed", "Fixed: the survey listed"), encoding="utf-8")
    assert wait_for(lambda: "Fixed: the survey listed" in fetch(page) and "build-errors" not in fetch(page), 5.0)
    (edition / "annotations/harbour-pier/stray.md").write_text(
        "---\ntype: context\nquote: nowhere in the text\nauthor: A\n---\nx\n", encoding="utf-8")
    assert wait_for(lambda: "annotations/harbour-pier/stray.md:3:8: error: not found" in fetch(page), 2.0)
    assert process.poll() is None


def test_the_page_reloads_by_itself_after_a_save(server, browser):
    process, page_url, edition = server
    context = browser.new_context()
    page = context.new_page()
    page.goto(page_url)
    page.wait_for_function("() => window.LiveReload !== undefined || document.readyState === 'complete'")
    page.wait_for_timeout(1000)  # let livereload's socket connect
    note = edition / NOTE
    note.write_text(note.read_text().replace("The survey listed", "Reloaded: the survey listed"), encoding="utf-8")
    page.wait_for_function("() => document.body.innerText.includes('Reloaded: the survey listed')", timeout=5000)
    context.close()


def test_a_port_in_use_is_a_clear_error(edition):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", str(port), cwd=edition)
    assert result.code == 1
    assert f"error: port {port} on 127.0.0.1 is in use" in result.stderr and "--port" in result.stderr


def test_a_note_edit_rebuilds_only_its_article_and_the_edition_pages(edition):
    second = edition / "content" / "second-story.md"
    second.write_text((edition / "content" / "harbour-pier.md").read_text(), encoding="utf-8")
    preview = Preview(edition, edition / "_site")
    assert [d for d in preview.rebuild() if d.severity == "error"] == []
    site = edition / "_site"
    stamps = {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}
    time.sleep(0.01)
    note = edition / NOTE
    note.write_text(note.read_text().replace("The survey listed", "The survey now lists"), encoding="utf-8")
    preview.rebuild()
    changed = {p.relative_to(site).as_posix() for p, stamp in stamps.items() if p.stat().st_mtime_ns != stamp}
    assert "harbour-pier/index.html" in changed and "notes/index.html" in changed
    assert not any(path.startswith("second-story/") for path in changed)
    assert not any(path.startswith("static/") or path.startswith("pagefind/") for path in changed)
    assert "The survey now lists" in (site / "harbour-pier/index.html").read_text()


def raw_get(port: int, target: str) -> tuple[int, bytes]:
    """GET a request target exactly as written (urllib would tidy `..` away)."""
    import http.client
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.putrequest("GET", target, skip_host=False, skip_accept_encoding=True)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


@pytest.mark.parametrize("target", ["/sub/../../site.yaml", "/..%2f..%2fsite.yaml", "/%2e%2e/%2e%2e/site.yaml",
                                    "/sub/..%5c..%5csite.yaml", "//etc/passwd", "/sub/%2e%2e%2f%2e%2e%2fcontent/"])
def test_the_server_serves_nothing_outside_the_output_folder(server, target):
    process, page, edition = server
    port = int(page.split(":")[2].split("/")[0])
    status, body = raw_get(port, target)
    assert b"base_url" not in body and b"root:" not in body and b"harbour-pier.md" not in body
    assert status in (400, 403, 404)


def test_the_server_listens_on_the_loopback_address_only(server):
    process, page, edition = server
    port = int(page.split(":")[2].split("/")[0])
    with socket.socket() as other:
        other.settimeout(2)
        assert other.connect_ex(("127.0.0.2", port)) != 0, "reachable beyond 127.0.0.1"


def test_hostile_saves_never_stop_the_server_and_are_shown_as_text(server):
    process, page, edition = server
    note = edition / "annotations/harbour-pier/hostile.md"
    note.write_bytes(bytes(range(256)) * 4)
    assert wait_for(lambda: "harbour-pier/hostile.md:2:118: error: file is not valid UTF-8" in fetch(page), 3)
    note.write_text("---\ntype: context\nquote: \"\\e[31m gone\"\nauthor: A\n---\nx\n", encoding="utf-8")
    assert wait_for(lambda: '\\u001b[31m gone' in fetch(page) and '\x1b' not in fetch(page), 3.0)
    (edition / "annotations/harbour-pier/<img src=x onerror=alert(1)>.md").write_text("x", encoding="utf-8")
    assert wait_for(lambda: "bad note file name &#x27;&lt;img src=x onerror=alert(1)&gt;.md" in fetch(page), 3.0)
    assert "<img src=x" not in fetch(page)
    site = edition / "site.yaml"
    good_site = site.read_text(encoding="utf-8")
    site.write_text("title: [unclosed\n", encoding="utf-8")
    assert wait_for(lambda: "site.yaml:2:1: error: invalid YAML" in fetch(page), 3.0)
    (edition / "themes/default/templates/article.html").write_text("{% if %}", encoding="utf-8")
    site.write_text(good_site, encoding="utf-8")
    assert wait_for(lambda: "themes/default/templates/article.html:1:" in fetch(page), 3.0)
    assert process.poll() is None, "the server is still running"


def test_changes_the_watcher_names_are_rebuilt_and_anything_else_rebuilds_everything(edition):
    preview = Preview(edition, edition / "_site")
    assert [d for d in preview.rebuild() if d.severity == "error"] == []
    site = edition / "_site"
    note = edition / NOTE
    note.write_text(note.read_text().replace("The survey listed", "The survey now lists"), encoding="utf-8")
    assert preview.rebuild([str(note)]) == []
    assert "The survey now lists" in (site / "harbour-pier/index.html").read_text()
    second = edition / "content" / "second-story.md"
    second.write_text((edition / "content" / "harbour-pier.md").read_text(), encoding="utf-8")
    assert preview.rebuild([str(second)]) == []  # a new article: the whole edition is planned again
    assert (site / "second-story/index.html").is_file() and "second-story" in (site / "index.html").read_text()
    second.unlink()
    assert preview.rebuild([str(second)]) == []
    assert not (site / "second-story").exists() and "second-story" not in (site / "index.html").read_text()
    style = edition / "themes/default/static/style.css"
    style.write_text(style.read_text() + "\n/* edited */\n", encoding="utf-8")
    assert preview.rebuild([str(style)]) == []
    assert (site / "static/style.css").read_text().endswith("/* edited */\n")
