"""Builders for the non-cash loan entries: accruals, fees, subsidy, allowance, write-off.

Each is balanced by construction and states its accounting (Dr / Cr).  Write-offs are
charged against the loan's allowance; a shortfall goes to 5100 impairment expense.

>>> from datetime import date
>>> cny = lambda text: Money.parse(text, "CNY")
>>> entry = write_off_entry(5, date(2024, 9, 30), {SubLedger.PRINCIPAL: cny("9000"),
...                         SubLedger.INTEREST: cny("1000")}, allowance=cny("8000"))
>>> [f"{p.side.value} {p.account.gl.code} {p.amount.to_api()}" for p in entry.postings]
['debit 1190 8000.00', 'debit 5100 2000.00', 'credit 1110 1000.00', 'credit 1100 9000.00']
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from autolend.domain.errors import InvalidInput
from autolend.domain.ledger._build import (
    CR,
    DR,
    REPAYABLE,
    add_up,
    general,
    nonzero_parts,
    positive,
    two_line_entry,
)
from autolend.domain.ledger.accounts import AccountRef, GlAccount, SubLedger
from autolend.domain.ledger.entries import EntryKind, JournalEntry, Line
from autolend.domain.money import Money

__all__ = [
    "accrual_entry", "allowance_entry", "fee_charge_entry", "fee_waiver_entry",
    "penalty_accrual_entry", "subsidy_amortisation_entry", "subsidy_entry",
    "subsidy_true_up_entry", "write_off_entry",
]  # fmt: skip


def accrual_entry(loan_id: int, day: date, interest: Money) -> JournalEntry:
    """One day's contract interest: Dr 1110 interest receivable (loan) / Cr 4100 interest
    income.  Its idempotency key ``accrual_interest:<loan>:<day>`` makes a second
    accrual for the same loan and day a duplicate (RELIABILITY invariant 4)."""
    return two_line_entry(
        EntryKind.ACCRUAL_INTEREST,
        day,
        AccountRef.loan(loan_id, SubLedger.INTEREST),
        general(GlAccount.INTEREST_INCOME),
        positive(interest, "interest"),
        description=f"interest on loan {loan_id} for {day.isoformat()}",
        key=f"accrual_interest:{loan_id}:{day.isoformat()}",
    )


def penalty_accrual_entry(loan_id: int, day: date, penalty: Money) -> JournalEntry:
    """One day's penalty and compound interest: Dr 1120 penalty receivable (loan) /
    Cr 4110 penalty income; idempotency key ``accrual_penalty:<loan>:<day>``."""
    return two_line_entry(
        EntryKind.ACCRUAL_PENALTY,
        day,
        AccountRef.loan(loan_id, SubLedger.PENALTY),
        general(GlAccount.PENALTY_INCOME),
        positive(penalty, "penalty"),
        description=f"penalty on loan {loan_id} for {day.isoformat()}",
        key=f"accrual_penalty:{loan_id}:{day.isoformat()}",
    )


def fee_charge_entry(loan_id: int, value_date: date, amount: Money) -> JournalEntry:
    """A fee charged to the borrower: Dr 1130 fees receivable (loan) / Cr 4120 fee income."""
    return two_line_entry(
        EntryKind.FEE_CHARGE,
        value_date,
        AccountRef.loan(loan_id, SubLedger.FEES),
        general(GlAccount.FEE_INCOME),
        positive(amount, "amount"),
        description=f"fee on loan {loan_id}",
    )


def fee_waiver_entry(loan_id: int, value_date: date, amount: Money) -> JournalEntry:
    """A fee waived (reverses the income): Dr 4120 fee income / Cr 1130 fees receivable."""
    return two_line_entry(
        EntryKind.FEE_WAIVER,
        value_date,
        general(GlAccount.FEE_INCOME),
        AccountRef.loan(loan_id, SubLedger.FEES),
        positive(amount, "amount"),
        description=f"fee waived on loan {loan_id}",
    )


def subsidy_entry(
    loan_id: int, value_date: date, amount: Money, *, received: bool = False
) -> JournalEntry:
    """Interest subsidy (贴息) from a car maker, dealer or the state.

    Earned: Dr 1140 subsidy receivable (loan) / Cr 4130 subsidy income.
    Received (``received=True``): Dr 1000 cash / Cr 1140 subsidy receivable (loan).
    """
    receivable = AccountRef.loan(loan_id, SubLedger.SUBSIDY)
    amount = positive(amount, "amount")
    if received:
        return two_line_entry(
            EntryKind.SUBSIDY,
            value_date,
            general(GlAccount.CASH_SETTLEMENT),
            receivable,
            amount,
            description=f"subsidy received for loan {loan_id}",
        )
    return two_line_entry(
        EntryKind.SUBSIDY,
        value_date,
        receivable,
        general(GlAccount.SUBSIDY_INCOME),
        amount,
        description=f"subsidy earned on loan {loan_id}",
    )


def subsidy_amortisation_entry(
    loan_id: int, value_date: date, amount: Money, *, key: str | None = None
) -> JournalEntry:
    """Part of a promotion's deferred subsidy earned (see
    :mod:`autolend.domain.subsidy_schedule`): Dr 2400 deferred subsidy income / Cr 4130
    subsidy income, kind ``subsidy``, for loan ``loan_id`` (neither account is a loan
    sub-ledger, so the loan is named on the entry). E.g. installment 1 of a 6,000.00
    subsidy spread 12 : 11 : ... : 1 earns 923.07 on its due date.

    >>> entry = subsidy_amortisation_entry(8, date(2026, 2, 5), Money.parse("923.07", "CNY"))
    >>> entry.loan_id, [f"{p.side.value} {p.account.gl.code}" for p in entry.postings]
    (8, ['debit 2400', 'credit 4130'])
    """
    return two_line_entry(
        EntryKind.SUBSIDY,
        value_date,
        general(GlAccount.DEFERRED_SUBSIDY_INCOME),
        general(GlAccount.SUBSIDY_INCOME),
        positive(amount, "amount"),
        loan_id=loan_id,
        description=f"deferred subsidy earned on loan {loan_id}",
        key=key,
    )


def subsidy_true_up_entry(
    loan_id: int, value_date: date, change: Money, *, key: str | None = None
) -> JournalEntry:
    """The deferred subsidy earned brought back to its plan, when the plan moved under
    installments already earned (IFRS 9 B5.4.6: the cumulative catch-up at once). A
    positive ``change`` earns more, Dr 2400 / Cr 4130 as
    :func:`subsidy_amortisation_entry`; a negative one takes income back, Dr 4130 /
    Cr 2400. E.g. a prepayment bounced after its installment 4 had earned its revised
    222.52 of a booked 450.00: +227.48.

    >>> back = subsidy_true_up_entry(8, date(2026, 2, 5), Money.parse("-12.50", "CNY"))
    >>> [f"{p.side.value} {p.account.gl.code} {p.amount.to_api()}" for p in back.postings]
    ['debit 4130 12.50', 'credit 2400 12.50']
    """
    deferred = general(GlAccount.DEFERRED_SUBSIDY_INCOME)
    income = general(GlAccount.SUBSIDY_INCOME)
    debit, credit = (deferred, income) if change.minor > 0 else (income, deferred)
    return two_line_entry(
        EntryKind.SUBSIDY,
        value_date,
        debit,
        credit,
        positive(Money(abs(change.minor), change.currency), "amount"),
        loan_id=loan_id,
        description=f"deferred subsidy brought back to its plan on loan {loan_id}",
        key=key,
    )


def allowance_entry(loan_id: int, value_date: date, change: Money) -> JournalEntry:
    """Move the loan's ECL allowance by the signed ``change``.

    Charge (``change > 0``): Dr 5100 impairment expense / Cr 1190 allowance (loan).
    Release (``change < 0``): Dr 1190 allowance (loan) / Cr 5100 impairment expense.
    """
    if not isinstance(change, Money) or change.is_zero():
        raise InvalidInput(
            f"change must be a non-zero Money amount, got {change!r}", field="change"
        )
    allowance = AccountRef.loan(loan_id, SubLedger.ALLOWANCE)
    expense = general(GlAccount.IMPAIRMENT_EXPENSE)
    debit, credit = (expense, allowance) if change.minor > 0 else (allowance, expense)
    verb = "charge" if change.minor > 0 else "release"
    return two_line_entry(
        EntryKind.ALLOWANCE,
        value_date,
        debit,
        credit,
        change.abs(),
        description=f"allowance {verb} for loan {loan_id}",
    )


def write_off_entry(
    loan_id: int,
    value_date: date,
    outstanding: Mapping[SubLedger, Money],
    allowance: Money,
    *,
    advance: Money | None = None,
    idempotency_key: str | None = None,
) -> JournalEntry:
    """Write off (核销) the loan's receivables against its allowance.

    Dr 1190 allowance (loan) min(``allowance``, total); Dr 5100 impairment expense for
    any shortfall; Cr 1100 / 1110 / 1120 / 1130 (loan) each ``outstanding`` amount.
    ``allowance`` is the loan's allowance balance (credit-normal, given >= 0); any
    allowance left over stays until the next ECL run releases it.  E.g. 10,000.00
    outstanding with 8,000.00 provided: Dr allowance 8,000.00, Dr impairment 2,000.00.

    ``advance``, the borrower's money held in the loan's suspense, pays what it can first
    (Dr 2100 suspense): only the rest is a loss. With 300.00 of advance above: Dr
    suspense 300.00, Dr allowance 8,000.00, Dr impairment 1,700.00. An advance that
    covers everything outstanding leaves nothing to lose: refused (a payoff, not a loss).
    """
    parts = nonzero_parts(outstanding, REPAYABLE, "outstanding")
    total = add_up([m for _, m in parts], "outstanding")
    if not isinstance(allowance, Money) or allowance.is_negative():
        raise InvalidInput(f"allowance must be Money >= 0, got {allowance!r}", field="allowance")
    netted = advance if advance is not None and not advance.is_zero() else None
    loss = total - netted if netted is not None else total
    if netted is not None and (netted.is_negative() or loss.is_negative() or loss.is_zero()):
        raise InvalidInput(f"the advance {netted} must be >= 0 and below {total}", field="advance")
    used = min(allowance, loss)
    lines: list[Line] = []
    if netted is not None:
        lines.append((AccountRef.loan(loan_id, SubLedger.SUSPENSE), DR, netted))
    if not used.is_zero():
        lines.append((AccountRef.loan(loan_id, SubLedger.ALLOWANCE), DR, used))
    if used != loss:
        lines.append((general(GlAccount.IMPAIRMENT_EXPENSE), DR, loss - used))
    lines.extend((AccountRef.loan(loan_id, sub), CR, money) for sub, money in parts)
    return JournalEntry.build(
        EntryKind.WRITE_OFF,
        value_date,
        lines,
        loan_id=loan_id,
        description=f"write-off of loan {loan_id}",
        idempotency_key=idempotency_key,
    )
