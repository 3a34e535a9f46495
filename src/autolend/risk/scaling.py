"""The check on a scorecard's points scale (standard library only).

Rule: ``base_points``, ``base_odds`` and ``pdo`` are each a finite number above 0 (a
scorecard's points are positive; NaN or infinity would score every applicant NaN or
-9.2e18), checked in that order; the error's field names the first one refused.  Used by
:class:`autolend.risk.scorecard.ScorecardScaling`, and by the command line before it loads
the modelling libraries (seconds), so ``--pdo 0`` is refused at once.

>>> check_scaling(600.0, 50.0, 0.0)
Traceback (most recent call last):
...
autolend.domain.errors.InvalidInput: pdo must be a finite number above 0, not 0.0
"""

from __future__ import annotations

import math

from autolend.domain.errors import InvalidInput

__all__ = ["check_scaling"]

_NAMED = (("base_points", "base points"), ("base_odds", "base odds"), ("pdo", "pdo"))


def check_scaling(base_points: float, base_odds: float, pdo: float) -> None:
    """Refuse the first of the three that is not a finite number above 0 (see the rule)."""
    for (key, words), value in zip(_NAMED, (base_points, base_odds, pdo), strict=True):
        if not math.isfinite(value) or value <= 0:
            raise InvalidInput(f"{words} must be a finite number above 0, not {value}", field=key)
