"""Regulation packs: the rules' numbers as effective-dated data, one pack per jurisdiction.

A loan is checked against the values in force on its contract date. Packs are data, never
code branches: :func:`pack_for` returns the pack for ``"CN"`` or ``"US"``, and every value is
read with ``pack.<rule>(on=date)``. Sources and confidence marks follow
``shared/domain/REGULATION.md``: ``ok`` read in the primary text, ``sec`` from secondary
sources, ``?`` unverified (keep configurable, say so in the UI).

>>> from datetime import date
>>> cn = pack_for("CN")
>>> cn.cost_ceiling(date(2026, 11, 28)).ceiling
Decimal('0.24')
>>> cn.lpr(date(2025, 6, 1)).one_year
Decimal('0.030')
"""

from __future__ import annotations

from autolend.domain.errors import InvalidInput
from autolend.domain.regulation.packs import CN_PACK, US_PACK
from autolend.domain.regulation.rules import (
    BureauContact,
    CostCeiling,
    Effective,
    FormLook,
    LoanPrimeRate,
    LtvCap,
    PenaltyUplift,
    RegulationPack,
    TermLimits,
    cost_cap_amount,
)

__all__ = [
    "CN_PACK", "US_PACK", "BureauContact", "CostCeiling", "Effective", "FormLook",
    "LoanPrimeRate", "LtvCap", "PenaltyUplift", "RegulationPack", "TermLimits", "all_packs",
    "cost_cap_amount", "known_pack", "pack_for",
]  # fmt: skip

_PACKS = {CN_PACK.code: CN_PACK, US_PACK.code: US_PACK}


def pack_for(code: str) -> RegulationPack:
    """The pack for a jurisdiction code; an unknown code names the known ones."""
    try:
        return _PACKS[code.upper()]
    except KeyError:
        known = ", ".join(sorted(_PACKS))
        raise InvalidInput(
            f"no regulation pack for {code!r}; known: {known}", field="jurisdiction"
        ) from None


def known_pack(code: str | None) -> RegulationPack | None:
    """The pack whose code is exactly ``code`` (as stored, upper case), None for a code no
    pack has: a caller that always took CN's rules for such a code keeps doing so.

    >>> known_pack("US").currency, known_pack("XX"), known_pack(None)
    ('USD', None, None)
    """
    return _PACKS.get(code) if code else None


def all_packs() -> tuple[RegulationPack, ...]:
    """Every pack, CN first (for a fact that is about mixing packs, e.g. another pack's
    repayment channel on a loan)."""
    return tuple(_PACKS.values())
