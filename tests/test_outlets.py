"""Outlet rule sets: which one a page gets, and what each one calls clutter."""

from __future__ import annotations

import pytest

from glossator.outlets import CNN, GENERAL, OUTLETS, rules_for


@pytest.mark.parametrize("sources, outlets, lines", [
    (["http://www.cnn.com/2013/10/21/world/europe/france-nsa/"], [], []),
    (["https://edition.cnn.com/2013/08/29/tech/data-requests/index.html"], [], []),
    ([], ["CNN"], []),
    ([], ["CNN Wire"], []),
    ([], ["Special to CNN"], []),
    ([], [], ["STORY HIGHLIGHTS"]),
    ([], [], ["JUST WATCHED", "Flooded streets"]),
])
def test_a_page_of_the_outlet_gets_its_rules(sources, outlets, lines):
    assert rules_for(sources, outlets, lines) is CNN


@pytest.mark.parametrize("sources, outlets, lines", [
    (["https://gazette.example.org/2024/05/02/library-hours"], ["Example Gazette"], ["Key points"]),
    (["https://notcnn.com/story"], [], []),
    (["https://cnn.com.example.net/story"], [], []),
    ([], ["CNNMoney fan club"], []),
    ([], [], ["Photos: Rail strike", "HIDE CAPTION", "Next"]),
    ([""], [""], [""]),
])
def test_a_page_of_any_other_outlet_gets_the_general_rules(sources, outlets, lines):
    assert rules_for(sources, outlets, lines) is GENERAL


def test_the_general_rules_drop_controls_and_nothing_shaped_like_a_story_link():
    for line in ("Skip to main content", "ADVERTISEMENT", "Next", "<<", "12"):
        assert GENERAL.is_furniture(line), line
    for line in ("Photos: Rail strike", "Story highlights", "Just watched"):
        assert not GENERAL.is_furniture(line), line
    assert not GENERAL.marks_gallery("HIDE CAPTION") and not GENERAL.marks_gallery("3")
    assert GENERAL.video_markers == frozenset() and GENERAL.coverage_start is None
    assert GENERAL.keeps_every_sentence and not GENERAL.question_links and not GENERAL.teasers


def test_the_outlets_gallery_video_and_link_shapes():
    assert CNN.is_gallery_link("Photos: Rail strike Photos: Rail strike") and CNN.marks_gallery("3")
    assert CNN.marks_gallery("HIDE CAPTION") and not CNN.marks_gallery("ADVERTISEMENT")
    assert CNN.is_furniture("JUST WATCHED") and "must watch" in CNN.video_markers
    assert CNN.related_prefix.match("Opinion: Your life, under constant surveillance")
    assert CNN.coverage_start.match("Part of complete coverage on") and not CNN.keeps_every_sentence


def test_each_outlet_is_named_and_claims_its_own_pages():
    names = [rules.name for rules in OUTLETS]
    assert all(names) and len(set(names)) == len(names)
    for rules in OUTLETS:
        assert rules.claims(set(), set(rules.names), set())
        assert not GENERAL.claims({f"www.{host}" for host in rules.hosts}, set(rules.names), set())
