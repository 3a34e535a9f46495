"""The named choices of a loan's terms (frequency, method, interest basis, grace kind)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Frequency", "GraceKind", "InterestBasis", "Method"]


class Frequency(StrEnum):
    """How often an installment falls due.

    Month-based frequencies step in calendar months (``months``); the others step in
    days (``days``).  Semimonthly is two dates a month: the first due date's day and
    15 days after it (see :mod:`autolend.domain.schedule.dates`).
    """

    MONTHLY = "monthly"
    SEMIMONTHLY = "semimonthly"
    BIWEEKLY = "biweekly"
    WEEKLY = "weekly"
    QUARTERLY = "quarterly"

    @property
    def periods_per_year(self) -> int:
        """12, 24, 26, 52 or 4: the divisor of the annual rate on the period basis."""
        return _PER_YEAR[self.value]

    @property
    def months(self) -> int:
        """Calendar months in one period (1 or 3), 0 for a day-based frequency."""
        return _MONTHS.get(self.value, 0)

    @property
    def days(self) -> int:
        """Days in one period (7, 14, or 15 for semimonthly), 0 for month-based ones."""
        return _DAYS.get(self.value, 0)


_PER_YEAR = {"monthly": 12, "semimonthly": 24, "biweekly": 26, "weekly": 52, "quarterly": 4}
_MONTHS = {"monthly": 1, "quarterly": 3}
_DAYS = {"semimonthly": 15, "biweekly": 14, "weekly": 7}


class Method(StrEnum):
    """How principal is repaid; see :mod:`autolend.domain.schedule.methods`."""

    EQUAL_INSTALLMENT = "equal_installment"  # 等额本息, annuity
    EQUAL_PRINCIPAL = "equal_principal"  # 等额本金, declining installments
    FLAT = "flat"  # interest on the original principal every period
    INTEREST_ONLY = "interest_only"  # 先息后本, principal at maturity
    BALLOON = "balloon"  # 弹性尾款, annuity down to a residual
    STEP = "step"  # weighted installments, e.g. seasonal income


class InterestBasis(StrEnum):
    """How a period's interest is measured.

    ``period``: balance x annual rate / periods per year, whatever the period's length
    (a first period of irregular length is pro-rated, see ``dates``).  ``daily``:
    balance x annual rate x the day-count year fraction of the actual accrual period.
    """

    PERIOD = "period"
    DAILY = "daily"


class GraceKind(StrEnum):
    """What the borrower pays during the grace periods at the start of the loan.

    ``interest_only``: the period's interest.  ``holiday_capitalised``: nothing; the
    interest is added to the balance, and the regular installment is computed on that
    larger balance.  ``holiday_deferred``: nothing; the interest is set aside without
    bearing interest and paid in full with the first regular installment.
    """

    INTEREST_ONLY = "interest_only"
    HOLIDAY_CAPITALISED = "holiday_capitalised"
    HOLIDAY_DEFERRED = "holiday_deferred"
