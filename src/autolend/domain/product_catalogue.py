"""The demo product catalogue: eight China products, CNY, in force from 2026-01-01.

Numbers from ``shared/domain/REGULATION.md`` where it gives them:

* terms at most 60 months for new cars, 36 for used (汽车贷款管理办法 2017);
* LTV: used cars at most 70 %; new self-use cars set by the lender since 2024-04 (before:
  ICE 80 %, NEV 85 %), so the catalogue keeps 80 % / 85 % for standard loans and lends
  up to 90 % only to young first-time buyers;
* every rate range stays under the 24 % comprehensive cost ceiling with its fees;
* penalty uplift 30 %..50 % over the contract rate (PBOC 2003), 50 % unless stated;
* prepayment: the fee is waived on a trade-in (2024 notice encourages it);
* the NEV green loan's state interest subsidy follows the consumer-loan subsidy plan
  2025-09-01..2026-08-31: 1 point a year, at most 50 % of the contract rate, on at most
  50,000 CNY of the loan (单笔5万元及以上的重点领域消费, 贴息上限为5万元额度以内), at most
  3,000 CNY per borrower at this lender over all their loans under the plan; from
  2026-09-01 (version 2) the maker pays 1 point on the whole loan instead.

>>> [p.code for p in DEMO_PRODUCTS]
['STD_NEW', 'NEV_GREEN', 'YOUNG_FIRST', 'USED_CAR', 'SEASONAL', 'SENIOR_INSURED',
 'OEM_ZERO', 'BALLOON']
>>> len(DEMO_HISTORY), NEV_GREEN.version, NEV_GREEN_2025.effective_to
(9, 2, datetime.date(2026, 8, 31))
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from autolend.domain.fees import Fee, FeeKind, FeeTiming
from autolend.domain.money import Money
from autolend.domain.payoff import PrepaymentFeeRule
from autolend.domain.products import (
    Eligibility,
    Employment,
    Energy,
    LateFee,
    Product,
    ProductSubsidy,
    VehicleCondition,
)
from autolend.domain.schedule import Method

__all__ = [
    "BALLOON", "DEMO_FROM", "DEMO_HISTORY", "DEMO_PRODUCTS", "NEV_GREEN", "NEV_GREEN_2025",
    "OEM_ZERO", "SEASONAL", "SENIOR_INSURED", "STANDARD_NEW", "USED_CAR", "YOUNG_FIRST",
]  # fmt: skip

DEMO_FROM = date(2026, 1, 1)
_D = Decimal
NEW, USED = (VehicleCondition.NEW,), (VehicleCondition.USED,)
NEV_ONLY = (Energy.NEV,)
WORKING = (Employment.SALARIED, Employment.SELF_EMPLOYED)


def _cny(text: str) -> Money:
    return Money.parse(text, "CNY")


ORIGINATION = Fee(kind=FeeKind.ORIGINATION, rate_of_amount=_D("0.01"))
GPS = Fee(kind=FeeKind.GPS, amount=_cny("1500"), financed=True)
WAIVED, TWO_PCT = PrepaymentFeeRule.WAIVED_TRADE_IN, _D("0.02")

STANDARD_NEW = Product(
    code="STD_NEW", name_zh="标准新车贷", name_en="Standard new car loan",
    effective_from=DEMO_FROM, rate_min=_D("0.0399"), rate_max=_D("0.0899"),
    terms=(12, 24, 36, 48, 60), min_down_payment_ratio=_D("0.20"),
    max_ltv_new=_D("0.80"), max_ltv_used=_D("0.70"),
    min_amount=_cny("30000"), max_amount=_cny("800000"),
    eligibility=Eligibility(conditions=NEW, employment=WORKING),
    fees=(ORIGINATION, GPS), prepayment_fee_rule=WAIVED, prepayment_fee_rate=TWO_PCT,
)  # fmt: skip
"""12..60 months, 20 % down, LTV 80 %, 1 % origination fee in cash, GPS financed."""

NEV_GREEN_2025 = Product(
    code="NEV_GREEN", name_zh="新能源绿色贷", name_en="NEV green loan",
    effective_from=DEMO_FROM, effective_to=date(2026, 8, 31),
    rate_min=_D("0.0299"), rate_max=_D("0.0699"), terms=(12, 24, 36, 48, 60),
    min_down_payment_ratio=_D("0.15"), max_ltv_new=_D("0.85"), max_ltv_used=_D("0.70"),
    min_amount=_cny("30000"), max_amount=_cny("600000"),
    eligibility=Eligibility(conditions=NEW, energies=NEV_ONLY, employment=WORKING),
    subsidy=ProductSubsidy(subsidiser="state", rate_points=_D("0.01"), max_share=_D("0.5"),
                           cap=_cny("3000"), settlement="receivable",
                           principal_cap=_cny("50000")),
    prepayment_fee_rule=WAIVED, prepayment_fee_rate=TWO_PCT,
)  # fmt: skip
"""NEV only, a lower rate, 15 % down, the state's 1-point subsidy on at most 50,000 CNY
of the loan, at most 3,000 CNY per borrower."""

NEV_GREEN = replace(
    NEV_GREEN_2025, version=2, effective_from=date(2026, 9, 1), effective_to=None,
    subsidy=ProductSubsidy(subsidiser="oem", rate_points=_D("0.01"), max_share=_D("0.5")),
)  # fmt: skip
"""Version 2: the state plan ended 2026-08-31; the maker pays the 1 point."""

YOUNG_FIRST = Product(
    code="YOUNG_FIRST", name_zh="青年首购贷", name_en="Young first-time buyer loan",
    effective_from=DEMO_FROM, rate_min=_D("0.0499"), rate_max=_D("0.0999"),
    terms=(12, 24, 36, 48, 60), min_down_payment_ratio=_D("0.10"),
    max_ltv_new=_D("0.90"), max_ltv_used=_D("0.70"),
    min_amount=_cny("20000"), max_amount=_cny("300000"),
    eligibility=Eligibility(min_age=18, max_age=30, max_age_at_maturity=36, conditions=NEW,
                            employment=WORKING, first_time_buyer_only=True,
                            max_dsr=_D("0.45")),
    fees=(ORIGINATION,), prepayment_fee_rule=WAIVED, prepayment_fee_rate=TWO_PCT,
)  # fmt: skip
"""Ages 18-30, first car only, 10 % down (LTV 90 %, lender-set since 2024-04), 60 months."""

USED_CAR = Product(
    code="USED_CAR", name_zh="二手车贷", name_en="Used car loan",
    effective_from=DEMO_FROM, rate_min=_D("0.0599"), rate_max=_D("0.1299"),
    terms=(12, 24, 36), min_down_payment_ratio=_D("0.30"),
    max_ltv_new=_D("0.70"), max_ltv_used=_D("0.70"),
    min_amount=_cny("50000"), max_amount=_cny("500000"),
    eligibility=Eligibility(conditions=USED, employment=WORKING),
    fees=(ORIGINATION, GPS), waterfall="non_performing",
    prepayment_fee_rule=WAIVED, prepayment_fee_rate=TWO_PCT,
    late_fee=LateFee(amount=_cny("50"), after_days=15),
)  # fmt: skip
"""Used cars: LTV at most 70 % of the lower of price and appraisal, at most 36 months; a
late fee of 50.00 on an installment unpaid 15 days after its due date (within the cost
ceiling)."""

SEASONAL = Product(
    code="SEASONAL", name_zh="个体农户季节贷", name_en="Self-employed & farmer seasonal loan",
    effective_from=DEMO_FROM, rate_min=_D("0.0599"), rate_max=_D("0.1199"),
    terms=(12, 24, 36), method=Method.STEP,
    step_weights=(*[_D("0.5")] * 6, _D(1), _D(1), _D("2.5"), _D("2.5"), _D(1), _D(1)),
    min_down_payment_ratio=_D("0.25"), max_ltv_new=_D("0.75"), max_ltv_used=_D("0.70"),
    min_amount=_cny("20000"), max_amount=_cny("400000"),
    eligibility=Eligibility(conditions=(*NEW, *USED),
                            employment=(Employment.SELF_EMPLOYED, Employment.FARMER)),
    fees=(ORIGINATION,), waterfall="principal_first", penalty_uplift=_D("0.3"),
)  # fmt: skip
"""Installments weighted to the harvest months (months 9-10 of each year of the loan)."""

SENIOR_INSURED = Product(
    code="SENIOR_INSURED", name_zh="长者安心贷", name_en="Senior borrower loan (insured)",
    effective_from=DEMO_FROM, rate_min=_D("0.0499"), rate_max=_D("0.0899"),
    terms=(12, 24, 36), min_down_payment_ratio=_D("0.30"),
    max_ltv_new=_D("0.70"), max_ltv_used=_D("0.70"),
    min_amount=_cny("20000"), max_amount=_cny("300000"),
    eligibility=Eligibility(min_age=55, max_age=70, max_age_at_maturity=72,
                            conditions=(*NEW, *USED),
                            employment=(*WORKING, Employment.RETIRED), max_dsr=_D("0.4")),
    fees=(Fee(kind=FeeKind.CREDIT_INSURANCE, rate_of_amount=_D("0.0005"),
              timing=FeeTiming.MONTHLY),),
    credit_insurance_required=True, prepayment_fee_rule=WAIVED, prepayment_fee_rate=TWO_PCT,
)  # fmt: skip
"""Ages 55-70 (72 at maturity), retired welcome, credit insurance 0.05 % a month."""

OEM_ZERO = Product(
    code="OEM_ZERO", name_zh="厂商零息购车", name_en="0 % car-maker promotion",
    effective_from=DEMO_FROM, rate_min=_D("0.045"), rate_max=_D("0.06"),
    terms=(12, 24, 36), min_down_payment_ratio=_D("0.30"),
    max_ltv_new=_D("0.70"), max_ltv_used=_D("0.70"),
    min_amount=_cny("30000"), max_amount=_cny("500000"),
    eligibility=Eligibility(conditions=NEW, employment=WORKING),
    subsidy=ProductSubsidy(subsidiser="oem", customer_rate=_D("0")),
)  # fmt: skip
"""The borrower pays 0 %; the maker pays the contract-rate interest, deducted at source."""

BALLOON = Product(
    code="BALLOON", name_zh="弹性尾款贷", name_en="Balloon loan",
    effective_from=DEMO_FROM, rate_min=_D("0.0499"), rate_max=_D("0.0899"),
    terms=(24, 36), method=Method.BALLOON, balloon_ratio=_D("0.30"),
    min_down_payment_ratio=_D("0.20"), max_ltv_new=_D("0.80"), max_ltv_used=_D("0.70"),
    min_amount=_cny("50000"), max_amount=_cny("800000"),
    eligibility=Eligibility(conditions=NEW, employment=WORKING),
    fees=(ORIGINATION, GPS), prepayment_fee_rule=WAIVED, prepayment_fee_rate=TWO_PCT,
)  # fmt: skip
"""弹性尾款: lower installments, 30 % of the price due with the last one."""

DEMO_PRODUCTS: tuple[Product, ...] = (
    STANDARD_NEW, NEV_GREEN, YOUNG_FIRST, USED_CAR, SEASONAL, SENIOR_INSURED, OEM_ZERO, BALLOON,
)  # fmt: skip
"""The current version of each demo product."""

DEMO_HISTORY: tuple[Product, ...] = (NEV_GREEN_2025, *DEMO_PRODUCTS)
"""Every demo version, in publishing order (the NEV green loan has two)."""
