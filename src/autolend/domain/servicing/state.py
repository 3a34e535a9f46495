"""The servicing state of one loan: what is due, what is paid, what has accrued.

Everything is an immutable value in integer minor units (fen) of the loan's currency;
every change returns a new :class:`LoanState`.

Days and buckets (``as_of`` is a business date, never read from a clock):

* an installment is *due* on its due date and *overdue* from the day after
  (``due_date <= as_of - 1``) while anything of it is unpaid (all of it is payable);
* days past due (DPD) count from the earliest due date of an installment whose
  *principal or interest* is still unpaid: unpaid after a due date of 2026-03-05, DPD is
  1 on 2026-03-06 and 10 on 2026-03-15.  An unpaid fee alone (the monthly fee or a late
  fee) does not make a loan past due: the CN five-tier rule (商业银行金融资产风险分类办法,
  2023) counts days overdue of principal or interest (本金、利息), and in the US a late
  charge alone is no delinquency (16 CFR 444.4).  The fee stays receivable and payable
  (:meth:`LoanState.amount_due`); its installment shows ``fee_unpaid``.  Installment 1
  due 2026-02-05 with its 1,066.19 of principal and interest paid and a 50.00 late fee
  unpaid is 0 DPD on 2026-03-04; 0.01 of its interest unpaid, 27.

Where each amount lives (a design choice, see the package docstring):

* per installment: principal, interest and fee, each *due* (from the schedule, fees
  when charged) and *paid*;
* per loan: penalty (罚息) and compound interest (复利) accrued and unpaid, because they
  accrue on the loan's *total* overdue principal and interest with one rounding a day
  (what the vectorised end-of-day batch computes per loan); the advance (suspense)
  balance; contractual interest accrued but not yet due; the cost charged so far
  (interest recognised, fees, penalty, compound) for the comprehensive cost ceiling.

>>> from decimal import Decimal
>>> from autolend.domain.money import Money
>>> from autolend.domain.schedule import LoanTerms, build_schedule
>>> terms = LoanTerms(principal=Money.parse("12000", "CNY"), annual_rate=Decimal("0.12"),
...                   periods=12, start=date(2026, 1, 5))
>>> state = LoanState.from_schedule("L1", build_schedule(terms))
>>> state.outstanding_principal, state.days_past_due(date(2026, 2, 15))
(1200000, 10)
>>> state.installment_status(date(2026, 2, 5))[1], state.installment_status(date(2026, 2, 6))[1]
(<InstallmentStatus.DUE: 'due'>, <InstallmentStatus.OVERDUE: 'overdue'>)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from autolend.domain.errors import Conflict, CurrencyMismatch, InvalidInput
from autolend.domain.money import Currency, Money
from autolend.domain.schedule import LoanTerms, Schedule, ScheduleRow

__all__ = [
    "INSTALLMENT_COMPONENTS", "Component", "InstallmentState", "InstallmentStatus",
    "LoanState", "LoanStatus",
]  # fmt: skip


class Component(StrEnum):
    """What money is owed for.  ``penalty`` covers both penalty interest and compound
    interest (loan level); the other three are per installment."""

    PENALTY = "penalty"
    INTEREST = "interest"
    PRINCIPAL = "principal"
    FEE = "fee"


INSTALLMENT_COMPONENTS = (Component.PRINCIPAL, Component.INTEREST, Component.FEE)
"""The components an installment carries (penalty is kept per loan)."""


class LoanStatus(StrEnum):
    """Life-cycle status; only an ``active`` loan accrues."""

    ACTIVE = "active"
    PAID_OFF = "paid_off"
    WRITTEN_OFF = "written_off"
    CLOSED = "closed"


class InstallmentStatus(StrEnum):
    """An installment's status on a date, first match wins: ``paid`` (nothing left),
    ``overdue`` (after its due date, principal or interest unpaid: past due),
    ``fee_unpaid`` (after its due date, principal and interest paid, only a fee unpaid:
    payable, not past due), ``partly_paid`` (something paid, not yet overdue), ``due``
    (due that day), ``future``."""

    PAID = "paid"
    PARTLY_PAID = "partly_paid"
    OVERDUE = "overdue"
    FEE_UNPAID = "fee_unpaid"
    DUE = "due"
    FUTURE = "future"


def _fail(field: str, problem: str) -> InvalidInput:
    return InvalidInput(f"{field} {problem}", field=field)


def _check_minor(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _fail(field, f"must be an int >= 0 (minor units), got {value!r}")
    return value


def _check_date(value: object, field: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise _fail(field, f"must be a date, got {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class InstallmentState:
    """Installment ``n``: the period ``(period_start, due_date]`` its interest accrues
    over, and per component the amount due and the amount paid (paid <= due).

    >>> row = InstallmentState(1, date(2026, 1, 5), date(2026, 2, 5), 94619, 12000, 0)
    >>> row.with_payment(Component.INTEREST, 12000).outstanding(Component.INTEREST)
    0
    """

    n: int
    period_start: date
    due_date: date
    principal_due: int
    interest_due: int
    fee_due: int = 0
    principal_paid: int = 0
    interest_paid: int = 0
    fee_paid: int = 0

    def __post_init__(self) -> None:
        _check_date(self.period_start, "period_start")
        if _check_date(self.due_date, "due_date") <= self.period_start:
            raise _fail("due_date", f"{self.due_date} must be after {self.period_start}")
        for component in INSTALLMENT_COMPONENTS:
            due = _check_minor(self.due(component), f"{component}_due")
            if _check_minor(self.paid(component), f"{component}_paid") > due:
                raise _fail(f"{component}_paid", f"must not exceed the {due} due")

    def due(self, component: Component) -> int:
        """The amount of ``component`` due (principal, interest or fee)."""
        amount: int = getattr(self, f"{component.value}_due")
        return amount

    def paid(self, component: Component) -> int:
        """The amount of ``component`` paid so far."""
        amount: int = getattr(self, f"{component.value}_paid")
        return amount

    def outstanding(self, component: Component) -> int:
        """Due less paid for ``component``."""
        return self.due(component) - self.paid(component)

    @property
    def total_outstanding(self) -> int:
        """Everything of the installment still unpaid."""
        return sum(self.outstanding(c) for c in INSTALLMENT_COMPONENTS)

    @property
    def total_paid(self) -> int:
        return sum(self.paid(c) for c in INSTALLMENT_COMPONENTS)

    @property
    def is_paid(self) -> bool:
        return self.total_outstanding == 0

    @property
    def principal_or_interest_unpaid(self) -> bool:
        """Whether principal or interest is still owed: what makes the installment past
        due after its due date (a fee alone does not, see the module docstring)."""
        return self.outstanding(Component.PRINCIPAL) + self.outstanding(Component.INTEREST) > 0

    def with_payment(self, component: Component, amount: int) -> InstallmentState:
        """A copy with ``amount`` more of ``component`` paid (refused past the amount due)."""
        if amount > self.outstanding(component):
            message = f"installment {self.n}: {amount} exceeds the {component} outstanding"
            raise Conflict(message, field="allocation")
        if component is Component.PRINCIPAL:
            return replace(self, principal_paid=self.principal_paid + amount)
        if component is Component.INTEREST:
            return replace(self, interest_paid=self.interest_paid + amount)
        return replace(self, fee_paid=self.fee_paid + amount)

    def status(self, as_of: date) -> InstallmentStatus:
        """See :class:`InstallmentStatus`."""
        if self.is_paid:
            return InstallmentStatus.PAID
        if self.due_date < as_of:
            if self.principal_or_interest_unpaid:
                return InstallmentStatus.OVERDUE
            return InstallmentStatus.FEE_UNPAID
        if self.total_paid > 0:
            return InstallmentStatus.PARTLY_PAID
        return InstallmentStatus.DUE if self.due_date == as_of else InstallmentStatus.FUTURE


@dataclass(frozen=True, slots=True, kw_only=True)
class LoanState:
    """One loan's servicing state; all amounts are int minor units of ``currency``.

    ``advance``: money received beyond everything due (suspense), applied as items fall
    due.  ``accrued_interest``: contractual interest recognised for the current period,
    not yet due.  ``penalty`` / ``compound``: accrued and unpaid (their ``_paid`` totals
    alongside).  ``accrued_through``: the last day accrued (``None``: nothing yet, as if
    accrued through ``terms.start``).  ``cost_charged``: every borrower cost charged so
    far, for the ceiling; ``ceiling_reached``: that cost stood at the ceiling on the last
    accrued day.  ``contract_date`` picks the regulation values in force.
    ``monthly_fee``: the contract's recurring fees (GPS, insurance) in each installment's
    fee due from booking, *billed* (recognised as receivable and cost) on its due date.
    """

    loan_id: str
    currency: Currency
    terms: LoanTerms
    installments: tuple[InstallmentState, ...]
    contract_date: date
    advance: int = 0
    accrued_interest: int = 0
    penalty: int = 0
    compound: int = 0
    penalty_paid: int = 0
    compound_paid: int = 0
    status: LoanStatus = LoanStatus.ACTIVE
    accrued_through: date | None = None
    cost_charged: int = 0
    ceiling_reached: bool = False
    monthly_fee: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.loan_id, str) or not self.loan_id:
            raise _fail("loan_id", "must be a non-empty string")
        if self.currency != self.terms.principal.currency:
            raise CurrencyMismatch("the state and its terms differ in currency", field="currency")
        _check_date(self.contract_date, "contract_date")
        if self.accrued_through is not None:
            _check_date(self.accrued_through, "accrued_through")
        for field in ("advance", "accrued_interest", "penalty", "compound", "penalty_paid",
                      "compound_paid", "cost_charged", "monthly_fee"):  # fmt: skip
            _check_minor(getattr(self, field), field)
        _check_installments(self.installments)
        if not isinstance(self.status, LoanStatus):
            raise _fail("status", f"must be a LoanStatus, got {self.status!r}")

    @classmethod
    def from_schedule(
        cls,
        loan_id: str,
        schedule: Schedule,
        *,
        contract_date: date | None = None,
        cost_charged: Money | None = None,
        monthly_fee: Money | None = None,
    ) -> LoanState:
        """A fresh, active state from a schedule: nothing paid, nothing accrued.

        Each row's interest due is what the borrower pays as interest in it
        (``interest + deferred_interest_paid``) and its principal due is ``principal``.
        ``contract_date`` defaults to ``terms.start``; ``cost_charged`` is any cost
        charged up front (e.g. an arrangement fee), counted toward the ceiling;
        ``monthly_fee`` (e.g. GPS 30.00 + insurance 50.00 = 80.00) is each row's fee due.
        """
        terms = schedule.terms
        fee = 0 if monthly_fee is None else _same_currency(monthly_fee, terms).minor
        starts = (terms.start, *(row.due_date for row in schedule.rows[:-1]))
        rows = tuple(
            InstallmentState(row.n, start, row.due_date, row.principal, _interest_due(row), fee)
            for row, start in zip(schedule.rows, starts, strict=True)
        )
        upfront = 0 if cost_charged is None else _same_currency(cost_charged, terms).minor
        return cls(loan_id=loan_id, currency=schedule.currency, terms=terms, installments=rows,
                   contract_date=contract_date or terms.start, monthly_fee=fee,
                   cost_charged=_check_minor(upfront, "cost_charged"))  # fmt: skip

    def money(self, minor: int) -> Money:
        """An amount of this loan as :class:`Money`."""
        return Money(minor, self.currency)

    @property
    def outstanding_principal(self) -> int:
        """Principal not yet repaid, due or not."""
        return sum(row.outstanding(Component.PRINCIPAL) for row in self.installments)

    def overdue_on(self, as_of: date) -> tuple[InstallmentState, ...]:
        """Installments unpaid after their due date: ``due_date <= as_of - 1``."""
        return tuple(r for r in self.installments if r.due_date < as_of and not r.is_paid)

    def past_due_on(self, as_of: date) -> tuple[InstallmentState, ...]:
        """The overdue installments with principal or interest unpaid (those that count
        for days past due; one owing only a fee does not)."""
        return tuple(r for r in self.overdue_on(as_of) if r.principal_or_interest_unpaid)

    def current_on(self, as_of: date) -> tuple[InstallmentState, ...]:
        """The installment due on ``as_of`` if it is not fully paid (at most one)."""
        return tuple(r for r in self.installments if r.due_date == as_of and not r.is_paid)

    def overdue_amount(self, component: Component, as_of: date) -> int:
        """Unpaid ``component`` of the installments overdue on ``as_of``."""
        return sum(row.outstanding(component) for row in self.overdue_on(as_of))

    def unbilled_fees(self, as_of: date) -> int:
        """The monthly fees of installments due after ``as_of``: contractual, not yet
        billed, so neither receivable nor cost (a payoff on ``as_of`` drops them).

        E.g. 80.00 a month and 10 installments due after ``as_of``: 800.00.
        """
        later = (r for r in self.installments if r.due_date > as_of)
        return sum(min(self.monthly_fee, r.outstanding(Component.FEE)) for r in later)

    def days_past_due(self, as_of: date) -> int:
        """Days since the earliest due date before ``as_of`` of an installment whose
        principal or interest is unpaid (0 if none): an unpaid fee alone counts no day
        (module docstring)."""
        past_due = self.past_due_on(as_of)
        return (as_of - past_due[0].due_date).days if past_due else 0

    def next_due(self, as_of: date) -> InstallmentState | None:
        """The first installment due on or after ``as_of`` that is not fully paid."""
        return next((r for r in self.installments if r.due_date >= as_of and not r.is_paid), None)

    def installment_status(self, as_of: date) -> dict[int, InstallmentStatus]:
        """Each installment's :class:`InstallmentStatus` on ``as_of``, by ``n``."""
        return {row.n: row.status(as_of) for row in self.installments}

    def amount_due(self, as_of: date) -> int:
        """Everything payable on ``as_of``: penalty and compound, the overdue installments
        and the one due that day.  Paying exactly this leaves nothing due."""
        rows = self.overdue_on(as_of) + self.current_on(as_of)
        return self.penalty + self.compound + sum(r.total_outstanding for r in rows)

    @property
    def is_settled(self) -> bool:
        """Every installment paid, no penalty or compound left."""
        unpaid = self.penalty or self.compound
        return not unpaid and all(row.is_paid for row in self.installments)

    def with_installment(self, row: InstallmentState) -> LoanState:
        """A copy with installment ``row.n`` replaced."""
        rows = list(self.installments)
        rows[row.n - 1] = row
        return replace(self, installments=tuple(rows))


def _interest_due(row: ScheduleRow) -> int:
    """The interest the borrower pays in ``row``: its own and any deferred interest."""
    return row.interest + row.deferred_interest_paid


def _same_currency(amount: Money, terms: LoanTerms) -> Money:
    if not isinstance(amount, Money):
        raise _fail("amount", f"must be Money, got {type(amount).__name__}")
    if amount.currency != terms.principal.currency:
        message = f"expected {terms.principal.currency.code}, got {amount.currency.code}"
        raise CurrencyMismatch(message, field="currency")
    return amount


def _check_installments(rows: object) -> None:
    if not isinstance(rows, tuple) or not rows:
        raise _fail("installments", "must be a non-empty tuple")
    for index, row in enumerate(rows, start=1):
        if not isinstance(row, InstallmentState) or row.n != index:
            raise _fail("installments", f"must be InstallmentState numbered 1.., at {index}")
        if index > 1 and row.period_start != rows[index - 2].due_date:
            raise _fail("installments", f"period {index} must start on the previous due date")
