"""The life of an application, from the showroom to a funded loan, as a state machine.

::

    draft --submit--> approved | referred | declined
                      | pending_second          (the model approved above the limit)
    referred --review--> approved | declined | pending_second | counter_offered
    pending_second --second approval--> approved | counter_offered   (another person;
                                     amounts above the policy's ``second_approval_above``)
                   --second approval--> referred   (refused: sent back to review, never
                                                     a decline)
    counter_offered --accept--> accepted            (the applicant takes the counter-offer)
    approved --accept--> accepted --sign (code sent)--> signing --sign (code)--> signed
    signed --disburse--> disbursed
    draft | approved | referred | pending_second | counter_offered --withdraw--> withdrawn
    accepted | signing | signed --withdraw--> withdrawn   (before the money leaves: the
                                                          loan booked on acceptance is
                                                          cancelled, its contract withdrawn)

Every other move is refused with :class:`~autolend.domain.errors.Conflict` (HTTP 409) and a
message that says what must happen first, the status in words, e.g. disbursing an
``accepted`` application: "the contract must be signed before disbursement (status: offer
accepted)".

>>> check_transition(ApplicationStatus.DRAFT, Action.SUBMIT)
>>> check_transition(ApplicationStatus.DISBURSED, Action.DISBURSE)
Traceback (most recent call last):
...
autolend.domain.errors.Conflict: the loan has been paid out already (status: disbursed)
>>> try:
...     check_transition(ApplicationStatus.ACCEPTED, Action.DISBURSE)
... except Conflict as refused:
...     print(refused.message)
the contract must be signed before disbursement (status: offer accepted)
>>> try:
...     check_transition(ApplicationStatus.PENDING_SECOND, Action.REVIEW)
... except Conflict as refused:
...     print(refused.message.split(" (")[1])
status: waiting for a second approval)
>>> check_transition(ApplicationStatus.SIGNED, Action.SIGN)
Traceback (most recent call last):
...
autolend.domain.errors.Conflict: the contract is already signed (status: signed)

Each refusal carries its Chinese text too (``message_zh``), which the pages in zh-CN show:
"合同已签署（状态：已签署）".
"""

from __future__ import annotations

from enum import StrEnum

from autolend.domain.errors import Conflict

__all__ = ["WITHDRAWABLE", "Action", "ApplicationStatus", "check_transition", "is_open"]


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
WITHDRAWABLE = frozenset(
    {S.DRAFT, S.APPROVED, S.REFERRED, S.PENDING_SECOND, S.COUNTER_OFFERED}
    | {S.ACCEPTED, S.SIGNING, S.SIGNED}  # until the money leaves: the loan is cancelled
)
"""The statuses an application may be withdrawn from: every one before the dealer is
paid (after acceptance the booked loan is cancelled with it)."""
_ALLOWED: dict[Action, frozenset[ApplicationStatus]] = {
    Action.SUBMIT: frozenset({S.DRAFT}),
    Action.REVIEW: frozenset({S.REFERRED}),
    Action.SECOND_APPROVAL: frozenset({S.PENDING_SECOND}),
    Action.ACCEPT: frozenset({S.APPROVED, S.COUNTER_OFFERED}),
    Action.SIGN: frozenset({S.ACCEPTED, S.SIGNING}),
    Action.DISBURSE: frozenset({S.SIGNED}),
    Action.WITHDRAW: WITHDRAWABLE,
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
_WHY_ZH: dict[Action, str] = {
    Action.SUBMIT: "只有草稿状态的申请可以提交",
    Action.REVIEW: "只有转人工审核的申请等待审核",
    Action.SECOND_APPROVAL: "只有等待双人复核的批准可以确认",
    Action.ACCEPT: "申请获批后才能接受方案",
    Action.SIGN: "接受方案后才能签署合同",
    Action.DISBURSE: "合同签署后才能放款",
    Action.WITHDRAW: "该申请已无法撤回",
    Action.UPLOAD: "只能在审批结果确定前补充材料",
}
_STATUS_EN: dict[ApplicationStatus, str] = {
    S.DRAFT: "draft", S.APPROVED: "approved", S.REFERRED: "referred to a person",
    S.DECLINED: "declined", S.PENDING_SECOND: "waiting for a second approval",
    S.COUNTER_OFFERED: "counter-offered", S.ACCEPTED: "offer accepted", S.SIGNING: "signing",
    S.SIGNED: "signed", S.DISBURSED: "disbursed", S.WITHDRAWN: "withdrawn",
}  # fmt: skip
"""A status in the words a refusal names it by (never its code: ``pending_second``)."""
_STATUS_ZH: dict[ApplicationStatus, str] = {
    S.DRAFT: "草稿", S.APPROVED: "已批准", S.REFERRED: "转人工审核", S.DECLINED: "已拒绝",
    S.PENDING_SECOND: "等待双人复核", S.COUNTER_OFFERED: "已提出附条件方案",
    S.ACCEPTED: "已接受方案", S.SIGNING: "签署中", S.SIGNED: "已签署", S.DISBURSED: "已放款",
    S.WITHDRAWN: "已撤回",
}  # fmt: skip
# A move asked for again after it happened: said as such, not as "must happen first".
_DONE: dict[tuple[ApplicationStatus, Action], tuple[str, str]] = {
    (S.DISBURSED, Action.DISBURSE): ("the loan has been paid out already", "贷款已放款"),
    (S.SIGNED, Action.SIGN): ("the contract is already signed", "合同已签署"),
    (S.DISBURSED, Action.SIGN): ("the contract is already signed", "合同已签署"),
}
_FINAL = frozenset({S.DECLINED, S.DISBURSED, S.WITHDRAWN})


def check_transition(status: ApplicationStatus | str, action: Action) -> None:
    """Raise :class:`Conflict` unless ``action`` may happen in ``status``."""
    current = ApplicationStatus(status)
    if current in _ALLOWED[action]:
        return
    why, why_zh = _DONE.get((current, action), (_WHY[action], _WHY_ZH[action]))
    raise Conflict(
        f"{why} (status: {_STATUS_EN[current]})",
        message_zh=f"{why_zh}（状态：{_STATUS_ZH[current]}）",
    )


def is_open(status: ApplicationStatus | str) -> bool:
    """Still moving: not declined, disbursed or withdrawn."""
    return ApplicationStatus(status) not in _FINAL
