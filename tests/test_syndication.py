"""The notes of each article as W3C Web Annotations (`<slug>/annotations.jsonld`), checked
against the MUST statements of the Web Annotation Data Model (https://www.w3.org/TR/annotation-model/):
section 3 for the annotations, their bodies and targets, section 4 for the two selectors the
export uses, and section 5 for the collection and its page. The W3C's own tests of these
statements (web-platform-tests, annotation-model/) show which ones are checked; the checks
below are written from the model's text.

IRIs: the model wants absolute IRIs. An edition knows them only when its base URL is absolute
(as on GitHub Pages, where the workflow passes `--base-url`); with a path such as `/` the ids
are references to resolve against the export's own URL, as JSON-LD does."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from conftest import FIXTURES, copy_edition, run_cli
from glossator.pages import article_view, make_environment
from glossator.stages import load_site
from glossator.syndication import web_annotations

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
SITE = "https://example.org/reader/"
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
# xsd:dateTime with the UTC timezone written as "Z" (model 3.3.1)
UTC_DATETIME = re.compile(r"-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")


# --- reading the JSON as the model counts values -------------------------------------------

def values(node: dict, key: str) -> list:
    """The values of a key: none when absent, the items of an array, else the one value."""
    if key not in node:
        return []
    value = node[key]
    return value if isinstance(value, list) else [value]


def one(node: dict, key: str, where: str, statement: str):
    """The single value of a key that must have exactly one."""
    found = values(node, key)
    assert len(found) == 1, f"{where}: {statement} (found {len(found)} `{key}` values)"
    return found[0]


def at_most_one(node: dict, key: str, where: str, statement: str) -> list:
    found = values(node, key)
    assert len(found) <= 1, f"{where}: {statement} (found {len(found)} `{key}` values)"
    return found


class Iris:
    """What counts as an IRI. `base` None: only absolute IRIs, as the model and the W3C tests
    want. Else the URL the export was fetched from: references resolve against it (JSON-LD)."""

    def __init__(self, base: str | None = None):
        self.base = base

    def resolve(self, value) -> str | None:
        if not isinstance(value, str) or not value or any(c.isspace() for c in value):
            return None
        absolute = value if self.base is None else urljoin(self.base, value)
        return absolute if SCHEME.match(absolute) and urlsplit(absolute).scheme else None

    def check(self, value, where: str, statement: str) -> str:
        iri = self.resolve(value)
        assert iri, f"{where}: {statement}, but {value!r} is not {'an absolute' if self.base is None else 'an'} IRI"
        return iri


def non_negative_integer(value) -> bool:
    """xsd:nonNegativeInteger; JSON's true and false are no numbers."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def check_context(node: dict, where: str) -> None:
    """3.1 and 5.1: 1 or more @context values, the Web Annotation context among them; a single
    value is given as a string."""
    found = values(node, "@context")
    assert found, f"{where}: MUST have 1 or more @context values"
    assert CONTEXT in found, f"{where}: {CONTEXT} MUST be one of the @context values, found {found}"
    if len(found) == 1:
        assert node["@context"] == CONTEXT, f"{where}: a single @context value MUST be given as a string"


def check_type(node: dict, class_name: str, where: str) -> None:
    found = values(node, "type")
    assert class_name in found, \
        f"{where}: MUST have 1 or more types and {class_name} MUST be one of them, found {found}"


# --- one function per group of statements --------------------------------------------------

def check_collection(doc: dict, iris: Iris, where: str) -> list[dict]:
    """Model 5.1, the Annotation Collection; returns its annotations, page after page."""
    check_context(doc, where)
    collection_id = iris.check(one(doc, "id", where, "a Collection MUST have exactly 1 IRI"), where,
                               "a Collection MUST have exactly 1 IRI that identifies it")
    check_type(doc, "AnnotationCollection", where)
    for label in values(doc, "label"):
        assert isinstance(label, str), f"{where}: the value of label MUST be a string, found {label!r}"
    totals = at_most_one(doc, "total", where, "a Collection has at most 1 total")
    for total in totals:
        assert non_negative_integer(total), f"{where}: total MUST be an xsd:nonNegativeInteger, found {total!r}"
    if totals and totals[0] > 0:
        one(doc, "first", where, "a Collection with more than 0 Annotations MUST have exactly 1 first page")
    annotations = []
    for page in values(doc, "first"):
        if isinstance(page, str):  # the first page given by its IRI: not embedded, nothing more to read
            iris.check(page, f"{where} first", "the first page MUST be an embedded page or an IRI")
            continue
        annotations += check_page(page, doc, collection_id, len(annotations), iris, f"{where} first page")
    if totals and not any(isinstance(page, str) for page in values(doc, "first")):
        assert totals[0] == len(annotations), \
            f"{where}: total is the number of Annotations in the Collection: {totals[0]} != {len(annotations)}"
    return annotations


def check_page(page: dict, collection: dict, collection_id: str, before: int, iris: Iris, where: str) -> list[dict]:
    """Model 5.2, an Annotation Page embedded in its Collection."""
    iris.check(one(page, "id", where, "a Page MUST have exactly 1 IRI"), where,
               "a Page MUST have exactly 1 IRI that provides its identity")
    check_type(page, "AnnotationPage", where)
    part_of = at_most_one(page, "partOf", where, "a Page has exactly 1 partOf relationship")
    for parent in part_of:
        # either the Collection's IRI or an object with some or all of its properties, at least its id
        if isinstance(parent, dict):
            parent_id = one(parent, "id", f"{where} partOf", "a partOf object MUST include the Collection's id")
            for key in ("label", "total"):
                assert key not in parent or parent[key] == collection.get(key), \
                    f"{where}: partOf gives the Collection's {key} as {parent[key]!r}, " \
                    f"the Collection {collection.get(key)!r}"
        else:
            parent_id = parent
        assert iris.check(parent_id, f"{where} partOf", "partOf names the Collection by its IRI") == collection_id, \
            f"{where}: partOf MUST be the Collection the Page is part of ({collection_id}), found {parent_id!r}"
    for start in at_most_one(page, "startIndex", where, "a Page MUST NOT have more than 1 startIndex"):
        assert non_negative_integer(start), f"{where}: startIndex MUST be an xsd:nonNegativeInteger, found {start!r}"
        assert start == before, \
            f"{where}: startIndex is the position of the first item in the Collection, {before}, found {start}"
    items = page.get("items")
    assert isinstance(items, list) and items, f"{where}: a Page MUST have an array of 1 or more Annotations as items"
    for index, item in enumerate(items):
        assert isinstance(item, dict), f"{where} item {index}: the export embeds each Annotation, found {item!r}"
        check_type(item, "Annotation", f"{where} item {index}")
    total = collection.get("total")
    if isinstance(total, int) and before + len(items) < total:
        iris.check(one(page, "next", where, "a Page that is not the last MUST reference the next one"), where,
                   "next MUST be the IRI of the following page")
    return items


def check_annotation(annotation: dict, iris: Iris, where: str) -> None:
    """Model 3.1 (with 3.2.5 and 3.3.1): the Annotation itself. An Annotation embedded in a
    Collection takes the Collection's @context (the model's examples 39 and 40 do the same);
    one that gives its own must give it right."""
    if "@context" in annotation:
        check_context(annotation, where)
    iris.check(one(annotation, "id", where, "an Annotation MUST have exactly 1 IRI"), where,
               "an Annotation MUST have exactly 1 IRI that identifies it")
    check_type(annotation, "Annotation", where)
    assert values(annotation, "target"), f"{where}: there MUST be 1 or more target relationships"
    assert not ("body" in annotation and "bodyValue" in annotation), \
        f"{where}: if bodyValue is present, body MUST NOT also be present"
    for key in ("created", "modified", "generated"):
        for moment in at_most_one(annotation, key, where, f"an Annotation MUST NOT have more than 1 {key}"):
            assert isinstance(moment, str) and UTC_DATETIME.fullmatch(moment), \
                f"{where}: {key} MUST be an xsd:dateTime in UTC written with 'Z', found {moment!r}"
    for agent in values(annotation, "creator"):
        if isinstance(agent, dict):  # 3.3.2: an Agent MUST NOT have more than 1 IRI
            for agent_id in at_most_one(agent, "id", f"{where} creator", "an Agent MUST NOT have more than 1 IRI"):
                iris.check(agent_id, f"{where} creator", "an Agent's id is an IRI")
        else:
            iris.check(agent, f"{where} creator", "a creator given by reference is an IRI")


def check_body(body, iris: Iris, where: str) -> None:
    """Model 3.2.1 and 3.2.4: an embedded TextualBody has exactly 1 value; any other Body is an
    External Web Resource with exactly 1 IRI."""
    if isinstance(body, dict) and "TextualBody" in values(body, "type"):
        value = one(body, "value", where, "a TextualBody MUST have exactly 1 value")
        assert isinstance(value, str), f"{where}: the value of a TextualBody is its text, found {value!r}"
        for body_id in at_most_one(body, "id", where, "a TextualBody MAY have exactly 1 IRI"):
            iris.check(body_id, where, "a TextualBody's id is an IRI")
    else:
        body_id = body.get("id") if isinstance(body, dict) else body
        if isinstance(body, dict):
            one(body, "id", where, "an External Web Resource Body MUST have exactly 1 id")
        iris.check(body_id, where, "an External Web Resource Body MUST have the resource's IRI")


def check_target(target, iris: Iris, where: str, text: str | None = None) -> None:
    """Model 3.2.1 and 4: the Target is an External Web Resource (exactly 1 IRI) or a Specific
    Resource with exactly 1 source; its TextQuoteSelector has exactly 1 `exact`, its
    TextPositionSelector exactly 1 `start` and 1 `end`, non-negative integers. Given the text of
    the source (the export counts `article.txt`), both select the same passage of it."""
    if not isinstance(target, dict):
        iris.check(target, where, "a Target given by reference is the resource's IRI")
        return
    if "source" not in target:
        iris.check(one(target, "id", where, "an External Web Resource Target MUST have exactly 1 id"), where,
                   "an External Web Resource Target MUST have the resource's IRI")
        return
    iris.check(one(target, "source", where, "a Specific Resource MUST have exactly 1 source"), where,
               "the source of a Specific Resource is the IRI of the resource")
    selected = []
    for index, selector in enumerate(values(target, "selector")):
        spot = f"{where} selector {index}"
        if isinstance(selector, str):
            iris.check(selector, spot, "a selector given by reference is an IRI")
            continue
        kinds = values(selector, "type")
        if "TextQuoteSelector" in kinds:
            exact = one(selector, "exact", spot, "a TextQuoteSelector MUST have exactly 1 exact")
            assert isinstance(exact, str) and exact, f"{spot}: exact is a copy of the selected text, found {exact!r}"
            context = {key: at_most_one(selector, key, spot, f"a TextQuoteSelector MAY have 0 or 1 {key}")
                       for key in ("prefix", "suffix")}
            selected.append(("quote", exact, context))
        if "TextPositionSelector" in kinds:
            start = one(selector, "start", spot, "a TextPositionSelector MUST have exactly 1 start")
            end = one(selector, "end", spot, "a TextPositionSelector MUST have exactly 1 end")
            assert non_negative_integer(start) and non_negative_integer(end), \
                f"{spot}: start and end MUST be non-negative integers, found {start!r}, {end!r}"
            assert start <= end, f"{spot}: the segment starts at start and ends before end, found {start} > {end}"
            selected.append(("position", start, end))
    if text is None:
        return
    positions = [(start, end) for kind, start, end in selected if kind == "position"]
    for kind, exact, context in (s for s in selected if s[0] == "quote"):
        assert any(text[start:end] == exact for start, end in positions) or (not positions and exact in text), \
            f"{where}: the TextQuoteSelector's exact {exact!r} is not the passage its TextPositionSelector selects"
        for start, end in positions:
            for prefix in context["prefix"]:
                assert text[:start].endswith(prefix), \
                    f"{where}: prefix {prefix!r} does not come just before the passage"
            for suffix in context["suffix"]:
                assert text[end:].startswith(suffix), f"{where}: suffix {suffix!r} does not come just after the passage"


def check_export(doc: dict, iris: Iris, where: str, text: str | None = None) -> list[dict]:
    """Every statement above, for one `annotations.jsonld`."""
    annotations = check_collection(doc, iris, where)
    seen: dict[str, int] = {}
    for index, annotation in enumerate(annotations):
        spot = f"{where} annotation {index} ({annotation.get('id')})"
        check_annotation(annotation, iris, spot)
        identity = iris.resolve(annotation["id"])
        assert identity not in seen, f"{spot}: the IRI that identifies it also identifies annotation {seen[identity]}"
        seen[identity] = index
        for body in values(annotation, "body"):
            check_body(body, iris, f"{spot} body")
        for target in values(annotation, "target"):
            check_target(target, iris, f"{spot} target", text)
    return annotations


# --- the exports of real editions ----------------------------------------------------------

def built_exports(root: Path, *build_args: str) -> dict[str, tuple[dict, str]]:
    """Build an edition with the real command line; each article's export with its text."""
    result = run_cli("build", *build_args, cwd=root)
    assert result.code == 0, result.stderr
    exports = {}
    for path in sorted((root / "_site").glob("*/annotations.jsonld")):
        text = (path.parent / "article.txt").read_text(encoding="utf-8")[:-1]  # written with a final newline
        exports[path.parent.name] = (json.loads(path.read_text(encoding="utf-8")), text)
    return exports


def test_every_export_of_the_demo_meets_the_model(demo):
    exports = built_exports(demo, "--base-url", SITE)
    assert exports, "the demo has articles, each with its export"
    for slug, (doc, text) in exports.items():
        annotations = check_export(doc, Iris(), f"{slug}/annotations.jsonld", text)
        assert doc["id"] == f"{SITE}{slug}/annotations.jsonld"
        assert all(a["target"]["source"] == f"{SITE}{slug}/" for a in annotations)


def test_every_export_of_the_fixture_edition_meets_the_model(edition):
    for slug, (doc, text) in built_exports(edition, "--base-url", SITE).items():
        check_export(doc, Iris(), f"{slug}/annotations.jsonld", text)


def test_with_a_path_as_base_url_the_ids_resolve_against_the_export(demo):
    """With base_url `/` no host is known: every IRI is a reference to the site's own pages,
    which a JSON-LD reader resolves against the URL it fetched the export from."""
    for slug, (doc, text) in built_exports(demo).items():
        fetched_from = f"http://localhost:8000/{slug}/annotations.jsonld"
        annotations = check_export(doc, Iris(fetched_from), f"{slug}/annotations.jsonld", text)
        assert doc["id"] == f"/{slug}/annotations.jsonld"
        assert {a["target"]["source"] for a in annotations} == {f"/{slug}/"}


def exports_of(root: Path, base_url: str) -> dict[str, dict]:
    """Each article's export from the module itself, without writing a site."""
    site, report = load_site(root, base_url)
    env = make_environment(site.config)
    return {item.article.slug: json.loads(web_annotations(site.config, item,
                                                          article_view(env, site.config, item).notes))
            for item in site.articles}


def test_an_article_without_notes_is_an_empty_collection_without_a_page(edition):
    (edition / "content" / "bare.md").write_text("---\ntitle: A bare article\n---\n\nNothing is annotated here.\n",
                                                 encoding="utf-8")
    exports = exports_of(edition, SITE)
    for slug, doc in exports.items():
        check_export(doc, Iris(), slug)
    assert exports["bare"]["total"] == 0 and "first" not in exports["bare"], exports["bare"]


def test_the_export_is_the_same_bytes_each_time(edition):
    site, _ = load_site(edition, SITE)
    env = make_environment(site.config)
    item = site.articles[0]
    outputs = {web_annotations(site.config, item, article_view(env, site.config, item).notes) for _ in range(2)}
    assert len(outputs) == 1


# --- each check can fail ---------------------------------------------------------------------

def _page(doc):
    return doc["first"]


def _item(doc):
    return doc["first"]["items"][0]


def _text_body(document: dict) -> dict:
    """The first annotation's text (its only body, or the first of its bodies)."""
    body = _item(document)["body"]
    return body if isinstance(body, dict) else body[0]


def _set(path, key, value):
    def change(doc):
        path(doc)[key] = value
    return change


def _drop(path, key):
    def change(doc):
        del path(doc)[key]
    return change


def _retotal(doc, change):
    """Change the Collection's total, and the page's copy of it if partOf describes the Collection."""
    doc["total"] += change
    if isinstance(doc["first"].get("partOf"), dict) and "total" in doc["first"]["partOf"]:
        doc["first"]["partOf"]["total"] = doc["total"]


def _selector(kind):
    return lambda doc: next(s for s in _item(doc)["target"]["selector"] if s["type"] == kind)


BROKEN = {
    "no @context": (_drop(lambda d: d, "@context"), "@context"),
    "another context": (_set(lambda d: d, "@context", "https://schema.org"), "MUST be one of the @context values"),
    "single context in an array": (_set(lambda d: d, "@context", [CONTEXT]), "given as a string"),
    "collection id relative": (_set(lambda d: d, "id", "/a/annotations.jsonld"), "Collection MUST have exactly 1 IRI"),
    "collection type": (_set(lambda d: d, "type", "Collection"), "AnnotationCollection MUST be one of them"),
    "label not a string": (_set(lambda d: d, "label", {"en": "x"}), "label MUST be a string"),
    "total negative": (_set(lambda d: d, "total", -1), "total MUST be an xsd:nonNegativeInteger"),
    "total too small": (lambda d: _retotal(d, -1), "number of Annotations"),
    "more to come, but no next page": (lambda d: _retotal(d, +1), "MUST reference the next one"),
    "no first page": (_drop(lambda d: d, "first"), "MUST have exactly 1 first page"),
    "page id missing": (_drop(_page, "id"), "Page MUST have exactly 1 IRI"),
    "page type": (_set(_page, "type", "Page"), "AnnotationPage MUST be one of them"),
    "partOf another collection": (_set(_page, "partOf", "https://example.org/other.jsonld"),
                                  "partOf MUST be the Collection"),
    "partOf object without id": (_set(_page, "partOf", {"type": "AnnotationCollection"}),
                                 "MUST include the Collection's id"),
    "partOf object with another total": (lambda d: _page(d).update(partOf={"id": d["id"], "total": 1}), "total"),
    "startIndex negative": (_set(_page, "startIndex", -1), "startIndex MUST be an xsd:nonNegativeInteger"),
    "two startIndex": (_set(_page, "startIndex", [0, 0]), "MUST NOT have more than 1 startIndex"),
    "items empty": (_set(_page, "items", []), "1 or more Annotations"),
    "item not an Annotation": (_set(_item, "type", "Note"), "Annotation MUST be one of them"),
    "annotation without id": (_drop(_item, "id"), "Annotation MUST have exactly 1 IRI"),
    "annotation with two ids": (lambda d: _item(d).update(id=[_item(d)["id"], _item(d)["id"] + "x"]), "exactly 1 IRI"),
    "annotation id with a space": (lambda d: _item(d).update(id=_item(d)["id"] + " x"), "is not an absolute IRI"),
    "annotations sharing an id": (lambda d: d["first"]["items"][1].update(id=_item(d)["id"]), "also identifies"),
    "no target": (_drop(_item, "target"), "1 or more target"),
    "body and bodyValue": (_set(_item, "bodyValue", "text"), "body MUST NOT also be present"),
    "created not UTC": (_set(_item, "created", "2026-11-28T00:00:00+01:00"), "created MUST be an xsd:dateTime"),
    "created a date": (_set(_item, "created", "2026-11-28"), "created MUST be an xsd:dateTime"),
    "two modified": (_set(_item, "modified", ["2026-11-28T00:00:00Z"] * 2), "MUST NOT have more than 1 modified"),
    "creator with two ids": (lambda d: _item(d)["creator"].update(id=["https://a.example/", "https://b.example/"]),
                             "Agent MUST NOT have more than 1 IRI"),
    "textual body without value": (lambda d: _text_body(d).pop("value"), "TextualBody MUST have exactly 1 value"),
    "external body without IRI": (_set(_item, "body", {"type": "Text", "format": "text/html"}), "exactly 1 id"),
    "target without source": (lambda d: _item(d)["target"].pop("source"), "exactly 1 id"),
    "target source relative": (lambda d: _item(d)["target"].update(source="/a/"), "source of a Specific Resource"),
    "quote without exact": (lambda d: _selector("TextQuoteSelector")(d).pop("exact"), "exactly 1 exact"),
    "quote elsewhere": (lambda d: _selector("TextQuoteSelector")(d).update(exact="not in the article"),
                        "is not the passage"),
    "two prefixes": (lambda d: _selector("TextQuoteSelector")(d).update(prefix=["a", "b"]), "0 or 1 prefix"),
    "wrong suffix": (lambda d: _selector("TextQuoteSelector")(d).update(suffix="\u2603"), "suffix"),
    "position without end": (lambda d: _selector("TextPositionSelector")(d).pop("end"), "exactly 1 end"),
    "position start negative": (lambda d: _selector("TextPositionSelector")(d).update(start=-1),
                                "non-negative integers"),
    "position start a string": (lambda d: _selector("TextPositionSelector")(d).update(start="3"),
                                "non-negative integers"),
    "position reversed": (lambda d: _selector("TextPositionSelector")(d).update(start=10**6), "ends before end"),
}


@pytest.fixture(scope="module")
def good_export(tmp_path_factory):
    """The fixture edition's export, which meets every statement, and the article's text."""
    root = copy_edition(FIXTURES / "valid", tmp_path_factory.mktemp("syndication") / "edition")
    exports = built_exports(root, "--base-url", SITE)
    doc, text = exports["harbour-pier"]
    check_export(doc, Iris(), "harbour-pier", text)
    _item(doc)["created"] = _item(doc)["modified"] = "2024-03-05T17:30:00Z"  # the fixture's notes have no date
    return doc, text


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_each_statement_fails_an_export_that_breaks_it(good_export, case):
    doc, text = copy.deepcopy(good_export[0]), good_export[1]
    check_export(doc, Iris(), "before", text)
    change, message = BROKEN[case]
    change(doc)
    with pytest.raises(AssertionError, match=re.escape(message)):
        check_export(doc, Iris(), "broken", text)
