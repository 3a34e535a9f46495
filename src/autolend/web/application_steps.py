"""Which steps the application page offers its reader: each form is drawn for whom the
service lets take it, and a step the service would refuse for something missing says so
before the tap, not after it.

* Accepting an offer is the applicant's side's choice, as the service rules it
  (:func:`autolend.domain.applicant_side.may_accept`): the borrower who applied, the
  dealer it came through, or the staff member who filed it for a walk-in borrower; never
  whoever reviewed it. An underwriter reaches every application but is offered the
  borrower's choice only on one they filed and did not review (nor the borrower's
  signature on any: :func:`signer`).
* Deciding a case is for another underwriter than its filer, and the second approval for
  another than the first reviewer, as the service rules it
  (:func:`autolend.domain.applicant_side.may_review`): the review and second-approval
  forms are drawn only for whom it lets decide; ``another_decides`` (the reader filed
  it) and ``another_confirms`` (the reader approved it) say instead that another
  underwriter must.
* Submitting and withdrawing are the applicant's side's, as the services rule it
  (:func:`autolend.domain.applicant_side.on_applicants_side`): the borrower or staff
  member who filed the application, or a user of the dealer it came through; an
  underwriter who merely reaches a dealer's application is offered neither.
* Signing the contract and paying the loan out are not for whoever decided the case
  either, as the services rule it (:mod:`autolend.domain.closing_duties`): a user who is
  underwriter and servicing is offered neither on an application they reviewed, but
  ``another_closes``: a note that another member of servicing does.
* The contract and the vehicle mortgage name the car by its VIN, so the service refuses to
  accept an offer of an application without one (new car or used:
  :meth:`autolend.services.origination.OriginationService.accept`). The page then shows
  ``accept_after_vin`` in place of the button: a note leading to the VIN form.

>>> from autolend.domain.access import Actor, Role
>>> view = {"status": "approved", "dealer_id": 1, "channel": "dealer", "vehicle": {"vin": None}}
>>> dealer = Actor(5, "d", (Role.DEALER,), dealer_id=1)
>>> steps = allowed_steps(dealer, view)
>>> steps["accept"], steps["accept_after_vin"]
(False, True)
>>> allowed_steps(Actor(6, "u", (Role.UNDERWRITER,)), view)["accept_after_vin"]
False
>>> walk_in = view | {"channel": "borrower", "events": [{"action": "create", "actor_user_id": 6}]}
>>> allowed_steps(Actor(6, "u", (Role.UNDERWRITER,)), walk_in)["accept_after_vin"]
True
"""

from __future__ import annotations

from typing import Any

from autolend.domain.access import Actor, Permission
from autolend.domain.applicant_side import (
    ApplicantSide,
    applicant_side,
    may_accept,
    may_review,
    on_applicants_side,
)
from autolend.domain.application_status import WITHDRAWABLE
from autolend.domain.closing_duties import may_disburse, may_sign
from autolend.services.application_vehicle import VIN_OPEN

__all__ = ["allowed_steps", "side", "signer"]

ACCEPTABLE = ("approved", "counter_offered")


def signer(actor: Actor, view: dict[str, Any]) -> bool:
    """Whether the page offers signing: to whom the service lets sign (the applicant, the
    dealer it came through, servicing; never one who reviewed it:
    :func:`autolend.domain.closing_duties.may_sign`). A borrower reaches only what they
    filed for themselves; an underwriter, who reaches every application, is not offered
    the borrower's contract."""
    own = actor.self_service and view["channel"] == "borrower"
    return may_sign(actor, side(view), borrower=actor.user_id if own else None)


def side(view: dict[str, Any]) -> ApplicantSide:
    """The applicant's side of the application ``view``, from its status history (the
    filer is the actor of its ``create`` move, as the service's ``created_by``)."""
    moves = [(e["action"], e["actor_user_id"]) for e in view.get("events") or ()]
    return applicant_side(channel=view["channel"], dealer_id=view["dealer_id"], moves=moves)


def allowed_steps(actor: Actor, view: dict[str, Any]) -> dict[str, bool]:
    """The page's steps for ``actor`` on the application ``view`` (see the module): each
    True where its form is drawn; ``accept_after_vin`` where an offer could be accepted
    but for the VIN; ``another_closes`` where servicing would sign or pay it out but for
    having reviewed it; ``read_loan`` where the loan and contract links lead somewhere."""
    status, case = view["status"], side(view)
    apply = actor.can(Permission.APPLICATION_CREATE)
    own = on_applicants_side(actor, case)  # submitting and withdrawing are the filer's side's
    sign = signer(actor, view)
    choose = may_accept(actor, case) and status in ACCEPTABLE
    reviewed = actor.can(Permission.LOAN_BOOK) and actor.user_id in case.reviewed_by
    has_vin = bool((view.get("vehicle") or {}).get("vin"))
    return {
        "submit": own and status == "draft",
        "vin": apply and status in VIN_OPEN,
        "accept": choose and has_vin,
        "accept_after_vin": choose and not has_vin,
        "send_code": sign and status in ("accepted", "signing"),
        "sign": sign and status == "signing",
        "upload": apply and status in ("draft", "referred", "pending_second"),
        "disburse": may_disburse(actor, case) and status == "signed",
        "another_closes": reviewed and status in ("accepted", "signing", "signed"),
        "withdraw": own and status in WITHDRAWABLE,
        # The consents recorded, for staff who read the application.
        "consents": actor.can(Permission.APPLICATION_READ_ALL),
        # The loan and its contract are read with loan:read (an administrator, who
        # reaches every application, has none): no link that answers "no access".
        "read_loan": actor.can(Permission.LOAN_READ),
    } | _deciding(actor, view)


def _deciding(actor: Actor, view: dict[str, Any]) -> dict[str, bool]:
    """The review steps of ``view`` for ``actor`` (see the module): a form where they may
    decide it, else why another underwriter must (the reader filed it, or approved it).

    >>> from autolend.domain.access import Actor, Role
    >>> case = {"status": "referred", "channel": "borrower", "dealer_id": None,
    ...         "events": [{"action": "create", "actor_user_id": 6}]}
    >>> [k for k, v in _deciding(Actor(6, "u", (Role.UNDERWRITER,)), case).items() if v]
    ['another_decides']
    """
    status, case = view["status"], side(view)
    waiting = actor.can(Permission.APPLICATION_REVIEW) and status in ("referred", "pending_second")
    decide = waiting and may_review(actor, case)
    filed = waiting and not decide and case.filed_by == actor.user_id
    return {
        "review": decide and status == "referred",
        "confirm": decide and status == "pending_second",
        "another_decides": filed,
        "another_confirms": waiting and not (decide or filed),
    }
