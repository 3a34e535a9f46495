"""What a loan's customer reads of its ledger
(:mod:`autolend.domain.customer_ledger`): every posting of the loan's own money, none on
the lender's provisioning (1190 allowance, 5100 impairment expense)."""

from __future__ import annotations

from datetime import date

from autolend.domain.customer_ledger import customer_postings, customer_reads
from autolend.domain.ledger import (
    GlAccount,
    SubLedger,
    allowance_entry,
    disbursement_entry,
    repayment_entry,
    reverse,
    write_off_entry,
)
from autolend.domain.money import Money

DAY = date(2026, 1, 31)


def cny(text: str) -> Money:
    return Money.parse(text, "CNY")


def test_a_month_end_allowance_charge_or_release_shows_nothing() -> None:
    charge = allowance_entry(7, DAY, cny("120.00"))
    release = allowance_entry(7, DAY, cny("-40.00"))
    assert customer_postings(charge) == customer_postings(release) == ()


def test_the_reversal_of_an_allowance_entry_shows_nothing_either() -> None:
    undone = reverse(allowance_entry(7, DAY, cny("120.00")), 9, DAY, "run twice")
    assert customer_postings(undone) == ()


def test_a_write_off_shows_what_it_took_from_the_loan_not_what_the_lender_provided() -> None:
    took = write_off_entry(7, DAY, {SubLedger.PRINCIPAL: cny("9000"),
                                    SubLedger.INTEREST: cny("1000")},
                           allowance=cny("8000"), advance=cny("300"))  # fmt: skip
    shown = {(p.account.gl.code, p.side.value, p.amount.to_api()) for p in customer_postings(took)}
    assert shown == {("2100", "debit", "300.00"), ("1100", "credit", "9000.00"),
                     ("1110", "credit", "1000.00")}  # fmt: skip


def test_the_loans_own_money_is_shown_whole() -> None:
    paid_out = disbursement_entry(7, date(2026, 1, 5), principal=cny("12000"),
                                  to_dealer=cny("11800"), fees_deducted=cny("200"),
                                  paid=True)  # fmt: skip
    paid = repayment_entry(7, date(2026, 2, 5), {SubLedger.INTEREST: cny("120"),
                                                 SubLedger.PRINCIPAL: cny("946.19")},
                           cash=cny("1066.19"))  # fmt: skip
    assert customer_postings(paid_out) == paid_out.postings
    assert customer_postings(paid) == paid.postings


def test_every_account_but_the_provisioning_is_read() -> None:
    hidden = {account for account in GlAccount if not customer_reads(account)}
    assert hidden == {GlAccount.ALLOWANCE, GlAccount.IMPAIRMENT_EXPENSE}
