"""Does an applicant's request fit a product? Every broken rule, each naming its field.

:func:`check_request` is what origination calls before pricing: it returns the list of
:class:`Violation` (empty when the request fits), never raises for a rule broken, so a
decision can show every reason at once. Rules, in order:

* the product is in force on ``as_of`` (field ``product``);
* vehicle condition and energy allowed (``condition``, ``energy``);
* term offered by the product and within the pack's cap for the condition
  (``term_months``: CN new 60, used 36 months);
* down payment at least the product's minimum ratio (``down_payment``);
* amount within the product's range, and loan-to-value (amount financed incl. financed
  fees / the lower of price and published or appraised price) at most the product's cap
  for the condition and the pack's (``amount``);
* age at application and at maturity (``birth_date``), employment (``employment``),
  first-time buyers only (``first_time_buyer``);
* debt-service ratio: existing monthly obligations + this loan's first installment and
  monthly fees at the rate (``annual_rate``, else ``rate_max``) / monthly income at most
  ``max_dsr`` (``monthly_income``);
* the rate offered within the product's range (``annual_rate``).

>>> from autolend.domain.product_catalogue import USED_CAR
>>> request = ProductRequest(vehicle_price=Money.parse("100000", "CNY"),
...     down_payment=Money.parse("20000", "CNY"), term_months=48, condition="used",
...     energy="ice", birth_date=date(1990, 1, 1), employment="salaried",
...     monthly_income=Money.parse("20000", "CNY"))
>>> [(v.field, v.rule) for v in check_request(USED_CAR, request, date(2026, 11, 28))]
[('term_months', 'term_not_offered'), ('term_months', 'term_above_cap'),
 ('down_payment', 'down_payment_too_low'), ('amount', 'ltv_above_cap')]
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from autolend.domain.calendar import add_months
from autolend.domain.money import Money
from autolend.domain.product_caps import ltv_cap
from autolend.domain.products import Employment, Energy, Product, VehicleCondition
from autolend.domain.quote import QuoteRequest, first_payment
from autolend.domain.regulation import pack_for
from autolend.domain.schedule import Schedule, Subsidy
from autolend.domain.schedule.validation import coerce_enum

__all__ = [
    "ProductRequest", "Violation", "age_on", "check_request", "loan_subsidy", "subsidy_total",
    "with_subsidy",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule: a stable ``rule`` code, the request ``field`` and a message of
    its details (``"offered: 12, 24, 36"``), in Chinese too (``"可选期限：12、24、36 个月"``)."""

    rule: str
    field: str
    message: str
    message_zh: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ProductRequest:
    """What the applicant asks for. ``amount`` defaults to price - down payment;
    ``reference_price`` is the published (new) or appraised (used) price;
    ``customer_rate``: the rate the borrower pays where an offer's subsidy is not the
    product's (:mod:`autolend.domain.offers_subsidy`), which the DSR then counts."""

    vehicle_price: Money
    down_payment: Money
    term_months: int
    condition: VehicleCondition
    energy: Energy
    birth_date: date
    employment: Employment
    monthly_income: Money | None = None
    monthly_obligations: Money | None = None
    first_time_buyer: bool = False
    amount: Money | None = None
    reference_price: Money | None = None
    annual_rate: Decimal | None = None
    customer_rate: Decimal | None = None

    def __post_init__(self) -> None:
        for name, kind in (("condition", VehicleCondition), ("energy", Energy),
                           ("employment", Employment)):  # fmt: skip
            object.__setattr__(self, name, coerce_enum(getattr(self, name), kind, name))

    @property
    def financed(self) -> Money:
        """The amount of the car financed."""
        return self.amount if self.amount is not None else self.vehicle_price - self.down_payment

    @property
    def price_base(self) -> Money:
        """The LTV base: the lower of the price and the published / appraised price."""
        ref = self.reference_price
        return self.vehicle_price if ref is None else min(self.vehicle_price, ref)


_WORDS_ZH: dict[str, str] = {
    "new": "新车", "used": "二手车", "nev": "新能源车", "ice": "燃油车",
    "salaried": "受薪", "self_employed": "自雇", "farmer": "农户", "retired": "退休",
}  # fmt: skip
"""A condition, an energy or an employment in the words a Chinese reason gives it."""


def age_on(birth: date, day: date) -> int:
    """Whole years of age on ``day``: born 1990-06-15, on 2026-06-14 -> 35, 06-15 -> 36."""
    before = (day.month, day.day) < (birth.month, birth.day)
    return day.year - birth.year - (1 if before else 0)


def _vehicle(product: Product, r: ProductRequest, as_of: date) -> list[Violation]:
    out = []
    if not product.in_force(as_of):
        out.append(Violation("not_in_force", "product", f"not in force on {as_of}",
                             f"{as_of} 不在有效期内"))  # fmt: skip
    rules = product.eligibility
    if r.condition not in rules.conditions:
        out.append(Violation("condition_not_allowed", "condition", f"{r.condition} cars",
                             _WORDS_ZH[r.condition]))  # fmt: skip
    if r.energy not in rules.energies:
        out.append(Violation("energy_not_allowed", "energy", f"{r.energy} cars",
                             _WORDS_ZH[r.energy]))  # fmt: skip
    return out


def _term(product: Product, r: ProductRequest, as_of: date) -> list[Violation]:
    out = []
    if r.term_months not in product.terms:
        offered = ", ".join(str(t) for t in product.terms)
        listed = "、".join(str(t) for t in product.terms)
        out.append(Violation("term_not_offered", "term_months", f"offered: {offered}",
                             f"可选期限：{listed} 个月"))  # fmt: skip
    limits = pack_for(product.pack).term_limits_on(as_of)
    used = r.condition is VehicleCondition.USED
    cap = limits.used_car_months if used else limits.new_car_months
    if r.term_months > cap:
        out.append(Violation("term_above_cap", "term_months", f"at most {cap} months",
                             f"最长 {cap} 个月"))  # fmt: skip
    return out


def _financed_total(product: Product, r: ProductRequest, rate: Decimal) -> Money:
    request = product.sample_request(r.financed, r.term_months, rate)
    return r.financed + request.fee_split().financed


def _amounts(product: Product, r: ProductRequest, as_of: date) -> list[Violation]:
    out = []
    # What the buyer pays themselves: the price less the loan asked for, when it names one
    # (200,000 asked as 10,000 down and 100,000 financed is 100,000 of their own).
    own = max(r.down_payment.minor, r.vehicle_price.minor - r.financed.minor)
    if own < product.min_down_payment_ratio * r.vehicle_price.minor:
        ratio = product.min_down_payment_ratio
        out.append(Violation("down_payment_too_low", "down_payment", f"at least {ratio:.0%}",
                             f"至少 {ratio:.0%}"))  # fmt: skip
    if r.financed.minor + r.down_payment.minor > r.vehicle_price.minor:
        out.append(Violation("amount_above_price", "amount", "amount + down payment > price",
                             "贷款金额 + 首付 > 车价"))  # fmt: skip
    if not product.min_amount <= r.financed <= product.max_amount:
        low, high = product.min_amount.to_api(), product.max_amount.to_api()
        out.append(Violation("amount_out_of_range", "amount", f"from {low} to {high}",
                             f"{low} 至 {high}"))  # fmt: skip
    used = r.condition is VehicleCondition.USED
    cap = min(product.max_ltv_used if used else product.max_ltv_new,
              ltv_cap(product.pack, r.condition, r.energy, as_of))  # fmt: skip
    loan = _financed_total(product, r, r.annual_rate or product.rate_max)
    if loan.minor > cap * r.price_base.minor:
        # Say why at the product's minimum down payment: its financed fees count too.
        ltv = Decimal(loan.minor) / r.price_base.minor
        detail = f"loan-to-value at most {cap:.0%}; with its financed fees the loan is {ltv:.2%}"
        zh = f"贷款价值比最高 {cap:.0%}；计入融资费用后为 {ltv:.2%}"
        out.append(Violation("ltv_above_cap", "amount", detail, zh))
    return out


def _applicant(product: Product, r: ProductRequest, as_of: date) -> list[Violation]:
    rules, out = product.eligibility, []
    age = age_on(r.birth_date, as_of)
    high, limit = rules.max_age, rules.max_age_at_maturity  # None: no upper limit (US)
    if age < rules.min_age or (high is not None and age > high):
        span = f"{rules.min_age}-{high}" if high is not None else f"{rules.min_age} or over"
        span_zh = f"{rules.min_age}-{high} 岁" if high is not None else f"{rules.min_age} 岁及以上"
        out.append(Violation("age_at_application", "birth_date", f"age {age}, allowed {span}",
                             f"年龄 {age} 岁，允许 {span_zh}"))  # fmt: skip
    at_end = age_on(r.birth_date, add_months(as_of, r.term_months))
    if limit is not None and at_end > limit:
        out.append(Violation("age_at_maturity", "birth_date", f"{at_end} at maturity > {limit}",
                             f"到期时 {at_end} 岁，超过 {limit} 岁"))  # fmt: skip
    if r.employment not in rules.employment:
        out.append(Violation("employment_not_allowed", "employment", f"{r.employment}",
                             _WORDS_ZH[r.employment]))  # fmt: skip
    if rules.first_time_buyer_only and not r.first_time_buyer:
        out.append(Violation("first_time_buyer_only", "first_time_buyer", "first car only",
                             "仅限首次购车"))  # fmt: skip
    return out


def _dsr(product: Product, r: ProductRequest) -> list[Violation]:
    limit = product.eligibility.max_dsr
    if r.monthly_income is None or r.monthly_income.minor <= 0:
        return [Violation("income_required", "monthly_income", "a positive monthly income",
                          "月收入须大于 0")]  # fmt: skip
    rate = r.annual_rate if r.annual_rate is not None else product.rate_max
    sample = product.sample_request(r.financed, r.term_months, rate)
    if r.customer_rate is not None:
        sample = replace(sample, annual_rate=r.customer_rate)
    elif product.subsidy is not None:
        rate = product.subsidy.customer_rate_for(rate, sample.loan_terms().principal)
        sample = replace(sample, annual_rate=rate)
    first = first_payment(sample).minor
    owed = first + (r.monthly_obligations.minor if r.monthly_obligations else 0)
    if owed > limit * r.monthly_income.minor:
        share = Decimal(owed) / Decimal(r.monthly_income.minor)
        name = pack_for(product.pack).debt_ratio_name  # CN "DSR", US "DTI"
        return [Violation("dsr_above_cap", "monthly_income", f"{name} {share:.0%} > {limit:.0%}",
                          f"债务收入比 {share:.0%}，超过上限 {limit:.0%}")]  # fmt: skip
    return []


def _rate(product: Product, r: ProductRequest) -> list[Violation]:
    rate = r.annual_rate
    if rate is None or product.rate_min <= rate <= product.rate_max:
        return []
    span = f"{product.rate_min} to {product.rate_max}"
    zh = f"{product.rate_min} 至 {product.rate_max}"
    return [Violation("rate_out_of_range", "annual_rate", f"from {span}", zh)]


def check_request(product: Product, request: ProductRequest, as_of: date) -> list[Violation]:
    """Every rule of ``product`` (and its pack, on ``as_of``) the request breaks."""
    out = _vehicle(product, request, as_of)
    out += _term(product, request, as_of)
    out += _amounts(product, request, as_of)
    out += _applicant(product, request, as_of)
    if request.term_months >= 1 and request.financed.minor > 0:
        out += _dsr(product, request)
    return out + _rate(product, request)


def loan_subsidy(product: Product, contract_rate: Decimal, principal: Money) -> Subsidy | None:
    """The schedule's :class:`Subsidy` at ``contract_rate`` on a loan of ``principal``
    (None without a subsidy): the borrower's rate and who pays the rest. 0 % promotion at
    4.5 %: customer rate 0, oem. Under a ``principal_cap`` the rate depends on the
    principal (:meth:`ProductSubsidy.customer_rate_for`); :func:`with_subsidy` for a deal.

    >>> from autolend.domain.product_catalogue import NEV_GREEN_2025, OEM_ZERO, STANDARD_NEW
    >>> loan = Money.parse("200000", "CNY")
    >>> loan_subsidy(OEM_ZERO, Decimal("0.045"), loan)
    Subsidy(customer_rate=Decimal('0'), subsidiser='oem')
    >>> loan_subsidy(NEV_GREEN_2025, Decimal("0.0499"), loan)
    Subsidy(customer_rate=Decimal('0.0474'), subsidiser='state')
    >>> loan_subsidy(STANDARD_NEW, Decimal("0.045"), loan) is None
    True
    """
    s = product.subsidy
    if s is None:
        return None
    return Subsidy(s.customer_rate_for(contract_rate, principal), s.subsidiser)


def with_subsidy(
    product: Product, request: QuoteRequest, rate: Decimal | None = None
) -> QuoteRequest:
    """``request`` at ``rate`` (default its own) with the product's subsidy for the
    request's principal (vehicle financed + financed fees), which a ``principal_cap``
    scales: under NEV_GREEN_2025, 200,000.00 at 4.99 % is subsidised at 4.74 %."""
    contract_rate = request.annual_rate if rate is None else rate
    subsidy = loan_subsidy(product, contract_rate, request.loan_terms().principal)
    return replace(request, annual_rate=contract_rate, subsidy=subsidy)


def subsidy_total(product: Product, schedule: Schedule, already_granted: int = 0) -> Money | None:
    """What the subsidiser pays over the loan (the schedule's subsidy interest), at most
    what the product's per-borrower ``cap`` leaves after the ``already_granted`` minor
    units the borrower has under the plan at this lender (:meth:`ProductSubsidy.room`);
    the amount settled at disbursement. Cap 3,000.00, a loan's subsidy 1,450.00: the
    borrower's first loan gets 1,450.00; one with 2,000.00 granted before, 1,000.00; one
    with 3,000.00 or more, 0."""
    if product.subsidy is None:
        return None
    total = schedule.total_subsidy
    room = product.subsidy.room(already_granted)
    return total if room is None or room >= total.minor else Money(room, total.currency)
