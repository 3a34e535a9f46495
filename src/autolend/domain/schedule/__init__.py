"""Repayment schedules for car loans: pure domain, standard library only.

Amounts are integer minor units (fen) carried as :class:`~autolend.domain.money.Money`;
rates are Decimal fractions (0.12 is 12 % a year).  Interest is computed in Decimal and
becomes minor units only in :mod:`.rounding`, with the loan's named rounding mode.

>>> from datetime import date
>>> from decimal import Decimal
>>> from autolend.domain.money import Money
>>> terms = LoanTerms(principal=Money.parse("5000", "CNY"), annual_rate=Decimal("0.12"),
...                   periods=18, start=date(2022, 11, 1))
>>> schedule = build_schedule(terms)
>>> schedule.regular_installment.to_api(), schedule.to_dict()["rows"][0]["interest"]
('304.91', '50.00')

Modules: :mod:`.terms` (validated inputs), :mod:`.dates` (due dates, irregular first
period), :mod:`.methods` (per-method targets), :mod:`.engine` (rows),
:mod:`.subsidy` (rate buy-downs), :mod:`.result` (rows, totals, wire form).
"""

from __future__ import annotations

from autolend.domain.daycount import DayCount
from autolend.domain.money import RoundingMode
from autolend.domain.schedule.dates import default_first_due, due_dates
from autolend.domain.schedule.engine import build_schedule, regular_installment
from autolend.domain.schedule.enums import Frequency, GraceKind, InterestBasis, Method
from autolend.domain.schedule.methods import annuity_installment, step_base
from autolend.domain.schedule.result import RowAmount, Schedule, ScheduleRow
from autolend.domain.schedule.rounding import round_interest, round_to_multiple
from autolend.domain.schedule.terms import MAX_PERIODS, LoanTerms, Subsidy

__all__ = [
    "MAX_PERIODS",
    "DayCount",
    "Frequency",
    "GraceKind",
    "InterestBasis",
    "LoanTerms",
    "Method",
    "RoundingMode",
    "RowAmount",
    "Schedule",
    "ScheduleRow",
    "Subsidy",
    "annuity_installment",
    "build_schedule",
    "default_first_due",
    "due_dates",
    "regular_installment",
    "round_interest",
    "round_to_multiple",
    "step_base",
]
