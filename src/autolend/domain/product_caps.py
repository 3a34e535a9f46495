"""Loan-to-value caps by jurisdiction, vehicle condition and energy, effective-dated.

The regulation packs (:mod:`autolend.domain.regulation`) do not carry LTV yet; these
are the numbers of ``shared/domain/REGULATION.md`` (confidence ``sec``):

* CN, self-use new cars: 80 % (ICE) / 85 % (NEV) under the 2017 auto-loan rules; since the
  PBOC & NFRA notice of 2024-04 the lender sets it (its product catalogue, audited), so
  the pack's ceiling is 100 %;
* CN, used cars: 70 % throughout;
* US: no regulatory cap (lender policy, marked ``?``): 125 % allows negative equity.

A product's ``max_ltv_new`` / ``max_ltv_used`` must stay at or below the cap of every
energy it allows, on its ``effective_from``.

>>> from datetime import date
>>> ltv_cap("CN", "new", "nev", date(2023, 5, 1)), ltv_cap("CN", "used", "ice", date(2026, 1, 1))
(Decimal('0.85'), Decimal('0.70'))
>>> ltv_cap("CN", "new", "ice", date(2026, 1, 1))
Decimal('1.00')
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from autolend.domain.errors import InvalidInput
from autolend.domain.regulation.rules import Effective, in_force

__all__ = ["LTV_CAPS", "ltv_cap"]

_D = Decimal
# (pack, condition, energy) -> history of caps (fractions of the LTV price base).
LTV_CAPS: dict[tuple[str, str, str], tuple[Effective[Decimal], ...]] = {
    ("CN", "new", "ice"): (
        Effective(date(2017, 10, 13), _D("0.80"), "2017 auto-loan rules"),
        Effective(date(2024, 4, 1), _D("1.00"), "PBOC & NFRA 2024-04: set by the lender"),
    ),
    ("CN", "new", "nev"): (
        Effective(date(2017, 10, 13), _D("0.85"), "2017 auto-loan rules"),
        Effective(date(2024, 4, 1), _D("1.00"), "PBOC & NFRA 2024-04: set by the lender"),
    ),
    ("CN", "used", "ice"): (Effective(date(2017, 10, 13), _D("0.70"), "2017 auto-loan rules"),),
    ("CN", "used", "nev"): (Effective(date(2017, 10, 13), _D("0.70"), "2017 auto-loan rules"),),
    ("US", "new", "ice"): (Effective(date(2000, 1, 1), _D("1.25"), "lender policy", "?"),),
    ("US", "new", "nev"): (Effective(date(2000, 1, 1), _D("1.25"), "lender policy", "?"),),
    ("US", "used", "ice"): (Effective(date(2000, 1, 1), _D("1.25"), "lender policy", "?"),),
    ("US", "used", "nev"): (Effective(date(2000, 1, 1), _D("1.25"), "lender policy", "?"),),
}


def ltv_cap(pack: str, condition: str, energy: str, on: date) -> Decimal:
    """The regulatory LTV ceiling in force on ``on``; an unknown combination names the
    field at fault (``pack``)."""
    history = LTV_CAPS.get((pack, str(condition), str(energy)))
    if history is None:
        raise InvalidInput(f"no LTV cap for {pack}/{condition}/{energy}", field="pack")
    return in_force(history, on, "LTV cap")
