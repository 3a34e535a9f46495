"""From an accepted offer to a funded loan: accept, sign, disburse.

* :meth:`OriginationService.accept` takes one of the offers (1..4) and books the loan in
  servicing from it (status ``booked``: principal, the borrower's rate, term, the
  product's method, monthly fees, waterfall and prepayment rule, and the decision's PD
  with its model version, which the ECL grades the loan by:
  :func:`~autolend.services.product_terms.decision_pd`), one
  transaction with the application's move to ``accepted``. A subsidised offer is booked
  at the borrower's rate; the maker's part is settled at disbursement. The applicant's
  side accepts (the borrower, the dealer, the staff member who filed it), never one who
  reviewed it: :func:`~autolend.domain.applicant_side.may_accept`.
* :meth:`OriginationService.sign` without a code issues the contract PDF (zh-CN or en,
  registered in the hash-chained registry) and sends the one-time code to the borrower's
  mobile through the outbox (``signing``); with the code it signs (``signed``).
* :meth:`OriginationService.disburse` pays the dealer: the principal less fees deducted at
  source (and a deducted subsidy), the down payment recorded, the loan ``active`` and the
  application ``disbursed``, in one transaction; idempotent by ``Idempotency-Key``. A
  subsidy is spread over the installments as the offer's list-rate interest runs and
  stored with the loan's terms (:func:`autolend.services.disbursement.record_payout`).

Illegal moves are 409 with the reason: disbursing before signing says "the contract must
be signed before disbursement (status: offer accepted)".
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from autolend.domain.access import Actor, Permission, Role
from autolend.domain.applicant_side import ApplicantSide, applicant_side, check_may_accept
from autolend.domain.application import ApplicationInput
from autolend.domain.application_status import Action, check_transition
from autolend.domain.closing_duties import check_disburser, check_may_disburse
from autolend.domain.contract import Vehicle as ContractVehicle
from autolend.domain.decision_rules import deal_request
from autolend.domain.errors import Conflict, InvalidInput, PermissionDenied
from autolend.domain.fees import FeeTiming
from autolend.domain.money import Money
from autolend.domain.offers import Offer, offer_from_dict
from autolend.domain.offers_subsidy import stated_subsidy
from autolend.domain.product_rules import subsidy_total
from autolend.domain.products import Energy, Product, VehicleCondition
from autolend.domain.quote import QuoteRequest, build_quote
from autolend.domain.subsidy_schedule import list_rate_weights
from autolend.services.application_ports import ApplicationRow, ApplicationUpdate
from autolend.services.application_records import (
    details_of,
    hold_to_counter_offer,
    move,
    reachable_application,
)
from autolend.services.application_vehicle import add_vin
from autolend.services.application_withdrawal import void_contract
from autolend.services.applications import product_in_force
from autolend.services.audit import record_change
from autolend.services.contract import Collateral
from autolend.services.contract_facts import UpfrontFee
from autolend.services.contract_signing import SIGNERS_ONLY, check_application_signer
from autolend.services.contracts import ContractRequest, ContractService
from autolend.services.decisioning import acting_for
from autolend.services.disbursement import DisbursementInput
from autolend.services.idempotency import IdempotencyRequest, MoneyResult, claim, replayed
from autolend.services.loan_books import locked_loan
from autolend.services.loans import BookingRequest, LoanService, add_loan
from autolend.services.ports import Clock, PersonalDataCipher, UnitOfWork, UnitOfWorkFactory
from autolend.services.product_terms import booking_terms, decision_pd
from autolend.services.products import product_of_row
from autolend.services.subsidy_grants import granted_before
from autolend.services.vehicle_financing import check_car_free

__all__ = ["OriginationService"]


def stored_offers(row: ApplicationRow) -> dict[int, tuple[Offer, date]]:
    """The offers by option, each with the day it starts from (the loan's start)."""
    items = json.loads(row.offers or "[]")
    return {item["option"]: (offer_from_dict(item), date.fromisoformat(item["start"]))
            for item in items}  # fmt: skip


def _chosen(row: ApplicationRow) -> tuple[Offer, date]:
    offers = stored_offers(row)
    if row.accepted_option not in offers:
        raise Conflict("no offer has been accepted")
    return offers[row.accepted_option]


class OriginationService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        cipher: PersonalDataCipher,
        clock: Clock,
        steps: tuple[ContractService, LoanService],
    ) -> None:
        self._uow = uow_factory
        self._cipher = cipher
        self._clock = clock
        self._contracts, self._loans = steps

    def add_vin(self, actor: Actor, application_id: int, vin: str) -> dict[str, Any]:
        """Record the car's VIN on an application filed without one (the contract needs
        it); :mod:`autolend.services.application_vehicle`."""
        return add_vin((self._uow, self._cipher, self._clock), actor, application_id, vin)

    def offers(self, actor: Actor, application_id: int) -> list[dict[str, Any]]:
        with self._uow() as uow:
            row = reachable_application(uow, actor, application_id)
        return list(json.loads(row.offers or "[]"))

    def accept(self, actor: Actor, application_id: int, option: int) -> dict[str, Any]:
        """Take offer ``option`` and book the loan (see the module docstring; 403 unless
        :func:`~autolend.domain.applicant_side.may_accept`)."""
        now = self._clock.now()
        with self._uow(write=True) as uow:
            row = reachable_application(uow, actor, application_id, for_update=True)
            check_may_accept(actor, side_of(uow, row))
            check_transition(row.status, Action.ACCEPT)
            offers = stored_offers(row)
            if option not in offers:
                raise InvalidInput(f"choose one of the offers {sorted(offers)}", field="option")
            hold_to_counter_offer(row, option)
            data = details_of(self._cipher, self._clock, row)
            check_car_free(uow, self._cipher, row.id, data.vehicle.vin)
            product = offered_product(uow, row, offers[option][0], self._clock.day_of(now))
            booking = _booking(product, data, offers[option], row)
            loan_id, _ = add_loan(uow, self._clock, booking)
            move(
                uow,
                self._clock,
                actor,
                row,
                action=Action.ACCEPT,
                change=ApplicationUpdate("accepted", now, accepted_option=option, loan_id=loan_id),
                detail={"option": option, "loan_id": loan_id},
            )
            record_change(
                uow,
                self._clock,
                actor,
                action="application.accept",
                object_type="application",
                object_id=row.id,
                summary={"option": option, "loan_id": loan_id},
            )
            uow.commit()
        return {
            "id": application_id,
            "status": "accepted",
            "loan_id": loan_id,
            "offer": next(o for o in self.offers(actor, application_id) if o["option"] == option),
        }

    def sign(
        self, actor: Actor, application_id: int, *, code: str | None, locale: str | None = None
    ) -> dict[str, Any]:
        """No code: issue the contract (once) and send a code. A code: sign with it.

        The application holds one contract: the first request to claim it wins, and a
        second one sent at the same moment (a double click) sends the code of that same
        contract, not of another. A contract found signed already (through the contracts
        API, or a move that failed after the signature) moves the application to
        ``signed`` instead of leaving it in ``signing`` for good.

        Who may ask for a code or sign is the contracts API's rule (:meth:`_signable`):
        the applicant, the dealer it came through or servicing, never whoever reviewed it;
        an underwriter who reaches every application may not sign. With the code's answer,
        and with the signature's (the borrower's confirmation), come the outbox ids of the
        messages queued (``messages``), so that a caller can send them at once and tell a
        message that left from one still waiting for the gateway."""
        with self._uow() as uow:
            row = self._signable(uow, actor, application_id)
        check_transition(row.status, Action.SIGN)
        engine = acting_for(actor, Role.SERVICING)
        if row.contract_id is not None:
            contract = self._contracts.get(engine, row.contract_id)
            if contract["status"] == "signed":
                self._signed(actor, row.id)
                return {"id": row.id, "status": "signed", "contract": contract}
        if code is None:
            contract_id = row.contract_id or self._issue(engine, row, locale)
            contract_id = self._claimed(actor, row.id, contract_id)
            sent = self._contracts.request_signature(engine, contract_id)
            return {
                "id": row.id,
                "status": "signing",
                "contract_id": contract_id,
                "code_expires_at": sent["expires_at"],
                "messages": sent["messages"],
            }
        if row.contract_id is None:
            raise Conflict("no contract has been issued: ask for a code first")
        signed = self._contracts.sign(engine, row.contract_id, code)
        self._signed(actor, row.id)
        notice = signed.pop("messages")  # the borrower's confirmation, queued
        return {"id": row.id, "status": "signed", "contract": signed, "messages": notice}

    @staticmethod
    def _signable(uow: UnitOfWork, actor: Actor, application_id: int) -> ApplicationRow:
        """The application, if ``actor`` may sign its contract as on the contracts API
        (:func:`autolend.services.contract_signing.check_application_signer`): anyone else
        who reaches it gets 403 in both languages, saying why (a reviewer of it: another
        must), as does a role that reads no applications (not reaching it: 404)."""
        if not actor.can(Permission.APPLICATION_READ):
            raise PermissionDenied(SIGNERS_ONLY[0], message_zh=SIGNERS_ONLY[1])
        row = reachable_application(uow, actor, application_id)
        check_application_signer(uow, actor, row)
        return row

    def _claimed(self, actor: Actor, application_id: int, contract_id: int) -> int:
        """The application's contract: ``contract_id`` moved to ``signing`` with it, or the
        one another request claimed first (ours is then voided, never to be signed)."""
        with self._uow(write=True) as uow:
            row = reachable_application(uow, actor, application_id, for_update=True)
            if row.contract_id is not None:
                if row.contract_id != contract_id:
                    void_contract(uow, self._clock, actor, contract_id)
                    uow.commit()
                return row.contract_id
            check_transition(row.status, Action.SIGN)
            change = ApplicationUpdate("signing", self._clock.now(), contract_id=contract_id)
            move(uow, self._clock, actor, row, action=Action.SIGN, change=change)
            uow.commit()
        return contract_id

    def _issue(self, engine: Actor, row: ApplicationRow, locale: str | None) -> int:
        """Issue the accepted offer's contract, with its down payment: a US contract's
        total sale price is the cash price (down payment + amount financed) plus the
        finance charge (1026.18(j)). ``locale`` None: the loan's pack's language."""
        data = details_of(self._cipher, self._clock, row)
        vehicle = data.vehicle
        assert vehicle.vin is not None and row.loan_id is not None
        offer = _chosen(row)[0]
        request = ContractRequest(
            row.loan_id,
            ContractVehicle(vehicle.vin, vehicle.make, vehicle.model, vehicle.energy.value.upper()),
            locale,
            _upfront_fees(offer),
            down_payment=offer.down_payment,
        )
        return int(self._contracts.issue(engine, request)["id"])

    def _signed(self, actor: Actor, application_id: int) -> None:
        """Move the application to ``signed`` (nothing if it is there already)."""
        with self._uow(write=True) as uow:
            row = reachable_application(uow, actor, application_id, for_update=True)
            if row.status == "signed":
                return
            change = ApplicationUpdate("signed", self._clock.now())
            move(uow, self._clock, actor, row, action=Action.SIGN, change=change)
            uow.commit()

    def disburse(
        self, actor: Actor, application_id: int, idem: IdempotencyRequest | None
    ) -> MoneyResult:
        """Pay the dealer for a signed application (servicing: ``loan:book``, never one
        who reviewed it: :func:`~autolend.domain.closing_duties.may_disburse`), one
        transaction with the application's move to ``disbursed``."""
        check_disburser(actor)  # 403 in both languages: servicing (loan:book) pays out
        with self._uow(write=True) as uow:
            row = reachable_application(uow, actor, application_id, for_update=True)
            check_may_disburse(actor, side_of(uow, row))
            stored = replayed(uow, idem)
            if stored is not None:
                return stored
            check_transition(row.status, Action.DISBURSE)
            assert row.loan_id is not None
            product = offered_product(uow, row, _chosen(row)[0], self._clock.day_of(row.created_at))
            loan = locked_loan(uow, row.loan_id)
            granted = granted_before(uow, product, row.customer_id, loan.id)
            paid = self._loans.disburse_in(uow, actor, loan, self._payout(row, product, granted))
            move(
                uow,
                self._clock,
                actor,
                row,
                action=Action.DISBURSE,
                change=ApplicationUpdate("disbursed", self._clock.now()),
            )
            result = MoneyResult(201, paid.body | {"application_id": row.id})
            claim(uow, self._clock, idem, result)
            uow.commit()
        return result

    def _payout(
        self, row: ApplicationRow, product: Product | None, granted: int = 0
    ) -> DisbursementInput:
        """The payout of the accepted offer. Every fee of the start is taken from the
        dealer's proceeds and earned (Cr 4120): a financed one (in the principal) and one
        the borrower pays in cash at signing, which the dealer collects with the down
        payment. E.g. 140,000.00 for the car, 1,500.00 GPS financed (principal
        141,500.00) and a 1 % origination fee of 1,400.00 in cash: the dealer receives
        141,500.00 - 1,500.00 - 1,400.00 = 138,600.00, and the borrower's APR counts the
        same 138,600.00 as received, as the offer and the contract state it. The subsidy
        is the offer's (none when the offer states none), at most what its plan's
        per-borrower cap leaves after the ``granted`` minor units the borrower's other
        loans booked (:mod:`.subsidy_grants`): if that shrank since the offer, the
        borrower keeps the contract's rate and the lender forgoes the difference."""
        offer, start = _chosen(row)
        start_fees = sum(f.amount.minor for f in offer.fees if f.timing != FeeTiming.MONTHLY)
        cur = offer.amount_financed.currency
        subsidy, settlement, weights = None, "deducted", None
        if product is not None and product.subsidy is not None and offer.customer_rate is not None:
            data = details_of(self._cipher, self._clock, row)
            request = offer_request(product, data, (offer, start))
            schedule = build_quote(request).schedule
            subsidy = subsidy_total(product, schedule, granted)
            settlement = product.subsidy.settlement
            weights = list_rate_weights(schedule)  # earned as the list-rate interest runs
        return DisbursementInput(
            amount=offer.amount_financed,
            value_date=start,
            fees_deducted=Money.of_minor(start_fees, cur.code) if start_fees else None,
            down_payment=offer.down_payment,
            subsidy=subsidy,
            subsidy_settlement=settlement,
            subsidy_weights=weights,
        )


def side_of(uow: UnitOfWork, row: ApplicationRow) -> ApplicantSide:
    """Who filed ``row``, the dealer it came through and who reviewed it (its events)."""
    moves = [(e.action, e.actor_user_id) for e in uow.applications.events(row.id)]
    return applicant_side(channel=row.channel, dealer_id=row.dealer_id, moves=moves,
                          filed_by=row.created_by)  # fmt: skip


def offered_product(uow: UnitOfWork, row: ApplicationRow, offer: Offer, day: date) -> Product:
    """The product version ``offer`` was priced under, so the loan booked and paid out is
    the one offered even if a new version (other fees, another late fee) took effect
    since; an offer stored before versions were kept: the version in force on ``day``."""
    if offer.product_version is not None:
        for version in uow.products.versions(row.product_code):
            if version.version == offer.product_version:
                return product_of_row(version)
    product = product_in_force(uow, row.product_code, day)
    if product is None:
        raise Conflict(f"the product {row.product_code} is no longer offered")
    return product


def _upfront_fees(offer: Offer) -> tuple[UpfrontFee, ...]:
    """The fees the contract lists as paid or financed at the start (not monthly)."""
    return tuple(
        UpfrontFee(fee.label, fee.amount, fee.financed)
        for fee in offer.fees
        if fee.timing != FeeTiming.MONTHLY
    )


def offer_request(
    product: Product, data: ApplicationInput, chosen: tuple[Offer, date]
) -> QuoteRequest:
    """The deal an offer priced, as a quote request: the same product fees and method,
    and the subsidy the offer states (within the room its plan left the borrower at the
    decision: :mod:`autolend.domain.offers_subsidy`), so the booked schedule and the
    subsidy equal the offer's figures."""
    offer, start = chosen
    request = deal_request(product, price=data.vehicle.price, down_payment=offer.down_payment,
                           term_months=offer.term_months, rate=offer.annual_rate,
                           start=start)  # fmt: skip
    return stated_subsidy(request, offer.customer_rate, offer.subsidiser)


def _booking(
    product: Product, data: ApplicationInput, chosen: tuple[Offer, date], row: ApplicationRow
) -> BookingRequest:
    """The loan of an offer: the quote's terms as priced. Under a subsidy (贴息) the loan
    keeps its contract rate and the rate the borrower pays (``terms.subsidy``): the
    schedule is the borrower's, the penalty runs on the contract rate as the contract
    says, and the subsidiser's share is settled when the loan is paid out."""
    request = offer_request(product, data, chosen)
    terms = request.loan_terms()
    pd, model_version = decision_pd(row.decision)
    return BookingRequest(
        terms=terms,
        approved=terms.principal,
        customer_id=row.customer_id,
        dealer_id=row.dealer_id,
        collateral=collateral_of(data),
        pd_orig=pd,
        model_version=model_version,
        **booking_terms(product, request.vehicle_financed),
    )


def collateral_of(data: ApplicationInput) -> Collateral:
    """The car as collateral: the appraised (used) or published (new) price when given,
    else the price paid, and its kind (NEV / ICE, new / used)."""
    car = data.vehicle
    price = car.reference_price or car.price
    return Collateral.of(price.minor, nev=car.energy is Energy.NEV,
                         used=car.condition is VehicleCondition.USED)  # fmt: skip
