"""The only places a schedule turns exact Decimal values into whole minor units.

All arithmetic uses module-level contexts of 50 significant digits made once (no
dependence on the thread's ambient context, no context churn per operation): one per
rounding mode for the final rounding, :data:`CONTEXT` for the rest.  Amounts are in
minor units (fen) throughout.

Exactness: an interest amount is ``balance x rate x num / den`` with ``num`` and
``den`` integers from the day count.  The product ``balance x (rate x num)`` is exact
(balance <= 18 digits, rate <= 10 decimal places, so well under 50 digits) and there is
one division; a quotient that terminates is exact, so a true tie (x.5 fen) is seen as
a tie and rounded by the named mode.  A non-terminating quotient ``a / b`` (``b`` below
10^19 here) lies at least ``1 / (2b)`` away from every whole or half minor unit, far
more than its error at 50 digits, so the result is always the exact rational value
rounded by the mode.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable
from decimal import Decimal

from autolend.domain.money import RoundingMode

__all__ = ["CONTEXT", "ONE", "interest_rounder", "round_interest", "round_to_multiple"]


def _context(rounding: str) -> decimal.Context:
    return decimal.Context(
        prec=50,
        rounding=rounding,
        Emin=decimal.MIN_EMIN,
        Emax=decimal.MAX_EMAX,
        traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
    )


CONTEXT = _context(decimal.ROUND_HALF_EVEN)
"""Working context for schedule computations that do not round to money."""

ONE = Decimal(1)

_BY_MODE = {mode: _context(mode.value) for mode in RoundingMode}
"""One context per rounding mode, made once: the mode is the context's own rounding, so
the hot path passes no keyword arguments (costly in the C decimal module)."""


def round_interest(balance: int, rate_num: Decimal, den: Decimal, mode: RoundingMode) -> int:
    """Interest ``balance x rate_num / den`` in minor units, rounded once by ``mode``.

    ``rate_num`` is the annual rate times the integer numerator of the period's year
    fraction and ``den`` its denominator.  E.g. 5,000.00 CNY (500,000 fen) for one
    month at 12 % on the period basis: 500,000 x 0.12 / 12 = 5,000 fen = 50.00 CNY.
    A 30-day month at 4.9 % on ACT/360 for 1,000.00 CNY: 100,000 x 0.049 x 30 / 360
    = 408.333... -> 408 fen with HALF_UP.

    >>> round_interest(100_000, Decimal("0.049") * 30, Decimal(360), RoundingMode.HALF_UP)
    408
    >>> round_interest(6_000, Decimal("0.049"), Decimal(12), RoundingMode.HALF_UP)  # 24.5
    25
    >>> round_interest(6_000, Decimal("0.049"), Decimal(12), RoundingMode.HALF_EVEN)
    24
    """
    return interest_rounder(mode)(balance, rate_num, den)


def interest_rounder(mode: RoundingMode) -> Callable[[int, Decimal, Decimal], int]:
    """:func:`round_interest` with ``mode`` fixed, for a loop over many rows.

    >>> half_up = interest_rounder(RoundingMode.HALF_UP)
    >>> half_up(6_000, Decimal("0.049"), Decimal(12)), half_up(1, Decimal("0.01"), ONE)
    (25, 0)
    """
    ctx = _BY_MODE[mode]
    integral, divide, multiply = ctx.to_integral_value, ctx.divide, ctx.multiply

    def rounded(balance: int, rate_num: Decimal, den: Decimal) -> int:
        return int(integral(divide(multiply(balance, rate_num), den)))  # int operand: exact

    return rounded


def round_to_multiple(amount: Decimal, multiple: int, mode: RoundingMode) -> int:
    """``amount`` (minor units) rounded by ``mode`` to a whole multiple of ``multiple``.

    An installment of 304.9102... CNY (30,491.02 fen) is 30,491 fen to the fen with
    HALF_UP, and 30,500 fen (305.00 CNY) to the whole yuan (multiple 100) with UP.

    >>> round_to_multiple(Decimal("30491.02"), 1, RoundingMode.HALF_UP)
    30491
    >>> round_to_multiple(Decimal("30491.02"), 100, RoundingMode.UP)
    30500
    >>> round_to_multiple(Decimal("30491.02"), 100, RoundingMode.DOWN)
    30400
    """
    ctx = _BY_MODE[mode]
    return int(ctx.to_integral_value(ctx.divide(amount, Decimal(multiple)))) * multiple
