"""What an interest subsidy plan has already granted one borrower at this lender.

A plan's ``cap`` (:class:`~autolend.domain.products.ProductSubsidy`) is per borrower and
lender, over all their loans under it: the 2025 consumer-loan plan pays one borrower at
most 3,000.00 here. What it has granted is read from what is stored: the subsidy each of
the customer's other loans deferred at disbursement (its Cr 2400 deferred subsidy income,
:meth:`~autolend.services.loan_ports.LoanRepository.deferred_subsidy`; a reversed
disbursement nets to 0), counted for the loans whose product, in the version in force on
the loan's start date, pays under the same plan (:func:`same_plan`: the same subsidiser
and the same per-borrower cap).

Example: a borrower with a NEV_GREEN loan whose state subsidy of 1,450.00 was booked
and a cancelled one that booked nothing has 1,450.00 granted, so a third loan under the
plan gets at most 3,000.00 - 1,450.00 = 1,550.00
(:func:`~autolend.domain.product_rules.subsidy_total`).

It is read twice. At the decision (and at a review that prices offers again),
:func:`room_at_offer` gives the offers the room left, and the offers and so the contract
are priced within it (:mod:`autolend.domain.offers_subsidy`: with 200.00 left, a loan
whose full subsidy is 795.60 is offered at 6.91 % instead of 6.63 %, the state paying
178.43). At the payout, :func:`granted_before` reads it again under the customer's lock,
and the subsidy booked is at most what is left then: the payout has the final word. If
the room shrank in between (another loan of the borrower under the plan was paid out
first), the borrower keeps the rate of the signed contract, the subsidiser is owed only
what is left (0 when nothing is), and the lender forgoes the difference.
"""

from __future__ import annotations

from autolend.domain.products import Product, ProductSubsidy
from autolend.services.applications import product_in_force
from autolend.services.ports import UnitOfWork

__all__ = ["granted_before", "granted_under_plan", "room_at_offer", "same_plan"]

_MOST_LOANS = 1_000  # a borrower's loans read at most (far above any real borrower's)


def same_plan(a: ProductSubsidy | None, b: ProductSubsidy | None) -> bool:
    """Whether two product subsidies are one capped plan: the same subsidiser and the
    same per-borrower cap (an uncapped subsidy belongs to no plan that needs counting).

    >>> from decimal import Decimal
    >>> from autolend.domain.money import Money
    >>> state = ProductSubsidy(subsidiser="state", rate_points=Decimal("0.01"),
    ...                        cap=Money.parse("3000", "CNY"))
    >>> same_plan(state, state), same_plan(state, ProductSubsidy(subsidiser="oem",
    ...     rate_points=Decimal("0.01"), cap=Money.parse("3000", "CNY")))
    (True, False)
    """
    if a is None or b is None or a.cap is None:
        return False
    return (a.subsidiser, a.cap) == (b.subsidiser, b.cap)


def granted_under_plan(
    uow: UnitOfWork, customer_id: int | None, plan: ProductSubsidy, *, excluding: int
) -> int:
    """The subsidy (minor units) the customer's loans other than ``excluding`` booked
    under ``plan`` (see the module docstring); 0 for a loan with no customer or a plan
    without a per-borrower cap. The customer's row is locked first, in the payout's
    transaction: a second payout for the same borrower reads only after the first
    committed, so two at once cannot both book the whole room left under the cap."""
    if customer_id is None or plan.cap is None:
        return 0
    uow.customers.lock(customer_id)
    return _granted(uow, customer_id, plan, excluding)


def _granted(uow: UnitOfWork, customer_id: int, plan: ProductSubsidy, excluding: int | None
             ) -> int:  # fmt: skip
    """What the customer's loans (but ``excluding``) deferred under ``plan``, unlocked."""
    loans = uow.loans.of_customer(customer_id, owner_user_id=None, dealer_id=None,
                                  all_rows=True, limit=_MOST_LOANS)  # fmt: skip
    granted = 0
    for loan in loans:
        if loan.id == excluding:
            continue
        product = product_in_force(uow, loan.product_code, loan.start_date)
        if product is not None and same_plan(plan, product.subsidy):
            granted += max(uow.loans.deferred_subsidy(loan.id)[0], 0)
    return granted


def room_at_offer(uow: UnitOfWork, product: Product | None, customer_id: int | None
                  ) -> int | None:  # fmt: skip
    """What ``product``'s subsidy plan leaves the customer for a loan being offered
    (minor units; :meth:`~autolend.domain.products.ProductSubsidy.room`): the cap less
    what their loans paid out under the plan booked; None without a capped plan. Read
    without a lock (the decision's transaction only reads): the payout reads it again.
    Cap 3,000.00, 2,800.00 granted: 200.00; a customer new to the lender: 3,000.00."""
    if product is None or product.subsidy is None or product.subsidy.cap is None:
        return None
    plan = product.subsidy
    return plan.room(0 if customer_id is None else _granted(uow, customer_id, plan, None))


def granted_before(
    uow: UnitOfWork, product: Product | None, customer_id: int | None, loan_id: int
) -> int:
    """What ``product``'s subsidy plan granted the customer before loan ``loan_id`` (the
    loan being paid out under it): :func:`granted_under_plan`, 0 without a subsidy."""
    if product is None or product.subsidy is None:
        return 0
    return granted_under_plan(uow, customer_id, product.subsidy, excluding=loan_id)
