"""Reversing a loan's money events: a repayment (prepayment, payoff) whose transfer
bounced, a refund of the advance the lender does not pay out after all, a recovery
that did not arrive (:mod:`autolend.services.recoveries`).

The ledger is append-only: a reversal marks the event reversed and restates the loan
from its value date as if it had never happened; every entry that no longer stands is
reversed by an opposite one. A refund reversed is **Dr 2300 borrower refund payable /
Cr 2100 suspense (loan)**: the payable is cancelled and the money is the advance again.

A refund is paid out of the advance, so it stands only while the advance held it. A
repayment whose money the advance refunded cannot simply be reversed: 1,500.00 paid on
2026-02-05 pays installment 1 (1,066.19) and leaves 433.81 in the advance; 400.00 of it
is refunded on 2026-02-10; the 1,500.00 bounces. Without it the advance held 0.00 on
2026-02-10, so the refund would be money paid back that never came in. The reversal is
refused (409) naming refund and the way on: reverse the refund first (the advance is
433.81 again), then the repayment (the advance 0.00, installment 1 unpaid again).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from autolend.domain.access import Actor
from autolend.domain.errors import Conflict, DomainError, NotFound
from autolend.domain.servicing.refund_cover import ChangeWords, RefundUncovered, refunds_first
from autolend.services.loan_books import loan_events, restate, serviced_through
from autolend.services.loan_ports import LoanEventRow, LoanRecord
from autolend.services.paid_off import payoff_stands
from autolend.services.ports import Clock, UnitOfWork
from autolend.services.prepayment_fees import linked_fee_events
from autolend.services.projection import project
from autolend.services.terms_codec import load_servicing, load_terms

__all__ = ["REVERSIBLE", "refunds_stand", "restate_without", "reversible_event"]

REVERSIBLE = ("repayment", "prepayment", "payoff", "refund", "recovery")
"""The money events a reversal takes: what came in, a recovery, a refund paid back."""
_NAMES = {"repayment": ("repayment", "还款"), "prepayment": ("prepayment", "提前还款"),
          "payoff": ("payoff", "结清款"), "refund": ("refund", "退款"),
          "recovery": ("recovery", "核销后回收")}  # fmt: skip


def reversible_event(uow: UnitOfWork, loan: LoanRecord, event_id: int) -> LoanEventRow:
    """The loan's event ``event_id``, if a reversal may take it: one of
    :data:`REVERSIBLE`, still posted; on a written-off loan only a recovery (what came
    before the write-off was written off with it)."""
    event = uow.loans.event(loan.id, event_id)
    if event is None or event.kind not in REVERSIBLE:
        if loan.status == "written_off":
            raise NotFound("recovery not found", message_zh="该贷款没有这笔核销后回收")
        raise NotFound("repayment not found", message_zh="该贷款没有这笔还款或退款")
    if event.status != "posted":
        raise Conflict(f"the {event.kind} is already {event.status}",
                       message_zh="该交易已冲正，不能再次冲正")  # fmt: skip
    if loan.status == "written_off" and event.kind != "recovery":
        name, zh = _NAMES[event.kind]
        raise Conflict(f"a written-off loan's {name}s cannot be reversed",
                       message_zh=f"已核销贷款的{zh}不能冲正")  # fmt: skip
    return event


def restate_without(
    uow: UnitOfWork, clock: Clock, actor: Actor, loan: LoanRecord, event: LoanEventRow
) -> None:
    """The loan replayed from ``event``'s value date without it (and the fees that came
    with it), each marked reversed with its reversing entry. Refused (409, nothing
    posted) where a payoff or a refund after it would no longer stand."""
    fees = linked_fee_events(uow, event)
    for marked in (event.id, *fees):
        uow.loans.mark_reversed(marked, None)
    change = f"reversing {event.kind} {event.id}"
    with payoff_stands(uow, loan, change), refunds_stand(uow, loan, _without(event)):
        done = restate(uow, clock, actor, loan, through=serviced_through(loan),
                       since=event.value_date)  # fmt: skip
    for marked in (event.id, *fees):
        uow.loans.mark_reversed(marked, done.reversals.get(f"ev:{marked}"))


@contextmanager
def refunds_stand(uow: UnitOfWork, loan: LoanRecord, change: ChangeWords) -> Iterator[None]:
    """Run a restatement of ``loan`` under ``change`` (already made in ``uow``: an event
    marked reversed, a fee or waiver added); where a refund would then be above the
    advance of its day, a 409 naming every refund to reverse first
    (:func:`~autolend.domain.servicing.refund_cover.refunds_first`), e.g. "refund 2
    (400.00 on 2026-02-10) exceeds the advance without repayment 1 (0.00 held that day):
    reverse the refund first, then the repayment"."""
    try:
        yield
    except RefundUncovered as first:
        raise refunds_first(refunds_in_the_way(uow, loan, first), change) from first


def refunds_in_the_way(
    uow: UnitOfWork, loan: LoanRecord, first: RefundUncovered
) -> list[RefundUncovered]:
    """``first`` and every later refund that would still exceed the advance once those
    found before it are reversed too, in replay order (each replay is pure)."""
    found = [first]
    terms, pack = load_terms(loan.terms_json)
    servicing = load_servicing(loan.terms_json)
    events = loan_events(uow, loan)
    through = serviced_through(loan)
    for _ in events:
        skipped = {refund.refund_id for refund in found}
        kept = [e for e in events if e.id not in skipped]
        try:
            project(loan.id, terms, pack, kept, through, servicing=servicing)
        except RefundUncovered as more:
            found.append(more)
            continue
        except DomainError:  # something else refuses it too: the refunds found are named
            pass
        break
    return found


def _without(event: LoanEventRow) -> ChangeWords:
    """The reversal of ``event`` as :func:`refunds_first` names it: "without repayment 5",
    then "the repayment"."""
    name, zh = _NAMES[event.kind]
    return ChangeWords(f"without {name} {event.id}", f"没有{zh} {event.id}", f"the {name}",
                       f"冲正该{zh}")  # fmt: skip
