"""Car-loan quotes: what the buyer pays, the annualised rate (年化利率) and affordability.

A :class:`QuoteRequest` holds the deal (price, down payment, rate, term, fees);
:func:`build_quote` turns it into a :class:`Quote` with its schedule and its APR.

Definitions (amounts exact, in minor units):

* vehicle financed = price - down payment;
* amount financed = loan principal = vehicle financed + financed fees;
* total interest = what the installments pay beyond the principal;
* total fees = every borrower-paid fee: upfront (cash or financed) + monthly x payments;
* total repayable = everything the borrower pays after the down payment: installments
  + monthly fees + upfront cash fees;
* total cost of credit = total interest + total fees
  (= total repayable - vehicle financed).

APR (PBOC announcement [2021] No. 3: every quote shows an annualised rate that includes
all borrower-paid fees): the IRR of the borrower's own cash flows, x 12 (nominal) and
compounded (effective), by :func:`~autolend.domain.apr.cn_annualised_rate`.  The
borrower receives the vehicle financed less the upfront fees paid in cash (a financed
fee is never received), and pays each installment plus the monthly fees.  An irregular
first period counts as ``first row's days / days of the regular month ending on the
first due date``.  The comprehensive financing cost (综合融资成本, ``total_cost_rate``)
is the nominal APR.  Under the US pack the APR is Reg Z Appendix J's and ``regz``
holds the 1026.18 figures (:func:`~autolend.domain.borrower_apr.disclosed_apr`).

Worked example: 150,000.00 with 30 % down, 36 months at 4.5 %, a 1 % origination fee
in cash: 105,000.00 financed, 3,123.43 a month, APR 5.17 % (4.50 % without the fee).

>>> from autolend.domain.money import Money
>>> request = QuoteRequest(vehicle_price=Money.parse("150000", "CNY"),
...     down_payment_ratio=Decimal("0.3"), annual_rate=Decimal("0.045"), term_months=36,
...     start=date(2024, 3, 10), fees=(Fee(kind="origination", rate_of_amount=Decimal("0.01")),))
>>> quote = build_quote(request)
>>> quote.installment.to_api(), quote.total_fees.to_api(), quote.apr.nominal_percent()
('3123.43', '1050.00', Decimal('5.17'))
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

from autolend.domain.apr import AnnualisedRate
from autolend.domain.borrower_apr import ClosedEndDisclosures, disclosed_apr, first_period_fraction
from autolend.domain.cost_ceiling import CeilingStatus, cost_ceiling_check
from autolend.domain.daycount import DayCount
from autolend.domain.errors import CurrencyMismatch, InvalidInput
from autolend.domain.fees import Fee, FeeKind, FeeSplit, FeeTiming, split_fees
from autolend.domain.money import MAX_ABS_MINOR, Money, RoundingMode
from autolend.domain.regulation import pack_for
from autolend.domain.schedule import InterestBasis, LoanTerms, Method, Schedule, Subsidy
from autolend.domain.schedule.engine import build_schedule, regular_installment
from autolend.domain.schedule.validation import MAX_PERIODS, check_rate, coerce_enum

__all__ = [
    "CeilingStatus", "Fee", "FeeKind", "FeeSplit", "FeeTiming", "Quote", "QuoteRequest",
    "affordable_price", "build_quote", "compare_terms", "cost_ceiling_check",
    "first_payment", "first_period_fraction", "installment_to_income",
]  # fmt: skip

_SHARE_CONTEXT = decimal.Context(prec=34, rounding=decimal.ROUND_HALF_EVEN)


def _fail(field: str, problem: str) -> InvalidInput:
    return InvalidInput(f"{field} {problem}", field=field)


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteRequest:
    """A monthly car-loan deal to quote.  Give exactly one of ``down_payment`` (Money,
    0 <= it < price) or ``down_payment_ratio`` (0 <= it < 1, rounded by ``rounding``).

    The other fields pass through to :class:`~autolend.domain.schedule.LoanTerms`
    (``balloon_ratio_of_price`` applies to the vehicle price); ``pack`` is the
    regulation pack whose APR rule the quote discloses, and whose year the loan's daily
    interest counts when ``day_count`` is not given (``RegulationPack.day_count``: CN
    ACT/360, US ACT/365).  Every rejected value
    raises :class:`InvalidInput` naming the field (``"down_payment"``, ``"term_months"``,
    or the :class:`LoanTerms` field such as ``"first_due"``).
    """

    vehicle_price: Money
    annual_rate: Decimal
    term_months: int
    start: date
    down_payment: Money | None = None
    down_payment_ratio: Decimal | None = None
    fees: tuple[Fee, ...] = ()
    method: Method = Method.EQUAL_INSTALLMENT
    first_due: date | None = None
    rounding: RoundingMode = RoundingMode.HALF_UP
    subsidy: Subsidy | None = None
    balloon_ratio_of_price: Decimal | None = None
    interest_basis: InterestBasis = InterestBasis.PERIOD
    day_count: DayCount | None = None
    installment_multiple: int = 1
    due_day: int | None = None
    step_weights: tuple[Decimal, ...] | None = None
    pack: str = "CN"
    # Derived once the inputs are valid: a quote and each rule asks for them several times.
    _split: FeeSplit = field(init=False, repr=False, compare=False)
    _terms: LoanTerms = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.day_count is None:
            object.__setattr__(self, "day_count", pack_for(self.pack).day_count)
        for name, kind in (("method", Method), ("interest_basis", InterestBasis),
                           ("day_count", DayCount)):  # fmt: skip
            object.__setattr__(self, name, coerce_enum(getattr(self, name), kind, name))
        price = self.vehicle_price
        if not isinstance(price, Money) or price.minor <= 0:
            raise _fail("vehicle_price", f"must be positive Money, got {price!r}")
        check_rate(self.annual_rate, "annual_rate")
        months = self.term_months
        if isinstance(months, bool) or not isinstance(months, int):
            raise _fail("term_months", f"must be an int, got {months!r}")
        if not 1 <= months <= MAX_PERIODS:
            raise _fail("term_months", f"must be from 1 to {MAX_PERIODS}, got {months}")
        if isinstance(self.start, datetime) or not isinstance(self.start, date):
            raise _fail("start", f"must be a date, got {self.start!r}")
        fees = tuple(self.fees) if isinstance(self.fees, list | tuple) else None
        if fees is None or not all(isinstance(f, Fee) for f in fees):
            raise _fail("fees", "must be a tuple of Fee")
        object.__setattr__(self, "fees", fees)
        object.__setattr__(self, "pack", pack_for(self.pack).code)
        self._check_down_payment()
        split = split_fees(fees, self.vehicle_financed, self.rounding)
        object.__setattr__(self, "_split", split)
        object.__setattr__(self, "_terms", self._build_terms(split))  # LoanTerms validates

    def _check_down_payment(self) -> None:
        amount, ratio, price = self.down_payment, self.down_payment_ratio, self.vehicle_price
        if (amount is None) == (ratio is None):
            raise _fail("down_payment", "or down_payment_ratio: give exactly one")
        if ratio is not None:
            check_rate(ratio, "down_payment_ratio")
            if ratio >= 1:
                raise _fail("down_payment_ratio", f"must be below 1, got {ratio}")
            return
        if not isinstance(amount, Money):
            raise _fail("down_payment", f"must be Money, got {amount!r}")
        if amount.currency != price.currency:
            message = f"down_payment is in {amount.currency.code}, the price in "
            raise CurrencyMismatch(message + price.currency.code, field="down_payment")
        if amount.is_negative() or amount >= price:
            raise _fail("down_payment", f"must be >= 0 and below the price, got {amount}")

    @property
    def down_payment_amount(self) -> Money:
        """The down payment in money: as given, or price x ratio (rounded)."""
        if self.down_payment is not None:
            return self.down_payment
        assert self.down_payment_ratio is not None  # validated: exactly one is given
        return self.vehicle_price.multiply(self.down_payment_ratio, self.rounding)

    @property
    def vehicle_financed(self) -> Money:
        """Price less down payment: the base of fees given as a rate."""
        return self.vehicle_price - self.down_payment_amount

    def fee_split(self) -> FeeSplit:
        """The fees in money, grouped: upfront cash, financed, monthly."""
        return self._split

    def loan_terms(self) -> LoanTerms:
        """The loan's terms: principal = vehicle financed + financed fees."""
        return self._terms

    def _build_terms(self, split: FeeSplit) -> LoanTerms:
        principal = self.vehicle_financed + split.financed
        balloon = self.balloon_ratio_of_price is not None
        return LoanTerms(
            principal=principal, annual_rate=self.annual_rate, periods=self.term_months,
            start=self.start, method=self.method, first_due=self.first_due,
            interest_basis=self.interest_basis,
            day_count=self.day_count or pack_for(self.pack).day_count,  # set in post-init
            rounding=self.rounding, installment_multiple=self.installment_multiple,
            due_day=self.due_day, balloon_ratio_of_price=self.balloon_ratio_of_price,
            vehicle_price=self.vehicle_price if balloon else None,
            step_weights=self.step_weights, subsidy=self.subsidy,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Quote:
    """A priced deal; see the module docstring for the definitions of the totals.

    ``installment`` is the schedule's regular installment (without monthly fees);
    ``monthly_payment`` adds the monthly fees.  ``apr`` is never missing: a quote whose
    APR cannot be computed is refused by :func:`build_quote`.  ``regz``: the Reg Z
    figures (US pack only; None under CN).
    """

    request: QuoteRequest
    down_payment: Money
    amount_financed: Money
    fees: FeeSplit
    installment: Money
    total_interest: Money
    total_fees: Money
    total_repayable: Money
    total_cost_of_credit: Money
    apr: AnnualisedRate
    schedule: Schedule
    regz: ClosedEndDisclosures | None = None

    @property
    def loan_principal(self) -> Money:
        """The principal of the loan: the amount financed, financed fees included."""
        return self.amount_financed

    @property
    def vehicle_financed(self) -> Money:
        """Price less down payment (the amount financed without the financed fees)."""
        return self.amount_financed - self.fees.financed

    @property
    def monthly_fees(self) -> Money:
        """Fees paid with every installment."""
        return self.fees.monthly

    @property
    def monthly_payment(self) -> Money:
        """Regular installment plus monthly fees: what the borrower pays each month."""
        return self.installment + self.fees.monthly

    @property
    def cash_at_signing(self) -> Money:
        """Down payment plus the upfront fees paid in cash."""
        return self.down_payment + self.fees.upfront_cash

    @property
    def total_cost_rate(self) -> Decimal:
        """综合融资成本: the nominal APR (a fraction; 0.0517 is 5.17 %)."""
        return self.apr.nominal


def first_payment(request: QuoteRequest) -> Money:
    """What the borrower pays in the first month: the schedule's first row plus the
    monthly fees -- all a debt-service check needs, without the APR that
    :func:`build_quote` solves for (an IRR, most of a quote's cost). E.g. 100,000.00
    over 12 months at 6 %, a regular first month, with a 50.00 monthly GPS fee:
    8,606.64 + 50.00 = 8,656.64."""
    schedule = build_schedule(request.loan_terms())
    return Money(schedule.rows[0].payment + request.fee_split().monthly.minor,
                 request.vehicle_price.currency)  # fmt: skip


def build_quote(request: QuoteRequest) -> Quote:
    """Price ``request``: schedule, totals and APR.

    Raises :class:`InvalidInput` when the upfront cash fees leave the borrower nothing
    (field ``fees``), or (as :class:`~autolend.domain.apr.NoRateExists`) when no APR
    exists: a quote is never built without its APR.
    """
    terms = request.loan_terms()
    schedule = build_schedule(terms)
    split = request.fee_split()
    payments = len(schedule.rows)
    cur = terms.principal.currency
    vehicle_financed = request.vehicle_financed
    total_interest = schedule.total_payment - terms.principal
    total_fees = split.total_over(payments)
    monthly_total = Money(split.monthly.minor * payments, cur)
    received = vehicle_financed - split.upfront_cash
    if received.minor <= 0:
        problem = f"paid in cash ({split.upfront_cash}) leave nothing of {vehicle_financed}"
        raise _fail("fees", problem)
    flows = [(row.due_date, Money(row.payment + split.monthly.minor, cur)) for row in schedule.rows]
    apr, regz = disclosed_apr(
        request.pack, received, flows, schedule, cash_price=request.vehicle_price
    )
    return Quote(
        request=request,
        down_payment=request.down_payment_amount,
        amount_financed=terms.principal,
        fees=split,
        installment=schedule.regular_installment,
        total_interest=total_interest,
        total_fees=total_fees,
        total_repayable=schedule.total_payment + monthly_total + split.upfront_cash,
        total_cost_of_credit=total_interest + total_fees,
        apr=apr,
        schedule=schedule,
        regz=regz,
    )


def compare_terms(
    request: QuoteRequest, terms: Iterable[int] = (12, 24, 36, 48, 60)
) -> list[Quote]:
    """The same deal quoted over each term in ``terms`` (months), in that order."""
    return [build_quote(replace(request, term_months=months)) for months in terms]


def _check_income(monthly_income: Money, currency_of: Money) -> None:
    if not isinstance(monthly_income, Money) or monthly_income.minor <= 0:
        raise _fail("monthly_income", f"must be positive Money, got {monthly_income!r}")
    if monthly_income.currency != currency_of.currency:
        message = f"monthly_income is in {monthly_income.currency.code}, the loan in "
        raise CurrencyMismatch(message + currency_of.currency.code, field="monthly_income")


def installment_to_income(quote: Quote, monthly_income: Money) -> Decimal:
    """Share of the monthly income the monthly payment (installment + monthly fees)
    takes: 3,123.43 out of 12,000.00 is 0.2602858333... (26 %).  34 significant digits."""
    _check_income(monthly_income, quote.installment)
    payment, income = Decimal(quote.monthly_payment.minor), Decimal(monthly_income.minor)
    return _SHARE_CONTEXT.divide(payment, income)


def _monthly_payment_at(template: QuoteRequest, price: int) -> int | None:
    """Installment + monthly fees at vehicle price ``price`` (minor), or None when the
    deal is not valid at that price (e.g. a fixed down payment above it)."""
    try:
        request = replace(template, vehicle_price=Money(price, template.vehicle_price.currency))
        installment = regular_installment(request.loan_terms())  # no rows: ~12 per search
        return installment.minor + request.fee_split().monthly.minor
    except InvalidInput:
        return None


def affordable_price(
    request_template: QuoteRequest, monthly_income: Money, max_share: Decimal
) -> Money:
    """The highest vehicle price whose monthly payment (installment + monthly fees) is
    at most ``max_share`` x ``monthly_income``, all else as in ``request_template``: the
    same down-payment ratio (or the same down-payment amount, if the template gives an
    amount), rate, term, method and fees.  Zero when no price qualifies.  The
    installment is the schedule's regular one (the first regular row for methods without
    a level amount: the highest for equal principal, the first step for a step plan).

    Exact to the fen: the payment is affine in the price up to roundings, so two
    schedules give a close estimate, then a bracket around it is bisected with real
    schedules.  E.g. 36 months at 4.5 %, 30 % down, no fees, 10,000.00 a month at
    30 %: at most 3,000.00 a month, i.e. a price of 144,072.76 (3,000.00 a month;
    144,072.77 would cost 3,000.01).
    """
    _check_income(monthly_income, request_template.vehicle_price)
    if not isinstance(max_share, Decimal) or not Decimal(0) < max_share <= 1:
        raise _fail("max_share", f"must be a Decimal above 0 and at most 1, got {max_share!r}")
    limit_fraction = Fraction(monthly_income.minor) * Fraction(max_share)
    limit = limit_fraction.numerator // limit_fraction.denominator

    def affordable(price: int) -> bool:
        payment = _monthly_payment_at(request_template, price)
        return payment is not None and payment <= limit

    price, first_step = _estimate(request_template, limit)
    if affordable(price):  # climb in doubling steps until a price is too dear
        low, step = price, first_step
        while affordable(high := min(low + step, MAX_ABS_MINOR)):
            if high == MAX_ABS_MINOR:
                return Money(MAX_ABS_MINOR, monthly_income.currency)
            low, step = high, step * 2
    else:  # descend in doubling steps until a price is affordable
        high, step = price, first_step
        while not affordable(low := max(high - step, 1)):
            if low == 1:
                return Money.zero(monthly_income.currency)
            high, step = low, step * 2
    while high - low > 1:  # affordable(low), not affordable(high)
        middle = (low + high) // 2
        low, high = (middle, high) if affordable(middle) else (low, middle)
    return Money(low, monthly_income.currency)


def _estimate(template: QuoteRequest, limit: int) -> tuple[int, int]:
    """Solve ``payment(price) = limit`` on the line through two real schedules; also the
    price that moves the payment by about one minor unit (the width of the steps the
    payment's rounding makes), the search's first step. E.g. 36 months at 4.5 %, 30 %
    down: a fen of payment is about 0.48 yuan of price, so the search starts 48 fen away
    instead of 1 and brackets the answer in one or two schedules fewer per doubling."""
    p0 = template.vehicle_price.minor
    p1 = 2 * p0
    y0, y1 = _monthly_payment_at(template, p0), _monthly_payment_at(template, p1)
    if y0 is None or y1 is None or y1 <= y0:
        return p0, 1
    estimate = p0 + (limit - y0) * (p1 - p0) // (y1 - y0)
    return min(max(estimate, 1), MAX_ABS_MINOR), max((p1 - p0) // (y1 - y0), 1)
