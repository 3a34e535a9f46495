"""Where a disclosed APR stands against the regulation pack's comprehensive cost ceiling
(综合融资成本上限: 24 % a year in CN); moved out of :mod:`autolend.domain.quote`, which
re-exports both names.

>>> cost_ceiling_check(AnnualisedRate(Decimal("0.0179166"), 12)).value
'warn'
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from autolend.domain.apr import AnnualisedRate
from autolend.domain.errors import InvalidInput
from autolend.domain.schedule.validation import check_rate

__all__ = ["CeilingStatus", "cost_ceiling_check"]


def _fail(field: str, problem: str) -> InvalidInput:
    return InvalidInput(f"{field} {problem}", field=field)


class CeilingStatus(StrEnum):
    """Where an annualised cost stands against the comprehensive cost ceiling."""

    OK = "ok"
    WARN = "warn"
    BREACH = "breach"


def cost_ceiling_check(
    apr: AnnualisedRate, ceiling: Decimal = Decimal("0.24"), warn_at: Decimal = Decimal("0.20")
) -> CeilingStatus:
    """Check the disclosed nominal APR (rounded half-up to 0.01 %) against the
    comprehensive cost ceiling (24 % a year for licensed lenders in China): ``breach``
    above ``ceiling``, ``warn`` at or above ``warn_at``, else ``ok``.  Both limits come
    from the caller (the regulation pack).  E.g. 21.50 % -> warn, 24.00 % -> warn,
    24.01 % -> breach, 5.17 % -> ok.
    """
    check_rate(ceiling, "ceiling")
    check_rate(warn_at, "warn_at")
    if warn_at > ceiling:
        raise _fail("warn_at", f"{warn_at} must not exceed the ceiling {ceiling}")
    disclosed = apr.nominal_percent() / 100
    if disclosed > ceiling:
        return CeilingStatus.BREACH
    if disclosed >= warn_at:
        return CeilingStatus.WARN
    return CeilingStatus.OK
