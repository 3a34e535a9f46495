"""What the loan pages show, built from the loan services' views: list rows with the
customer's (masked) name, the outstanding total and days past due; ledger lines; the
schedule chart option and totals; the day a partial prepayment can take."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from autolend.domain.access import Actor
from autolend.domain.errors import DomainError, InvalidInput, PermissionDenied
from autolend.domain.penalty import charges_penalty_interest
from autolend.domain.regulation import pack_for
from autolend.domain.regulation.packs import pack_code_for_currency
from autolend.services.registry import Services
from autolend.web.charts import money_axis_name
from autolend.web.paging import PAGE_SIZE, Pager, offset_of
from autolend.web.problem_text import problem_of

OWED = ("principal", "interest", "penalty", "fees")
PAID_COLOUR = "#16a34a"
OPEN_COLOUR = "#93c5fd"
OVERDUE_COLOUR = "#dc2626"
WRITTEN_OFF_COLOUR = "#9ca3af"
_BAR_COLOURS = {"overdue": OVERDUE_COLOUR, "written_off": WRITTEN_OFF_COLOUR}


@dataclass(frozen=True)
class LoanRow:
    loan: dict[str, Any]
    customer: str | None
    outstanding: str
    days_past_due: int
    next_due: dict[str, Any] | None


@dataclass(frozen=True)
class LedgerLine:
    entry_id: int
    kind: str
    value_date: str
    account: str  # the GL code, "1110"
    account_name: str  # its stable name, "interest_receivable" (the page translates it)
    sub_ledger: str | None
    debit: str | None
    credit: str | None
    currency: str
    first: bool


def outstanding(view: dict[str, Any]) -> str:
    """Principal, interest, penalty and fees still owed (before the advance)."""
    total = sum((Decimal(view["balances"][name]) for name in OWED), Decimal(0))
    return f"{total:.2f}"


def dpd_level(days: int, status: str = "active") -> str:
    """The badge colour of a days-past-due figure; ``none`` for a loan not in repayment
    and not late (paid off, closed, cancelled, not yet paid out): it is not "current",
    it owes nothing on a schedule. A written-off loan keeps the days it was late."""
    if days <= 0:
        return "ok" if status == "active" else "none"
    if days <= 30:
        return "warn"
    return "bad"


class CustomerNames:
    """The customer's name as the actor may see it (masked by the service), memoised."""

    def __init__(self, services: Services, actor: Actor) -> None:
        self._services = services
        self._actor = actor
        self._names: dict[int, str | None] = {}

    def __call__(self, customer_id: int | None) -> str | None:
        if customer_id is None:
            return None
        if customer_id not in self._names:
            try:
                name: str | None = self._services.customers.get(self._actor, customer_id).name
            except DomainError:
                name = None
            self._names[customer_id] = name
        return self._names[customer_id]


def loan_rows(
    services: Services, actor: Actor, status: str | None, page: int = 1, *, overdue: bool = False
) -> tuple[list[LoanRow], Pager]:
    """Page ``page`` of the loans the actor may reach (``PAGE_SIZE`` a page), by number;
    ``overdue``: only those with an installment past due."""
    names = CustomerNames(services, actor)
    offset = offset_of(page, PAGE_SIZE)
    found = services.loans.list_loans(
        actor, status=status or None, limit=PAGE_SIZE, offset=offset, overdue=overdue
    )
    rows = []
    for summary in found["items"]:
        view = services.loans.get(actor, summary["id"])
        rows.append(
            LoanRow(
                loan=view,
                customer=names(view["customer_id"]),
                outstanding=outstanding(view),
                days_past_due=view["days_past_due"],
                next_due=view["next_due"],
            )
        )
    params = {"status": status or "", "overdue": "1" if overdue else ""}
    pager = Pager(page, PAGE_SIZE, len(rows), found["total"], "/loans", params)
    return rows, pager


def charges_no_penalty(view: dict[str, Any]) -> bool:
    """Whether the loan's "penalty" sub-ledger holds plain interest on overdue principal
    at the contract rate (US: uplift 0, overdue interest bears nothing), so people read
    "overdue interest" there, not "penalty interest"."""
    pack = pack_for(pack_code_for_currency(view["currency"]) or "CN")
    return not charges_penalty_interest(pack, Decimal(view["penalty_uplift"]))


def ledger_lines(entries: list[dict[str, Any]]) -> list[LedgerLine]:
    """One line per posting, the entry's id and date on its first line."""
    lines = []
    for entry in entries:
        for index, posting in enumerate(entry["postings"]):
            debit = posting["side"] == "debit"
            lines.append(
                LedgerLine(
                    entry_id=entry["id"],
                    kind=entry["kind"],
                    value_date=entry["value_date"],
                    account=posting["account"],
                    account_name=posting["name"],
                    sub_ledger=posting["sub_ledger"],
                    debit=posting["amount"] if debit else None,
                    credit=None if debit else posting["amount"],
                    currency=posting["currency"],
                    first=index == 0,
                )
            )
    return lines


def schedule_chart(
    schedule: list[dict[str, Any]], gettext: Callable[[str], str], sign: str
) -> dict[str, Any]:
    """Stacked bars per installment: paid, and still open (red when overdue); on a
    written-off loan what was left unpaid is grey, "Unpaid (written off)". The money axis
    is named with the loan's currency ``sign``: "Installment ($)", 月供（¥）."""
    opened = [
        {
            "value": float(row["outstanding"]),
            "itemStyle": {"color": _BAR_COLOURS.get(row["status"], OPEN_COLOUR)},
        }
        for row in schedule
    ]
    written_off = any(row["status"] == "written_off" for row in schedule)
    unpaid = gettext("Unpaid (written off)") if written_off else gettext("Outstanding")
    return {
        "animation": False,
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [gettext("Paid"), unpaid], "top": 0},
        "grid": {"left": 60, "right": 16, "top": 36, "bottom": 30},
        "xAxis": {"type": "category", "data": [str(row["n"]) for row in schedule]},
        "yAxis": {"type": "value", "name": money_axis_name(gettext("Installment"), sign, gettext)},
        "series": [
            {
                "name": gettext("Paid"),
                "type": "bar",
                "stack": "total",
                "itemStyle": {"color": PAID_COLOUR},
                "data": [float(row["paid"]) for row in schedule],
            },
            {
                "name": unpaid,
                "type": "bar",
                "stack": "total",
                "itemStyle": {"color": WRITTEN_OFF_COLOUR if written_off else OPEN_COLOUR},
                "data": opened,
            },
        ],
    }


def product_names(services: Services, actor: Actor, locale: str) -> dict[str, str]:
    """The name of each product in force by code, in ``locale`` (a borrower reads
    "标准新车贷", not ``STD_NEW``); empty for a role that may not read products."""
    try:
        products = services.products.active(actor)
    except PermissionDenied:
        return {}
    zh = locale.startswith("zh")
    return {p.code: p.name_zh if zh else p.name_en for p in products}


SCHEDULE_SUMS = ("principal", "interest", "fee", "paid", "outstanding")


def schedule_totals(schedule: list[dict[str, Any]]) -> dict[str, str]:
    """The schedule's column sums, exact: its principal is the loan's principal.

    >>> schedule_totals([{"principal": "10.50", "interest": "1.25", "fee": "0.00",
    ...                   "paid": "11.75", "outstanding": "0.00"},
    ...                  {"principal": "9.50", "interest": "0.75", "fee": "5.00",
    ...                   "paid": "0.00", "outstanding": "15.25"}])["principal"]
    '20.00'
    """
    return {
        name: str(sum((Decimal(row[name]) for row in schedule), Decimal("0.00")))
        for name in SCHEDULE_SUMS
    }


def prepayment_day(view: Mapping[str, Any], today: date) -> str | None:
    """The value date a partial prepayment can take today, or None when none can.

    A partial prepayment takes effect on a due date once that installment and every one
    before it are paid, on time or late, and no penalty interest is owed (the servicing
    rule, :mod:`autolend.domain.servicing.prepayment_rule`); a value date is never later
    than today. So: on an active loan, the latest due date up to today whose installment
    and every one before it are paid. None while the loan is in arrears (penalty owed,
    an installment due before today unpaid: they are paid first) or none is due yet.
    Due on the 5th, installments 1-2 paid (2 after its due date), 3 due today and still
    unpaid: the 2nd due date.

    >>> rows = [{"due_date": f"2026-0{m}-05", "status": s}
    ...         for m, s in ((2, "paid"), (3, "paid"), (4, "due"), (5, "future"))]
    >>> view = {"status": "active", "balances": {"penalty": "0.00"}, "schedule": rows}
    >>> prepayment_day(view, date(2026, 4, 5)), prepayment_day(view, date(2026, 2, 4))
    ('2026-03-05', None)
    """
    if view["status"] != "active" or Decimal(view["balances"]["penalty"]) > 0:
        return None
    latest = None
    for row in view["schedule"]:
        due, paid = date.fromisoformat(row["due_date"]), row["status"] == "paid"
        if due > today or (due == today and not paid):
            break
        if not paid:
            return None
        latest = row["due_date"]
    return latest


def write_off_totals(transactions: list[dict[str, Any]]) -> dict[str, str] | None:
    """On a written-off loan: what its write-off wrote off (``amount``, and the parts
    :func:`autolend.services.loan_views.written_off_parts` states) and what recoveries
    have brought in since (``recovered``, those not reversed); None on any other loan.

    >>> rows = [{"kind": "write_off", "status": "posted", "amount": "0.00",
    ...          "written_off": {"amount": "24310.22"}},
    ...         {"kind": "recovery", "status": "posted", "amount": "500.00"},
    ...         {"kind": "recovery", "status": "posted", "amount": "250.50"}]
    >>> write_off_totals(rows)
    {'amount': '24310.22', 'recovered': '750.50'}
    """
    done = next((t for t in transactions if t["kind"] == "write_off" and t.get("written_off")),
                None)  # fmt: skip
    if done is None:
        return None
    recovered = sum(
        (Decimal(t["amount"]) for t in transactions
         if t["kind"] == "recovery" and t["status"] == "posted"),
        Decimal("0.00"),
    )  # fmt: skip
    return {**done["written_off"], "recovered": f"{recovered:.2f}"}


def refusal(error: DomainError, **extra: Any) -> dict[str, Any]:
    """A refused loan form as its page shows it (``extra``: the form's ``action`` and
    name): the first wrong field, which the banner names; where the service named several
    at once, also ``fields``, each input's own problem by its field (the first said of it).

    >>> two = InvalidInput("amount must be positive", field="amount",
    ...                    others=[InvalidInput("value date is in the future", field="value_date")])
    >>> shown = refusal(two, form="repayment")
    >>> shown["field"], sorted(shown["fields"]), shown["fields"]["value_date"]["form"]
    ('amount', ['amount', 'value_date'], 'repayment')
    >>> "fields" in refusal(InvalidInput("amount must be positive", field="amount"))
    False
    """
    every = error.every() if isinstance(error, InvalidInput) else (error,)
    if len(every) == 1:
        return problem_of(error, **extra)
    by_field: dict[str | None, dict[str, Any]] = {}
    for found in every:
        by_field.setdefault(found.field, problem_of(found, **extra))
    return problem_of(error, **extra) | {"fields": by_field}
