"""The rules of a credit decision, one function per group, each returning rule hits.

A :class:`RuleHit` records one rule that fired: its stable ``rule`` code, the input
``field``, its ``effect`` (``decline``, ``refer`` or ``condition``: fixable by another
structure, offered as a counter-offer) and a plain-language message in English and
Chinese. Messages never say "score too low": they say what the applicant can act on.

>>> hit = fraud_hits(FraudSignals(0, 0, True), max_per_id=3, max_per_mobile=3)[0]
>>> hit.rule, hit.effect
('blacklist', 'decline')
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from autolend.domain.application import ApplicationInput
from autolend.domain.bureau import ReportSummary, red_flags_named
from autolend.domain.bureau_unavailable import unavailable_texts
from autolend.domain.money import Money
from autolend.domain.product_rules import ProductRequest, Violation, check_request, with_subsidy
from autolend.domain.products import Product
from autolend.domain.quote import QuoteRequest, affordable_price

__all__ = [
    "CONDITION", "DECLINE", "FIXABLE", "REFER", "CounterOffer", "FraudSignals", "ModelScore",
    "ReasonText", "RuleHit", "bureau_hits", "bureau_unavailable_hit", "counter_offers",
    "deal_request", "fraud_hits", "grouped", "max_financed", "no_credit_file_hit",
    "product_request", "risk_based_rate", "score_hits", "violation_hit", "with_dsr_limit",
    "zh_amount",
]  # fmt: skip

DECLINE, REFER, CONDITION = "decline", "refer", "condition"
FIXABLE = frozenset({"down_payment_too_low", "ltv_above_cap", "dsr_above_cap",
                     "term_not_offered", "term_above_cap"})  # fmt: skip
"""Product rules another structure of the same deal can satisfy (a counter-offer)."""


@dataclass(frozen=True)
class ReasonText:
    """One principal reason in plain language, in both languages."""

    code: str
    text_en: str
    text_zh: str


@dataclass(frozen=True)
class ModelScore:
    """What the credit model said (the service converts the risk package's result)."""

    pd: Decimal
    score: int
    grade: str
    model_version: str
    reason_method: str
    reasons: tuple[ReasonText, ...] = ()


@dataclass(frozen=True)
class FraudSignals:
    """Velocity over 30 days (other applications with the same ID / mobile), the
    internal blacklist, and another application whose loan the car already secures."""

    applications_same_id_30d: int
    applications_same_mobile_30d: int
    blacklisted: bool
    vin_financed_by: int | None = None


@dataclass(frozen=True)
class RuleHit:
    rule: str
    field: str
    effect: str
    message_en: str
    message_zh: str

    def reason(self) -> ReasonText:
        return ReasonText(self.rule, self.message_en, self.message_zh)


@dataclass(frozen=True)
class CounterOffer:
    """Another structure the lender would accept: ``kind`` is guarantor,
    larger_down_payment, shorter_term or lower_amount; unchanged fields are None."""

    kind: str
    down_payment: Money | None
    term_months: int | None
    amount: Money | None
    text_en: str
    text_zh: str


_PRODUCT_TEXT: dict[str, tuple[str, str]] = {
    "not_in_force": ("The product is not available on this date", "该产品在申请日不可用"),
    "condition_not_allowed": ("The product does not finance this kind of car (new / used)",
                              "该产品不支持此类车辆（新车/二手车）"),
    "energy_not_allowed": ("The product does not finance this kind of engine (NEV / ICE)",
                           "该产品不支持此类动力（新能源/燃油）"),
    "term_not_offered": ("The term asked for is not offered", "所申请的期限不在产品范围内"),
    "term_above_cap": ("The term is longer than the rules allow", "贷款期限超过监管上限"),
    "down_payment_too_low": ("The down payment is below the minimum", "首付低于最低比例"),
    "amount_above_price": ("The amount and down payment exceed the price",
                           "贷款金额加首付超过车价"),
    "amount_out_of_range": ("The amount is outside the product's range",
                            "贷款金额不在产品范围内"),
    "ltv_above_cap": ("The loan is too large for the value of the car",
                      "贷款金额相对车辆价值过高"),
    "age_at_application": ("The applicant's age is outside the product's range",
                           "申请人年龄不符合产品要求"),
    "age_at_maturity": ("The applicant would be above the age limit at the end of the loan",
                        "贷款到期时申请人年龄超过上限"),
    "employment_not_allowed": ("The product does not serve this kind of employment",
                               "该产品不支持此类就业类型"),
    "first_time_buyer_only": ("The product is for first-time car buyers only",
                              "该产品仅限首次购车"),
    "income_required": ("A monthly income is needed to assess the loan",
                        "需提供月收入以评估贷款"),
    "dsr_above_cap": ("The monthly payments would be too high for the household income",
                      "月还款额相对家庭收入过高"),
    "rate_out_of_range": ("The rate is outside the product's range", "利率不在产品范围内"),
}  # fmt: skip


def violation_hit(violation: Violation) -> RuleHit:
    """A product rule broken: a condition when another structure can fix it, else decline.
    The minimum amount is no condition (a larger loan is no remedy)."""
    en, zh = _PRODUCT_TEXT.get(violation.rule, (violation.rule, violation.rule))
    effect = CONDITION if violation.rule in FIXABLE else DECLINE
    detail_zh = f"{zh}（{violation.message_zh}）" if violation.message_zh else zh
    return RuleHit(violation.rule, violation.field, effect, f"{en} ({violation.message})",
                   detail_zh)  # fmt: skip


def fraud_hits(fraud: FraudSignals, *, max_per_id: int, max_per_mobile: int) -> list[RuleHit]:
    """The blacklist and 30-day velocity: each a decline."""
    hits = []
    if fraud.blacklisted:
        hits.append(RuleHit("blacklist", "applicants[0].id_number", DECLINE,
                            "The applicant is on the lender's exclusion list",
                            "申请人在本机构的禁入名单中"))  # fmt: skip
    if fraud.applications_same_id_30d > max_per_id:
        hits.append(RuleHit("velocity_id", "applicants[0].id_number", DECLINE,
                            "Too many applications with this ID in the last 30 days",
                            "近30天内使用该身份证的申请过多"))  # fmt: skip
    if fraud.applications_same_mobile_30d > max_per_mobile:
        hits.append(RuleHit("velocity_mobile", "applicants[0].mobile", DECLINE,
                            "Too many applications with this mobile number in the last 30 days",
                            "近30天内使用该手机号的申请过多"))  # fmt: skip
    return hits


def bureau_unavailable_hit(error: str | None) -> RuleHit:
    """No report for ``error`` (no consent, the bureau failed): refer, said in both."""
    return RuleHit("bureau_unavailable", "bureau", REFER, *unavailable_texts(error))


def no_credit_file_hit() -> RuleHit:
    """The bureau answered that it holds no record of the applicant: a file with no
    history at all, the thinnest file there is (Reg B's sample reason "no credit file").
    Many young first-time buyers have none; the policy's ``thin_file`` option decides
    whether a person looks at it (``refer``) or the model's score alone decides
    (``score``)."""
    return RuleHit("no_credit_file", "bureau", REFER,
                   "The credit bureau holds no record of the applicant (no credit history); "
                   "a person will review",
                   "征信中心暂无申请人的信用记录（无信贷历史），将转人工审核")  # fmt: skip


def _bureau_hit(rule: str, effect: str, en: str, zh: str) -> RuleHit:
    return RuleHit(rule, "bureau", effect, en, zh)


def bureau_hits(
    bureau: ReportSummary, *, decline_worst: int, refer_late_months: int, refer_inquiries: int,
    thin_file: str,
) -> list[RuleHit]:  # fmt: skip
    """Red flags on the report: severe delinquency or loss (decline), late payments in
    the last 24 months (refer, when nothing declines) and many recent inquiries (refer),
    a thin file (refer unless the policy scores it)."""
    hits, worst, late = [], bureau.worst_months_overdue, bureau.months_overdue_any
    if 0 < decline_worst <= worst:
        hits.append(_bureau_hit("bureau_delinquency", DECLINE,
            f"The credit report shows a payment {worst} months late in the last 24 months",
            f"征信报告显示近24个月内有逾期{worst}期的记录"))  # fmt: skip
    if bureau.red_flags:
        en, zh = red_flags_named(bureau.red_flags)
        hits.append(_bureau_hit("bureau_red_flag", DECLINE,
            f"The credit report shows a loan lost or repaid by others ({en})",
            f"征信报告显示有呆账、代偿或以资抵债记录（{zh}）"))  # fmt: skip
    if 0 < refer_late_months <= late and not hits:
        hits.append(_bureau_hit("bureau_late_payments", REFER,
            f"The credit report shows late payments in {late} of the last 24 months",
            f"征信报告显示近24个月有{late}个月逾期"))  # fmt: skip
    if 0 < refer_inquiries <= bureau.inquiries_6m:
        hits.append(_bureau_hit("bureau_inquiries", REFER,
            f"{bureau.inquiries_6m} credit applications in the last 6 months",
            f"近6个月有{bureau.inquiries_6m}次贷款审批查询"))  # fmt: skip
    if bureau.thin_file and thin_file == REFER:
        hits.append(_bureau_hit("thin_file", REFER,
            "The credit report has little history; a person will review",
            "征信记录较少，将转人工审核"))  # fmt: skip
    return hits


def score_hits(score: ModelScore | None, *, approve_max: Decimal, decline_min: Decimal
               ) -> list[RuleHit]:  # fmt: skip
    """The model's cut-offs: no score -> refer; PD >= decline_min -> decline; above
    approve_max -> refer."""
    if score is None:
        return [RuleHit("score_unavailable", "score", REFER,
                        "The credit assessment could not be completed; a person will review",
                        "信用评估未能完成，将转人工审核")]  # fmt: skip
    if score.pd >= decline_min:
        return [RuleHit("credit_risk_decline", "score", DECLINE,
                        "The credit assessment, for the reasons listed, does not support "
                        "this loan", "根据所列原因，信用评估不支持本笔贷款")]  # fmt: skip
    if score.pd > approve_max:
        return [RuleHit("credit_risk_refer", "score", REFER,
                        "The credit assessment needs a person's review for the reasons "
                        "listed", "根据所列原因，信用评估需人工审核")]  # fmt: skip
    return []


# --- structure: pricing, affordability, counter-offers -------------------------------

_RATE_PLACES = Decimal("0.0001")
_HUNDRED_YUAN = 10_000  # minor units: counter-offers move in whole hundreds of yuan


def with_dsr_limit(product: Product, limit: Decimal) -> Product:
    """``product`` with its DSR limit lowered to ``limit`` (a policy's tighter one)."""
    if limit >= product.eligibility.max_dsr:
        return product
    return replace(product, eligibility=replace(product.eligibility, max_dsr=limit))


def risk_based_rate(product: Product, position: Decimal) -> Decimal:
    """The rate at ``position`` (0..1) of the product's range, rounded half-up to
    0.01 %: position 0.5 of 3.99 %..8.99 % is 6.49 %.

    >>> from autolend.domain.product_catalogue import STANDARD_NEW
    >>> risk_based_rate(STANDARD_NEW, Decimal("0.5"))
    Decimal('0.0649')
    """
    exact = product.rate_min + position * (product.rate_max - product.rate_min)
    rate = exact.quantize(_RATE_PLACES, rounding=ROUND_HALF_UP)
    return min(max(rate, product.rate_min), product.rate_max)


def deal_request(
    product: Product, *, price: Money, down_payment: Money, term_months: int, rate: Decimal,
    start: date,
) -> QuoteRequest:  # fmt: skip
    """The quote request of a deal under ``product``: its fees, method and subsidy."""
    return with_subsidy(product, QuoteRequest(  # the subsidy scales with the principal
        vehicle_price=price, annual_rate=rate, term_months=term_months, start=start,
        down_payment=down_payment, fees=product.fees, method=product.method,
        balloon_ratio_of_price=product.balloon_ratio, step_weights=product.step_weights,
        pack=product.pack,
    ))  # fmt: skip


def max_financed(request: QuoteRequest, income: Money, obligations: Money, limit: Decimal
                 ) -> Money:  # fmt: skip
    """The largest amount financed whose monthly payment + ``obligations`` is at most
    ``limit`` x ``income`` at the request's rate and term (0 when none is). The payment
    is found as for a car bought with no down payment (a balloon then falls on that
    amount: a prudent, lower maximum)."""
    cur, room = income.currency, limit * income.minor - obligations.minor
    if income.minor <= 0 or room <= 0:
        return Money.zero(cur)
    share = room / Decimal(income.minor)
    template = replace(request, down_payment=Money.zero(cur))
    return affordable_price(template, income, min(share, Decimal(1)))


def product_request(
    application: ApplicationInput, obligations: Money, *, down_payment: Money,
    term_months: int, amount: Money | None, rate: Decimal | None,
) -> ProductRequest:  # fmt: skip
    """What :func:`check_request` checks for one structure of the application."""
    borrower, vehicle = application.borrower, application.vehicle
    return ProductRequest(
        vehicle_price=vehicle.price, down_payment=down_payment, term_months=term_months,
        condition=vehicle.condition, energy=vehicle.energy, birth_date=borrower.birth_date,
        employment=borrower.employment, monthly_income=application.household_income,
        monthly_obligations=obligations, first_time_buyer=borrower.first_time_buyer,
        amount=amount, reference_price=vehicle.reference_price, annual_rate=rate,
    )  # fmt: skip


def _round_up(minor: int) -> int:
    return -(-minor // _HUNDRED_YUAN) * _HUNDRED_YUAN


def _larger_down_payment(product: Product, base: ProductRequest, as_of: date,
                         term: int | None = None) -> CounterOffer | None:  # fmt: skip
    """The smallest down payment, in steps of 1 % of the price (whole hundreds of yuan),
    that passes every rule. A larger down payment only ever eases the down-payment, LTV
    and DSR rules, so the steps are bisected: about 7 checks instead of up to 100. With
    ``term`` the search runs over that term (a term rule is broken too)."""
    base = base if term is None else replace(base, term_months=term)
    price = base.vehicle_price
    step = max(_round_up(price.minor // 100), _HUNDRED_YUAN)
    first = _round_up(max(base.down_payment.minor, price.minor - base.financed.minor,
                          int(product.min_down_payment_ratio * price.minor)))  # fmt: skip
    steps = (price.minor - product.min_amount.minor - first) // step  # the last one allowed

    def passes(k: int) -> bool:
        down = Money(first + k * step, price.currency)
        return not check_request(product, replace(base, down_payment=down, amount=None), as_of)

    if steps < 0 or not passes(steps):
        return None
    low, high = -1, steps  # passes(high); low = "not yet known to pass"
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if passes(middle) else (middle, high)
    money = Money(first + high * step, price.currency)
    over_en, over_zh = (f" over {term} months", f"、期限{term}个月") if term else ("", "")
    return CounterOffer("larger_down_payment", money, term, None,
                        f"A down payment of {grouped(money)}{over_en} would qualify",
                        f"首付提高至{zh_amount(money)}{over_zh}即可获批")  # fmt: skip


_ZH_UNITS = {"CNY": "元", "USD": "美元"}


def grouped(money: Money) -> str:
    """An amount as a decision's texts state it, in both languages: its digits grouped in
    threes, 171000.00 -> "171,000.00" (-0.05 stays "-0.05"; 1234567 JPY "1,234,567")."""
    whole, point, fraction = money.to_api().partition(".")
    sign, digits = ("-", whole[1:]) if whole.startswith("-") else ("", whole)
    return f"{sign}{int(digits):,}{point}{fraction}"


def zh_amount(money: Money) -> str:
    """An amount in the Chinese texts, in its own currency: "171,000.00元", "5,000.00美元"."""
    code = money.currency.code
    return f"{grouped(money)}{_ZH_UNITS.get(code, ' ' + code)}"


def _shorter_term(product: Product, base: ProductRequest, as_of: date
                  ) -> tuple[CounterOffer | None, int | None]:  # fmt: skip
    """The longest shorter term that fixes everything (a counter-offer), and the longest
    that breaks no term rule (for the down-payment search)."""
    allowed = None
    for term in sorted((t for t in product.terms if t < base.term_months), reverse=True):
        broken = check_request(product, replace(base, term_months=term), as_of)
        if not broken:
            return CounterOffer("shorter_term", None, term, None,
                                f"A term of {term} months would qualify",
                                f"期限调整为{term}个月即可获批"), None  # fmt: skip
        if allowed is None and not any(v.field == "term_months" for v in broken):
            allowed = term
    return None, allowed


def _lower_amount(product: Product, base: ProductRequest, as_of: date, most: Money
                  ) -> CounterOffer | None:  # fmt: skip
    amount = Money(most.minor // _HUNDRED_YUAN * _HUNDRED_YUAN, most.currency)
    if amount < product.min_amount or amount >= base.financed:
        return None
    if check_request(product, replace(base, amount=amount), as_of):
        return None
    return CounterOffer("lower_amount", None, None, amount,
                        f"A loan of {grouped(amount)} would qualify",
                        f"贷款金额调整为{zh_amount(amount)}即可获批")  # fmt: skip


def counter_offers(
    product: Product, base: ProductRequest, as_of: date, *, rules: set[str],
    affordable: Money | None, has_guarantor: bool,
) -> tuple[CounterOffer, ...]:  # fmt: skip
    """Structures that fix the broken ``rules`` (each re-checked with check_request):
    a larger down payment (over the longest allowed term when the term is broken too),
    a shorter term for a term rule, a lower amount for the DSR,
    and a guarantor when the DSR alone is broken, the household could afford at least
    half the amount, and no guarantor stands behind it yet."""
    found = []
    term = None
    if rules & {"term_not_offered", "term_above_cap"}:
        shorter, term = _shorter_term(product, base, as_of)
        found.append(shorter)
    found.append(_larger_down_payment(product, base, as_of, term))
    if "dsr_above_cap" in rules and affordable is not None:
        found.append(_lower_amount(product, base, as_of, affordable))
    near = affordable is not None and 2 * affordable.minor >= base.financed.minor
    if rules == {"dsr_above_cap"} and near and not has_guarantor:
        found.append(CounterOffer("guarantor", None, None, None,
                                  "Adding a guarantor would let a person reconsider the loan",
                                  "增加担保人后可重新审核"))  # fmt: skip
    return tuple(offer for offer in found if offer is not None)
