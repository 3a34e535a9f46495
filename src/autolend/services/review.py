"""Manual review (人工审核) of referred applications, with a second person above a limit.

The underwriter sees the application, its documents, the bureau report, the score and the
reasons, and decides with a reason (required, kept in the status history), never on an
application they filed (403: :mod:`~autolend.services.review_duties`):

* ``approve`` (optionally at a rate inside the product's range): offers are built at that
  rate, checked as the automated decision checked the structure (the existing debt it
  counted, declared or reported, the larger; the policy's DSR limit:
  :meth:`~autolend.services.decisioning.DecisionService.offers`); above the policy's
  ``second_approval_above`` the case waits in ``pending_second`` for another
  underwriter, who confirms it or sends it back to review — never the same person
  (双人复核);
* ``counter_offer`` with another down payment and / or term: the one offer of that
  structure (a person's counter-offer is what they set, no other term beside it), status
  ``counter_offered``, the applicant may accept it and no other
  (:func:`~autolend.services.application_records.hold_to_counter_offer`);
  the decision keeps the structure (``counter_offer``: ``down_payment``, ``term_months``
  and the vehicle ``amount`` it finances), the pages show it beside what was applied for.
  It is an approval too: above ``second_approval_above`` it waits in ``pending_second``,
  and the second person's confirmation makes it ``counter_offered``. A structure the
  product cannot have (a term it does not offer, LTV or down payment beyond its limits,
  a rule it breaks at the rate such as the DSR cap) is a 422 naming ``term_months`` or
  ``down_payment``, and nothing changes (never other terms in its place); an
  ``approve`` given a down payment or a term is refused the same way (it would approve
  the terms applied for and drop them: a counter-offer changes terms);
* ``decline``: status ``declined``, the decision a
  decline with its adverse-action notice, the person's reason first, then the
  applicant's own reasons without those that only referred the case (the report could
  not be obtained ...; :func:`~autolend.domain.manual_review.declined_by_person`), and
  no offers. The second person's refusal of an approval is no decline: it sends the
  case back to review (``referred``, what it refused kept for staff:
  :mod:`~autolend.services.review_second`).

An approval or counter-offer at another rate than the case's risk-based rate (the rate
the automated decision stored:
:func:`~autolend.domain.decision_override.case_risk_based_rate`) is a rate override: the
decision keeps ``rate_override`` (the risk-based rate, the rate set, who set it, its
``direction``) for the second person, the pages and the audit trail. Below the
risk-based rate it waits in ``pending_second`` like a large approval, and the second
person's confirmation keeps that rate and the offers priced at it; above it (no
concession) it is recorded and needs no second person unless the amount does. The rate
is inside the product's range (:func:`~autolend.services.review_terms.given_rate`), and
every offer at it within the pack's cost ceiling (an approval none of whose structures
fits is a 422 on ``annual_rate``). None given: the decision's rate, no override.

The limit is compared with the vehicle amount financed (a counter-offer's own), not the
total with the fees the product finances; the queue and the case page show both and
say which (:mod:`~autolend.services.review_amounts`).

Example: 350,000.00 financed for the car under a 300,000.00 limit: underwriter A approves ->
``pending_second``; A confirming is refused (409); B confirms -> ``approved``. So is
an approval at 5.49 % of a case the decision priced at 6.99 %, whatever the amount; one
at 7.49 % is ``approved`` at once, its override (``above``) recorded.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from autolend.domain.access import Actor, Permission
from autolend.domain.application import ApplicationInput
from autolend.domain.application_status import Action, check_transition
from autolend.domain.decision import Decision, Outcome
from autolend.domain.decision_codec import decision_from_dict
from autolend.domain.decision_override import (
    RateOverride,
    case_risk_based_rate,
    direction_of,
    override_to_dict,
    rate_override,
)
from autolend.domain.decision_policy import needs_second_person
from autolend.domain.errors import Conflict, InvalidInput, PermissionDenied
from autolend.domain.manual_review import approved_reasons, declined_by_person
from autolend.domain.money import Money
from autolend.domain.offers import Offer, structure_breaks
from autolend.domain.products import Product
from autolend.domain.text_input import check_text
from autolend.services.application_checks import COUNTER_OFFER_LIMITS, hard_limits
from autolend.services.application_ports import (
    ApplicationFilter,
    ApplicationRow,
    ApplicationUpdate,
)
from autolend.services.application_records import (
    details_of,
    move,
    offers_json,
    reachable_application,
)
from autolend.services.application_views import summary_view
from autolend.services.applications import product_in_force
from autolend.services.audit import record_change
from autolend.services.decisioning import DecisionService
from autolend.services.ports import Clock, PersonalDataCipher, UnitOfWork, UnitOfWorkFactory
from autolend.services.review_amounts import second_approval_of
from autolend.services.review_duties import check_reviewer, first_review, reviewable
from autolend.services.review_second import confirmed, decision_json, sent_back, stored_of
from autolend.services.review_terms import (
    check_terms_left_alone,
    given_rate,
    no_offer_at_rate,
    not_offered,
    restructured,
    structure_of,
)
from autolend.services.subsidy_grants import room_at_offer

__all__ = ["WAITING", "ReviewService"]

ACTIONS = ("approve", "decline", "counter_offer")
WAITING = ("referred", "pending_second")  # what waits for a person


def _reason(text: str) -> str:
    reason = (text or "").strip()
    if not 3 <= len(reason) <= 500:
        raise InvalidInput("give a reason of 3 to 500 characters", field="reason",
                           message_zh="请填写 3 至 500 个字符的理由")  # fmt: skip
    return check_text(reason, "reason", multiline=True)


class ReviewService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        cipher: PersonalDataCipher,
        clock: Clock,
        decisions: DecisionService,
    ) -> None:
        self._uow = uow_factory
        self._cipher = cipher
        self._clock = clock
        self._decisions = decisions

    def _check(self, actor: Actor) -> None:
        if not actor.can(Permission.APPLICATION_REVIEW):
            raise PermissionDenied("your role may not review applications")

    def queue(self, actor: Actor, limit: int = 50, offset: int = 0) -> dict[str, Any]:
        """Referred cases and approvals waiting for a second person, the longest waiting
        first (oldest last change), ``limit`` from ``offset``: ``{"items": [...], "total":
        N, "waiting": {"referred": n, "pending_second": m}, "limit", "offset"}``; each
        item's ``may_review`` is False where another underwriter must decide it (the
        asker filed it, or approved it and it waits for a second person);
        ``second_approval`` its amounts, labelled, and the one the second-approval limit
        is compared with (:mod:`~autolend.services.review_amounts`).

        Example: 130 referred and 2 pending: ``total`` 132; offset 100 gives the 32 that
        changed most recently."""
        self._check(actor)
        scope = ApplicationFilter(statuses=WAITING, oldest_first=True, limit=limit,
                                  offset=offset)  # fmt: skip
        products: dict[tuple[str, date], Product | None] = {}  # the page's, looked up once
        policy = self._decisions.policy
        with self._uow() as uow:
            rows = uow.applications.search(scope)
            counts = uow.applications.count_by_status(scope)
            mine = reviewable(uow, actor, rows)
            amounts = {row.id: second_approval_of(uow, self._clock, row, policy, products)
                       for row in rows}  # fmt: skip
        items = [
            summary_view(row) | {"may_review": mine[row.id],
                                 "second_approval": amounts[row.id],
                                 "reasons": _reasons(row, "text_en"),
                                 "reasons_zh": _reasons(row, "text_zh"),
                                 "counter_offer": stored_of(row).get("counter_offer"),
                                 "rate_override": stored_of(row).get("rate_override")}
            for row in rows
        ]  # fmt: skip
        waiting = {status: counts.get(status, 0) for status in WAITING}
        return {"items": items, "total": sum(waiting.values()), "waiting": waiting,
                "limit": limit, "offset": offset}  # fmt: skip

    def second_approval(self, actor: Actor, application_id: int) -> dict[str, Any] | None:
        """The case's amounts and the one the second-approval limit is compared with, as
        the queue gives them (:mod:`~autolend.services.review_amounts`), for one who
        reviews; None for anyone else (the applicant's side has no use for the limit)."""
        if not actor.can(Permission.APPLICATION_REVIEW):
            return None
        with self._uow() as uow:
            row = reachable_application(uow, actor, application_id)
            return second_approval_of(uow, self._clock, row, self._decisions.policy)

    def review(self, actor: Actor, application_id: int, body: dict[str, Any]) -> dict[str, Any]:
        """Decide a referred case: ``{"action": ..., "reason": ..., "annual_rate"?,
        "down_payment"?, "term_months"?}``."""
        self._check(actor)
        action = body.get("action")
        if action not in ACTIONS:
            raise InvalidInput("choose a decision: approve, counter-offer or decline",
                               field="action",
                               message_zh="请选择审核结论：批准、附条件审批或拒绝")  # fmt: skip
        reason = _reason(str(body.get("reason") or ""))
        check_terms_left_alone(action, body)
        with self._uow(write=True) as uow:
            row = reachable_application(uow, actor, application_id, for_update=True)
            check_reviewer(uow, actor, row)  # never the person who filed it (403)
            check_transition(row.status, Action.REVIEW)  # 409 naming the status in words
            data, product, decision = self._context(uow, row)
            owed = self._decisions.debt_counted(uow, row, data)
            room = room_at_offer(uow, product, row.customer_id)  # of a capped subsidy plan
            status, change = self._outcome(actor, action, body, (data, product),
                                           (decision, reason, owed, room))  # fmt: skip
            made = _beside(json.loads(change.decision) if change.decision else {})
            move(uow, self._clock, actor, row, action=Action.REVIEW, change=change,
                 reason=reason, detail={"action": action} | made)  # fmt: skip
            summary = {"action": action, "status": status} | _audited(made)
            record_change(uow, self._clock, actor, action="application.review",
                          object_type="application", object_id=row.id, summary=summary)  # fmt: skip
            uow.commit()
        return {"id": application_id, "status": status}

    def confirm(self, actor: Actor, application_id: int, body: dict[str, Any]) -> dict[str, Any]:
        """The second person: ``{"approve": true|false, "reason": ...}``: true confirms
        the approval, false sends the case back to review (``referred``, never a
        decline), what it refused kept for staff (``proposed``:
        :mod:`~autolend.services.review_second`)."""
        self._check(actor)
        reason = _reason(str(body.get("reason") or ""))
        approve = body.get("approve")
        if not isinstance(approve, bool):
            raise InvalidInput("approve is true or false", field="approve",
                               message_zh="请选择确认批准或退回重新审核")  # fmt: skip
        with self._uow(write=True) as uow:
            row = reachable_application(uow, actor, application_id, for_update=True)
            first = first_review(uow, row, actor)
            # The override confirmed (or refused) is named in the event and the audit.
            stored = stored_of(row)
            change = (
                confirmed(self._clock, row)
                if approve
                else sent_back(uow, self._clock, actor, row, (reason, first))
            )
            kept = json.loads(change.decision or "{}")  # what a refusal keeps for staff
            detail = {"approve": approve} | _beside(stored, "rate_override")
            move(uow, self._clock, actor, row, action=Action.SECOND_APPROVAL, change=change,
                 reason=reason, detail=detail | _beside(kept, "proposed"))  # fmt: skip
            record_change(uow, self._clock, actor, action="application.second_approval",
                          object_type="application", object_id=row.id,
                          summary={"approve": approve, **_audited(stored)})  # fmt: skip
            uow.commit()
        return {"id": application_id, "status": change.status}

    def _context(
        self, uow: UnitOfWork, row: ApplicationRow
    ) -> tuple[ApplicationInput, Product, Decision]:
        product = product_in_force(uow, row.product_code, self._clock.day_of(row.created_at))
        if product is None:
            raise Conflict("the application has no product or decision to review")
        return details_of(self._cipher, self._clock, row), product, self._stored_decision(row)

    @staticmethod
    def _stored_decision(row: ApplicationRow) -> Decision:
        if row.decision is None:
            raise Conflict("the application has no product or decision to review")
        return decision_from_dict(json.loads(row.decision))

    def _declined(self, decision: Decision, reason: str) -> ApplicationUpdate:
        """A person's decline: the decision with its adverse-action notice, no offers."""
        declined = declined_by_person(decision, reason, self._clock.today())
        return ApplicationUpdate("declined", self._clock.now(), outcome="decline",
                                 decision=decision_json(declined), offers="[]")  # fmt: skip

    def _outcome(
        self,
        actor: Actor,
        action: str,
        body: dict[str, Any],
        case: tuple[ApplicationInput, Product],
        decided: tuple[Decision, str, Money, int | None],
    ) -> tuple[str, ApplicationUpdate]:
        (data, product), (decision, reason, owed, room) = case, decided
        now = self._clock.now()
        if action == "decline":
            return "declined", self._declined(decision, reason)
        rate, override = self._rate(actor, body, product, decision)
        day, counter = self._clock.day_of(now), action == "counter_offer"
        approved = replace(decision, outcome=Outcome.APPROVE, annual_rate=rate,
                           reasons=approved_reasons(decision))  # fmt: skip
        if counter:
            data = restructured(data, body)
            # The structure offered is the one given: one the product cannot have is
            # refused, not swapped for another term or down payment.
            # (It names ``down_payment`` for the amount: the offer finances price less it.)
            hard_limits(product, data, day, rules=COUNTER_OFFER_LIMITS)
        offers = self._offers(product, data, approved, (day, owed, counter, room))
        # The policy's threshold in the application's currency (USD under the US pack): a
        # counter-offer is an approval too, of the amount it finances. A rate below the
        # risk-based rate needs the second person whatever the amount.
        policy = self._decisions.policy.in_currency(data.financed.currency.code)
        concession = override is not None and override.needs_second_person
        second = needs_second_person(data.financed, policy.second_approval_above) or concession
        status = "pending_second" if second else ("counter_offered" if counter else "approved")
        kept = None if override is None else override_to_dict(override)
        stored = decision_json(approved, counter_offer=structure_of(data) if counter else None,
                               rate_override=kept)  # fmt: skip
        return status, ApplicationUpdate(status, now, outcome="approve", decision=stored,
                                         offers=offers_json(offers, day))  # fmt: skip

    def _offers(
        self, product: Product, data: ApplicationInput, approved: Decision,
        when: tuple[date, Money, bool, int | None],
    ) -> tuple[Offer, ...]:  # fmt: skip
        """The offers of a person's approval, checked as the automated decision checked the
        structure (:meth:`DecisionService.offers`, their subsidy within the ``room`` its
        plan leaves the borrower now); with ``as_given`` (a counter-offer) its structure
        alone, refused with the rule it breaks when it has no offer."""
        day, owed, as_given, room = when
        offers = self._decisions.offers(product, data, approved, start=day, owed=owed,
                                        as_given=as_given, room=room)  # fmt: skip
        if offers:
            return offers
        assert approved.annual_rate is not None  # an approval has its rate
        broken = structure_breaks(
            product,
            data,
            approved.annual_rate,
            start=day,
            obligations=owed,
            max_dsr=self._decisions.policy.max_dsr,
            room=room,
        )
        raise not_offered(broken) if as_given else no_offer_at_rate(broken)

    def _rate(
        self, actor: Actor, body: dict[str, Any], product: Product, decision: Decision
    ) -> tuple[Decimal, RateOverride | None]:
        """The rate of the approval (the one given, else the case's risk-based rate) and
        the override it makes when another than the risk-based rate (None otherwise)."""
        risk_based = case_risk_based_rate(decision, product, self._decisions.policy)
        given = given_rate(body, product)
        if given is None:
            return risk_based, None
        return given, rate_override(risk_based, given, actor.user_id, actor.username)


def _beside(stored: dict[str, Any], *keys: str) -> dict[str, Any]:
    """What a person set beside a stored decision (by default ``counter_offer`` and
    ``rate_override``), for an event's detail or an audit summary; empty for none."""
    return {key: stored[key] for key in keys or ("counter_offer", "rate_override")
            if stored.get(key) is not None}  # fmt: skip


def _audited(stored: dict[str, Any]) -> dict[str, str | int]:
    """A stored rate override as an audit summary holds it (flat, text and whole
    numbers): the risk-based rate, the rate set, who set it and on which side of the
    risk-based rate (``rate_direction``); empty for none."""
    override = stored.get("rate_override")
    if override is None:
        return {}
    return {"risk_based_rate": override["risk_based_rate"],
            "annual_rate": override["annual_rate"], "rate_set_by": override["set_by"],
            "rate_direction": direction_of(override)}  # fmt: skip


def _reasons(row: ApplicationRow, text: str) -> list[str]:
    """The stored decision's reasons in one language (``text_en`` or ``text_zh``)."""
    return [r[text] for r in stored_of(row).get("reasons", [])]
