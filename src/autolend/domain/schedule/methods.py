"""What each repayment method aims to pay in the regular (post-grace) periods.

The level amounts use the periodic rate ``r = annual rate / periods per year`` on
either interest basis (banks in China keep the formula payment and let a daily-basis
interest vary with the days; the last row absorbs the difference).  They are rounded
to ``installment_multiple`` minor units with the loan's rounding mode:

* equal installment (等额本息): ``P = L r / (1 - (1 + r)^-n)``; 5,000.00 at 1 % a
  month for 18 months is 304.9102... -> 304.91 (or 305.00 to the yuan, rounding UP).
* balloon (弹性尾款): the annuity on ``L - R v^n`` (``v = 1 / (1 + r)``), so that the
  balance after n payments is the balloon R: ``P = (L (1+r)^n - R) r / ((1+r)^n - 1)``.
* step: installment_k = ``w_k X`` with ``L = X sum(w_k v^k)``; weights 1, 1, 2 on
  3,000.00 at r = 0 give X = 750.00 and installments 750, 750, 1,500.
* equal principal (等额本金): principal ``L / n`` each period; 100,000.00 over 12 is
  8,333.33 (the last row takes 8,333.37).  Interest on the declining balance.
* flat: interest ``L r`` every period on the original amount; the level installment
  ``L / n + L r`` is rounded and its principal part is the installment less that
  interest.
* interest only (先息后本): no principal until the last row.

Rows are then built by :mod:`autolend.domain.schedule.engine`; the last row always
repays the remaining balance, so principal sums exactly to the amount amortised.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from autolend.domain.schedule.enums import Method
from autolend.domain.schedule.rounding import CONTEXT, ONE, round_interest, round_to_multiple
from autolend.domain.schedule.terms import LoanTerms

__all__ = [
    "RegularPlan",
    "annuity_installment",
    "expand_weights",
    "periodic_rate",
    "regular_plan",
    "step_base",
]

_ZERO = Decimal(0)
_add = CONTEXT.add
_subtract = CONTEXT.subtract
_multiply = CONTEXT.multiply
_divide = CONTEXT.divide


@dataclass(frozen=True, slots=True)
class RegularPlan:
    """Targets for the regular rows, in minor units.

    Installment-driven methods (equal installment, balloon, step) give
    ``installments``; principal-driven ones (equal principal, flat, interest only) give
    ``principals``.  ``flat_base`` is the balance flat interest is charged on, ``level``
    the level installment where the method has one.
    """

    installments: tuple[int, ...] | None = None
    principals: tuple[int, ...] | None = None
    flat_base: int | None = None
    level: int | None = None


def periodic_rate(annual_rate: Decimal, periods_per_year: int) -> Decimal:
    """The rate per period: 0.12 a year monthly is 0.01."""
    return _divide(annual_rate, Decimal(periods_per_year))


def annuity_installment(balance: int, rate: Decimal, periods: int, residual: int = 0) -> Decimal:
    """Unrounded level payment (minor units) that takes ``balance`` down to ``residual``
    in ``periods`` payments at the periodic ``rate``.

    ``P = (L g - R) r / (g - 1)`` with ``g = (1 + r)^n``; at r = 0, ``(L - R) / n``.

    >>> round(annuity_installment(500_000, Decimal("0.01"), 18), 4)
    Decimal('30491.0239')
    """
    if rate == 0:
        return _divide(Decimal(balance - residual), Decimal(periods))
    growth = CONTEXT.power(_add(ONE, rate), periods)
    owed = _subtract(_multiply(Decimal(balance), growth), Decimal(residual))
    return _divide(_multiply(owed, rate), _subtract(growth, ONE))


def expand_weights(weights: tuple[Decimal, ...], periods: int) -> tuple[Decimal, ...]:
    """One weight per period: as given, or a 12-long pattern repeated by period index
    (period k takes ``weights[(k - 1) % 12]``, so index 0 is the first regular period)."""
    if len(weights) == periods:
        return weights
    return tuple(weights[k % len(weights)] for k in range(periods))


def step_base(balance: int, rate: Decimal, weights: tuple[Decimal, ...]) -> Decimal:
    """``X`` with ``balance = X sum(w_k v^k)``, ``v = 1 / (1 + r)``: the payment per
    unit of weight that amortises the loan exactly (unpaid interest compounds)."""
    discount = _divide(ONE, _add(ONE, rate))
    factor, present_value = ONE, _ZERO
    for weight in weights:
        factor = _multiply(factor, discount)
        present_value = _add(present_value, _multiply(weight, factor))
    return _divide(Decimal(balance), present_value)


def regular_plan(terms: LoanTerms, balance: int, annual_rate: Decimal) -> RegularPlan:
    """Targets for the ``terms.periods`` regular rows amortising ``balance``."""
    n, method = terms.periods, terms.method
    rate = periodic_rate(annual_rate, terms.frequency.periods_per_year)
    mode, multiple = terms.rounding, terms.installment_multiple
    if method is Method.EQUAL_INSTALLMENT or method is Method.BALLOON:
        residual = _balloon_minor(terms)
        level = round_to_multiple(annuity_installment(balance, rate, n, residual), multiple, mode)
        return RegularPlan(installments=(level,) * n, level=level)
    if method is Method.STEP:
        assert terms.step_weights is not None  # validated
        weights = expand_weights(terms.step_weights, n)
        base = step_base(balance, rate, weights)
        amounts = tuple(round_to_multiple(_multiply(w, base), multiple, mode) for w in weights)
        return RegularPlan(installments=amounts)
    if method is Method.EQUAL_PRINCIPAL:
        share = round_to_multiple(_divide(Decimal(balance), Decimal(n)), multiple, mode)
        return RegularPlan(principals=(share,) * n)
    if method is Method.FLAT:
        return _flat_plan(terms, balance, annual_rate)
    return RegularPlan(principals=(0,) * n)


def _balloon_minor(terms: LoanTerms) -> int:
    balloon = terms.balloon_amount()
    return 0 if balloon is None else balloon.minor


def _flat_plan(terms: LoanTerms, balance: int, annual_rate: Decimal) -> RegularPlan:
    n, mode = terms.periods, terms.rounding
    per_year = Decimal(terms.frequency.periods_per_year)
    exact_interest = _divide(_multiply(Decimal(balance), annual_rate), per_year)
    exact_level = _add(_divide(Decimal(balance), Decimal(n)), exact_interest)
    level = round_to_multiple(exact_level, terms.installment_multiple, mode)
    share = max(level - round_interest(balance, annual_rate, per_year, mode), 0)
    return RegularPlan(principals=(share,) * n, flat_base=balance, level=level)
