"""A promotion's subsidy after disbursement: settling the receivable when the car maker
(or the state) pays, and earning the deferred subsidy income over the term.

A 0 % promotion whose maker subsidy was booked as owed at disbursement
(``subsidy_settlement: receivable``) carries Dr 1140 subsidy receivable (loan). When the
maker's money arrives, :meth:`SubsidyService.receive` posts **Dr 1000 cash / Cr 1140
subsidy receivable (loan)**, at most what is still owed, once per ``Idempotency-Key``.
Example: 6,000.00 owed, 4,000.00 received -> 2,000.00 still owed; 2,500.00 more is refused
(422 naming ``amount``). Nothing else about the loan changes, so no replay is needed.

**Amortisation** (:func:`amortise_subsidies`, one business date, in the caller's
transaction; end of day should call it after the day's accrual, since an accrual record
dated on or after a business date sends the loan off the bulk path): the subsidy booked
as Cr 2400
deferred subsidy income is earned installment by installment as the stored
``subsidy_schedule`` says (:mod:`autolend.domain.subsidy_schedule`: in proportion to
the list-rate interest), **Dr 2400 deferred subsidy income / Cr 4130 subsidy income**
on each due date (fact ``sa:<due date>``, key ``loan:<id>:sa:<due date>``, accrual
record component ``subsidy``). A loan paid off or written off earns the whole rest on
its closing date (fact ``sa:end``, component ``subsidy_end``): IFRS 9 derecognises it,
and a maker's buy-down is not refundable, so nothing is left deferred; a payoff posted
on day D is settled by the run for D or the first run after it. A reversed payoff
(bounced) reopens the loan: the next run reverses that entry at its own date and the
installments since earn their own amounts again. Each line is posted
once whatever the number of runs, so a rerun posts nothing; a missed business date is
caught up at the loan's next due date. A **partial prepayment** re-spreads what is not
yet earned (:func:`autolend.domain.subsidy_schedule.revised_plan`, IFRS 9 B5.4.6): the
share the prepaid balance would have earned is earned at once on the prepayment's date
(fact ``sa:cu:<event id>``, component ``subsidy_cu:<event id>``), the rest over the new
installments; a bounced prepayment's catch-up is reversed at its own date. Whenever the
plan moves under installments already earned (that bounce after a revised share was
earned, or a prepayment backdated before a booked share), the run for the newest day
brings what is earned back to the plan at once, in one entry dated that day (fact
``sa:tu:<day>``, component ``subsidy_tu``; IFRS 9 B5.4.6's cumulative catch-up):
before, the difference waited for the loan's close.
Example: 6,000.00 spread 923.07, 846.15, 769.23, ... over 12 installments; paid off
after the third due date, the first run on or after the payoff date recognises 6,000.00 -
2,538.45 = 3,461.55 dated on the payoff date, and 2400 is 0; instead half the balance
prepaid on the third due date earns 1,730.78 of the 3,461.55 then, and the nine new
installments share the other 1,730.77.
"""

from __future__ import annotations

import uuid
from datetime import date

from autolend.domain.access import Actor, Permission
from autolend.domain.errors import InvalidInput, PermissionDenied
from autolend.domain.ledger import (
    reverse,
    subsidy_amortisation_entry,
    subsidy_entry,
    subsidy_true_up_entry,
)
from autolend.domain.money import Money
from autolend.domain.schedule import build_schedule
from autolend.domain.subsidy_schedule import Reamortisation, recognition_plan, revised_plan
from autolend.services.audit import record_change
from autolend.services.disbursement import booked_subsidy_schedule
from autolend.services.idempotency import IdempotencyRequest, MoneyResult, claim, replayed
from autolend.services.loan_books import current_projection, locked_loan, post
from autolend.services.loan_ports import LoanRecord
from autolend.services.loan_views import money_text
from autolend.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from autolend.services.terms_codec import load_servicing, load_terms

__all__ = ["SubsidyService", "amortise_loan_subsidy", "amortise_subsidies", "subsidy_plan"]

_OPEN = "active"
_END = "sa:end"
_CATCH_UP = "sa:cu:"  # + the prepayment's event id
_TRUE_UP = "sa:tu:"  # + the business date


def subsidy_plan(loan: LoanRecord, deferred: int) -> list[tuple[date, int]]:
    """The loan's subsidy per installment due date: the stored schedule, or (a loan paid
    out before schedules were stored, or one whose schedule no longer adds up to what was
    deferred) the ``deferred`` amount spread over the booked schedule afresh."""
    terms = load_terms(loan.terms_json)[0]
    dates = [row.due_date for row in build_schedule(terms).rows]
    amounts = load_servicing(loan.terms_json).subsidy_schedule
    if len(amounts) != len(dates) or sum(amounts) != deferred:
        amounts = booked_subsidy_schedule(terms, deferred)
    return list(zip(dates, amounts, strict=True))


def amortise_subsidies(
    uow: UnitOfWork, clock: Clock, actor: Actor, day: date, *, since: date | None = None
) -> int:
    """Earn the deferred subsidy due on business date ``day`` (see the module
    docstring) for the few loans with a 2400 balance and an installment due that day or
    closed by then; returns the number of entries posted. The caller commits.

    ``since``: the last business date run before, when days were skipped: installments
    due after it and by ``day`` are caught up at once, as daily runs would have posted
    them (each line dated its due date)."""
    return sum(amortise_loan_subsidy(uow, clock, actor, loan_id, day)
               for loan_id in uow.loans.deferred_subsidies(day, since))  # fmt: skip


def _reopened(uow: UnitOfWork, clock: Clock, actor: Actor, loan: LoanRecord) -> int:
    """Undo the rest earned at a close that a reversed payoff took back: its entry is
    reversed at its own date, so the installments earn their own amounts again."""
    end_id = uow.loans.subsidy_end_entry(loan.id) if loan.status == _OPEN else None
    stored = uow.ledger.entry(end_id) if end_id is not None else None
    if end_id is None or stored is None:
        return 0
    day = stored.entry.value_date
    undo = reverse(stored.entry, end_id, day, "the loan was reopened",
                   idempotency_key=f"reversal:{end_id}")  # fmt: skip
    post(uow, clock, actor, undo, _END)
    uow.ledger.drop_accrual(loan.id, day, "subsidy_end")
    return 1


def _reamortised(uow: UnitOfWork, loan: LoanRecord) -> list[Reamortisation] | None:
    """The loan's partial prepayments in force, as the replay applied them; ``None`` for a
    loan that never had one (posted or reversed), so nothing can need revising."""
    events = uow.loans.events(loan.id)
    prepaid = [e.value_date for e in events if e.kind == "prepayment" and e.status == "posted"]
    if not any(e.kind == "prepayment" for e in events):
        return None
    if not prepaid:
        return []
    return current_projection(uow, loan, max(prepaid)).reamortised


def _withdrawn(
    uow: UnitOfWork, clock: Clock, actor: Actor, loan: LoanRecord, in_force: set[int]
) -> int:
    """Reverse the catch-up of a partial prepayment that was itself reversed (bounced),
    at the catch-up's own date; the later installments keep the amounts already earned."""
    posted = 0
    for fact, stored in uow.ledger.effective_facts(loan.id, loan.start_date).items():
        if not fact.startswith(_CATCH_UP) or int(fact[len(_CATCH_UP) :]) in in_force:
            continue
        day = stored.entry.value_date
        undo = reverse(stored.entry, stored.id, day, "the prepayment was reversed",
                       idempotency_key=f"reversal:{stored.id}")  # fmt: skip
        post(uow, clock, actor, undo, fact)
        uow.ledger.drop_accrual(loan.id, day, _component(fact))
        posted += 1
    return posted


def _plan_lines(
    loan: LoanRecord, deferred: int, day: date, reamortised: list[Reamortisation] | None
) -> list[tuple[str, date, int | None]]:
    """``(fact, date, amount)`` to earn by ``day``: the installments' shares and the
    prepayments' catch-ups (:func:`revised_plan`); on a closed loan, ``sa:end`` for the rest
    (amount ``None``)."""
    closed_on = loan.closed_on if loan.status != _OPEN else None
    plan = revised_plan(subsidy_plan(loan, deferred), reamortised or [])
    lines: list[tuple[str, date, int | None]] = [
        (f"sa:{due.isoformat()}" if line.catch_up_of is None
         else f"{_CATCH_UP}{line.catch_up_of}", due, line.amount)
        for due, line in recognition_plan([(x.due, x) for x in plan], day, closed_on)
    ]  # fmt: skip
    if closed_on is not None and closed_on <= day:
        lines.append((_END, closed_on, None))  # the rest, whatever the lines left
    return lines


def amortise_loan_subsidy(
    uow: UnitOfWork, clock: Clock, actor: Actor, loan_id: int, day: date
) -> int:
    """One loan's share of :func:`amortise_subsidies` (end of day runs each loan in a
    savepoint of its own); the entries posted."""
    loan = locked_loan(uow, loan_id)  # read the balance after the lock: a rerun sees it all
    posted = _reopened(uow, clock, actor, loan)
    reamortised = _reamortised(uow, loan)
    if reamortised is not None:
        posted += _withdrawn(uow, clock, actor, loan, {r.event_id for r in reamortised})
    deferred, left = uow.loans.deferred_subsidy(loan.id)
    if left <= 0 or deferred <= 0:
        return posted
    lines = _plan_lines(loan, deferred, day, reamortised)
    for fact, due, scheduled in lines:
        amount = left if scheduled is None else min(scheduled, left)
        # The rest is posted once per close: the loan's version changes when it reopens.
        key = f"loan:{loan.id}:{fact}" + (f":v{loan.version}" if scheduled is None else "")
        if amount <= 0 or uow.ledger.has_key(key):
            continue
        entry = subsidy_amortisation_entry(loan.id, due, Money.of_minor(amount, loan.currency),
                                           key=key)  # fmt: skip
        entry_id = post(uow, clock, actor, entry, fact)
        uow.ledger.record_accrual(loan.id, due, _component(fact), amount, entry_id)
        left -= amount
        posted += 1
    if loan.status == _OPEN:
        owed = sum(amount for _, _, amount in lines if amount is not None)
        posted += _trued_up(uow, clock, actor, loan, (day, owed))
    return posted


def _trued_up(
    uow: UnitOfWork, clock: Clock, actor: Actor, loan: LoanRecord, owed: tuple[date, int]
) -> int:
    """Bring what an open loan has earned back to what its plan says it owes by the day
    (``owed``: the day and the plan's lines through it), in one entry dated that day
    (fact ``sa:tu:<day>``, component ``subsidy_tu``), when the plan moved under lines
    already earned: a prepayment bounced after installments had earned their revised
    (smaller) shares, or one backdated before a share earned at the booked amount.

    Example: booked 450.00 for installment 4, revised to 222.52 by a prepayment and
    earned so, then the prepayment bounces: the plan is the booked one again, so the
    next run earns 227.48 more (and the catch-up is reversed by :func:`_withdrawn`)."""
    day, due = owed
    earned, latest = uow.ledger.subsidy_earned(loan.id, day)
    if latest is not None and latest > day:
        return 0  # a rerun of a day before the newest: that run trued the plan up
    gap = min(due - earned, uow.loans.deferred_subsidy(loan.id)[1])
    fact = f"{_TRUE_UP}{day.isoformat()}"
    key = f"loan:{loan.id}:{fact}"
    if gap == 0 or uow.ledger.has_key(key):
        return 0
    change = Money.of_minor(gap, loan.currency)
    entry_id = post(uow, clock, actor, subsidy_true_up_entry(loan.id, day, change, key=key), fact)
    uow.ledger.record_accrual(loan.id, day, _component(fact), gap, entry_id)
    return 1


def _component(fact: str) -> str:
    """The accrual record's component (at most one per loan, day and component): a
    catch-up's names its prepayment, since two can fall on one day (``sa:cu:41`` ->
    ``subsidy_cu:41``)."""
    if fact == _END:
        return "subsidy_end"
    if fact.startswith(_CATCH_UP):
        return "subsidy_cu:" + fact[len(_CATCH_UP) :]
    if fact.startswith(_TRUE_UP):
        return "subsidy_tu"
    return "subsidy"


class SubsidyService:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow_factory
        self._clock = clock

    def amortise(self, actor: Actor, day: date, *, since: date | None = None) -> int:
        """:func:`amortise_subsidies` for ``day`` in a transaction of its own (end of day
        runs it inside its own); ``loan:accrue`` permission."""
        if not actor.can(Permission.LOAN_ACCRUE):
            raise PermissionDenied("your role may not run end-of-day steps")
        with self._uow(write=True) as uow:
            posted = amortise_subsidies(uow, self._clock, actor, day, since=since)
            uow.commit()
        return posted

    def receive(self, actor: Actor, loan_id: int, amount: Money, value_date: date, *,
                idem: IdempotencyRequest | None = None) -> MoneyResult:  # fmt: skip
        """Post the maker's payment against the loan's subsidy receivable."""
        if not actor.can(Permission.REPAYMENT_POST):
            raise PermissionDenied("your role may not post subsidy receipts")
        with self._uow(write=True) as uow:
            loan = locked_loan(uow, loan_id)
            stored = replayed(uow, idem)
            if stored is not None:
                return stored
            amount_minor = amount.minor
            if amount.currency.code != loan.currency or amount_minor <= 0:
                raise InvalidInput(f"amount must be positive {loan.currency}", field="amount")
            if not loan.start_date <= value_date <= self._clock.today():
                raise InvalidInput("value date is before the loan start or in the future",
                                   field="value_date")  # fmt: skip
            owed = uow.ledger.loan_balances(loan.id).get("subsidy", 0)
            if amount_minor > owed:
                raise InvalidInput(f"the subsidy still owed is {money_text(owed, loan.currency)}",
                                   field="amount")  # fmt: skip
            entry = subsidy_entry(loan.id, value_date, Money.of_minor(amount_minor, loan.currency),
                                  received=True)  # fmt: skip
            entry_id = post(uow, self._clock, actor, entry, f"sr:{uuid.uuid4().hex}")
            body: dict[str, str | int] = {"loan_id": loan.id, "entry_id": entry_id,
                    "amount": money_text(amount_minor, loan.currency), "currency": loan.currency,
                    "value_date": value_date.isoformat(),
                    "still_owed": money_text(owed - amount_minor, loan.currency)}  # fmt: skip
            record_change(uow, self._clock, actor, action="loan.subsidy_receipt",
                          object_type="loan", object_id=loan.id, summary=body)  # fmt: skip
            result = MoneyResult(201, body)
            claim(uow, self._clock, idem, result)
            uow.commit()
        return result
