"""The bulk path's new pieces: which days are month-ends, the allowance entries (bulk and
per loan alike), the portfolio assessor over the stored state read set-based (equal to
the assessor over replayed domain states), and the advance applied on a due date
settled in memory."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pytest

from autolend.batch.accrual_kernel import accrue_day
from autolend.batch.allowance import (
    allowance_fact,
    allowance_journal_entry,
    bulk_allowances,
    is_month_end,
    month_ends_between,
    previous_month_end,
)
from autolend.batch.book import day_number
from autolend.batch.bulk_advance import settle_day
from autolend.batch.bulk_book import loan_book
from autolend.batch.bulk_day import bulk_entry
from autolend.batch.portfolio_kernels import ColumnRiskAssessor
from autolend.domain.ledger import allowance_entry
from autolend.domain.money import Money
from autolend.domain.penalty import policy_from_pack
from autolend.domain.regulation import pack_for
from autolend.domain.schedule import LoanTerms, build_schedule
from autolend.domain.servicing import Component, LoanState, accrue
from autolend.services.eod_ports import BulkInstallment, BulkLoans, InstallmentRows
from autolend.services.loan_books import installment_rows, state_snapshot
from autolend.services.portfolio_ports import LoanOnDay
from autolend.services.terms_codec import dump_terms

START = date(2026, 1, 5)
PACK = pack_for("CN")
POLICY = policy_from_pack(PACK, START)
TERMS = LoanTerms(
    principal=Money.parse("12000.00", "CNY"), annual_rate=Decimal("0.12"), periods=12, start=START
)
_P, _I, _F = Component.PRINCIPAL, Component.INTEREST, Component.FEE


def test_the_month_ends_are_the_calendars_last_days_twelve_a_year() -> None:
    year = [date(2028, 1, 1) + timedelta(days=d) for d in range(366)]  # a leap year
    ends = [day for day in year if is_month_end(day)]
    assert len(ends) == 12
    assert date(2028, 2, 29) in ends and date(2028, 2, 28) not in ends
    assert all(day.day >= 29 or day.month == 2 for day in ends)


def test_the_month_end_before_a_day_is_the_last_one_strictly_before_it() -> None:
    assert previous_month_end(date(2026, 11, 5)) == date(2026, 10, 31)
    assert previous_month_end(date(2026, 11, 1)) == date(2026, 10, 31)
    assert previous_month_end(date(2026, 10, 31)) == date(2026, 9, 30)
    assert previous_month_end(date(2028, 3, 1)) == date(2028, 2, 29)
    assert previous_month_end(date(2027, 1, 15)) == date(2026, 12, 31)
    # A loan serviced through that month-end crosses no other on its way to the day.
    day = date(2026, 11, 20)
    assert month_ends_between(previous_month_end(day), day) == []


def test_a_charge_credits_the_allowance_and_a_release_debits_it() -> None:
    charge = allowance_journal_entry(7, date(2026, 3, 31), 103_456, "CNY")
    release = allowance_journal_entry(7, date(2026, 4, 30), -50_000, "CNY")
    lines = [
        sorted((p.side.value, p.account.gl.code, p.amount.minor) for p in e.postings)
        for e in (charge, release)
    ]
    assert lines[0] == [("credit", "1190", 103_456), ("debit", "5100", 103_456)]
    assert lines[1] == [("credit", "5100", 50_000), ("debit", "1190", 50_000)]
    assert charge.idempotency_key == "allowance:7:2026-03-31"
    assert allowance_fact(date(2026, 3, 31)) == "al:2026-03-31"


def test_the_bulk_allowance_entries_are_the_domain_builders_with_their_key() -> None:
    day = date(2026, 3, 31)
    changes = {9: (-120, "USD"), 3: (5_000, "CNY")}
    built = [
        bulk_entry(allowance_entry(3, day, Money.of_minor(5_000, "CNY")), "al:2026-03-31"),
        bulk_entry(allowance_entry(9, day, Money.of_minor(-120, "USD")), "al:2026-03-31"),
    ]
    found = bulk_allowances(changes, day)
    assert [e.loan_id for e in found] == [3, 9]  # in loan order
    assert [e.idempotency_key for e in found] == ["allowance:3:2026-03-31",
                                                  "allowance:9:2026-03-31"]  # fmt: skip
    keyless = [type(e)(**{**e.__dict__, "idempotency_key": b.idempotency_key})
               for e, b in zip(found, built, strict=True)]  # fmt: skip
    assert keyless == built  # same kind, description, fingerprint, postings


def _state(through: date) -> LoanState:
    """The loan, nothing ever paid, accrued through ``through``."""
    state = LoanState.from_schedule("L1", build_schedule(TERMS))
    return accrue(state, through, POLICY, PACK).state


def _stored(loan_id: int, state: LoanState, day: date) -> BulkLoans:
    """What the bulk read gives for ``state`` on ``day`` (see BulkLoans)."""
    rows = state.installments
    ahead = [r for r in rows if r.due_date >= day]
    past = [r for r in rows if r.due_date < day]
    unpaid = [r for r in past if not r.is_paid]
    cur = ahead[0] if ahead else None
    return BulkLoans(
        day=day, loan_id=[loan_id], status=["active"], currency=["CNY"],
        product_code=["standard"], start_date=[START],
        accrued_through=[state.accrued_through], terms_json=[dump_terms(TERMS, "CN")],
        state_json=[json.dumps(state_snapshot(state))], first_due=[rows[0].due_date],
        cur_due=[cur.due_date if cur else None], prev_due=[past[-1].due_date if past else None],
        cur_principal=[cur.principal_due if cur else 0],
        cur_interest=[cur.interest_due if cur else 0], cur_fee=[cur.fee_due if cur else 0],
        not_due_principal=[sum(r.outstanding(_P) for r in ahead)],
        ahead_paid=[sum(r.total_paid for r in ahead)], ahead_rows=[len(ahead)],
        overdue_principal=[sum(r.outstanding(_P) for r in past)],
        overdue_interest=[sum(r.outstanding(_I) for r in past)],
        overdue_fee=[sum(r.outstanding(_F) for r in past)],
        earliest_unpaid=[unpaid[0].due_date if unpaid else None], blocked=[False],
        rows=InstallmentRows.of({loan_id: [
            (r.due_date, r.outstanding(_P), r.outstanding(_I), r.outstanding(_F)) for r in ahead
        ]}),
    )  # fmt: skip


@pytest.mark.parametrize(
    "day",
    [date(2026, 1, 31), date(2026, 2, 5), date(2026, 2, 28), date(2026, 3, 31),
     date(2026, 5, 10), date(2026, 8, 31), date(2027, 1, 5)],
)  # fmt: skip
def test_the_stored_state_assessed_as_columns_equals_the_replayed_state_assessed(
    day: date,
) -> None:
    state = _state(day - timedelta(days=1))
    replayed = ColumnRiskAssessor().assess([LoanOnDay(4, "standard", state, POLICY, PACK)], day)
    stored = ColumnRiskAssessor().assess_stored(_stored(4, state, day), day, {})
    assert stored == {4: replayed[0]}


def test_a_loan_not_standing_at_the_day_before_is_left_to_the_replay() -> None:
    day = date(2026, 3, 31)
    behind = _state(day - timedelta(days=3))
    assert ColumnRiskAssessor().assess_stored(_stored(4, behind, day), day, {}) == {}


def test_the_previous_snapshots_bucket_is_the_rolled_worse_comparison_for_stored_loans() -> None:
    day = date(2026, 3, 31)  # 54 days past due: bucket 2
    state = _state(day - timedelta(days=1))
    assessor = ColumnRiskAssessor()
    rolled = assessor.assess_stored(_stored(4, state, day), day, {4: 1})[4]
    stayed = assessor.assess_stored(_stored(4, state, day), day, {4: 2})[4]
    assert rolled.warnings & 2 and not stayed.warnings & 2


def test_reading_every_row_ahead_changes_nothing_of_the_days_accrual() -> None:
    day = date(2026, 3, 5)  # a due date: the current row falls due
    stored = _stored(4, _state(day - timedelta(days=1)), day)
    current_only = BulkLoans(**{**stored.__dict__, "rows": None})
    full, short = loan_book(stored), loan_book(current_only)
    assert full.book.row_counts.tolist() == [11] and short.book.row_counts.tolist() == [1]
    one, _ = accrue_day(full.book, day_number(day))
    two, _ = accrue_day(short.book, day_number(day))
    for name in ("accrued_interest", "penalty", "principal_not_due", "overdue_principal"):
        assert np.array_equal(one[name], two[name]), name


# --- Advances applied on the bulk path, settled in memory ---------------------------


def _with_advance(through: date, advance: int) -> tuple[str, list[BulkInstallment]]:
    state = replace(_state(through), advance=advance)
    rows = [(1, r.n, r.due_date, r.principal_due, r.interest_due, r.fee_due, r.principal_paid,
             r.interest_paid, r.fee_paid) for r in installment_rows(state)]  # fmt: skip
    return json.dumps(state_snapshot(state)), rows


def test_an_advance_covering_part_of_todays_installment_is_settled_by_the_waterfall() -> None:
    due = date(2026, 2, 5)
    state_json, rows = _with_advance(due - timedelta(days=1), 50_000)
    settled = settle_day(1, dump_terms(TERMS, "CN"), state_json, rows, due)
    assert settled is not None
    assert [e.fact for e in settled.entries] == ["aa:2026-02-05", "ai:2026-02-05"]
    (row,) = settled.installments  # only the installment due today changed
    assert row[1] == 1 and sum(row[6:]) == 50_000  # the whole advance, interest first
    assert row[7] == row[4]  # the interest due is paid in full
    assert json.loads(settled.update.state_json)["advance"] == 0
    assert settled.update.status == "active" and settled.update.closed_on is None


def test_a_loan_not_standing_at_the_day_before_or_without_a_snapshot_is_not_settled() -> None:
    due = date(2026, 2, 5)
    state_json, rows = _with_advance(due - timedelta(days=2), 50_000)
    terms = dump_terms(TERMS, "CN")
    assert settle_day(1, terms, state_json, rows, due) is None
    assert settle_day(1, terms, None, rows, due - timedelta(days=1)) is None
    assert settle_day(1, terms, state_json, rows[1:], due - timedelta(days=1)) is None
