"""A built repayment schedule: its rows and totals, all amounts in integer minor units.

Row identities (checked by the tests for every method and option):

* ``payment = principal + interest + deferred_interest_paid``
* ``closing_balance = opening_balance + capitalised_interest - principal``
* the last row closes at 0, and the principal column sums to the amount lent plus
  all capitalised interest.

``interest`` is the interest the borrower pays in the row for its own period;
``capitalised_interest`` is interest of the period added to the balance instead of
paid (a capitalised payment holiday, or a step installment smaller than the interest);
``deferred_interest`` is interest of a deferred payment holiday set aside, and
``deferred_interest_paid`` its repayment with the first regular installment;
``subsidy_interest`` is what a subsidiser pays the lender on top (never part of the
borrower's payment).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal, NamedTuple

from autolend.domain.money import Currency, Money
from autolend.domain.schedule.terms import LoanTerms

__all__ = ["RowAmount", "Schedule", "ScheduleRow"]

RowAmount = Literal[
    "opening_balance", "principal", "interest", "payment", "closing_balance",
    "subsidy_interest", "capitalised_interest", "deferred_interest",
    "deferred_interest_paid",
]  # fmt: skip

_ROW_AMOUNTS: tuple[RowAmount, ...] = (
    "opening_balance", "principal", "interest", "payment", "subsidy_interest",
    "capitalised_interest", "deferred_interest", "deferred_interest_paid",
)  # fmt: skip


class ScheduleRow(NamedTuple):
    """One installment: ``n`` (from 1), its due date, accrual ``days`` by the day count,
    and amounts in minor units of ``currency``.  ``grace`` marks a grace-period row.

    An immutable named tuple rather than a frozen dataclass: a schedule makes one per
    period, and a named tuple is about three times cheaper to build.
    """

    n: int
    due_date: date
    days: int
    opening_balance: int
    principal: int
    interest: int
    payment: int
    closing_balance: int
    currency: Currency
    subsidy_interest: int = 0
    capitalised_interest: int = 0
    deferred_interest: int = 0
    deferred_interest_paid: int = 0
    grace: bool = False

    @property
    def balance(self) -> int:
        """Alias of ``closing_balance``: what is owed after this row is paid."""
        return self.closing_balance

    def money(self, name: RowAmount) -> Money:
        """An amount of the row as Money: ``row.money("payment")``."""
        amount: int = getattr(self, name)
        return Money(amount, self.currency)

    def to_dict(self) -> dict[str, object]:
        """Wire form: amounts as decimal strings (``"305.00"``), the date in ISO form."""
        cur = self.currency
        data: dict[str, object] = {"n": self.n, "due_date": self.due_date.isoformat(),
                                   "days": self.days}  # fmt: skip
        for name in _ROW_AMOUNTS:
            data[name] = Money(getattr(self, name), cur).to_api()
        data["balance"] = Money(self.closing_balance, cur).to_api()
        data["grace"] = self.grace
        return data


@dataclass(frozen=True, slots=True)
class Schedule:
    """The rows of a loan and their totals (summed from the rows when asked for).

    ``total_payment = total_principal + total_interest``, where ``total_principal``
    sums the principal column (the loan plus any capitalised interest) and
    ``total_interest`` the interest and deferred interest the borrower pays.  The
    borrower's cost of credit is therefore ``total_payment - terms.principal``.
    ``regular_installment`` is the level installment of the method, or for methods
    without one the first regular row's principal + interest.
    """

    terms: LoanTerms
    rows: tuple[ScheduleRow, ...]
    regular_installment: Money

    def _total(self, minor: int) -> Money:
        return Money(minor, self.terms.principal.currency)

    @property
    def total_principal(self) -> Money:
        """Sum of the principal column: the loan plus capitalised interest."""
        return self._total(sum(row.principal for row in self.rows))

    @property
    def total_interest(self) -> Money:
        """Interest the borrower pays: the interest and deferred-interest columns."""
        return self._total(sum(row.interest + row.deferred_interest_paid for row in self.rows))

    @property
    def total_payment(self) -> Money:
        """Sum of the payment column (= total principal + total interest)."""
        return self._total(sum(row.payment for row in self.rows))

    @property
    def total_subsidy(self) -> Money:
        """What the subsidiser pays the lender over the life of the loan."""
        return self._total(sum(row.subsidy_interest for row in self.rows))

    @property
    def total_capitalised_interest(self) -> Money:
        """Interest added to the balance instead of being paid."""
        return self._total(sum(row.capitalised_interest for row in self.rows))

    @property
    def currency(self) -> Currency:
        return self.terms.principal.currency

    def to_dict(self) -> dict[str, object]:
        """Wire form, e.g. ``{"installment": "304.91", "total_interest": "488.41", ...,
        "rows": [{"n": 1, "due_date": "2022-12-01", "days": 30, "principal": "254.91",
        "interest": "50.00", "payment": "304.91", "balance": "4745.09", ...}, ...]}``."""
        return {
            "currency": self.currency.code,
            "installment": self.regular_installment.to_api(),
            "total_principal": self.total_principal.to_api(),
            "total_interest": self.total_interest.to_api(),
            "total_payment": self.total_payment.to_api(),
            "total_subsidy": self.total_subsidy.to_api(),
            "total_capitalised_interest": self.total_capitalised_interest.to_api(),
            "rows": [row.to_dict() for row in self.rows],
        }
