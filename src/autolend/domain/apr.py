"""Rates implied by cash flows: a bracketed Decimal root solver, IRR, the CN annualised
rate (年化利率) and spreadsheet-style XIRR.  Standard library only; no float anywhere.

Signs are the **borrower's**: money paid to the borrower (the advance) is positive, money
paid by the borrower (instalments, fees) negative.  A rate solves ``sum amount_k *
(1 + r) ** -t_k = 0``, whose root is the same under the opposite convention, so the IRR
functions accept either, provided both signs occur.  All arithmetic runs in a private
40-digit :mod:`decimal` context, so results never depend on the caller's context.  The
US Regulation Z APR is in :mod:`autolend.domain.regz`.

>>> cn_annualised_rate(Decimal(10000), [Decimal("888.49")] * 12, 12).nominal_percent()
Decimal('12.00')
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

from autolend.domain.errors import CurrencyMismatch, InvalidInput
from autolend.domain.money import Money

__all__ = [
    "MAX_RATE", "MIN_RATE", "AnnualisedRate", "CashFlow", "NoRateExists",
    "RateNotConverged", "check_loan", "cn_annualised_rate", "decimal_context", "irr_at_times",
    "periodic_irr", "solve_rate", "xirr",
]  # fmt: skip

MAX_RATE = Decimal(10)
"""Highest rate per period the solver searches: 1000 %."""
MIN_RATE = Decimal("-0.999999999")
"""Lowest rate per period the solver searches: just above -100 %."""

_PRECISION = 40
_DEFAULT_TOLERANCE = Decimal("1e-12")
_START_LOW, _START_HIGH = Decimal(0), Decimal("0.1")
_HUNDRED = Decimal(100)
_PERCENT_PLACES = 2
_NO_RATE = (
    "the payments never balance the amount received at any rate from -99.9999999 % to "
    "1000 % per period: no rate makes them equal"
)


class NoRateExists(InvalidInput):
    """No rate in the searched range makes the discounted flows balance (HTTP 422)."""

    code = "no_rate_exists"


class RateNotConverged(InvalidInput):
    """The root solver did not reach its tolerance within its iteration budget."""

    code = "rate_not_converged"


def decimal_context() -> decimal.Context:
    """The private context: 40 digits, half-even, wide exponents, errors trapped."""
    return decimal.Context(
        prec=_PRECISION,
        rounding=decimal.ROUND_HALF_EVEN,
        Emax=decimal.MAX_EMAX,
        Emin=decimal.MIN_EMIN,
        traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
    )


RateFunction = Callable[[Decimal], Decimal]


def _opposite(a: Decimal, b: Decimal) -> bool:
    return (a < 0 < b) or (b < 0 < a)


def _bracket(
    f: RateFunction, low: Decimal, high: Decimal
) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """Widen the search from ``[low, high]`` until ``f`` changes sign or hits zero.

    The edge with the smaller ``|f|`` moves outward (as in Numerical Recipes' ``zbrac``):
    the upper edge geometrically in ``1 + r`` (0.1 -> 1.2 -> 3.4 ... up to
    :data:`MAX_RATE`), the lower edge toward -100 % (0 -> -90 % -> -99 % ... down to
    :data:`MIN_RATE`).  Returns the tightest bracket found: the last step taken.
    """
    f_low, f_high = f(low), f(high)
    while f_low != 0 and f_high != 0 and not _opposite(f_low, f_high):
        can_raise, can_lower = high < MAX_RATE, low > MIN_RATE
        if can_raise and (abs(f_high) <= abs(f_low) or not can_lower):
            step = min(MAX_RATE, 2 * high + 1)
            f_step = f(step)
            if f_step == 0 or _opposite(f_step, f_high):
                return high, f_high, step, f_step
            high, f_high = step, f_step
        elif can_lower:
            step = max(MIN_RATE, (1 + low) / 10 - 1)
            f_step = f(step)
            if f_step == 0 or _opposite(f_step, f_low):
                return step, f_step, low, f_low
            low, f_low = step, f_step
        else:
            raise NoRateExists(_NO_RATE, field="payments")
    return low, f_low, high, f_high


def solve_rate(
    f: RateFunction,
    low: Decimal,
    high: Decimal,
    *,
    tolerance: Decimal = _DEFAULT_TOLERANCE,
    max_iterations: int = 200,
) -> Decimal:
    """A root of ``f`` within ``tolerance`` (absolute, per period), searched from
    ``[low, high]`` and widened as needed to ``(-100 %, 1000 %]`` per period.

    Refinement is the Illinois variant of regula falsi, with a bisection step whenever a
    step fails to halve the bracket, so the bracket at least halves every two steps.
    ``f`` runs inside the private 40-digit context.  Raises :class:`NoRateExists` when
    no sign change is found, :class:`RateNotConverged` past ``max_iterations``.

    >>> root = solve_rate(lambda r: (1 + r) ** 2 - 2, Decimal(0), Decimal(1))
    >>> round(root, 10)
    Decimal('0.4142135624')
    """
    with decimal.localcontext(decimal_context()):
        if not (MIN_RATE <= low < high) or tolerance <= 0:
            message = f"need {MIN_RATE} <= low < high and tolerance > 0, got {low}, {high}"
            raise InvalidInput(message, field="rate")
        low, f_low, high, f_high = _bracket(f, low, high)
        if f_low == 0 or f_high == 0:
            return low if f_low == 0 else high
        return _refine(f, (low, f_low, high, f_high), tolerance, max_iterations)


def _refine(
    f: RateFunction,
    bracket: tuple[Decimal, Decimal, Decimal, Decimal],
    tolerance: Decimal,
    max_iterations: int,
) -> Decimal:
    low, f_low, high, f_high = bracket
    last_moved, bisect = 0, False
    for _ in range(max_iterations):
        width = high - low
        if width <= tolerance:
            return (low + high) / 2
        x = (low + high) / 2
        if not bisect:  # regula falsi, kept tolerance/2 inside the bracket
            x = high - f_high * width / (f_high - f_low)
            x = min(max(x, low + tolerance / 2), high - tolerance / 2)
        fx = f(x)
        if fx == 0:
            return x
        if _opposite(fx, f_high):
            low, f_low = x, fx
            f_high = f_high / 2 if last_moved == -1 else f_high  # Illinois
            last_moved = -1
        else:
            high, f_high = x, fx
            f_low = f_low / 2 if last_moved == 1 else f_low
            last_moved = 1
        bisect = high - low > width / 2
    message = f"the rate did not converge to {tolerance} in {max_iterations} iterations"
    raise RateNotConverged(message, field="rate")


def _finite(value: object, what: str) -> Decimal:
    """A finite Decimal from a Decimal, int or Money (never float or bool)."""
    if isinstance(value, Money):
        return value.to_decimal()
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(f"{what} must be a Decimal, int or Money, got {type(value).__name__}")
    dec = Decimal(value)
    if not dec.is_finite():
        raise InvalidInput(f"{what} must be a finite number, got {dec}", field=what)
    return dec


@dataclass(frozen=True, slots=True)
class CashFlow:
    """``amount`` at ``when`` unit periods after the advance (borrower's view: +
    received, - paid).  ``CashFlow(Fraction(3, 2), Decimal(-100))``: the borrower pays
    100 one and a half periods after the advance."""

    when: Fraction
    amount: Decimal

    def __post_init__(self) -> None:
        if isinstance(self.when, bool) or not isinstance(self.when, int | Fraction):
            raise TypeError(f"when must be a Fraction, got {type(self.when).__name__}")
        if self.when < 0:
            raise InvalidInput(f"a cash flow cannot precede t=0: {self.when}", field="when")
        object.__setattr__(self, "when", Fraction(self.when))
        object.__setattr__(self, "amount", _finite(self.amount, "amount"))


def _require_both_signs(amounts: Sequence[Decimal]) -> None:
    if not (any(a > 0 for a in amounts) and any(a < 0 for a in amounts)):
        message = "flows all of one sign never balance: no rate makes them sum to zero"
        raise NoRateExists(message, field="payments")


def periodic_irr(flows: Sequence[Decimal]) -> Decimal:
    """The rate per period ``r`` with ``sum flows[k] / (1 + r) ** k = 0``.

    Flow ``k`` falls ``k`` periods after flow 0.  Evaluated by Horner's rule in
    ``v = 1 / (1 + r)``.  A loan of 1000 repaid by 2 x 550 costs about 6.6 % a period:

    >>> round(periodic_irr([Decimal(1000), Decimal(-550), Decimal(-550)]), 6)
    Decimal('0.065965')
    """
    with decimal.localcontext(decimal_context()):
        amounts = [_finite(a, "flows") for a in flows]
        _require_both_signs(amounts)

        def npv(rate: Decimal) -> Decimal:
            v, total = 1 / (1 + rate), Decimal(0)
            for amount in reversed(amounts):
                total = total * v + amount
            return total

        return solve_rate(npv, _START_LOW, _START_HIGH)


def _as_cash_flows(flows: Sequence[CashFlow | tuple[Fraction, Decimal]]) -> list[CashFlow]:
    return [f if isinstance(f, CashFlow) else CashFlow(f[0], f[1]) for f in flows]


def _split_off(t: Fraction) -> Decimal:
    """The fractional part of ``t`` as a Decimal: 7/2 -> 0.5."""
    return Decimal((t % 1).numerator) / (t % 1).denominator


def irr_at_times(flows: Sequence[CashFlow | tuple[Fraction, Decimal]]) -> Decimal:
    """The rate per period ``r`` with ``sum amount / (1 + r) ** when = 0`` at any times.

    Whole periods use exact integer powers; a fractional part uses Decimal ``exp`` and
    ``ln``.  Receiving 100 and repaying 121 two periods later is 10 % a period; repaying
    110 half a period later is 21 %:

    >>> round(irr_at_times([(Fraction(0), Decimal(100)), (Fraction(2), Decimal(-121))]), 9)
    Decimal('0.100000000')
    >>> round(irr_at_times([(Fraction(0), Decimal(100)), (Fraction(1, 2), Decimal(-110))]), 9)
    Decimal('0.210000000')
    """
    with decimal.localcontext(decimal_context()):
        cash_flows = _as_cash_flows(flows)
        _require_both_signs([cf.amount for cf in cash_flows])
        parts = [(int(cf.when), _split_off(cf.when), cf.amount) for cf in cash_flows]

        def npv(rate: Decimal) -> Decimal:
            base = 1 + rate
            log = base.ln() if any(frac for _, frac, _ in parts) else Decimal(0)
            total = Decimal(0)
            for whole, frac, amount in parts:
                factor = base**whole * ((frac * log).exp() if frac else 1)
                total += amount / factor
            return total

        return solve_rate(npv, _START_LOW, _START_HIGH)


@dataclass(frozen=True, slots=True)
class AnnualisedRate:
    """A rate per period annualised both ways (fractions, not percent).

    ``nominal = periodic x periods_per_year`` (the IRR x 12 figure for monthly plans);
    ``effective = (1 + periodic) ** periods_per_year - 1``.

    >>> r = AnnualisedRate(Decimal("0.01"), 12)
    >>> r.nominal, r.effective_percent()
    (Decimal('0.12'), Decimal('12.68'))
    """

    periodic: Decimal
    periods_per_year: int
    nominal: Decimal = field(init=False)
    effective: Decimal = field(init=False)

    def __post_init__(self) -> None:
        with decimal.localcontext(decimal_context()):
            periodic = _finite(self.periodic, "periodic")
            n = _periods_per_year(self.periods_per_year)
            object.__setattr__(self, "periodic", periodic)
            object.__setattr__(self, "nominal", periodic * n)
            object.__setattr__(self, "effective", (1 + periodic) ** n - 1)

    def nominal_percent(self, places: int = _PERCENT_PLACES) -> Decimal:
        """The nominal rate in percent, rounded half-up: 0.1200045 -> 12.00."""
        return _percent(self.nominal, places)

    def effective_percent(self, places: int = _PERCENT_PLACES) -> Decimal:
        """The effective annual rate in percent, rounded half-up: 0.126830 -> 12.68."""
        return _percent(self.effective, places)


def _percent(rate: Decimal, places: int) -> Decimal:
    with decimal.localcontext(decimal_context()):
        quantum = Decimal(1).scaleb(-places)
        return (rate * _HUNDRED).quantize(quantum, rounding=decimal.ROUND_HALF_UP)


def _periods_per_year(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 366:
        message = f"periods_per_year must be an int from 1 to 366, got {n!r}"
        raise InvalidInput(message, field="periods_per_year")
    return n


def _single_currency(values: Sequence[object]) -> None:
    codes = {v.currency.code for v in values if isinstance(v, Money)}
    if len(codes) > 1:
        message = f"the amount and payments mix currencies: {', '.join(sorted(codes))}"
        raise CurrencyMismatch(message, field="currency")


def check_loan(
    received: Decimal | Money, payments: Sequence[Decimal | Money]
) -> tuple[Decimal, list[Decimal]]:
    """Validate a single-advance loan: amount > 0, at least one payment, each > 0.

    Errors name the field: ``amount``, ``payments`` (or ``currency`` for mixed Money).
    """
    _single_currency([received, *payments])
    amount = _finite(received, "amount")
    if amount <= 0:
        raise InvalidInput(f"the amount received must be positive, got {amount}", field="amount")
    if isinstance(payments, str | bytes) or not payments:
        raise InvalidInput("at least one payment is needed", field="payments")
    paid = [_finite(p, "payments") for p in payments]
    for k, p in enumerate(paid, start=1):
        if p <= 0:
            raise InvalidInput(f"payment {k} must be positive, got {p}", field="payments")
    return amount, paid


def cn_annualised_rate(
    received: Decimal | Money,
    payments: Sequence[Decimal | Money],
    periods_per_year: int,
    *,
    first_period_fraction: Fraction = Fraction(1),
) -> AnnualisedRate:
    """The compound (IRR) annualised rate of a loan, fees included (PBOC [2021] No. 3).

    ``received`` is what the borrower actually gets (net of any fee deducted up front);
    ``payments`` are everything the borrower pays, one per period, payment ``k`` falling
    ``first_period_fraction + k - 1`` periods after the advance.  A fee-only plan of
    12,000 repaid by 12 x 1,072 ("0 % interest") really costs 13.03 % a year:

    >>> cn_annualised_rate(Decimal(12000), [Decimal(1072)] * 12, 12).nominal_percent()
    Decimal('13.03')
    """
    amount, paid = check_loan(received, payments)
    n = _periods_per_year(periods_per_year)
    first = first_period_fraction
    if isinstance(first, bool) or not isinstance(first, int | Fraction) or first <= 0:
        message = f"first_period_fraction must be a positive Fraction, got {first!r}"
        raise InvalidInput(message, field="first_payment")
    if first == 1:
        periodic = periodic_irr([amount, *(-p for p in paid)])
    else:
        flows = [CashFlow(Fraction(0), amount)]
        flows += [CashFlow(Fraction(first) + k, -p) for k, p in enumerate(paid)]
        periodic = irr_at_times(flows)
    return AnnualisedRate(periodic, n)


def xirr(flows: Sequence[tuple[date, Decimal]], *, basis_days: int = 365) -> Decimal:
    """The annual rate ``r`` with ``sum amount / (1 + r) ** ((d - d0) / basis_days) = 0``.

    Like spreadsheet XIRR: ``d0`` is the first flow's date and no flow may precede it.
    The Microsoft Excel XIRR documentation example (Excel shows 0.373362535; its
    iteration stops within 0.000001 %, the exact root is 0.37336253352) gives 37.34 %:

    >>> flows = [(date(2008, 1, 1), Decimal(-10000)), (date(2008, 3, 1), Decimal(2750)),
    ...          (date(2008, 10, 30), Decimal(4250)), (date(2009, 2, 15), Decimal(3250)),
    ...          (date(2009, 4, 1), Decimal(2750))]
    >>> round(xirr(flows), 8)
    Decimal('0.37336253')
    """
    if isinstance(basis_days, bool) or not isinstance(basis_days, int) or basis_days < 1:
        raise InvalidInput(f"basis_days must be a positive int: {basis_days!r}", field="basis")
    if isinstance(flows, str | bytes) or len(flows) < 2:
        raise InvalidInput("XIRR needs at least two dated cash flows", field="payments")
    start = flows[0][0]
    timed: list[CashFlow] = []
    for when, amount in flows:
        if isinstance(when, datetime) or not isinstance(when, date):
            raise TypeError(f"dates must be datetime.date, got {type(when).__name__}")
        if when < start:
            message = f"{when} precedes the first flow's date {start}"
            raise InvalidInput(message, field="dates")
        timed.append(CashFlow(Fraction((when - start).days, basis_days), amount))
    return irr_at_times(timed)
