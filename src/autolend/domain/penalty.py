"""Penalty interest (罚息) and compound interest (复利) on overdue amounts, under a ceiling.

The PBOC rule: from the day after a due date, overdue principal bears the *penalty rate*
``contract rate x (1 + uplift)`` with an uplift of 30 % to 50 % (50 % to 100 % for
misuse of funds), and unpaid interest compounds at the penalty rate.  Penalty never
bears further penalty (no penalty on penalty).  Each day's accrual is rounded half-up
to the fen; the daily rate is the annual penalty rate / 360 (ACT/360, the bank
convention) or / 365.  Under the US pack the uplift is 0 and nothing compounds (a late
fee is charged instead): the pack says which (``compounds_overdue_interest``).

The comprehensive cost ceiling (24 % a year for licensed lenders, everything included)
caps it: the caller turns the ceiling into an amount and passes what the borrower has
already been charged; accrual stops on the day it would go past, that day being cut to
land exactly on the ceiling.

Worked example: 10,000.00 overdue principal at a 6 % contract rate with a 50 % uplift:
penalty rate 9 % a year, 10,000.00 x 0.09 / 360 = 2.50 a day; 300.00 of overdue
interest compounds at 0.075 -> 0.08 a day.

>>> from autolend.domain.money import Money
>>> principal, interest = Money.parse("10000", "CNY"), Money.parse("300", "CNY")
>>> daily_penalty(principal, interest, Decimal("0.06"), PenaltyPolicy())
PenaltyAccrual(penalty_on_principal=250, compound_on_interest=8)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from autolend.domain.daycount import DayCount
from autolend.domain.errors import CurrencyMismatch, InvalidInput
from autolend.domain.money import Money, RoundingMode
from autolend.domain.regulation import RegulationPack, cost_cap_amount
from autolend.domain.schedule import round_interest
from autolend.domain.schedule.rounding import CONTEXT
from autolend.domain.schedule.validation import check_rate, coerce_enum

__all__ = [
    "PenaltyAccrual", "PenaltyPolicy", "PenaltyResult", "accrue_penalty",
    "ceiling_amount_from_pack", "charges_penalty_interest", "daily_penalty", "penalty_rate",
    "policy_from_pack",
]  # fmt: skip

_DAYS_IN_YEAR = {DayCount.ACT_360: 360, DayCount.ACT_365: 365}


def _fail(field: str, problem: str) -> InvalidInput:
    return InvalidInput(f"{field} {problem}", field=field)


@dataclass(frozen=True, slots=True, kw_only=True)
class PenaltyPolicy:
    """How penalty interest is charged.

    ``uplift``: the penalty rate is the contract rate x (1 + uplift); the rule allows
    0.3 to 0.5 (0.5 to 1 for misuse of funds), so 0..1 is accepted.
    ``compound_overdue_interest``: overdue interest bears the penalty rate too.
    ``day_count``: ACT/360 (daily rate = annual / 360) or ACT/365.
    ``rounding``: of each day's accrual to the fen (half-up by default).
    """

    uplift: Decimal = Decimal("0.5")
    compound_overdue_interest: bool = True
    day_count: DayCount = DayCount.ACT_360
    rounding: RoundingMode = RoundingMode.HALF_UP

    def __post_init__(self) -> None:
        check_rate(self.uplift, "uplift")
        if not isinstance(self.compound_overdue_interest, bool):
            raise _fail("compound_overdue_interest", "must be True or False")
        day_count = coerce_enum(self.day_count, DayCount, "day_count")
        if day_count not in _DAYS_IN_YEAR:
            raise _fail(
                "day_count", f"must be ACT/360 or ACT/365 for daily accrual, got {day_count}"
            )
        object.__setattr__(self, "day_count", day_count)
        if not isinstance(self.rounding, RoundingMode):
            raise _fail("rounding", f"must be a RoundingMode, got {self.rounding!r}")


def penalty_rate(contract_rate: Decimal, policy: PenaltyPolicy) -> Decimal:
    """The annual penalty rate: contract rate x (1 + uplift); 6 % x 1.5 = 9 %.

    >>> penalty_rate(Decimal("0.06"), PenaltyPolicy(uplift=Decimal("0.3")))
    Decimal('0.078')
    """
    check_rate(contract_rate, "contract_rate")
    return CONTEXT.multiply(contract_rate, CONTEXT.add(1, policy.uplift))  # exact, 50 digits


@dataclass(frozen=True, slots=True)
class PenaltyAccrual:
    """One day's accrual in minor units: penalty on the overdue principal, and compound
    interest on the overdue interest."""

    penalty_on_principal: int
    compound_on_interest: int

    @property
    def total(self) -> int:
        """Both parts together."""
        return self.penalty_on_principal + self.compound_on_interest


@dataclass(frozen=True, slots=True)
class PenaltyResult:
    """Accrual over a run of days.  ``days_accrued`` counts the days that accrued (a
    day cut by the ceiling included); ``ceiling_reached`` is true when the borrower's
    cost has reached the ceiling, so nothing more may accrue."""

    penalty: Money
    compound: Money
    days_accrued: int
    ceiling_reached: bool

    @property
    def total(self) -> Money:
        """Penalty plus compound interest."""
        return self.penalty + self.compound


def _amount(value: object, field: str, like: Money | None = None) -> Money:
    if not isinstance(value, Money):
        raise _fail(field, f"must be Money, got {type(value).__name__}")
    if like is not None and value.currency != like.currency:
        message = f"{field} is in {value.currency.code}, the overdue principal in "
        raise CurrencyMismatch(message + like.currency.code, field=field)
    if value.is_negative():
        raise _fail(field, f"must be >= 0, got {value}")
    return value


def daily_penalty(
    overdue_principal: Money, overdue_interest: Money, contract_rate: Decimal, policy: PenaltyPolicy
) -> PenaltyAccrual:
    """One day of penalty: ``overdue_principal x penalty rate / 360`` and (when the
    policy compounds) ``overdue_interest x penalty rate / 360``, each rounded by the
    policy's mode (half-up) to the fen.  See the module's worked example."""
    principal = _amount(overdue_principal, "overdue_principal")
    interest = _amount(overdue_interest, "overdue_interest", principal)
    rate = penalty_rate(contract_rate, policy)
    days_in_year = Decimal(_DAYS_IN_YEAR[policy.day_count])
    on_principal = round_interest(principal.minor, rate, days_in_year, policy.rounding)
    on_interest = 0
    if policy.compound_overdue_interest:
        on_interest = round_interest(interest.minor, rate, days_in_year, policy.rounding)
    return PenaltyAccrual(on_principal, on_interest)


def accrue_penalty(
    overdue_principal: Money,
    overdue_interest: Money,
    contract_rate: Decimal,
    policy: PenaltyPolicy,
    days: int,
    *,
    cost_so_far: Money,
    ceiling_amount: Money | None,
) -> PenaltyResult:
    """Penalty and compound interest over ``days`` days on fixed overdue amounts.

    Every day accrues :func:`daily_penalty` (no penalty on penalty, so every day is the
    same).  With ``ceiling_amount``, accrual stops once ``cost_so_far`` plus what has
    accrued would exceed it: the day that would cross is cut to land exactly on the
    ceiling (its penalty part first, then its compound part), and no later day accrues.

    Worked example: 2.58 a day (2.50 + 0.08) for 10 days, 1,000.00 charged so far and a
    ceiling of 1,020.00: 7 full days (18.06), then 1.94 on day 8, all of it penalty:
    penalty 19.44, compound 0.56, 8 days, ceiling reached.

    >>> from autolend.domain.money import Money
    >>> cny = lambda text: Money.parse(text, "CNY")
    >>> result = accrue_penalty(cny("10000"), cny("300"), Decimal("0.06"), PenaltyPolicy(), 10,
    ...                         cost_so_far=cny("1000"), ceiling_amount=cny("1020"))
    >>> result.penalty.to_api(), result.compound.to_api(), result.days_accrued
    ('19.44', '0.56', 8)
    """
    principal = _amount(overdue_principal, "overdue_principal")
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise _fail("days", f"must be an int >= 0, got {days!r}")
    cost = _amount(cost_so_far, "cost_so_far", principal)
    day = daily_penalty(principal, overdue_interest, contract_rate, policy)
    cur = principal.currency
    if ceiling_amount is None:
        penalty, compound = day.penalty_on_principal * days, day.compound_on_interest * days
        return PenaltyResult(Money(penalty, cur), Money(compound, cur), days, False)
    room = _amount(ceiling_amount, "ceiling_amount", principal).minor - cost.minor
    if room <= 0:
        return PenaltyResult(Money.zero(cur), Money.zero(cur), 0, True)
    full_days = days if day.total == 0 else min(days, room // day.total)
    penalty, compound = day.penalty_on_principal * full_days, day.compound_on_interest * full_days
    left = room - full_days * day.total
    accrued_days = full_days
    if full_days < days and left > 0:  # the crossing day, cut to the ceiling
        cut_penalty = min(left, day.penalty_on_principal)
        penalty, compound = penalty + cut_penalty, compound + left - cut_penalty
        accrued_days += 1
    reached = penalty + compound >= room
    return PenaltyResult(Money(penalty, cur), Money(compound, cur), accrued_days, reached)


def charges_penalty_interest(pack: RegulationPack, uplift: Decimal) -> bool:
    """Whether overdue money bears more than the contract rate: an ``uplift`` on it, or
    overdue interest compounding in ``pack`` (CN 复利). A US loan (uplift 0, nothing
    compounded) does not: what it owes on overdue principal is plain interest at the
    contract rate, so people read "overdue interest", not "penalty interest".

    >>> from autolend.domain.regulation import CN_PACK, US_PACK
    >>> charges_penalty_interest(CN_PACK, Decimal("0.5"))
    True
    >>> charges_penalty_interest(US_PACK, Decimal(0))
    False
    """
    return uplift != 0 or pack.compounds_overdue_interest


def policy_from_pack(
    pack: RegulationPack, contract_date: date, uplift: Decimal | None = None
) -> PenaltyPolicy:
    """The penalty policy a regulation pack allows on the contract date: the pack's default
    uplift, or ``uplift`` if it lies within the pack's range (CN: 30 %..50 %), its day
    count, and whether overdue interest compounds (CN: yes, 复利 at the penalty rate; US:
    no, a late fee is charged instead, and with the US range 0..0 the "penalty" on overdue
    principal is interest at the contract rate on a 365-day year).

    >>> from autolend.domain.regulation import CN_PACK, US_PACK
    >>> cn, us = (policy_from_pack(pack, date(2026, 1, 5)) for pack in (CN_PACK, US_PACK))
    >>> cn.uplift, cn.compound_overdue_interest, us.uplift, us.compound_overdue_interest
    (Decimal('0.5'), True, Decimal('0'), False)
    """
    allowed = pack.penalty_uplift(contract_date)
    chosen = allowed.default if uplift is None else uplift
    if not allowed.low <= chosen <= allowed.high:
        raise _fail("uplift", f"must lie within {allowed.low}..{allowed.high} under {pack.code}")
    day_count = DayCount.ACT_360 if pack.day_count_basis == 360 else DayCount.ACT_365
    return PenaltyPolicy(
        uplift=chosen,
        compound_overdue_interest=pack.compounds_overdue_interest,
        day_count=day_count,
    )


def ceiling_amount_from_pack(
    pack: RegulationPack, principal: Money, contract_date: date, days_outstanding: int
) -> Money:
    """The total-cost cap for ``accrue_penalty``: the pack's annual ceiling on the
    principal over the days the loan has run (CN: 24 % a year, 360-day year)."""
    ceiling = pack.cost_ceiling(contract_date).ceiling
    return cost_cap_amount(principal, ceiling, days_outstanding, pack.day_count_basis)
