"""The loan page's money forms as the routes of :mod:`autolend.web.routes_loans` post
them (a repayment, a prepayment or payoff, a recovery, a reversal, a refund of the
advance), and the fees its waiver form offers.

Each form carries a server-made idempotency key; every wrong field of one is refused at
once, in the form's order (its key, then amount, value date, channel, mode, reference).
Where one field does not parse, the page checks the value date as the service would (from
the loan's start to today; a recovery's on or after the write-off), so ``abc`` dated
tomorrow is refused on both: the service, which checks the rest, is not asked.
A reference is at most :data:`REFERENCE_MAX` characters, as the API takes it: a longer
one is refused on ``reference`` ("reference is at most 128 characters").
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from autolend.domain.access import Actor, Permission
from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money, parse_money
from autolend.domain.regulation.packs import pack_code_for_currency
from autolend.domain.repayment_channels import offered_channels
from autolend.domain.schedule_input import parse_date
from autolend.services.idempotency import IdempotencyRequest, MoneyResult, request_hash
from autolend.services.loan_views import catch_up, money_text
from autolend.services.servicing_input import (
    Field,
    MoneyText,
    after_write_off,
    money_fields,
    money_of,
    parse_fields,
    positive,
    reason_field,
    value_day,
)
from autolend.web.deps import SignedIn, WebState

__all__ = [
    "MAX_ID",
    "MODES",
    "REFERENCE_MAX",
    "checked_reference",
    "forms_context",
    "run_form",
    "waivable_fees",
]

MAX_ID = 2**63 - 1
MODES = ("lower_installment", "shorten_term", "payoff")
REFERENCE_MAX = 128  # the API's bound on a money event's reference
FORM_KEYS = ("repay", "prepay", "reverse", "payoff", "recover", "refund")
_REVERSIBLE = {
    # and a refund of the advance (a repayment it paid back is reversed after it)
    "active": ("repayment", "prepayment", "payoff", "refund"),
    # a payoff (and what came before it: the service asks for the payoff first), and
    # money received after it, and its refund
    "paid_off": ("repayment", "prepayment", "payoff", "refund"),
    "written_off": ("recovery",),  # its repayments stay: they were written off with it
}
_REFUNDABLE = ("active", "paid_off")  # a write-off takes the advance off first


def forms_context(
    actor: Actor,
    view: Mapping[str, Any],
    transactions: Sequence[Mapping[str, Any]],
    today: date,
) -> dict[str, Any]:
    """What the loan page's servicing forms need: who may post what, each form's key,
    the amount that brings the loan up to date, the events a reversal can take, the
    fees a waiver can take, the advance a refund can take (none: no refund form)."""
    status, advance = view["status"], view["balances"]["suspense"]
    kinds = _REVERSIBLE.get(status, ())
    may_post = actor.can(Permission.REPAYMENT_POST)
    refundable = may_post and status in _REFUNDABLE and Decimal(advance) > 0
    return {
        "may_repay": may_post,
        "may_prepay": actor.can(Permission.PREPAYMENT_POST),
        "may_reverse": actor.can(Permission.REPAYMENT_REVERSE),
        "may_ask_write_off": actor.can(Permission.LOAN_WRITE_OFF),
        "may_ask_waiver": actor.can(Permission.FEE_WAIVE_REQUEST),
        "may_recover": status == "written_off" and may_post,
        "channels": offered_channels(pack_code_for_currency(view["currency"])),
        "modes": MODES,
        "form_keys": {name: str(uuid.uuid4()) for name in FORM_KEYS},
        "catch_up": catch_up(view),
        # newest first: a reversal is most often of the latest money in
        "reversible": [
            t for t in reversed(transactions) if t["status"] == "posted" and t["kind"] in kinds
        ],
        "waivable": waivable_fees(view, transactions, today) if status == "active" else [],
        "refundable": advance if refundable else None,
    }


def checked_reference(text: str | None) -> str | None:
    """The reference typed (None for none), if at most :data:`REFERENCE_MAX` characters.

    >>> checked_reference("BANK-1"), checked_reference("")
    ('BANK-1', None)
    >>> checked_reference("x" * 129)
    Traceback (most recent call last):
    ...
    autolend.domain.errors.InvalidInput: reference is at most 128 characters
    """
    if text and len(text) > REFERENCE_MAX:
        raise InvalidInput(f"reference is at most {REFERENCE_MAX} characters", field="reference")
    return text or None


def _idem(signed: SignedIn, fields: dict[str, str], route: str, body: dict[str, Any]) -> Any:
    key = fields.get("idempotency_key", "")
    if not key or len(key) > 128:
        raise InvalidInput("the form has no idempotency key; reload the page", field="form")
    return IdempotencyRequest(key, signed.actor.user_id, route, request_hash(body))


def _money_text(fields: dict[str, str], currency: str) -> MoneyText:
    """The form's money, as typed, in the loan's currency."""
    channel, reference = fields.get("channel") or "bank_transfer", fields.get("reference")
    return MoneyText(fields.get("amount", ""), currency, fields.get("value_date", ""),
                     channel, reference or None)  # fmt: skip


def _mode(mode: str | None) -> str | None:
    if mode is not None and mode not in MODES:
        raise InvalidInput("choose how to re-amortise", field="mode")
    return mode


def _money_body(fields: dict[str, str], currency: str) -> dict[str, Any]:
    return {
        "amount": fields.get("amount", ""),
        "currency": currency,
        "value_date": fields.get("value_date", ""),
        "channel": fields.get("channel") or "bank_transfer",
        "reference": fields.get("reference") or None,
    }


def _day_check(view: Mapping[str, Any], today: date, action: str) -> Callable[[date], object]:
    """The service's check of a value date on the loan ``view``: from its start to today,
    and a recovery's on or after the write-off."""
    start = date.fromisoformat(view["start_date"])
    if action != "recovery":
        return lambda day: value_day(day, start, today)
    written_off_on = date.fromisoformat(view["closed_on"]) if view["closed_on"] else start
    return lambda day: value_day(after_write_off(day, written_off_on), start, today)


def run_form(
    state: WebState,
    signed: SignedIn,
    view: Mapping[str, Any],
    action: str,
    *,
    fields: dict[str, str],
) -> MoneyResult:
    """Post one money form (``action``: repayment, prepayment, recovery, reversal or
    refund) on the loan ``view``; every wrong field of it is refused at once, in the
    form's order. A reversal on a written-off loan is of a recovery, and says so."""
    servicing, actor = state.services.servicing, signed.actor
    loan_id, currency = view["id"], view["currency"]
    on_day = _day_check(view, state.services.clock.today(), action)
    if action == "reversal":
        recovery = view["status"] == "written_off"
        return _reverse(state, signed, loan_id, fields, recovery=recovery)
    if action == "refund":
        return _refund(state, signed, view, fields, on_day)
    body = _money_body(fields, currency)
    mode = fields.get("mode", "") if action == "prepayment" else None
    if mode is not None:
        body["mode"] = mode
    path = {"recovery": "recoveries", "prepayment": "prepayments"}.get(action, "repayments")
    text = _money_text(fields, currency)
    money = money_fields(text)
    money["value_date"] = dataclasses.replace(money["value_date"], check=on_day)
    parsed = parse_fields({
        "form": Field(lambda: _idem(signed, fields, f"POST /loans/{loan_id}/{path}", body)),
        **money,
        "mode": Field(lambda: _mode(mode)),
        "reference": Field(lambda: checked_reference(text.reference)),
    })  # fmt: skip
    post = {"recovery": servicing.recover, "prepayment": servicing.prepay}.get(
        action, servicing.post_repayment
    )
    result: MoneyResult = post(actor, loan_id, money_of(parsed, text, mode=mode), parsed["form"])
    return result


def _reverse(
    state: WebState, signed: SignedIn, loan_id: int, fields: dict[str, str], *, recovery: bool
) -> MoneyResult:
    """Reverse the chosen repayment or refund (a ``recovery`` on a written-off loan), for
    the reason typed (both refused at once)."""
    event_text, reason = fields.get("event_id", ""), fields.get("reason", "")[:200]
    route = f"POST /loans/{loan_id}/repayments/{event_text}/reversal"
    parsed = parse_fields({
        "form": Field(lambda: _idem(signed, fields, route, {"reason": reason})),
        "event_id": Field(lambda: _event_id(event_text, recovery=recovery)),
        "reason": reason_field(reason, "a reversal needs a reason"),
    })  # fmt: skip
    return state.services.servicing.reverse_repayment(
        signed.actor, loan_id, parsed["event_id"], reason, parsed["form"]
    )


def _event_id(text: str, *, recovery: bool = False) -> int:
    """The repayment (``recovery``: the recovery) chosen: a whole number from 1 to
    ``MAX_ID`` (the API's bound); a larger one names none ("1" -> 1;
    "99999999999999999999999": not found)."""
    if not (text.isascii() and text.isdigit()):
        if recovery:
            raise InvalidInput("choose a recovery to reverse", field="event_id",
                               message_zh="请选择要冲正的核销后回收")  # fmt: skip
        raise InvalidInput("choose a repayment to reverse", field="event_id")
    if not 1 <= int(text) <= MAX_ID:
        if recovery:
            raise InvalidInput("recovery not found", field="event_id",
                               message_zh="该贷款没有这笔核销后回收")  # fmt: skip
        raise InvalidInput("repayment not found", field="event_id")
    return int(text)


def _refund(
    state: WebState,
    signed: SignedIn,
    view: Mapping[str, Any],
    fields: dict[str, str],
    on_day: Callable[[date], object],
) -> MoneyResult:
    """Refund part or all of the advance to the borrower, as ``POST /api/v1/loans/{id}/
    refunds`` does (its key, amount and value date, checked with ``on_day``, refused at
    once)."""
    loan_id, currency = view["id"], view["currency"]
    body = {"amount": fields.get("amount", ""), "currency": currency,
            "value_date": fields.get("value_date", "")}  # fmt: skip
    parsed = parse_fields({
        "form": Field(lambda: _idem(signed, fields, f"POST /loans/{loan_id}/refunds", body)),
        "amount": Field(lambda: parse_money(body["amount"], currency, field="amount"), positive),
        "value_date": Field(lambda: parse_date(body["value_date"], "value_date"), on_day),
    })  # fmt: skip
    return state.services.servicing.refund_advance(
        signed.actor, loan_id, parsed["amount"], parsed["value_date"], parsed["form"]
    )


def _fees_paid(transactions: Sequence[Mapping[str, Any]], code: str) -> dict[int, int]:
    """Per installment, the fees the posted repayments paid (their allocation's lines)."""
    paid: dict[int, int] = {}
    for t in transactions:
        lines = (t.get("allocation") or {}).get("lines") or []
        if t["status"] != "posted":
            continue
        for line in lines:
            if line["component"] == "fee":
                amount = Money.parse(line["amount"], code).minor
                paid[line["n"]] = paid.get(line["n"], 0) + amount
    return paid


def waivable_fees(
    view: Mapping[str, Any], transactions: Sequence[Mapping[str, Any]], today: date
) -> list[dict[str, Any]]:
    """The installments whose fee a waiver can take today, each with its ``unpaid`` fee:
    not one whose fee is paid (the schedule's fee is what was charged). An installment
    owing only its fee owes all it has outstanding; on another, the fee less what
    repayments paid of it, at most what it has outstanding; a monthly fee (GPS,
    insurance) of an installment due after today is not billed yet (the approval would
    refuse it). E.g. installment 3 (fee 30.00, paid with it) is left out; installment 4,
    due and unpaid with a late fee of 50.00: ``{"n": 4, ..., "unpaid": "50.00"}``."""
    code = view["currency"]
    paid = _fees_paid(transactions, code)
    monthly = sum(Money.parse(fee, code).minor for fee in view["monthly_fees"].values())
    offered = []
    for row in view["schedule"]:
        left = Money.parse(row["outstanding"], code).minor
        unpaid = min(Money.parse(row["fee"], code).minor - paid.get(row["n"], 0), left)
        if row["status"] == "fee_unpaid":
            unpaid = left  # principal and interest paid: what is left is the fee
        if date.fromisoformat(row["due_date"]) > today:
            unpaid -= min(monthly, max(unpaid, 0))
        if unpaid > 0:
            offered.append({"n": row["n"], "due_date": row["due_date"],
                            "unpaid": money_text(unpaid, code)})  # fmt: skip
    return offered
