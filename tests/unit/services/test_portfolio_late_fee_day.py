"""The snapshot's replayed loan on the day its contract's late fee falls: the kernels
charge no late fee, so the loan starts the day with the fee the reference charges that
day; the kernel's day then ends where the reference's does, the fee cut by the cost
ceiling or not."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from autolend.batch.book import day_number
from autolend.batch.book_domain import ServicedLoan, book_from_states
from autolend.batch.eod import run_day
from autolend.domain.money import Money
from autolend.domain.penalty import policy_from_pack
from autolend.domain.regulation import CN_PACK
from autolend.domain.schedule import LoanTerms, build_schedule
from autolend.domain.servicing import LateFeeRule, LoanState, accrue
from autolend.services.contract import ServicingTerms
from autolend.services.portfolio import _with_late_fee

TERMS = LoanTerms(principal=Money.parse("12000", "CNY"), annual_rate=Decimal("0.12"),
                  periods=12, start=date(2026, 1, 5))  # fmt: skip
POLICY = policy_from_pack(CN_PACK, TERMS.start)
FEE_DAY = date(2026, 2, 20)  # installment 1, due Feb 5 and unpaid, is 15 days late
COLUMNS = (
    "principal_not_due", "overdue_principal", "overdue_interest", "overdue_fee",
    "accrued_interest", "penalty", "compound", "cost_charged",
)  # fmt: skip


def unpaid_through(day: date, rule: LateFeeRule) -> LoanState:
    state = LoanState.from_schedule("L1", build_schedule(TERMS))
    return accrue(state, day, POLICY, CN_PACK, late_fee=rule).state


def columns(state: LoanState) -> dict[str, int]:
    book = book_from_states([ServicedLoan(state, POLICY, CN_PACK)])
    return {name: int(book[name][0]) for name in COLUMNS}


@pytest.mark.parametrize(("amount", "cut"), [(5_000, False), (500_000, True)])
def test_the_kernels_day_from_the_state_with_the_days_late_fee_ends_where_the_reference_does(
    amount: int, cut: bool
) -> None:
    rule = LateFeeRule(amount, 15)
    before = unpaid_through(date(2026, 2, 19), rule)
    reference = accrue(before, FEE_DAY, POLICY, CN_PACK, late_fee=rule)

    start = _with_late_fee(before, FEE_DAY, POLICY, CN_PACK, ServicingTerms(late_fee=rule))
    book = book_from_states([ServicedLoan(start, POLICY, CN_PACK)])
    after, _ = run_day(book, day_number(FEE_DAY))

    charged = reference.days[0].late_fee
    assert charged > 0 and (charged < amount) is cut  # 5,000.00 meets the ceiling
    assert start.installments[0].fee_due == before.installments[0].fee_due + charged
    assert {name: int(after[name][0]) for name in COLUMNS} == columns(reference.state)


def test_on_a_day_no_late_fee_falls_the_state_is_left_as_it_is() -> None:
    rule = LateFeeRule(5_000, 15)
    before = unpaid_through(FEE_DAY, rule)  # charged on Feb 20; Feb 21 charges nothing
    servicing = ServicingTerms(late_fee=rule)
    assert _with_late_fee(before, date(2026, 2, 21), POLICY, CN_PACK, servicing) is before
    assert _with_late_fee(before, date(2026, 2, 21), POLICY, CN_PACK, ServicingTerms()) is before
