"""Withdrawing an application after its offer was accepted (撤回申请): the loan booked
on acceptance is cancelled and its contract voided, in the withdrawal's transaction.

Accepting an offer books the loan (status ``booked``: no money has moved yet) and
signing issues the contract. Until the dealer is paid the borrower may still walk away
(they change their mind in the showroom, the car is not delivered), so a withdrawal
from ``accepted``, ``signing`` or ``signed``:

* cancels the loan: status ``cancelled``, closed that day. It never held money (a
  disbursement needs a ``booked`` loan, a repayment refuses a cancelled one, end of day
  accrues only active loans) and ``autolend verify`` checks that no journal entry names
  it;
* voids the contract (作废): status ``voided``, a ``voided`` entry of its digest in the
  hash-chained registry (that document will never take effect), and any open
  signing code superseded, so a code already sent signs nothing.

A loan already paid out is refused with 409: money has left, and undoing it is a
reversal for servicing, not a withdrawal. (Only loans paid out through the loans API
before it refused an application's loan can reach this: the application pays out its
own loan, and a paid-out application may not be withdrawn.)

Example: an application accepted on 2026-03-02 (loan 7 booked) and signed (contract 3)
is withdrawn on 2026-03-04: loan 7 is ``cancelled`` closed on 2026-03-04, contract 3
``voided``, and the registry's last entry is (3, "loan:7", "voided", its SHA-256).
"""

from __future__ import annotations

from autolend.domain.access import Actor
from autolend.domain.applicant_side import check_on_applicants_side
from autolend.domain.application_status import Action, check_transition
from autolend.domain.contract_registry import RegistryEvent, registry_next
from autolend.domain.errors import Conflict
from autolend.domain.text_input import check_text
from autolend.services.application_ports import ApplicationRow, ApplicationUpdate
from autolend.services.application_records import move
from autolend.services.audit import record_change
from autolend.services.loan_ports import LoanUpdate
from autolend.services.ports import Clock, UnitOfWork
from autolend.services.review_duties import case_side

__all__ = ["cancel_booking", "void_contract", "withdraw_row"]


def withdraw_row(
    uow: UnitOfWork, clock: Clock, actor: Actor, row: ApplicationRow, reason: str
) -> None:
    """Withdraw ``row`` (locked) for ``actor``: the applicant's side alone (the borrower
    who filed it, the dealer it came through, the staff member who filed it; 403 for an
    underwriter who merely reaches it), from a status it may leave (409); the booked loan
    cancelled and its contracts voided with it. The caller commits."""
    check_on_applicants_side(actor, case_side(row, uow.applications.events(row.id)), "withdraw")
    check_transition(row.status, Action.WITHDRAW)
    cancel_booking(uow, clock, actor, row)
    move(uow, clock, actor, row, action=Action.WITHDRAW,
         change=ApplicationUpdate("withdrawn", clock.now()),
         reason=check_text(reason, "reason", multiline=True).strip()[:500] or None)  # fmt: skip
    record_change(uow, clock, actor, action="application.withdraw",
                  object_type="application", object_id=row.id)  # fmt: skip


_PAID_OUT = (
    "the loan has been paid out: it cannot be withdrawn, ask servicing to reverse it",
    "贷款已放款，无法撤回申请，请联系贷后服务人员办理冲正",
)


def cancel_booking(uow: UnitOfWork, clock: Clock, actor: Actor, row: ApplicationRow) -> None:
    """Cancel the loan ``row`` booked on acceptance and void its contracts: the
    application's, and any other issued for the loan (through the contracts API, or by a
    request that lost the race to claim the application: see the module); the caller
    moves the application and commits."""
    if row.loan_id is None:  # not accepted: no loan, so no contract either
        return
    _cancel_loan(uow, clock, actor, row.loan_id)
    for contract in uow.contracts.for_loan(row.loan_id):  # the application's among them
        void_contract(uow, clock, actor, contract.id)


def _cancel_loan(uow: UnitOfWork, clock: Clock, actor: Actor, loan_id: int) -> None:
    loan = uow.loans.get(loan_id, for_update=True)
    if loan is None or loan.status == "cancelled":
        return
    if loan.status != "booked":
        raise Conflict(_PAID_OUT[0], message_zh=_PAID_OUT[1])
    change = LoanUpdate("cancelled", loan.accrued_through, clock.today(), loan.state_json)
    uow.loans.update(loan.id, change)
    record_change(uow, clock, actor, action="loan.cancel", object_type="loan",
                  object_id=loan.id, summary={"reason": "application withdrawn"})  # fmt: skip


def void_contract(uow: UnitOfWork, clock: Clock, actor: Actor, contract_id: int) -> None:
    """Void the contract (nothing if void already): its open code superseded, a ``voided``
    entry of its digest in the registry, an audit record."""
    contract = uow.contracts.get(contract_id, for_update=True)
    if contract is None or contract.status == "voided":
        return
    uow.contracts.supersede_open(contract_id)
    uow.contracts.mark_voided(contract_id)
    head = uow.contracts.registry_head(for_update=True)
    event = RegistryEvent(contract_id, contract.reference, "voided", contract.sha256,
                          actor.user_id, clock.now())  # fmt: skip
    uow.contracts.append_registry(registry_next(head, event))
    record_change(uow, clock, actor, action="contract.void", object_type="contract",
                  object_id=contract_id, summary={"sha256": contract.sha256})  # fmt: skip
