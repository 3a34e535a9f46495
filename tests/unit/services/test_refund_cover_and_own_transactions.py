"""The examples in the docstrings of the refund's cover (a refund above the advance names
itself) and of what a borrower reads of a loan's transactions hold."""

from __future__ import annotations

import doctest

from autolend.domain.access import Actor, Role
from autolend.domain.servicing import refund_cover
from autolend.services import own_transactions
from autolend.services.own_transactions import transactions_shown


def test_the_examples_in_the_docstrings_hold() -> None:
    assert doctest.testmod(refund_cover).failed == 0
    assert doctest.testmod(own_transactions).failed == 0


def test_a_dealer_reads_a_recoverys_reference_and_not_a_write_offs() -> None:
    rows = [{"kind": "recovery", "reference": "AGENCY-1"},
            {"kind": "write_off", "reference": "memo"}]  # fmt: skip
    dealer = Actor(user_id=3, username="d001", roles=(Role.DEALER,))
    assert [r["reference"] for r in transactions_shown(dealer, rows)] == ["AGENCY-1", None]
    servicing = Actor(user_id=1, username="svc", roles=(Role.SERVICING,))
    assert transactions_shown(servicing, rows) == rows
