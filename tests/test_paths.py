"""Paths from strangers cannot leave their folders: slugs, article names, note ids and output
folders with `..`, absolute paths or odd Unicode are refused with a clear error, and no
diagnostic lets a file name rewrite the terminal."""

from __future__ import annotations

import pytest

from conftest import run_cli, tree


def a_page(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("Harbour pier to close\n\nBy Ann Lee, CNN\nupdated 10:00 AM EDT, Mon October 21, 2013\n\n"
                    "The old pier will close next month.\n", encoding="utf-8")
    return page


@pytest.mark.parametrize("slug", ["../../evil", "/tmp/evil", "evil/../../x", "ｅvil", "evil\u202etxt", "évil",
                                  "evil.", "-", "EVIL"])
def test_import_refuses_a_slug_that_could_leave_content(edition, tmp_path, slug):
    before = tree(edition)
    result = run_cli("import", str(a_page(tmp_path)), "--slug", slug, cwd=edition)
    assert result.code == 1 and "Traceback" not in result.stderr
    assert "error: bad slug" in result.stderr and "hint: " in result.stderr
    assert tree(edition) == before
    assert not (tmp_path / "evil.md").exists()


@pytest.mark.parametrize("article", ["../harbour-pier", "/etc/passwd", "harbour-pier/../../x", "harbour\u202epier"])
def test_note_scaffold_refuses_an_article_outside_content(edition, article):
    before = tree(edition)
    result = run_cli("note", article, "--quote", "engineers found", cwd=edition)
    assert result.code == 1 and "Traceback" not in result.stderr
    assert "error: no article" in result.stderr
    assert tree(edition) == before


@pytest.mark.parametrize("name", ["Cracks-Copy.md", "ｃracks.md", "cracks\u202ecod.md", "cracks\u200b.md", "x\x1b[2J.md"])
def test_odd_note_file_names_are_refused_and_shown_harmlessly(edition, name):
    (edition / "annotations/harbour-pier" / name).write_text(
        "---\ntype: context\nquote: engineers found\nauthor: A\n---\nx\n", encoding="utf-8")
    result = run_cli("check", cwd=edition)
    assert result.code == 1 and "bad note file name" in result.stderr
    assert all(ch.isprintable() for line in result.stderr.splitlines() for ch in line)


def test_a_quote_with_terminal_escapes_is_spelled_out_in_the_diagnostic(edition):
    (edition / "annotations/harbour-pier/escape.md").write_text(
        '---\ntype: context\nquote: "\\e]0;pwned\\a\\e[2J gone"\nauthor: A\n---\nx\n', encoding="utf-8")
    result = run_cli("check", cwd=edition)
    assert result.code == 1 and "\x1b" not in result.stderr and "\\u001b" in result.stderr


@pytest.mark.parametrize("output", ["..", "/", "content", "themes"])
def test_the_build_never_replaces_a_folder_that_is_not_a_site(edition, output):
    before = tree(edition)
    result = run_cli("build", "--output", output, cwd=edition)
    assert result.code == 1 and "Traceback" not in result.stderr
    assert "refusing" in result.stderr or "error:" in result.stderr
    assert tree(edition) == before


def test_a_theme_name_cannot_leave_the_themes_folder(edition):
    site = edition / "site.yaml"
    for theme in ("../content", "/etc", "default/../../x"):
        site.write_text(site.read_text().split("theme:")[0] + f'theme: "{theme}"\n', encoding="utf-8")
        result = run_cli("check", cwd=edition)
        assert result.code == 1 and "site.yaml:" in result.stderr and "Traceback" not in result.stderr
