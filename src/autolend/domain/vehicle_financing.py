"""The decision's rule for a car that already secures another loan of the lender
(:mod:`autolend.services.vehicle_financing` finds it by the VIN's blind index).

A car pledged twice is a classic auto-finance fraud, but not always one: the first loan
may have been repaid elsewhere, or the dealer keyed a VIN wrongly. So the case is
referred, not declined: a person checks the title and the other loan. The texts name
no other application (the dealer reading them may not be its dealer).

>>> vin_in_use_hit().effect, vin_in_use_hit().field
('refer', 'vehicle.vin')
"""

from __future__ import annotations

from autolend.domain.decision_rules import REFER, RuleHit

__all__ = ["vin_in_use_hit"]


def vin_in_use_hit() -> RuleHit:
    """Refer: the car (its VIN) already secures another loan with the lender."""
    return RuleHit(
        "vin_already_financed", "vehicle.vin", REFER,
        "The car (its VIN) already secures another loan with the lender; a person will check",
        "该车辆（车架号）已为本机构另一笔贷款提供抵押，将转人工核实",
    )  # fmt: skip
