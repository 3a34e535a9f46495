"""What a write-off's transaction row says it wrote off, read from its journal entry: each
receivable credited, the borrower's advance that paid part of it, the loss that is left."""

from __future__ import annotations

from datetime import date

from autolend.domain.ledger import SubLedger, write_off_entry
from autolend.domain.money import Money
from autolend.services.loan_views import written_off_parts


def cny(text: str) -> Money:
    return Money.parse(text, "CNY")


def test_a_write_off_states_each_part_its_total_and_the_advance_that_paid_part_of_it() -> None:
    owed = {SubLedger.PRINCIPAL: cny("9000.00"), SubLedger.INTEREST: cny("450.25"),
            SubLedger.PENALTY: cny("30.10"), SubLedger.FEES: cny("50.00")}  # fmt: skip
    entry = write_off_entry(7, date(2026, 11, 28), owed, cny("8000.00"), advance=cny("300.00"))
    assert written_off_parts(entry, "CNY") == {
        "amount": "9530.35", "principal": "9000.00", "interest": "450.25", "penalty": "30.10",
        "fees": "50.00", "advance": "300.00", "loss": "9230.35",
    }  # fmt: skip


def test_a_write_off_of_principal_alone_has_nothing_else_and_no_advance() -> None:
    entry = write_off_entry(7, date(2026, 11, 28), {SubLedger.PRINCIPAL: cny("100.00")}, cny("0"))
    parts = written_off_parts(entry, "CNY")
    assert (parts["amount"], parts["loss"], parts["advance"]) == ("100.00", "100.00", "0.00")
    assert (parts["interest"], parts["penalty"], parts["fees"]) == ("0.00", "0.00", "0.00")
