"""US Regulation Z actuarial APR: 12 CFR 1026 Appendix J, single-advance transactions.

Paragraphs followed (Appendix J (b)):

* (b)(1): APR = unit-period rate x unit-periods per year.
* (b)(3)(iv): all months are equal; a full month runs from a date to the corresponding
  date of a later month, or to that month's end when it has no such date.
* (b)(5)(i): days between dates are whole calendar days.
* (b)(5)(ii): monthly unit-period: full months are counted back from the later date; the
  days from the earlier date to the start of the first full month, over 30, are the
  fraction; 12 a year.
* (b)(5)(iii): semimonthly or a multiple of a month: days = 30 x full months (counted
  back) + remaining days, divided by 15 (24 a year) or 30 x months (12 / months a year).
* (b)(5)(iv): weekly or a multiple of a week: actual days over 7 x weeks (52 / weeks).
* (b)(5)(v): yearly: full years counted back; the rest is months / 12 when whole
  months, else days / 365.
* (b)(8): the general equation ``A = sum_k P_k / ((1 + f_k i) (1 + i) ** t_k)``, ``t_k``
  the full unit-periods and ``f_k`` the fraction from the advance to payment ``k``.

The unit-period itself is the caller's choice, per (b)(4): the most common payment
period, or for a single-advance, single-payment loan the term (at most a year, so pass
``"annual"`` for a 12-month single payment).  Accuracy tolerances are 1026.22(a)(2), (3).
The closed-end disclosures of 1026.18 that go with the APR are
:func:`closed_end_disclosures`.

>>> payments = [(add_months(date(1978, 2, 10), k), Decimal(230)) for k in range(24)]
>>> regz_apr(Decimal(5000), payments, date(1978, 1, 10), "monthly").apr
Decimal('9.69')
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from fractions import Fraction

from autolend.domain.apr import AnnualisedRate, check_loan, decimal_context, solve_rate
from autolend.domain.calendar import add_months
from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money

__all__ = [
    "FREQUENCIES", "ClosedEndDisclosures", "DayCount", "RegZResult", "UnitPeriod",
    "closed_end_disclosures", "months_back", "regz_apr", "regz_within_tolerance",
]  # fmt: skip

_REGULAR_TOLERANCE = Decimal("0.125")  # 1026.22(a)(2): 1/8 of 1 percentage point
_IRREGULAR_TOLERANCE = Decimal("0.25")  # 1026.22(a)(3): 1/4 of 1 percentage point
_DAYS_PER_MONTH = 30
_DAYS_PER_YEAR = 365
_MONTHS_PER_YEAR = 12


class DayCount(Enum):
    """How Appendix J measures time for a unit-period."""

    ACTUAL_DAYS = "actual days"  # (b)(5)(iv)
    THIRTY_DAY_MONTHS = "30-day months"  # (b)(5)(ii), (iii)
    YEARS = "years"  # (b)(5)(v)


@dataclass(frozen=True, slots=True)
class UnitPeriod:
    """An Appendix J unit-period: ``days`` long as its day count measures it.

    >>> UnitPeriod.from_frequency("monthly").measure(date(1978, 1, 10), date(1978, 2, 20))
    (1, Fraction(1, 3))
    """

    name: str
    per_year: int
    days: int
    day_count: DayCount

    @classmethod
    def from_frequency(cls, frequency: str) -> UnitPeriod:
        """The unit-period for ``frequency``: one of :data:`FREQUENCIES`."""
        found = _UNIT_PERIODS.get(frequency) if isinstance(frequency, str) else None
        if found is None:
            known = ", ".join(FREQUENCIES)
            message = f"unknown frequency {frequency!r}; use one of {known}"
            raise InvalidInput(message, field="frequency")
        return found

    def measure(self, start: date, end: date) -> tuple[int, Fraction]:
        """Full unit-periods ``t`` and the fraction ``f`` (``0 <= f <= 1``) from
        ``start`` to a later ``end``, by Appendix J (b)(5)."""
        if self.day_count is DayCount.ACTUAL_DAYS:
            return _whole_and_fraction(Fraction((end - start).days, self.days))
        months, odd_days = months_back(start, end)
        if self.day_count is DayCount.THIRTY_DAY_MONTHS:
            days = _DAYS_PER_MONTH * months + odd_days
            return _whole_and_fraction(Fraction(days, self.days))
        years, extra_months = divmod(months, _MONTHS_PER_YEAR)
        if odd_days == 0:
            return years, Fraction(extra_months, _MONTHS_PER_YEAR)
        year_start = add_months(end, -_MONTHS_PER_YEAR * years)
        return years, Fraction((year_start - start).days, _DAYS_PER_YEAR)


_UNIT_PERIODS = {
    "weekly": UnitPeriod("weekly", 52, 7, DayCount.ACTUAL_DAYS),
    "biweekly": UnitPeriod("biweekly", 26, 14, DayCount.ACTUAL_DAYS),
    "semimonthly": UnitPeriod("semimonthly", 24, 15, DayCount.THIRTY_DAY_MONTHS),
    "monthly": UnitPeriod("monthly", 12, 30, DayCount.THIRTY_DAY_MONTHS),
    "quarterly": UnitPeriod("quarterly", 4, 90, DayCount.THIRTY_DAY_MONTHS),
    "annual": UnitPeriod("annual", 1, 365, DayCount.YEARS),
}
FREQUENCIES = tuple(_UNIT_PERIODS)
"""Supported frequencies: weekly, biweekly, semimonthly, monthly, quarterly, annual."""


def _whole_and_fraction(units: Fraction) -> tuple[int, Fraction]:
    whole = units.numerator // units.denominator
    return whole, units - whole


def months_back(start: date, end: date) -> tuple[int, int]:
    """Full months counted back from ``end`` to no earlier than ``start``, and the odd
    days left between ``start`` and the first full month ((b)(3)(iv), (b)(5)(ii)).

    A month-end ``end`` is a full month after any later day of the previous month:

    >>> months_back(date(1978, 1, 10), date(1978, 2, 20))
    (1, 10)
    >>> months_back(date(2023, 1, 31), date(2023, 2, 28))
    (1, 0)
    """
    months = max(0, (end.year - start.year) * 12 + end.month - start.month)
    while months > 0 and add_months(end, -months) < start:
        months -= 1
    if add_months(start, months + 1) == end:  # no corresponding date: month end
        return months + 1, 0
    return months, (add_months(end, -months) - start).days


@dataclass(frozen=True, slots=True)
class RegZResult:
    """An Appendix J APR.  ``apr``: percent, half-up to 2 decimals; ``apr_exact``: percent
    at full precision; ``odd_days_fraction``: ``f`` of the first payment;
    ``first_period``: unit-periods from the advance to the first payment (``t + f``);
    ``regular``: not an irregular transaction under 1026.22(a)(3); ``unit_period_rate``:
    the solved ``i`` of (b)(8), a fraction (the APR is ``i`` x unit-periods a year)."""

    apr: Decimal
    apr_exact: Decimal
    unit_periods_per_year: int
    odd_days_fraction: Fraction
    regular: bool
    first_period: Fraction
    unit_period_rate: Decimal

    def annualised(self) -> AnnualisedRate:
        """The APR as an :class:`~autolend.domain.apr.AnnualisedRate`: its nominal rate is
        the APR (``nominal_percent()`` equals ``apr``), its effective rate compounds ``i``
        over the unit-periods of a year."""
        return AnnualisedRate(self.unit_period_rate, self.unit_periods_per_year)


def _schedule(
    payments: Sequence[tuple[date, Decimal | Money]],
) -> tuple[list[date], list[Decimal | Money]]:
    if isinstance(payments, str | bytes):
        raise InvalidInput("payments must be (date, amount) pairs", field="payments")
    dates = [when for when, _ in payments]
    for when in dates:
        if isinstance(when, datetime) or not isinstance(when, date):
            raise TypeError(f"payment dates must be datetime.date, got {type(when).__name__}")
    return dates, [amount for _, amount in payments]


def _check_dates(advance_date: date, dates: Sequence[date]) -> None:
    if isinstance(advance_date, datetime) or not isinstance(advance_date, date):
        raise TypeError(f"advance_date must be a datetime.date, got {advance_date!r}")
    if dates[0] <= advance_date:
        message = f"the first payment ({dates[0]}) must fall after the advance ({advance_date})"
        raise InvalidInput(message, field="first_payment")
    for k in range(1, len(dates)):
        if dates[k] <= dates[k - 1]:
            message = f"payment {k + 1} ({dates[k]}) is not after payment {k} ({dates[k - 1]})"
            raise InvalidInput(message, field="payments")


def _one_unit_apart(
    unit: UnitPeriod, dates: Sequence[date], positions: Sequence[Fraction], k: int
) -> bool:
    """Whether payment ``k`` (k >= 1) is one unit-period after payment ``k - 1``: measured
    from that payment, or from the advance (so month-end monthly schedules count), or,
    semimonthly (e.g. the 1st and 16th), 13 to 17 days (30-day months) after payment
    ``k - 1`` and, from the third payment on, one full month after payment ``k - 2``."""
    t, f = unit.measure(dates[k - 1], dates[k])
    if t + f == 1 or positions[k] - positions[k - 1] == 1:
        return True
    if unit.name != "semimonthly":
        return False
    months, odd_days = months_back(dates[k - 1], dates[k])
    if not 13 <= _DAYS_PER_MONTH * months + odd_days <= 17:  # 15 days, give or take 2
        return False
    return k < 2 or months_back(dates[k - 2], dates[k]) == (1, 0)


def _is_regular(
    unit: UnitPeriod, dates: Sequence[date], paid: Sequence[Decimal], positions: Sequence[Fraction]
) -> bool:
    """1026.22(a)(3): a transaction is irregular with "irregular payment periods, or
    irregular payment amounts (other than an irregular first period or an irregular
    first or final payment)"; a single advance is assumed."""
    if len(set(paid[1:-1])) > 1:
        return False
    return all(_one_unit_apart(unit, dates, positions, k) for k in range(1, len(dates)))


def regz_apr(
    amount_financed: Decimal | Money,
    payments: Sequence[tuple[date, Decimal | Money]],
    advance_date: date,
    frequency: str,
) -> RegZResult:
    """The Appendix J actuarial APR of a single-advance loan (general equation (b)(8)).

    App. J (c)(1)(i): 5,000 financed, 24 monthly payments of 230 from one month after the
    advance: APR 9.69 %.  With the first payment 10 days later the odd-days fraction is
    10/30 and the APR falls to 9.42 %:

    >>> late = [(add_months(date(1978, 2, 20), k), Decimal(230)) for k in range(24)]
    >>> r = regz_apr(Decimal(5000), late, date(1978, 1, 10), "monthly")
    >>> r.apr, r.odd_days_fraction, r.regular
    (Decimal('9.42'), Fraction(1, 3), True)
    """
    unit = UnitPeriod.from_frequency(frequency)
    dates, amounts = _schedule(payments)
    amount, paid = check_loan(amount_financed, amounts)
    _check_dates(advance_date, dates)
    periods = [unit.measure(advance_date, when) for when in dates]
    with decimal.localcontext(decimal_context()):
        terms = [
            (p, Decimal(f.numerator) / f.denominator, t)
            for p, (t, f) in zip(paid, periods, strict=True)
        ]

        def balance(i: Decimal) -> Decimal:
            present = sum((p / ((1 + f * i) * (1 + i) ** t) for p, f, t in terms), Decimal(0))
            return present - amount

        rate = solve_rate(balance, Decimal(0), Decimal("0.1"))
        exact = rate * unit.per_year * 100
        rounded = exact.quantize(Decimal("0.01"), rounding=decimal.ROUND_HALF_UP)
    positions = [t + f for t, f in periods]
    regular = _is_regular(unit, dates, paid, positions)
    first = positions[0]
    return RegZResult(rounded, exact, unit.per_year, periods[0][1], regular, first, rate)


def regz_within_tolerance(
    disclosed_apr_percent: Decimal, exact_apr_percent: Decimal, *, regular: bool
) -> bool:
    """Whether a disclosed APR is accurate: within 1/8 of a percentage point of the exact
    one for a regular transaction (1026.22(a)(2)), 1/4 for an irregular one ((a)(3)).

    >>> regz_within_tolerance(Decimal("9.81"), Decimal("9.6857"), regular=True)
    True
    >>> regz_within_tolerance(Decimal("9.82"), Decimal("9.6857"), regular=True)
    False
    """
    limit = _REGULAR_TOLERANCE if regular else _IRREGULAR_TOLERANCE
    with decimal.localcontext(decimal_context()):
        return abs(disclosed_apr_percent - exact_apr_percent) <= limit


@dataclass(frozen=True, slots=True)
class ClosedEndDisclosures:
    """The Truth-in-Lending figures of a closed-end credit sale or loan (1026.18).

    ``amount_financed`` (b): the principal less the prepaid finance charges (fees paid in
    cash at signing or withheld from the proceeds); ``total_of_payments`` (h): the sum of
    the scheduled payments; ``finance_charge`` (d): total of payments - amount financed;
    ``total_sale_price`` (j), a credit sale only: cash price + finance charge (commentary
    18(j)-1; the same as down payment + total of payments + prepaid finance charges paid
    in cash), None for a loan without a cash price; ``rate``: the Appendix J APR of the
    amount financed against the scheduled payments (``rate.apr``, percent).
    """

    amount_financed: Money
    finance_charge: Money
    total_of_payments: Money
    total_sale_price: Money | None
    rate: RegZResult

    @property
    def apr(self) -> Decimal:
        """The disclosed APR in percent, half-up to 2 places (e.g. ``Decimal('9.69')``)."""
        return self.rate.apr


def closed_end_disclosures(
    amount_financed: Money,
    payments: Sequence[tuple[date, Money]],
    advance_date: date,
    frequency: str,
    *,
    cash_price: Money | None = None,
) -> ClosedEndDisclosures:
    """The 1026.18 figures of a single advance of ``amount_financed`` on ``advance_date``
    repaid by ``payments`` (date, amount); rows of zero (a payment holiday) are no
    payment and are left out.

    App. J (c)(1)(i): 5,000.00 financed, 24 monthly payments of 230.00: total of payments
    5,520.00, finance charge 520.00, APR 9.69 %; bought for 5,500.00 (500.00 down), the
    total sale price is 5,500.00 + 520.00 = 6,020.00 (= 500.00 + 5,520.00).

    >>> usd = lambda text: Money.parse(text, "USD")
    >>> rows = [(add_months(date(1978, 2, 10), k), usd("230")) for k in range(24)]
    >>> d = closed_end_disclosures(usd("5000"), rows, date(1978, 1, 10), "monthly",
    ...     cash_price=usd("5500"))
    >>> d.total_of_payments.to_api(), d.finance_charge.to_api(), d.total_sale_price.to_api()
    ('5520.00', '520.00', '6020.00')
    >>> d.apr
    Decimal('9.69')
    """
    scheduled = [(when, amount) for when, amount in payments if amount.minor != 0]
    rate = regz_apr(amount_financed, scheduled, advance_date, frequency)
    total = Money(sum(amount.minor for _, amount in scheduled), amount_financed.currency)
    charge = total - amount_financed
    sale_price = None if cash_price is None else cash_price + charge
    return ClosedEndDisclosures(amount_financed, charge, total, sale_price, rate)
