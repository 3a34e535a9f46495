"""Interest subsidies (贴息): a third party buys the borrower's rate down.

The borrower's schedule is built with the method at ``subsidy.customer_rate``: its
installments, principal path and ``interest`` column are what the borrower pays.  The
lender still earns the contract ``annual_rate`` on that same principal path, so each
row records

    ``subsidy_interest = round(base x annual_rate x factor) - customer interest``

where ``base`` is the row's opening balance (the original amount for flat-rate regular
rows), ``factor`` the period's year fraction, and "customer interest" everything the
customer rate accrued in the row (paid, capitalised or deferred).  The subsidiser
(``oem``, ``dealer``, ``state``) pays ``subsidy_interest`` to the lender; the lender's
interest is customer interest + subsidy.

Example: a 0 % OEM promotion on 120,000.00 over 12 months, contract rate 6 %: the
borrower pays 10,000.00 a month and no interest; the OEM pays 600.00 for the first
month (120,000.00 x 0.5 %), 550.00 for the second, and so on.
"""

from __future__ import annotations

from autolend.domain.schedule.dates import Periods
from autolend.domain.schedule.result import ScheduleRow
from autolend.domain.schedule.rounding import round_interest
from autolend.domain.schedule.terms import LoanTerms

__all__ = ["apply_subsidy"]


def apply_subsidy(
    terms: LoanTerms, periods: Periods, rows: list[ScheduleRow], flat_base: int | None
) -> list[ScheduleRow]:
    """``rows`` (built at the customer rate) with ``subsidy_interest`` filled in."""
    rate_nums, dens = periods.rate_factors(terms.annual_rate)
    mode = terms.rounding
    subsidised: list[ScheduleRow] = []
    for i, row in enumerate(rows):
        base = row.opening_balance
        if flat_base is not None and not row.grace and base > 0:
            base = flat_base
        contract = round_interest(base, rate_nums[i], dens[i], mode)
        accrued = row.interest + row.capitalised_interest + row.deferred_interest
        subsidised.append(row._replace(subsidy_interest=contract - accrued))
    return subsidised
