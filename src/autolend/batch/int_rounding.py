"""Exact integer rounding over int64 columns for the vectorised kernels.

The batch keeps amounts as int64 minor units and rates as int64 numerators over a common
denominator (10^10 by default, the domain's finest rate quantum), and rounds every ratio
exactly as the Decimal domain does, without float128 or Python objects.

Example: ``round_ratio([5, 7], 2, HALF_EVEN)`` is ``[2, 4]`` (2.5 -> 2, 3.5 -> 4).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from autolend.domain.errors import InvalidInput
from autolend.domain.money import RoundingMode

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

RATE_SCALE = 10**10
"""Default rate denominator: rates in units of 10^-10 (the domain's finest quantum)."""

AWAY_MODES = (RoundingMode.UP, RoundingMode.CEILING)  # amounts are >= 0: both round up


def rate_numerators(rates: Sequence[Decimal], scale: int = RATE_SCALE) -> IntArray:
    """Decimal annual rates as exact int64 numerators over ``scale``:
    ``Decimal("0.1234")`` -> 1_234_000_000 at 10^10.  A rate that is not a whole number
    of ``1 / scale`` raises :class:`InvalidInput`."""
    out = np.empty(len(rates), dtype=np.int64)
    for i, rate in enumerate(rates):
        scaled = rate * scale
        if scaled != scaled.to_integral_value():
            raise InvalidInput(f"rate {rate} is not a multiple of 1/{scale}", field="annual_rate")
        out[i] = int(scaled)
    return out


def round_ratio(num: IntArray, den: IntArray | int, mode: RoundingMode) -> IntArray:
    """``num / den`` (``num >= 0``, ``den > 0``, no overflow) rounded exactly by ``mode``:
    ``round_ratio([5, 7], 2, HALF_EVEN)`` is ``[2, 4]``."""
    q, rem = np.divmod(num, den)
    return _apply_mode(q, rem, den, mode)


def _apply_mode(q: IntArray, rem: IntArray, den: IntArray | int, mode: RoundingMode) -> IntArray:
    """The rounded quotient from the floor ``q`` and remainder ``0 <= rem < den``.

    HALF_UP adds 1 when ``2 rem >= den``; HALF_EVEN when ``2 rem > den`` or a tie with
    ``q`` odd; UP and CEILING when ``rem > 0``; DOWN and FLOOR never (all values >= 0).
    """
    if mode is RoundingMode.HALF_UP:
        return q + (2 * rem >= den)
    if mode is RoundingMode.HALF_EVEN:
        twice = 2 * rem
        odd_tie = (twice == den) & (q & 1 == 1)
        rounded: IntArray = q + ((twice > den) | odd_tie)
        return rounded
    if mode in AWAY_MODES:
        return q + (rem > 0)
    return q


def rounded_interest(
    balance: IntArray, rate: IntArray, den: int, ratio: FloatArray, mode: RoundingMode
) -> IntArray:
    """``round(balance x rate / den)`` by ``mode``, exact for ``0 <= balance <= 2^62``,
    ``0 <= rate <= den < 2^42``; ``ratio`` is ``rate / den`` in float64.

    The float64 estimate ``q`` is within ``balance x 2^-51`` (at most 2^11) of the
    floor, so the true remainder ``balance x rate - q x den`` is far inside int64 and
    wrapping arithmetic gives it exactly; its floor division by ``den`` corrects ``q``.
    """
    q = (balance * ratio).astype(np.int64)
    with np.errstate(over="ignore"):
        rem = balance * rate - q * den  # modulo 2^64, exact: see the docstring
    fix = rem // den  # -1, 0 or 1 below 2^51 fen
    return _apply_mode(q + fix, rem - fix * den, den, mode)


def rounded_interest_per_row(
    balance: IntArray, rate: IntArray, den: IntArray, mode: RoundingMode
) -> IntArray:
    """:func:`rounded_interest` with a denominator per row (e.g. 360 or 365 x 10^10 for
    a daily rate), same bounds: ``0 <= rate <= den < 2^42``, ``0 <= balance <= 2^62``.

    >>> import numpy as np
    >>> d = np.array([360, 365], dtype=np.int64) * RATE_SCALE
    >>> rounded_interest_per_row(np.array([1_000_000, 1_000_000]),
    ...                          np.array([900_000_000, 900_000_000]), d, RoundingMode.HALF_UP)
    array([250, 247])
    """
    q = (balance * (rate / den)).astype(np.int64)
    with np.errstate(over="ignore"):
        rem = balance * rate - q * den  # modulo 2^64, exact as in rounded_interest
    fix = rem // den
    return _apply_mode(q + fix, rem - fix * den, den, mode)
