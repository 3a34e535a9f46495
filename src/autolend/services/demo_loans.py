"""Demo loans: booked and disbursed in the past, repaid so that every servicing state shows.

Each loan starts some months before the demo date and pays its installments on their due
dates, except as its plan says: a loan paid ahead (the extra sits in the advance), loans
one, two and three installments late, a loan paid off early, and a loan four behind
written off a week before the demo date (asked by the servicing officer, approved by risk:
maker-checker, :mod:`autolend.services.approvals`), with a recovery two days before it
(the sale of the repossessed car). Each carries its
product's contract terms (waterfall, penalty uplift, late fee, prepayment fee) and the PD
at origination its plan states (model version :data:`DEMO_MODEL_VERSION`), as a loan
booked by origination does, so the ECL grades it by that PD rather than the default grade
of a loan without one. Every payment carries an
idempotency key; afterwards every loan is accrued through the demo date, so
``autolend verify --date <today>`` holds.

A :class:`DemoBook` says what a jurisdiction's loans are: :data:`CN_DEMO_BOOK` (yuan, bank
transfer, 1 % fee at disbursement) or the US one (:mod:`autolend.services.demo_us`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from autolend.domain.access import Actor
from autolend.domain.money import Money
from autolend.domain.product_catalogue import DEMO_PRODUCTS
from autolend.domain.products import Product
from autolend.domain.schedule import LoanTerms
from autolend.domain.schedule.enums import Method
from autolend.services.approvals import ApprovalService
from autolend.services.idempotency import IdempotencyRequest, request_hash
from autolend.services.loans import BookingRequest, DisbursementInput, LoanService
from autolend.services.product_terms import booking_terms
from autolend.services.servicing import MoneyIn, ServicingService

CURRENCY = "CNY"

DEMO_MODEL_VERSION = "demo"
"""The model version the hand-made demo loans record with their stated PD (no model
scored them: the demo data states each one)."""


@dataclass(frozen=True)
class DemoLoan:
    """One demo loan: whose (customer index, dealer code), terms, and its history:
    ``months`` since the start, ``late`` unpaid due installments, ``extra`` paid ahead,
    ``payoff`` settled in full 10 days before the demo date, ``recovery`` (minor units):
    written off :data:`WRITE_OFF_DAYS` days before the demo date and this much recovered
    :data:`RECOVERY_DAYS` days before it; ``pd_orig`` the PD it was booked with (a
    decimal fraction: ``"0.011"`` is 1.1 %, ECL grade 2 at 1.2 %)."""

    customer: int
    dealer: str | None
    product: str
    principal: int
    rate: str
    periods: int
    months: int
    late: int = 0
    extra: int = 0
    payoff: bool = False
    method: Method = Method.EQUAL_INSTALLMENT
    pd_orig: str = field(kw_only=True)
    recovery: int | None = field(default=None, kw_only=True)

    @property
    def written_off(self) -> bool:
        return self.recovery is not None


WRITE_OFF_DAYS = 7
RECOVERY_DAYS = 2


# Catalogue products, at rates inside each product's range. The PDs at origination are
# what a scorecard would plausibly have said: the loans that later fell behind were the
# riskier ones when booked (2.8 % to 5.9 %, grades 4 to 6), the large green-car loans
# the safest (0.4 % to 0.6 %, grades 0 and 1); all within the auto-approval limit (6 %).
DEMO_LOANS = (
    DemoLoan(0, None, "STD_NEW", 8_000_000, "0.0888", 36, 5, pd_orig="0.011"),  # grade 2
    DemoLoan(1, "D001", "NEV_GREEN", 12_000_000, "0.0599", 24, 7, extra=300_000,
             pd_orig="0.006"),  # grade 1: pays ahead
    DemoLoan(2, "D001", "STD_NEW", 6_500_000, "0.0850", 12, 6, late=1,
             pd_orig="0.028"),  # grade 4
    DemoLoan(1, "D001", "USED_CAR", 6_000_000, "0.1199", 24, 8, late=2,
             pd_orig="0.046"),  # grade 5: a used car, two behind
    DemoLoan(2, "D001", "USED_CAR", 5_200_000, "0.1299", 24, 9, late=3,
             pd_orig="0.059"),  # grade 6: the riskiest, three behind
    DemoLoan(0, None, "STD_NEW", 5_000_000, "0.0750", 12, 4, payoff=True,
             pd_orig="0.009"),  # grade 2
    DemoLoan(1, "D002", "NEV_GREEN", 15_000_000, "0.0450", 36, 3, method=Method.EQUAL_PRINCIPAL,
             pd_orig="0.004"),  # grade 0: the largest, the lowest rate
    DemoLoan(2, "D002", "STD_NEW", 9_000_000, "0.0799", 24, 2, pd_orig="0.015"),  # grade 3
    DemoLoan(1, "D002", "STD_NEW", 7_000_000, "0.0850", 24, 9, late=4, recovery=1_200_000,
             pd_orig="0.052"),  # grade 6: four behind, written off; the car sold for 12,000
)  # fmt: skip


@dataclass(frozen=True)
class DemoBook:
    """A jurisdiction's hand-made demo loans: the plans, the catalogue they are booked
    under, their currency, the channel their repayments come by and the share of the
    principal (per cent) deducted as a fee at disbursement (CN 1 %, US none)."""

    loans: tuple[DemoLoan, ...]
    products: tuple[Product, ...]
    currency: str
    channel: str
    fee_percent: int

    @property
    def months(self) -> int:
        """How far back the oldest loan starts (months before the demo date)."""
        return max(plan.months for plan in self.loans)

    def product(self, code: str) -> Product:
        return next(product for product in self.products if product.code == code)


CN_DEMO_BOOK = DemoBook(DEMO_LOANS, DEMO_PRODUCTS, CURRENCY, "bank_transfer", 1)
"""The CN demo's loans, in yuan, repaid by bank transfer."""


def months_before(day: date, months: int) -> date:
    """The same day of the month ``months`` earlier (days past the 28th become the 28th)."""
    total = day.year * 12 + day.month - 1 - months
    return date(total // 12, total % 12 + 1, min(day.day, 28))


def _minor(text: str) -> int:
    return int((Decimal(text) * 100).to_integral_value())


class DemoLoanSeeder:
    """Books, disburses and services the demo loans as the demo servicing officer; the
    write-off the officer asks for is approved by ``checker`` (risk), through ``approvals``."""

    def __init__(
        self,
        loans: LoanService,
        servicing: ServicingService,
        approvals: ApprovalService,
        book: DemoBook = CN_DEMO_BOOK,
    ) -> None:
        self._loans = loans
        self._servicing = servicing
        self._approvals = approvals
        self._demo = book

    def seed(
        self,
        actor: Actor,
        customers: list[int],
        dealers: dict[str, int],
        as_of: date,
        *,
        checker: Actor,
    ) -> list[int]:
        ids = []
        for plan in self._demo.loans:
            loan_id = self._book(actor, plan, customers, dealers, as_of)
            self._history(actor, loan_id, plan, as_of)
            if plan.recovery is not None:
                self._write_off(actor, checker, loan_id, as_of)
                self._recover(actor, loan_id, plan.recovery, as_of)
            self._servicing.accrue_loan(actor, loan_id, as_of)
            ids.append(loan_id)
        return ids

    def _book(
        self,
        actor: Actor,
        plan: DemoLoan,
        customers: list[int],
        dealers: dict[str, int],
        as_of: date,
    ) -> int:
        start = months_before(as_of, plan.months) - timedelta(days=10)
        currency = self._demo.currency
        principal = Money.of_minor(plan.principal, currency)
        terms = LoanTerms(
            principal=principal,
            annual_rate=Decimal(plan.rate),
            periods=plan.periods,
            start=start,
            method=plan.method,
        )
        request = BookingRequest(
            terms=terms,
            approved=principal,
            customer_id=customers[plan.customer],
            dealer_id=dealers[plan.dealer] if plan.dealer else None,
            pd_orig=Decimal(plan.pd_orig),
            model_version=DEMO_MODEL_VERSION,
            **booking_terms(self._demo.product(plan.product), principal),
        )
        loan_id = self._loans.book(actor, request)
        percent = self._demo.fee_percent
        fee = Money.of_minor(plan.principal * percent // 100, currency) if percent else None
        data = DisbursementInput(principal, start, fee)
        self._loans.disburse(actor, loan_id, data, self._key(actor, loan_id, "disburse"))
        return loan_id

    @staticmethod
    def _key(actor: Actor, loan_id: int, what: str) -> IdempotencyRequest:
        route = f"demo /loans/{loan_id}/{what}"
        return IdempotencyRequest(f"demo-{loan_id}-{what}", actor.user_id, route, request_hash({}))

    def _history(self, actor: Actor, loan_id: int, plan: DemoLoan, as_of: date) -> None:
        schedule = self._loans.get(actor, loan_id)["schedule"]
        due = [row for row in schedule if date.fromisoformat(row["due_date"]) < as_of]
        paid = due[: len(due) - plan.late] if plan.late else due
        if plan.payoff:
            paid = due[:2]
        for number, row in enumerate(paid, start=1):
            amount = _minor(row["principal"]) + _minor(row["interest"]) + _minor(row["fee"])
            if number == len(paid):
                amount += plan.extra
            self._pay(actor, loan_id, amount, date.fromisoformat(row["due_date"]), number)
        if plan.payoff:
            self._pay_off(actor, loan_id, as_of - timedelta(days=10))

    def _pay(self, actor: Actor, loan_id: int, amount: int, day: date, number: int) -> None:
        money = Money.of_minor(amount, self._demo.currency)
        data = MoneyIn(money, day, self._demo.channel, f"DEMO-{loan_id}-{number:02d}")
        key = self._key(actor, loan_id, f"repayment-{number}")
        self._servicing.post_repayment(actor, loan_id, data, key)

    def _pay_off(self, actor: Actor, loan_id: int, day: date) -> None:
        quote = self._loans.payoff_quote(actor, loan_id, day)
        amount = Money.of_minor(_minor(quote["total"]), self._demo.currency)
        channel = self._demo.channel
        data = MoneyIn(amount, day, channel, f"DEMO-{loan_id}-PAYOFF", mode="payoff")
        self._servicing.prepay(actor, loan_id, data, self._key(actor, loan_id, "payoff"))

    def _write_off(self, maker: Actor, checker: Actor, loan_id: int, as_of: date) -> None:
        """Asked by the servicing officer, approved by risk (another user)."""
        day = as_of - timedelta(days=WRITE_OFF_DAYS)
        # A CN lender's staff write their reasons in Chinese; a US lender's in English.
        chinese = self._demo.currency == "CNY"
        reason = "借款人失联，车辆已收回" if chinese else "borrower untraceable; car repossessed"
        asked = self._approvals.request_write_off(maker, loan_id, day, reason)
        key = self._key(checker, loan_id, "write-off")
        self._approvals.decide(checker, int(asked["id"]), approve=True, idem=key)

    def _recover(self, actor: Actor, loan_id: int, minor: int, as_of: date) -> None:
        """The repossessed car's sale, received after the write-off."""
        money = Money.of_minor(minor, self._demo.currency)
        day = as_of - timedelta(days=RECOVERY_DAYS)
        data = MoneyIn(money, day, self._demo.channel, f"DEMO-{loan_id}-RECOVERY")
        self._servicing.recover(actor, loan_id, data, self._key(actor, loan_id, "recovery"))
