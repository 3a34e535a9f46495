"""The columnar book: Arrow round trip, selection, validation, the synthetic book."""

from __future__ import annotations

import numpy as np
import pytest

from autolend.batch.accrual_kernel import accrue_day, accrue_through
from autolend.batch.book import Book, day_number, from_day_number
from autolend.batch.eod import run_day
from autolend.batch.synth_book import synthetic_book
from autolend.domain.errors import InvalidInput

DAY = 20_514


def _same(a: Book, b: Book) -> bool:
    return np.array_equal(a.offsets, b.offsets) and all(
        np.array_equal(a.loans[k], b.loans[k]) and a.loans[k].dtype == b.loans[k].dtype
        for k in a.loans
    ) and all(np.array_equal(a.rows[k], b.rows[k]) for k in a.rows)  # fmt: skip


def test_day_numbers_count_from_1970() -> None:
    assert day_number(from_day_number(20_458)) == 20_458
    assert str(from_day_number(20_458)) == "2026-01-05"


def test_a_book_survives_the_arrow_round_trip_also_sliced() -> None:
    book = synthetic_book(500, day=DAY, seed=3)
    table = book.to_arrow()
    assert table.num_rows == 500
    assert _same(Book.from_arrow(table), book)
    assert _same(Book.from_arrow(table.slice(100, 50)), book.take(np.arange(100, 150)))


def test_a_book_with_a_wrong_dtype_or_length_is_refused() -> None:
    book = synthetic_book(10, day=DAY, seed=3)
    with pytest.raises(InvalidInput, match="penalty"):
        book.with_loans(penalty=np.zeros(9, dtype=np.int64))
    loans = dict(book.loans) | {"penalty": book["penalty"].astype(np.int32)}
    with pytest.raises(InvalidInput, match="penalty must be int64"):
        Book(loans, book.offsets, book.rows)


def test_the_same_seed_gives_the_same_book() -> None:
    assert _same(synthetic_book(300, day=DAY, seed=9), synthetic_book(300, day=DAY, seed=9))


def test_three_missed_days_caught_up_equal_three_daily_runs() -> None:
    book = synthetic_book(2_000, day=DAY, seed=5)
    daily = book
    for day in range(DAY, DAY + 3):
        daily, _ = accrue_day(daily, day)
    caught_up, days = accrue_through(book, DAY + 2)
    assert len(days) == 3 and _same(daily, caught_up)


def test_a_loan_behind_catches_up_while_the_others_are_not_accrued_twice() -> None:
    book = synthetic_book(200, day=DAY, seed=5)
    behind = book["accrued_through"].copy()
    behind[:50] -= 2  # 50 loans missed two days
    ahead, _ = accrue_through(book.with_loans(accrued_through=behind), DAY)
    assert (ahead["accrued_through"] == DAY).all()


def test_a_partial_advance_on_a_due_date_is_routed_to_the_reference() -> None:
    book = synthetic_book(2_000, day=DAY, seed=5)
    due = np.flatnonzero(book["period_end"] == DAY)
    instalment = book.rows["principal"][book.offsets[due]] + book["cur_interest"][due]
    advance = book["advance"].copy()
    advance[due[:3]] = instalment[:3] // 2  # a partial cover
    advance[due[3:6]] = instalment[3:6] * 3  # a full cover: stays in the batch
    after, result = accrue_day(book.with_loans(advance=advance, overdue_principal=np.where(
        np.isin(np.arange(2_000), due[:6]), 0, book["overdue_principal"])), DAY)  # fmt: skip
    assert result.referred[due[:3]].all() and after["needs_reference"][due[:3]].all()
    assert not result.referred[due[3:6]].any()
    assert (result.advance_applied[due[3:6]] > 0).all()


def test_end_of_day_outputs_are_consistent_with_the_days_past_due() -> None:
    book, out = run_day(synthetic_book(5_000, day=DAY, seed=2), DAY)
    dpd, cn = out.accrual.dpd, book["pack"] == 0
    assert (out.stage[dpd > 90] == 3).all() and (out.risk_class[cn & (dpd > 360)] == 4).all()
    assert (out.risk_class[~cn] == -1).all() and (~cn).any()  # five tiers are CN's alone
    assert (out.collection[dpd == 0] == 0).all() and (out.ecl >= 0).all()
    assert out.ecl[out.stage == 3].mean() > out.ecl[out.stage == 1].mean()
    assert np.array_equal(book["prev_bucket"], out.bucket)
