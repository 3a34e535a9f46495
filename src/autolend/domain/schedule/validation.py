"""Checks behind :class:`~autolend.domain.schedule.terms.LoanTerms`.

Each check raises :class:`InvalidInput` naming the offending field, e.g. a rate of
1.5 (150 %) fails with ``field="annual_rate"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

from autolend.domain.choices import coerce_enum
from autolend.domain.errors import CurrencyMismatch, InvalidInput
from autolend.domain.money import Money, RoundingMode
from autolend.domain.schedule.enums import Method
from autolend.domain.schedule.rounding import CONTEXT

if TYPE_CHECKING:
    from autolend.domain.schedule.terms import LoanTerms

__all__ = [
    "MAX_PERIODS",
    "check_amounts",
    "check_counts",
    "check_dates",
    "check_method_inputs",
    "check_rate",
    "coerce_enum",
    "coerce_weights",
]

MAX_PERIODS = 480
"""Most rows a schedule may have, grace periods included (40 years of months)."""

MAX_DUE_DAY = 28
"""A fixed repayment day must exist in every month, February included."""

_RATE_QUANTUM = Decimal("1e-10")

E = TypeVar("E", bound=StrEnum)


def _fail(field: str, problem: str) -> InvalidInput:
    return InvalidInput(f"{field} {problem}", field=field)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_date(value: object) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def check_rate(value: object, field: str) -> Decimal:
    """A rate is a finite Decimal fraction from 0 to 1 inclusive (0 % to 100 %) with at
    most 10 decimal places (so interest products stay exact): 0.049 is 4.9 %."""
    if not isinstance(value, Decimal):
        raise _fail(field, f"must be a Decimal fraction such as 0.12, got {value!r}")
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(1):
        raise _fail(field, f"must be between 0 and 1 (0 % to 100 %), got {value}")
    if value != value.quantize(_RATE_QUANTUM, rounding=ROUND_DOWN, context=CONTEXT):
        raise _fail(field, f"must have at most 10 decimal places, got {value}")
    return value


def coerce_weights(weights: object) -> tuple[Decimal, ...]:
    """Step weights: a sequence of finite non-negative Decimals (ints allowed)."""
    if not isinstance(weights, Sequence) or isinstance(weights, str | bytes):
        raise _fail("step_weights", "must be a sequence of Decimal weights")
    result: list[Decimal] = []
    for weight in weights:
        if not (_is_int(weight) or isinstance(weight, Decimal)):
            raise _fail("step_weights", f"must hold Decimal weights, got {weight!r}")
        exact = Decimal(weight)
        if not exact.is_finite() or exact < 0:
            raise _fail("step_weights", f"must be finite and >= 0, got {weight}")
        result.append(exact)
    return tuple(result)


def _check_money(value: object, field: str, principal: Money) -> Money:
    if not isinstance(value, Money):
        raise _fail(field, f"must be Money, got {type(value).__name__}")
    if value.currency != principal.currency:
        message = f"{field} is in {value.currency.code}, the loan in {principal.currency.code}"
        raise CurrencyMismatch(message, field=field)
    return value


def check_amounts(terms: LoanTerms) -> None:
    """Principal > 0, rate 0..1, amounts in the loan's currency, subsidy below the rate."""
    if not isinstance(terms.principal, Money):
        raise _fail("principal", f"must be Money, got {type(terms.principal).__name__}")
    if terms.principal.minor <= 0:
        raise _fail("principal", f"must be positive, got {terms.principal}")
    rate = check_rate(terms.annual_rate, "annual_rate")
    for field in ("balloon", "vehicle_price"):
        if getattr(terms, field) is not None:
            _check_money(getattr(terms, field), field, terms.principal)
    subsidy = terms.subsidy
    if subsidy is not None and not subsidy.customer_rate < rate:
        problem = f"customer rate {subsidy.customer_rate} must be below the rate {rate}"
        raise _fail("subsidy", problem)


def _check_int(value: object, field: str, low: int, high: int) -> int:
    if not _is_int(value):
        raise _fail(field, f"must be an int, got {value!r}")
    assert isinstance(value, int)
    if not low <= value <= high:
        raise _fail(field, f"must be from {low} to {high}, got {value}")
    return value


def check_counts(terms: LoanTerms) -> None:
    """Periods 1..480 including grace, multiple >= 1, rounding a RoundingMode."""
    _check_int(terms.periods, "periods", 1, MAX_PERIODS)
    _check_int(terms.grace_periods, "grace_periods", 0, MAX_PERIODS - terms.periods)
    _check_int(terms.installment_multiple, "installment_multiple", 1, 10**9)
    if not isinstance(terms.rounding, RoundingMode):
        raise _fail("rounding", f"must be a RoundingMode, got {terms.rounding!r}")
    if not isinstance(terms.sticky_end_of_month, bool):
        raise _fail("sticky_end_of_month", "must be True or False")


def check_dates(terms: LoanTerms) -> None:
    """``start`` a date; ``first_due`` after it; ``due_day`` 1..28 on month frequencies."""
    if not _is_date(terms.start):
        raise _fail("start", f"must be a date, got {terms.start!r}")
    first_due = terms.first_due
    if first_due is not None:
        if not _is_date(first_due):
            raise _fail("first_due", f"must be a date, got {first_due!r}")
        if first_due <= terms.start:
            raise _fail("first_due", f"{first_due} must be after the start {terms.start}")
    _check_within_calendar(terms)
    if terms.due_day is None:
        return
    day = _check_int(terms.due_day, "due_day", 1, MAX_DUE_DAY)
    if terms.frequency.months == 0:
        raise _fail("due_day", f"applies to monthly or quarterly loans, not {terms.frequency}")
    if first_due is not None and first_due.day != day:
        raise _fail("first_due", f"{first_due} does not fall on the due day {day}")


def _check_within_calendar(terms: LoanTerms) -> None:
    """Every due date must exist: 480 monthly payments from 9990-01-01 would fall after
    9999-12-31 (the field named is the date the payments count from, not "months").
    Counted from the first due date (its payments and one period for a due day pushed
    later) or else from the start (one period more: the first due date)."""
    anchor, field = (terms.first_due, "first_due") if terms.first_due else (terms.start, "start")
    periods = terms.total_periods + (0 if terms.first_due else 1)
    step = terms.frequency
    months_left = (date.max.year - anchor.year) * 12 + date.max.month - anchor.month
    if step.months * periods > months_left or step.days * periods > (date.max - anchor).days:
        problem = f"{anchor} leaves no room for {terms.total_periods} payments before 9999-12-31"
        raise _fail(field, problem)


def check_method_inputs(terms: LoanTerms) -> None:
    """Balloon and step inputs are present exactly when their method is chosen."""
    balloon_given = (
        terms.balloon is not None
        or terms.balloon_ratio_of_price is not None
        or terms.vehicle_price is not None
    )
    if terms.method is Method.BALLOON:
        _check_balloon(terms)
    elif balloon_given:
        raise _fail("balloon", f"applies only to the balloon method, not {terms.method}")
    if terms.method is Method.STEP:
        _check_step_weights(terms)
    elif terms.step_weights is not None:
        raise _fail("step_weights", f"apply only to the step method, not {terms.method}")


def _check_balloon(terms: LoanTerms) -> None:
    if terms.balloon is not None and terms.balloon_ratio_of_price is not None:
        raise _fail("balloon", "give an amount or a ratio of the price, not both")
    if terms.balloon_ratio_of_price is not None:
        ratio = check_rate(terms.balloon_ratio_of_price, "balloon_ratio_of_price")
        if terms.vehicle_price is None or terms.vehicle_price.minor <= 0:
            raise _fail("vehicle_price", "must be a positive price to apply the ratio to")
        if ratio <= 0:
            raise _fail("balloon_ratio_of_price", "must be above 0")
    elif terms.vehicle_price is not None:
        raise _fail("balloon_ratio_of_price", "is needed with a vehicle price")
    balloon = terms.balloon_amount()
    if balloon is None:
        raise _fail("balloon", "is required by the balloon method")
    if not 0 < balloon.minor < terms.principal.minor:
        raise _fail("balloon", f"{balloon} must be above 0 and below the principal")


def _check_step_weights(terms: LoanTerms) -> None:
    weights = terms.step_weights
    if weights is None:
        raise _fail("step_weights", "are required by the step method")
    if len(weights) not in (terms.periods, 12):
        problem = f"must have one weight per period ({terms.periods}) or 12, got {len(weights)}"
        raise _fail("step_weights", problem)
    used = weights if len(weights) == terms.periods else weights[: terms.periods]
    if not any(used):  # a 12-long pattern on a shorter loan only uses its start
        raise _fail("step_weights", "must not all be zero over the loan's periods")
