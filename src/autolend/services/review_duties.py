"""Who decides a case in manual review (:mod:`autolend.services.review`): segregation of
duties, as :func:`~autolend.domain.applicant_side.may_review` rules it.

* The person who filed the application (its ``created_by``: a staff member who filed for
  a walk-in borrower, an admin) never reviews, counter-offers or confirms it: 403 in
  both languages, and nothing changes. (They may accept its offer instead, as the
  applicant's side: :func:`~autolend.domain.applicant_side.may_accept`.)
* The second approval is never the first reviewer's (双人复核): 409, as it always was.

Example: underwriter 6 files a walk-in's application, referred: 6 reviewing it is
refused (403); 7 approves above the limit; 7 confirming is refused (409); 8 confirms.
"""

from __future__ import annotations

from collections.abc import Sequence

from autolend.domain.access import Actor
from autolend.domain.applicant_side import (
    ApplicantSide,
    applicant_side,
    check_may_review,
    may_review,
)
from autolend.domain.errors import Conflict
from autolend.services.application_ports import ApplicationRow, EventRow
from autolend.services.ports import UnitOfWork

__all__ = ["case_side", "check_reviewer", "first_review", "reviewable"]


def case_side(row: ApplicationRow, events: Sequence[EventRow]) -> ApplicantSide:
    """Who filed ``row`` (its ``created_by``) and who decided on it (its ``events``)."""
    moves = [(e.action, e.actor_user_id) for e in events]
    return applicant_side(channel=row.channel, dealer_id=row.dealer_id, moves=moves,
                          filed_by=row.created_by)  # fmt: skip


def check_reviewer(uow: UnitOfWork, actor: Actor, row: ApplicationRow) -> list[EventRow]:
    """Refuse (403) ``actor`` deciding ``row`` they filed; its events otherwise."""
    events = uow.applications.events(row.id)
    check_may_review(actor, case_side(row, events))
    return events


def first_review(uow: UnitOfWork, row: ApplicationRow, actor: Actor) -> EventRow | None:
    """The review the second person decides on (None: none recorded); refused when
    ``actor`` filed the application (403) or made that review (409): never the same
    person (双人复核)."""
    reviews = [e for e in check_reviewer(uow, actor, row) if e.action == "review"]
    first = reviews[-1] if reviews else None
    if first is not None and first.actor_user_id == actor.user_id:
        raise Conflict("the second approval must come from another person",
                       message_zh="双人复核须由另一位审核人员确认")  # fmt: skip
    return first


def reviewable(uow: UnitOfWork, actor: Actor, rows: Sequence[ApplicationRow]) -> dict[int, bool]:
    """Whether ``actor`` may decide each of ``rows`` (by id), their events read at once:
    the review queue says which another underwriter must decide."""
    events = uow.applications.events_of([row.id for row in rows])
    return {row.id: may_review(actor, case_side(row, events.get(row.id, []))) for row in rows}
