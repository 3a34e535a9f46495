"""Loan-to-value caps by jurisdiction, vehicle condition and energy, effective-dated.

Each regulation pack carries its caps (``RegulationPack.ltv_caps``, the numbers of
``shared/domain/REGULATION.md``, confidence ``sec``):

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
from autolend.domain.regulation import known_pack

__all__ = ["ltv_cap"]


def ltv_cap(pack: str, condition: str, energy: str, on: date) -> Decimal:
    """The regulatory LTV ceiling in force on ``on``; a code no pack has, or a pack without
    a cap for the condition and energy, names the field at fault (``pack``)."""
    found = known_pack(pack)
    cap = found.ltv_cap(str(condition), str(energy), on) if found is not None else None
    if cap is None:
        raise InvalidInput(f"no LTV cap for {pack}/{condition}/{energy}", field="pack")
    return cap
