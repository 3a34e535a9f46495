"""User input for the APR calculators (Reg Z Appendix J and the IRR / 年化利率 calculator),
parsed the same way for the CLI and the API; see :mod:`autolend.domain.schedule_input` for
the conventions (percent strings, decimal amounts, errors naming the input field).

>>> irr_wire(irr_rate(IrrInput(receive="10000", payment="888.49", count=12,
...                            periods_per_year=12)))["nominal"]
'12.00'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from autolend.domain.apr import AnnualisedRate, cn_annualised_rate
from autolend.domain.calendar import add_months
from autolend.domain.regz import RegZResult, UnitPeriod, regz_apr
from autolend.domain.schedule_input import (
    MAX_PAYMENTS,
    _input_fields,
    _text,
    parse_count,
    parse_date,
    parse_positive_amount,
)

_HUNDRED = Decimal(100)
_EXACT_QUANTUM = Decimal("0.000001")


@dataclass(frozen=True, slots=True, kw_only=True)
class RegZInput:
    """Reg Z calculator fields: ``count`` payments of ``payment`` (the first one
    ``first_payment_amount`` if given), from ``first_payment`` at ``frequency``."""

    amount: str
    payment: str
    count: int | str
    advance_date: str
    first_payment: str
    frequency: str = "monthly"
    first_payment_amount: str | None = None
    currency: str = "USD"


_STEPS: dict[str, Callable[[date, int], date]] = {
    "weekly": lambda d, k: d + timedelta(days=7 * k),
    "biweekly": lambda d, k: d + timedelta(days=14 * k),
    "semimonthly": lambda d, k: add_months(d, k // 2) + timedelta(days=15 * (k % 2)),
    "monthly": add_months,
    "quarterly": lambda d, k: add_months(d, 3 * k),
    "annual": lambda d, k: add_months(d, 12 * k),
}


def regz_result(data: RegZInput) -> RegZResult:
    """The Reg Z Appendix J APR of the payments ``data`` describes."""
    amount = parse_positive_amount(data.amount, data.currency, "amount")
    payment = parse_positive_amount(data.payment, data.currency, "payment")
    count = parse_count(data.count, "count", high=MAX_PAYMENTS)
    advance = parse_date(data.advance_date, "advance_date")
    first = parse_date(data.first_payment, "first_payment")
    frequency = _text(data.frequency, "frequency").lower()
    unit = UnitPeriod.from_frequency(frequency)
    step = _STEPS[unit.name]
    amounts = [payment] * count
    if data.first_payment_amount is not None:
        amounts[0] = parse_positive_amount(
            data.first_payment_amount, data.currency, "first_payment_amount"
        )
    payments = [(step(first, k), p) for k, p in enumerate(amounts)]
    with _input_fields({"payments": "payment"}):
        return regz_apr(amount, payments, advance, unit.name)


def _plain(value: Decimal) -> str:
    return format(value, "f")


def regz_wire(result: RegZResult) -> dict[str, object]:
    """``apr`` (percent, 2 places), ``apr_exact`` (percent, 6 places: the solver's
    accuracy, far inside the 1/8-point tolerance) and the Appendix J details."""
    return {
        "apr": _plain(result.apr),
        "apr_exact": _plain(result.apr_exact.quantize(_EXACT_QUANTUM)),
        "unit_periods_per_year": result.unit_periods_per_year,
        "odd_days_fraction": str(result.odd_days_fraction),
        "first_period": str(result.first_period),
        "regular": result.regular,
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class IrrInput:
    """IRR calculator fields: ``receive`` now, then ``count`` payments of ``payment``,
    one per period, ``periods_per_year`` periods a year."""

    receive: str
    payment: str
    count: int | str
    periods_per_year: int | str
    currency: str = "CNY"


def irr_rate(data: IrrInput) -> AnnualisedRate:
    """The annualised IRR of the loan ``data`` describes."""
    received = parse_positive_amount(data.receive, data.currency, "receive")
    payment = parse_positive_amount(data.payment, data.currency, "payment")
    count = parse_count(data.count, "count", high=MAX_PAYMENTS)
    per_year = parse_count(data.periods_per_year, "periods_per_year", high=366)
    with _input_fields({"amount": "receive", "payments": "payment"}):
        return cn_annualised_rate(received, [payment] * count, per_year)


def irr_wire(rate: AnnualisedRate) -> dict[str, object]:
    """``nominal`` and ``effective`` (percent, 2 places) and ``periodic`` (percent, 6)."""
    return {
        "nominal": _plain(rate.nominal_percent()),
        "effective": _plain(rate.effective_percent()),
        "periodic": _plain((rate.periodic * _HUNDRED).quantize(_EXACT_QUANTUM)),
        "periods_per_year": rate.periods_per_year,
    }
