"""Submitting an application: the automated decision in seconds, never a lost case.

:meth:`DecisionService.submit` gathers the facts and lets the domain decide
(:func:`autolend.domain.decision.decide`):

1. the bureau report, queried over HTTP through the gateway (timeout, retries, circuit
   breaker) only with the applicant's bureau-query consent, logged with its purpose;
   slow, down or refused -> the facts say "unavailable" and the policy refers the case;
2. fraud signals: other applications with the same resident ID or mobile in 30 days
   (blind indexes), and the internal blacklist (a customer with a written-off loan);
3. the credit model's PD, score, grade and reasons, from the model of the application's
   currency (:meth:`~autolend.services.models.ModelService.decision_model_in`: ``default``
   for CNY, ``default-usd`` for USD); none registered for it -> refer with ``no_model``
   (a model of another currency would read dollars as yuan), one that cannot be loaded
   or score -> refer with ``score_unavailable``;
4. the decision (rule hits, reasons in zh-CN and en, risk-based rate, affordability,
   counter-offers, adverse-action notice) and, when approved, up to four offers with
   their APR (:func:`autolend.domain.offers.build_offers`); under a subsidy plan capped
   per borrower (NEV_GREEN's state plan: 3,000.00) the offers' subsidy is at most what
   the borrower's earlier loans left of it (:mod:`~autolend.services.subsidy_grants`).

The decision event keeps a facts snapshot (:class:`~autolend.domain.policy_simulation.
FactsSnapshot`: day, product version, the bureau query used, fraud signals, the model's
reasons) so that ``autolend policy simulate`` can replay the decision without asking the
bureau again.

The bureau query commits its own log (a query made is a query logged, whatever follows);
the decision, the offers, the status and the audit record are one transaction. Example:
a salaried borrower with a clean report and PD 2 % -> ``approved`` with offers; the
sandbox down -> ``referred`` with the reason "the credit bureau could not be reached".
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from autolend.domain.access import Actor, Permission, Role
from autolend.domain.applicant_side import check_on_applicants_side
from autolend.domain.application import ApplicationInput
from autolend.domain.application_status import Action, check_transition
from autolend.domain.bureau import ReportSummary, summarize
from autolend.domain.bureau_unavailable import NO_BUREAU_CONSENT
from autolend.domain.consent import ConsentKind
from autolend.domain.decision import Decision, DecisionFacts, Outcome, decide
from autolend.domain.decision_codec import decision_to_dict
from autolend.domain.decision_policy import Policy
from autolend.domain.decision_rules import FraudSignals, ModelScore, ReasonText, deal_request
from autolend.domain.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from autolend.domain.money import Money
from autolend.domain.offers import Offer, build_offers
from autolend.domain.policy_simulation import FactsSnapshot, snapshot_from_dict, snapshot_to_dict
from autolend.domain.products import Product
from autolend.domain.regulation import CN_PACK, US_PACK
from autolend.domain.schedule import regular_installment
from autolend.domain.score_features import existing_debt, score_features
from autolend.services.application_ports import ApplicationRow, ApplicationUpdate
from autolend.services.application_records import (
    details_of,
    move,
    offers_json,
    reachable_application,
)
from autolend.services.applications import FRAUD_WINDOW, product_in_force
from autolend.services.audit import record_change
from autolend.services.bureau import BureauService, report_context
from autolend.services.bureau_ports import REPORT_FIELD
from autolend.services.models import ModelService
from autolend.services.ports import Clock, PersonalDataCipher, UnitOfWork, UnitOfWorkFactory
from autolend.services.review_duties import case_side
from autolend.services.subsidy_grants import room_at_offer
from autolend.services.vehicle_financing import car_in_use, vin_index

if TYPE_CHECKING:
    from autolend.risk.model import CreditModel

__all__ = ["STATUS_OF", "DecisionService", "acting_for"]

log = logging.getLogger(__name__)
# The currencies whose decision models a server process loads as it starts.
WARM_CURRENCIES = tuple(dict.fromkeys((CN_PACK.currency, US_PACK.currency)))
STATUS_OF = {Outcome.APPROVE: "approved", Outcome.REFER: "referred", Outcome.DECLINE: "declined"}


def status_after(decision: Decision) -> str:
    """The application's status after the automated decision: its outcome's, except that
    an approval above the policy's ``second_approval_above`` waits in ``pending_second``
    for a person to confirm it (the model is the first approver, never the only one for
    a large loan). E.g. a car financed for 450,000.00 (a 451,500.00 loan with its GPS
    fee) under a limit of 300,000.00, approved by the model -> ``pending_second``; the
    same at 140,000.00 -> ``approved``. The limit is compared with the vehicle amount
    financed, not the total (:mod:`~autolend.services.review_amounts`)."""
    if decision.outcome is Outcome.APPROVE and decision.second_approval_required:
        return "pending_second"
    return STATUS_OF[decision.outcome]


def model_inputs(features: dict[str, object]) -> dict[str, object]:
    """The features as the model takes them: exact decimals become floats here, at the
    boundary of the numeric library, and nowhere in the domain."""
    return {k: float(v) if isinstance(v, Decimal) else v for k, v in features.items()}


def acting_for(actor: Actor, role: Role) -> Actor:
    """The platform doing a step for the signed-in user that their own role may start but
    not perform (the automated bureau query, issuing the contract of an accepted offer);
    every record still names the user and their own roles (:attr:`Actor.role_label`)."""
    mine = actor.own_roles if actor.own_roles is not None else actor.roles
    return Actor(actor.user_id, actor.username, (role,), None, actor.request_id, mine)


@dataclass(frozen=True)
class _Gathered:
    bureau: ReportSummary | None
    bureau_error: str | None
    score: ModelScore | None
    bureau_query_id: int | None = None


@dataclass(frozen=True)
class _Model:
    """The model that scores the application, or why there is none: ``no_model_for``
    names the currency no model is registered for (a model that failed to load: both
    None, the case is referred as unscored)."""

    model: CreditModel | None
    no_model_for: str | None = None


class DecisionService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        cipher: PersonalDataCipher,
        clock: Clock,
        engines: tuple[BureauService, ModelService],
        policy: Policy,
    ) -> None:
        self._uow = uow_factory
        self._cipher = cipher
        self._clock = clock
        self._bureau, self._models = engines
        self.policy = policy

    def submit(self, actor: Actor, application_id: int) -> dict[str, Any]:
        """Decide a draft application; returns the decision with its offers."""
        if not actor.can(Permission.APPLICATION_CREATE):
            raise PermissionDenied("your role may not submit applications",
                                   message_zh="您的角色不能提交申请")  # fmt: skip
        with self._uow() as uow:
            row = reachable_application(uow, actor, application_id)
            # Whoever filed it submits it (its dealer's users too), not a reviewer (403).
            side = case_side(row, uow.applications.events(row.id))
            check_on_applicants_side(actor, side, "submit")
            check_transition(row.status, Action.SUBMIT)
            day = self._clock.today()
            product = product_in_force(uow, row.product_code, day)
            # Unsealed once: a key unwrap and a decrypt.
            data = details_of(self._cipher, self._clock, row)
            fraud = self._fraud(uow, row, data)
            chosen = self._model(uow, data.financed.currency.code)
            room = room_at_offer(uow, product, row.customer_id)  # a capped subsidy plan's
        if product is None:
            raise InvalidInput(f"no product {row.product_code!r} in force", field="product_code")
        gathered = self._gather(actor, row, data, product, (day, chosen.model))
        facts = DecisionFacts(
            data,
            product,
            gathered.bureau,
            gathered.bureau_error,
            gathered.score,
            fraud,
            day,
            product.pack,
            chosen.no_model_for,
        )
        decision = decide(facts, self.policy)
        offers = self._offers(product, data, decision, (day, gathered.bureau, room))
        snapshot = FactsSnapshot(
            day, product.code, product.version, gathered.bureau_query_id,
            gathered.bureau_error, fraud, gathered.score.reasons if gathered.score else (),
            chosen.no_model_for,
        )  # fmt: skip
        return self._store(actor, application_id, decision, (offers, day), snapshot)

    def warm(self) -> str | None:
        """Load the decision models (:data:`WARM_CURRENCIES`'s) before the first
        application needs one; their versions ("default@3, default-usd@1"), or None when none
        is registered (nothing to load; the first submit will say so).

        Loading imports the modelling libraries and unpickles the artifact: about 2 s of
        CPU with compiled bytecode, 6 s without. A server process that loads it inside its
        first submit holds that application (and, for the GIL, every other one in the
        process) for as long, so ``autolend serve`` warms each worker before it answers."""
        loaded = []
        with self._uow() as uow:
            for currency in WARM_CURRENCIES:
                try:
                    loaded.append(self._models.decision_model_in(uow, currency).model_version)
                except NotFound:
                    continue
        return ", ".join(loaded) or None

    def _fraud(self, uow: UnitOfWork, row: ApplicationRow, data: ApplicationInput) -> FraudSignals:
        since = self._clock.now() - FRAUD_WINDOW
        borrower = data.borrower
        id_index = self._cipher.blind_index("id_number", borrower.id_number)
        phone_index = self._cipher.blind_index("phone", borrower.mobile)
        same_id, same_phone, written_off = uow.applications.fraud_counts(
            id_number_bidx=id_index, phone_bidx=phone_index, since=since, excluding=row.id,
            customer_id=row.customer_id,
        )  # fmt: skip
        in_use = car_in_use(uow, vin_index(self._cipher, data.vehicle.vin), row.id)
        return FraudSignals(same_id, same_phone, written_off > 0, in_use)

    def _model(self, uow: UnitOfWork, currency: str) -> _Model:
        """The newest decision model of ``currency``; none (the case is referred) if there
        is none for that currency or it cannot be loaded."""
        try:
            return _Model(self._models.decision_model_in(uow, currency))
        except NotFound as error:
            log.warning("no credit model for %s applications: %s", currency, error)
            return _Model(None, currency)
        except DomainError as error:
            log.warning("no credit model for the decision: %s", error)
            return _Model(None)

    def _gather(
        self,
        actor: Actor,
        row: ApplicationRow,
        data: ApplicationInput,
        product: Product,
        when: tuple[date, CreditModel | None],
    ) -> _Gathered:
        day, model = when
        bureau, error, query_id = self._report(actor, row, data)
        score = None if model is None else self._score(model, (data, product, bureau), day)
        return _Gathered(bureau, error, score, query_id)

    def _report(
        self, actor: Actor, row: ApplicationRow, data: ApplicationInput
    ) -> tuple[ReportSummary | None, str | None, int | None]:
        """The report's summary, why there is none, and the id of the query whose
        stored report was used (the facts snapshot keeps it). The bureau's "no record"
        is neither: no summary and no error (:func:`autolend.domain.decision.no_record`)."""
        if not data.has_consent(ConsentKind.BUREAU_QUERY):
            return None, NO_BUREAU_CONSENT, None
        engine = acting_for(actor, Role.UNDERWRITER)
        try:
            view = self._bureau.query(engine, row.customer_id, "loan_application")
        except DomainError as error:
            return None, str(error), None
        if view.outcome == "no_record":
            return None, None, None
        if view.summary is None:
            return None, view.detail or view.outcome, None
        return view.summary, None, view.id

    def _score(
        self,
        model: CreditModel,
        facts: tuple[ApplicationInput, Product, ReportSummary | None],
        day: date,
    ) -> ModelScore | None:
        data, product, bureau = facts
        request = deal_request(
            product,
            price=data.vehicle.price,
            down_payment=data.down_payment,
            term_months=data.term_months,
            rate=product.rate_max,
            start=day,
        )
        try:
            # The installment only: no APR is needed to score (an IRR solve saved).
            installment = regular_installment(request.loan_terms())
            features = score_features(data, bureau, installment=installment, as_of=day)
            result = model.score(model_inputs(features))
        except DomainError as error:
            log.warning("no score for the application: %s", error)
            return None
        reasons = tuple(ReasonText(r.code, r.text_en, r.text_zh) for r in result.reasons)
        return ModelScore(
            Decimal(str(round(result.pd, 6))),
            result.score,
            result.grade,
            result.model_version,
            result.reason_method,
            reasons,
        )

    def _offers(
        self,
        product: Product,
        data: ApplicationInput,
        decision: Decision,
        when: tuple[date, ReportSummary | None, int | None],
    ) -> tuple[Offer, ...]:
        """The offers, checked with the debt and the DSR limit the decision used, their
        subsidy within the room its plan leaves the borrower."""
        if decision.outcome is not Outcome.APPROVE:
            return ()
        day, bureau, room = when
        return self.offers(product, data, decision, start=day,
                           owed=existing_debt(data, bureau), room=room)  # fmt: skip

    def offers(
        self, product: Product, data: ApplicationInput, decision: Decision, *, start: date,
        owed: Money, as_given: bool = False, room: int | None = None,
    ) -> tuple[Offer, ...]:  # fmt: skip
        """The offers of an approval, the model's or an underwriter's
        (:mod:`autolend.services.review`; ``as_given``: a counter-offer's structure alone),
        checked as the decision checked the structure: with ``owed``, the household's
        existing debt as it counted it (:meth:`debt_counted`), and the policy's DSR limit
        where tighter than the product's. E.g. 1,000.00 declared and 6,000.00 reported: an
        installment is affordable only beside 6,000.00. ``room``: what a subsidy plan
        capped per borrower leaves them (:func:`~.subsidy_grants.room_at_offer`), so the
        offers (and the contract) state the subsidy the borrower can still be granted."""
        return build_offers(product, data, decision, start=start, obligations=owed,
                            max_dsr=self.policy.max_dsr, as_given=as_given,
                            room=room)  # fmt: skip

    def debt_counted(self, uow: UnitOfWork, row: ApplicationRow, data: ApplicationInput) -> Money:
        """The existing monthly debt the automated decision of ``row`` counted
        (:func:`~autolend.domain.score_features.existing_debt`): the larger of the declared
        and the report of the bureau query it used (kept in its facts snapshot); the
        declared alone when it used no report, or was decided before snapshots were kept."""
        return existing_debt(data, self._report_used(uow, row))

    def _report_used(self, uow: UnitOfWork, row: ApplicationRow) -> ReportSummary | None:
        submitted = [e for e in uow.applications.events(row.id) if e.action == Action.SUBMIT]
        facts = json.loads(submitted[-1].detail or "{}").get("facts") if submitted else None
        query_id = snapshot_from_dict(facts).bureau_query_id if facts else None
        found = uow.bureau.reports_of([query_id]).get(query_id) if query_id else None
        if found is None:
            return None
        query, sealed = found
        plain = self._cipher.open(sealed, context=report_context(query.reference))
        return summarize(json.loads(plain[REPORT_FIELD]))

    def _store(
        self,
        actor: Actor,
        application_id: int,
        decision: Decision,
        priced: tuple[tuple[Offer, ...], date],
        snapshot: FactsSnapshot,
    ) -> dict[str, Any]:
        wire = decision_to_dict(decision)
        offers, day = priced
        offer_wire = json.loads(offers_json(offers, day))
        status = status_after(decision)
        now = self._clock.now()
        with self._uow(write=True) as uow:
            row = reachable_application(uow, actor, application_id, for_update=True)
            change = ApplicationUpdate(
                status,
                now,
                outcome=decision.outcome.value,
                decision=json.dumps(wire, ensure_ascii=False),
                offers=offers_json(offers, day),
                submitted_at=now,
            )
            move(
                uow,
                self._clock,
                actor,
                row,
                action=Action.SUBMIT,
                change=change,
                automated=True,
                detail={
                    "rule_hits": [h["rule"] for h in wire["rule_hits"]],
                    "model_version": decision.model_version,
                    "facts": snapshot_to_dict(snapshot),
                },
            )
            record_change(
                uow,
                self._clock,
                actor,
                action="application.decide",
                object_type="application",
                object_id=application_id,
                summary={
                    "outcome": decision.outcome.value,
                    "offers": len(offers),
                    "policy": f"{decision.policy_name}@{decision.policy_version}",
                },
            )
            uow.commit()
        return {"id": application_id, "status": status, "decision": wire, "offers": offer_wire}
