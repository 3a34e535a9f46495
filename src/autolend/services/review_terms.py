"""What an underwriter's review sets (:mod:`autolend.services.review`): the rate, inside
the product's range, and the structure of a counter-offer, each refused (422 naming its
field, in English and Chinese) when it is not one the product can have; and what a
second person's decline keeps of it (:func:`proposal`).

>>> from autolend.domain.product_catalogue import STANDARD_NEW
>>> given_rate({}, STANDARD_NEW) is None, given_rate({"annual_rate": "0.0549"}, STANDARD_NEW)
(True, Decimal('0.0549'))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from autolend.domain.application import ApplicationInput
from autolend.domain.decision_rules import RuleHit
from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money
from autolend.domain.products import Product
from autolend.domain.quote_input import percent_text

__all__ = [
    "RATE_PLACES", "check_terms_changed", "check_terms_left_alone", "given_rate",
    "no_offer_at_rate", "not_offered", "proposal", "restructured", "structure_of",
]  # fmt: skip

User = tuple[int | None, str | None]  # a user id and username (None: not known)
RATE_PLACES = 4  # a rate as a fraction: 2 decimal places in percent (5.49 %)
_TERMS = ("down_payment", "term_months")  # what a counter-offer changes


def check_terms_left_alone(action: str, body: dict[str, Any]) -> None:
    """Refuse (422 naming the field) an approval given a down payment or a term: it would
    approve the terms applied for and drop them; a counter-offer changes the terms.

    >>> check_terms_left_alone("approve", {"term_months": None})
    >>> check_terms_left_alone("approve", {"term_months": 24})
    Traceback (most recent call last):
    ...
    autolend.domain.errors.InvalidInput: choose Counter-offer to change the terms
    """
    given = next((name for name in _TERMS if body.get(name) not in (None, "")), None)
    if action == "approve" and given is not None:
        raise InvalidInput("choose Counter-offer to change the terms", field=given,
                           message_zh="如需变更首付或期限，请选择“附条件审批”")  # fmt: skip


def check_terms_changed(
    applied: tuple[Money, int], offered: tuple[Money, int], body: dict[str, Any]
) -> None:
    """Refuse (422) a counter-offer whose down payment and term are both the ones applied
    for (or not given): it would approve the terms applied for, which is Approve's to do.
    It names the field given (``down_payment`` where both or neither are).

    >>> down = Money.parse("60000.00", "CNY")
    >>> check_terms_changed((down, 36), (down, 24), {"term_months": 24})
    >>> try:
    ...     check_terms_changed((down, 36), (down, 36), {"term_months": 36})
    ... except InvalidInput as refused:
    ...     print(refused.field, refused.message_zh)
    term_months 附条件审批须变更首付或期限；如按申请条件批准，请选择“批准”
    """
    if applied != offered:
        return
    given = [name for name in _TERMS if body.get(name) not in (None, "")]
    raise InvalidInput(
        "a counter-offer changes the down payment or the term; choose Approve to approve "
        "the terms applied for", field=(given or ["down_payment"])[0],
        message_zh="附条件审批须变更首付或期限；如按申请条件批准，请选择“批准”",
    )  # fmt: skip


def given_rate(body: dict[str, Any], product: Product) -> Decimal | None:
    """The body's ``annual_rate`` (a fraction: ``"0.0549"``), None when not given; a rate
    that is no number, or outside the product's range, is refused."""
    text = body.get("annual_rate")
    if text is None:
        return None
    try:
        rate = Decimal(str(text))
    except ArithmeticError:
        rate = Decimal("NaN")
    if not rate.is_finite():  # "abc", "NaN", "Infinity": no rate to compare
        raise InvalidInput("annual_rate is a decimal fraction", field="annual_rate",
                           message_zh="年利率须为数字")  # fmt: skip
    places = rate.normalize().as_tuple().exponent
    if isinstance(places, int) and places < -RATE_PLACES:
        # 0.04999 would be stored so but shown and put in the contract as 5.00 %.
        raise InvalidInput(
            f"annual_rate has at most {RATE_PLACES} decimal places as a fraction (0.0549 is "
            "5.49 % a year)", field="annual_rate",
            message_zh="年利率最多保留两位小数（以百分比计，例如 5.49%）",
        )  # fmt: skip
    if not product.rate_min <= rate <= product.rate_max:
        low, high = percent_text(product.rate_min), percent_text(product.rate_max)
        raise InvalidInput(
            f"annual_rate from {product.rate_min} to {product.rate_max} ({low} % to "
            f"{high} % a year under {product.code})", field="annual_rate",
            message_zh=f"{product.code} 的年利率须在 {low}% 至 {high}% 之间",
        )  # fmt: skip
    return rate


def restructured(data: ApplicationInput, body: dict[str, Any]) -> ApplicationInput:
    """The application with a counter-offer's down payment and / or term (the vehicle
    amount then follows from them); one that changes neither is refused
    (:func:`check_terms_changed`)."""
    cur = data.vehicle.price.currency.code
    down = data.down_payment
    if body.get("down_payment") is not None:
        try:
            down = Money.parse(str(body["down_payment"]), cur)
        except InvalidInput as error:  # its field is Money's "amount": the form's is this
            raise InvalidInput(error.message, field="down_payment",
                               message_zh=error.message_zh) from None  # fmt: skip
        except (ArithmeticError, ValueError):
            raise InvalidInput("down_payment is an amount", field="down_payment",
                               message_zh="首付须为金额，例如 80000.00") from None  # fmt: skip
        if down.is_negative() or down >= data.vehicle.price:
            raise InvalidInput("the down payment is from 0 to below the price",
                               field="down_payment",
                               message_zh="首付须不低于 0 且低于车价")  # fmt: skip
    term = body.get("term_months")
    if term is None:  # unchanged (the API sends null for a term not given)
        term = data.term_months
    if not isinstance(term, int) or isinstance(term, bool) or not 1 <= term <= 120:
        raise InvalidInput("term_months is 1 to 120", field="term_months",
                           message_zh="期限须为 1 至 120 个月")  # fmt: skip
    check_terms_changed((data.down_payment, data.term_months), (down, term), body)
    # The loan asked for stays the most it lends: a smaller down payment than the buyer's
    # own money (price - amount asked) must not raise it.
    asked = data.amount
    kept = asked if asked is not None and asked + down <= data.vehicle.price else None
    return replace(data, down_payment=down, term_months=term, amount=kept)


def not_offered(broken: Sequence[RuleHit]) -> InvalidInput:
    """The refusal of a counter-offer whose structure has no offer: the first rule it
    breaks at the rate (the DSR cap with the debt the decision counted and the policy's
    limit: a 24-month term whose installment is too large for the income), or the cost
    ceiling; never other terms offered in its place."""
    field = "down_payment" if broken and broken[0].field in ("amount", "down_payment") else (
        "term_months")  # fmt: skip
    en = broken[0].message_en if broken else "its cost is above the ceiling"
    zh = broken[0].message_zh if broken else "综合融资成本超过上限"
    return InvalidInput(f"no offer can be made on this counter-offer: {en}", field=field,
                        message_zh=f"无法按此附条件方案出具贷款方案：{zh}")  # fmt: skip


def no_offer_at_rate(broken: Sequence[RuleHit]) -> InvalidInput:
    """The refusal of an approval at a rate none of whose structures has an offer (422 on
    ``annual_rate``, in English and Chinese): the first rule the applied structure breaks
    at that rate, else the cost ceiling (every option costs more than it allows).

    >>> no_offer_at_rate(()).message_zh
    '按此利率无法出具贷款方案：综合融资成本超过上限'
    """
    en = broken[0].message_en if broken else "its cost is above the ceiling"
    zh = broken[0].message_zh if broken else "综合融资成本超过上限"
    return InvalidInput(f"no offer fits the product's rules at this rate: {en}",
                        field="annual_rate",
                        message_zh=f"按此利率无法出具贷款方案：{zh}")  # fmt: skip


def structure_of(data: ApplicationInput) -> dict[str, Any]:
    """A counter-offer's structure as stored with its decision (``counter_offer``)."""
    return {"down_payment": data.down_payment.to_api(), "term_months": data.term_months,
            "amount": data.financed.to_api()}  # fmt: skip


def proposal(
    stored: dict[str, Any], proposed_by: User, declined_by: User, reason: str | None = None
) -> dict[str, Any]:
    """What the first underwriter proposed and a second person refused, as the case sent
    back to review keeps it for staff (``proposed``): the rate approved at, the
    counter-offer's structure and the rate override where there were any, who proposed
    it, who refused it (``declined_by``) and why (``reason``). The case itself has no
    rate override, offers or counter-offer of it (nothing of it is offered).

    >>> pending = {"outcome": "approve", "annual_rate": "0.0549", "rate_override": {
    ...     "risk_based_rate": "0.0899", "annual_rate": "0.0549", "set_by": 3}}
    >>> kept = proposal(pending, (3, "underwriter"), (9, "underwriter2"), "not justified")
    >>> kept["annual_rate"], kept["rate_override"]["risk_based_rate"], kept["declined_by_name"]
    ('0.0549', '0.0899', 'underwriter2')
    >>> "counter_offer" in kept, kept["reason"]
    (False, 'not justified')
    """
    kept = {key: stored[key] for key in ("annual_rate", "counter_offer", "rate_override")
            if stored.get(key) is not None}  # fmt: skip
    return kept | {"proposed_by": proposed_by[0], "proposed_by_name": proposed_by[1],
                   "declined_by": declined_by[0], "declined_by_name": declined_by[1]} | (
        {} if reason is None else {"reason": reason})  # fmt: skip
