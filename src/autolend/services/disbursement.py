"""Disbursement: the loan's principal paid out to the dealer in one payment on its start
date, with the deductions at source and the purchase recorded beside it.

* **Fees deducted** (e.g. origination): Cr 4120 fee income, the dealer receives less.
  Origination deducts every fee of the start: a financed one (in the principal) and one
  the borrower pays in cash at signing, which the dealer collects with the down payment.
* **Down payment** (首付): paid by the borrower *to the dealer*, not through the lender,
  so no lender account moves; it is recorded with the disbursement (response, audit
  record, and the loan's ``down_payment_minor`` by :func:`record_payout`: the vehicle's
  price is the down payment plus the amount financed) as an accountant expects of money
  the lender never held. It must be below the vehicle price
  when the terms carry one.
* **Subsidy** (贴息) of a 0 % / subsidised promotion: the car maker's buy-down is income
  the lender earns over the term, booked as Cr 2400 deferred subsidy income; deducted
  from the dealer's proceeds (``deducted``, the default) or owed by the maker
  (``receivable``: Dr 1140 subsidy receivable (loan)). See
  :func:`autolend.domain.ledger.disbursement_entry`. The subsidy is earned over the term
  (:mod:`autolend.domain.subsidy_schedule`): its amount per installment is stored with
  the loan's servicing terms here (``subsidy_schedule``), and
  :func:`autolend.services.subsidies.amortise_subsidies` moves it from 2400 to 4130
  subsidy income on each due date.

Worked example (checked by hand): price 100,000.00, down payment 20,000.00 paid to the
dealer, loan 80,000.00 at 0 % with a maker subsidy of 6,000.00 deducted: the dealer
receives 80,000.00 - 6,000.00 = 74,000.00; Dr 1100 principal 80,000.00 / Cr 1000 cash
74,000.00, Cr 2400 deferred subsidy income 6,000.00; disbursed 80,000.00 <= approved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from autolend.domain.errors import Conflict, InvalidInput
from autolend.domain.ledger import JournalEntry, disbursement_entry
from autolend.domain.money import Money, currency
from autolend.domain.schedule import LoanTerms, build_schedule
from autolend.domain.subsidy_schedule import (
    balance_day_weights,
    list_rate_weights,
    subsidy_schedule,
)
from autolend.services.contract_signing import application_of
from autolend.services.loan_ports import LoanRecord
from autolend.services.ports import UnitOfWork
from autolend.services.terms_codec import load_terms, with_subsidy_schedule

SUBSIDY_SETTLEMENTS = ("deducted", "receivable")


@dataclass(frozen=True)
class DisbursementInput:
    amount: Money
    value_date: date | None = None
    fees_deducted: Money | None = None
    down_payment: Money | None = None
    subsidy: Money | None = None
    subsidy_settlement: str = "deducted"  # deducted | receivable
    # The interest per installment at the product's list rate (the subsidy's pattern);
    # None: taken from the booked terms (see booked_subsidy_schedule).
    subsidy_weights: tuple[int, ...] | None = None


def _text(minor: int, code: str) -> str:
    return Money(minor, currency(code)).to_api()


def _check_amounts(loan: LoanRecord, data: DisbursementInput, day: date) -> None:
    amount = data.amount
    extras = (data.fees_deducted, data.down_payment, data.subsidy)
    for field, money in zip(("amount", "fees_deducted", "down_payment", "subsidy"),
                            (amount, *extras), strict=True):  # fmt: skip
        if money is not None and (money.currency.code != loan.currency or money.minor < 0):
            raise InvalidInput(f"{field} must be >= 0 in {loan.currency}", field=field)
    if loan.disbursed_minor + amount.minor > loan.approved_minor:
        raise Conflict("disbursed would exceed the approved amount", field="amount")
    if loan.status != "booked":
        raise Conflict(f"the loan is {loan.status}, not awaiting disbursement")
    if amount.minor != loan.principal_minor or day != loan.start_date:
        principal = _text(loan.principal_minor, loan.currency)
        raise InvalidInput(  # the field at fault: the amount first, else the date
            f"disburse the principal {principal} in one payment on {loan.start_date}",
            field="amount" if amount.minor != loan.principal_minor else "value_date",
        )
    if data.subsidy_settlement not in SUBSIDY_SETTLEMENTS:
        raise InvalidInput("subsidy_settlement must be deducted or receivable",
                           field="subsidy_settlement")  # fmt: skip
    price = load_terms(loan.terms_json)[0].vehicle_price
    if data.down_payment is not None and price is not None and data.down_payment >= price:
        raise InvalidInput(f"the down payment must be below the price {price}",
                           field="down_payment")  # fmt: skip


def disbursement_of(
    loan: LoanRecord, data: DisbursementInput
) -> tuple[JournalEntry, dict[str, Any]]:
    """The disbursement entry (fact ``disbursement``) and its wire form, or the reason
    it is refused; the dealer must receive something."""
    day = data.value_date or loan.start_date
    _check_amounts(loan, data, day)
    receivable = data.subsidy_settlement == "receivable"
    to_dealer = data.amount.minor
    for deducted in (data.fees_deducted, None if receivable else data.subsidy):
        to_dealer -= deducted.minor if deducted is not None else 0
    if to_dealer <= 0:
        raise InvalidInput("the deductions leave nothing for the dealer", field="amount")
    entry = disbursement_entry(
        loan.id,
        day,
        principal=data.amount,
        to_dealer=Money(to_dealer, data.amount.currency),
        fees_deducted=data.fees_deducted,
        paid=True,
        idempotency_key=f"loan:{loan.id}:disbursement",
        subsidy=data.subsidy,
        subsidy_receivable=receivable,
    )
    zero = Money.zero(data.amount.currency).to_api()

    def shown(money: Money | None) -> str:
        return money.to_api() if money is not None else zero

    body = {
        "loan_id": loan.id,
        "amount": data.amount.to_api(),
        "currency": loan.currency,
        "value_date": day.isoformat(),
        "fees_deducted": shown(data.fees_deducted),
        "down_payment": shown(data.down_payment),
        "subsidy": shown(data.subsidy),
        "subsidy_settlement": data.subsidy_settlement if data.subsidy else None,
        "to_dealer": _text(to_dealer, loan.currency),
    }
    return entry, body


def booked_subsidy_schedule(
    terms: LoanTerms, total: int, weights: tuple[int, ...] | None = None
) -> tuple[int, ...]:
    """The subsidy ``total`` (minor units) per installment of the booked schedule, in
    proportion to ``weights`` (the list-rate interest per installment, as origination
    prices it) or, without them, to the booked terms' list-rate interest when they carry
    their subsidy, else to opening balance x days (the list rate is not known then, and a
    constant rate cancels out of the shares)."""
    schedule = build_schedule(terms)
    if weights is None:
        weights = list_rate_weights(schedule) if terms.subsidy is not None else ()
        if not any(weights):
            weights = balance_day_weights(schedule)
    if len(weights) != len(schedule.rows):
        raise InvalidInput(f"the subsidy needs one weight per installment "
                           f"({len(schedule.rows)})", field="subsidy")  # fmt: skip
    return subsidy_schedule(total, weights)


def record_payout(uow: UnitOfWork, loan: LoanRecord, data: DisbursementInput) -> None:
    """Store what the disbursement fixes on the loan row, in the caller's transaction:
    the down payment (None when none was given) and, with a subsidy, its schedule in
    the servicing terms."""
    terms_json = loan.terms_json
    if data.subsidy is not None and data.subsidy.minor > 0:
        terms = load_terms(terms_json)[0]
        amounts = booked_subsidy_schedule(terms, data.subsidy.minor, data.subsidy_weights)
        terms_json = with_subsidy_schedule(terms_json, amounts)
    down = data.down_payment.minor if data.down_payment is not None else None
    uow.loans.record_payout(loan.id, down, terms_json)


def refuse_application_loan(uow: UnitOfWork, loan: LoanRecord) -> None:
    """409 where ``loan`` was booked from an application: such a loan is paid out by its
    application (``POST /api/v1/applications/{id}/disburse``), which waits for the signed
    contract and keeps whoever decided the case from paying it out; the loan's own
    disbursement is for loans booked directly (a migrated book, the loan API).

    Example: application 12 accepted its offer (loan 40 booked, contract unsigned): the
    loan API's disbursement of loan 40 is refused, naming application 12.
    """
    row = application_of(uow, loan)
    if row is None:
        return
    raise Conflict(
        f"loan {loan.id} was booked from application {row.id}: pay it out through "
        f"POST /api/v1/applications/{row.id}/disburse, once its contract is signed",
        message_zh=f"贷款 {loan.id} 由申请 {row.id} 生成：须在合同签署后通过该申请放款",
    )
