"""Which amount of a case the second-approval limit is compared with (双人复核金额).

The policy's ``second_approval_above`` (by default 300,000.00 CNY, 50,000.00 USD) is
compared with the **vehicle amount financed**: the amount applied for (price less down
payment, or the ``amount`` asked), or a counter-offer's own amount
(:func:`~autolend.domain.decision_policy.needs_second_person`, the one rule the automated
decision and a person's review both ask). It is not compared with the total
financed, which adds the fees the product finances (STD_NEW's 1,500.00 GPS fee): a car
financed for 300,000.00 is a 301,500.00 loan and needs no second person; 300,000.01
for the car does.

The review queue and the case page show both amounts, labelled, and say which one is
compared (:func:`second_approval_view`):

>>> from autolend.domain.money import Money
>>> view = second_approval_view(Money.parse("350000", "CNY"), Money.parse("1500", "CNY"),
...                             Money.parse("300000", "CNY"))
>>> view["compared"], view["vehicle_amount"], view["total_financed"], view["above"]
('vehicle_amount', '350000.00', '351500.00', True)
"""

from __future__ import annotations

from datetime import date
from typing import Any

from autolend.domain.decision_policy import Policy, needs_second_person
from autolend.domain.errors import InvalidInput
from autolend.domain.fees import split_fees
from autolend.domain.money import Money
from autolend.domain.products import Product
from autolend.services.application_ports import ApplicationRow
from autolend.services.applications import product_in_force
from autolend.services.ports import Clock, UnitOfWork
from autolend.services.review_second import stored_of

__all__ = ["limit_of", "second_approval_of", "second_approval_view"]

COMPARED = "vehicle_amount"  # the name of the amount compared, as the views give it


def second_approval_view(
    vehicle_amount: Money, financed_fees: Money | None, limit: Money | None
) -> dict[str, Any]:
    """The amounts of a case as the queue and the case page label them: the vehicle
    amount (``compared`` names it), the fees the product finances and the total
    financed (null when the product is not known), the ``limit`` in the case's currency
    (null when the policy has none) and whether the amount is ``above`` it."""
    total = None if financed_fees is None else vehicle_amount + financed_fees
    return {
        "compared": COMPARED, "vehicle_amount": vehicle_amount.to_api(),
        "financed_fees": None if financed_fees is None else financed_fees.to_api(),
        "total_financed": None if total is None else total.to_api(),
        "limit": None if limit is None else limit.to_api(),
        "above": limit is not None and needs_second_person(vehicle_amount, limit),
    }  # fmt: skip


def _vehicle_amount(row: ApplicationRow) -> Money:
    """The amount an approval of ``row`` finances for the car: a counter-offer's own."""
    counter = stored_of(row).get("counter_offer")
    if counter and counter.get("amount"):
        return Money.parse(counter["amount"], row.currency)
    return Money.of_minor(row.amount_minor, row.currency)


def second_approval_of(
    uow: UnitOfWork, clock: Clock, row: ApplicationRow, policy: Policy,
    products: dict[tuple[str, date], Product | None] | None = None,
) -> dict[str, Any]:  # fmt: skip
    """:func:`second_approval_view` of the case ``row``: the product of its filing day
    prices its financed fees (kept in ``products`` for the next case of a page), the
    policy's limit is that of its currency."""
    amount, key = _vehicle_amount(row), (row.product_code, clock.day_of(row.created_at))
    known = {} if products is None else products
    if key not in known:
        known[key] = product_in_force(uow, *key)
    product = known[key]
    fees = None if product is None else split_fees(product.fees, amount).financed
    return second_approval_view(amount, fees, limit_of(policy, row.currency))


def limit_of(policy: Policy, currency: str) -> Money | None:
    """The policy's second-approval limit in ``currency``; None where it has no amount
    in that currency (the case is then shown without one)."""
    try:
        return policy.in_currency(currency).second_approval_above
    except InvalidInput:
        return None
