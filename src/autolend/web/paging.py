"""Long lists a page at a time: which page was asked for, and the pager under the table.

A list page takes ``?page=N`` (1-based; anything else is page 1) and shows ``PAGE_SIZE``
rows. With the total known the pager says "51-100 of 300"; without it (a list that is not
counted) the page asks for one row more than it shows, to know whether a next page exists.

>>> pager = Pager(number=2, size=50, shown=50, total=120, base="/loans", params={})
>>> (pager.first, pager.last, pager.has_previous, pager.has_next)
(51, 100, True, True)
>>> pager.href(3)
'/loans?page=3'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import urlencode

PAGE_SIZE = 50
MAX_PAGE = 1_000_000
Row = TypeVar("Row")


def page_number(text: str | None) -> int:
    """The page asked for: a whole number from 1 to ``MAX_PAGE``, else the first page
    (a hand-edited address shows the first page rather than an error)."""
    if text is None or not text.isascii() or not text.isdigit():
        return 1
    number = int(text)
    return number if 1 <= number <= MAX_PAGE else 1


def offset_of(number: int, size: int) -> int:
    """The first row of page ``number`` (0-based): page 3 of 50 starts at row 100."""
    return (number - 1) * size


@dataclass(frozen=True)
class Pager:
    """Page ``number`` of a list: ``shown`` rows of ``size`` at most, ``total`` in all
    when counted, else ``more`` says whether a next page exists."""

    number: int
    size: int
    shown: int
    total: int | None
    base: str
    params: Mapping[str, str] = field(default_factory=dict)
    more: bool = False

    @property
    def first(self) -> int:
        return offset_of(self.number, self.size) + 1 if self.shown else 0

    @property
    def last(self) -> int:
        return offset_of(self.number, self.size) + self.shown if self.shown else 0

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        if self.total is not None:
            return offset_of(self.number, self.size) + self.shown < self.total
        return self.more

    def href(self, number: int) -> str:
        """The address of page ``number`` with the list's other parameters kept."""
        query = {name: value for name, value in self.params.items() if value}
        if number > 1:
            query["page"] = str(number)
        return f"{self.base}?{urlencode(query)}" if query else self.base


def uncounted_page(
    rows: Sequence[Row], number: int, size: int, base: str, params: Mapping[str, str] | None = None
) -> tuple[list[Row], Pager]:
    """Page ``number`` of an uncounted list read with one row more than ``size`` (from
    ``offset_of(number, size)``): the rows to show, and the pager that knows from the extra
    row whether a next page exists."""
    shown = list(rows[:size])
    pager = Pager(number, size, len(shown), None, base, params or {}, more=len(rows) > size)
    return shown, pager
