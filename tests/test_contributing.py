"""Contributors: the `note` scaffold, check's output formats, schema and validator agreement,
`check --fix` after an article's text changes, and the contributors page."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import REPO, run_cli
from glossator.config import load_config
from glossator.diagnostics import Report, UserError
from glossator.notes import load_note
from glossator.yamldoc import load_schema, parse_yaml

NOTES = "annotations/harbour-pier"


def run_env(*args: str, cwd: Path, **env: str):
    done = subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd, capture_output=True,
                          text=True, env={**os.environ, **env}, timeout=120)
    return done


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


def test_note_scaffold_never_overwrites(edition):
    for _ in range(2):
        assert run_cli("note", "harbour-pier", "--quote", "Ana Ruiz", "--author", "x", cwd=edition).code == 0
    assert (edition / NOTES / "ana-ruiz.md").is_file() and (edition / NOTES / "ana-ruiz-2.md").is_file()


@pytest.mark.parametrize("args, message", [
    (["harbour-pier", "--quote", "Quantum chromodynamics"], "error: not found"),
    (["harbor-pier", "--quote", "Ana Ruiz"], "error: no article 'harbor-pier'"),
    (["harbour-pier", "--quote", "Ana Ruiz", "--type", "opinion"], "error: unknown note type 'opinion'"),
    (["harbour-pier", "--quote", "The ferry company", "--occurrence", "3"], "error: occurrence 3 is out of range"),
])
def test_note_scaffold_refuses_what_the_build_refuses(edition, args, message):
    before = sorted(p.name for p in (edition / NOTES).iterdir())
    result = run_cli("note", *args, "--author", "x", cwd=edition)
    assert result.code == 1 and message in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in (edition / NOTES).iterdir()) == before


# --- output formats --------------------------------------------------------------------------

def break_edition(edition: Path) -> None:
    (edition / NOTES / "typo.md").write_text(
        "---\ntype: context\nquote: engineers fuond cracks\nauthor: A\n---\nText: 100% sure, a, b.\n", encoding="utf-8")
    (edition / NOTES / "unsourced.md").write_text(
        "---\ntype: context\nquote: Ana Ruiz\nauthor: A\n---\nText.\n", encoding="utf-8")


WORKFLOW_COMMAND = re.compile(r"^::(error|warning) file=([^,:]+),line=(\d+),col=(\d+),title=([^,:]+)::(.+)$")


def test_github_format_is_one_workflow_command_per_problem(edition):
    break_edition(edition)
    done = run_env("check", cwd=edition, GITHUB_ACTIONS="true")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    commands = [WORKFLOW_COMMAND.match(line) for line in lines]
    assert all(commands), lines
    found = {(m.group(1), m.group(2), m.group(3), m.group(4)) for m in commands}
    assert ("error", f"{NOTES}/typo.md", "3", "8") in found
    assert ("warning", f"{NOTES}/unsourced.md", "1", "1") in found
    typo = next(m for m in commands if m.group(2).endswith("typo.md") and m.group(1) == "error")
    assert "%0Ahint: did you mean" in typo.group(6) and "\n" not in typo.group(6)
    pasted = typo.group(6).split("Replace the quote line with: ", 1)[1]
    assert yaml.safe_load(pasted.replace("%25", "%")) == {"quote": "engineers found cracks"}


def test_github_format_escapes_percent_and_newlines():
    from glossator.diagnostics import Diagnostic, as_github

    line = as_github(Diagnostic("a,b:c.md", 2, 3, "100% wrong\nsecond", "fix, then: rerun"))
    assert line == "::error file=a%2Cb%3Ac.md,line=2,col=3,title=Glossator error::100%25 wrong%0Asecond%0Ahint: fix, then: rerun"


def test_json_format_for_tools(edition):
    break_edition(edition)
    done = run_env("check", "--format", "json", cwd=edition)
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["errors"] == 1 and report["warnings"] == 2  # neither note cites a source
    problem = next(d for d in report["diagnostics"] if d["severity"] == "error")
    assert problem["path"] == f"{NOTES}/typo.md" and (problem["line"], problem["col"]) == (3, 8)
    assert problem["message"].startswith("not found") and problem["hint"].startswith("did you mean")
    pasted = problem["hint"].split("Replace the quote line with: ", 1)[1]
    assert yaml.safe_load(pasted) == {"quote": "engineers found cracks"}
    for name in ("typo", "unsourced"):
        (edition / NOTES / f"{name}.md").unlink()
    clean = run_env("check", "--format", "json", cwd=edition)
    assert clean.returncode == 0 and json.loads(clean.stdout) == {"errors": 0, "warnings": 0, "diagnostics": []}


def test_text_format_has_no_colour_off_a_terminal_and_strict_fails_on_warnings(edition):
    (edition / NOTES / "unsourced.md").write_text("---\ntype: context\nquote: Ana Ruiz\nauthor: A\n---\nText.\n",
                                                  encoding="utf-8")
    done = run_env("check", cwd=edition)
    assert done.returncode == 0 and "\033[" not in done.stderr and ": warning: note cites no source" in done.stderr
    strict = run_env("check", "--strict", "--format", "json", cwd=edition)
    assert strict.returncode == 1 and json.loads(strict.stdout)["warnings"] == 1


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


# --- credits and documents --------------------------------------------------------------------

def test_contributors_page_lists_each_author_with_their_notes(edition):
    assert run_cli("build", cwd=edition).code == 0
    page = (edition / "_site/contributors/index.html").read_text(encoding="utf-8")
    assert "@tester" in page and "Test Author" in page
    assert 'href="/harbour-pier/#note-march-31"' in page and 'href="/harbour-pier/#note-cracks"' in page
    article = (edition / "_site/harbour-pier/index.html").read_text(encoding="utf-8")
    assert "Note by @tester" in article and "Note by Test Author" in article


def test_contributor_documents():
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for topic in ("GitHub's web editor", "build.py note", "What makes a good note", "Corrections, context",
                  "How review works"):
        assert topic in guide, topic
    assert "- [ ]" in (REPO / ".github/pull_request_template.md").read_text(encoding="utf-8")
    assert "entry: python build.py check" in (REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8")
