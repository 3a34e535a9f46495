"""Who closes a loan: signs its contract and pays it out. Never whoever decided it.

A contract is signed with the one-time code sent to the borrower's own mobile, so the
borrower's consent is in the code, whoever types it. It is typed by the borrower (the
owner user of the borrower's customer record), by the dealer the application came
through (in the showroom, the borrower reading the code out) or by servicing
(``loan:book``). A dealer merely named on a borrower's own online application did not
file it, does not see it, and signs nothing of it, as it accepts nothing of it
(:func:`~autolend.domain.applicant_side.may_accept`: the dealer of an
:class:`~autolend.domain.applicant_side.ApplicantSide` is the one it came through).
A loan booked with no application is signed by its borrower, its own dealer or servicing.

Segregation of duties: whoever reviewed the application, counter-offered it or gave its
second approval neither signs its contract nor pays it out (servicing, ``loan:book``),
whatever other roles they hold. Otherwise a user who is both underwriter and servicing
would carry a case alone from the decision to the signature and the payment to the
dealer. Another servicing staff member does both. The services and the pages ask
:func:`may_sign` and :func:`may_disburse`.

Example: user 7, underwriter and servicing, approved the borrower's (user 5's) online
application naming dealer 1. User 7 may neither sign nor pay it out; servicing user 8 may
do both; the borrower signs; dealer 1's user signs nothing of it::

    >>> from autolend.domain.access import Actor, Role
    >>> from autolend.domain.applicant_side import applicant_side
    >>> side = applicant_side(channel="borrower", dealer_id=1,
    ...                       moves=[("create", 5), ("review", 7)])
    >>> both, servicing = (Role.UNDERWRITER, Role.SERVICING), (Role.SERVICING,)
    >>> [may_sign(Actor(7, "u", both), side, borrower=5),
    ...  may_sign(Actor(8, "s", servicing), side, borrower=5),
    ...  may_sign(Actor(5, "b", (Role.BORROWER,)), side, borrower=5),
    ...  may_sign(Actor(9, "d", (Role.DEALER,), dealer_id=1), side, borrower=5)]
    [False, True, True, False]
    >>> [may_disburse(Actor(7, "u", both), side), may_disburse(Actor(8, "s", servicing), side)]
    [False, True]
"""

from __future__ import annotations

from autolend.domain.access import Actor, Permission, Role
from autolend.domain.applicant_side import ApplicantSide
from autolend.domain.errors import PermissionDenied

__all__ = [
    "SIGNERS_ONLY", "check_disburser", "check_may_disburse", "check_may_sign", "may_disburse",
    "may_sign",
]  # fmt: skip

SIGNERS_ONLY = ("only the borrower, their dealer or servicing may sign a contract",
                "只有借款人、其经销商或贷后服务人员可以签署合同")  # fmt: skip
_DISBURSERS_ONLY = ("your role may not disburse loans", "您的角色不能发放贷款")
_DECIDED_SIGN = (
    "you reviewed this application: its contract is signed by the borrower, their dealer "
    "or another servicing staff member, not by whoever decided it",
    "您审核过该申请：合同须由借款人、其经销商或其他贷后服务人员签署，审核人员不能经办签署",
)
_DECIDED_PAY = (
    "you reviewed this application: another servicing staff member must disburse it "
    "(whoever decides an application does not also pay it out)",
    "您审核过该申请：须由其他贷后服务人员放款（审核申请的人不能同时经办放款）",
)


def _signing_refusal(
    actor: Actor, side: ApplicantSide, borrower: int | None
) -> tuple[str, str] | None:
    """Why ``actor`` may not sign (English, Chinese), or None when they may."""
    own = borrower is not None and borrower == actor.user_id
    dealer = Role.DEALER in actor.roles and actor.dealer_id is not None
    through = dealer and side.dealer_id == actor.dealer_id
    if not (own or through or actor.can(Permission.LOAN_BOOK)):
        return SIGNERS_ONLY
    return _DECIDED_SIGN if actor.user_id in side.reviewed_by else None


def may_sign(actor: Actor, side: ApplicantSide, *, borrower: int | None) -> bool:
    """Whether ``actor`` may ask for a signing code and sign the contract of the
    application ``side`` describes, whose borrower is the user ``borrower`` (None: the
    borrower has no user): that borrower, a user of the dealer it came through, or
    servicing; never one who reviewed it or gave its second approval.

    >>> from autolend.domain.access import Actor, Role
    >>> through = ApplicantSide(filed_by=4, dealer_id=1)
    >>> may_sign(Actor(4, "d", (Role.DEALER,), dealer_id=1), through, borrower=None)
    True
    >>> may_sign(Actor(6, "u", (Role.UNDERWRITER,)), through, borrower=None)
    False
    """
    return _signing_refusal(actor, side, borrower) is None


def check_may_sign(actor: Actor, side: ApplicantSide, *, borrower: int | None) -> None:
    """403 in both languages unless :func:`may_sign`, saying why: not a signer at all,
    or the person who decided the application."""
    refused = _signing_refusal(actor, side, borrower)
    if refused is not None:
        raise PermissionDenied(refused[0], message_zh=refused[1])


def _paying_refusal(actor: Actor, side: ApplicantSide) -> tuple[str, str] | None:
    if not actor.can(Permission.LOAN_BOOK):
        return _DISBURSERS_ONLY
    return _DECIDED_PAY if actor.user_id in side.reviewed_by else None


def may_disburse(actor: Actor, side: ApplicantSide) -> bool:
    """Whether ``actor`` may pay out the loan of the application ``side`` describes:
    servicing (``loan:book``), and none of its reviewers.

    >>> from autolend.domain.access import Actor, Role
    >>> may_disburse(Actor(8, "s", (Role.SERVICING,)), ApplicantSide(4, None, frozenset({8})))
    False
    """
    return _paying_refusal(actor, side) is None


def check_disburser(actor: Actor) -> None:
    """403 in both languages unless ``actor``'s role pays loans out (``loan:book``).

    >>> from autolend.domain.access import Actor, Role
    >>> try:
    ...     check_disburser(Actor(6, "u", (Role.UNDERWRITER,)))
    ... except PermissionDenied as refused:
    ...     print(refused.message_zh)
    您的角色不能发放贷款
    """
    check_may_disburse(actor, ApplicantSide(None, None))


def check_may_disburse(actor: Actor, side: ApplicantSide) -> None:
    """403 in both languages unless :func:`may_disburse`, saying why.

    >>> from autolend.domain.access import Actor, Role
    >>> side = ApplicantSide(filed_by=4, dealer_id=None, reviewed_by=frozenset({8}))
    >>> try:
    ...     check_may_disburse(Actor(8, "s", (Role.SERVICING,)), side)
    ... except PermissionDenied as refused:
    ...     print(refused.code, refused.message_zh)
    forbidden 您审核过该申请：须由其他贷后服务人员放款（审核申请的人不能同时经办放款）
    """
    refused = _paying_refusal(actor, side)
    if refused is not None:
        raise PermissionDenied(refused[0], message_zh=refused[1])
