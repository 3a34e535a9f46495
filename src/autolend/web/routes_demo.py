"""The demo SMS inbox (``/demo/sms``): in demo mode no SMS gateway exists, so the signing
code "sent" to the borrower's mobile lands in the demo inbox, and this page lists it
(newest first: the recipient masked except its last 4 digits, the text, the time).

The page exists only in demo mode (404 otherwise) and for anyone signed in: in a demo the
dealer at the showroom plays the customer's phone. With a real gateway configured
(``AUTOLEND_SMS_URL``) the page says there is no inbox to show.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, runtime_checkable

from fastapi import APIRouter, Request
from fastapi.responses import Response

from autolend.web.deps import PageNotFound, SignedInDep, WebStateDep

router = APIRouter(include_in_schema=False)
SHOWN = 50


@runtime_checkable
class DemoInbox(Protocol):
    """What the page reads of the demo SMS sandbox (see ``adapters/notify/demo_inbox``)."""

    def delivered(self, limit: int = 50) -> list[dict[str, str]]: ...


@router.get("/demo/sms")
def demo_sms(
    request: Request, state: WebStateDep, signed: SignedInDep, application: str | None = None
) -> Response:
    """The inbox; ``?application=ID`` (the signing form's link) leads back to that
    application, else to the list of applications."""
    if not state.settings.demo:
        raise PageNotFound("the demo inbox exists only in demo mode")
    sender = state.services.notifications.sender("sms")
    inbox = sender if isinstance(sender, DemoInbox) else None
    delivered: list[dict[str, str]] = inbox.delivered(SHOWN) if inbox is not None else []
    messages = [item | {"when": datetime.fromisoformat(item["at"])} for item in delivered]
    back = application if application and application.isascii() and application.isdigit() else None
    context = {"messages": messages, "has_inbox": inbox is not None, "back_to": back,
               "nav_section": "applications"}  # fmt: skip
    return state.renderer.render(request, "application_demo_sms.html", context, signed=signed)
