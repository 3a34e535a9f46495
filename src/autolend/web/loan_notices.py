"""Post/Redirect/Get for the loan page's forms: a form posted and done answers 303 to the
loan page, whose address says what was done; the page says it again from the loan itself.

A refresh of the page then reads it again (GET) and posts nothing; the browser never asks
to resubmit a form, and the address is the loan's, not the form's. What the address
carries is only ids and the form's name: the notice's figures are the loan's own, read
from its transactions (an address naming an event the loan has not, or of another kind,
shows no notice). Example: a repayment posted as event 17 ->
``/loans/4?done=repayment&event=17``, which shows "Repayment of ¥1,500.00 posted (no.
17)."; a prepayment that charged a fee adds ``&fee=60.00`` (said only if the loan holds
that prepayment fee on the prepayment's day); the same form sent again adds
``&replayed=1`` ("nothing was posted again"); a fee waiver asked as request 5 ->
``?done=fee_waiver_request&request=5``. HTMX (no loan form posts with it today) is told
to go there with ``HX-Redirect``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from autolend.web.deps import is_htmx
from autolend.web.routes_loans_forms import MAX_ID

__all__ = ["done_url", "notice_of", "see_loan"]

REQUESTS = ("write_off_request", "fee_waiver_request")
EVENT_KINDS: Mapping[str, tuple[str, ...]] = {
    "repayment": ("repayment",),
    "prepayment": ("prepayment", "payoff"),  # the payoff panel posts a prepayment too
    "recovery": ("recovery",),
    "refund": ("refund",),
    "reversal": ("repayment", "prepayment", "payoff", "refund", "recovery"),
}


def done_url(
    loan_id: int,
    action: str,
    *,
    replayed: bool = False,
    event: Mapping[str, Any] | None = None,
    request_id: int | None = None,
) -> str:
    """The loan page that says ``action`` was done: of the money ``event`` posted (its
    body: id, and a prepayment's ``prepayment_fee``) or the approval request asked.

    >>> done_url(4, "repayment", event={"id": 17, "kind": "repayment"})
    '/loans/4?done=repayment&event=17'
    >>> done_url(4, "prepayment", event={"id": 18, "prepayment_fee": "60.00"}, replayed=True)
    '/loans/4?done=prepayment&event=18&fee=60.00&replayed=1'
    >>> done_url(4, "fee_waiver_request", request_id=5)
    '/loans/4?done=fee_waiver_request&request=5'
    """
    query: dict[str, str] = {"done": action}
    if event is not None:
        query["event"] = str(event["id"])
        fee = event.get("prepayment_fee")
        if fee and fee not in ("0.00", "0"):
            query["fee"] = str(fee)
    if request_id is not None:
        query["request"] = str(request_id)
    if replayed:
        query["replayed"] = "1"
    return f"/loans/{loan_id}?{urlencode(query)}"


def see_loan(request: Request, url: str) -> Response:
    """Go to ``url`` after a form was done: 303 See Other (the browser GETs it), or for
    HTMX, which would swap the page into its target, ``HX-Redirect`` to load it whole."""
    if is_htmx(request):
        return Response(status_code=200, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def _id(text: str | None) -> int | None:
    if not text or not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_ID:
        return None
    return int(text)


def notice_of(
    query: Mapping[str, str], transactions: Sequence[Mapping[str, Any]]
) -> dict[str, Any] | None:
    """The notice the loan page shows for its address's ``query`` (:func:`done_url`'s),
    built from the loan's ``transactions``; None where it names nothing done on it.

    >>> rows = [{"id": 17, "kind": "repayment", "status": "posted", "amount": "1500.00",
    ...          "value_date": "2026-02-05", "source": "event"}]
    >>> notice_of({"done": "repayment", "event": "17"}, rows)["event"]["amount"]
    '1500.00'
    >>> notice_of({"done": "refund", "event": "17"}, rows) is None  # not a refund
    True
    >>> notice_of({"done": "repayment", "event": "17", "replayed": "1"}, rows)["replayed"]
    True
    """
    action = query.get("done", "")
    if action in REQUESTS:
        number = _id(query.get("request"))
        return None if number is None else {"action": action, "replayed": False,
                                            "request": {"id": number}}  # fmt: skip
    if action not in EVENT_KINDS:
        return None
    if query.get("replayed") == "1":
        return {"action": action, "replayed": True}  # it says nothing of the event
    event = _event_done(action, _id(query.get("event")), transactions)
    if event is None:
        return None
    shown = {**event, "prepayment_fee": _fee(query.get("fee"), event, transactions)}
    return {"action": action, "replayed": False, "event": shown}


def _event_done(
    action: str, number: int | None, transactions: Sequence[Mapping[str, Any]]
) -> Mapping[str, Any] | None:
    """The loan's money event ``number``, if of a kind ``action`` posts (a reversal's:
    reversed)."""
    event = next((t for t in transactions if t.get("source") == "event" and t["id"] == number),
                 None)  # fmt: skip
    if event is None or event["kind"] not in EVENT_KINDS[action]:
        return None
    if action == "reversal" and event["status"] != "reversed":
        return None
    return event


def _fee(
    amount: str | None, event: Mapping[str, Any], transactions: Sequence[Mapping[str, Any]]
) -> str | None:
    """``amount``, if the loan holds a prepayment fee of it on ``event``'s value date (a
    prepayment's or payoff's fee is its own fee event, dated with it)."""
    if not amount or event["kind"] not in ("prepayment", "payoff"):
        return None
    held = any(
        t["kind"] == "fee" and t.get("fee_kind") == "prepayment" and t["amount"] == amount
        and t["value_date"] == event["value_date"]
        for t in transactions
    )  # fmt: skip
    return amount if held else None
