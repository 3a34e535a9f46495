"""A fee charged by hand stays within the regulation pack's comprehensive cost ceiling.

The ceiling counts every borrower cost (REGULATION.md: interest, fees, insurance,
penalty) as an annual rate; origination checks it on every offer, and a fee charged
later must not lift the contract above it. The contract's cost with the fee is the
annualised rate (PBOC [2021] No. 3, :func:`~autolend.domain.apr.cn_annualised_rate`) of
the principal against its schedule's installments, the monthly fees, the fees charged by
hand since (late fees left out: they follow a default, not the contract) and the new fee
on its installment. E.g. 12,000.00 over 12 months at 12 % (1,066.19 a month) costs
12.00 % a year; with a fee of 600.00 on installment 2, 21.50 %: charged; with 999,999.00
there, 9,814.44 %: refused on ``amount`` (CN's ceiling is 24 %).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal

from autolend.domain.apr import cn_annualised_rate
from autolend.domain.borrower_apr import first_period_fraction
from autolend.domain.cost_ceiling import CeilingStatus, cost_ceiling_check
from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money
from autolend.domain.regulation import known_pack
from autolend.domain.schedule import build_schedule
from autolend.services.loan_ports import LoanEventRow, LoanRecord
from autolend.services.terms_codec import load_servicing, load_terms

__all__ = ["check_fee_under_ceiling"]


def check_fee_under_ceiling(
    loan: LoanRecord, events: Sequence[LoanEventRow], fee: Money, n: int
) -> None:
    """Refuse, on ``amount``, a fee on installment ``n`` that lifts the contract's cost
    above its pack's ceiling; the message names the cost and the ceiling."""
    terms, code = load_terms(loan.terms_json)
    pack = known_pack(code)
    if pack is None:
        return
    schedule = build_schedule(terms)
    extra = _hand_fees(events) + Counter({n: fee.minor})
    monthly = load_servicing(loan.terms_json).monthly_minor
    payments = [Decimal(r.payment + monthly + extra[r.n]) for r in schedule.rows]
    if any(p <= 0 for p in payments):  # a row with nothing due: no periodic rate to solve
        return
    cost = cn_annualised_rate(
        Decimal(terms.principal.minor), payments, terms.frequency.periods_per_year,
        first_period_fraction=first_period_fraction(schedule),
    )  # fmt: skip
    ceiling = pack.cost_ceiling(loan.start_date)
    if cost_ceiling_check(cost, ceiling.ceiling, ceiling.warn_at) is CeilingStatus.BREACH:
        raise InvalidInput(
            f"the fee {fee.to_api()} {fee.currency.code} would raise the loan's cost to "
            f"{cost.nominal_percent()} % a year, above the {pack.code} ceiling of "
            f"{ceiling.ceiling * 100:.2f} %",
            field="amount",
        )


def _hand_fees(events: Sequence[LoanEventRow]) -> Counter[int]:
    """The fees charged by hand and standing, by installment; late fees left out."""
    found: Counter[int] = Counter()
    for e in events:
        details = json.loads(e.details_json) if e.details_json else {}
        if e.kind == "fee" and e.status == "posted" and details.get("fee") != "late_fee":
            n = details.get("n")
            if isinstance(n, int):
                found[n] += e.amount_minor
    return found
