"""Properties that must hold for any input (Hypothesis): a passage that occurs once anchors to
exactly that place, no anchor covers text that differs from its quote, and random bytes as a
page, a note or site.yaml give a user error at most, never a crash."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, REPO
from glossator.anchoring import Anchor, Anchorer, normalize
from glossator.articles import load_article
from glossator.diagnostics import Report, UserError
from glossator.importer import import_page
from glossator.notes import Note
from glossator.pipeline import check
from glossator.rendering import article_text

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def demo_anchorer() -> Anchorer:
    path = REPO / "content" / "nsa-france-phone-calls.md"
    article = load_article(path, "content/nsa-france-phone-calls.md", Report())
    return Anchorer(article_text(article), "content/nsa-france-phone-calls.md")


ANCHORER = demo_anchorer()
VISIBLE = " ".join(normalize(block.text).text for block in ANCHORER.blocks)


def note(quote: str) -> Note:
    return Note("n", "a", "annotations/a/n.md", "context", quote, "", "", None, "A", (), "", "", "x",
                (("quote", 3, 8),))


@SETTINGS
@given(st.data())
def test_a_passage_that_occurs_once_anchors_to_exactly_that_place(data):
    index = data.draw(st.integers(0, len(ANCHORER.blocks) - 1))
    text = ANCHORER.blocks[index].text
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, min(len(text), start + 80)))
    quote = text[start:end]
    normalized = normalize(quote).text.strip()
    assume(normalized and not any(ch in quote for ch in "\\`*_[]<&"))
    assume(VISIBLE.count(normalized) == 1)
    result = ANCHORER.resolve(note(quote))
    assert isinstance(result, Anchor), result
    assert result.block is ANCHORER.blocks[index]
    assert normalize(text[result.start:result.end]).text == normalized
    assert start <= result.start and result.end <= end


@SETTINGS
@given(st.text(alphabet=st.sampled_from("abcdeNSA ,.'\"-\u2019\u201c\u2014\n"), min_size=1, max_size=30))
def test_no_anchor_covers_text_that_differs_from_its_quote(quote):
    result = ANCHORER.resolve(note(quote))
    if isinstance(result, Anchor):
        anchored = result.block.text[result.start:result.end]
        assert normalize(anchored).text == normalize(quote).text.strip()


@SETTINGS
@given(st.binary(max_size=3000))
def test_random_bytes_as_a_page_never_crash_the_importer(tmp_path, data):
    page = tmp_path / "page.txt"
    page.write_bytes(data)
    try:
        import_page(page, tmp_path / "content", slug="page", force=True)
    except UserError:
        pass


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("properties") / "edition"
    shutil.copytree(FIXTURES / "valid", root)
    shutil.copytree(REPO / "themes", root / "themes")
    return root


@SETTINGS
@given(st.binary(max_size=2000))
def test_random_bytes_as_a_note_never_crash_the_check(scratch, data):
    (scratch / "annotations/harbour-pier/random.md").write_bytes(data)
    try:
        check(scratch)
    except UserError as error:
        assert error.diagnostics and all(d.path for d in error.diagnostics)


@SETTINGS
@given(st.one_of(st.binary(max_size=1000),
                 st.text(max_size=300).map(lambda t: ("title: T\n" + t).encode("utf-8", "surrogatepass"))))
def test_random_bytes_as_site_yaml_never_crash_the_check(scratch, data):
    site = scratch / "site.yaml"
    original = site.read_bytes()
    site.write_bytes(data)
    try:
        check(scratch)
    except UserError:
        pass
    finally:
        site.write_bytes(original)


def schema_documents(name: str):
    """Documents near the schema: its own field names (and a stranger), with values of any
    JSON type, including lists of mappings like sources and note types."""
    from glossator.yamldoc import load_schema

    scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.text(max_size=12),
                        st.sampled_from(["https://example.org/a", "javascript:x", "2026-11-28", "/repo/",
                                         "context", "commenting", "en", ""]))
    values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                             st.dictionaries(st.sampled_from(
                                                                 ["title", "url", "id", "label", "x"]), inner,
                                                                 max_size=3)), max_leaves=6)
    fields = sorted(load_schema(name)["properties"]) + ["stranger"]
    valid = {"note": {"type": "context", "quote": "q", "author": "A"}, "article": {"title": "T"},
             "site": {"title": "T"}}[name]
    changes = st.dictionaries(st.sampled_from(fields), values, max_size=3)
    return st.builds(lambda extra, dropped: {k: v for k, v in {**valid, **extra}.items() if k not in dropped},
                     changes, st.sets(st.sampled_from(fields), max_size=1))


@pytest.mark.parametrize("name", ["note", "article", "site"])
def test_the_fast_schema_check_agrees_with_jsonschema(name):
    import jsonschema

    from glossator.yamldoc import fast_check, load_schema

    reference = jsonschema.Draft202012Validator(load_schema(name))
    verdicts = set()

    @settings(max_examples=400, deadline=None)
    @given(schema_documents(name))
    def agree(document):
        try:
            fast_check(name)(document)
            fast = True
        except Exception:  # fastjsonschema's JsonSchemaException
            fast = False
        assert fast == reference.is_valid(document)
        verdicts.add(fast)

    agree()
    assert verdicts == {True, False}, "the documents include both valid and invalid ones"
