"""A synthetic loan book *with history*: the plan of each loan (product, amount, rate,
term, start, dealer) and its repayment behaviour, turned into what a lender's records
would hold -- a migration opening state at a cut-over date and the money events since.

The generating process (one seeded ``numpy`` Generator; the same seed gives the same
book):

* **products**: the demo catalogue's shapes (:data:`PRODUCTS`, catalogue codes) -- the
  standard new-car loan 30 %, the NEV green loan 30 % (the NEV share), used car 15 %
  (GPS fee of 30.00 a month, the non-performing waterfall, the catalogue's late fee of
  50.00 after 15 days), young first-time buyer 8 %, balloon 7 % (30 % of the principal
  with the last installment), self-employed / farmer seasonal 5 % (the catalogue's step
  schedule weighted to the harvest months, principal first, penalty at the catalogue's
  +30 %), older borrower with credit insurance 5 % (0.05 % of the principal a month),
  each with the penalty uplift and late fee a loan of the catalogue product carries. The
  0 % maker promotion is left out: its subsidy is settled at disbursement, which this
  writer does not model;
* **amounts and rates**: 50,000 to 300,000 CNY in steps of 10,000; the rate on a
  0.5-point grid inside the product's range; the term from the product's terms;
* **vintages**: a start date uniform over the last ``span_days`` (five years by
  default), never so early that the loan matured before the cut-over (so the oldest
  vintages are the 48- and 60-month loans);
* **dealers**: one of the demo dealers, alternately;
* **behaviour** (:data:`BEHAVIOURS`): 76 % pay every installment on its due date, 4 %
  pay ahead (the last payment carries 30-100 % of an installment more), 6 % were one or
  two installments behind at the cut-over and cured a few days after it (paying the
  arrears and 5 % more, for the penalty), 5 % miss the latest installment (1-30 days past
  due now), 3 % the latest two or three (31-90), 2 % the latest four to six (90+, in
  default), and 4 % pay the loan off early after the cut-over (the exact payoff quote);
* **PD at origination**: as the in-memory bench book draws it
  (:func:`autolend.batch.synth_book.draw_pds`: a model grade of Binomial(9, 0.3), that
  grade's 12-month PD, e.g. 0.02 for grade 3), booked as the loan's ``pd_orig`` with
  ``model_version`` ``"synthetic"``, which the ECL grades it by. Drawn apart from the
  behaviour, as the bench book draws it apart from the delinquency.

Loans that started before the cut-over are **migrated** there (installments due by then
paid as the behaviour says, the penalty on what is unpaid estimated, see
:func:`opening_penalty`); later ones are booked and disbursed on their start date.

>>> plans = plan_book(200, seed=1, as_of=date(2026, 11, 28), cut_over=date(2026, 8, 31))
>>> len(plans), sorted({p.product.code for p in plans}) == sorted(p.code for p in PRODUCTS)
(200, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

import numpy as np

from autolend.batch.synth_book import draw_pds
from autolend.domain.money import Money
from autolend.domain.product_catalogue import SEASONAL
from autolend.domain.schedule import LoanTerms
from autolend.domain.schedule.enums import Method
from autolend.domain.servicing import InstallmentState
from autolend.services.contract import Collateral

__all__ = [
    "BEHAVIOURS", "PRODUCTS", "Behaviour", "HistoryProduct", "LoanPlan", "MoneyEvent",
    "cut_over_for", "events_of", "opening_paid", "opening_penalty", "plan_book",
]  # fmt: skip

CURRENCY = "CNY"
_DAY = timedelta(days=1)


class Behaviour(StrEnum):
    ON_TIME = "on_time"
    AHEAD = "ahead"
    CURED = "cured"
    LATE_1 = "late_1"
    LATE_2_3 = "late_2_3"
    DEFAULTED = "defaulted"
    PAID_OFF = "paid_off"


BEHAVIOURS: tuple[tuple[Behaviour, float], ...] = (
    (Behaviour.ON_TIME, 0.76), (Behaviour.AHEAD, 0.04), (Behaviour.CURED, 0.06),
    (Behaviour.LATE_1, 0.05), (Behaviour.LATE_2_3, 0.03), (Behaviour.DEFAULTED, 0.02),
    (Behaviour.PAID_OFF, 0.04),
)  # fmt: skip


@dataclass(frozen=True)
class HistoryProduct:
    """A demo product's servicing shape: rate range (on a 0.5-point grid), terms, the
    schedule method, the waterfall, a fixed monthly fee or a monthly fee rate of the
    principal, the balloon as a percentage of the principal, and the contract's penalty
    uplift (``None``: the pack's default, 50 %) and late fee (minor units, days after
    the due date), as the catalogue product's."""

    code: str
    share: float
    rate_min: str
    rate_max: str
    terms: tuple[int, ...]
    waterfall: str = "standard"
    method: Method = Method.EQUAL_INSTALLMENT
    balloon_pct: int = 0
    monthly_fee: tuple[str, int] | None = None  # (kind, minor)
    monthly_fee_bp: tuple[str, int] | None = None  # (kind, basis points of the principal)
    step_weights: tuple[Decimal, ...] | None = None  # the step method's yearly pattern
    penalty_uplift: Decimal | None = None
    late_fee: tuple[int, int] | None = None  # (minor, after days), e.g. (5_000, 15)


PRODUCTS = (
    HistoryProduct("STD_NEW", 0.30, "0.0399", "0.0899", (12, 24, 36, 48, 60)),
    HistoryProduct("NEV_GREEN", 0.30, "0.0299", "0.0699", (12, 24, 36, 48, 60)),
    HistoryProduct("USED_CAR", 0.15, "0.0599", "0.1299", (12, 24, 36), "non_performing",
                   monthly_fee=("gps", 3_000), late_fee=(5_000, 15)),
    HistoryProduct("YOUNG_FIRST", 0.08, "0.0499", "0.0999", (12, 24, 36, 48, 60)),
    HistoryProduct("BALLOON", 0.07, "0.0499", "0.0899", (24, 36), method=Method.BALLOON,
                   balloon_pct=30),
    HistoryProduct("SEASONAL", 0.05, "0.0599", "0.1199", (12, 24, 36), "principal_first",
                   Method.STEP, step_weights=SEASONAL.step_weights,
                   penalty_uplift=SEASONAL.penalty_uplift),
    HistoryProduct("SENIOR_INSURED", 0.05, "0.0499", "0.0899", (12, 24, 36),
                   monthly_fee_bp=("insurance", 5)),
)  # fmt: skip


@dataclass(frozen=True)
class LoanPlan:
    """One synthetic loan: what was agreed (``principal`` in fen), how it behaves, and the
    PD it was booked with; ``draw`` (0..1) picks the details of its behaviour (how many
    missed, when cured)."""

    product: HistoryProduct
    principal: int
    rate: str
    periods: int
    start: date
    behaviour: Behaviour
    dealer: int
    draw: float
    pd_orig: Decimal

    def terms(self) -> LoanTerms:
        money = Money.of_minor(self.principal, CURRENCY)
        balloon = None
        if self.product.method is Method.BALLOON:
            balloon = Money.of_minor(self.principal * self.product.balloon_pct // 100, CURRENCY)
        return LoanTerms(
            principal=money, annual_rate=Decimal(self.rate), periods=self.periods,
            start=self.start, method=self.product.method, balloon=balloon,
            step_weights=self.product.step_weights,
        )  # fmt: skip

    def collateral(self) -> Collateral:
        """The car: financed at 70 % of its price (a used car at 60 %), NEV for the green
        loan, used for the used-car loan, e.g. 70,000.00 financed new: price 100,000.00."""
        used = self.product.code == "USED_CAR"
        price = self.principal * 100 // (60 if used else 70)
        return Collateral.of(price, nev=self.product.code == "NEV_GREEN", used=used)

    def monthly_fees(self) -> dict[str, Money] | None:
        """The contract's monthly fees, e.g. insurance 5 bp of 100,000.00 is 50.00."""
        spec = self.product
        if spec.monthly_fee is not None:
            return {spec.monthly_fee[0]: Money.of_minor(spec.monthly_fee[1], CURRENCY)}
        if spec.monthly_fee_bp is not None:
            kind, bp = spec.monthly_fee_bp
            return {kind: Money.of_minor(self.principal * bp // 10_000, CURRENCY)}
        return None


@dataclass(frozen=True)
class MoneyEvent:
    """A money event to post: ``repayment`` or ``payoff`` (its amount 0 until quoted)."""

    kind: str
    value_date: date
    amount: int
    reference: str


def cut_over_for(as_of: date, months: int) -> date:
    """The last day of the month ``months`` months before ``as_of``'s month.

    >>> cut_over_for(date(2026, 11, 28), 3)
    datetime.date(2026, 8, 31)
    """
    first = as_of.replace(day=1)
    for _ in range(months - 1):
        first = (first - _DAY).replace(day=1)
    return first - _DAY


def _rates(rng: np.random.Generator, specs: list[HistoryProduct]) -> list[str]:
    out = []
    for spec, u in zip(specs, rng.random(len(specs)), strict=True):
        low, high = Decimal(spec.rate_min), Decimal(spec.rate_max)
        steps = int((high - low) / Decimal("0.005"))
        out.append(str(low + Decimal("0.005") * int(u * (steps + 1))))
    return out


def plan_book(
    n: int, *, seed: int, as_of: date, cut_over: date, span_days: int = 1826, dealers: int = 2
) -> list[LoanPlan]:
    """``n`` loan plans (module docstring); started between ``span_days`` and 20 days
    before ``as_of``, each still running after ``cut_over``."""
    rng = np.random.default_rng(seed)
    shares = np.array([p.share for p in PRODUCTS])
    specs = [PRODUCTS[int(k)] for k in rng.choice(len(PRODUCTS), n, p=shares / shares.sum())]
    periods = [spec.terms[int(u * len(spec.terms))] for spec, u in zip(specs, rng.random(n),
                                                                        strict=True)]  # fmt: skip
    kinds = [b for b, _ in BEHAVIOURS]
    weights = np.array([w for _, w in BEHAVIOURS])
    behaviour = rng.choice(len(kinds), n, p=weights / weights.sum())
    principals = rng.integers(5, 31, n) * 1_000_000
    ages, draws, rates = rng.random(n), rng.random(n), _rates(rng, specs)
    pds = draw_pds(rng, n)  # drawn last: the plans' other draws stay as they were
    history = (as_of - cut_over).days
    plans = []
    for i in range(n):
        # still running after the cut-over: started less than periods - 1 months before it
        longest = min(span_days, history + (periods[i] - 1) * 30 - 31)
        start = as_of - timedelta(days=20 + int(ages[i] * (longest - 20)))
        plans.append(LoanPlan(specs[i], int(principals[i]), rates[i], periods[i], start,
                              kinds[int(behaviour[i])], i % dealers, float(draws[i]),
                              pds[i]))  # fmt: skip
    return plans


def _missed(plan: LoanPlan, due: Sequence[InstallmentState], before: int) -> tuple[int, int]:
    """(installments missed at the end of ``due``, installments in arrears at the
    cut-over -- the last of the ``before`` due by then -- that a cure pays)."""
    b, draw = plan.behaviour, plan.draw
    missed = {Behaviour.LATE_1: 1, Behaviour.LATE_2_3: 2 + int(draw * 2),
              Behaviour.DEFAULTED: 4 + int(draw * 3)}.get(b, 0)  # fmt: skip
    cured = 1 + int(draw * 2) if b is Behaviour.CURED else 0
    if missed > len(due) or cured > before:  # too young for it: it pays on time
        return 0, 0
    return missed, cured


def _total(row: InstallmentState) -> int:
    return row.principal_due + row.interest_due + row.fee_due


def opening_paid(
    plan: LoanPlan, rows: Sequence[InstallmentState], cut_over: date, as_of: date
) -> tuple[tuple[int, int, int, int], ...]:
    """The installments fully paid by the cut-over, ``(n, principal, interest, fee)``."""
    due = [r for r in rows if r.due_date <= as_of]
    before = [r for r in due if r.due_date <= cut_over]
    missed, cured = _missed(plan, due, len(before))
    unpaid = {r.n for r in due[len(due) - missed :]} | {r.n for r in before[len(before) - cured :]}
    return tuple((r.n, r.principal_due, r.interest_due, r.fee_due)
                 for r in before if r.n not in unpaid)  # fmt: skip


def opening_penalty(
    plan: LoanPlan, rows: Sequence[InstallmentState], paid: set[int], cut_over: date
) -> int:
    """The other system's penalty unpaid at the cut-over, estimated: the overdue
    principal at the contract's penalty rate (the rate x (1 + uplift), 1.5 x by the
    pack's default), actual/360, from each due date (fen, down).

    E.g. 10,000.00 of principal 30 days overdue at 8 %: 10,000 x 0.12 x 30 / 360 = 100.00.
    """
    uplift = plan.product.penalty_uplift
    rate = Decimal(plan.rate) * (1 + (Decimal("0.5") if uplift is None else uplift))
    total = Decimal(0)
    for r in rows:
        if r.due_date <= cut_over and r.n not in paid:
            total += r.principal_due * rate * (cut_over - r.due_date).days / 360
    return int(total)


def events_of(
    plan: LoanPlan, rows: Sequence[InstallmentState], cut_over: date, as_of: date
) -> list[MoneyEvent]:
    """The money events after the servicing start (the cut-over, or the start of a loan
    booked after it) through ``as_of``, in value-date order; a payoff's amount is left
    0 (the writer quotes it)."""
    floor = max(cut_over, plan.start)
    due = [r for r in rows if r.due_date <= as_of]
    before = [r for r in due if r.due_date <= cut_over]
    missed, cured = _missed(plan, due, len(before))
    unpaid = {r.n for r in due[len(due) - missed :]}
    tag = f"SYN-{plan.start:%y%m%d}-{plan.principal // 100}"
    events = []
    if cured:
        arrears = sum(_total(r) for r in before[len(before) - cured :])
        events.append(MoneyEvent("repayment", cut_over + timedelta(days=3 + int(plan.draw * 10)),
                                 arrears * 105 // 100, f"{tag}-CURE"))  # fmt: skip
    payoff = None
    if plan.behaviour is Behaviour.PAID_OFF:
        payoff = floor + timedelta(days=5 + int(plan.draw * ((as_of - floor).days - 8)))
    for r in due:
        if r.due_date <= floor or r.n in unpaid or (payoff and r.due_date >= payoff):
            continue
        amount = _total(r)
        if plan.behaviour is Behaviour.AHEAD and r is due[-1] and r.n < rows[-1].n:
            amount += amount * (30 + int(plan.draw * 70)) // 100
        events.append(MoneyEvent("repayment", r.due_date, amount, f"{tag}-{r.n:02d}"))
    if payoff is not None:
        events.append(MoneyEvent("payoff", payoff, 0, f"{tag}-PAYOFF"))
    return sorted(events, key=lambda e: e.value_date)
