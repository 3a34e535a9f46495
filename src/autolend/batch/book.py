"""The columnar loan book: N loans as a struct of NumPy arrays, as of the start of a day.

One :class:`Book` holds, per loan, flat columns (:data:`LOAN_SCHEMA`: int64 minor units,
int32 day numbers counted from 1970-01-01, int8/int16 codes, rates as int64 numerators
over :data:`~autolend.batch.int_rounding.RATE_SCALE`), and the installments not yet
overdue in a CSR layout (:data:`INSTALLMENT_SCHEMA`; loan ``i`` owns rows
``offsets[i]:offsets[i + 1]``, oldest first, all unpaid: nothing is paid before its due
date).  Installments already overdue are summarised per loan (``overdue_principal``,
``overdue_interest``, ``overdue_fee`` and ``earliest_unpaid_day``), which is all the
accrual, the days past due and the exposure need.

``cur`` is the index (within the loan's rows) of the current installment: the first
due on or after the next day to accrue; ``period_start``, ``period_end`` and
``cur_interest`` repeat its period and scheduled interest so the daily kernel reads no
row except on a due date.  ``cur_paid``: the current row was paid on its due date by
the advance (suspense) balance.  ``earliest_unpaid_day`` is the earliest overdue due
date with principal or interest unpaid (the days past due count from it; an unpaid fee
alone does not), ``NO_DAY`` (-1) where there is none.
``grade``, ``pd_orig_bp`` and ``pd_now_bp`` of a loan read from the database come from
the PD it was booked with (:mod:`autolend.batch.pd_grades`); the synthetic bench book
draws them.

Example: a loan started on day 20458 (2026-01-05) with its first installment of 120.00
interest due on day 20489 has ``period_start`` 20458, ``period_end`` 20489,
``cur_interest`` 12000 and ``accrued_through`` 20458 before its first day accrues.

:meth:`Book.to_arrow` gives one Arrow table, one row per loan, the installments as
``large_list`` columns (so Spark's ``mapInArrow`` can move a partition as is);
:meth:`Book.from_arrow` reads it back without copying the numeric buffers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa  # type: ignore[import-untyped]

from autolend.domain.errors import InvalidInput

__all__ = [
    "EPOCH", "INSTALLMENT_SCHEMA", "LOAN_SCHEMA", "NO_DAY", "STATUS_ACTIVE", "STATUS_CODES",
    "Book", "Column", "day_number", "empty_loans", "from_day_number",
]  # fmt: skip

Column = npt.NDArray[Any]
EPOCH: Final = date(1970, 1, 1)
NO_DAY: Final = -1
STATUS_CODES: Final = ("active", "paid_off", "written_off", "closed")
STATUS_ACTIVE: Final = 0

_I8, _I16, _I32, _I64, _B = np.int8, np.int16, np.int32, np.int64, np.bool_

LOAN_SCHEMA: Final[Mapping[str, type[np.generic]]] = {
    # identity and product
    "loan_id": _I64, "status": _I8, "product": _I16, "pack": _I8, "vehicle_type": _I8,
    "principal": _I64, "annual_rate": _I64, "uplift_bp": _I16,
    # penalty (rate numerator over RATE_SCALE, per year of penalty_basis days) and ceiling
    "penalty_rate": _I64, "penalty_basis": _I16, "compounds": _B,
    "cap_num": _I64, "cap_den": _I64,
    # days
    "contract_day": _I32, "start_day": _I32, "first_due_day": _I32, "accrued_through": _I32,
    # the current installment
    "cur": _I16, "period_start": _I32, "period_end": _I32, "cur_interest": _I64, "cur_paid": _B,
    "principal_not_due": _I64,
    # overdue
    "overdue_principal": _I64, "overdue_interest": _I64, "overdue_fee": _I64,
    "earliest_unpaid_day": _I32,
    # balances
    "accrued_interest": _I64, "penalty": _I64, "compound": _I64, "cost_charged": _I64,
    "ceiling_reached": _B, "advance": _I64, "monthly_fee": _I64,
    # risk inputs
    "grade": _I8, "pd_orig_bp": _I16, "pd_now_bp": _I16, "vehicle_price": _I64,
    "vehicle_age_months": _I16, "restructured": _I8, "manual_class": _I8, "defaulted": _B,
    "bureau_alert": _B, "paid_in_period": _I64,
    # carried from the previous day
    "prev_bucket": _I8, "prev_stage": _I8, "current_days": _I16,
    # routed to the per-loan reference path
    "needs_reference": _B,
}  # fmt: skip
"""Every loan column and its dtype."""

INSTALLMENT_SCHEMA: Final[Mapping[str, type[np.generic]]] = {
    "due_day": _I32, "principal": _I64, "interest": _I64, "fee": _I64,
}  # fmt: skip
"""The installment (CSR) columns: due day and the unpaid principal, interest and fee."""

_LIST_PREFIX: Final = "inst_"


def day_number(value: date) -> int:
    """Days since 1970-01-01: ``day_number(date(2026, 1, 5))`` is 20458."""
    return (value - EPOCH).days


def from_day_number(day: int) -> date:
    """The date of a day number: ``from_day_number(20458)`` is 2026-01-05."""
    return date.fromordinal(EPOCH.toordinal() + int(day))


def _fail(problem: str) -> InvalidInput:
    return InvalidInput(problem, field="book")


@dataclass(frozen=True, slots=True)
class Book:
    """Loan columns, installment columns and the CSR ``offsets`` (length loans + 1).

    Arrays are never written in place by the kernels: a day returns a new book sharing
    every column it did not change (:meth:`with_loans`).
    """

    loans: Mapping[str, Column]
    offsets: npt.NDArray[np.int64]
    rows: Mapping[str, Column]

    def __post_init__(self) -> None:
        n = _check_columns(self.loans, LOAN_SCHEMA, "loan")
        m = _check_columns(self.rows, INSTALLMENT_SCHEMA, "installment")
        offsets = self.offsets
        if offsets.dtype != np.int64 or offsets.shape != (n + 1,):
            raise _fail(f"offsets must be int64 of length {n + 1}")
        if n + 1 and (offsets[0] != 0 or offsets[-1] != m or np.any(np.diff(offsets) < 0)):
            raise _fail("offsets must rise from 0 to the number of installments")

    def __getitem__(self, name: str) -> Column:
        return self.loans[name]

    def __len__(self) -> int:
        return int(self.offsets.shape[0] - 1)

    @property
    def row_counts(self) -> npt.NDArray[np.int64]:
        """Installments held per loan."""
        return np.diff(self.offsets)

    @property
    def nbytes(self) -> int:
        """Bytes held by every column and the offsets."""
        columns = (*self.loans.values(), *self.rows.values(), self.offsets)
        return int(sum(column.nbytes for column in columns))

    def with_loans(self, **changed: Column) -> Book:
        """A book with the named loan columns replaced (the rest shared)."""
        unknown = changed.keys() - LOAN_SCHEMA.keys()
        if unknown:
            raise _fail(f"unknown loan columns {sorted(unknown)}")
        loans = dict(self.loans)
        for name, values in changed.items():
            loans[name] = np.asarray(values, dtype=LOAN_SCHEMA[name])
        return Book(loans, self.offsets, self.rows)

    def take(self, index: npt.NDArray[np.int64]) -> Book:
        """The loans at ``index`` (in that order) with their installments."""
        counts = self.row_counts[index]
        offsets = np.zeros(len(index) + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        starts = np.repeat(self.offsets[:-1][index] - offsets[:-1], counts)
        rows_index = starts + np.arange(offsets[-1], dtype=np.int64)
        loans = {name: values[index] for name, values in self.loans.items()}
        return Book(loans, offsets, {name: v[rows_index] for name, v in self.rows.items()})

    def to_arrow(self) -> pa.Table:
        """One row per loan; installments as ``large_list`` columns ``inst_<name>``."""
        arrays: dict[str, pa.Array] = {name: pa.array(v) for name, v in self.loans.items()}
        offsets = pa.array(self.offsets, type=pa.int64())
        for name, values in self.rows.items():
            lists = pa.LargeListArray.from_arrays(offsets, pa.array(values))
            arrays[_LIST_PREFIX + name] = lists
        return pa.table(arrays)

    @classmethod
    def from_arrow(cls, table: pa.Table) -> Book:
        """The book of :meth:`to_arrow` (columns may come in any order)."""
        table = table.combine_chunks()
        loans = {name: _numpy(table.column(name), dtype) for name, dtype in LOAN_SCHEMA.items()}
        rows: dict[str, Column] = {}
        offsets = np.zeros(1, dtype=np.int64)
        for name, dtype in INSTALLMENT_SCHEMA.items():
            chunk = table.column(_LIST_PREFIX + name).chunk(0) if table.num_rows else None
            if chunk is None:
                rows[name] = np.zeros(0, dtype=dtype)
                continue
            raw = chunk.offsets.to_numpy().astype(np.int64)
            offsets = raw - raw[0]
            flat = chunk.values.slice(raw[0], raw[-1] - raw[0])
            rows[name] = _numpy(flat, dtype)
        return cls(loans, offsets, rows)


def _numpy(values: pa.Array | pa.ChunkedArray, dtype: type[np.generic]) -> Column:
    array = values.to_numpy(zero_copy_only=False) if values.null_count == 0 else None
    if array is None:
        raise _fail("book columns must not hold nulls")
    return np.asarray(array, dtype=dtype)


def _check_columns(
    columns: Mapping[str, Column], schema: Mapping[str, type[np.generic]], what: str
) -> int:
    missing = schema.keys() - columns.keys()
    if missing:
        raise _fail(f"missing {what} columns {sorted(missing)}")
    lengths = {name: columns[name].shape for name in schema}
    length = next(iter(lengths.values()))[0] if lengths else 0
    for name, dtype in schema.items():
        column = columns[name]
        if column.dtype != dtype or column.shape != (length,):
            raise _fail(f"{what} column {name} must be {np.dtype(dtype)} of length {length}")
    return int(length)


def empty_loans(n: int) -> dict[str, Column]:
    """Zeroed loan columns for ``n`` loans (``earliest_unpaid_day`` and ``manual_class``
    set to "none"), for builders to fill."""
    loans = {name: np.zeros(n, dtype=dtype) for name, dtype in LOAN_SCHEMA.items()}
    loans["earliest_unpaid_day"][:] = NO_DAY
    loans["manual_class"][:] = -1
    return loans
