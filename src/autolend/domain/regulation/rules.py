"""The shapes of regulation rules and how an effective-dated value is looked up."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Generic, TypeVar

from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money

T = TypeVar("T")


@dataclass(frozen=True)
class Effective(Generic[T]):
    """A value in force from ``since`` (inclusive) until the next entry's ``since``."""

    since: date
    value: T
    source: str
    confidence: str = "sec"


def in_force(history: Sequence[Effective[T]], on: date, rule: str) -> T:
    """The value of ``rule`` in force on ``on``: the last entry with ``since <= on``.

    History [(2024-01-01, a), (2025-05-20, b)]: on 2025-05-19 -> a, on 2025-05-20 -> b.
    """
    found: Effective[T] | None = None
    for entry in sorted(history, key=lambda e: e.since):
        if entry.since <= on:
            found = entry
    if found is None:
        raise InvalidInput(f"no {rule} rule in force on {on.isoformat()}", field="as_of")
    return found.value


@dataclass(frozen=True)
class CostCeiling:
    """Comprehensive cost ceiling: every borrower cost (interest, fees, penalty) as an
    annual rate must stay at or below ``ceiling``; warn from ``warn_at``."""

    ceiling: Decimal
    warn_at: Decimal


@dataclass(frozen=True)
class PenaltyUplift:
    """Penalty rate = contract rate x (1 + uplift), uplift within [low, high]."""

    low: Decimal
    high: Decimal
    default: Decimal


@dataclass(frozen=True)
class TermLimits:
    """Longest term in months, extensions included."""

    new_car_months: int
    used_car_months: int


@dataclass(frozen=True)
class LoanPrimeRate:
    one_year: Decimal
    five_year: Decimal


@dataclass(frozen=True)
class RegulationPack:
    code: str
    name: str
    currency: str
    locale: str
    timezone: str
    cost_ceilings: tuple[Effective[CostCeiling], ...]
    penalty_uplifts: tuple[Effective[PenaltyUplift], ...]
    term_limits: tuple[Effective[TermLimits], ...]
    loan_prime_rates: tuple[Effective[LoanPrimeRate], ...] = ()
    day_count_basis: int = 360
    # Whether overdue interest bears the penalty rate too (CN 复利, PBOC 2003); US practice
    # charges a late fee instead, so overdue interest there bears nothing more.
    compounds_overdue_interest: bool = True
    # Whether a late fee may fall on an installment paid in full and on time but for an
    # earlier late fee (CN: no rule against it); the FTC Credit Practices Rule forbids
    # this "pyramiding" (16 CFR 444.4), so there money short only by late fees is not late.
    late_fee_pyramiding_allowed: bool = True

    def cost_ceiling(self, on: date) -> CostCeiling:
        return in_force(self.cost_ceilings, on, "cost ceiling")

    def penalty_uplift(self, on: date) -> PenaltyUplift:
        return in_force(self.penalty_uplifts, on, "penalty uplift")

    def term_limits_on(self, on: date) -> TermLimits:
        return in_force(self.term_limits, on, "term limit")

    def lpr(self, on: date) -> LoanPrimeRate:
        return in_force(self.loan_prime_rates, on, "loan prime rate")


def cost_cap_amount(principal: Money, ceiling: Decimal, days: int, basis: int = 360) -> Money:
    """The most a borrower may be charged in total (interest, fees, penalty) on
    ``principal`` over ``days`` under an annual ceiling, read as simple interest and
    rounded down to the fen (never past the cap).

    Example: 100,000.00 at 24 % over 90 days on a 360-day year: 100,000 x 0.24 x 90 / 360
    = 6,000.00.

    >>> cost_cap_amount(Money.parse("100000", "CNY"), Decimal("0.24"), 90).to_api()
    '6000.00'
    >>> cost_cap_amount(Money.parse("12000", "CNY"), Decimal("0.24"), 32).to_api()
    '256.00'
    """
    if days < 0:
        raise InvalidInput("days must not be negative", field="days")
    if principal.is_negative():
        raise InvalidInput("principal must not be negative", field="principal")
    # Exact: multiply before dividing, then round down once (0.24 x 32 / 360 has no finite
    # decimal form, so a Decimal factor would lose the last fen).
    cap = Fraction(principal.minor) * Fraction(ceiling) * days / basis
    return Money(math.floor(cap), principal.currency)
