"""The month-end's reads for the bulk end of day (:mod:`autolend.batch.month_end`).

Month-end (:mod:`autolend.batch.allowance`): :func:`read_rows` gives every installment
due on or after ``day`` (the ECL's exposure runs over them), and
:func:`allowance_changes` gives, for a block of loan ids, each loan's allowance change
to the day's ECL in the portfolio snapshot (zero target for a loan no longer active or
not in the snapshot) less the allowance it holds (the credit balance of its 1190
sub-ledger), leaving out loans whose allowance entry of the day is posted already and
active loans not serviced through the day (behind, or failed in the day's accrual: the
run that catches them up moves it, month-end by month-end, never an earlier month-end's
after a later one's).

The allowance's per-loan look-ups (the allowance held, the key of the day's allowance
entry) are correlated scalar sub-queries, which PostgreSQL runs as one index probe per
loan of the block. Written as a join and ``EXISTS``, the planner hashed them over every
allowance posting and every journal key instead: a cost that grows with the ledger,
paid by every partition. At 300,000 loans a month-end partition's allowance read went
from 631 to 60 ms (the flags of :mod:`autolend.adapters.db.bulk_eod` had the same cause).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

import numpy as np
import numpy.typing as npt
import pyarrow as pa  # type: ignore[import-untyped]
from pyarrow import csv as pa_csv
from sqlalchemy import Connection, Date, bindparam, text

from autolend.adapters.db.bulk_eod import day_of
from autolend.services.eod_ports import InstallmentRows

_ROWS = """
SELECT i.loan_id, i.due_date, i.principal_due - i.principal_paid AS p,
  i.interest_due - i.interest_paid AS r, i.fee_due - i.fee_paid AS f
FROM installments i WHERE i.loan_id BETWEEN :lo AND :hi AND i.due_date >= :day
ORDER BY i.loan_id, i.n
"""

# One text value (tab-separated rows): a single message from the server instead of one
# per row, which cost more than the rows themselves in the driver. Unordered: sorting
# the rows by (loan, number) in the server was a third of the query; NumPy orders them.
_ROWS_TEXT = """
SELECT string_agg(concat_ws(E'\\t', i.loan_id, i.n, i.due_date - DATE '1970-01-01',
    i.principal_due - i.principal_paid, i.interest_due - i.interest_paid,
    i.fee_due - i.fee_paid), E'\\n')
FROM installments i WHERE i.loan_id BETWEEN :lo AND :hi AND i.due_date >= :day
"""


def read_rows(conn: Connection, loan_ids: Sequence[int], day: date) -> InstallmentRows:
    """The installments of ``loan_ids`` due on or after ``day``, as columns (about 25 a
    loan on a month-end). PostgreSQL sends them as one tab-separated text, parsed by
    PyArrow's CSV reader: no Python object per row (building tuples row by row was
    most of a month-end snapshot's read). SQLite: one query, converted in Python."""
    lo, hi = min(loan_ids, default=0), max(loan_ids, default=-1)
    if conn.dialect.name == "postgresql":
        found = _text_rows(conn, lo, hi, day)
    else:
        query = text(_ROWS).bindparams(bindparam("day", type_=Date))
        by_loan: dict[int, list[tuple[date, int, int, int]]] = {}
        for loan_id, due, p, r, f in conn.execute(query, {"lo": lo, "hi": hi, "day": day}):
            by_loan.setdefault(int(loan_id), []).append((day_of(due), int(p), int(r), int(f)))  # type: ignore[arg-type]
        found = InstallmentRows.of(by_loan)
    keep = np.isin(found.loan_id, np.asarray(loan_ids, dtype=np.int64))
    if keep.all():
        return found
    return found.where(keep)


def _text_rows(conn: Connection, lo: int, hi: int, day: date) -> InstallmentRows:
    query = text(_ROWS_TEXT).bindparams(bindparam("day", type_=Date))
    data = conn.execute(query, {"lo": lo, "hi": hi, "day": day}).scalar_one()
    if not data:
        return InstallmentRows.of({})
    names = ["loan_id", "n", "due_day", "principal", "interest", "fee"]
    table = pa_csv.read_csv(
        io.BytesIO(data.encode()),
        read_options=pa_csv.ReadOptions(column_names=names),
        parse_options=pa_csv.ParseOptions(delimiter="\t"),
        convert_options=pa_csv.ConvertOptions(column_types=dict.fromkeys(names, pa.int64())),
    )
    columns = {name: _int64s(table.column(name)) for name in names}
    order = _by_loan_and_number(columns["loan_id"], columns["n"])
    return InstallmentRows(*(columns[name][order] for name in names if name != "n"))


def _int64s(column: pa.ChunkedArray) -> npt.NDArray[np.int64]:
    """A column of int64 without nulls as a NumPy array, read from its buffers:
    PyArrow's ``to_numpy`` imports pandas (about a second, held under the GIL while the
    other partitions wait)."""
    if column.null_count:
        raise ValueError("an installment row has an empty field")
    parts = [np.frombuffer(c.buffers()[1], dtype=np.int64, count=len(c), offset=c.offset * 8)
             for c in column.chunks]  # fmt: skip
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)


_NUMBERS = 1 << 16  # above any installment number (a loan has at most a few hundred)


def _by_loan_and_number(
    loan_id: npt.NDArray[np.int64], n: npt.NDArray[np.int64]
) -> npt.NDArray[np.intp] | slice:
    """The order of the rows by loan id, then installment number: ``[(2, 1), (1, 2),
    (1, 1)]`` -> ``[2, 1, 0]``; a slice of all when they come in that order already
    (mostly, as the rows lie in the table)."""
    key = loan_id * _NUMBERS + n
    if bool(np.all(key[1:] > key[:-1])):
        return slice(None)
    return np.argsort(key, kind="stable")


_OFF_BOOK = """
SELECT p.loan_id FROM loans l
JOIN postings p ON p.loan_id = l.id AND p.sub_ledger = 'allowance'
WHERE l.status <> 'active' GROUP BY p.loan_id
HAVING SUM(CASE WHEN p.side = 'C' THEN p.amount_minor ELSE -p.amount_minor END) <> 0
ORDER BY p.loan_id
"""


def allowance_off_book(conn: Connection) -> list[int]:
    """Loans no longer active (paid off, written off, closed) that still hold an
    allowance: the month-end releases it."""
    return [int(i) for i in conn.execute(text(_OFF_BOOK)).scalars()]


_ALLOWANCE = """
WITH held AS (
  SELECT l.id AS loan_id, l.status AS status, l.currency AS currency, r.ecl_minor AS target,
    COALESCE(l.accrued_through, l.start_date) AS serviced,
    (SELECT SUM(CASE WHEN p.side = 'C' THEN p.amount_minor ELSE -p.amount_minor END)
      FROM postings p WHERE p.loan_id = l.id AND p.sub_ledger = 'allowance') AS amount,
    (SELECT MAX(p.value_date) FROM postings p
      WHERE p.loan_id = l.id AND p.sub_ledger = 'allowance') AS last_day
  FROM loans l
  LEFT JOIN portfolio_risk r ON r.as_of = :day AND r.loan_id = l.id
    AND r.loan_id BETWEEN :lo AND :hi
  WHERE l.id BETWEEN :lo AND :hi
), wanted AS (
  SELECT loan_id, currency, last_day,
    CASE WHEN status = 'active' THEN COALESCE(target, 0) ELSE 0 END - COALESCE(amount, 0)
      AS change
  FROM held WHERE status <> 'active' OR serviced >= :day
)
SELECT w.loan_id, w.change, w.currency FROM wanted w
WHERE w.change <> 0 AND (w.last_day IS NULL OR w.last_day < :day
  OR (SELECT 1 FROM journal_entries j WHERE j.idempotency_key
    = 'allowance:' || CAST(w.loan_id AS VARCHAR(20)) || ':' || :key_day LIMIT 1) IS NULL)
ORDER BY w.loan_id
"""


def allowance_changes(conn: Connection, day: date, lo: int, hi: int) -> dict[int, tuple[int, str]]:
    """Loan id -> (allowance change in minor units, currency) for the loans ``lo`` to
    ``hi`` whose allowance must move on ``day`` (see the module docstring)."""
    query = text(_ALLOWANCE).bindparams(bindparam("day", type_=Date))
    params = {"lo": lo, "hi": hi, "day": day, "key_day": day.isoformat()}
    rows = conn.execute(query, params).all()
    return {int(loan_id): (int(change), str(code)) for loan_id, change, code in rows}
