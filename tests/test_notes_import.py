"""`build.py import-notes`: W3C Web Annotations (the edition's own export among them) and
Hypothesis API responses become notes, each anchored before it is written; everything else is
refused with its reason, and importing a file again changes nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, _copy_demo, run_main, tree
from glossator import notes_import
from glossator.diagnostics import UserError
from glossator.notes_import import import_notes
from glossator.pipeline import build
from glossator.rendering import render_note_markdown
from glossator.search import plain_text
from glossator.stages import load_site

SLUG = "nsa-france-phone-calls"
CNN_PAGE = "http://www.cnn.com/2013/10/21/world/europe/france-nsa-spying/index.html"


@pytest.fixture
def bare_demo(tmp_path: Path) -> Path:
    """The demo edition without any note, its article's front matter naming the page it was
    first published on (annotations of any other page are refused)."""
    root = tmp_path / "bare"
    root.mkdir()
    for name in ("site.yaml", "content", "themes"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    (root / "annotations").mkdir()
    article = root / "content" / f"{SLUG}.md"
    article.write_text(article.read_text(encoding="utf-8").replace("\nrights:", f"\nsource: {CNN_PAGE}\nrights:", 1),
                       encoding="utf-8")
    return root


def demo_export(tmp_path: Path) -> Path:
    demo = _copy_demo(tmp_path / "demo")
    build(demo, demo / "_site")
    return demo / "_site" / SLUG / "annotations.jsonld"


def notes_as_read(root: Path) -> dict[str, tuple]:
    """Each anchored note: where it is, what it says, in forms that must survive the trip."""
    site, report = load_site(root)
    assert report.errors == []
    (item,) = site.articles
    found = {}
    for anchor in item.anchors:
        note = anchor.note
        found[note.id] = (item.text.blocks.index(anchor.block), anchor.start, anchor.end, note.type, note.author,
                          note.corrected, note.sources, note.date,
                          " ".join(plain_text(render_note_markdown(note.body)).split()))
    return found


def test_the_demo_export_comes_back_as_the_same_notes_and_a_second_import_changes_nothing(tmp_path, bare_demo):
    export = demo_export(tmp_path)
    outcomes = import_notes(bare_demo, export, SLUG)
    assert [o.status for o in outcomes] == ["written"] * 36
    assert notes_as_read(bare_demo) == notes_as_read(REPO)
    written = tree(bare_demo / "annotations")
    again = import_notes(bare_demo, export, SLUG)
    assert [o.status for o in again] == ["already there"] * 36
    assert tree(bare_demo / "annotations") == written


def test_a_dry_run_says_what_it_would_write_and_writes_nothing(tmp_path, bare_demo, capsys):
    export = demo_export(tmp_path)
    result = run_main("import-notes", str(export), "--article", SLUG, "--dry-run", root=bare_demo, capsys=capsys)
    assert result.code == 0 and not any((bare_demo / "annotations").iterdir())
    assert f"{export}:1:1: written: annotations/{SLUG}/expresed.md" in result.stdout
    assert result.stdout.rstrip().endswith("36 annotations: 36 would be written, 0 already there, 0 skipped; "
                                           "nothing was written (--dry-run)")


def hypothesis_row(row_id: str, exact: str, prefix: str = "", suffix: str = "", **fields) -> dict:
    """A row of Hypothesis' search API, as its documentation describes one."""
    selectors = [
        {"type": "RangeSelector", "startContainer": "/main[1]/div[2]/p[3]", "startOffset": 12,
         "endContainer": "/main[1]/div[2]/p[3]", "endOffset": 40},
        {"type": "TextPositionSelector", "start": 5210, "end": 5210 + len(exact)},
        {"type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix},
    ]
    row = {"id": row_id, "created": "2013-10-25T09:12:44.531822+00:00", "updated": "2013-10-25T09:12:44.531822+00:00",
           "user": "acct:mstone@hypothes.is", "uri": CNN_PAGE, "text": "", "tags": [], "group": "__world__",
           "permissions": {"read": ["group:__world__"]},
           "target": [{"source": CNN_PAGE, "selector": selectors}],
           "document": {"title": ["Report: U.S. intercepts French phone calls on a 'massive scale' - CNN.com"]},
           "links": {"html": f"https://hypothes.is/a/{row_id}"}, "hidden": False, "flagged": False,
           "references": [], "user_info": {"display_name": "Maya Stone"}}
    row.update(fields)
    return row


HYPOTHESIS = {"total": 9, "rows": [
    hypothesis_row("Ab3xZ-01", "Le Monde", prefix="appeared in the French newspaper ", suffix=".\n\nThe paper",
                   text="Le Monde's story ran on 21 October; see [the paper's report](https://www.lemonde.fr/x).",
                   tags=["Source"]),
    hypothesis_row("Ab3xZ-02", "Le Monde", prefix="in France, ", suffix=" reported Monday",
                   text="Why did CNN name the paper here?", tags=["question"]),
    hypothesis_row("Ab3xZ-03", "", text="A reply: it was the first to publish.", references=["Ab3xZ-02"],
                   target=[{"source": CNN_PAGE}], user_info={"display_name": "Leo Park"}),
    hypothesis_row("Ab3xZ-04", "", text="A page note on the whole story.", target=[{"source": CNN_PAGE}]),
    hypothesis_row("Ab3xZ-05", "Laurent Fabius", hidden=True, text="Spam."),
    hypothesis_row("Ab3xZ-06", "Laurent Fabius", text="On another page.",
                   target=[{"source": "https://www.example.org/other-story",
                            "selector": [{"type": "TextQuoteSelector", "exact": "Laurent Fabius"}]}]),
    hypothesis_row("Ab3xZ-07", "Foreign Minster Laurent Fabius", text="Quoted with a typo of the annotator's."),
    hypothesis_row("Ab3xZ-08", "Le Monde", prefix="xyz ", suffix=" zyx", text="Which one?"),
    hypothesis_row("ab3xz-01", "Laurent Fabius", text="France's foreign minister, **since 2012**.",
                   user="acct:leo@hypothes.is", user_info={}),
]}


def test_a_hypothesis_export_becomes_notes_and_every_refusal_says_why(tmp_path, bare_demo):
    export = tmp_path / "hypothesis.json"
    export.write_text(json.dumps(HYPOTHESIS, indent=2), encoding="utf-8")
    outcomes = {o.incoming.source_id: o for o in import_notes(bare_demo, export, SLUG)}
    assert {key: o.status for key, o in outcomes.items()} == {
        "Ab3xZ-01": "written", "Ab3xZ-02": "written", "Ab3xZ-03": "skipped", "Ab3xZ-04": "skipped",
        "Ab3xZ-05": "skipped", "Ab3xZ-06": "skipped", "Ab3xZ-07": "skipped", "Ab3xZ-08": "skipped",
        "ab3xz-01": "written"}
    assert "a reply" in outcomes["Ab3xZ-03"].detail and "--with-replies" in outcomes["Ab3xZ-03"].detail
    assert "page note" in outcomes["Ab3xZ-04"].detail
    assert "hidden" in outcomes["Ab3xZ-05"].detail
    assert "another page (https://www.example.org/other-story)" in outcomes["Ab3xZ-06"].detail
    assert "not found" in outcomes["Ab3xZ-07"].detail and "did you mean" in outcomes["Ab3xZ-07"].detail
    assert outcomes["Ab3xZ-08"].detail.startswith("ambiguous: 5 matches")
    assert outcomes["Ab3xZ-08"].detail.endswith(f"at lines 12, 30, 52, 54, 58 of content/{SLUG}.md")
    assert outcomes["Ab3xZ-01"].path != outcomes["ab3xz-01"].path, "ids differing in case stay apart"
    assert outcomes["Ab3xZ-07"].incoming.line == 1 + json.dumps(HYPOTHESIS, indent=2).split("\n").index(
        '      "id": "Ab3xZ-07",')
    site, report = load_site(bare_demo)
    assert report.errors == []
    notes = {anchor.note.id: anchor for anchor in site.articles[0].anchors}
    source = notes[Path(outcomes["Ab3xZ-01"].path).stem]
    assert source.note.type == "source" and source.note.author == "Maya Stone"
    assert "newspaper Le Monde" in source.block.text and source.note.date == "2013-10-25"
    assert [(s.title, s.url) for s in source.note.sources] == [("the paper's report", "https://www.lemonde.fr/x")]
    question = notes[Path(outcomes["Ab3xZ-02"].path).stem]
    assert question.note.type == "question" and "France, Le Monde reported" in question.block.text
    fabius = notes[Path(outcomes["ab3xz-01"].path).stem]
    assert fabius.note.author == "@leo" and fabius.note.type == "context" and "**since 2012**" in fabius.note.body


def test_replies_are_folded_into_the_note_they_answer_when_asked(tmp_path, bare_demo):
    export = tmp_path / "hypothesis.json"
    export.write_text(json.dumps(HYPOTHESIS["rows"][:3]), encoding="utf-8")  # a list of rows, too
    outcomes = import_notes(bare_demo, export, SLUG, with_replies=True)
    assert [o.status for o in outcomes] == ["written", "written", "skipped"]
    answered = (bare_demo / outcomes[1].path).read_text(encoding="utf-8")
    assert answered.endswith("Why did CNN name the paper here?\n\nReply by Leo Park: A reply: it was the first to "
                             "publish.\n")
    assert "folded into the note it answers" in outcomes[2].detail


def test_a_single_w3c_annotation_with_an_html_body_and_tags(tmp_path, bare_demo):
    annotation = {
        "@context": "http://www.w3.org/ns/anno.jsonld", "id": "urn:uuid:2b4c5d70-1e0f-4d8a-9a53-0b5f1a7c9e11",
        "type": "Annotation", "motivation": "commenting", "creator": [{"type": "Person", "nickname": "jdoe"}],
        "created": "2015-01-28T12:00:00Z",
        "body": [{"type": "TextualBody", "format": "text/html",
                  "value": "<p>See <a href=\"https://en.wikipedia.org/wiki/Laurent_Fabius\">his page</a>.</p>"
                           "<script>alert(1)</script>"},
                 {"type": "TextualBody", "purpose": "tagging", "value": "Definition"}],
        "target": {"source": CNN_PAGE, "selector": {"type": "TextQuoteSelector", "exact": "Laurent Fabius"}},
    }
    export = tmp_path / "one.jsonld"
    export.write_text(json.dumps(annotation), encoding="utf-8")
    (outcome,) = import_notes(bare_demo, export, SLUG)
    assert outcome.status == "written" and outcome.path.endswith("-" + outcome.path.rsplit("-", 1)[1])
    text = (bare_demo / outcome.path).read_text(encoding="utf-8")
    assert "type: definition" in text and "author: jdoe" in text and "[his page](https://en.wikipedia.org" in text
    site, report = load_site(bare_demo)
    assert report.errors == [] and "alert" not in render_note_markdown(site.articles[0].anchors[0].note.body)


@pytest.mark.parametrize("content, message, place", [
    (b'{"rows": [\n  {"id": "x",}\n]}', "malformed JSON", (2, 14)),
    (b'{"hello": "world"}', "no annotations found", (1, 1)),
    (b"\xff\xfe{}", "file is not UTF-8", (1, 1)),
])
def test_what_is_not_an_export_is_a_clear_error(tmp_path, bare_demo, capsys, content, message, place):
    export = tmp_path / "broken.json"
    export.write_bytes(content)
    result = run_main("import-notes", str(export), "--article", SLUG, root=bare_demo, capsys=capsys)
    assert result.code == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{export}:{place[0]}:{place[1]}: error: {message}")


def test_a_file_over_the_size_limit_is_refused(tmp_path, bare_demo, monkeypatch):
    monkeypatch.setattr(notes_import, "MAX_BYTES", 100)
    export = tmp_path / "big.json"
    export.write_text(json.dumps(HYPOTHESIS), encoding="utf-8")
    with pytest.raises(UserError) as refused:
        import_notes(bare_demo, export, SLUG)
    assert "too large" in refused.value.diagnostics[0].message
    assert not any((bare_demo / "annotations").iterdir())


def test_an_unknown_article_is_refused_with_the_list(tmp_path, bare_demo):
    export = tmp_path / "h.json"
    export.write_text(json.dumps(HYPOTHESIS), encoding="utf-8")
    with pytest.raises(UserError) as refused:
        import_notes(bare_demo, export, "no-such-story")
    assert refused.value.diagnostics[0].hint == f"articles: {SLUG}"


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 10_000) | st.sampled_from(["", "Le Monde", "Annotation", "TextQuoteSelector",
                                                                          "acct:a@hypothes.is", "<p>x</p>", "text/html"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "type", "rows", "items", "first", "next", "target", "selector", "exact", "prefix",
                         "body", "value", "format", "creator", "user", "references", "tags", "motivation", "source",
                         "start", "end", "text", "user_info", "display_name", "hidden", "created", "purpose"]),
        inner, max_size=6),
    max_leaves=30)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=JSON_VALUES)
def test_any_json_imports_or_is_refused_with_a_message_never_a_crash(tmp_path, bare_demo, document):
    outcomes = imported_or_refused(tmp_path, bare_demo, document)
    assert all(o.status in ("written", "already there", "skipped") for o in outcomes)


def imported_or_refused(tmp_path: Path, root: Path, document) -> list:
    """The outcomes of a dry run on the document; [] when it is refused, with a message naming
    the file (any other exception fails the test)."""
    export = tmp_path / "any.json"
    export.write_text(json.dumps(document), encoding="utf-8")
    try:
        return import_notes(root, export, SLUG, dry_run=True)
    except UserError as refused:
        assert refused.diagnostics and refused.diagnostics[0].path == str(export)
        return []


@pytest.mark.parametrize("document", [
    {"rows": [{"id": "a", "user_info": "x", "moderation": "x", "user": 5, "tags": 5, "target": 5, "references": 5}]},
    {"rows": [{"id": "b", "user_info": {"display_name": 5}, "target": [None, {"selector": 5}]}]},
    {"type": "Annotation", "target": 5, "body": 3}, {"type": "Annotation", "target": [None], "body": [1]},
    {"type": "AnnotationPage", "items": 5}, {"type": "AnnotationCollection", "first": "https://example.org/page-1"},
    {"type": "Annotation", "creator": "Ana", "target": {"source": "http://[oops",
                                                       "selector": {"type": "TextQuoteSelector", "exact": "Le Monde"}}},
    [[[[[[[[[[[[]]]]]]]]]]]] * 2,
])
def test_fields_of_the_wrong_shape_are_read_as_missing(tmp_path, bare_demo, document):
    assert all(o.status == "skipped" for o in imported_or_refused(tmp_path, bare_demo, document))


def test_a_deeply_nested_file_is_refused(tmp_path, bare_demo):
    export = tmp_path / "deep.json"
    export.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(UserError) as refused:
        import_notes(bare_demo, export, SLUG)
    assert "nested too deeply" in refused.value.diagnostics[0].message


def test_what_the_check_would_refuse_is_left_out_of_the_note(tmp_path, bare_demo, capsys):
    row = hypothesis_row("Zz-1", "Laurent Fabius", created="2024-13-45T00:00:00Z",
                         text="See [a staging copy](https://staging.example.org/x), [a script](javascript:alert(1)) "
                              "and [the ministry](https://www.diplomatie.gouv.fr/).")
    export = tmp_path / "h.json"
    export.write_text(json.dumps({"rows": [row]}), encoding="utf-8")
    (outcome,) = import_notes(bare_demo, export, SLUG)
    text = (bare_demo / outcome.path).read_text(encoding="utf-8")
    assert "date:" not in text and "staging" not in text.split("---")[1] and "javascript" not in text.split("---")[1]
    assert "url: https://www.diplomatie.gouv.fr/" in text
    assert run_main("check", root=bare_demo, capsys=capsys).code == 0


def test_hidden_replies_are_never_folded_and_a_reply_to_a_reply_joins_its_thread(tmp_path, bare_demo):
    rows = [hypothesis_row("T-1", "Laurent Fabius", text="The first note."),
            hypothesis_row("T-2", "", text="A reply.", references=["T-1"], target=[{"source": CNN_PAGE}]),
            hypothesis_row("T-3", "", text="A reply to the reply.", references=["T-1", "T-2"],
                           target=[{"source": CNN_PAGE}]),
            hypothesis_row("T-4", "", text="SPAM", references=["T-1"], hidden=True, target=[{"source": CNN_PAGE}]),
            hypothesis_row("T-5", "", text="To a note not in the file.", references=["X-9"],
                           target=[{"source": CNN_PAGE}])]
    export = tmp_path / "h.json"
    export.write_text(json.dumps({"rows": rows}), encoding="utf-8")
    outcomes = import_notes(bare_demo, export, SLUG, with_replies=True)
    text = (bare_demo / outcomes[0].path).read_text(encoding="utf-8")
    assert "A reply." in text and "A reply to the reply." in text and "SPAM" not in text
    assert [("folded" in o.detail) for o in outcomes[1:]] == [True, True, False, False]


def test_the_export_of_another_article_of_the_edition_is_refused(tmp_path, bare_demo):
    article = bare_demo / "content" / f"{SLUG}.md"
    article.write_text(article.read_text(encoding="utf-8").replace(f"\nsource: {CNN_PAGE}", ""), encoding="utf-8")
    (bare_demo / "content" / "other-story.md").write_text(article.read_text(encoding="utf-8"), encoding="utf-8")
    export = demo_export(tmp_path)
    outcomes = import_notes(bare_demo, export, "other-story")
    assert {o.status for o in outcomes} == {"skipped"} and "another page" in outcomes[0].detail
