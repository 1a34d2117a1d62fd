"""parts on their own: an article's share of the edition pages moved into a spool, and kept as
JSON between builds."""

from __future__ import annotations

import json

from glossator.parts import EditionParts, outline_fragments, outline_from_json, outline_to_json, spool_parts
from glossator.spool import Spool

PARTS = EditionParts(
    "harbour-pier", "2024-03-05T18:30:00+01:00", "<li>Harbour council votes</li>",
    (("context", "Test Author", "<li>entry 1</li>", "<li>credit 1</li>"),
     ("correction", "@tester", "<li>entry 2</li>", "<li>credit 2</li>")),
    ("2024-03-05T17:30:00Z", "<entry>article</entry>"),
    (("2024-03-06T00:00:00Z", "<entry>note 1</entry>"), ("2024-03-07T00:00:00Z", "<entry>note 2</entry>")),
    "<url>harbour-pier</url>",
)


def test_each_text_goes_into_the_spool_once_and_comes_back_the_same():
    spool = Spool()
    outline = spool_parts(PARTS, spool)
    assert len(spool) == 3 + 2 * 2 + 2 == len(list(outline_fragments(outline)))
    assert spool.get(outline.index_item) == PARTS.index_item and spool.get(outline.sitemap_entry) == PARTS.sitemap_entry
    assert [(kind, author, spool.get(entry), spool.get(credit)) for kind, author, entry, credit in outline.notes] \
        == list(PARTS.notes)
    assert [(updated, spool.get(entry)) for updated, entry in outline.note_feed_entries] == list(PARTS.note_feed_entries)
    assert outline.feed_entry[0] == PARTS.feed_entry[0] and spool.get(outline.feed_entry[1]) == PARTS.feed_entry[1]


def test_an_outline_survives_json():
    outline = spool_parts(PARTS, Spool())
    again = outline_from_json(json.loads(json.dumps(outline_to_json(outline))))
    assert again == outline and again.notes[0][0] is outline.notes[0][0]  # interned: 150,000 notes share a few strings
