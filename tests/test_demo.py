"""The demo edition: it builds cleanly, its notes follow the editorial rules, the quote rules
hold on its own article, and the build matches the committed golden copy byte for byte.

After an intended change of output, refresh the golden copy with:
    GLOSSATOR_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_demo.py
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import yaml

from conftest import REPO, run_cli, tree

GOLDEN = REPO / "tests" / "golden" / "demo"
ARTICLE = "nsa-france-phone-calls"
NOTES = REPO / "annotations" / ARTICLE


def note_files() -> list[Path]:
    return sorted(NOTES.glob("*.md"))


def test_demo_builds_with_no_warning_in_strict_mode(demo):
    result = run_cli("build", "--strict", cwd=demo)
    assert result.code == 0, result.stderr
    assert result.stderr == ""


def test_demo_has_at_least_25_sourced_short_notes_of_every_type():
    types = set()
    for path in note_files():
        front, body = path.read_text(encoding="utf-8").split("---\n")[1:3]
        meta = yaml.safe_load(front)
        types.add(meta["type"])
        assert meta.get("sources"), f"{path.name} cites no source"
        assert len(body.split()) < 120, f"{path.name} is too long"
        assert "TODO" not in body and "lorem" not in body.lower()
    assert len(note_files()) >= 25
    assert types == {"correction", "context", "definition", "source", "question"}


def test_demo_corrects_each_known_error():
    quotes = {yaml.safe_load(p.read_text(encoding="utf-8").split("---\n")[1])["quote"] for p in note_files()}
    for error in ("expresed", "would would continue", "in Moscow on October 31", "Enrique Pena Nieto",
                  "Felipe Calderon", "French President Francois Hollande", "Fantastico"):
        assert error in quotes, error


def add_note(demo: Path, name: str, front: str) -> None:
    path = demo / "annotations" / ARTICLE / f"{name}.md"
    path.write_text(f"---\n{front}author: Test\n---\nA test note.\n", encoding="utf-8")


def test_quote_rules_on_the_demo_article(demo):
    shutil.rmtree(demo / "annotations" / ARTICLE)
    (demo / "annotations" / ARTICLE).mkdir()
    add_note(demo, "caption", "type: context\nquote: Stroebele returned from the meeting with a letter\n")
    add_note(demo, "curly", "type: context\nquote: “deep disapproval with regard to these practices”\n")
    add_note(demo, "wrapped", "type: context\nquote: >-\n  The two presidents agreed that French and American\n"
                              "  intelligence services will cooperate\n")
    add_note(demo, "dashes", "type: context\nquote: recent disclosures in the press — some of which\n")
    result = run_cli("build", cwd=demo)
    assert result.code == 0, result.stderr
    page = (demo / "_site" / ARTICLE / "index.html").read_text(encoding="utf-8")
    for name in ("caption", "curly", "wrapped", "dashes"):
        assert f'data-note="{name}"' in page and f'id="note-{name}"' in page
    figure = page[page.index("<figcaption>"):page.index("</figcaption>")]
    assert 'data-note="caption"' in figure


def test_demo_errors_point_into_the_demo_article(demo):
    add_note(demo, "typo", "type: context\nquote: He said Rivkin would continue consultations\n")
    result = run_cli("check", cwd=demo)
    assert result.code == 1
    assert f"annotations/{ARTICLE}/typo.md:3:8: error: not found" in result.stderr
    assert "Replace the quote line with: quote: He said Rivkin would would continue consultations" in result.stderr
    line = next(i for i, text in enumerate((REPO / "content" / f"{ARTICLE}.md").read_text().splitlines(), 1)
                if "Rivkin would would" in text)
    assert f"content/{ARTICLE}.md:{line} (" in result.stderr


def test_demo_build_matches_the_golden_copy(demo):
    result = run_cli("build", cwd=demo)
    assert result.code == 0, result.stderr
    # Pagefind's bundle is third-party output that changes with its version; search has its
    # own browser test.
    built = {path: data for path, data in tree(demo / "_site").items() if not path.startswith("pagefind/")}
    if os.environ.get("GLOSSATOR_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(demo / "_site", GOLDEN, ignore=shutil.ignore_patterns("pagefind"))
    golden = tree(GOLDEN)
    assert sorted(built) == sorted(golden)
    for path in built:
        assert built[path] == golden[path], f"{path} differs from tests/golden/demo/{path}"
