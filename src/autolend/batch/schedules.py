"""Vectorised repayment schedules over NumPy int64 columns, for the end-of-day batch.

The Decimal path (:func:`autolend.domain.schedule.build_schedule`) is the reference;
these kernels reproduce its rows to the fen for loans with the **period** interest
basis, a **regular first period** and no grace periods or subsidy (the shape of a
plain car loan).  Amounts are int64 minor units (fen); a rate is an int64 numerator
over ``rate_scale`` (default 10^10: the domain allows at most 10 decimal places, so
12.34 % is ``1_234_000_000``).

Rules, row ``k`` of a loan of ``n`` rows with opening balance ``B`` and periodic rate
``r = R / (rate_scale x periods_per_year)``:

* interest ``I = round(B x r)`` by the loan's rounding mode, computed exactly;
* equal installment (等额本息): the level ``P`` is the annuity
  ``L r / (1 - (1 + r)^-n)`` rounded by the mode to ``installment_multiple``;
  principal ``min(P - I, B)``; if ``P < I`` the row pays ``P`` of interest and
  capitalises ``I - P``;
* equal principal (等额本金): principal ``min(S, B)`` with ``S = round(L / n)`` to the
  multiple, and the interest in full;
* the last row repays the whole remaining balance plus its interest, so principal
  sums exactly to the amount lent (plus any capitalised interest).

The installment (O(loans)) is the annuity in float64: about ten roundings of 2^-53
each, and the annuity's elasticity to the rate is at most 1, so its relative error
stays near 10^-15.  A loan whose value lies within 10^-11 (relative) of a rounding
boundary (a few in 10^5 at fen precision) is recomputed with the Decimal domain
functions, so the rounded result is always the Decimal path's.  One call takes one
rounding mode: split a book by mode.

Layout: one :class:`VectorSchedule` holds 2-D arrays of shape ``(loans, max rows)``
in column-major (Fortran) order, so the row loop (one vector step per period, over
all loans at once) writes contiguous columns; rows past a loan's last row are 0.

Exact interest without overflow: ``B x R`` reaches 10^25 (balance up to 10^15 fen,
``R`` up to 10^10), beyond int64.  ``q ~ floor(B R / D)`` (``D = rate_scale x
periods_per_year``) is estimated in float64, within ``B x 2^-51`` of the floor (under
1 for ``B < 2^51``); the remainder ``B R - q D`` is then computed in wrapping
(modulo 2^64) int64 arithmetic, which is exact because its true value is far inside
int64; one floor division by ``D`` corrects ``q`` by however much it was off.  The
rounding mode is then applied to the exact quotient and remainder.  Bounds (checked):
principal <= 10^15 fen (``MAX_ABS_MINOR``), multiple <= 10^9, at most 480 rows, rate
0..1; a balance that capitalised interest drives past 2^61 fen (an installment rounded
far below the interest) is refused rather than overflowing.

>>> s = equal_installment_rows(np.array([500_000]), np.array([1_200_000_000]), np.array([18]))
>>> s.loan_rows(0)[0], int(s.level[0])
((25491, 5000, 30491, 474509), 30491)
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from autolend.batch.int_rounding import (
    AWAY_MODES,
    RATE_SCALE,
    IntArray,
    rate_numerators,
    round_ratio,
    rounded_interest,
)
from autolend.domain.errors import InvalidInput
from autolend.domain.money import MAX_ABS_MINOR, RoundingMode
from autolend.domain.schedule.methods import annuity_installment, periodic_rate
from autolend.domain.schedule.rounding import CONTEXT, round_to_multiple
from autolend.domain.schedule.validation import MAX_PERIODS

__all__ = [
    "INSTALLMENT_TOLERANCE",
    "RATE_SCALE",
    "VectorSchedule",
    "equal_installment_rows",
    "equal_principal_rows",
    "level_installments",
    "rate_numerators",
    "round_ratio",
    "rounded_interest",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

INSTALLMENT_TOLERANCE = 1e-11
"""Relative distance from a rounding boundary below which the float64 annuity is not
trusted and the installment is recomputed with the Decimal domain function."""

_MAX_MULTIPLE = 10**9
_MAX_BALANCE = 2**61  # interest <= balance, so one more row cannot overflow int64
_HALF = (RoundingMode.HALF_UP, RoundingMode.HALF_EVEN)


@dataclass(frozen=True, slots=True)
class VectorSchedule:
    """Schedules of many loans: per-loan ``periods`` (rows) and ``level`` (the regular
    installment, as ``Schedule.regular_installment``), and ``(loans, max rows)``
    column-major int64 arrays in minor units; ``balance`` is the closing balance and
    ``capitalised`` interest added to it.  Rows past a loan's last are 0."""

    periods: IntArray
    level: IntArray
    principal: IntArray
    interest: IntArray
    payment: IntArray
    balance: IntArray
    capitalised: IntArray

    @property
    def loans(self) -> int:
        """Number of loans (rows of the 2-D arrays)."""
        return int(self.periods.shape[0])

    @property
    def rows(self) -> int:
        """Number of schedule rows over all loans (padding excluded)."""
        return int(self.periods.sum())

    def loan_rows(self, loan: int) -> list[tuple[int, int, int, int]]:
        """``(principal, interest, payment, balance)`` of each row of one loan."""
        n = int(self.periods[loan])
        columns = (self.principal, self.interest, self.payment, self.balance)
        p, i, pay, bal = (column[loan, :n].tolist() for column in columns)
        return list(zip(p, i, pay, bal, strict=True))


@dataclass(frozen=True, slots=True)
class _Book:
    """Validated input columns; ``ratio`` is ``rate / den`` in float64 for estimates."""

    principal: IntArray
    rate: IntArray
    periods: IntArray
    multiple: IntArray
    den: int
    ratio: FloatArray
    mode: RoundingMode
    scale: int
    per_year: int


def level_installments(
    principal: IntArray,
    rate: IntArray,
    periods: IntArray,
    *,
    per_year: int,
    mode: RoundingMode,
    multiple: IntArray,
    scale: int = RATE_SCALE,
    tolerance: float = INSTALLMENT_TOLERANCE,
) -> IntArray:
    """The equal installment of each loan, as the domain's ``round_to_multiple(
    annuity_installment(L, r, n), multiple, mode)`` to the fen.

    A zero rate is ``L / n`` rounded exactly in integers.  Otherwise the annuity is
    computed in float64 (relative error near 10^-15); where it lies within ``tolerance``
    (relative) of a rounding boundary, the loan is recomputed in Decimal.
    """
    r = rate / float(scale * per_year)
    with np.errstate(divide="ignore", invalid="ignore"):
        annuity = principal * r / -np.expm1(-periods * np.log1p(r))
    steps, unsure = _float_round(annuity / multiple, mode, tolerance)
    zero = rate == 0
    steps[zero] = round_ratio(principal[zero], periods[zero] * multiple[zero], mode)
    level = steps * multiple
    for i in np.flatnonzero(unsure & ~zero).tolist():
        loan = (int(principal[i]), int(rate[i]), int(periods[i]), int(multiple[i]))
        level[i] = _decimal_level(loan, per_year, mode, scale)
    return level


def _float_round(y: FloatArray, mode: RoundingMode, tolerance: float) -> tuple[IntArray, BoolArray]:
    """``y >= 0`` rounded by ``mode`` in float64, and where that is not to be trusted."""
    tol = np.maximum(y, 1.0) * tolerance
    with np.errstate(invalid="ignore"):
        low = np.floor(y)
        frac = y - low
        if mode in _HALF:
            steps, unsure = low + (frac >= 0.5), np.abs(frac - 0.5) < tol
        else:
            steps = low + (frac > 0) if mode in AWAY_MODES else low
            unsure = (frac < tol) | (frac > 1 - tol)
        unsure |= ~np.isfinite(y)
    return np.where(unsure, 0, steps).astype(np.int64), unsure


def _decimal_level(
    loan: tuple[int, int, int, int], per_year: int, mode: RoundingMode, scale: int
) -> int:
    """One loan's installment by the Decimal domain functions (the reference);
    ``loan`` is ``(principal, rate numerator, periods, multiple)``."""
    principal, rate, periods, multiple = loan
    annual = CONTEXT.divide(Decimal(rate), Decimal(scale))  # exact: scale is 10^k
    amount = annuity_installment(principal, periodic_rate(annual, per_year), periods)
    return round_to_multiple(amount, multiple, mode)


def equal_installment_rows(
    principal_minor: npt.ArrayLike,
    annual_rate: npt.ArrayLike,
    periods: npt.ArrayLike,
    *,
    periods_per_year: int = 12,
    rounding: RoundingMode | str = RoundingMode.HALF_UP,
    installment_multiple: npt.ArrayLike = 1,
    rate_scale: int = RATE_SCALE,
) -> VectorSchedule:
    """Equal-installment (等额本息) schedules of a book of loans, row for row as
    ``build_schedule`` (period basis, regular first period, no grace).

    ``annual_rate`` is the int64 numerator over ``rate_scale``; ``rounding`` a
    :class:`RoundingMode` or its name (``"HALF_UP"``), used for interest and the
    installment alike; ``installment_multiple`` a scalar or one value per loan.
    """
    book = _book(principal_minor, annual_rate, periods, per_year=periods_per_year,
                 rounding=rounding, multiple=installment_multiple, scale=rate_scale)  # fmt: skip
    level = level_installments(
        book.principal, book.rate, book.periods,
        per_year=book.per_year, mode=book.mode, multiple=book.multiple, scale=book.scale,
    )  # fmt: skip
    return _installment_schedule(book, level)


def equal_principal_rows(
    principal_minor: npt.ArrayLike,
    annual_rate: npt.ArrayLike,
    periods: npt.ArrayLike,
    *,
    periods_per_year: int = 12,
    rounding: RoundingMode | str = RoundingMode.HALF_UP,
    installment_multiple: npt.ArrayLike = 1,
    rate_scale: int = RATE_SCALE,
) -> VectorSchedule:
    """Equal-principal (等额本金) schedules: principal ``round(L / n)`` to the multiple
    each row (never more than the balance), interest in full, the last row takes the
    rest; ``level`` is the first row's payment, as in the Decimal path."""
    book = _book(principal_minor, annual_rate, periods, per_year=periods_per_year,
                 rounding=rounding, multiple=installment_multiple, scale=rate_scale)  # fmt: skip
    share = round_ratio(book.principal, book.periods * book.multiple, book.mode) * book.multiple
    return _principal_schedule(book, share)


def _book(
    principal: npt.ArrayLike, rate: npt.ArrayLike, periods: npt.ArrayLike, *, per_year: int,
    rounding: RoundingMode | str, multiple: npt.ArrayLike, scale: int,
) -> _Book:  # fmt: skip
    """Validate and normalise the inputs to 1-D int64 columns of one length."""
    if scale not in {10**k for k in range(11)}:
        raise InvalidInput("rate_scale must be a power of ten up to 10^10", field="rate_scale")
    if not isinstance(per_year, int) or not 1 <= per_year <= 366:
        raise InvalidInput("periods_per_year must be 1..366", field="periods_per_year")
    p = _column(principal, "principal", 1, MAX_ABS_MINOR)
    r = _column(rate, "annual_rate", 0, scale)
    n = _column(periods, "periods", 1, MAX_PERIODS)
    m = _column(_per_loan(multiple, p.shape), "installment_multiple", 1, _MAX_MULTIPLE)
    if not p.shape == r.shape == n.shape:
        raise InvalidInput("principal, rate and periods must have one length", field="periods")
    den = scale * per_year
    return _Book(p, r, n, m, den, r / float(den), _mode(rounding), scale, per_year)


def _column(values: npt.ArrayLike, field: str, low: int, high: int) -> IntArray:
    array = np.asarray(values)
    if array.ndim != 1 or not np.issubdtype(array.dtype, np.integer):
        raise InvalidInput(f"{field} must be a 1-D integer array", field=field)
    out = np.ascontiguousarray(array, dtype=np.int64)
    if out.size and (int(out.min()) < low or int(out.max()) > high):
        raise InvalidInput(f"{field} must be within {low}..{high}", field=field)
    return out


def _per_loan(values: npt.ArrayLike, shape: tuple[int, ...]) -> npt.NDArray[np.generic]:
    """A scalar repeated for every loan, or one value per loan."""
    try:
        return np.broadcast_to(np.asarray(values), shape)
    except ValueError:
        raise InvalidInput(
            "one installment_multiple per loan", field="installment_multiple"
        ) from None


def _mode(rounding: RoundingMode | str) -> RoundingMode:
    """A :class:`RoundingMode`, its name (``"HALF_UP"``) or value (``"ROUND_HALF_UP"``)."""
    if isinstance(rounding, RoundingMode):
        return rounding
    name = str(rounding).upper().removeprefix("ROUND_")
    try:
        return RoundingMode[name]
    except KeyError:
        raise InvalidInput(f"unknown rounding mode {rounding!r}", field="rounding") from None


def _empty(book: _Book) -> dict[str, IntArray]:
    shape = (book.principal.shape[0], int(book.periods.max(initial=0)))
    names = ("principal", "interest", "payment", "balance", "capitalised")
    return {name: np.zeros(shape, dtype=np.int64, order="F") for name in names}


def _last_rows(periods: IntArray) -> list[IntArray]:
    """For each row index ``k``, the loans whose last row is ``k``."""
    order = np.argsort(periods, kind="stable")
    edges = np.searchsorted(periods[order], np.arange(1, int(periods.max(initial=0)) + 2))
    return [order[edges[k] : edges[k + 1]] for k in range(edges.shape[0] - 1)]


def _installment_schedule(book: _Book, level: IntArray) -> VectorSchedule:
    """The row loop of the equal-installment method: one vector step per row index."""
    out, balance = _empty(book), book.principal.copy()
    for k, last in enumerate(_last_rows(book.periods)):
        interest = rounded_interest(balance, book.rate, book.den, book.ratio, book.mode)
        short = interest - level  # > 0: the installment does not cover the interest
        capitalised = np.maximum(short, 0)
        principal = np.minimum(np.maximum(-short, 0), balance)
        principal[last] = balance[last]
        capitalised[last] = 0
        paid = interest - capitalised
        balance += capitalised - principal
        _store(out, k, principal, paid, balance, capitalised=capitalised)
        if capitalised.any():
            _check_growth(balance)
    return VectorSchedule(book.periods, level, **out)


def _check_growth(balance: IntArray) -> None:
    """Refuse balances that capitalised interest has pushed past 2^61 fen."""
    runaway = np.flatnonzero(balance > _MAX_BALANCE)
    if runaway.size:
        raise InvalidInput(
            f"capitalised interest drives the balance of loans {runaway[:5].tolist()} past "
            "2^61 fen: the installment is far below the interest",
            field="installment_multiple",
        )


def _principal_schedule(book: _Book, share: IntArray) -> VectorSchedule:
    """The row loop of the equal-principal method: one vector step per row index."""
    out, balance = _empty(book), book.principal.copy()
    for k, last in enumerate(_last_rows(book.periods)):
        interest = rounded_interest(balance, book.rate, book.den, book.ratio, book.mode)
        principal = np.minimum(share, balance)
        principal[last] = balance[last]
        balance -= principal
        _store(out, k, principal, interest, balance)
    level = out["principal"][:, 0] + out["interest"][:, 0]
    return VectorSchedule(book.periods, np.ascontiguousarray(level), **out)


def _store(
    out: dict[str, IntArray], k: int, principal: IntArray, interest: IntArray,
    balance: IntArray, *, capitalised: IntArray | None = None,
) -> None:  # fmt: skip
    """Write row ``k`` of every loan (contiguous columns of the column-major arrays)."""
    out["principal"][:, k] = principal
    out["interest"][:, k] = interest
    out["payment"][:, k] = principal + interest
    out["balance"][:, k] = balance
    if capitalised is not None:
        out["capitalised"][:, k] = capitalised
