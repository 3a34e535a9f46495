"""A person's rate override (人工调整利率): an underwriter's approval at another rate than
the case's risk-based rate. Below it, it gives away price the risk did not earn, so a
second person confirms it (maker-checker, 双人复核); above it, it is no concession to the
borrower and needs no one else, but it is recorded all the same; at the risk-based rate
there is no override.

The risk-based rate of a case is the rate its automated decision stored
(:func:`case_risk_based_rate`). The override is stored beside the decision
(``rate_override``: the risk-based rate, the rate set, who set it, ``direction``
``below`` or ``above``) so that the second person, the pages and the audit trail see
what was set. One stored before directions were kept is ``below`` (only those were).

>>> override = rate_override(Decimal("0.0699"), Decimal("0.0549"), 7, "underwriter")
>>> stored = override_to_dict(override)
>>> stored["annual_rate"], stored["risk_based_rate"], stored["direction"]
('0.0549', '0.0699', 'below')
>>> override.needs_second_person
True
>>> raised = rate_override(Decimal("0.0699"), Decimal("0.0749"), 7, "underwriter")
>>> raised.direction, raised.needs_second_person
('above', False)
>>> rate_override(Decimal("0.0699"), Decimal("0.0699"), 7, "underwriter") is None
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from autolend.domain.decision import Decision
from autolend.domain.decision_policy import Policy
from autolend.domain.decision_rules import risk_based_rate
from autolend.domain.products import Product

__all__ = [
    "ABOVE", "BELOW", "RateOverride", "case_risk_based_rate", "direction_of",
    "override_to_dict", "rate_override",
]  # fmt: skip

BELOW = "below"  # a concession: a second person confirms it
ABOVE = "above"  # no concession: the underwriter's alone, recorded


@dataclass(frozen=True)
class RateOverride:
    """A rate set by ``set_by`` (user id, ``set_by_name`` their username) other than the
    case's ``risk_based_rate``: ``direction`` says which side of it (``below``,
    ``above``)."""

    risk_based_rate: Decimal
    annual_rate: Decimal
    set_by: int
    set_by_name: str
    direction: str = BELOW

    @property
    def needs_second_person(self) -> bool:
        """Below the risk-based rate only: a rate above it gives nothing away."""
        return self.direction == BELOW


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
    """The override ``rate`` makes of ``risk_based``: ``below`` or ``above`` it, None at
    it (the risk-based rate is no override)."""
    if rate == risk_based:
        return None
    direction = BELOW if rate < risk_based else ABOVE
    return RateOverride(risk_based, rate, user_id, username, direction)


def override_to_dict(override: RateOverride) -> dict[str, Any]:
    """As stored with the decision: rates as decimal strings, exact."""
    return {"risk_based_rate": str(override.risk_based_rate),
            "annual_rate": str(override.annual_rate), "set_by": override.set_by,
            "set_by_name": override.set_by_name,
            "direction": override.direction}  # fmt: skip


def direction_of(stored: Mapping[str, Any]) -> str:
    """The direction of a stored override; one stored before directions were kept was
    below the risk-based rate (no other was recorded).

    >>> direction_of({"annual_rate": "0.0549"}), direction_of({"direction": "above"})
    ('below', 'above')
    """
    return str(stored.get("direction", BELOW))
