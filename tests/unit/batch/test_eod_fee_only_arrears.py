"""The end-of-day kernels count days past due as the domain does when only a fee is left
unpaid: from the earliest installment with principal or interest unpaid, never from one
owing only a fee (CN five-tier rule: days overdue of 本金、利息; 16 CFR 444.4: a late
charge alone is no delinquency). The fee stays in the arrears, so an advance on the next
due date pays it first, on the reference path as in the domain.

Each loan: 12,000.00 at 12 % over 12 months from 2026-01-05 (CN), installment 1 of
946.19 principal and 120.00 interest due 2026-02-05 with a 50.00 late fee charged on it,
installment 2 of 1,066.19 due 2026-03-05; accrued through 2026-03-01.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from autolend.batch.book import day_number
from autolend.batch.book_domain import ServicedLoan, book_from_states, state_of
from autolend.batch.eod import run_day
from autolend.batch.reference_path import accrue_day_with_reference
from autolend.domain.money import Money
from autolend.domain.penalty import policy_from_pack
from autolend.domain.regulation import CN_PACK
from autolend.domain.schedule import LoanTerms, build_schedule
from autolend.domain.servicing import LoanState, accrue, charge_fee

START = date(2026, 1, 5)
FIRST_DAY = date(2026, 3, 2)  # the first day the kernels run
DAYS = 8  # Mar 2 .. Mar 9: across installment 2's due date
POLICY = policy_from_pack(CN_PACK, START)


def loan(interest_left: int = 0, advance: int = 0) -> ServicedLoan:
    """Installment 1's principal paid and its interest but ``interest_left`` fen, the late
    fee unpaid; accrued through Mar 1, then ``advance`` fen received in suspense."""
    terms = LoanTerms(principal=Money.parse("12000", "CNY"), annual_rate=Decimal("0.12"),
                      periods=12, start=START)  # fmt: skip
    fresh = LoanState.from_schedule("L1", build_schedule(terms))
    state = charge_fee(fresh, 1, Money.parse("50", "CNY"))
    row = state.installments[0]
    paid = replace(row, principal_paid=row.principal_due,
                   interest_paid=row.interest_due - interest_left)  # fmt: skip
    run = accrue(state.with_installment(paid), FIRST_DAY - timedelta(days=1), POLICY, CN_PACK)
    return ServicedLoan(replace(run.state, advance=advance), POLICY, CN_PACK)


LOANS = (loan(), loan(interest_left=1), loan(advance=200_000))


def reference(serviced: ServicedLoan) -> list[tuple[int, int, int]]:
    """The domain's (fee billed, advance applied, days past due) day by day."""
    state, out = serviced.state, []
    for k in range(DAYS):
        day = FIRST_DAY + timedelta(days=k)
        run = accrue(state, day, POLICY, CN_PACK)
        used = run.days[0].advance_applied
        applied = used.amount.minor - used.to_advance if used else 0
        state = run.state
        out.append((run.days[0].fee, applied, state.days_past_due(day)))
    return out


def test_the_kernels_count_no_day_for_a_fee_left_alone_as_the_domain() -> None:
    book = book_from_states(list(LOANS))
    got: list[list[tuple[int, int, int]]] = [[] for _ in LOANS]
    for k in range(DAYS):
        book, day = accrue_day_with_reference(book, day_number(FIRST_DAY) + k)
        for i in range(len(LOANS)):
            got[i].append((int(day.fee[i]), int(day.advance_applied[i]), int(day.dpd[i])))
    assert got == [reference(serviced) for serviced in LOANS]
    dpd = [[d for _, _, d in days] for days in got]
    # fee only: current until installment 2 falls overdue on Mar 6 (1 DPD)
    assert dpd[0] == [0, 0, 0, 0, 1, 2, 3, 4]
    # 0.01 of interest: counted from Feb 5, 25 days on Mar 2
    assert dpd[1] == list(range(25, 25 + DAYS))
    # the advance pays the fee the next day (the waterfall, on the reference path: the
    # rebuilt state keeps the fee), then installment 2's 1,066.19 on its due date
    assert [a for _, a, _ in got[2]] == [5_000, 0, 0, 106_619, 0, 0, 0, 0]
    assert dpd[2] == [0] * DAYS


def test_a_loan_rebuilt_from_the_book_keeps_the_fee_left_alone() -> None:
    book = book_from_states(list(LOANS))
    for i, serviced in enumerate(LOANS):
        rebuilt = state_of(book, i).state
        assert rebuilt.amount_due(FIRST_DAY) == serviced.state.amount_due(FIRST_DAY), i
        assert rebuilt.days_past_due(FIRST_DAY) == serviced.state.days_past_due(FIRST_DAY), i


def test_a_loan_owing_only_a_fee_is_bucket_current_class_normal_and_stage_one() -> None:
    book = book_from_states(list(LOANS))
    _, out = run_day(book, day_number(FIRST_DAY))
    assert [int(v) for v in out.accrual.dpd] == [0, 25, 0]
    assert [int(v) for v in out.bucket] == [0, 1, 0]  # current, 1-30, current
    assert [int(v) for v in out.risk_class] == [0, 1, 0]  # 正常, 关注, 正常
    assert [int(v) for v in out.stage] == [1, 1, 1]  # 25 DPD is under stage 2's 31
