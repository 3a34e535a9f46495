"""The order of the month-end's installment rows, which PostgreSQL sends unordered."""

from __future__ import annotations

import numpy as np

from autolend.adapters.db.bulk_month_end import _by_loan_and_number


def test_rows_out_of_order_are_put_in_loan_then_number_order() -> None:
    loan_id = np.array([7, 3, 7, 3, 7], dtype=np.int64)
    n = np.array([2, 2, 1, 1, 3], dtype=np.int64)
    order = _by_loan_and_number(loan_id, n)
    assert list(zip(loan_id[order].tolist(), n[order].tolist(), strict=True)) == [
        (3, 1), (3, 2), (7, 1), (7, 2), (7, 3),
    ]  # fmt: skip


def test_rows_already_in_order_are_taken_as_they_come() -> None:
    loan_id = np.array([3, 3, 7], dtype=np.int64)
    n = np.array([1, 2, 1], dtype=np.int64)
    assert _by_loan_and_number(loan_id, n) == slice(None)


def test_a_high_installment_number_does_not_run_into_the_next_loan() -> None:
    loan_id = np.array([2, 1], dtype=np.int64)
    n = np.array([1, 400], dtype=np.int64)
    assert _by_loan_and_number(loan_id, n).tolist() == [1, 0]  # type: ignore[union-attr]
