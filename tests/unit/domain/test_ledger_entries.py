"""Journal entries: balanced per currency, one loan each, reversible, fingerprinted."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest

from autolend.domain.errors import CurrencyMismatch, InvalidInput
from autolend.domain.ledger import (
    AccountRef,
    EntryKind,
    GlAccount,
    JournalEntry,
    Posting,
    Side,
    SubLedger,
    UnbalancedEntry,
    accrual_entry,
    allowance_entry,
    disbursement_entry,
    entry_fingerprint,
    fee_charge_entry,
    fee_waiver_entry,
    migration_entry,
    payable_payment_entry,
    penalty_accrual_entry,
    recovery_entry,
    refund_entry,
    repayment_entry,
    reverse,
    subsidy_entry,
    write_off_entry,
)
from autolend.domain.money import Money

DAY = date(2024, 3, 1)
CASH = AccountRef.general(GlAccount.CASH_SETTLEMENT)
FEE_INCOME = AccountRef.general(GlAccount.FEE_INCOME)


def cny(text: str) -> Money:
    return Money.parse(text, "CNY")


def usd(text: str) -> Money:
    return Money.parse(text, "USD")


def fee_entry(amount: str = "50.00", **kwargs: object) -> JournalEntry:
    lines = [
        (AccountRef.loan(7, SubLedger.FEES), "debit", cny(amount)),
        (FEE_INCOME, "credit", cny(amount)),
    ]
    return JournalEntry.build(EntryKind.FEE_CHARGE, DAY, lines, **kwargs)  # type: ignore[arg-type]


# --- the balance rule -----------------------------------------------------------------------


def test_an_unbalanced_entry_is_refused_naming_the_currency_and_the_difference() -> None:
    lines = [(CASH, "debit", cny("100.00")), (FEE_INCOME, "credit", cny("99.99"))]
    with pytest.raises(UnbalancedEntry, match=r"in CNY.*difference 0\.01") as caught:
        JournalEntry.build(EntryKind.FEE_CHARGE, DAY, lines)
    assert caught.value.currency == "CNY"
    assert caught.value.difference == cny("0.01")
    assert isinstance(caught.value, InvalidInput)
    assert caught.value.field == "postings"


def test_a_single_posting_is_refused() -> None:
    with pytest.raises(InvalidInput, match="at least 2 postings, got 1"):
        JournalEntry(EntryKind.FEE_CHARGE, DAY, (Posting(CASH, Side.DEBIT, cny("1")),))
    with pytest.raises(InvalidInput, match="at least 2 postings, got 0"):
        JournalEntry(EntryKind.FEE_CHARGE, DAY, ())


@pytest.mark.parametrize("minor", [0, -1, -10_000])
def test_a_zero_or_negative_amount_is_refused(minor: int) -> None:
    with pytest.raises(InvalidInput, match="must be > 0") as caught:
        Posting(CASH, Side.DEBIT, Money.of_minor(minor, "CNY"))
    assert caught.value.field == "amount"


def test_a_posting_needs_money_an_account_and_a_known_side() -> None:
    with pytest.raises(InvalidInput, match="must be Money"):
        Posting(CASH, Side.DEBIT, 100)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="AccountRef"):
        Posting(GlAccount.CASH_SETTLEMENT, Side.DEBIT, cny("1"))  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="side must be one of debit, credit"):
        Posting(CASH, "left", cny("1"))  # type: ignore[arg-type]


def test_a_mixed_currency_entry_balanced_per_currency_is_accepted() -> None:
    lines = [
        (CASH, "debit", cny("700.00")),
        (FEE_INCOME, "credit", cny("700.00")),
        (CASH, "debit", usd("100.00")),
        (FEE_INCOME, "credit", usd("100.00")),
    ]
    entry = JournalEntry.build(EntryKind.FEE_CHARGE, DAY, lines)
    assert entry.totals() == {"CNY": (70000, 70000), "USD": (10000, 10000)}


def test_an_entry_unbalanced_per_currency_is_refused_though_the_totals_net_to_zero() -> None:
    # 100 CNY debit + 50 USD debit = 150 = 50 CNY credit + 100 USD credit, in minor units
    lines = [
        (CASH, "debit", cny("100.00")),
        (FEE_INCOME, "credit", cny("50.00")),
        (CASH, "debit", usd("50.00")),
        (FEE_INCOME, "credit", usd("100.00")),
    ]
    with pytest.raises(UnbalancedEntry, match="in CNY") as caught:
        JournalEntry.build(EntryKind.FEE_CHARGE, DAY, lines)
    assert caught.value.difference == cny("50.00")
    only_usd_off = [*lines[:1], (FEE_INCOME, "credit", cny("100.00")), *lines[2:]]
    with pytest.raises(UnbalancedEntry, match=r"in USD.*difference -50\.00"):
        JournalEntry.build(EntryKind.FEE_CHARGE, DAY, only_usd_off)


# --- loans, dates, reversals ---------------------------------------------------------------


def test_an_entry_takes_its_loan_from_its_sub_ledger_postings() -> None:
    assert fee_entry().loan_id == 7
    gl_only = JournalEntry.build(
        EntryKind.FEE_CHARGE, DAY, [(CASH, "debit", cny("1")), (FEE_INCOME, "credit", cny("1"))]
    )
    assert gl_only.loan_id is None


def test_one_entry_may_not_touch_two_loans() -> None:
    lines = [
        (CASH, "debit", cny("200.00")),
        (AccountRef.loan(1, SubLedger.PRINCIPAL), "credit", cny("100.00")),
        (AccountRef.loan(2, SubLedger.PRINCIPAL), "credit", cny("100.00")),
    ]
    with pytest.raises(InvalidInput, match="one loan only, got loans 1, 2"):
        JournalEntry.build(EntryKind.REPAYMENT, DAY, lines)


def test_a_declared_loan_must_match_the_postings() -> None:
    with pytest.raises(InvalidInput, match="entry is for loan 8 but posts to loan 7"):
        fee_entry(loan_id=8)
    assert fee_entry(loan_id=7).loan_id == 7


def test_the_value_date_must_be_a_date_not_a_datetime() -> None:
    with pytest.raises(InvalidInput, match="value_date must be a date"):
        JournalEntry.build(
            EntryKind.FEE_CHARGE,
            datetime(2024, 3, 1, 12),
            [(CASH, "debit", cny("1")), (FEE_INCOME, "credit", cny("1"))],
        )


def test_only_a_reversal_names_a_reversed_entry_and_a_reversal_must() -> None:
    with pytest.raises(InvalidInput, match="only a reversal entry may set reverses"):
        fee_entry(reverses=3)
    lines = [(CASH, "debit", cny("1")), (FEE_INCOME, "credit", cny("1"))]
    with pytest.raises(InvalidInput, match="must name the entry id it reverses"):
        JournalEntry.build(EntryKind.REVERSAL, DAY, lines)


def test_an_unknown_kind_and_an_empty_idempotency_key_are_refused() -> None:
    with pytest.raises(InvalidInput, match="kind must be one of"):
        fee_entry().build("edit", DAY, [])
    with pytest.raises(InvalidInput, match="idempotency_key must be a non-empty string"):
        fee_entry(idempotency_key="")
    with pytest.raises(InvalidInput, match="external_ref"):
        fee_entry(external_ref="x" * 201)


def test_an_entry_is_immutable() -> None:
    entry = fee_entry()
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.description = "edited"  # type: ignore[misc]
    assert isinstance(entry.postings, tuple)


def test_a_reversal_swaps_every_side_and_names_the_original() -> None:
    original = fee_entry(idempotency_key="fee-1")
    undo = reverse(original, 41, date(2024, 3, 5), "charged in error")
    assert undo.kind is EntryKind.REVERSAL
    assert undo.reverses == 41
    assert undo.value_date == date(2024, 3, 5)
    assert undo.loan_id == 7
    assert undo.description == "reversal of entry 41: charged in error"
    assert undo.idempotency_key is None
    assert [(p.account, p.side.opposite, p.amount) for p in undo.postings] == [
        (p.account, p.side, p.amount) for p in original.postings
    ]


def test_a_reversal_needs_a_reason() -> None:
    with pytest.raises(InvalidInput, match="needs a reason"):
        reverse(fee_entry(), 41, DAY, "  ")


# --- fingerprint ---------------------------------------------------------------------------


GOLDEN_FEE_FINGERPRINT = "41d03e044a21ce12dce38bdabe19582198b59cd1c18bf513ba40ee9610dc1f6b"


def test_the_fingerprint_is_stable_across_runs_and_posting_order() -> None:
    entry = fee_entry()
    assert entry_fingerprint(entry) == GOLDEN_FEE_FINGERPRINT
    swapped = JournalEntry(entry.kind, entry.value_date, entry.postings[::-1])
    assert entry_fingerprint(swapped) == entry_fingerprint(entry)
    assert entry_fingerprint(fee_entry(idempotency_key="another key")) == GOLDEN_FEE_FINGERPRINT


def test_the_fingerprint_changes_with_any_content() -> None:
    base = entry_fingerprint(fee_entry())
    variants = [
        fee_entry(amount="50.01"),
        fee_entry(description="GPS fee"),
        fee_entry(external_ref="rail-1"),
        JournalEntry.build(
            EntryKind.FEE_CHARGE,
            date(2024, 3, 2),
            [(p.account, p.side, p.amount) for p in fee_entry().postings],
        ),
        JournalEntry.build(
            EntryKind.ACCRUAL_INTEREST,
            DAY,
            [
                (AccountRef.loan(7, SubLedger.INTEREST), "debit", cny("50.00")),
                (AccountRef.general(GlAccount.INTEREST_INCOME), "credit", cny("50.00")),
            ],
        ),
        JournalEntry.build(
            EntryKind.FEE_CHARGE,
            DAY,
            [
                (AccountRef.loan(8, SubLedger.FEES), "debit", cny("50.00")),
                (FEE_INCOME, "credit", cny("50.00")),
            ],
        ),
        reverse(fee_entry(), 1, DAY, "x"),
        reverse(fee_entry(), 2, DAY, "x"),
    ]
    prints = [entry_fingerprint(v) for v in variants]
    assert base not in prints
    assert len(set(prints)) == len(prints)


# --- builders ------------------------------------------------------------------------------


def test_a_disbursement_books_principal_against_the_dealer_and_the_fee() -> None:
    entry = disbursement_entry(
        7, DAY, principal=cny("100000"), to_dealer=cny("99000"), fees_deducted=cny("1000")
    )
    assert entry.kind is EntryKind.BOOKING
    assert [(p.account.gl.code, p.side.value, p.amount.to_api()) for p in entry.postings] == [
        ("1100", "debit", "100000.00"),
        ("2200", "credit", "99000.00"),
        ("4120", "credit", "1000.00"),
    ]
    paid = disbursement_entry(7, DAY, principal=cny("500"), to_dealer=cny("500"), paid=True)
    assert paid.kind is EntryKind.DISBURSEMENT
    assert paid.postings[1].account == CASH


def test_a_disbursement_whose_parts_do_not_add_up_is_refused() -> None:
    with pytest.raises(InvalidInput, match=r"principal 100000\.00 CNY != to_dealer"):
        disbursement_entry(7, DAY, principal=cny("100000"), to_dealer=cny("99000"))


def test_a_repayment_credits_the_allocation_and_debits_cash_and_suspense() -> None:
    entry = repayment_entry(
        7,
        DAY,
        {
            SubLedger.PRINCIPAL: cny("2600"),
            SubLedger.INTEREST: cny("400"),
            SubLedger.FEES: cny("0"),
        },
        cash=cny("2900"),
        from_suspense=cny("100"),
        kind=EntryKind.PREPAYMENT,
        external_ref="rail-9",
    )
    assert entry.kind is EntryKind.PREPAYMENT and entry.external_ref == "rail-9"
    assert [(str(p.account), p.side.value, p.amount.to_api()) for p in entry.postings] == [
        ("1000 cash_settlement", "debit", "2900.00"),
        ("2100 suspense_advance / loan 7 suspense", "debit", "100.00"),
        ("1110 interest_receivable / loan 7 interest", "credit", "400.00"),
        ("1100 loans_principal / loan 7 principal", "credit", "2600.00"),
    ]


def test_a_repayment_allocation_must_add_up_to_the_cash() -> None:
    with pytest.raises(InvalidInput, match="does not add up"):
        repayment_entry(7, DAY, {SubLedger.PRINCIPAL: cny("10")}, cash=cny("11"))
    with pytest.raises(InvalidInput, match="cannot include allowance"):
        repayment_entry(7, DAY, {SubLedger.ALLOWANCE: cny("10")}, cash=cny("10"))
    with pytest.raises(InvalidInput, match=r"allocation.principal must be a positive"):
        repayment_entry(7, DAY, {SubLedger.PRINCIPAL: cny("-10")}, cash=cny("10"))
    with pytest.raises(InvalidInput, match="cash has nothing to post"):
        repayment_entry(7, DAY, {SubLedger.PRINCIPAL: cny("10")})
    with pytest.raises(InvalidInput, match="kind must be repayment"):
        repayment_entry(
            7, DAY, {SubLedger.PRINCIPAL: cny("1")}, cash=cny("1"), kind=EntryKind.REFUND
        )
    with pytest.raises(CurrencyMismatch):
        repayment_entry(7, DAY, {SubLedger.PRINCIPAL: usd("1")}, cash=cny("1"))


def test_an_overpayment_goes_to_suspense_and_can_be_refunded() -> None:
    entry = repayment_entry(
        7, DAY, {SubLedger.INTEREST: cny("10"), SubLedger.SUSPENSE: cny("5")}, cash=cny("15")
    )
    assert entry.postings[-1].account == AccountRef.loan(7, SubLedger.SUSPENSE)
    refund = refund_entry(7, DAY, cny("5"))
    assert [(p.account.gl.code, p.side) for p in refund.postings] == [
        ("2100", Side.DEBIT),
        ("2300", Side.CREDIT),
    ]
    payout = payable_payment_entry(GlAccount.BORROWER_REFUND_PAYABLE, DAY, cny("5"), loan_id=7)
    assert payout.kind is EntryKind.REFUND and payout.loan_id == 7
    with pytest.raises(InvalidInput, match="is not a payable"):
        payable_payment_entry(GlAccount.FEE_INCOME, DAY, cny("5"))


def test_accruals_carry_a_key_per_loan_day_and_component() -> None:
    interest = accrual_entry(7, DAY, cny("15"))
    penalty = penalty_accrual_entry(7, DAY, cny("2.58"))
    assert interest.idempotency_key == "accrual_interest:7:2024-03-01"
    assert penalty.idempotency_key == "accrual_penalty:7:2024-03-01"
    assert [p.account.gl.code for p in penalty.postings] == ["1120", "4110"]
    with pytest.raises(InvalidInput, match="interest must be a positive"):
        accrual_entry(7, DAY, cny("0"))


def test_a_fee_waiver_is_the_mirror_of_a_fee_charge() -> None:
    charge, waiver = fee_charge_entry(7, DAY, cny("30")), fee_waiver_entry(7, DAY, cny("30"))
    assert [p.reversed() for p in charge.postings] == list(waiver.postings[::-1])


def test_a_subsidy_is_earned_then_received() -> None:
    earned = subsidy_entry(7, DAY, cny("120"))
    received = subsidy_entry(7, DAY, cny("120"), received=True)
    assert [(p.account.gl.code, p.side.value) for p in earned.postings] == [
        ("1140", "debit"),
        ("4130", "credit"),
    ]
    assert [(p.account.gl.code, p.side.value) for p in received.postings] == [
        ("1000", "debit"),
        ("1140", "credit"),
    ]


def test_an_allowance_charge_and_release_move_impairment_expense() -> None:
    charge = allowance_entry(7, DAY, cny("800"))
    release = allowance_entry(7, DAY, cny("-300"))
    assert [(p.account.gl.code, p.side.value) for p in charge.postings] == [
        ("5100", "debit"),
        ("1190", "credit"),
    ]
    assert [(p.account.gl.code, p.side.value, p.amount.to_api()) for p in release.postings] == [
        ("1190", "debit", "300.00"),
        ("5100", "credit", "300.00"),
    ]
    with pytest.raises(InvalidInput, match="non-zero"):
        allowance_entry(7, DAY, cny("0"))


def test_a_write_off_uses_the_allowance_first_then_impairment_expense() -> None:
    outstanding = {SubLedger.PRINCIPAL: cny("9000"), SubLedger.PENALTY: cny("50")}
    short = write_off_entry(7, DAY, outstanding, cny("8000"))
    assert [(p.account.gl.code, p.side.value, p.amount.to_api()) for p in short.postings] == [
        ("1190", "debit", "8000.00"),
        ("5100", "debit", "1050.00"),
        ("1120", "credit", "50.00"),
        ("1100", "credit", "9000.00"),
    ]
    covered = write_off_entry(7, DAY, outstanding, cny("20000"))
    assert [(p.account.gl.code, p.amount.to_api()) for p in covered.postings[:1]] == [
        ("1190", "9050.00")
    ]
    assert all(p.account.gl is not GlAccount.IMPAIRMENT_EXPENSE for p in covered.postings)
    unprovided = write_off_entry(7, DAY, outstanding, cny("0"))
    assert unprovided.postings[0].account.gl is GlAccount.IMPAIRMENT_EXPENSE
    with pytest.raises(InvalidInput, match="cannot include suspense"):
        write_off_entry(7, DAY, {SubLedger.SUSPENSE: cny("1")}, cny("0"))
    with pytest.raises(InvalidInput, match="allowance must be Money >= 0"):
        write_off_entry(7, DAY, outstanding, cny("-1"))


def test_a_write_off_takes_the_borrowers_advance_before_the_allowance_and_the_loss() -> None:
    """The docstring's example: 10,000.00 outstanding, 300.00 of advance, 8,000.00
    provided: Dr suspense 300.00, Dr allowance 8,000.00, Dr impairment 1,700.00."""
    outstanding = {SubLedger.PRINCIPAL: cny("10000")}
    entry = write_off_entry(7, DAY, outstanding, cny("8000"), advance=cny("300"))
    assert [(p.account.gl.code, p.side.value, p.amount.to_api()) for p in entry.postings] == [
        ("2100", "debit", "300.00"),
        ("1190", "debit", "8000.00"),
        ("5100", "debit", "1700.00"),
        ("1100", "credit", "10000.00"),
    ]
    none_held = write_off_entry(7, DAY, outstanding, cny("8000"), advance=cny("0"))
    assert none_held.postings[0].account.gl.code == "1190"
    with pytest.raises(InvalidInput, match=r"below 10000\.00"):
        write_off_entry(7, DAY, outstanding, cny("0"), advance=cny("10000"))


def test_a_recovery_is_income_without_touching_the_sub_ledgers() -> None:
    entry = recovery_entry(7, DAY, cny("1234.56"))
    assert entry.kind is EntryKind.RECOVERY and entry.loan_id == 7
    assert all(p.account.loan_id is None for p in entry.postings)
    assert [p.account.gl.code for p in entry.postings] == ["1000", "4200"]


def test_a_migration_posts_opening_balances_against_equity() -> None:
    entry = migration_entry(
        7, DAY, {SubLedger.PRINCIPAL: cny("50000"), SubLedger.ALLOWANCE: cny("500")}
    )
    assert [(p.account.gl.code, p.side.value, p.amount.to_api()) for p in entry.postings] == [
        ("1100", "debit", "50000.00"),
        ("1190", "credit", "500.00"),
        ("3000", "credit", "49500.00"),
    ]
    only_suspense = migration_entry(7, DAY, {SubLedger.SUSPENSE: cny("20")})
    assert only_suspense.postings[-1].side is Side.DEBIT
    netted = migration_entry(7, DAY, {SubLedger.FEES: cny("20"), SubLedger.SUSPENSE: cny("20")})
    assert len(netted.postings) == 2
    with pytest.raises(InvalidInput, match="nothing to post"):
        migration_entry(7, DAY, {SubLedger.FEES: cny("0")})


def test_a_promotion_subsidy_deducted_from_the_dealer_is_deferred_income() -> None:
    """Loan 80,000 at 0 %, maker subsidy 6,000: the dealer receives 74,000."""
    entry = disbursement_entry(7, DAY, principal=cny("80000"), to_dealer=cny("74000"),
                               paid=True, subsidy=cny("6000"))  # fmt: skip
    lines = {(p.account.gl.code, p.side, p.amount) for p in entry.postings}
    assert lines == {
        ("1100", Side.DEBIT, cny("80000")),
        ("1000", Side.CREDIT, cny("74000")),
        ("2400", Side.CREDIT, cny("6000")),
    }


def test_a_promotion_subsidy_owed_by_the_maker_is_a_loan_receivable() -> None:
    entry = disbursement_entry(7, DAY, principal=cny("80000"), to_dealer=cny("80000"),
                               subsidy=cny("6000"), subsidy_receivable=True)  # fmt: skip
    debits = {(p.account.gl.code, p.account.sub) for p in entry.postings if p.side is Side.DEBIT}
    assert debits == {("1100", SubLedger.PRINCIPAL), ("1140", SubLedger.SUBSIDY)}
    with pytest.raises(InvalidInput, match="to_dealer"):
        disbursement_entry(7, DAY, principal=cny("80000"), to_dealer=cny("80000"),
                           subsidy=cny("6000"))  # fmt: skip
