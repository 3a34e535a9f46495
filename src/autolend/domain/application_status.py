"""The life of an application, from the showroom to a funded loan, as a state machine.

::

    draft --submit--> approved | referred | declined
                      | pending_second          (the model approved above the limit)
    referred --review--> approved | declined | pending_second | counter_offered
    pending_second --second approval--> approved   (another person; amounts above the
                                                     policy's ``second_approval_above``)
    counter_offered --accept--> accepted            (the applicant takes the counter-offer)
    approved --accept--> accepted --sign (code sent)--> signing --sign (code)--> signed
    signed --disburse--> disbursed
    draft | approved | referred | pending_second | counter_offered --withdraw--> withdrawn

Every other move is refused with :class:`~autolend.domain.errors.Conflict` (HTTP 409) and a
message that says what must happen first, e.g. disbursing an ``accepted`` application:
"the contract must be signed before disbursement (status: accepted)".

>>> check_transition(ApplicationStatus.DRAFT, Action.SUBMIT)
>>> check_transition(ApplicationStatus.DISBURSED, Action.DISBURSE)
Traceback (most recent call last):
...
autolend.domain.errors.Conflict: the loan has been paid out already (status: disbursed)
>>> check_transition(ApplicationStatus.ACCEPTED, Action.DISBURSE)
Traceback (most recent call last):
...
autolend.domain.errors.Conflict: the contract must be signed before disbursement (status: accepted)
"""

from __future__ import annotations

from enum import StrEnum

from autolend.domain.errors import Conflict

__all__ = ["Action", "ApplicationStatus", "check_transition", "is_open"]


class ApplicationStatus(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    REFERRED = "referred"
    DECLINED = "declined"
    PENDING_SECOND = "pending_second"
    COUNTER_OFFERED = "counter_offered"
    ACCEPTED = "accepted"
    SIGNING = "signing"
    SIGNED = "signed"
    DISBURSED = "disbursed"
    WITHDRAWN = "withdrawn"


class Action(StrEnum):
    SUBMIT = "submit"
    REVIEW = "review"
    SECOND_APPROVAL = "second_approval"
    ACCEPT = "accept"
    SIGN = "sign"
    DISBURSE = "disburse"
    WITHDRAW = "withdraw"
    UPLOAD = "upload"


S = ApplicationStatus
_ALLOWED: dict[Action, frozenset[ApplicationStatus]] = {
    Action.SUBMIT: frozenset({S.DRAFT}),
    Action.REVIEW: frozenset({S.REFERRED}),
    Action.SECOND_APPROVAL: frozenset({S.PENDING_SECOND}),
    Action.ACCEPT: frozenset({S.APPROVED, S.COUNTER_OFFERED}),
    Action.SIGN: frozenset({S.ACCEPTED, S.SIGNING}),
    Action.DISBURSE: frozenset({S.SIGNED}),
    Action.WITHDRAW: frozenset(
        {S.DRAFT, S.APPROVED, S.REFERRED, S.PENDING_SECOND, S.COUNTER_OFFERED}
    ),
    Action.UPLOAD: frozenset({S.DRAFT, S.REFERRED, S.PENDING_SECOND}),
}
_WHY: dict[Action, str] = {
    Action.SUBMIT: "only a draft application can be submitted",
    Action.REVIEW: "only a referred application waits for review",
    Action.SECOND_APPROVAL: "only an approval waiting for a second person can be confirmed",
    Action.ACCEPT: "an offer can be accepted only after approval",
    Action.SIGN: "the contract can be signed only after an offer is accepted",
    Action.DISBURSE: "the contract must be signed before disbursement",
    Action.WITHDRAW: "the application can no longer be withdrawn",
    Action.UPLOAD: "documents can be added only before the decision is final",
}
_FINAL = frozenset({S.DECLINED, S.DISBURSED, S.WITHDRAWN})


def check_transition(status: ApplicationStatus | str, action: Action) -> None:
    """Raise :class:`Conflict` unless ``action`` may happen in ``status``."""
    current = ApplicationStatus(status)
    if current is S.DISBURSED and action is Action.DISBURSE:  # not "must be signed first"
        raise Conflict(f"the loan has been paid out already (status: {current})")
    if current not in _ALLOWED[action]:
        raise Conflict(f"{_WHY[action]} (status: {current})")


def is_open(status: ApplicationStatus | str) -> bool:
    """Still moving: not declined, disbursed or withdrawn."""
    return ApplicationStatus(status) not in _FINAL
