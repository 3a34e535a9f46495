"""The demo SMS inbox (``/demo/sms``): in demo mode no SMS gateway exists, so the signing
code "sent" to the borrower's mobile lands in the demo inbox, and this page lists it
(newest first: the recipient masked except its last 4 digits, the text, the time).

The page exists only in demo mode (404 otherwise). A message is shown to whoever may
sign the contract it names (a signing code is a key to sign with:
``ContractService.may_read_texts``): a borrower those sent to their own mobile (their
loans); a dealer, who plays the customer's phone at the showroom, those of the
applications that came through it; servicing, who may sign for the borrower, every one
but those of the applications it reviewed. Other staff (a collector, an underwriter,
risk, compliance, an auditor, the administrator) sign nothing, so they see no code: the
page says who does. Example: the borrower of contract 3 reads "【autolend】合同（编号
3：...）签署验证码为 028450 ...", never contract 4's code; the collector reads neither.
With a real gateway configured (``AUTOLEND_SMS_URL``) the page says there is no inbox to
show.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, runtime_checkable

from fastapi import APIRouter, Request
from fastapi.responses import Response

from autolend.domain.access import Actor, Permission, Role
from autolend.services.notifications import contract_named
from autolend.web.deps import PageNotFound, SignedInDep, WebState, WebStateDep

router = APIRouter(include_in_schema=False)
SHOWN = 50
READ = 200  # as many as the inbox keeps: a borrower's own may be older than others' 50


@runtime_checkable
class DemoInbox(Protocol):
    """What the page reads of the demo SMS sandbox (see ``adapters/notify/demo_inbox``)."""

    def delivered(self, limit: int = 50) -> list[dict[str, str]]: ...


def own_messages(
    state: WebState, actor: Actor, delivered: list[dict[str, str]]
) -> list[dict[str, str]]:
    """The messages whose text names a contract ``actor`` may read the texts of (see
    ``ContractService.may_read_texts``); a text naming no contract is nobody's. Each
    contract is asked about once: ten codes for contract 3 ask once."""
    reads: dict[int, bool] = {}
    shown = []
    for item in delivered:
        contract = contract_named(item["text"])
        if contract is None:
            continue
        if contract not in reads:
            reads[contract] = state.services.contracts.may_read_texts(actor, contract)
        if reads[contract]:
            shown.append(item)
    return shown


def inbox_scope(actor: Actor) -> str:
    """Which messages the page says it shows ``actor``: ``all`` to servicing (who may
    sign any contract it did not decide), ``dealer`` to a dealer's user (the applications
    that came through it), ``own`` to a borrower (their own contracts), ``none`` to other
    staff, who sign nothing.

    >>> inbox_scope(Actor(1, "c", (Role.COLLECTOR,))), inbox_scope(Actor(2, "s", (Role.SERVICING,)))
    ('none', 'all')
    """
    if actor.can(Permission.LOAN_BOOK):
        return "all"
    if Role.DEALER in actor.roles:
        return "dealer"
    return "own" if Role.BORROWER in actor.roles else "none"


@router.get("/demo/sms")
def demo_sms(
    request: Request, state: WebStateDep, signed: SignedInDep, application: str | None = None
) -> Response:
    """The inbox, the messages ``signed`` may read (see the module); ``?application=ID``
    (the signing form's link) leads back to that application, else to the list."""
    if not state.settings.demo:
        raise PageNotFound("the demo inbox exists only in demo mode")
    sender = state.services.notifications.sender("sms")
    inbox = sender if isinstance(sender, DemoInbox) else None
    delivered: list[dict[str, str]] = inbox.delivered(READ) if inbox is not None else []
    actor = signed.actor
    scope = inbox_scope(actor)
    delivered = own_messages(state, actor, delivered) if scope != "none" else []
    messages = [item | {"when": datetime.fromisoformat(item["at"])} for item in delivered[:SHOWN]]
    back = application if application and application.isascii() and application.isdigit() else None
    context = {"messages": messages, "has_inbox": inbox is not None, "back_to": back,
               "scope": scope, "nav_section": "applications"}  # fmt: skip
    return state.renderer.render(request, "application_demo_sms.html", context, signed=signed)
