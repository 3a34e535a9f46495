"""Checks of a new application (or of an underwriter's counter-offer) that need the
product or the stored customers; each refusal is a 422 naming the field, before anything
is written.

* :func:`hard_limits`: the structure asked for is impossible under the product or the
  pack (a 72-month term where 60 is the cap, 90 % LTV where 80 % is); the refusal names
  the path in the body (:func:`body_path`: the rule's ``energy`` is ``vehicle.energy``);
* :func:`channel_for`: a dealer files as a dealer, a borrower as a borrower;
* :func:`check_self_application`: a borrower applies for themselves only;
* :func:`check_others_consented`: a borrower filing for themselves cannot consent for the
  co-borrower or guarantor they name (PIPL Art. 13, 29): each must have given the pack's
  filing consents already (CN data processing and sensitive data, US data processing).
  Example: a borrower names their spouse, new to the lender, as co-borrower: 422 on
  ``applicants[1].id_number``.
"""

from __future__ import annotations

from datetime import date, datetime

from autolend.domain.access import Actor, Role
from autolend.domain.application import ApplicationInput
from autolend.domain.consent import filing_consents
from autolend.domain.decision_rules import product_request, violation_hit
from autolend.domain.errors import InvalidInput
from autolend.domain.identity import uses_taxpayer_id
from autolend.domain.product_rules import check_request
from autolend.domain.products import Product
from autolend.domain.regulation import pack_for
from autolend.services.consents import active_consent
from autolend.services.customers import has_own_profile
from autolend.services.ports import CustomerRow, PersonalDataCipher, UnitOfWork

__all__ = [
    "COUNTER_OFFER_LIMITS", "HARD_LIMITS", "body_path", "channel_for",
    "check_others_consented", "check_self_application", "hard_limits",
]  # fmt: skip

HARD_LIMITS = frozenset({
    "condition_not_allowed", "energy_not_allowed", "term_not_offered", "term_above_cap",
    "amount_above_price", "amount_out_of_range", "ltv_above_cap",
})  # fmt: skip
"""Product rules an application cannot be filed against: the structure asked for is
impossible under the product (422); affordability, age and the rest are decided."""

COUNTER_OFFER_LIMITS = HARD_LIMITS | {"down_payment_too_low"}
"""An underwriter's counter-offer is the structure offered, so it also keeps the
product's minimum down payment (the applicant's request may break it: then the decision
proposes a larger one)."""


_BODY_PATHS = {"product": "product_code", "condition": "vehicle.condition",
               "energy": "vehicle.energy"}  # fmt: skip
_BORROWER_FIELDS = frozenset({"birth_date", "employment", "first_time_buyer", "monthly_income"})


def body_path(field: str, data: ApplicationInput) -> str:
    """The path in the application body of a product rule's ``field``, the name the
    body's own checks give it. The amount is the body's ``amount`` where one was asked
    for, else the down payment (price less down payment is financed); the birth date is
    where the pack reads it: the borrower's resident ID (CN), or the ``birth_date`` given
    beside a US taxpayer ID. Example: ``energy`` -> ``vehicle.energy``; ``amount``
    without one asked for -> ``down_payment``; ``birth_date`` of the borrower listed
    second -> ``applicants[1].id_number`` under CN, ``applicants[1].birth_date`` under US."""
    if field == "amount":
        return "amount" if data.amount is not None else "down_payment"
    if field in _BORROWER_FIELDS:
        index = data.parties.index(data.borrower)
        read_from_id = field == "birth_date" and not uses_taxpayer_id(data.pack)
        return f"applicants[{index}].{'id_number' if read_from_id else field}"
    return _BODY_PATHS.get(field, field)


def hard_limits(
    product: Product, data: ApplicationInput, day: date, *, rules: frozenset[str] = HARD_LIMITS
) -> None:
    """Refuse (422, naming the body's path of the field) a request that breaks one of
    ``rules``: a 72-month term where 60 is the cap, 90 % LTV where 80 % is."""
    request = product_request(
        data,
        data.household_obligations,
        down_payment=data.down_payment,
        term_months=data.term_months,
        amount=data.amount,
        rate=None,
    )
    for violation in check_request(product, request, day):
        if violation.rule in rules:
            hit = violation_hit(violation)
            raise InvalidInput(
                f"{hit.message_en} under {product.code}",
                field=body_path(violation.field, data),
                message_zh=f"{hit.message_zh}（{product.code}）",
            )


def channel_for(actor: Actor, data: ApplicationInput) -> None:
    """A dealer files as a dealer, for a car of its own showroom (``vehicle.dealer_id``
    its own or none), a borrower as a borrower; staff may file either way."""
    if Role.DEALER in actor.roles and data.channel != "dealer":
        raise InvalidInput("a dealer files applications with channel 'dealer'", field="channel")
    named = data.vehicle.dealer_id
    if Role.DEALER in actor.roles and named not in (None, actor.dealer_id):
        raise InvalidInput(
            f"a dealer files for cars of its own showroom (dealer {actor.dealer_id}), not {named}",
            field="vehicle.dealer_id",
            message_zh=f"经销商只能为本店（经销商 {actor.dealer_id}）的车辆申请，不能填写 {named}",
        )
    if actor.self_service and data.channel != "borrower":
        raise InvalidInput("a borrower applies with channel 'borrower'", field="channel")


def check_self_application(
    uow: UnitOfWork, actor: Actor, data: ApplicationInput, known: CustomerRow | None
) -> None:
    """A borrower applies for themselves: the borrower named is their own customer
    profile, or a person new to the lender when they have none yet (it becomes theirs).

    Otherwise anyone signed in could name another person (say one a dealer registered):
    their bureau report would be queried on consents that person never gave, and the
    decision's reasons read by someone else.
    """
    field = f"applicants[{data.parties.index(data.borrower)}].id_number"
    id_en, id_zh = _id_words(data.pack)
    if known is not None and known.owner_user_id != actor.user_id:
        raise InvalidInput(
            f"this {id_en} belongs to another customer: a borrower applies for "
            "themselves (a dealer or the lender can file for someone else)",
            field=field,
            message_zh=f"该{id_zh}属于其他客户：借款人只能为本人申请（为他人申请请通过经销商或贷款机构）",
        )
    if known is None and has_own_profile(uow, actor):
        raise InvalidInput(
            f"a borrower applies for themselves: use the {id_en} in your details",
            field=field,
            message_zh=f"借款人只能为本人申请：请使用“我的资料”中的{id_zh}",
        )


def _id_words(pack: str) -> tuple[str, str]:
    """What the pack calls a person's ID, in English and Chinese (its ``identity_scheme``):
    CN ``resident ID`` / ``身份证号``; US ``SSN or ITIN`` /
    ``社会安全号码或个人纳税识别号（SSN/ITIN）``, as the application form labels it."""
    if uses_taxpayer_id(pack):
        return "SSN or ITIN", "社会安全号码或个人纳税识别号（SSN/ITIN）"
    return "resident ID", "身份证号"


def check_others_consented(
    uow: UnitOfWork, cipher: PersonalDataCipher, data: ApplicationInput, now: datetime
) -> None:
    """Every party but the borrower is a customer with the filing consents of the
    application's pack active at ``now`` (CN: data processing and sensitive data; US:
    data processing): a borrower filing for themselves consents for themselves only."""
    required = filing_consents(pack_for(data.pack))
    for index, party in enumerate(data.parties):
        if party is data.borrower:
            continue
        known = uow.customers.by_id_number_index(cipher.blind_index("id_number", party.id_number))
        if known is None or any(
            active_consent(uow, known.id, kind, now) is None for kind in required
        ):
            raise InvalidInput(
                "this person has not consented to the processing of their personal data: "
                "a borrower consents for themselves only (a dealer or the lender can file "
                "with the co-borrower's or guarantor's own consents)",
                field=f"applicants[{index}].id_number",
                message_zh="此人尚未授权处理其个人信息：借款人只能为本人授权"
                "（共同借款人或担保人的授权可通过经销商或贷款机构办理）",
            )
