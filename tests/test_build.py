"""`build.py build`: the pages, the marks and asides, sanitizing, determinism, base URL."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO, run_cli, tree

NOTES = "annotations/harbour-pier"


def write_note(edition: Path, name: str, front: str, body: str = "A note.") -> None:
    (edition / NOTES / f"{name}.md").write_text(f"---\n{front}author: Test\n---\n{body}\n", encoding="utf-8")


def build(edition: Path, *extra: str) -> str:
    result = run_cli("build", *extra, cwd=edition)
    assert result.code == 0, result.stderr
    return (edition / "_site/harbour-pier/index.html").read_text(encoding="utf-8")


def test_site_has_index_article_notes_and_errata_pages(edition):
    page = build(edition)
    site = edition / "_site"
    for path in ("index.html", "notes/index.html", "errata/index.html", "static/style.css"):
        assert (site / path).is_file(), path
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="/harbour-pier/"' in index and "1 correction" in index and "1 context" in index
    assert "5 March 2024, 18:30 UTC+01:00" in index
    errata = (site / "errata/index.html").read_text(encoding="utf-8")
    assert 'href="/harbour-pier/#note-march-31"' in errata and "cracks" not in errata
    notes_page = (site / "notes/index.html").read_text(encoding="utf-8")
    assert notes_page.index("Corrections (1)") < notes_page.index("Context (1)")
    assert '<mark class="anchor anchor-context" data-note="cracks">engineers found cracks in its supports</mark>' in page


def test_notes_follow_the_paragraph_that_holds_their_passage(edition):
    page = build(edition)
    wrapper = page.rindex('<div class="annotated"><p>', 0, page.index('data-note="cracks"'))
    marker = page.index('href="#note-cracks" role="doc-noteref"')
    paragraph_end = page.index("</p>", marker)
    aside = page.index('<aside class="note note-context" id="note-cracks" role="doc-footnote"')
    assert wrapper < marker < paragraph_end < aside < page.index("<h2>A long debate</h2>")
    assert page[paragraph_end:aside] == '</p>\n<div class="block-notes">\n'


def test_correction_shows_text_as_published_and_corrected(edition):
    page = build(edition)
    aside = page[page.index('id="note-march-31"'):]
    aside = aside[:aside.index("</aside>")]
    assert "<dt>As published</dt><dd>photographed on March 31</dd>" in aside
    assert "<dt>Corrected</dt><dd>photographed on January 31</dd>" in aside
    assert "<em>January</em>" in aside and "Note by @tester" in aside


def test_quote_across_emphasis_is_split_into_runs_of_one_note(edition):
    write_note(edition, "debate", "type: context\nquote: a debate that has run for three years\n")
    page = build(edition)
    runs = re.findall(r'<mark class="anchor anchor-context" data-note="debate">(.*?)</mark>', page)
    assert runs == ["a debate that has run for ", "three years"]
    assert '<em><mark class="anchor anchor-context" data-note="debate">three years</mark></em>' in page


def test_marker_of_a_quote_ending_inside_a_link_follows_the_link(edition):
    write_note(edition, "survey", "type: source\nquote: ignored the harbour survey\n")
    page = build(edition)
    link_end = page.index("</a>", page.index('href="https://example.org/survey"'))
    marker = page.index('id="ref-survey"')
    assert link_end < marker
    assert page.count('data-note="survey"') == 2


def test_overlapping_and_nested_notes_both_stay_visible(edition):
    write_note(edition, "outer", "type: context\nquote: closed in 2019 after engineers found\n")
    write_note(edition, "inner", "type: definition\nquote: engineers\n")
    page = build(edition)
    for note_id in ("outer", "inner", "cracks"):
        assert f'id="note-{note_id}"' in page and f'id="ref-{note_id}"' in page
    assert re.search(r'data-note="outer"><mark class="anchor anchor-context" data-note="cracks">'
                     r'<mark class="anchor anchor-definition" data-note="inner">engineers</mark>', page)
    numbers = re.findall(r'role="doc-noteref" aria-label="[A-Za-z]+ (\d+)"', page)
    assert numbers == sorted(numbers, key=int), "notes are numbered in reading order"


HOSTILE = """<script>alert('body')</script>
<img src=x onerror="alert('img')">
[click](javascript:alert('link'))
<a href="data:text/html,<script>alert(1)</script>">data</a>
<iframe src="https://evil.example"></iframe>
<p onclick="alert('p')" style="color:red">styled</p>
{{ site.title }} {% raw %}
"""


def test_hostile_note_markdown_is_sanitized(edition):
    write_note(edition, "hostile", "type: context\nquote: engineers found cracks in its supports\n", HOSTILE)
    page = build(edition)
    aside = page[page.index('id="note-hostile"'):]
    aside = aside[:aside.index("</aside>")]
    for bad in ("<script", "onerror", "javascript:", "data:text", "<iframe", "onclick", "style="):
        assert bad not in aside, bad
    assert "{{ site.title }}" in aside, "note text is never run as a template"
    assert "styled" in aside


def test_every_page_forbids_inline_script(edition):
    build(edition)
    for page in (edition / "_site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "script-src 'self'" in text and "<script>" not in text


def copy_in_reverse_order(source: Path, target: Path, stamp: float) -> None:
    """Copy an edition creating its files in the opposite order, with other modification times,
    so that directory listings come back in another order."""
    for path in sorted(source.rglob("*"), reverse=True):
        copy = target / path.relative_to(source)
        if path.is_file():
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, copy)
            os.utime(copy, (stamp, stamp))


def build_in(edition: Path, output: Path, env: dict[str, str], prefix: tuple[str, ...] = ()) -> dict[str, bytes]:
    command = [*prefix, sys.executable, str(REPO / "build.py"), "build", "--output", str(output)]
    done = subprocess.run(command, cwd=edition, env=dict(os.environ, **env), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return tree(output)


def test_two_builds_are_byte_identical_whatever_the_seed_listing_order_place_and_time(edition, tmp_path):
    assert shutil.which("faketime"), "make test installs faketime"
    other = tmp_path / "elsewhere" / "edition"
    copy_in_reverse_order(edition, other, stamp=1_000_000_000)
    first = build_in(edition, tmp_path / "site-1", {"PYTHONHASHSEED": "1", "TZ": "UTC", "LC_ALL": "C.UTF-8"})
    second = build_in(other, tmp_path / "site-2", {"PYTHONHASHSEED": "2", "TZ": "Pacific/Kiritimati"},
                      prefix=("faketime", "2031-12-31 23:59:59"))
    assert first == second


def test_base_url_prefixes_every_internal_link(edition):
    page = build(edition, "--base-url", "/glossator-demo/")
    links = re.findall(r'(?:href|src)="(/[^"]*)"', page)
    assert links and all(link.startswith("/glossator-demo/") for link in links)
    assert '<base' not in page


def test_output_folder_that_is_the_project_is_refused(edition):
    result = run_cli("build", "--output", ".", cwd=edition)
    assert result.code == 1 and "refusing to replace this folder" in result.stderr
    assert (edition / "site.yaml").is_file() and (edition / "content").is_dir()


def test_check_writes_nothing(edition):
    result = run_cli("check", cwd=edition)
    assert result.code == 0 and "2 notes anchored" in result.stdout
    assert not (edition / "_site").exists()


def test_strict_turns_warnings_into_errors(edition):
    write_note(edition, "unsourced", "type: context\nquote: Ana Ruiz\n")
    assert run_cli("check", cwd=edition).code == 0
    strict = run_cli("check", "--strict", cwd=edition)
    assert strict.code == 1 and "warning: note cites no source" in strict.stderr


def test_byte_order_mark_and_crlf_line_ends_are_accepted_with_right_lines(edition):
    text = "\ufeff---\r\ntype: context\r\nquote: engineers fuond cracks\r\nauthor: A\r\n---\r\nText.\r\n"
    (edition / NOTES / "windows.md").write_bytes(text.encode("utf-8"))
    result = run_cli("check", cwd=edition)
    assert "annotations/harbour-pier/windows.md:3:8: error: not found" in result.stderr
    fixed = text.replace("fuond", "found")
    (edition / NOTES / "windows.md").write_bytes(fixed.encode("utf-8"))
    assert run_cli("check", cwd=edition).code == 0


EXTRA_MARKDOWN = """A table:

| Year | Calls |
| ---- | ----- |
| 2013 | 70.3 million |

The NSA[^1] said so.

*[NSA]: National Security Agency

Metadata
: what a call record holds, not its content

```
code stays code
```

[^1]: A footnote.
"""


def test_articles_get_markdown_extra_and_notes_plain_markdown():
    """Articles are written with Python-Markdown's "extra" (tables, footnotes, abbreviations,
    definition lists, fenced code); notes, from strangers, get plain Markdown only."""
    from glossator.rendering import render_article_markdown, render_note_markdown

    article = render_article_markdown(EXTRA_MARKDOWN)
    for expected in ("<table>", "<td>70.3 million</td>", '<abbr title="National Security Agency">NSA</abbr>',
                     "<dt>Metadata</dt>", "<pre><code>code stays code", 'href="#fn:1"', "A footnote."):
        assert expected in article, expected
    note = render_note_markdown(EXTRA_MARKDOWN)
    assert "<table>" not in note and "<abbr" not in note and "<dt>" not in note and 'href="#fn:1"' not in note
    assert "| 2013 | 70.3 million |" in note
