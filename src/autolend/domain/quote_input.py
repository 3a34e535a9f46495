"""User input for the car-loan quote calculator, parsed the same way for every front end.

The API (``POST /api/v1/quotes``) and the web calculator (``/calculator``) both hand over
what the visitor typed (decimal strings, percent strings, names with hyphens, ISO dates)
and get back a priced :class:`QuoteOutcome`, or one :class:`~.errors.InvalidInput` for
every wrong *input* field (``vehicle_price``, ``term_months``, ``fees.0.kind``);
:func:`quote_wire` gives the API's dictionary, :func:`late_payment_example` the cost of
one late installment, for the plain-language explanation.

* Amounts are plain decimal strings in the currency's minor digits (``"150000"``).
* The currency is the regulation pack's (CN: CNY, US: USD) unless given; one the pack
  does not lend in is refused, naming ``currency``.
* Rates and shares are percent: ``"4.5"`` is 4.5 % a year, ``"30"`` a 30 % down payment.
* A fee is a fixed ``amount`` or a ``rate_percent`` of the vehicle amount financed,
  paid ``upfront`` (in cash, or ``financed``) or ``monthly``.

>>> outcome = price_quote(QuoteInput(vehicle_price="150000", down_payment_ratio="30",
...     annual_rate="4.5", term_months=36), today=date(2024, 3, 10))
>>> wire = quote_wire(outcome)
>>> wire["installment"], wire["apr"], len(wire["comparison"])
('3123.43', {'nominal': '4.50', 'effective': '4.59'}, 5)
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import TypeVar

from autolend.domain.errors import InvalidInput
from autolend.domain.fees import Fee, FeeKind, FeeTiming
from autolend.domain.field_errors import gather
from autolend.domain.money import Money, parse_money
from autolend.domain.penalty import daily_penalty, penalty_rate, policy_from_pack
from autolend.domain.quote import (
    CeilingStatus,
    Quote,
    QuoteRequest,
    affordable_price,
    build_quote,
    compare_terms,
    cost_ceiling_check,
    installment_to_income,
)
from autolend.domain.regulation import CN_PACK, RegulationPack, pack_for
from autolend.domain.schedule import MAX_PERIODS, Method
from autolend.domain.schedule_input import (
    parse_count,
    parse_date,
    parse_percent,
    parse_positive_amount,
    subsidy_from_text,
)

__all__ = [
    "COMPARISON_TERMS", "MAX_FEES", "FeeInput", "LatePaymentExample", "QuoteInput",
    "QuoteOutcome", "comparison_terms", "late_payment_example", "pack_currency",
    "percent_text", "price_quote", "quote_request", "quote_wire", "regz_wire",
]  # fmt: skip

COMPARISON_TERMS = (12, 24, 36, 48, 60)
"""The whole years up to CN's 60-month cap (:func:`comparison_terms` under CN)."""
MAX_FEES = 10
LATE_EXAMPLE_DAYS = 30
_SUBSIDISER = "oem"
_HUNDRED = Decimal(100)
_SHARE_PLACES = Decimal("0.1")
_NAME_RE = re.compile(r"[A-Za-z_-]{1,40}", re.ASCII)
# Domain field names -> the input field that carries them.
_RENAMES = {
    "balloon": "balloon_percent",
    "balloon_ratio_of_price": "balloon_percent",
    "subsidy": "subsidy_customer_rate",
    "principal": "vehicle_price",
    "max_share": "max_income_share",
    "payments": "fees",
}
_FEE_RENAMES = {"rate_of_amount": "rate_percent"}

E = TypeVar("E", bound=StrEnum)


def _fail(field: str, problem: str) -> InvalidInput:
    return InvalidInput(f"{field} {problem}", field=field)


@contextmanager
def _input_fields(renames: Mapping[str, str], prefix: str = "") -> Iterator[None]:
    """Re-raise a domain error under the input field's name, keeping class and message."""
    try:
        yield
    except InvalidInput as error:
        field = error.field
        renamed = renames.get(field, field) if field is not None else None
        if renamed is None or prefix + renamed == field:
            raise
        raise type(error)(error.message, field=prefix + renamed) from None


def _choice(text: object, kind: type[E], field: str) -> E:
    """A member of ``kind`` by its value, hyphens or underscores: ``credit-insurance``."""
    raw = text.strip().lower().replace("-", "_") if isinstance(text, str) else ""
    if _NAME_RE.fullmatch(raw):
        try:
            return kind(raw)
        except ValueError:
            pass
    allowed = ", ".join(member.value.replace("_", "-") for member in kind)
    raise _fail(field, f"{text!r} is not one of {allowed}")


def _amount(text: object, currency: str, field: str) -> Money:
    """A decimal amount (zero or more) in ``currency``."""
    if not isinstance(text, str) or not text.strip():
        raise _fail(field, "must be a decimal amount such as 1500.00")
    amount = parse_money(text.strip(), currency, field=field)
    if amount.is_negative():
        raise _fail(field, f"must not be negative, got {text!r}")
    return amount


@dataclass(frozen=True, slots=True, kw_only=True)
class FeeInput:
    """One fee as typed: ``kind`` and exactly one of ``amount`` / ``rate_percent``."""

    kind: str
    amount: str | None = None
    rate_percent: str | None = None
    timing: str = "upfront"
    financed: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteInput:
    """The quote calculator's fields as typed.  ``start`` defaults to today;
    ``method`` to ``balloon`` when ``balloon_percent`` is given, else
    ``equal-installment``; ``currency`` to the regulation pack's."""

    vehicle_price: str
    annual_rate: str
    term_months: int | str
    down_payment: str | None = None
    down_payment_ratio: str | None = None
    method: str | None = None
    start: str | None = None
    first_due: str | None = None
    fees: Sequence[FeeInput] = ()
    subsidy_customer_rate: str | None = None
    balloon_percent: str | None = None
    compare_terms: bool = True
    monthly_income: str | None = None
    max_income_share: str = "50"
    currency: str | None = None


def _fee(index: int, data: FeeInput, currency: str) -> Fee:
    prefix = f"fees.{index}."
    if (data.amount is None) == (data.rate_percent is None):
        raise _fail(prefix + "amount", "or rate_percent: give exactly one of the two")
    kind = _choice(data.kind, FeeKind, prefix + "kind")
    timing = _choice(data.timing, FeeTiming, prefix + "timing")
    amount = None if data.amount is None else _amount(data.amount, currency, prefix + "amount")
    rate = data.rate_percent
    ratio = None if rate is None else parse_percent(rate, prefix + "rate_percent")
    with _input_fields(_FEE_RENAMES, prefix):
        return Fee(kind=kind, amount=amount, rate_of_amount=ratio, timing=timing,
                   financed=data.financed)  # fmt: skip


def _fees(fees: Sequence[FeeInput], currency: str) -> tuple[Fee, ...]:
    if isinstance(fees, str) or len(fees) > MAX_FEES:
        raise _fail("fees", f"must be a list of at most {MAX_FEES} fees")
    return tuple(_fee(index, fee, currency) for index, fee in enumerate(fees))


def _method(data: QuoteInput) -> Method:
    if data.method is None:
        return Method.EQUAL_INSTALLMENT if data.balloon_percent is None else Method.BALLOON
    return _choice(data.method, Method, "method")


def _down_payment(data: QuoteInput, currency: str) -> tuple[Money | None, Decimal | None]:
    amount = data.down_payment
    ratio = data.down_payment_ratio
    return (
        None if amount is None else _amount(amount, currency, "down_payment"),
        None if ratio is None else parse_percent(ratio, "down_payment_ratio", below_100=True),
    )


def pack_currency(data: QuoteInput, pack: RegulationPack) -> str:
    """The quote's currency: the one given when it is the pack's, the pack's when none
    is given (CN: CNY, US: USD); any other is refused, naming ``currency``."""
    if data.currency is None:
        return pack.currency
    if data.currency != pack.currency:
        problem = f"must be {pack.currency} under the {pack.code} regulation pack"
        raise _fail("currency", f"{problem}, got {data.currency!r}")
    return data.currency


def quote_request(data: QuoteInput, today: date, pack: str = "CN") -> QuoteRequest:
    """A validated :class:`QuoteRequest` under the regulation pack ``pack`` (its APR
    rule, its currency: :func:`pack_currency`); errors name the input field."""
    currency = pack_currency(data, pack_for(pack))
    got = gather({  # every wrong one at once
        "price": lambda: parse_positive_amount(data.vehicle_price, currency, "vehicle_price"),
        "rate": lambda: parse_percent(data.annual_rate, "annual_rate"),
        "term": lambda: parse_count(data.term_months, "term_months", high=MAX_PERIODS),
        "down": lambda: _down_payment(data, currency),
    })  # fmt: skip
    price, annual_rate, term, (down_amount, down_ratio) = got.values()
    balloon = data.balloon_percent
    with _input_fields(_RENAMES):
        return QuoteRequest(
            vehicle_price=price, annual_rate=annual_rate, term_months=term,
            start=today if data.start is None else parse_date(data.start, "start"),
            down_payment=down_amount, down_payment_ratio=down_ratio,
            fees=_fees(data.fees, currency), method=_method(data),
            first_due=None if data.first_due is None else parse_date(data.first_due, "first_due"),
            subsidy=subsidy_from_text(data.subsidy_customer_rate, annual_rate, _SUBSIDISER),
            balloon_ratio_of_price=(
                None if balloon is None else parse_percent(balloon, "balloon_percent")
            ),
            pack=pack,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class QuoteOutcome:
    """A priced quote with its comparison across terms and, given an income, the
    affordability figures (``income_share`` is a fraction: 0.26 is 26 %)."""

    quote: Quote
    ceiling: CeilingStatus
    ceiling_rate: Decimal
    comparison: tuple[Quote, ...]
    income_share: Decimal | None
    affordable: Money | None
    max_share: Decimal


def _affordability(
    data: QuoteInput, quote: Quote, max_share: Decimal
) -> tuple[Decimal | None, Money | None]:
    if data.monthly_income is None:
        return None, None
    currency = quote.installment.currency.code
    income = parse_positive_amount(data.monthly_income, currency, "monthly_income")
    with _input_fields(_RENAMES):
        share = installment_to_income(quote, income)
        return share, affordable_price(quote.request, income, max_share)


def comparison_terms(pack: RegulationPack, on: date) -> tuple[int, ...]:
    """The terms a quote is compared over: whole years up to the longest term the pack
    allows on ``on`` (new or used car), the cap itself last when it is no whole year.

    >>> from autolend.domain.regulation import US_PACK
    >>> comparison_terms(CN_PACK, date(2026, 11, 28)), comparison_terms(US_PACK, date(2026, 11, 28))
    ((12, 24, 36, 48, 60), (12, 24, 36, 48, 60, 72, 84))
    """
    limits = pack.term_limits_on(on)
    longest = max(limits.new_car_months, limits.used_car_months)
    years = tuple(range(12, longest + 1, 12))
    return years if longest in years else (*years, longest)


def price_quote(data: QuoteInput, today: date, pack: RegulationPack = CN_PACK) -> QuoteOutcome:
    """Price ``data``: the quote, its status against the regulation pack's cost ceiling in
    force on the start date, the comparison over :func:`comparison_terms` (when asked)
    and the affordability (given an income)."""
    request = quote_request(data, today, pack.code)
    max_share = parse_percent(data.max_income_share, "max_income_share")
    if max_share == 0:
        raise _fail("max_income_share", "must be above 0")
    with _input_fields(_RENAMES):
        quote = build_quote(request)
        terms = comparison_terms(pack, request.start)
        comparison = tuple(compare_terms(request, terms)) if data.compare_terms else ()
    share, affordable = _affordability(data, quote, max_share)
    limits = pack.cost_ceiling(request.start)
    ceiling = cost_ceiling_check(quote.apr, limits.ceiling, limits.warn_at)
    return QuoteOutcome(quote, ceiling, limits.ceiling, comparison, share, affordable, max_share)


def percent_text(fraction: Decimal, places: Decimal = Decimal("0.01")) -> str:
    """A fraction as a percent string, rounded half-up: 0.2602858 -> ``"26.03"``."""
    return f"{(fraction * _HUNDRED).quantize(places, rounding=ROUND_HALF_UP):f}"


def _comparison_row(quote: Quote) -> dict[str, object]:
    return {
        "term_months": quote.request.term_months,
        "installment": quote.installment.to_api(),
        "monthly_payment": quote.monthly_payment.to_api(),
        "total_interest": quote.total_interest.to_api(),
        "total_repayable": quote.total_repayable.to_api(),
        "apr": str(quote.apr.nominal_percent()),
    }


def regz_wire(quote: Quote) -> dict[str, str] | None:
    """The quote's Reg Z (1026.18) figures as decimal strings, None outside the US pack:
    ``amount_financed``, ``finance_charge``, ``total_of_payments``, ``total_sale_price``
    and ``apr`` (Appendix J, percent to 2 places; the same as ``apr.nominal``)."""
    regz = quote.regz
    if regz is None:
        return None
    sale_price = regz.total_sale_price
    assert sale_price is not None  # a quote is a purchase: it has a cash price
    return {
        "amount_financed": regz.amount_financed.to_api(),
        "finance_charge": regz.finance_charge.to_api(),
        "total_of_payments": regz.total_of_payments.to_api(),
        "total_sale_price": sale_price.to_api(),
        "apr": str(regz.apr),
    }


def quote_wire(outcome: QuoteOutcome) -> dict[str, object]:
    """The outcome as the API returns it: amounts and percents as decimal strings;
    ``regz`` (US pack only, else None): :func:`regz_wire`."""
    quote = outcome.quote
    wire: dict[str, object] = {
        "currency": quote.installment.currency.code,
        "vehicle_price": quote.request.vehicle_price.to_api(),
        "down_payment": quote.down_payment.to_api(),
        "amount_financed": quote.amount_financed.to_api(),
        "installment": quote.installment.to_api(),
        "monthly_fees": quote.monthly_fees.to_api(),
        "monthly_payment": quote.monthly_payment.to_api(),
        "upfront_fees_cash": quote.fees.upfront_cash.to_api(),
        "financed_fees": quote.fees.financed.to_api(),
        "total_interest": quote.total_interest.to_api(),
        "total_fees": quote.total_fees.to_api(),
        "total_repayable": quote.total_repayable.to_api(),
        "total_cost_of_credit": quote.total_cost_of_credit.to_api(),
        "total_subsidy": quote.schedule.total_subsidy.to_api(),
        "apr": {
            "nominal": str(quote.apr.nominal_percent()),
            "effective": str(quote.apr.effective_percent()),
        },
        "cost_ceiling": {
            "status": outcome.ceiling.value,
            "ceiling": percent_text(outcome.ceiling_rate),
        },
        "regz": regz_wire(quote),
        "schedule": quote.schedule.to_dict(),
        "comparison": [_comparison_row(q) for q in outcome.comparison] or None,
        "affordability": None,
    }
    if outcome.income_share is not None and outcome.affordable is not None:
        wire["affordability"] = {
            "installment_share": percent_text(outcome.income_share, _SHARE_PLACES),
            "max_income_share": f"{(outcome.max_share * _HUNDRED).normalize():f}",
            "affordable_price": outcome.affordable.to_api(),
        }
    return wire


@dataclass(frozen=True, slots=True)
class LatePaymentExample:
    """What installment ``n`` (due ``due_date``) costs when ``days`` days late: penalty
    interest at ``penalty_rate`` (a fraction) on its principal, compound interest on
    its interest, ``per_day`` together, ``total`` over the days."""

    n: int
    due_date: date
    payment: Money
    penalty_rate: Decimal
    per_day: Money
    total: Money
    days: int


def late_payment_example(
    quote: Quote, days: int = LATE_EXAMPLE_DAYS, pack: RegulationPack = CN_PACK
) -> LatePaymentExample:
    """The first installment paid ``days`` days late, under the pack's default penalty
    policy on the loan date (:func:`~autolend.domain.penalty.policy_from_pack`); under the
    PBOC default (contract rate x 1.5, ACT/360, compounding on overdue interest):
    105,000.00 at 4.5 % over 36 months, first row 2,729.68 principal + 393.75 interest:
    0.51 + 0.07 = 0.58 a day, 17.40 over 30 days."""
    policy = policy_from_pack(pack, quote.request.start)
    row = quote.schedule.rows[0]
    rate = quote.request.annual_rate
    day = daily_penalty(row.money("principal"), row.money("interest"), rate, policy)
    cur = row.currency
    return LatePaymentExample(
        n=row.n, due_date=row.due_date, payment=row.money("payment"),
        penalty_rate=penalty_rate(rate, policy), per_day=Money(day.total, cur),
        total=Money(day.total * days, cur), days=days,
    )  # fmt: skip
