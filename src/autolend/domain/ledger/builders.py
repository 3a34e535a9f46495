"""Builders for the common loan entries, balanced by construction.

Each builder states its accounting (Dr / Cr) and refuses amounts that are not
positive Money.  Worked example, checked by hand: loan 7 is booked for 100,000.00 with
a 1,000.00 origination fee deducted, so the dealer is owed 99,000.00; 15.00 of interest
accrues on the first day and 385.00 more up to the first due date; the borrower pays
3,000.00, of which 400.00 is interest and 2,600.00 principal.

=========================  ==========  ==========
account                    debit       credit
=========================  ==========  ==========
1100 principal (loan 7)    100,000.00  2,600.00    -> 97,400.00 Dr
2200 dealer payable                    99,000.00   -> 99,000.00 Cr
4120 fee income                        1,000.00    ->  1,000.00 Cr
1110 interest (loan 7)     15 + 385    400.00      ->      0.00
4100 interest income                   15 + 385    ->    400.00 Cr
1000 cash settlement       3,000.00                ->  3,000.00 Dr
=========================  ==========  ==========

Debit balances 97,400 + 3,000 = 100,400 = 99,000 + 1,000 + 400 credit balances.

>>> from datetime import date
>>> from autolend.domain.ledger.accruals import accrual_entry
>>> from autolend.domain.ledger.balances import loan_balances, trial_balance
>>> cny = lambda text: Money.parse(text, "CNY")
>>> entries = [
...     disbursement_entry(7, date(2024, 3, 1), principal=cny("100000"),
...                        to_dealer=cny("99000"), fees_deducted=cny("1000")),
...     accrual_entry(7, date(2024, 3, 1), cny("15")),
...     accrual_entry(7, date(2024, 3, 31), cny("385")),
...     repayment_entry(7, date(2024, 4, 1), {SubLedger.INTEREST: cny("400"),
...                     SubLedger.PRINCIPAL: cny("2600")}, cash=cny("3000"))]
>>> {sub.value: m.to_api() for sub, m in loan_balances(entries, 7, date(2024, 4, 1)).items()
...  if not m.is_zero()}
{'principal': '97400.00'}
>>> {gl.code: minor for (gl, _), minor in trial_balance(entries).items()}
{'1000': 300000, '1100': 9740000, '1110': 0, '2200': -9900000, '4100': -40000, '4120': -100000}
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from autolend.domain.choices import coerce_enum as coerce
from autolend.domain.errors import InvalidInput
from autolend.domain.ledger._build import (
    CR,
    DR,
    REPAYABLE,
    add_up,
    general,
    nonzero_parts,
    optional,
    positive,
    two_line_entry,
)
from autolend.domain.ledger.accounts import AccountRef, GlAccount, SubLedger
from autolend.domain.ledger.entries import EntryKind, JournalEntry, Line
from autolend.domain.money import Money

__all__ = [
    "disbursement_entry",
    "migration_entry",
    "payable_payment_entry",
    "recovery_entry",
    "refund_entry",
    "repayment_entry",
]

_REPAYMENT_KINDS = (EntryKind.REPAYMENT, EntryKind.PREPAYMENT, EntryKind.PAYOFF)


def disbursement_entry(
    loan_id: int,
    value_date: date,
    *,
    principal: Money,
    to_dealer: Money,
    fees_deducted: Money | None = None,
    paid: bool = False,
    idempotency_key: str | None = None,
    subsidy: Money | None = None,
    subsidy_receivable: bool = False,
) -> JournalEntry:
    """Book (``paid=False``, kind booking) or pay out (``paid=True``, kind disbursement)
    a loan whose proceeds go to the dealer, fees deducted at source.

    Dr 1100 principal (loan) ``principal``; Cr 2200 dealer payable (or 1000 cash when
    paid) ``to_dealer``; Cr 4120 fee income ``fees_deducted``.  A booked payable is
    settled later by :func:`payable_payment_entry`.

    A promotion's interest ``subsidy`` (贴息, the car maker's buy-down of the rate) is
    income the lender earns over the term, so it is booked as Cr 2400 deferred subsidy
    income.  Deducted from the dealer's proceeds (the default: the dealer, who claims it
    from the maker, receives less), or with ``subsidy_receivable`` owed by the maker:
    Dr 1140 subsidy receivable (loan), settled by ``subsidy_entry(received=True)``.
    ``principal`` must equal ``to_dealer + fees_deducted`` (+ ``subsidy`` if deducted).
    E.g. price 100,000.00, down payment 20,000.00 (paid to the dealer, not through the
    lender), loan 80,000.00 at 0 % with a 6,000.00 maker subsidy deducted: Dr principal
    80,000.00 / Cr cash 74,000.00, Cr deferred subsidy income 6,000.00.
    """
    dealer = positive(to_dealer, "to_dealer")
    fees, bought = optional(fees_deducted, "fees_deducted"), optional(subsidy, "subsidy")
    deducted = [m for m in (fees, None if subsidy_receivable else bought) if m is not None]
    paid_out = add_up([dealer, *deducted], "to_dealer")
    if not (paid_out - positive(principal, "principal")).is_zero():
        message = f"principal {principal} != to_dealer + deductions {paid_out}"
        raise InvalidInput(message, field="principal")
    payee = GlAccount.CASH_SETTLEMENT if paid else GlAccount.DEALER_PAYABLE
    lines: list[Line] = [
        (AccountRef.loan(loan_id, SubLedger.PRINCIPAL), DR, principal),
        (general(payee), CR, dealer),
    ]
    if fees is not None:
        lines.append((general(GlAccount.FEE_INCOME), CR, fees))
    if bought is not None:
        if subsidy_receivable:
            lines.append((AccountRef.loan(loan_id, SubLedger.SUBSIDY), DR, bought))
        lines.append((general(GlAccount.DEFERRED_SUBSIDY_INCOME), CR, bought))
    kind = EntryKind.DISBURSEMENT if paid else EntryKind.BOOKING
    return JournalEntry.build(
        kind,
        value_date,
        lines,
        description=f"{kind} of loan {loan_id}",
        idempotency_key=idempotency_key,
    )


def payable_payment_entry(
    payable: GlAccount,
    value_date: date,
    amount: Money,
    *,
    loan_id: int | None = None,
    idempotency_key: str | None = None,
) -> JournalEntry:
    """Pay out what is owed to a dealer or a borrower.

    Dr 2200 dealer payable (kind disbursement) or 2300 borrower refund payable (kind
    refund); Cr 1000 cash settlement.
    """
    kinds = {
        GlAccount.DEALER_PAYABLE: EntryKind.DISBURSEMENT,
        GlAccount.BORROWER_REFUND_PAYABLE: EntryKind.REFUND,
    }
    payable = coerce(payable, GlAccount, "payable")
    if payable not in kinds:
        raise InvalidInput(f"{payable.label} is not a payable to pay out", field="payable")
    return two_line_entry(
        kinds[payable],
        value_date,
        general(payable),
        general(GlAccount.CASH_SETTLEMENT),
        positive(amount, "amount"),
        loan_id=loan_id,
        key=idempotency_key,
        description=f"payment of {payable}",
    )


def _receipt_lines(
    loan_id: int,
    allocation: Mapping[SubLedger, Money],
    received: Money | None,
    applied: Money | None,
) -> list[Line]:
    """Dr cash / suspense, Cr the allocation: refused unless the two add up."""
    parts = nonzero_parts(allocation, (*REPAYABLE, SubLedger.SUSPENSE), "allocation")
    if applied is not None and any(sub is SubLedger.SUSPENSE for sub, _ in parts):
        raise InvalidInput("cannot take from and add to suspense in one entry", field="allocation")
    sources = [m for m in (received, applied) if m is not None]
    paid, allocated = add_up(sources, "cash"), add_up([m for _, m in parts], "allocation")
    if not (paid - allocated).is_zero():
        message = f"allocation {allocated} does not add up to the amount received {paid}"
        raise InvalidInput(message, field="allocation")
    lines: list[Line] = []
    if received is not None:
        lines.append((general(GlAccount.CASH_SETTLEMENT), DR, received))
    if applied is not None:
        lines.append((AccountRef.loan(loan_id, SubLedger.SUSPENSE), DR, applied))
    lines.extend((AccountRef.loan(loan_id, sub), CR, money) for sub, money in parts)
    return lines


def repayment_entry(
    loan_id: int,
    value_date: date,
    allocation: Mapping[SubLedger, Money],
    *,
    cash: Money | None = None,
    from_suspense: Money | None = None,
    kind: EntryKind = EntryKind.REPAYMENT,
    idempotency_key: str | None = None,
    external_ref: str | None = None,
) -> JournalEntry:
    """A receipt (``cash``) and / or an application of the loan's suspense balance
    (``from_suspense``), allocated to the loan's receivables.

    Dr 1000 cash ``cash``; Dr 2100 suspense (loan) ``from_suspense``; Cr 1120 penalty,
    1110 interest, 1130 fees, 1100 principal (loan) by ``allocation``; an overpayment is
    allocated to ``SubLedger.SUSPENSE`` (Cr 2100).  The allocation (zeros ignored) must
    add up to what was received.  ``kind`` is repayment, prepayment or payoff.
    """
    kind = coerce(kind, EntryKind, "kind")
    if kind not in _REPAYMENT_KINDS:
        raise InvalidInput(
            f"kind must be repayment, prepayment or payoff, not {kind}", field="kind"
        )
    lines = _receipt_lines(
        loan_id, allocation, optional(cash, "cash"), optional(from_suspense, "from_suspense")
    )
    return JournalEntry.build(
        kind,
        value_date,
        lines,
        description=f"{kind} of loan {loan_id}",
        loan_id=loan_id,
        idempotency_key=idempotency_key,
        external_ref=external_ref,
    )


def recovery_entry(
    loan_id: int, value_date: date, cash: Money, *, idempotency_key: str | None = None
) -> JournalEntry:
    """Cash collected on a written-off loan: Dr 1000 cash / Cr 4200 recovery income.

    No sub-ledger moves (the loan's balances were written off); ``loan_id`` is kept on
    the entry.
    """
    return two_line_entry(
        EntryKind.RECOVERY,
        value_date,
        general(GlAccount.CASH_SETTLEMENT),
        general(GlAccount.RECOVERY_INCOME),
        positive(cash, "cash"),
        loan_id=loan_id,
        description=f"recovery on loan {loan_id}",
        key=idempotency_key,
    )


def refund_entry(
    loan_id: int,
    value_date: date,
    amount: Money,
    *,
    paid: bool = False,
    idempotency_key: str | None = None,
) -> JournalEntry:
    """Return an overpayment held in suspense: Dr 2100 suspense (loan) / Cr 2300 borrower
    refund payable, or Cr 1000 cash when ``paid``."""
    payee = GlAccount.CASH_SETTLEMENT if paid else GlAccount.BORROWER_REFUND_PAYABLE
    return two_line_entry(
        EntryKind.REFUND,
        value_date,
        AccountRef.loan(loan_id, SubLedger.SUSPENSE),
        general(payee),
        positive(amount, "amount"),
        key=idempotency_key,
        description=f"refund of overpayment on loan {loan_id}",
    )


def migration_entry(
    loan_id: int, value_date: date, balances: Mapping[SubLedger, Money]
) -> JournalEntry:
    """Opening balances of a loan migrated from another system.

    Each balance (>= 0, zeros skipped) goes on its normal side of the loan's sub-ledger
    (Dr principal, interest, penalty, fees, subsidy; Cr suspense, allowance); 3000 equity
    migration takes the net on the other side.  E.g. principal 50,000.00 and allowance
    500.00: Dr principal 50,000.00, Cr allowance 500.00, Cr equity 49,500.00.
    """
    parts = nonzero_parts(balances, tuple(SubLedger), "balances")
    signed = [m if sub.normal_side is DR else -m for sub, m in parts]
    net = add_up(signed, "balances")
    lines: list[Line] = [(AccountRef.loan(loan_id, sub), sub.normal_side, m) for sub, m in parts]
    if not net.is_zero():
        lines.append((general(GlAccount.EQUITY_MIGRATION), CR if net.minor > 0 else DR, net.abs()))
    return JournalEntry.build(
        EntryKind.MIGRATION,
        value_date,
        lines,
        loan_id=loan_id,
        description=f"opening balances of loan {loan_id}",
        idempotency_key=f"migration:{loan_id}",
    )
