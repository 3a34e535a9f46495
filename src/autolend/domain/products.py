"""Car-loan products: one immutable, effective-dated version of a product's rules.

A :class:`Product` holds what origination may offer under it: the contract-rate range,
the terms (months), the repayment method (balloon share, seasonal weights), the minimum
down payment and the LTV caps, who is eligible, the fees, the servicing terms (waterfall,
penalty uplift, prepayment fee), credit insurance and any interest subsidy. It is
validated on construction against the regulation pack in force on ``effective_from``;
every refusal is :class:`~autolend.domain.errors.InvalidInput` naming the field:

* ``rate_min`` above ``rate_max``; ``rate_max`` whose APR (fees included, shortest term,
  smallest amount) breaks the pack's comprehensive cost ceiling (CN 24 %);
* a term above the pack's cap (CN: new 60, used 36 months; 汽车贷款管理办法 2017);
* ``max_ltv_new`` / ``max_ltv_used`` above the pack's cap (:mod:`.product_caps`);
* ``penalty_uplift`` outside the pack's range (CN 30 %..50 %; left out, the pack's
  default: CN 50 %, US 0);
* a ``late_fee`` not in the product's currency, not positive, or charged outside 1..90
  days after the due date.

>>> from autolend.domain.product_catalogue import STANDARD_NEW
>>> STANDARD_NEW.code, STANDARD_NEW.terms, STANDARD_NEW.rate_max
('STD_NEW', (12, 24, 36, 48, 60), Decimal('0.0899'))
>>> from dataclasses import replace
>>> replace(STANDARD_NEW, rate_min=Decimal("0.10"))
Traceback (most recent call last):
...
autolend.domain.errors.InvalidInput: rate_min 0.10 must not exceed rate_max 0.0899
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction
from typing import cast

from autolend.domain.eligibility import (
    Eligibility,
    Employment,
    Energy,
    VehicleCondition,
)
from autolend.domain.errors import InvalidInput
from autolend.domain.fees import Fee, FeeKind, FeeTiming
from autolend.domain.money import Money
from autolend.domain.payoff import PrepaymentFeeRule
from autolend.domain.product_caps import ltv_cap
from autolend.domain.product_checks import check_cost_ceiling, product_pack
from autolend.domain.quote import QuoteRequest
from autolend.domain.regulation import pack_for
from autolend.domain.schedule import Method
from autolend.domain.schedule.validation import check_rate, coerce_enum, coerce_weights
from autolend.domain.servicing import LateFeeRule, waterfall_policy

__all__ = [
    "Eligibility", "Employment", "Energy", "LateFee", "Product", "ProductSubsidy",
    "VehicleCondition",
]  # fmt: skip

CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,31}$")
"""2-32 characters: a loan and an application name their product in 32."""
SUBSIDISERS = ("oem", "dealer", "state")
SETTLEMENTS = ("deducted", "receivable")
_RATE_PLACES = Decimal("1E-10")  # a rate's precision (check_rate)
BOOKABLE_MONTHLY = (FeeKind.GPS, FeeKind.CREDIT_INSURANCE)
"""Monthly fees a booked loan can bill with each installment (servicing: gps, insurance)."""


def _fail(name: str, problem: str) -> InvalidInput:
    return InvalidInput(f"{name} {problem}", field=name)


@dataclass(frozen=True, slots=True, kw_only=True)
class ProductSubsidy:
    """An interest subsidy (贴息) paid to the lender by ``subsidiser`` (oem, dealer,
    state). Either the borrower pays a fixed ``customer_rate`` (0 for a 0 % promotion),
    or ``rate_points`` come off the contract rate, at most ``max_share`` of it.
    ``principal_cap``: the subsidy runs on at most that much of the loan, pro rata: each
    period's subsidised base is the outstanding principal x ``principal_cap / principal``
    (all of it when the loan is no larger), so the rate cut is scaled by that share.
    ``cap``: the most the subsidiser pays one borrower at this lender under the plan, over
    all their loans (:meth:`room`). ``settlement``: the maker's subsidy is ``deducted``
    from the dealer's payment at disbursement or is a ``receivable``.

    The 2025 consumer-loan plan: 1 point, at most half the rate, on at most 50,000.00,
    3,000.00 a borrower. 200,000.00 at 4.99 %: the base is 50,000.00 of it (a quarter),
    so the borrower pays 4.99 % - 1 % x 1/4 = 4.74 % and the state 0.25 % of the
    balance, i.e. 1 % of the base (the first month 200,000.00 x 0.25 % / 12 = 41.67 =
    50,000.00 x 1 % / 12); a borrower granted 2,000.00 on an earlier loan gets at most
    1,000.00 more.

    >>> plan = ProductSubsidy(subsidiser="state", rate_points=Decimal("0.01"),
    ...     max_share=Decimal("0.5"), principal_cap=Money.parse("50000", "CNY"))
    >>> plan.customer_rate_for(Decimal("0.0499"), Money.parse("200000", "CNY"))
    Decimal('0.0474')
    >>> plan.customer_rate_for(Decimal("0.03"), Money.parse("40000", "CNY"))
    Decimal('0.02')
    """

    subsidiser: str
    customer_rate: Decimal | None = None
    rate_points: Decimal | None = None
    max_share: Decimal = Decimal("1")
    cap: Money | None = None
    settlement: str = "deducted"
    principal_cap: Money | None = None

    def __post_init__(self) -> None:
        if self.subsidiser not in SUBSIDISERS:
            raise _fail("subsidy.subsidiser", f"must be one of {', '.join(SUBSIDISERS)}")
        if (self.customer_rate is None) == (self.rate_points is None):
            raise _fail("subsidy.customer_rate", "or subsidy.rate_points: give exactly one")
        for name in ("customer_rate", "rate_points", "max_share"):
            value = getattr(self, name)
            if value is not None:
                check_rate(value, f"subsidy.{name}")
        for name in ("cap", "principal_cap"):
            money = getattr(self, name)
            if money is not None and (not isinstance(money, Money) or money.minor <= 0):
                raise _fail(f"subsidy.{name}", "must be positive money")
        if self.settlement not in SETTLEMENTS:
            raise _fail("subsidy.settlement", f"must be one of {', '.join(SETTLEMENTS)}")

    def customer_rate_for(self, contract_rate: Decimal, principal: Money | None = None) -> Decimal:
        """The rate the borrower pays at ``contract_rate`` on a loan of ``principal``
        (without it, or without a ``principal_cap``, the whole loan is subsidised). The
        cut scaled by the :meth:`subsidised_share` is rounded down to 10 places (the
        rates' precision), so the subsidised base never exceeds the cap."""
        if self.customer_rate is not None:
            rate = min(self.customer_rate, contract_rate)
        else:
            assert self.rate_points is not None  # validated: exactly one is given
            rate = contract_rate - min(self.rate_points, contract_rate * self.max_share)
        share = self.subsidised_share(principal)
        if share >= 1:
            return rate
        cut = ((contract_rate - rate) * share).quantize(_RATE_PLACES, rounding=ROUND_DOWN)
        return contract_rate - cut.normalize()

    def subsidised_share(self, principal: Money | None) -> Decimal:
        """The share of the loan the subsidy runs on: ``principal_cap / principal``, at
        most 1 (50,000.00 of 200,000.00: 0.25; of 40,000.00: 1)."""
        cap = self.principal_cap
        if cap is None or principal is None or principal.minor <= cap.minor:
            return Decimal(1)
        return Decimal(cap.minor) / Decimal(principal.minor)

    def room(self, already_granted: int = 0) -> int | None:
        """What the per-borrower ``cap`` leaves for one more loan (minor units) when the
        borrower has been granted ``already_granted`` under the plan at this lender: never
        below 0; None without a cap. Cap 3,000.00, 2,000.00 granted: 1,000.00."""
        if self.cap is None:
            return None
        return max(self.cap.minor - max(already_granted, 0), 0)


@dataclass(frozen=True, slots=True, kw_only=True)
class LateFee:
    """The contract's late fee: ``amount`` charged once on an installment still unpaid
    ``after_days`` days after its due date, under the cost ceiling
    (:mod:`autolend.domain.servicing.late_fee`). E.g. 50.00 after 15 days."""

    amount: Money
    after_days: int = 15

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Money):
            raise _fail("amount", 'must be an amount such as "50.00"')
        self.rule  # noqa: B018 - validates the amount and the days

    @property
    def rule(self) -> LateFeeRule:
        """The servicing rule a loan under this product carries (minor units)."""
        return LateFeeRule(self.amount.minor, self.after_days)


_PACKS_UPLIFT = cast(Decimal, None)
"""``Product.penalty_uplift`` left out: the pack's default on ``effective_from`` (CN +50 %,
US 0), filled in on construction, so a built product always holds a Decimal."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Product:
    """One version of a product; see the module docstring for the rules checked."""

    code: str
    version: int = 1
    name_zh: str
    name_en: str
    effective_from: date
    effective_to: date | None = None
    pack: str = "CN"
    currency: str = "CNY"
    rate_min: Decimal
    rate_max: Decimal
    terms: tuple[int, ...]
    method: Method = Method.EQUAL_INSTALLMENT
    balloon_ratio: Decimal | None = None
    step_weights: tuple[Decimal, ...] | None = None
    min_down_payment_ratio: Decimal
    max_ltv_new: Decimal
    max_ltv_used: Decimal
    min_amount: Money
    max_amount: Money
    eligibility: Eligibility = field(default_factory=Eligibility)
    fees: tuple[Fee, ...] = ()
    waterfall: str = "standard"
    penalty_uplift: Decimal = _PACKS_UPLIFT
    prepayment_fee_rule: PrepaymentFeeRule = PrepaymentFeeRule.NONE
    prepayment_fee_rate: Decimal = Decimal(0)
    credit_insurance_required: bool = False
    subsidy: ProductSubsidy | None = None
    late_fee: LateFee | None = None

    def __post_init__(self) -> None:
        self._check_identity()
        self._check_rates()
        self._check_terms()
        self._check_method()
        self._check_amounts()
        self._check_fees()
        self._check_servicing()
        self._check_cost_ceiling()

    def _check_identity(self) -> None:
        if not isinstance(self.code, str) or not CODE.match(self.code):
            raise _fail("code", "must be 2-32 upper-case letters, digits or '_'")
        if isinstance(self.version, bool) or not isinstance(self.version, int) or self.version < 1:
            raise _fail("version", "must be a whole number >= 1")
        for name in ("name_zh", "name_en"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip() or len(value) > 80:
                raise _fail(name, "must be 1-80 characters")
        if not isinstance(self.effective_from, date):
            raise _fail("effective_from", "must be a date")
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise _fail("effective_to", "must not be before effective_from")
        if product_pack(self.pack).currency != self.currency:
            raise _fail("currency", f"must be the {self.pack} pack's currency")
        if not isinstance(self.eligibility, Eligibility):
            raise _fail("eligibility", "must be an Eligibility")
        self._check_ages()

    def _check_ages(self) -> None:
        """Upper age limits: none where the pack's ``default_upper_ages`` is None (US: one
        set is refused), else the eligibility's own or the pack's (CN 60 / 65)."""
        rules = self.eligibility
        given = {"max_age": rules.max_age, "max_age_at_maturity": rules.max_age_at_maturity}
        defaults = pack_for(self.pack).default_upper_ages
        if defaults is None:
            for name in (n for n, v in given.items() if v is not None):
                problem = f"must not be set under the {self.pack} pack (no upper age limit)"
                raise _fail(f"eligibility.{name}", problem)
            return
        at_application, at_maturity = defaults
        try:
            filled = replace(
                rules, max_age=at_application if rules.max_age is None else rules.max_age,
                max_age_at_maturity=at_maturity if rules.max_age_at_maturity is None
                else rules.max_age_at_maturity,
            )  # fmt: skip
            object.__setattr__(self, "eligibility", filled)
        except InvalidInput as error:
            raise InvalidInput(error.message, field=f"eligibility.{error.field}") from None

    def _check_rates(self) -> None:
        check_rate(self.rate_min, "rate_min")
        check_rate(self.rate_max, "rate_max")
        if self.rate_min > self.rate_max:
            message = f"{self.rate_min} must not exceed rate_max {self.rate_max}"
            raise _fail("rate_min", message)
        ceiling = pack_for(self.pack).cost_ceiling(self.effective_from).ceiling
        if self.rate_max > ceiling:
            raise _fail("rate_max", f"{self.rate_max} is above the cost ceiling {ceiling}")
        if self.subsidy is not None:
            if not isinstance(self.subsidy, ProductSubsidy):
                raise _fail("subsidy", "must be a ProductSubsidy")
            rate = self.subsidy.customer_rate
            if rate is not None and rate > self.rate_min:
                raise _fail("subsidy.customer_rate", "must not exceed rate_min")

    def _check_terms(self) -> None:
        terms = self.terms
        if not isinstance(terms, tuple) or not terms:
            raise _fail("terms", "must list at least one term in months")
        if any(isinstance(t, bool) or not isinstance(t, int) or t < 1 for t in terms):
            raise _fail("terms", "must be whole months >= 1")
        if list(terms) != sorted(set(terms)):
            raise _fail("terms", "must be increasing without repeats")
        limits = pack_for(self.pack).term_limits_on(self.effective_from)
        conditions = self.eligibility.conditions
        cap = limits.new_car_months if VehicleCondition.NEW in conditions else 0
        cap = max(cap, limits.used_car_months if VehicleCondition.USED in conditions else 0)
        if terms[-1] > cap:
            raise _fail("terms", f"{terms[-1]} months is above the pack's cap of {cap}")

    def _check_method(self) -> None:
        method = coerce_enum(self.method, Method, "method")
        object.__setattr__(self, "method", method)
        if (method is Method.BALLOON) != (self.balloon_ratio is not None):
            raise _fail("balloon_ratio", "is required by the balloon method, and only by it")
        if self.balloon_ratio is not None:
            check_rate(self.balloon_ratio, "balloon_ratio")
            if not Decimal(0) < self.balloon_ratio < 1 - self.min_down_payment_ratio:
                raise _fail("balloon_ratio", "must be above 0 and below 1 - min down payment")
        if (method is Method.STEP) != (self.step_weights is not None):
            raise _fail("step_weights", "are required by the step method, and only by it")
        if self.step_weights is not None:
            weights = coerce_weights(self.step_weights)
            if len(weights) != 12 or not any(weights):
                raise _fail("step_weights", "must be 12 monthly weights, not all zero")
            object.__setattr__(self, "step_weights", weights)

    def _check_amounts(self) -> None:
        ratio = check_rate(self.min_down_payment_ratio, "min_down_payment_ratio")
        if ratio >= 1:
            raise _fail("min_down_payment_ratio", "must be below 1")
        for name, condition in (("max_ltv_new", "new"), ("max_ltv_used", "used")):
            value = getattr(self, name)
            if not isinstance(value, Decimal) or not Decimal(0) < value <= 2:
                raise _fail(name, f"must be a fraction above 0, got {value!r}")
            if condition in self.eligibility.conditions:
                for energy in self.eligibility.energies:
                    cap = ltv_cap(self.pack, condition, energy, self.effective_from)
                    if value > cap:
                        raise _fail(name, f"{value} is above the pack's {energy} cap of {cap}")
        for name in ("min_amount", "max_amount"):
            money = getattr(self, name)
            if not isinstance(money, Money) or money.currency.code != self.currency:
                raise _fail(name, f"must be money in {self.currency}")
        if not 0 < self.min_amount.minor <= self.max_amount.minor:
            raise _fail("min_amount", "must be above 0 and not above max_amount")

    def _check_fees(self) -> None:
        fees = tuple(self.fees) if isinstance(self.fees, list | tuple) else None
        if fees is None or not all(isinstance(f, Fee) for f in fees):
            raise _fail("fees", "must be a list of fees")
        for fee in fees:
            if fee.amount is not None and fee.amount.currency.code != self.currency:
                raise _fail("fees", f"fee {fee.label} must be in {self.currency}")
        object.__setattr__(self, "fees", fees)
        if any(f.timing is FeeTiming.MONTHLY and f.kind not in BOOKABLE_MONTHLY for f in fees):
            raise _fail("fees", "monthly fees must be gps or credit_insurance (billed monthly)")
        insured = any(f.kind is FeeKind.CREDIT_INSURANCE for f in fees)
        if self.credit_insurance_required and not insured:
            raise _fail("fees", "must include a credit_insurance fee when it is required")

    def _check_servicing(self) -> None:
        waterfall_policy(self.waterfall)
        uplift = pack_for(self.pack).penalty_uplift(self.effective_from)
        if self.penalty_uplift is None:
            object.__setattr__(self, "penalty_uplift", uplift.default)
        check_rate(self.penalty_uplift, "penalty_uplift")
        if not uplift.low <= self.penalty_uplift <= uplift.high:
            raise _fail("penalty_uplift", f"must be from {uplift.low} to {uplift.high}")
        rule = coerce_enum(self.prepayment_fee_rule, PrepaymentFeeRule, "prepayment_fee_rule")
        object.__setattr__(self, "prepayment_fee_rule", rule)
        check_rate(self.prepayment_fee_rate, "prepayment_fee_rate")
        if rule is PrepaymentFeeRule.NONE and self.prepayment_fee_rate != 0:
            raise _fail("prepayment_fee_rate", "must be 0 when the rule is none")
        if not isinstance(self.credit_insurance_required, bool):
            raise _fail("credit_insurance_required", "must be true or false")
        late = self.late_fee
        if late is not None:
            if not isinstance(late, LateFee):
                raise _fail("late_fee", "must be a LateFee")
            if late.amount.currency.code != self.currency:
                raise _fail("late_fee.amount", f"must be in {self.currency}")

    def _check_cost_ceiling(self) -> None:
        """The APR at ``rate_max`` with every fee, on the smallest amount over the
        shortest term (where upfront fees weigh most), must not breach the ceiling; a
        sample loan that cannot be priced is refused on the product's field
        (:func:`~autolend.domain.product_checks.check_cost_ceiling`)."""
        check_cost_ceiling(self)

    def sample_request(self, financed: Money, months: int, rate: Decimal) -> QuoteRequest:
        """A quote request financing ``financed`` at the minimum down payment."""
        keep = Fraction(1 - self.min_down_payment_ratio)
        price = Money(math.ceil(Fraction(financed.minor) / keep), financed.currency)
        return QuoteRequest(
            vehicle_price=price, annual_rate=rate, term_months=months,
            start=self.effective_from, down_payment=price - financed, fees=self.fees,
            method=self.method, balloon_ratio_of_price=self.balloon_ratio,
            step_weights=self.step_weights,
        )  # fmt: skip

    def in_force(self, day: date) -> bool:
        """Whether ``day`` falls within ``effective_from``..``effective_to`` (inclusive)."""
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )
