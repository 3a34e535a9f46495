"""The servicing projection of one loan: its state, and the ledger entries that state it.

Pure (no I/O). From the booked terms, the loan is replayed day by day
(:func:`autolend.domain.servicing.accrue`) with its money events in (value date, seq, id)
order; each event applies after the accrual of its value date. Every amount that moves
becomes a *fact* with a stable key and the journal entry that states it:

* ``ai:<day>`` interest accrual, ``ap:<day>`` penalty and compound accrual,
  ``aa:<day>`` the advance (suspense) applied to what fell due that day, ``mf:<day>``
  the contract's monthly fees billed on a due date (Dr fees (loan) / Cr fee income),
  ``lf:<day>`` the contract's late fee charged that day (the same entry);
* ``ev:<event id>`` a repayment, prepayment, payoff or write-off; a fee charged
  (``fee``: Dr fees sub-ledger / Cr fee income, added to installment ``n``'s fee due) or
  an approved fee waiver (``fee_waiver``: Dr fee income / Cr fees sub-ledger, taken off
  installment ``n``'s fee due, at most what is unpaid of it then); a ``refund`` of the
  advance (Dr suspense (loan) / Cr 2300 borrower refund payable), refused when it exceeds
  the advance on its value date. Fees are recognised when charged (monthly fees when
  billed), so :func:`receivables` counts the unpaid fees of every installment less the
  monthly fees not yet billed.

The ledger holds, for every fact, one effective entry; a backdated event or a reversal
changes some facts, and :mod:`autolend.services.loan_books` posts the difference.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from autolend.domain.errors import Conflict, InvalidInput
from autolend.domain.ledger import (
    EntryKind,
    JournalEntry,
    SubLedger,
    accrual_entry,
    fee_charge_entry,
    fee_waiver_entry,
    penalty_accrual_entry,
    refund_entry,
    repayment_entry,
    write_off_entry,
)
from autolend.domain.money import Money
from autolend.domain.payoff import PrepaymentMode, partial_prepayment
from autolend.domain.penalty import policy_from_pack
from autolend.domain.regulation import pack_for
from autolend.domain.schedule import LoanTerms, Schedule, build_schedule
from autolend.domain.servicing import (
    Allocation,
    Component,
    DailyAccrual,
    LoanState,
    LoanStatus,
    accrue,
    allocate,
    apply_allocation,
    charge_fee,
    settled_in_full,
    waivable_fee,
    waive_fee,
    waterfall_for,
)
from autolend.domain.servicing.prepayment_rule import Waiting, prepayment_installment, still_waiting
from autolend.domain.servicing.reamortisation import reamortised_installments
from autolend.domain.servicing.refund_cover import RefundUncovered
from autolend.domain.subsidy_schedule import Reamortisation, balance_day_weights
from autolend.services.contract import ServicingTerms, opening_state

REPLAYED_KINDS = (
    "repayment",
    "prepayment",
    "payoff",
    "write_off",
    "fee",
    "fee_waiver",
    "refund",
)


@dataclass(frozen=True)
class Event:
    """A money event as replayed: ``details`` holds e.g. the prepayment ``mode``."""

    id: int
    kind: str
    value_date: date
    seq: int
    amount: Money
    reference: str | None = None
    details: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Projection:
    state: LoanState
    facts: dict[str, JournalEntry]
    allocations: dict[int, Allocation]
    closed_on: date | None
    splits: dict[int, tuple[str, dict[str, int]]] = field(default_factory=dict)
    reamortised: list[Reamortisation] = field(default_factory=list)  # partial prepayments
    waiting: tuple[Waiting, ...] = ()  # partial prepayments not yet standing (prepayment_rule)


def initial_state(
    loan_id: int, terms: LoanTerms, servicing: ServicingTerms | None = None
) -> LoanState:
    """The booked state: the schedule (with the contract's monthly fees in each
    installment's fee due), nothing paid, nothing accrued."""
    monthly = servicing.monthly_minor if servicing is not None else 0
    fee = Money(monthly, terms.principal.currency) if monthly else None
    return LoanState.from_schedule(str(loan_id), build_schedule(terms), monthly_fee=fee)


def interest_receivable(state: LoanState, on: date) -> int:
    """Interest recognised and unpaid on ``on``: due rows' unpaid interest plus the
    current period's accrued-not-due interest (what the interest sub-ledger holds)."""
    due = sum(r.outstanding(Component.INTEREST) for r in state.installments if r.due_date <= on)
    return due + state.accrued_interest


def receivables(state: LoanState, on: date) -> dict[SubLedger, int]:
    """Everything the borrower owes on ``on`` (after the accrual of that day); monthly
    fees of installments due later are not billed yet, so not owed."""
    fees = sum(r.outstanding(Component.FEE) for r in state.installments)
    fees -= state.unbilled_fees(on)
    return {
        SubLedger.PENALTY: state.penalty + state.compound,
        SubLedger.INTEREST: interest_receivable(state, on),
        SubLedger.FEES: fees,
        SubLedger.PRINCIPAL: state.outstanding_principal,
    }


def allocation_parts(allocation: Allocation) -> dict[SubLedger, Money]:
    """An allocation by sub-ledger (the suspense part is what went to the advance)."""
    money = allocation.amount.currency
    return {
        SubLedger.PENALTY: Money(allocation.to_component(Component.PENALTY), money),
        SubLedger.INTEREST: Money(allocation.to_component(Component.INTEREST), money),
        SubLedger.FEES: Money(allocation.to_component(Component.FEE), money),
        SubLedger.PRINCIPAL: Money(allocation.to_component(Component.PRINCIPAL), money),
        SubLedger.SUSPENSE: Money(allocation.to_advance, money),
    }


class _Replay:
    """The replay loop; one instance per projection."""

    def __init__(
        self,
        loan_id: int,
        terms: LoanTerms,
        pack_code: str,
        state: LoanState | None = None,
        servicing: ServicingTerms | None = None,
    ) -> None:
        self.loan_id = loan_id
        self.pack = pack_for(pack_code)
        contract = servicing or ServicingTerms()
        self.policy = policy_from_pack(self.pack, terms.start, contract.penalty_uplift)
        self.waterfalls = contract.policy
        self.late_fee = contract.late_fee
        if state is None:  # from booking, or from a migrated loan's cut-over
            state = initial_state(loan_id, terms, contract)
            if contract.opening is not None:
                state = opening_state(state, contract.opening)
        self.state = replace(state, monthly_fee=contract.monthly_minor)
        self.terms: LoanTerms = terms  # current terms (after partial prepayments)
        self.schedule: Schedule = build_schedule(terms)
        self.offset = 0  # installments before the current schedule's first row
        self.facts: dict[str, JournalEntry] = {}
        self.allocations: dict[int, Allocation] = {}
        self.splits: dict[int, tuple[str, dict[str, int]]] = {}
        self.closed_on: date | None = None
        self.reamortised: list[Reamortisation] = []
        self.waiting: tuple[Waiting, ...] = ()

    def accrue_to(self, day: date) -> None:
        was_active = self.state.status is LoanStatus.ACTIVE
        run = accrue(self.state, day, self.policy, self.pack, waterfalls=self.waterfalls,
                     late_fee=self.late_fee)  # fmt: skip
        self.state = run.state
        for accrued in run.days:
            self._day_facts(accrued)
        if was_active and self.state.status is not LoanStatus.ACTIVE and self.closed_on is None:
            # No event closed it: the advance paid the last installment on its due date.
            applied = [d.date for d in run.days if d.advance_applied is not None]
            self.closed_on = applied[-1] if applied else day

    def _day_facts(self, day: DailyAccrual) -> None:
        cur, key = self.state.currency, day.date.isoformat()
        if day.interest:
            self.facts[f"ai:{key}"] = accrual_entry(
                self.loan_id, day.date, Money(day.interest, cur)
            )
        if day.penalty + day.compound:
            amount = Money(day.penalty + day.compound, cur)
            self.facts[f"ap:{key}"] = penalty_accrual_entry(self.loan_id, day.date, amount)
        if day.fee:  # the contract's monthly fees, billed on the due date
            self.facts[f"mf:{key}"] = fee_charge_entry(self.loan_id, day.date, Money(day.fee, cur))
        if day.late_fee:  # the contract's late fee, on an installment left unpaid
            amount = Money(day.late_fee, cur)
            self.facts[f"lf:{key}"] = fee_charge_entry(self.loan_id, day.date, amount)
        applied = day.advance_applied
        if applied is not None and applied.amount.minor > applied.to_advance:
            parts = allocation_parts(applied)
            used = applied.amount - parts.pop(SubLedger.SUSPENSE)
            self.facts[f"aa:{key}"] = repayment_entry(
                self.loan_id, day.date, parts, from_suspense=used
            )

    def projection(self) -> Projection:
        waiting = still_waiting(self.state, self.waiting)
        return Projection(self.state, self.facts, self.allocations, self.closed_on,
                          self.splits, self.reamortised, waiting)  # fmt: skip

    def apply(self, event: Event) -> None:
        self.accrue_to(event.value_date)
        if self.state.status is LoanStatus.WRITTEN_OFF:
            raise Conflict(f"the loan was written off; event {event.id} cannot apply")
        handler = {
            "repayment": self._repayment,
            "prepayment": self._prepayment,
            "payoff": self._payoff,
            "write_off": self._write_off,
            "fee": self._fee,
            "fee_waiver": self._fee_waiver,
            "refund": self._refund,
        }[event.kind]
        entry = handler(event)
        if entry is not None:
            self.facts[f"ev:{event.id}"] = entry
        self.waiting = still_waiting(self.state, self.waiting)
        if self.state.status is not LoanStatus.ACTIVE and self.closed_on is None:
            self.closed_on = event.value_date

    def _repayment(self, event: Event) -> JournalEntry:
        state, day = self.state, event.value_date
        waterfall = waterfall_for(self.waterfalls, state.days_past_due(day))
        allocation = allocate(state, event.amount, day, waterfall)
        self.state = apply_allocation(state, allocation)
        self.allocations[event.id] = allocation
        return repayment_entry(
            self.loan_id,
            day,
            allocation_parts(allocation),
            cash=event.amount,
            external_ref=event.reference,
        )

    def _payoff(self, event: Event) -> JournalEntry:
        state, day = self.state, event.value_date
        owed = receivables(state, day)
        # The advance pays what it can; an advance above what is owed settles the loan
        # with a payoff of 0.00 and the rest stays held, to be refunded.
        used = min(state.advance, sum(owed.values()))
        required = sum(owed.values()) - used
        if event.amount.minor != required:
            quote = Money(required, state.currency).to_api()
            raise InvalidInput(f"the payoff on {day} is exactly {quote}", field="amount")
        self.state = replace(settled_in_full(state, day), advance=state.advance - used)
        parts = {str(k): v for k, v in owed.items()}  # a payoff's split (no Allocation)
        self.splits[event.id] = ("payoff", parts | {"from_advance": used})
        cur = state.currency
        return repayment_entry(
            self.loan_id,
            day,
            {sub: Money(minor, cur) for sub, minor in owed.items()},
            cash=event.amount if event.amount.minor else None,
            from_suspense=Money(used, cur) if used else None,
            kind=EntryKind.PAYOFF,
            external_ref=event.reference,
        )

    def _prepayment(self, event: Event) -> JournalEntry:
        state, day = self.state, event.value_date
        n = prepayment_installment(state, day)  # it stands once 1..n are paid: it waits
        self.waiting = (*self.waiting, (event.id, n))
        mode = PrepaymentMode(event.details.get("mode", PrepaymentMode.LOWER_INSTALLMENT))
        result = partial_prepayment(
            self.terms, self.schedule, n - self.offset, event.amount, day, mode
        )
        new_rows = [(row.due_date, row.principal, row.interest + row.deferred_interest_paid)
                    for row in result.new_schedule.rows]  # fmt: skip
        rows = reamortised_installments(state, n, new_rows, day)
        self.state = replace(state, installments=rows)
        self.splits[event.id] = ("prepayment", {"principal": event.amount.minor})
        after = zip((r.due_date for r in result.new_schedule.rows),
                    balance_day_weights(result.new_schedule), strict=True)  # fmt: skip
        before = balance_day_weights(self.schedule)[n - self.offset :]
        self.reamortised.append(Reamortisation(event.id, day, before, tuple(after)))
        self.terms, self.schedule, self.offset = result.new_terms, result.new_schedule, n
        return repayment_entry(
            self.loan_id,
            day,
            {SubLedger.PRINCIPAL: event.amount},
            cash=event.amount,
            kind=EntryKind.PREPAYMENT,
            external_ref=event.reference,
        )

    def _fee(self, event: Event) -> JournalEntry:
        """A fee on installment ``details['n']``: Dr fees (loan) / Cr fee income."""
        self.state = charge_fee(self.state, int(event.details["n"]), event.amount)
        return fee_charge_entry(self.loan_id, event.value_date, event.amount)

    def _fee_waiver(self, event: Event) -> JournalEntry | None:
        """An approved waiver on installment ``details['n']``: Dr fee income / Cr fees
        (loan), of what is still unpaid of that fee at its value date, at most its amount
        (approval refuses more). A backdated repayment that paid the fee, or took away
        the late fee it waived, leaves less or nothing to waive; nothing: no entry."""
        n, day = int(event.details["n"]), event.value_date
        amount = min(event.amount.minor, waivable_fee(self.state, n, day))
        if amount <= 0:
            return None
        self.state = waive_fee(self.state, n, amount, day)
        return fee_waiver_entry(self.loan_id, day, self.state.money(amount))

    def _refund(self, event: Event) -> JournalEntry:
        """Money out of the advance to the borrower: Dr 2100 suspense (loan) / Cr 2300
        borrower refund payable; never more than the advance after that day's accrual."""
        state = self.state
        if event.amount.minor > state.advance:
            held = Money(state.advance, state.currency)
            raise RefundUncovered(event.id, event.amount, held, event.value_date)
        self.state = replace(state, advance=state.advance - event.amount.minor)
        return refund_entry(self.loan_id, event.value_date, event.amount)

    def _write_off(self, event: Event) -> JournalEntry:
        state, day = self.state, event.value_date
        cur = state.currency
        owed = {sub: Money(m, cur) for sub, m in receivables(state, day).items() if m}
        if not owed:
            raise Conflict("nothing is outstanding to write off")
        # The allowance held when the write-off was recorded (none on older events); the
        # advance pays what it can first (write-offs recorded before that left it held).
        allowance = Money(int(event.details.get("allowance", 0)), cur)
        advance = Money(state.advance, cur) if event.details.get("nets_advance") else None
        if advance is not None and advance.minor >= sum(m.minor for m in owed.values()):
            raise Conflict(f"the advance {advance} covers what is outstanding: post a payoff")
        netted = 0 if advance is not None else state.advance
        self.state = replace(state, status=LoanStatus.WRITTEN_OFF, advance=netted)
        return write_off_entry(self.loan_id, day, owed, allowance, advance=advance)


def project(
    loan_id: int,
    terms: LoanTerms,
    pack_code: str,
    events: Sequence[Event],
    through: date,
    *,
    servicing: ServicingTerms | None = None,
) -> Projection:
    """Replay the loan through ``through`` with ``events`` (only the kinds in
    :data:`REPLAYED_KINDS`; reversed events must be left out by the caller) under the
    contract's ``servicing`` terms (waterfall, monthly fees)."""
    replay = _Replay(loan_id, terms, pack_code, servicing=servicing)
    floor = replay.state.accrued_through or terms.start  # a migrated loan's cut-over
    for event in sorted(events, key=lambda e: (e.value_date, e.seq, e.id)):
        if event.value_date < floor:
            message = f"value date {event.value_date} is before the loan's servicing {floor}"
            zh = f"起息日 {event.value_date} 早于该贷款在本系统开始服务的日期 {floor}"
            raise InvalidInput(message, field="value_date", message_zh=zh)
        replay.apply(event)
    replay.accrue_to(through)
    return replay.projection()


def project_from(
    loan_id: int,
    terms: LoanTerms,
    pack_code: str,
    state: LoanState,
    events: Sequence[Event],
    *,
    through: date,
    servicing: ServicingTerms | None = None,
) -> Projection:
    """Resume the replay from ``state`` (the stored servicing state of an active loan
    whose booked ``terms`` still hold, i.e. no partial prepayment so far) with the
    ``events`` not yet applied to it, through ``through``.

    The events must come after everything ``state`` holds: value dates on or after its
    accrued-through date (each ordered after the events already applied that day). The
    projection then holds only the facts from the day after ``state.accrued_through`` and
    the new events' facts; every one equals the full replay's (:func:`project`).
    """
    floor = state.accrued_through or terms.start
    replay = _Replay(loan_id, terms, pack_code, state, servicing)
    for event in sorted(events, key=lambda e: (e.value_date, e.seq, e.id)):
        if event.value_date < floor:
            raise ValueError(f"event {event.id} is before the resumed state ({floor})")
        replay.apply(event)
    replay.accrue_to(through)
    return replay.projection()
