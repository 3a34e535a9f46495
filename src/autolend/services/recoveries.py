"""Recoveries (核销后收回) on a written-off loan: bounded by what the write-off lost, and
reversible when the cash does not arrive.

A recovery books Dr cash / Cr recovery income outside the loan's replay (the loan's
balances were written off), so neither the replay nor the ledger's invariants would
notice a recovery of 100,000,000.00 on a loss of 31,656.67 typed by mistake; and a
bounced transfer needs a way back. Written off with a loss of 31,656.67 and 10,000.00
recovered, at most 21,656.67 more is taken; a reversal of the 10,000.00 posts the
opposite entry at its value date and frees the room again.
"""

from __future__ import annotations

from autolend.domain.access import Actor
from autolend.domain.errors import Conflict, InvalidInput
from autolend.domain.ledger import reverse
from autolend.domain.money import Money
from autolend.services.loan_books import post
from autolend.services.loan_ports import LoanEventRow, LoanRecord
from autolend.services.loan_views import money_text, written_off_loss
from autolend.services.ports import Clock, UnitOfWork

__all__ = ["check_recovery_room", "recovery_room", "reverse_recovery"]


def recovery_room(uow: UnitOfWork, loan: LoanRecord) -> tuple[int, int]:
    """``(loss, recovered)`` in minor units: what the loan's write-off charged to the
    allowance and impairment (its receivables less the advance that paid part), and
    the recoveries posted on it and not reversed."""
    events = uow.loans.events(loan.id)
    write_off = next((e for e in events if e.kind == "write_off" and e.status == "posted"), None)
    if write_off is None:
        raise Conflict("only a written-off loan takes recoveries",
                       message_zh="只有已核销的贷款才能登记回收")  # fmt: skip
    fact = f"ev:{write_off.id}"
    stated = uow.ledger.effective_facts(loan.id, write_off.value_date, fact).get(fact)
    if stated is None:
        raise Conflict(f"the write-off of loan {loan.id} has no ledger entry")
    loss = written_off_loss(stated.entry, loan.currency)
    recovered = sum(e.amount_minor for e in events if e.kind == "recovery" and e.status == "posted")
    return loss, recovered


def check_recovery_room(uow: UnitOfWork, loan: LoanRecord, amount: Money) -> None:
    """Refuse, on ``amount``, a recovery above what is left of the loss, e.g. "the
    recovery 99999999.00 CNY is more than is left to recover: 31656.67 CNY (written off
    31656.67, recovered 0.00)"."""
    loss, recovered = recovery_room(uow, loan)
    left = loss - recovered
    if amount.minor > left:
        code = loan.currency
        raise InvalidInput(
            f"the recovery {amount.to_api()} {code} is more than is left to recover: "
            f"{money_text(max(left, 0), code)} {code} (written off {money_text(loss, code)}, "
            f"recovered {money_text(recovered, code)})",
            field="amount",
            message_zh=f"回收金额 {amount.to_api()} {code} 超过尚可回收的 "
            f"{money_text(max(left, 0), code)} {code}（核销 {money_text(loss, code)}，"
            f"已回收 {money_text(recovered, code)}）",
        )


def reverse_recovery(
    uow: UnitOfWork, clock: Clock, actor: Actor, event: LoanEventRow, *, reason: str
) -> int:
    """Undo a recovery that did not arrive (a bounced transfer): its entry reversed at
    its own value date, the event marked reversed; returns the reversing entry's id."""
    if event.entry_id is None:
        raise Conflict(f"recovery {event.id} has no ledger entry")
    stored = uow.ledger.entry(event.entry_id)
    assert stored is not None  # the event points at it
    undo = reverse(stored.entry, event.entry_id, event.value_date, reason,
                   idempotency_key=f"reversal:{event.entry_id}")  # fmt: skip
    reversal_id = post(uow, clock, actor, undo, f"rc:{event.id}")
    uow.loans.mark_reversed(event.id, reversal_id)
    return reversal_id
