"""The pager of long lists: which page an address asks for, the range it shows and where
its links lead."""

from __future__ import annotations

import doctest

import pytest

from autolend.web import paging
from autolend.web.paging import Pager, page_number, uncounted_page


@pytest.mark.parametrize(
    ("text", "number"),
    [(None, 1), ("1", 1), ("7", 7), ("0", 1), ("-2", 1), ("x", 1), ("٣", 1), ("1000001", 1)],
)
def test_a_page_number_that_is_not_a_whole_number_in_range_means_the_first_page(
    text: str | None, number: int
) -> None:
    assert page_number(text) == number


def test_a_counted_list_knows_its_last_page_and_keeps_its_filter_on_the_links() -> None:
    last = Pager(3, 50, 20, 120, "/loans", {"status": "active"})
    assert (last.first, last.last, last.has_next) == (101, 120, False)
    assert last.href(2) == "/loans?status=active&page=2"
    assert last.href(1) == "/loans?status=active"


def test_an_uncounted_list_has_a_next_page_only_when_one_more_row_was_found() -> None:
    shown, pager = uncounted_page(["a", "b", "c"], 2, 2, "/applications")
    assert shown == ["a", "b"] and pager.has_next and (pager.first, pager.last) == (3, 4)
    shown, pager = uncounted_page(["a", "b"], 2, 2, "/applications")
    assert shown == ["a", "b"] and not pager.has_next


def test_a_page_past_the_end_shows_no_range_and_no_next_page() -> None:
    beyond = Pager(9, 50, 0, 120, "/loans")
    assert (beyond.first, beyond.last, beyond.has_next, beyond.has_previous) == (0, 0, False, True)


def test_the_module_example_holds() -> None:
    assert doctest.testmod(paging).failed == 0
