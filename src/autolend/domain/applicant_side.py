"""Who may accept an application's offer: the applicant's side, never its judge.

Accepting an offer is the borrower's choice: it books the loan they will sign for. It is
made by the borrower who filed the application, through the dealer it came through (the
showroom: any of that dealer's users), or by the staff member who filed it for a walk-in
borrower. Whoever reviewed the application or gave its second approval never accepts it,
whatever else they are (segregation of duties: the person who set the terms does not
also agree to them on the borrower's behalf), and neither does another staff member who
merely reaches every application. The service and the page both ask :func:`may_accept`.

Signing differs on purpose (:mod:`autolend.domain.closing_duties`): a signature needs
the one-time code sent to the borrower's own mobile, so the borrower's consent is in the
code itself, whoever types it (servicing too); accepting needs no such proof, hence this
rule. Whoever reviewed the application neither signs its contract nor pays it out there
either.

Deciding is the other half of the same rule (:func:`may_review`): whoever filed the
application never reviews it, counter-offers it or gives its second approval (the
person who asks is not the person who answers), and the second approval is never the
first reviewer's (双人复核). A staff member who filed for a walk-in borrower leaves the
decision to another underwriter; the service and the pages both ask :func:`may_review`.

Example: an underwriter who filed a walk-in's application may accept its offer; one who
reviewed it may not, nor one who did neither::

    >>> from autolend.domain.access import Actor, Role
    >>> filed = applicant_side(channel="borrower", dealer_id=None,
    ...                        moves=[("create", 6), ("review", 7)])
    >>> [may_accept(Actor(n, "u", (Role.UNDERWRITER,)), filed) for n in (6, 7, 8)]
    [True, False, False]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from autolend.domain.access import Actor, Permission, Role
from autolend.domain.errors import PermissionDenied

__all__ = [
    "REVIEW_MOVES", "ApplicantSide", "applicant_side", "check_may_accept",
    "check_may_review", "check_on_applicants_side", "may_accept", "may_review",
    "on_applicants_side",
]  # fmt: skip

FILING_MOVE = "create"
SECOND_APPROVAL_MOVE = "second_approval"
REVIEW_MOVES = frozenset({"review", SECOND_APPROVAL_MOVE})
"""The moves of an application's status history that a person decides on it by."""

_NOT_THEIRS = (
    "only the applicant's side may accept an offer: the borrower who applied, the dealer "
    "the application came through, or the staff member who filed it",
    "只有申请人一方可以接受方案：申请的借款人本人、经办经销商或代为提交申请的工作人员",
)
_REVIEWED = (
    "you reviewed this application: its offer is for the applicant's side to accept, "
    "not for the person who decided it",
    "您审核过该申请：方案须由申请人一方接受，审核人员不能代为接受",
)

_FILED = (
    "you filed this application: another underwriter must decide it (the person who "
    "files an application never reviews it)",
    "该申请由您提交：须由另一位审核人员作出决定（提交申请的人不能审核该申请）",
)


_FILERS_ONLY = {
    "submit": (
        "only whoever filed the application submits it: the borrower who applied, the "
        "dealer it came through or the staff member who filed it",
        "只有提交申请的一方可以提交审批：申请的借款人本人、经办经销商或代为填写申请的工作人员",
    ),
    "withdraw": (
        "only the applicant's side may withdraw the application: the borrower who applied, "
        "the dealer it came through or the staff member who filed it",
        "只有申请人一方可以撤回申请：申请的借款人本人、经办经销商或代为填写申请的工作人员",
    ),
}


@dataclass(frozen=True)
class ApplicantSide:
    """One application's people: who filed it, the dealer it came through (None when it
    did not come through a dealer) and who decided on it by hand."""

    filed_by: int | None
    dealer_id: int | None
    reviewed_by: frozenset[int] = frozenset()
    deciding: frozenset[int] | None = None
    """Who reviewed it since a second person last sent it back to review (None: every
    reviewer): they may not decide it now, whoever refused or proposed before may."""


def applicant_side(
    *,
    channel: str,
    dealer_id: int | None,
    moves: Iterable[tuple[str, int | None]],
    filed_by: int | None = None,
) -> ApplicantSide:
    """The side of an application from its status history, as ``(action, actor user id)``
    pairs: the filer is the actor of its ``create`` move unless ``filed_by`` names them;
    the reviewers those of :data:`REVIEW_MOVES`. A borrower-channel application naming a
    dealer did not come through that dealer (the dealer does not even see it).

    >>> applicant_side(channel="dealer", dealer_id=1, moves=[("create", 5), ("submit", 5)])
    ApplicantSide(filed_by=5, dealer_id=1, reviewed_by=frozenset(), deciding=frozenset())

    After a second person sent underwriter 7's approval back (8), both may decide it again:

    >>> back = applicant_side(channel="dealer", dealer_id=1,
    ...     moves=[("create", 5), ("review", 7), ("second_approval", 8)])
    >>> sorted(back.reviewed_by), sorted(back.deciding)
    ([7, 8], [])
    """
    history = list(moves)
    if filed_by is None:
        filed_by = next((who for action, who in history if action == FILING_MOVE), None)
    reviewers = frozenset(who for action, who in history if action in REVIEW_MOVES and who)
    # A second approval ends a round of review: confirmed, or sent back to be decided anew.
    ends = [i for i, (action, _who) in enumerate(history) if action == SECOND_APPROVAL_MOVE]
    since = history[ends[-1] + 1 :] if ends else history
    deciding = frozenset(who for action, who in since if action in REVIEW_MOVES and who)
    return ApplicantSide(filed_by, dealer_id if channel == "dealer" else None, reviewers,
                         deciding)  # fmt: skip


def _refusal(actor: Actor, side: ApplicantSide) -> tuple[str, str] | None:
    """Why ``actor`` may not accept (English, Chinese), or None when they may."""
    if actor.user_id in side.reviewed_by:
        return _REVIEWED
    return None if on_applicants_side(actor, side) else _NOT_THEIRS


def on_applicants_side(actor: Actor, side: ApplicantSide) -> bool:
    """Whether ``actor`` acts for the applicant: holding ``application:create``, they
    filed it (the borrower for themselves, a staff member for a walk-in) or are a user of
    the dealer it came through. Submitting and withdrawing are theirs alone (an
    underwriter who reaches every application neither submits nor withdraws a dealer's).

    >>> from autolend.domain.access import Actor, Role
    >>> side = ApplicantSide(filed_by=5, dealer_id=1)
    >>> [on_applicants_side(a, side) for a in (Actor(5, "d", (Role.DEALER,), dealer_id=1),
    ...     Actor(9, "d2", (Role.DEALER,), dealer_id=1), Actor(6, "u", (Role.UNDERWRITER,)))]
    [True, True, False]
    """
    if not actor.can(Permission.APPLICATION_CREATE):
        return False
    if side.filed_by is not None and side.filed_by == actor.user_id:
        return True
    dealer = Role.DEALER in actor.roles and actor.dealer_id is not None
    return dealer and side.dealer_id == actor.dealer_id


def check_on_applicants_side(actor: Actor, side: ApplicantSide, action: str) -> None:
    """403 in both languages unless :func:`on_applicants_side`: ``action`` is
    ``"submit"`` or ``"withdraw"``."""
    if not on_applicants_side(actor, side):
        en, zh = _FILERS_ONLY[action]
        raise PermissionDenied(en, message_zh=zh)


def may_accept(actor: Actor, side: ApplicantSide) -> bool:
    """Whether ``actor`` may accept an offer of the application ``side`` describes: its
    filer or its dealer's user, holding ``application:create``, and none of its reviewers.

    >>> from autolend.domain.access import Actor, Role
    >>> side = ApplicantSide(filed_by=5, dealer_id=1)
    >>> may_accept(Actor(9, "d2", (Role.DEALER,), dealer_id=1), side)
    True
    >>> may_accept(Actor(9, "d2", (Role.DEALER,), dealer_id=2), side)
    False
    """
    return _refusal(actor, side) is None


def check_may_accept(actor: Actor, side: ApplicantSide) -> None:
    """403 in both languages unless :func:`may_accept`, saying why."""
    refused = _refusal(actor, side)
    if refused is not None:
        raise PermissionDenied(refused[0], message_zh=refused[1])


def may_review(actor: Actor, side: ApplicantSide) -> bool:
    """Whether ``actor`` may decide the application ``side`` describes (review, counter-offer
    or give its second approval): holding ``application:review``, not its filer and not
    one who reviewed it in this round (the second approval is another person's; once a
    second person sent an approval back to review, a new round begins:
    :attr:`ApplicantSide.deciding`).

    >>> from autolend.domain.access import Actor, Role
    >>> side = ApplicantSide(filed_by=6, dealer_id=None, reviewed_by=frozenset({7}))
    >>> [may_review(Actor(n, "u", (Role.UNDERWRITER,)), side) for n in (6, 7, 8)]
    [False, False, True]
    """
    barred = side.reviewed_by if side.deciding is None else side.deciding
    if not actor.can(Permission.APPLICATION_REVIEW) or actor.user_id in barred:
        return False
    return not _filed_it(actor, side)


def check_may_review(actor: Actor, side: ApplicantSide) -> None:
    """403 in both languages when ``actor`` filed the application. (The role and the
    second approval by the first reviewer are the service's own refusals, a 403 and a
    409 of their own words.)

    >>> from autolend.domain.access import Actor, Role
    >>> try:
    ...     check_may_review(Actor(6, "u", (Role.UNDERWRITER,)), ApplicantSide(6, None))
    ... except PermissionDenied as refused:
    ...     print(refused.code, refused.message_zh)
    forbidden 该申请由您提交：须由另一位审核人员作出决定（提交申请的人不能审核该申请）
    """
    if _filed_it(actor, side):
        raise PermissionDenied(_FILED[0], message_zh=_FILED[1])


def _filed_it(actor: Actor, side: ApplicantSide) -> bool:
    return side.filed_by is not None and side.filed_by == actor.user_id
