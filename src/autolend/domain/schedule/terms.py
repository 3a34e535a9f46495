"""Loan terms: everything a repayment schedule depends on, validated on construction.

A :class:`LoanTerms` is a frozen value; derive a variant (a new balance after a
prepayment, a new start) with :func:`dataclasses.replace`, which re-runs validation:

>>> from autolend.domain.money import Money
>>> terms = LoanTerms(principal=Money.of_minor(500_000, "CNY"), annual_rate=Decimal("0.12"),
...                   periods=18, start=date(2022, 11, 1))
>>> replace(terms, principal=Money.of_minor(400_000, "CNY")).principal.to_api()
'4000.00'

Every rejected value raises :class:`~autolend.domain.errors.InvalidInput` whose
``field`` is the offending field's name (``"principal"``, ``"first_due"`` ...).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from autolend.domain.daycount import DayCount
from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money, RoundingMode
from autolend.domain.schedule import validation as v
from autolend.domain.schedule.enums import Frequency, GraceKind, InterestBasis, Method
from autolend.domain.schedule.validation import MAX_PERIODS

__all__ = [
    "MAX_PERIODS",
    "Frequency",
    "GraceKind",
    "InterestBasis",
    "LoanTerms",
    "Method",
    "Subsidy",
]


@dataclass(frozen=True, slots=True)
class Subsidy:
    """An interest subsidy (贴息): the borrower pays ``customer_rate``, the
    ``subsidiser`` (e.g. ``"oem"``, ``"dealer"``, ``"state"``) pays the lender the rest
    of the contract-rate interest.  ``customer_rate`` 0 is a 0 % promotion."""

    customer_rate: Decimal
    subsidiser: str

    def __post_init__(self) -> None:
        v.check_rate(self.customer_rate, "subsidy")
        if not isinstance(self.subsidiser, str) or not self.subsidiser.strip():
            raise InvalidInput("subsidiser must be a non-empty name", field="subsidy")


@dataclass(frozen=True, slots=True, kw_only=True)
class LoanTerms:
    """The contract terms of one loan; amounts in :class:`Money`, rates as Decimal.

    * ``principal`` > 0; ``annual_rate`` 0..1 (0.12 is 12 % a year);
      ``periods`` 1..480 regular (amortising) periods.
    * ``start`` is the disbursement date; ``first_due`` defaults to one period later
      (or, with ``due_day``, the first such day at least 15 days after ``start``).
    * ``grace_periods`` come *in addition to* ``periods``: a schedule has
      ``grace_periods + periods`` rows, the first ``grace_periods`` of which follow
      ``grace_kind``.
    * ``installment_multiple`` (minor units) is what the level amount is rounded to
      with ``rounding``: 1 is to the fen, 100 to the whole yuan.
    * ``balloon`` (or ``balloon_ratio_of_price`` x ``vehicle_price``) is the residual
      of the balloon method; ``step_weights`` drive the step method.
    """

    principal: Money
    annual_rate: Decimal
    periods: int
    start: date
    frequency: Frequency = Frequency.MONTHLY
    method: Method = Method.EQUAL_INSTALLMENT
    first_due: date | None = None
    interest_basis: InterestBasis = InterestBasis.PERIOD
    day_count: DayCount = DayCount.ACT_360
    rounding: RoundingMode = RoundingMode.HALF_UP
    installment_multiple: int = 1
    due_day: int | None = None
    sticky_end_of_month: bool = True
    balloon: Money | None = None
    balloon_ratio_of_price: Decimal | None = None
    vehicle_price: Money | None = None
    step_weights: tuple[Decimal, ...] | None = None
    grace_periods: int = 0
    grace_kind: GraceKind = GraceKind.INTEREST_ONLY
    subsidy: Subsidy | None = None

    def __post_init__(self) -> None:
        for name, kind in _ENUM_FIELDS:
            object.__setattr__(self, name, v.coerce_enum(getattr(self, name), kind, name))
        if self.step_weights is not None:
            weights = v.coerce_weights(self.step_weights)
            object.__setattr__(self, "step_weights", weights)
        if self.subsidy is not None and not isinstance(self.subsidy, Subsidy):
            raise InvalidInput("subsidy must be a Subsidy or None", field="subsidy")
        v.check_amounts(self)
        v.check_counts(self)
        v.check_dates(self)
        v.check_method_inputs(self)

    @property
    def total_periods(self) -> int:
        """Rows in the schedule: grace periods plus regular periods."""
        return self.grace_periods + self.periods

    def balloon_amount(self) -> Money | None:
        """The balloon in money: ``balloon`` as given, else price x ratio rounded by
        ``rounding`` (120,000.00 x 0.3 = 36,000.00), else ``None``."""
        if self.balloon is not None:
            return self.balloon
        if self.balloon_ratio_of_price is None or self.vehicle_price is None:
            return None
        return self.vehicle_price.multiply(self.balloon_ratio_of_price, self.rounding)

    def with_balance(self, balance: Money, start: date, periods: int) -> LoanTerms:
        """Terms for re-amortising ``balance`` from ``start`` over ``periods`` periods
        (e.g. after a prepayment); grace and ``first_due`` are cleared."""
        return replace(self, principal=balance, start=start, periods=periods,
                       first_due=None, grace_periods=0)  # fmt: skip


_ENUM_FIELDS: tuple[tuple[str, type[StrEnum]], ...] = (
    ("frequency", Frequency),
    ("method", Method),
    ("interest_basis", InterestBasis),
    ("day_count", DayCount),
    ("grace_kind", GraceKind),
)
