"""The read side of a loan: its summary, the full view (balances per sub-ledger,
servicing terms, next due, days past due, schedule with statuses) and its transactions."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from autolend.domain.ledger import JournalEntry, Side, SubLedger
from autolend.domain.money import Money, currency
from autolend.domain.regulation import pack_for
from autolend.domain.servicing import InstallmentState, InstallmentStatus
from autolend.services.contract_late_fees import (
    LATE_FEE_FACT,
    ChargedLateFee,
    charged_late_fees,
    late_fees_from,
)
from autolend.services.loan_books import serviced_through
from autolend.services.loan_ports import (
    InstallmentRow,
    LedgerRepository,
    LoanEventRow,
    LoanRecord,
    StoredEntry,
)
from autolend.services.ports import UnitOfWork
from autolend.services.terms_codec import load_servicing, load_terms

_SUBS = ("principal", "interest", "penalty", "fees", "suspense", "subsidy")
_OVERDUE, _FEE_UNPAID = InstallmentStatus.OVERDUE, InstallmentStatus.FEE_UNPAID
WRITTEN_OFF = "written_off"
"""The status of an installment a written-off loan left unpaid (the view's own: the
schedule no longer collects it)."""
CANCELLED = "cancelled"
"""The status of every installment of a cancelled loan (withdrawn before it was paid
out): it never lent anything, so none is owed (each row's outstanding is 0.00)."""
_WRITE_OFF_PARTS = ("principal", "interest", "penalty", "fees")


def money_text(minor: int, code: str) -> str:
    """``minor`` units of currency ``code`` as a decimal string ("1234.56")."""
    return Money(minor, currency(code)).to_api()


def loan_summary(loan: LoanRecord) -> dict[str, Any]:
    return {
        "id": loan.id,
        "status": loan.status,
        "currency": loan.currency,
        "product_code": loan.product_code,
        "customer_id": loan.customer_id,
        "dealer_id": loan.dealer_id,
        "principal": money_text(loan.principal_minor, loan.currency),
        "approved": money_text(loan.approved_minor, loan.currency),
        "disbursed": money_text(loan.disbursed_minor, loan.currency),
        "start_date": loan.start_date.isoformat(),
        "accrued_through": loan.accrued_through.isoformat() if loan.accrued_through else None,
        "closed_on": loan.closed_on.isoformat() if loan.closed_on else None,
    }


def loan_view(
    loan: LoanRecord, balances: dict[str, int], rows: list[InstallmentRow]
) -> dict[str, Any]:
    """The full loan: balances normal-signed per sub-ledger, schedule with statuses."""
    as_of = serviced_through(loan)
    states, start = [], loan.start_date
    for r in rows:
        states.append(
            InstallmentState(
                r.n,
                start,
                r.due_date,
                r.principal_due,
                r.interest_due,
                r.fee_due,
                r.principal_paid,
                r.interest_paid,
                r.fee_paid,
            )
        )
        start = r.due_date
    # Past due: principal or interest unpaid after the due date (what days past due count
    # from); a row owing only a fee after it is payable but not past due ("fee_unpaid").
    statuses = [s.status(as_of) for s in states]
    # A written-off loan owes nothing on its schedule: what was left was written off, so
    # nothing is overdue or payable on it (its days past due stay as they were); nor does
    # a cancelled one, which never lent anything.
    live = loan.status not in ("written_off", CANCELLED)
    overdue = [s for s, k in zip(states, statuses, strict=True) if k is _OVERDUE and live]
    fees_only = [s for s, k in zip(states, statuses, strict=True) if k is _FEE_UNPAID and live]
    # Only an active loan has a next installment: a written-off one is collected, not
    # scheduled (its days past due stay as they were when it was written off).
    upcoming = next((s for s in states if s.due_date >= as_of and not s.is_paid), None)
    upcoming = upcoming if loan.status == "active" else None
    cur = loan.currency
    view = loan_summary(loan)
    view["balances"] = {
        sub: money_text(
            balances.get(sub, 0) * (1 if SubLedger(sub).normal_side.value == "debit" else -1), cur
        )
        for sub in _SUBS
    }
    # Paid by the borrower to the dealer at disbursement; None when none was recorded.
    down = loan.down_payment_minor
    view["down_payment"] = money_text(down, cur) if down is not None else None
    servicing = load_servicing(loan.terms_json)
    car = servicing.collateral
    view["collateral"] = None if car is None else {
        "price": money_text(car.price_minor, cur), "vehicle_type": car.vehicle_type,
    }  # fmt: skip
    # The contract rate, and under an interest subsidy the rate the borrower pays.
    terms, _pack = load_terms(loan.terms_json)
    view["annual_rate"] = str(terms.annual_rate)
    view["customer_rate"] = str(terms.subsidy.customer_rate) if terms.subsidy else None
    view["waterfall"] = servicing.waterfall
    view["monthly_fees"] = {kind: money_text(minor, cur) for kind, minor in servicing.monthly_fees}
    uplift = servicing.penalty_uplift
    if uplift is None:  # booked before contracts carried it: the pack's default applies
        uplift = pack_for(_pack).penalty_uplift(terms.start).default
    view["penalty_uplift"] = str(uplift)
    late = servicing.late_fee
    view["late_fee"] = None if late is None else {
        "amount": money_text(late.amount, cur), "after_days": late.after_days,
    }  # fmt: skip
    view["as_of"] = as_of.isoformat()
    oldest = next((s for s, k in zip(states, statuses, strict=True) if k is _OVERDUE), None)
    view["days_past_due"] = (as_of - oldest.due_date).days if oldest else 0
    # What is late now (principal, interest and fees of the installments past due; the
    # penalty is its own balance): e.g. three installments of 1,871.54 -> 5,614.62.
    view["overdue"] = {
        "installments": len(overdue),
        "amount": money_text(sum(s.total_outstanding for s in overdue), cur),
    }
    # Fees still owed on installments whose principal and interest are paid (a late fee
    # of 50.00, say): payable, but the loan is not past due for them.
    view["fees_unpaid"] = {
        "installments": len(fees_only),
        "amount": money_text(sum(s.total_outstanding for s in fees_only), cur),
    }
    # The advance (suspense, credit-normal) pays the next installment on its due date, so
    # the borrower has that much less to pay: 5,669.29 due with 306.59 held -> 5,362.70.
    advance = max(-balances.get("suspense", 0), 0)
    view["next_due"] = (
        None
        if upcoming is None
        else {
            "n": upcoming.n,
            "due_date": upcoming.due_date.isoformat(),
            "amount": money_text(upcoming.total_outstanding, cur),
            "to_pay": money_text(max(upcoming.total_outstanding - advance, 0), cur),
        }
    )
    # Penalty (and compound) interest paid is owed by the loan, not by an installment:
    # no installment's "paid" holds it, so the schedule says it apart.
    view["penalty_paid"] = money_text(penalty_paid(loan), cur)
    view["schedule"] = schedule_lines(loan, states, statuses)
    return view


def schedule_lines(
    loan: LoanRecord, states: Sequence[InstallmentState], statuses: Sequence[InstallmentStatus]
) -> list[dict[str, Any]]:
    """The schedule as the view lists it: each installment with what was paid and is
    outstanding, and its status. On a written-off loan an unpaid one is "written_off"; on
    a cancelled loan every one is "cancelled", outstanding 0.00 (e.g. installment 1 of
    4,070.75: paid 0.00, outstanding 0.00, status "cancelled")."""
    cur, cancelled = loan.currency, loan.status == CANCELLED
    return [
        {
            "n": s.n,
            "due_date": s.due_date.isoformat(),
            "principal": money_text(s.principal_due, cur),
            "interest": money_text(s.interest_due, cur),
            "fee": money_text(s.fee_due, cur),
            "paid": money_text(s.total_paid, cur),
            "outstanding": money_text(0 if cancelled else s.total_outstanding, cur),
            "status": CANCELLED if cancelled else _line_status(loan, s, status),
        }
        for s, status in zip(states, statuses, strict=True)
    ]


def _line_status(loan: LoanRecord, state: InstallmentState, status: InstallmentStatus) -> str:
    """An installment's own status; one a written-off loan left unpaid is "written_off"."""
    return WRITTEN_OFF if loan.status == WRITTEN_OFF and not state.is_paid else status.value


def penalty_paid(loan: LoanRecord) -> int:
    """The penalty and compound interest paid on the loan so far (minor units), as its
    servicing state holds it: 0 before it was serviced. E.g. 9.93 penalty and 0.12
    compound paid -> 1005."""
    snapshot = json.loads(loan.state_json) if loan.state_json else {}
    return int(snapshot.get("penalty_paid", 0)) + int(snapshot.get("compound_paid", 0))


def catch_up(view: Mapping[str, Any]) -> dict[str, Any] | None:
    """What brings an active loan with installments past due up to date (None on any
    other loan): the overdue installments (``overdue``), the fees left on installments
    otherwise paid (``fees_unpaid``: the waterfall takes them before overdue principal)
    and the penalty balance, which the waterfall takes first; ``penalty`` and ``fees``
    are None when nothing of them is owed. E.g. 7,465.79 over 3 installments and 171.40
    of penalty -> ``{"installments": 3, "amount": "7637.19", "penalty": "171.40",
    "fees": None}``."""
    overdue, code = view["overdue"], view["currency"]
    if view["status"] != "active" or not overdue["installments"]:
        return None
    penalty = Money.parse(view["balances"]["penalty"], code).minor
    fees = Money.parse(view["fees_unpaid"]["amount"], code).minor
    total = Money.parse(overdue["amount"], code).minor + penalty + fees
    return {"installments": overdue["installments"], "amount": money_text(total, code),
            "penalty": money_text(penalty, code) if penalty > 0 else None,
            "fees": money_text(fees, code) if fees > 0 else None}  # fmt: skip


def prepaid_principal(transactions: Sequence[Mapping[str, Any]], code: str) -> str:
    """The principal partial prepayments paid outside the installments (those posted, not
    reversed): a re-amortised schedule spreads only what is left, so its principal and
    this make the loan's. E.g. 10,000.00 prepaid on a 90,000.00 loan -> "10000.00"."""
    rows = [t for t in transactions if t["kind"] == "prepayment" and t["status"] == "posted"]
    minor = sum(
        Money.parse((t.get("allocation") or {}).get("principal") or t["amount"], code).minor
        for t in rows
    )
    return money_text(minor, code)


def waiver_facts(
    ledger: LedgerRepository, loan_id: int, events: Sequence[LoanEventRow]
) -> Mapping[str, StoredEntry]:
    """The entries now stating the loan's fee waivers and its write-off (facts
    ``ev:<id>``), read from the first such event's value date on; nothing to read
    without one."""
    days = [e.value_date for e in events if e.kind in ("fee_waiver", "write_off")]
    return ledger.effective_facts(loan_id, min(days)) if days else {}


def loan_transactions(uow: UnitOfWork, loan: LoanRecord) -> list[dict[str, Any]]:
    """The loan's transactions list (:func:`transaction_rows`), read in ``uow``."""
    events = uow.loans.events(loan.id)
    rule = load_servicing(loan.terms_json).late_fee
    rows = uow.loans.installments(loan.id) if rule is not None else []
    since = late_fees_from(rule, rows)
    # Only the late fees' facts: a loan's daily accruals are thousands of entries.
    late = {} if since is None else uow.ledger.effective_facts(loan.id, since, LATE_FEE_FACT)
    charged = charged_late_fees(late, rule, rows, loan.currency)
    return transaction_rows(events, waiver_facts(uow.ledger, loan.id, events), charged)


def written_off_parts(entry: JournalEntry, code: str) -> dict[str, str]:
    """What a write-off's entry took off the loan: each receivable it credits
    (principal, interest, penalty, fees) and their total ``amount``; ``advance``, the
    borrower's money held in the advance that paid part of it (Dr suspense), and
    ``loss``, the rest (charged to the allowance and impairment). 23,210.40 principal,
    800.53 interest, 99.29 penalty and 100.00 fees, no advance: amount and loss
    24,210.22."""
    credited, advance = _written_off_minor(entry, code)
    total = sum(credited.values())
    parts = {name: money_text(minor, code) for name, minor in credited.items()}
    return {"amount": money_text(total, code), **parts, "advance": money_text(advance, code),
            "loss": money_text(total - advance, code)}  # fmt: skip


def written_off_loss(entry: JournalEntry, code: str) -> int:
    """The ``loss`` of :func:`written_off_parts` in minor units."""
    credited, advance = _written_off_minor(entry, code)
    return sum(credited.values()) - advance


def _written_off_minor(entry: JournalEntry, code: str) -> tuple[dict[str, int], int]:
    credited = dict.fromkeys(_WRITE_OFF_PARTS, 0)
    advance = 0
    for posting in entry.postings:
        sub = posting.account.sub
        if sub is None or posting.amount.currency.code != code:
            continue
        if posting.side is Side.CREDIT and sub.value in credited:
            credited[sub.value] += posting.amount.minor
        elif posting.side is Side.DEBIT and sub is SubLedger.SUSPENSE:
            advance += posting.amount.minor
    return credited, advance


def _written_off(event: LoanEventRow, stated: Mapping[str, StoredEntry]) -> dict[str, str] | None:
    entry = stated.get(f"ev:{event.id}")
    if event.kind != "write_off" or event.status != "posted" or entry is None:
        return None
    return written_off_parts(entry.entry, event.currency)


def _fee_kind(event: LoanEventRow) -> str | None:
    if event.kind != "fee" or not event.details_json:
        return None
    kind = json.loads(event.details_json).get("fee")
    return kind if isinstance(kind, str) else None


def _installment_of(event: LoanEventRow) -> int | None:
    if event.kind not in ("fee", "fee_waiver") or not event.details_json:
        return None
    n = json.loads(event.details_json).get("n")
    return n if isinstance(n, int) else None


def _contract_row(fee: ChargedLateFee) -> dict[str, Any]:
    return {
        "id": None, "kind": "fee", "amount": money_text(fee.amount, fee.currency),
        "requested": None, "currency": fee.currency, "value_date": fee.value_date.isoformat(),
        "channel": None, "reference": None, "status": "posted", "entry_id": fee.entry_id,
        "reversal_entry_id": None, "allocation": None, "written_off": None,
        "fee_kind": "late_fee", "source": "contract", "n": fee.n,
    }  # fmt: skip


def transaction_rows(
    events: Sequence[LoanEventRow],
    stated: Mapping[str, StoredEntry],
    late_fees: Sequence[ChargedLateFee] = (),
) -> list[dict[str, Any]]:
    """The loan's money events as its transactions list shows them (API and page), and
    the late fees its contract charged by itself, in value-date order.

    ``source`` says where a row comes from: "event", a money event posted for the loan
    (a repayment, a fee, a waiver ...), with its ``id``; "contract", a late fee the
    contract charged by itself (``late_fees``, :func:`.contract_late_fees.charged_late_fees`):
    ``id`` None (no event stands behind it; nothing to reverse), ``kind`` "fee",
    ``fee_kind`` "late_fee", ``status`` "posted", ``entry_id`` the ledger entry stating it,
    its ``value_date`` the day it was charged. Such a row comes before the events of its
    day (the replay charges a day's late fee before it applies that day's events); one
    the ledger no longer states (a backdated repayment paid the installment in time) is
    not listed. E.g. 50.00 on installment 1 (due 2026-02-05, unpaid) -> {"id": None,
    "kind": "fee", "amount": "50.00", "value_date": "2026-02-20", "fee_kind": "late_fee",
    "source": "contract", "n": 1, ...}.

    ``n`` is the installment a fee was charged on or a waiver waived (None where not
    known) and None on every other row.

    A posted fee waiver's ``amount`` is what the ledger waived: the entry now stating its
    fact ``ev:<id>`` (``stated``, :func:`waiver_facts`), 0.00 when none does; its
    ``requested`` is the amount approved. The replay waives at most the fee still unpaid
    on the waiver's day, so a backdated repayment can leave less: 30.00 waived in full,
    then 130.00 paid on the due date (120.00 interest, 10.00 of the fee) -> amount
    "20.00", requested "30.00". ``requested`` is ``None`` on every other row.

    A write-off moves no cash (its ``amount`` stays 0.00): its ``written_off`` says what
    its entry wrote off (:func:`written_off_parts`); ``None`` on every other row.

    A fee's ``fee_kind`` says which fee it is, as it was charged ("prepayment", the fee a
    prepayment or payoff charged; "late_fee", "gps" ...); ``None`` on every other row
    and on a fee recorded without one.
    """
    rows = []
    for e in events:
        amount, requested = e.amount_minor, None
        if e.kind == "fee_waiver" and e.status == "posted":
            entry = stated.get(f"ev:{e.id}")
            requested = money_text(e.amount_minor, e.currency)
            amount = 0 if entry is None else entry.entry.totals()[e.currency][0]
        rows.append({
            "id": e.id, "kind": e.kind, "amount": money_text(amount, e.currency),
            "requested": requested, "currency": e.currency,
            "value_date": e.value_date.isoformat(), "channel": e.channel,
            "reference": e.reference, "status": e.status, "entry_id": e.entry_id,
            "reversal_entry_id": e.reversal_entry_id,
            "allocation": json.loads(e.allocation_json) if e.allocation_json else None,
            "written_off": _written_off(e, stated), "fee_kind": _fee_kind(e),
            "source": "event", "n": _installment_of(e),
        })  # fmt: skip
    rows += [_contract_row(fee) for fee in late_fees]
    # Stable: the events keep their order; a contract's fee goes first on its day.
    return sorted(rows, key=lambda row: (row["value_date"], row["source"] == "event"))
