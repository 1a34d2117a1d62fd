"""edition on its own: long lists split into pages that link to each other."""

from __future__ import annotations

from glossator.edition import Pager, grouped_pages


def test_groups_are_split_into_pages_and_each_page_says_how_long_each_group_is():
    groups = [("correction", [1, 2, 3]), ("context", [4, 5]), ("question", [])]
    pages = list(grouped_pages(groups, size=2))
    assert pages == [[("correction", 3, [1, 2])],
                     [("correction", 3, [3]), ("context", 2, [4])],
                     [("context", 2, [5])]]
    assert list(grouped_pages([], size=2)) == [[]], "an empty list still has its one page"


def test_pages_are_at_base_then_page_n_and_know_their_neighbours():
    first, middle, last = Pager("notes/", 1, 3), Pager("notes/", 2, 3), Pager("notes/", 3, 3)
    assert (first.path, middle.path, last.path) == ("notes/", "notes/page/2/", "notes/page/3/")
    assert (first.previous, first.next) == ("", "notes/page/2/")
    assert (middle.previous, middle.next, middle.last) == ("notes/", "notes/page/3/", "notes/page/3/")
    assert last.next == ""
