"""Contributors, end to end through build.py: the `note` scaffold, schema and validator agreement,
`check --fix` after an article's text changes, the contributors page and the pre-commit hook.
(Each stage on its own: test_scaffold, test_commands, test_repair.)"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys

import jsonschema
import pytest
import yaml

from conftest import REPO, run_cli
from glossator.config import load_config
from glossator.diagnostics import Report, UserError
from glossator.notes import load_note
from glossator.yamldoc import load_schema, parse_yaml

NOTES = "annotations/harbour-pier"


# --- build.py note -----------------------------------------------------------------------

def test_note_scaffold_for_a_unique_quote(edition):
    result = run_cli("note", "harbour-pier", "--quote", "council leader Ana Ruiz", "--author", "@me", cwd=edition)
    assert result.code == 0, result.stderr
    path = edition / NOTES / "council-leader-ana-ruiz.md"
    text = path.read_text(encoding="utf-8")
    assert "quote: council leader Ana Ruiz" in text and "author: '@me'" in text and "type: context" in text
    assert "prefix:" not in text and "suffix:" not in text and "occurrence:" not in text
    checked = run_cli("check", cwd=edition)
    assert checked.code == 0 and "3 notes anchored" in checked.stdout


def test_note_scaffold_for_a_repeated_quote_needs_a_choice_then_writes_a_prefix(edition):
    refused = run_cli("note", "harbour-pier", "--quote", "The ferry company", "--author", "x", cwd=edition)
    assert refused.code == 1
    assert 'error: ambiguous: 2 matches for quote "The ferry company"' in refused.stderr
    assert "--occurrence N" in refused.stderr
    assert not (edition / NOTES / "the-ferry-company.md").exists()
    chosen = run_cli("note", "harbour-pier", "--quote", "The ferry company", "--author", "x", "--occurrence", "2",
                     cwd=edition)
    assert chosen.code == 0, chosen.stderr
    text = (edition / NOTES / "the-ferry-company.md").read_text(encoding="utf-8")
    assert re.search(r"^prefix: \S.*$", text, re.M) and "occurrence" not in text
    built = run_cli("build", cwd=edition)
    assert built.code == 0, built.stderr
    page = (edition / "_site/harbour-pier/index.html").read_text(encoding="utf-8")
    second = page.index("The ferry company", page.index("The ferry company") + 1)
    assert page.rindex('data-note="the-ferry-company"', 0, second + 20) > page.index("The ferry company")


# --- schema and validator agree ---------------------------------------------------------------

NOTE_CASES = [
    ("type: context\nquote: Ana Ruiz\nauthor: A\n", True),
    ("type: correction\nquote: Ana Ruiz\ncorrected: Ana Ruíz\nauthor: A\ndate: 2026-11-28\n", True),
    ("type: context\nquote: Ana Ruiz\nauthor: A\nsources:\n  - title: T\n    url: https://example.org/x\n", True),
    ("type: context\nquote: Ana Ruiz\nauthor: A\noccurrence: 1\nprefix: leader\nsuffix: x\n", True),
    ("type: context\nquote: Ana Ruiz\n", False),
    ("type: context\nauthor: A\n", False),
    ("type: context\nquote: ''\nauthor: A\n", False),
    ("type: context\nquote: Ana Ruiz\nauthor: A\nqoute: x\n", False),
    ("type: context\nquote: [Ana]\nauthor: A\n", False),
    ("type: context\nquote: Ana Ruiz\nauthor: A\noccurrence: 0\n", False),
    ("type: context\nquote: Ana Ruiz\nauthor: A\noccurrence: two\n", False),
    ("type: context\nquote: Ana Ruiz\nauthor: A\ndate: yesterday\n", False),
    ("type: context\nquote: Ana Ruiz\nauthor: A\nsources:\n  - title: T\n    url: javascript:alert(1)\n", False),
    ("type: context\nquote: Ana Ruiz\nauthor: A\nsources:\n  - title: T\n", False),
    ("type: context\nquote: Ana Ruiz\nauthor: A\nsources:\n  - title: T\n    url: https://x.org\n    page: 3\n", False),
    ("type: 3\nquote: Ana Ruiz\nauthor: A\n", False),
]


@pytest.mark.parametrize("front, valid", NOTE_CASES)
def test_note_schema_and_validator_accept_and_reject_the_same(edition, front, valid):
    schema_says = jsonschema.Draft202012Validator(load_schema("note")).is_valid(parse_yaml(front, "n.md").data)
    path = edition / NOTES / "case.md"
    path.write_text(f"---\n{front}---\nA note.\n", encoding="utf-8")
    report = Report()
    note = load_note(path, "case.md", "harbour-pier", load_config(edition), report)
    validator_says = note is not None and not report.errors
    assert schema_says == validator_says == valid


SITE_CASES = [
    ("title: T\n", True),
    ("title: T\nbase_url: /repo/\nlanguage: fr\n", True),
    ("title: T\nbase_url: https://example.github.io/repo/\n", True),
    ("title: T\nnote_types:\n  - id: context\n    label: Context\n    motivation: commenting\n", True),
    ("base_url: /\n", False),
    ("title: T\nbaseurl: /\n", False),
    ("title: T\nbase_url: ftp://example.org/\n", False),
    ("title: T\nbase_url: relative/path/\n", False),
    ("title: T\nnote_types: []\n", False),
    ("title: T\nnote_types:\n  - id: context\n", False),
    ("title: T\nnote_types:\n  - id: context\n    label: C\n    motivation: scolding\n", False),
    ("title: T\nrepository: not a url\n", False),
]


@pytest.mark.parametrize("text, valid", SITE_CASES)
def test_site_schema_and_validator_accept_and_reject_the_same(edition, text, valid):
    schema_says = jsonschema.Draft202012Validator(load_schema("site")).is_valid(parse_yaml(text, "site.yaml").data)
    (edition / "site.yaml").write_text(text, encoding="utf-8")
    try:
        load_config(edition)
        validator_says = True
    except UserError:
        validator_says = False
    assert schema_says == validator_says == valid


def test_every_note_and_site_yaml_of_the_repository_declares_its_schema():
    assert (REPO / "site.yaml").read_text().startswith("# yaml-language-server: $schema=glossator/schemas/site.schema.json")
    for path in (REPO / "annotations").glob("*/*.md"):
        second_line = path.read_text(encoding="utf-8").splitlines()[1]
        assert second_line == "# yaml-language-server: $schema=../../glossator/schemas/note.schema.json", path.name


# --- check --fix after the article's text changed ----------------------------------------------

def test_fix_rewrites_only_quotes_with_one_clear_replacement(edition):
    notes = {
        "typo-fixed": "engineers found cracks in its supports",  # the article gets "serious" added
        "reworded": "council leader Ana Ruiz",  # the sentence is reworded
        "near-twin": "Work is due to start in the autumn",  # as close to a highlight as to the body
        "deleted": "did not say when",  # the passage is deleted
        "two-alike": "The ferry compani",  # as close to two passages: no guess
    }
    for name, quote in notes.items():
        (edition / NOTES / f"{name}.md").write_text(
            f"---\ntype: context\nquote: {quote}\nauthor: A\nsources:\n  - title: T\n    url: https://x.org\n---\nText.\n",
            encoding="utf-8")
    (edition / NOTES / "two-alike.md").write_text((edition / NOTES / "two-alike.md").read_text().replace(
        "quote: The ferry compani\n", "quote: The ferry compani\nsuffix: x\n"))
    article = edition / "content" / "harbour-pier.md"
    text = article.read_text(encoding="utf-8")
    text = text.replace("engineers found cracks", "engineers found serious cracks")
    text = text.replace("said council leader Ana Ruiz", "said council chair Ana Ruiz")
    text = text.replace("Work is due to start in the autumn", "Work is due to begin in the autumn")
    text = text.replace(" The ferry company did not say when.", " The ferry company gave no date.")
    article.write_text(text, encoding="utf-8")
    (edition / NOTES / "cracks.md").unlink()

    before = {name: (edition / NOTES / f"{name}.md").read_text() for name in notes}
    listed = run_cli("check", cwd=edition)
    assert listed.code == 1
    assert 'typo-fixed.md:3:8: error: not found' in listed.stderr
    assert "Replace the quote line with: quote: engineers found serious cracks in its supports" in listed.stderr
    assert {name: (edition / NOTES / f"{name}.md").read_text() for name in notes} == before, "check alone writes nothing"

    fixed = run_cli("check", "--fix", cwd=edition)
    assert 'typo-fixed.md:3:8: fixed: quote "engineers found cracks in its supports" is now ' \
           '"engineers found serious cracks in its supports"' in fixed.stdout
    assert 'reworded.md:3:8: fixed: quote "council leader Ana Ruiz" is now "council chair Ana Ruiz"' in fixed.stdout
    for untouched in ("deleted.md", "two-alike.md", "near-twin.md"):
        assert untouched not in fixed.stdout
        assert f"{untouched}:3:8: error" in fixed.stderr
    assert fixed.code == 1
    assert (edition / NOTES / "deleted.md").read_text() == before["deleted"]
    assert (edition / NOTES / "two-alike.md").read_text() == before["two-alike"]
    rewritten = (edition / NOTES / "typo-fixed.md").read_text()
    assert rewritten == before["typo-fixed"].replace("quote: engineers found cracks in its supports",
                                                     "quote: engineers found serious cracks in its supports")


# --- credits and the pre-commit hook----------------------------------------------------------------

def test_contributors_page_lists_each_author_with_their_notes(edition):
    assert run_cli("build", cwd=edition).code == 0
    page = (edition / "_site/contributors/index.html").read_text(encoding="utf-8")
    assert "@tester" in page and "Test Author" in page
    assert 'href="/harbour-pier/#note-march-31"' in page and 'href="/harbour-pier/#note-cracks"' in page
    article = (edition / "_site/harbour-pier/index.html").read_text(encoding="utf-8")
    assert "Note by @tester" in article and "Note by Test Author" in article


def test_the_pre_commit_hook_runs_check_on_the_edition(edition):
    hook = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"][0]["hooks"][0]
    assert re.match(hook["files"], "annotations/harbour-pier/cracks.md") and hook["pass_filenames"] is False
    command = [sys.executable if word == "python" else str(REPO / word) if word.endswith(".py") else word
               for word in shlex.split(hook["entry"])]
    assert subprocess.run(command, cwd=edition, capture_output=True).returncode == 0
    (edition / NOTES / "typo.md").write_text("---\ntype: context\nquote: engineers fuond\nauthor: A\n---\nT.\n",
                                             encoding="utf-8")
    refused = subprocess.run(command, cwd=edition, capture_output=True, text=True)
    assert refused.returncode == 1 and "typo.md:3:8: error: not found" in refused.stderr
