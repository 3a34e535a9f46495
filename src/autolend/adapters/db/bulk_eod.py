"""The bulk end of day's reads and writes (see :class:`autolend.services.eod_ports.BulkLoans`).

Reading a partition takes three statements whatever its size: lock the loan rows
(``FOR UPDATE`` on PostgreSQL; SQLite holds the write lock already), then one query
joining each loan to its installments summarised by ``GROUP BY`` (the current
installment -- the first due on or after ``day``, numbers rising with due dates --
joined back by its number; ``earliest``, where the days past due count from, is the
earliest due date before ``day`` with principal or interest unpaid: a fee alone is
payable, in ``od_f``, but not past due) with two flags for the loans that must take the
per-loan path: an event not yet applied (or dated ``day`` or later), a partial
prepayment applied, or an accrual already recorded for ``day`` or later.
(A loan serviced through the day before carries no entry dated ``day`` or later
otherwise: the serviced-through date only moves forward, to at least the value date
of every event posted.)

Writing: journal entry ids are drawn first (``nextval`` of the sequence on
PostgreSQL; after ``MAX(id)`` on SQLite, safe under its one writer), then the
entries, their postings and the accrual records go in with ``COPY`` (PostgreSQL,
psycopg 3 ``cursor.copy``) or ``executemany`` (SQLite), and the loans are updated
from a temporary table (PostgreSQL, bounded by the partition's ids so the loans are
read by index) or by ``executemany`` (SQLite); all in the caller's transaction, so a
crash loses the partition whole.

The month-end's reads are :mod:`autolend.adapters.db.bulk_month_end`. The flags that
keep a loan off the bulk path are correlated scalar sub-queries with ``LIMIT 1`` (one
index probe per loan): as ``EXISTS`` the planner hashed them over every accrual dated
``day`` or later, a scan that grows with the ledger.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, Date, Table, bindparam, insert, select, text, update

from autolend.adapters.db import tables as t
from autolend.services.eod_ports import BulkInstallment, BulkLoans, BulkWrite

_SUMMARY = """
WITH agg AS (
  SELECT i.loan_id AS loan_id,
    MIN(i.due_date) AS first_due,
    MIN(CASE WHEN i.due_date >= :day THEN i.due_date END) AS cur_due,
    MIN(CASE WHEN i.due_date >= :day THEN i.n END) AS cur_n,
    MAX(CASE WHEN i.due_date < :day THEN i.due_date END) AS prev_due,
    SUM(CASE WHEN i.due_date >= :day THEN i.principal_due - i.principal_paid ELSE 0 END)
      AS not_due,
    SUM(CASE WHEN i.due_date >= :day THEN i.principal_paid + i.interest_paid + i.fee_paid
      ELSE 0 END) AS ahead_paid,
    SUM(CASE WHEN i.due_date >= :day THEN 1 ELSE 0 END) AS ahead_rows,
    SUM(CASE WHEN i.due_date < :day THEN i.principal_due - i.principal_paid ELSE 0 END) AS od_p,
    SUM(CASE WHEN i.due_date < :day THEN i.interest_due - i.interest_paid ELSE 0 END) AS od_i,
    SUM(CASE WHEN i.due_date < :day THEN i.fee_due - i.fee_paid ELSE 0 END) AS od_f,
    MIN(CASE WHEN i.due_date < :day AND i.principal_due + i.interest_due
      > i.principal_paid + i.interest_paid THEN i.due_date END) AS earliest
  FROM installments i WHERE i.loan_id BETWEEN :lo AND :hi GROUP BY i.loan_id
)
SELECT l.id, l.status, l.currency, l.product_code, l.start_date, l.accrued_through, l.terms,
  l.state,
  agg.first_due, agg.cur_due, agg.prev_due, COALESCE(c.principal_due, 0) AS cur_p,
  COALESCE(c.interest_due, 0) AS cur_i, COALESCE(c.fee_due, 0) AS cur_f,
  agg.not_due, agg.ahead_paid, agg.ahead_rows, agg.od_p, agg.od_i, agg.od_f, agg.earliest,
  CASE WHEN (SELECT 1 FROM repayments r WHERE r.loan_id = l.id
      AND (r.value_date >= :day OR (r.status = 'posted'
        AND (r.entry_id IS NULL OR r.kind = 'prepayment'))) LIMIT 1) IS NOT NULL
    OR (SELECT 1 FROM accruals a WHERE a.loan_id = l.id AND a.accrual_date >= :day
      LIMIT 1) IS NOT NULL
    THEN 1 ELSE 0 END AS blocked
FROM loans l
JOIN agg ON agg.loan_id = l.id
LEFT JOIN installments c ON c.loan_id = l.id AND c.n = agg.cur_n
WHERE l.id BETWEEN :lo AND :hi AND l.status = 'active'
ORDER BY l.id
"""

_LOCK = "SELECT id FROM loans WHERE id BETWEEN :lo AND :hi AND status = 'active' FOR UPDATE"

_ENTRY_COLUMNS = (
    "id", "kind", "value_date", "loan_id", "description", "reverses_id", "idempotency_key",
    "fingerprint", "booked_at", "booked_by", "request_id", "fact",
)  # fmt: skip
_POSTING_COLUMNS = (
    "entry_id", "gl_code", "loan_id", "sub_ledger", "side", "amount_minor", "currency",
    "value_date",
)  # fmt: skip
_ACCRUAL_COLUMNS = ("loan_id", "accrual_date", "component", "amount_minor", "entry_id")


def day_of(value: Any) -> date | None:
    """A date from the driver: SQLite gives aggregates of dates back as text."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def read_partition(
    conn: Connection, loan_ids: Sequence[int], day: date, *, lock: bool = True
) -> BulkLoans:
    """The loans of ``loan_ids`` still active, locked (unless ``lock`` is False), as
    :class:`BulkLoans` columns."""
    wanted = set(loan_ids)
    bounds = {"lo": min(loan_ids, default=0), "hi": max(loan_ids, default=-1)}
    if lock and conn.dialect.name == "postgresql":
        conn.execute(text(_LOCK), bounds)
    query = text(_SUMMARY).bindparams(bindparam("day", type_=Date))
    result = conn.execute(query, {**bounds, "day": day})
    names = list(result.keys())
    # All rows at once, turned into columns by ``zip``: fetching row by row and reading
    # each field by name was 15 % of a month-end's Python time (py-spy, 100,000 loans).
    rows = [r for r in result.all() if r[0] in wanted]
    col: dict[str, tuple[Any, ...]] = dict.fromkeys(names, ())
    if rows:
        col = dict(zip(names, zip(*rows, strict=True), strict=True))

    def ints(name: str) -> list[int]:
        return list(map(int, col[name]))  # SUM() gives Decimal on PostgreSQL

    def days(name: str) -> list[date | None]:
        return list(map(day_of, col[name]))  # text on SQLite

    return BulkLoans(
        day=day, loan_id=ints("id"), status=list(col["status"]), currency=list(col["currency"]),
        product_code=list(col["product_code"]), start_date=days("start_date"),  # type: ignore[arg-type]
        accrued_through=days("accrued_through"), terms_json=list(col["terms"]),
        state_json=list(col["state"]), first_due=days("first_due"), cur_due=days("cur_due"),
        prev_due=days("prev_due"), cur_principal=ints("cur_p"), cur_interest=ints("cur_i"),
        cur_fee=ints("cur_f"), not_due_principal=ints("not_due"), ahead_paid=ints("ahead_paid"),
        ahead_rows=ints("ahead_rows"), overdue_principal=ints("od_p"),
        overdue_interest=ints("od_i"), overdue_fee=ints("od_f"), earliest_unpaid=days("earliest"),
        blocked=list(map(bool, col["blocked"])),
    )  # fmt: skip


def _entry_ids(conn: Connection, n: int) -> list[int]:
    if conn.dialect.name == "postgresql":
        query = text(
            "SELECT nextval(pg_get_serial_sequence('journal_entries', 'id')) "
            "FROM generate_series(1, :n)"
        )
        return sorted(int(i) for i in conn.execute(query, {"n": n}).scalars())
    top = conn.execute(text("SELECT COALESCE(MAX(id), 0) FROM journal_entries")).scalar()
    return list(range(int(top or 0) + 1, int(top or 0) + 1 + n))


def _rows(write: BulkWrite, ids: list[int], *, as_text: bool) -> tuple[list[tuple[Any, ...]], ...]:
    """The entry, posting and accrual rows of ``write``; with ``as_text`` (``COPY``) the
    dates and the booking time as ISO text, formatted once instead of for every row."""
    entries: list[tuple[Any, ...]] = []
    postings: list[tuple[Any, ...]] = []
    accruals: list[tuple[Any, ...]] = []
    at: Any = write.booked_at
    by, request = write.booked_by, write.request_id
    texts: dict[date, Any] = {}
    if as_text:
        at = at.isoformat()
    for entry_id, e in zip(ids, write.entries, strict=True):
        day = e.value_date
        if as_text:
            day = texts.get(day) or texts.setdefault(day, day.isoformat())
        entries.append((entry_id, e.kind, day, e.loan_id, e.description, None,
                        e.idempotency_key, e.fingerprint, at, by, request, e.fact))  # fmt: skip
        postings.extend((entry_id, *p, day) for p in e.postings)
        if e.accrual is not None:
            amount = e.postings[0][4]
            accruals.append((e.loan_id, day, e.accrual, amount, entry_id))
    return entries, postings, accruals


def write_partition(conn: Connection, write: BulkWrite) -> None:
    """Insert the entries, postings and accrual records; update the loans and the
    installment rows given."""
    if not write.entries and not write.loans:
        return
    ids = _entry_ids(conn, len(write.entries)) if write.entries else []
    copy = conn.dialect.name == "postgresql"
    entries, postings, accruals = _rows(write, ids, as_text=copy)
    loans = [(u.loan_id, u.accrued_through, u.status, u.state_json, u.closed_on)
             for u in write.loans]  # fmt: skip
    if copy:
        _copy_all(conn, entries, postings, accruals, loans)
    else:
        _insert_all(conn, entries, postings, accruals, loans)
    _update_installments(conn, write.installments)


_INSTALLMENT_FIELDS = (
    "principal_due", "interest_due", "fee_due", "principal_paid", "interest_paid", "fee_paid",
)  # fmt: skip


def _update_installments(conn: Connection, rows: Sequence[BulkInstallment]) -> None:
    """The rows that changed (few: a day's advance pays one installment), by key."""
    if not rows:
        return
    c = t.installments.c
    change = (
        update(t.installments)
        .where(c.loan_id == bindparam("k_loan"), c.n == bindparam("k_n"))
        .values({name: bindparam(f"v_{name}") for name in _INSTALLMENT_FIELDS})
    )
    conn.execute(
        change,
        [{"k_loan": r[0], "k_n": r[1], **{f"v_{k}": v for k, v in
          zip(_INSTALLMENT_FIELDS, r[3:], strict=True)}} for r in rows],
    )  # fmt: skip


def read_installments(
    conn: Connection, loan_ids: Sequence[int]
) -> dict[int, list[BulkInstallment]]:
    """Every installment row of ``loan_ids``, by loan, in order of number."""
    c = t.installments.c
    found: dict[int, list[BulkInstallment]] = {}
    for lo in range(0, len(loan_ids), 1_000):
        part = list(loan_ids[lo : lo + 1_000])
        query = select(t.installments).where(c.loan_id.in_(part)).order_by(c.loan_id, c.n)
        for r in conn.execute(query):
            row = (int(r.loan_id), int(r.n), day_of(r.due_date),
                   *(int(getattr(r, k)) for k in _INSTALLMENT_FIELDS))  # fmt: skip
            found.setdefault(int(r.loan_id), []).append(row)  # type: ignore[arg-type]
    return found


def _insert_all(
    conn: Connection,
    entries: list[tuple[Any, ...]],
    postings: list[tuple[Any, ...]],
    accruals: list[tuple[Any, ...]],
    loans: list[tuple[Any, ...]],
) -> None:
    """SQLite: ``executemany`` through SQLAlchemy Core, so dates and times are stored in
    the same text form as every other write."""
    put_rows(conn, t.journal_entries, _ENTRY_COLUMNS, entries)
    put_rows(conn, t.postings, _POSTING_COLUMNS, postings)
    put_rows(conn, t.accruals, _ACCRUAL_COLUMNS, accruals)
    if loans:
        c = t.loans.c
        change = (
            update(t.loans)
            .where(c.id == bindparam("k_id"))
            .values(
                accrued_through=bindparam("v_through"), status=bindparam("v_status"),
                state=bindparam("v_state"), closed_on=bindparam("v_closed"),
                version=c.version + 1,
            )
        )  # fmt: skip
        conn.execute(
            change,
            [{"k_id": i, "v_through": d, "v_status": s, "v_state": j, "v_closed": closed}
             for i, d, s, j, closed in loans],
        )  # fmt: skip


def put_rows(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert ``rows`` (tuples in ``columns`` order): ``COPY`` on PostgreSQL, else
    ``executemany`` through SQLAlchemy Core."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        _copy(cursor, table.name, columns, rows)
        return
    conn.execute(insert(table), [dict(zip(columns, r, strict=True)) for r in rows])


def _copy(cursor: Any, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _copy_all(
    conn: Connection,
    entries: list[tuple[Any, ...]],
    postings: list[tuple[Any, ...]],
    accruals: list[tuple[Any, ...]],
    loans: list[tuple[Any, ...]],
) -> None:
    """PostgreSQL: ``COPY`` into the tables, the loans through a temporary table."""
    for table, columns, rows in (
        (t.journal_entries, _ENTRY_COLUMNS, entries),
        (t.postings, _POSTING_COLUMNS, postings),
        (t.accruals, _ACCRUAL_COLUMNS, accruals),
    ):
        put_rows(conn, table, columns, rows)
    if not loans:
        return
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    cursor.execute(
        "CREATE TEMP TABLE IF NOT EXISTS eod_loan_updates (id BIGINT PRIMARY KEY, "
        "accrued_through DATE, status VARCHAR(16), state TEXT, closed_on DATE) "
        "ON COMMIT DELETE ROWS"
    )
    columns = ("id", "accrued_through", "status", "state", "closed_on")
    _copy(cursor, "eod_loan_updates", columns, loans)
    # The id bounds let the planner read the loans by index: the temporary table has no
    # statistics, and a hash join on a guess scanned the whole book for every partition.
    ids = [row[0] for row in loans]
    cursor.execute(
        "UPDATE loans SET accrued_through = u.accrued_through, status = u.status, "
        "state = u.state, closed_on = u.closed_on, version = loans.version + 1 "
        "FROM eod_loan_updates u WHERE loans.id = u.id AND loans.id BETWEEN %s AND %s",
        (min(ids, default=0), max(ids, default=-1)),
    )
    cursor.execute("DELETE FROM eod_loan_updates")
