"""A person's rate override (人工调整利率): an underwriter's approval at a rate below the
case's risk-based rate gives away price the risk did not earn, so a second person
confirms it (maker-checker, 双人复核); a rate at or above the risk-based rate needs no one
else.

The risk-based rate of a case is the rate its automated decision stored
(:func:`case_risk_based_rate`). The override is stored beside the decision
(``rate_override``: the risk-based rate, the rate set, who set it) so that the second
person, the pages and the audit trail see what was given away.

>>> override = rate_override(Decimal("0.0699"), Decimal("0.0549"), 7, "underwriter")
>>> override_to_dict(override)["annual_rate"], override_to_dict(override)["risk_based_rate"]
('0.0549', '0.0699')
>>> rate_override(Decimal("0.0699"), Decimal("0.0699"), 7, "underwriter") is None
True
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from autolend.domain.decision import Decision
from autolend.domain.decision_policy import Policy
from autolend.domain.decision_rules import risk_based_rate
from autolend.domain.products import Product

__all__ = ["RateOverride", "case_risk_based_rate", "override_to_dict", "rate_override"]


@dataclass(frozen=True)
class RateOverride:
    """A rate set by ``set_by`` (user id, ``set_by_name`` their username) below the
    case's ``risk_based_rate``."""

    risk_based_rate: Decimal
    annual_rate: Decimal
    set_by: int
    set_by_name: str


def case_risk_based_rate(decision: Decision, product: Product, policy: Policy) -> Decimal:
    """The risk-based rate a person's rate is held against: the rate the automated
    decision stored for the case, else (a decision stored without one) the rate the PD's
    pricing band places in the product's range now (no PD: the top of the range).

    The stored rate, not one priced again at review: it is what the decision priced,
    under the policy in force when the case was decided, and lowered, where the fees made
    the APR exceed the pack's cost ceiling, until it fits
    (:func:`~autolend.domain.decision.decide`). Priced again, a policy changed since, or
    the ceiling's lowering, would make the rate the review takes when none is given (the
    stored one) an "override" below itself, or let a rate below the one the applicant was
    priced at pass alone.

    >>> from autolend.domain.product_catalogue import STANDARD_NEW
    >>> from autolend.domain.decision_policy import DEFAULT_POLICY
    >>> from autolend.domain.decision import Outcome
    >>> none = Decision(Outcome.REFER, (), None, None, None, None, "none", (), None, None,
    ...                 (), None, "default", 1)
    >>> case_risk_based_rate(none, STANDARD_NEW, DEFAULT_POLICY)  # no PD: the top
    Decimal('0.0899')
    >>> from dataclasses import replace
    >>> case_risk_based_rate(replace(none, annual_rate=Decimal("0.0649")), STANDARD_NEW,
    ...                      DEFAULT_POLICY)
    Decimal('0.0649')
    """
    if decision.annual_rate is not None:
        return decision.annual_rate
    pd = decision.pd if decision.pd is not None else Decimal(1)
    return risk_based_rate(product, policy.band_for(pd).position)


def rate_override(
    risk_based: Decimal, rate: Decimal, user_id: int, username: str
) -> RateOverride | None:
    """The override ``rate`` makes of ``risk_based``: one below it, else None (at or
    above the risk-based rate no second person is needed)."""
    if rate >= risk_based:
        return None
    return RateOverride(risk_based, rate, user_id, username)


def override_to_dict(override: RateOverride) -> dict[str, Any]:
    """As stored with the decision: rates as decimal strings, exact."""
    return {"risk_based_rate": str(override.risk_based_rate),
            "annual_rate": str(override.annual_rate), "set_by": override.set_by,
            "set_by_name": override.set_by_name}  # fmt: skip
