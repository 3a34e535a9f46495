"""The contract's late fee on both databases: end of day charges it once on an
installment left unpaid 15 days, on the bulk path exactly as loan by loan; a repayment
that turns out to have arrived in time takes it away again; a loan without one is never
charged; a second late fee by hand on such a contract is refused; the ledger holds."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from autolend.batch import eod_runner
from autolend.batch.bulk_book import LoanBook
from autolend.batch.bulk_day import BulkDay, bulk_day
from autolend.batch.eod_runner import EodRunner
from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR
from autolend.domain.errors import Conflict
from autolend.domain.schedule import LoanTerms
from autolend.services.approvals import WaiverInput
from autolend.services.eod_ports import BulkLoans
from autolend.services.fees import FeeCharge
from autolend.services.loans import BookingRequest, DisbursementInput
from tests.integration.test_eod_runner import (
    SERVICING,
    assert_same,
    cny,
    pay,
    twin,
    verified,
)
from tests.integration.test_fees_and_waivers import CHECKER

__all__ = ["twin"]  # the second-database fixture, used by name

pytestmark = pytest.mark.integration

LATE_FEE = {"amount": "50.00", "after_days": 15}
# What each loan does about its first installment (due Feb 5 + i days):
BEHAVIOURS = ("on_time", "half_late", "never", "late_in_time", "backdated", "no_rule")


def paid_out(container: Container, start: date = date(2026, 1, 5), **contract: Any) -> int:
    """12,000.00 at 12 % over 12 months from ``start``, booked with ``contract``'s terms
    (``late_fee``, ``penalty_uplift`` ...) and paid out; its id."""
    terms = LoanTerms(principal=cny("12000"), annual_rate=Decimal("0.12"), periods=12,
                      start=start)  # fmt: skip
    request = BookingRequest(terms=terms, approved=terms.principal, **contract)
    loan_id = container.services.loans.book(SERVICING, request)
    container.services.loans.disburse(
        SERVICING, loan_id, DisbursementInput(terms.principal, terms.start)
    )
    return loan_id


def book(container: Container) -> list[int]:
    return [
        paid_out(container, date(2026, 1, 5) + timedelta(days=i),
                 late_fee=None if behaviour == "no_rule" else LATE_FEE)
        for i, behaviour in enumerate(BEHAVIOURS)
    ]  # fmt: skip


def story(container: Container, *, bulk: bool) -> list[int]:
    """End of day to Feb 14, late and partial payments; to Feb 28; the backdated one
    (paid on its due date, learnt of after its fee); to Mar 1."""
    ids = book(container)
    runner = EodRunner(container.uow, container.services.clock, partition_size=4, bulk=bulk)
    assert runner.run_through(SYSTEM_ACTOR, date(2026, 2, 14)).errors == 0
    for i, (loan_id, behaviour) in enumerate(zip(ids, BEHAVIOURS, strict=True)):
        due = date(2026, 2, 5) + timedelta(days=i)
        if behaviour == "on_time":
            pay(container, loan_id, "1066.19", due)
        elif behaviour == "half_late":
            pay(container, loan_id, "500.00", due + timedelta(days=2))
        elif behaviour == "late_in_time":
            pay(container, loan_id, "1100.00", due + timedelta(days=9))
    assert runner.run_through(SYSTEM_ACTOR, date(2026, 2, 28)).errors == 0
    pay(container, ids[BEHAVIOURS.index("backdated")], "1066.19", date(2026, 2, 9))
    assert runner.run_through(SYSTEM_ACTOR, date(2026, 3, 1)).errors == 0
    return ids


def first_fee(container: Container, loan_id: int) -> str:
    return str(container.services.loans.get(SERVICING, loan_id)["schedule"][0]["fee"])


def test_end_of_day_charges_the_contracts_late_fee_once_and_the_bulk_path_posts_the_same(
    container: Container, twin: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    counts = {"bulk": 0, "per_loan": 0}

    def counting(loans: BulkLoans, loan_ids: list[int], held: LoanBook | None) -> BulkDay:
        out = bulk_day(loans, loan_ids, held)
        counts["bulk"] += len(out.updates)
        counts["per_loan"] += len(out.rest) - len(out.settle)
        return out

    monkeypatch.setattr(eod_runner, "bulk_day", counting)
    ids = story(container, bulk=True)
    story(twin, bulk=False)
    assert_same(container, twin)
    verified(container, date(2026, 3, 1))
    fees = dict(zip(BEHAVIOURS, (first_fee(container, i) for i in ids), strict=True))
    assert fees == {
        "on_time": "0.00", "half_late": "50.00", "never": "50.00", "late_in_time": "0.00",
        "backdated": "0.00", "no_rule": "0.00",
    }  # fmt: skip
    # the kernels carried the loans with no fee in reach; the late ones went loan by loan
    assert counts["bulk"] > counts["per_loan"] > 0


def test_a_fee_taken_away_by_a_backdated_repayment_is_reversed_in_the_ledger(
    container: Container,
) -> None:
    ids = story(container, bulk=True)
    loan_id = ids[BEHAVIOURS.index("backdated")]
    entries = container.services.loans.ledger(SERVICING, loan_id)
    charged = [e for e in entries if str(e["fact"]).startswith("lf:") and not e["reverses"]]
    undone = {e["reverses"] for e in entries if e["reverses"]}
    # charged on Feb 24 (Feb 9 + 15), reversed when the Feb 9 repayment became known
    assert [(e["value_date"], e["id"] in undone) for e in charged] == [("2026-02-24", True)]


def test_a_late_fee_by_hand_is_refused_where_the_contract_charges_its_own(
    container: Container,
) -> None:
    ids = book(container)
    fee = FeeCharge("late_fee", cny("50.00"), n=1, value_date=date(2026, 2, 25))
    with pytest.raises(Conflict, match="charges its late fee itself"):
        container.services.fees.charge_fee(SERVICING, ids[0], fee)
    posted = container.services.fees.charge_fee(SERVICING, ids[-1], fee)  # no rule: allowed
    assert posted.status_code == 201


def one_late_loan(container: Container, through: date) -> int:
    """12,000.00 at 12 % from 2026-01-05 with the 50.00 late fee, nothing paid, accrued
    through ``through`` (installment 1, due Feb 5, is charged its fee on Feb 20)."""
    loan_id = paid_out(container, late_fee=LATE_FEE)
    container.services.servicing.accrue_loan(SERVICING, loan_id, through)
    return loan_id


def waive_late_fee(container: Container, loan_id: int) -> int:
    """Installment 1's late fee waived (maker and checker); the waiver event's id."""
    approvals = container.services.approvals
    asked = approvals.request_fee_waiver(
        SERVICING, loan_id, WaiverInput(1, cny("50.00"), "the bank says it paid in time")
    )
    event = approvals.decide(CHECKER, int(asked["id"]), approve=True).body["event"]
    return int(event["id"])


def effective_facts(container: Container, loan_id: int) -> dict[str, str]:
    """The loan's entries that no reversal undid: their amounts by fact."""
    entries = container.services.loans.ledger(SERVICING, loan_id)
    undone = {e["reverses"] for e in entries if e["reverses"]}
    return {
        str(e["fact"]): str(e["postings"][0]["amount"])
        for e in entries
        if not e["reverses"] and e["id"] not in undone
    }


def test_a_repayment_learnt_of_after_its_waived_late_fee_is_posted_and_waives_nothing(
    container: Container,
) -> None:
    """The officer waived installment 1's late fee because the borrower said the money
    left in time; the bank's record then came with its value date, Feb 5: the repayment
    used to be refused (409, the waiver exceeding an unpaid fee of 0.00) because the
    replay no longer charged the fee the waiver took away."""
    loan_id = one_late_loan(container, date(2026, 2, 25))
    waiver = waive_late_fee(container, loan_id)
    assert first_fee(container, loan_id) == "0.00"
    pay(container, loan_id, "1066.19", date(2026, 2, 5))
    shown = container.services.loans.get(SERVICING, loan_id)
    assert shown["schedule"][0]["status"] == "paid" and first_fee(container, loan_id) == "0.00"
    facts = effective_facts(container, loan_id)
    assert "lf:2026-02-20" not in facts  # installment 1's late fee, undone
    assert f"ev:{waiver}" not in facts  # and its waiver with it
    assert "lf:2026-03-20" in facts  # installment 2 is still late
    # and its transaction says so: nothing waived of the 50.00 approved (it said 50.00)
    rows = container.services.loans.transactions(SERVICING, loan_id)
    waived = [(t["amount"], t["requested"]) for t in rows if t["kind"] == "fee_waiver"]
    assert waived == [("0.00", "50.00")]
    verified(container, container.services.clock.today())


def test_a_waiver_is_refused_at_approval_when_the_fee_was_paid_since_the_request(
    container: Container,
) -> None:
    loan_id = one_late_loan(container, date(2026, 2, 25))
    asked = container.services.approvals.request_fee_waiver(
        SERVICING, loan_id, WaiverInput(1, cny("50.00"), "goodwill")
    )
    pay(container, loan_id, "2000.00", date(2026, 2, 25))  # the fee comes after interest
    with pytest.raises(Conflict, match=r"exceeds installment 1's unpaid fee 0\.00"):
        container.services.approvals.decide(CHECKER, int(asked["id"]), approve=True)
    kinds = {e["kind"] for e in container.services.loans.ledger(SERVICING, loan_id)}
    assert "fee_waiver" not in kinds
