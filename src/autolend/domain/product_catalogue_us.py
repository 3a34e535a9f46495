"""The US demo product catalogue: three products under the US pack, in USD, in force from
2026-01-01 (what ``AUTOLEND_JURISDICTION=US make run`` publishes instead of the CN one).

Rates, fees, terms and the late charge are illustrative demo values, chosen to look like a
US auto lender's and to sit inside the US pack (``regulation.packs.US_PACK``), which is
lender policy rather than law (marked ``?``): terms up to 84 months new, 72 used; LTV at
most 125 %; the lender's own 36 % cost limit; no penalty interest and no compounding of
overdue interest. So:

* every product has penalty uplift 0 (the pack's only value) and no prepayment fee;
* the late charge is a flat 25.00 on an installment still unpaid 10 days after its due
  date, charged once per installment (the pack never pyramids late fees);
* no upper age limit (the US pack refuses one); retirees may borrow on their pension;
* the new- and used-car loans carry a 199.00 documentation fee, financed, so it counts in
  the APR and the loan-to-value; the 0 % promotion has no fee, so its APR is 0 %;
* LTV at most 100 % of the price (new) or 95 % of the lower of price and book value
  (used) with the fee financed: well inside the pack's 125 %.

>>> [(p.code, p.terms[-1]) for p in US_DEMO_PRODUCTS]
[('US_NEW_AUTO', 84), ('US_USED_AUTO', 72), ('US_PROMO_0APR', 60)]
>>> {(p.pack, p.currency, str(p.penalty_uplift)) for p in US_DEMO_PRODUCTS}
{('US', 'USD', '0')}
"""

from __future__ import annotations

from decimal import Decimal

from autolend.domain.fees import Fee, FeeKind
from autolend.domain.money import Money
from autolend.domain.product_catalogue import DEMO_FROM
from autolend.domain.products import (
    Eligibility,
    Employment,
    LateFee,
    Product,
    ProductSubsidy,
    VehicleCondition,
)

__all__ = [
    "US_DEMO_HISTORY", "US_DEMO_PRODUCTS", "US_NEW_AUTO", "US_PROMO_0APR", "US_USED_AUTO",
]  # fmt: skip

_D = Decimal
# Retirement income counts as income: a US lender does not turn a retiree away for it.
_EMPLOYED = (Employment.SALARIED, Employment.SELF_EMPLOYED, Employment.RETIRED)


def _usd(text: str) -> Money:
    return Money.parse(text, "USD")


DOC_FEE = Fee(kind=FeeKind.OTHER, name="documentation", amount=_usd("199"), financed=True)
"""A flat documentation fee, financed with the loan (so it is in the finance charge)."""
LATE_CHARGE = LateFee(amount=_usd("25"), after_days=10)
"""25.00 once on an installment unpaid 10 days after its due date."""

US_NEW_AUTO = Product(
    code="US_NEW_AUTO", name_zh="美国新车贷", name_en="New vehicle loan",
    effective_from=DEMO_FROM, pack="US", currency="USD",
    rate_min=_D("0.0549"), rate_max=_D("0.1499"), terms=(24, 36, 48, 60, 72, 84),
    min_down_payment_ratio=_D("0.10"), max_ltv_new=_D("1.00"), max_ltv_used=_D("1.00"),
    min_amount=_usd("5000"), max_amount=_usd("100000"),
    eligibility=Eligibility(conditions=(VehicleCondition.NEW,), employment=_EMPLOYED,
                            max_dsr=_D("0.45")),
    fees=(DOC_FEE,), late_fee=LATE_CHARGE,
)  # fmt: skip
"""New cars, 24..84 months at 5.49 %..14.99 %, 10 % down, the documentation fee financed."""

US_USED_AUTO = Product(
    code="US_USED_AUTO", name_zh="美国二手车贷", name_en="Used vehicle loan",
    effective_from=DEMO_FROM, pack="US", currency="USD",
    rate_min=_D("0.0699"), rate_max=_D("0.1999"), terms=(24, 36, 48, 60, 72),
    min_down_payment_ratio=_D("0.15"), max_ltv_new=_D("0.95"), max_ltv_used=_D("0.95"),
    min_amount=_usd("3000"), max_amount=_usd("60000"),
    eligibility=Eligibility(conditions=(VehicleCondition.USED,), employment=_EMPLOYED,
                            max_dsr=_D("0.45")),
    fees=(DOC_FEE,), late_fee=LATE_CHARGE,
)  # fmt: skip
"""Used cars, 24..72 months at 6.99 %..19.99 %, 15 % down, LTV 95 % with the fee."""

US_PROMO_0APR = Product(
    code="US_PROMO_0APR", name_zh="美国厂商零利率促销", name_en="0% APR manufacturer promotion",
    effective_from=DEMO_FROM, pack="US", currency="USD",
    rate_min=_D("0.045"), rate_max=_D("0.065"), terms=(36, 48, 60),
    min_down_payment_ratio=_D("0.10"), max_ltv_new=_D("0.90"), max_ltv_used=_D("0.90"),
    min_amount=_usd("10000"), max_amount=_usd("80000"),
    eligibility=Eligibility(conditions=(VehicleCondition.NEW,), employment=_EMPLOYED,
                            max_dsr=_D("0.40")),
    subsidy=ProductSubsidy(subsidiser="oem", customer_rate=_D("0")),
    late_fee=LATE_CHARGE,
)  # fmt: skip
"""The borrower pays 0 %; the maker pays the contract-rate interest (4.5 %..6.5 %)."""

US_DEMO_PRODUCTS: tuple[Product, ...] = (US_NEW_AUTO, US_USED_AUTO, US_PROMO_0APR)
"""The current version of each US demo product."""

US_DEMO_HISTORY: tuple[Product, ...] = US_DEMO_PRODUCTS
"""Every US demo version, in publishing order (one each)."""
