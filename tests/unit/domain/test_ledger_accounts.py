"""Chart of accounts: stable codes, normal sides, sub-ledgers and validated references."""

from __future__ import annotations

import dataclasses

import pytest

from autolend.domain.errors import InvalidInput
from autolend.domain.ledger import (
    AccountKind,
    AccountRef,
    GlAccount,
    Side,
    SubLedger,
    control_accounts,
)

FIRST_DIGIT_OF_KIND = {
    AccountKind.ASSET: "1",
    AccountKind.LIABILITY: "2",
    AccountKind.EQUITY: "3",
    AccountKind.INCOME: "4",
    AccountKind.EXPENSE: "5",
}


def test_every_gl_account_has_a_unique_four_digit_code_that_names_its_kind() -> None:
    codes = [account.code for account in GlAccount]
    assert len(set(codes)) == len(codes)
    for account in GlAccount:
        assert len(account.code) == 4 and account.code.isdigit()
        assert account.code[0] == FIRST_DIGIT_OF_KIND[account.kind], account


def test_the_codes_are_the_published_ones() -> None:
    assert GlAccount.CASH_SETTLEMENT.label == "1000 cash_settlement"
    assert GlAccount.LOANS_PRINCIPAL.label == "1100 loans_principal"
    assert GlAccount.INTEREST_RECEIVABLE.code == "1110"
    assert GlAccount.PENALTY_RECEIVABLE.code == "1120"
    assert GlAccount.FEES_RECEIVABLE.code == "1130"
    assert GlAccount.SUBSIDY_RECEIVABLE.code == "1140"
    assert GlAccount.ALLOWANCE.code == "1190"
    assert GlAccount.SUSPENSE_ADVANCE.code == "2100"
    assert GlAccount.DEALER_PAYABLE.code == "2200"
    assert GlAccount.BORROWER_REFUND_PAYABLE.code == "2300"
    assert GlAccount.EQUITY_MIGRATION.code == "3000"
    assert GlAccount.INTEREST_INCOME.code == "4100"
    assert GlAccount.PENALTY_INCOME.code == "4110"
    assert GlAccount.FEE_INCOME.code == "4120"
    assert GlAccount.SUBSIDY_INCOME.code == "4130"
    assert GlAccount.RECOVERY_INCOME.code == "4200"
    assert GlAccount.IMPAIRMENT_EXPENSE.code == "5100"


def test_write_offs_have_no_separate_expense_account() -> None:
    # Design choice: write-offs charge the allowance; any shortfall is impairment expense.
    assert "write_off_expense" not in {account.value for account in GlAccount}
    assert [a for a in GlAccount if a.kind is AccountKind.EXPENSE] == [GlAccount.IMPAIRMENT_EXPENSE]


def test_a_code_finds_its_account_and_an_unknown_code_is_refused() -> None:
    for account in GlAccount:
        assert GlAccount.from_code(account.code) is account
    with pytest.raises(InvalidInput, match="9999"):
        GlAccount.from_code("9999")


def test_assets_and_expenses_are_debit_normal_the_rest_credit_normal() -> None:
    assert AccountKind.ASSET.normal_side is Side.DEBIT
    assert AccountKind.EXPENSE.normal_side is Side.DEBIT
    assert AccountKind.LIABILITY.normal_side is Side.CREDIT
    assert AccountKind.INCOME.normal_side is Side.CREDIT
    assert AccountKind.EQUITY.normal_side is Side.CREDIT
    assert GlAccount.CASH_SETTLEMENT.normal_side is Side.DEBIT
    assert GlAccount.SUSPENSE_ADVANCE.normal_side is Side.CREDIT
    assert GlAccount.INTEREST_INCOME.normal_side is Side.CREDIT


def test_the_allowance_is_a_credit_normal_contra_asset() -> None:
    assert GlAccount.ALLOWANCE.kind is AccountKind.ASSET
    assert GlAccount.ALLOWANCE.is_contra
    assert GlAccount.ALLOWANCE.normal_side is Side.CREDIT
    assert [a for a in GlAccount if a.is_contra] == [GlAccount.ALLOWANCE]


def test_each_sub_ledger_rolls_up_to_its_own_control_account() -> None:
    expected = {
        SubLedger.PRINCIPAL: GlAccount.LOANS_PRINCIPAL,
        SubLedger.INTEREST: GlAccount.INTEREST_RECEIVABLE,
        SubLedger.PENALTY: GlAccount.PENALTY_RECEIVABLE,
        SubLedger.FEES: GlAccount.FEES_RECEIVABLE,
        SubLedger.SUSPENSE: GlAccount.SUSPENSE_ADVANCE,
        SubLedger.ALLOWANCE: GlAccount.ALLOWANCE,
        SubLedger.SUBSIDY: GlAccount.SUBSIDY_RECEIVABLE,
    }
    assert {sub: sub.control for sub in SubLedger} == expected
    assert control_accounts() == frozenset(expected.values())
    assert all(account.is_control for account in expected.values())
    assert not GlAccount.CASH_SETTLEMENT.is_control
    assert SubLedger.SUSPENSE.normal_side is Side.CREDIT


def test_a_loan_reference_takes_the_control_account_of_its_sub_ledger() -> None:
    ref = AccountRef.loan(42, SubLedger.PENALTY)
    assert (ref.gl, ref.loan_id, ref.sub) == (GlAccount.PENALTY_RECEIVABLE, 42, SubLedger.PENALTY)
    assert ref == AccountRef(GlAccount.PENALTY_RECEIVABLE, 42, SubLedger.PENALTY)
    assert str(ref) == "1120 penalty_receivable / loan 42 penalty"
    assert str(AccountRef.general(GlAccount.FEE_INCOME)) == "4120 fee_income"


def test_string_values_are_accepted_and_become_members() -> None:
    ref = AccountRef("fees_receivable", 3, "fees")  # type: ignore[arg-type]
    assert ref.gl is GlAccount.FEES_RECEIVABLE and ref.sub is SubLedger.FEES
    assert AccountRef.loan(3, "suspense").gl is GlAccount.SUSPENSE_ADVANCE  # type: ignore[arg-type]


def test_a_sub_ledger_reference_needs_a_loan() -> None:
    with pytest.raises(InvalidInput, match="needs a loan_id") as caught:
        AccountRef(GlAccount.LOANS_PRINCIPAL, None, SubLedger.PRINCIPAL)
    assert caught.value.field == "loan_id"


def test_a_loan_without_a_sub_ledger_is_refused() -> None:
    with pytest.raises(InvalidInput, match="needs a sub-ledger"):
        AccountRef(GlAccount.LOANS_PRINCIPAL, 5)
    with pytest.raises(InvalidInput, match="needs a sub-ledger"):
        AccountRef(GlAccount.DEALER_PAYABLE, 5)


def test_a_sub_ledger_under_the_wrong_control_account_is_refused() -> None:
    with pytest.raises(InvalidInput, match="rolls up to 1100 loans_principal") as caught:
        AccountRef(GlAccount.INTEREST_RECEIVABLE, 5, SubLedger.PRINCIPAL)
    assert caught.value.field == "gl"
    with pytest.raises(InvalidInput, match="rolls up to 1190 allowance"):
        AccountRef(GlAccount.IMPAIRMENT_EXPENSE, 5, SubLedger.ALLOWANCE)


@pytest.mark.parametrize("loan_id", [0, -1, True, "7", 1.0])
def test_a_loan_id_must_be_a_positive_int(loan_id: object) -> None:
    with pytest.raises(InvalidInput, match="loan_id must be a positive int"):
        AccountRef(GlAccount.LOANS_PRINCIPAL, loan_id, SubLedger.PRINCIPAL)  # type: ignore[arg-type]


def test_unknown_accounts_and_sub_ledgers_are_refused() -> None:
    with pytest.raises(InvalidInput, match="gl must be one of"):
        AccountRef("write_off_expense")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="sub must be one of"):
        AccountRef.loan(1, "escrow")  # type: ignore[arg-type]


def test_a_reference_is_frozen_and_hashable() -> None:
    ref = AccountRef.loan(1, SubLedger.FEES)
    with pytest.raises(dataclasses.FrozenInstanceError):
        ref.loan_id = 2  # type: ignore[misc]
    assert len({ref, AccountRef.loan(1, SubLedger.FEES)}) == 1
