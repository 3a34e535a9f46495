"""The second approval (双人复核) of an approval waiting in ``pending_second``
(:meth:`autolend.services.review.ReviewService.confirm`), by another underwriter than the
one who approved it:

* confirmed: ``approved`` (a counter-offer stays ``counter_offered``), on the offers the
  first underwriter's approval priced;
* refused: sent back to review, never a decline. One person refusing another's approval
  (a rate below the one the case was priced at, an amount above the second-approval
  limit) is no reason to refuse the customer: the case goes back to the review queue as
  ``referred`` (:func:`~autolend.domain.manual_review.returned_to_review`: the
  risk-based rate, no offers, its referral reasons), where an underwriter approves it at
  the priced rate, counter-offers or declines it with a reason of their own. What was
  refused is kept beside the decision for staff (``proposed``: the rate, the
  counter-offer and the rate override proposed, who proposed it, who refused it and
  why), and in the event's detail; the dealer and the borrower see the case referred
  again, not the underwriters' notes.

Example: underwriter approves at 5.49 % a case priced at 8.99 % -> ``pending_second``;
underwriter2 refuses ("the rate given away is not justified") -> ``referred`` at 8.99 %,
``proposed`` naming both and the reason; underwriter approves it at 8.99 % -> ``approved``.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from autolend.domain.access import Actor
from autolend.domain.decision import Decision
from autolend.domain.decision_codec import decision_from_dict, decision_to_dict
from autolend.domain.errors import Conflict
from autolend.domain.manual_review import returned_to_review
from autolend.services.application_ports import ApplicationRow, ApplicationUpdate, EventRow
from autolend.services.ports import Clock, UnitOfWork
from autolend.services.review_terms import proposal

__all__ = ["confirmed", "decision_json", "sent_back", "stored_of"]


def stored_of(row: ApplicationRow) -> dict[str, Any]:
    """The stored decision as JSON (empty before one)."""
    return json.loads(row.decision) if row.decision else {}


def decision_json(decision: Decision, **beside: dict[str, Any] | None) -> str:
    """The decision as stored, with what a person set beside it if any: the structure of
    a counter-offer (``counter_offer``), a ``rate_override``, what a second person
    refused (``proposed``)."""
    stored = decision_to_dict(decision)
    stored |= {key: value for key, value in beside.items() if value is not None}
    return json.dumps(stored, ensure_ascii=False)


def confirmed(clock: Clock, row: ApplicationRow) -> ApplicationUpdate:
    """The second person's confirmation: a counter-offer stays one (the applicant may
    accept it), any other approval is ``approved``."""
    status = "counter_offered" if stored_of(row).get("counter_offer") else "approved"
    return ApplicationUpdate(status, clock.now(), outcome="approve")


def sent_back(
    uow: UnitOfWork, clock: Clock, actor: Actor, row: ApplicationRow,
    why: tuple[str, EventRow | None],
) -> ApplicationUpdate:  # fmt: skip
    """The second person's refusal of the approval ``first`` (the review event, None for
    the model's own approval above the limit) proposed, for ``reason``: the case
    ``referred`` again at its risk-based rate, no offers, ``proposed`` kept beside it."""
    reason, first = why
    stored = stored_of(row)
    if not stored:
        raise Conflict("the application has no decision to send back",
                       message_zh="该申请尚无审批结果，无法退回")  # fmt: skip
    proposer = None if first is None else first.actor_user_id
    user = None if proposer is None else uow.users.by_id(proposer)
    kept = proposal(stored, (proposer, None if user is None else user.username),
                    (actor.user_id, actor.username), reason)  # fmt: skip
    back = returned_to_review(decision_from_dict(stored), _risk_based(stored))
    return ApplicationUpdate("referred", clock.now(), outcome="refer",
                             decision=decision_json(back, proposed=kept), offers="[]")  # fmt: skip


def _risk_based(stored: dict[str, Any]) -> Decimal | None:
    """The rate the case was priced at before the approval refused: the override's
    risk-based rate where the approval set another, else the approval's own."""
    override = stored.get("rate_override")
    rate = override["risk_based_rate"] if override else stored.get("annual_rate")
    return None if rate is None else Decimal(str(rate))
