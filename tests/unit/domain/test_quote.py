"""Fees, quotes, APR, term comparison, affordability and the cost-ceiling check.

numpy-financial (binary floating point) is an independent reference for the golden
figures; the domain itself never uses floats.
"""

from __future__ import annotations

import decimal
import doctest
import importlib
import time
from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

import numpy_financial as npf  # type: ignore[import-untyped]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autolend.domain.apr import AnnualisedRate
from autolend.domain.errors import CurrencyMismatch, InvalidInput
from autolend.domain.fees import Fee, FeeKind, FeeTiming, split_fees
from autolend.domain.money import Money, currency
from autolend.domain.quote import (
    CeilingStatus,
    QuoteRequest,
    affordable_price,
    build_quote,
    compare_terms,
    cost_ceiling_check,
    first_payment,
    first_period_fraction,
    installment_to_income,
)
from autolend.domain.schedule import Method, Subsidy

CNY = currency("CNY")
MONTHLY = FeeTiming.MONTHLY


def cny(text: str) -> Money:
    return Money.parse(text, "CNY")


def golden_request(**changes: object) -> QuoteRequest:
    """150,000.00 car, 30 % down, 36 months at 4.5 %, regular first month, no fees."""
    base = QuoteRequest(
        vehicle_price=cny("150000"),
        down_payment_ratio=Decimal("0.3"),
        annual_rate=Decimal("0.045"),
        term_months=36,
        start=date(2024, 3, 10),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


ORIGINATION_1PCT = Fee(kind=FeeKind.ORIGINATION, rate_of_amount=Decimal("0.01"))


# --- fees ---------------------------------------------------------------------------------


def test_a_fee_is_a_fixed_amount_or_a_rate_of_the_vehicle_amount_financed() -> None:
    base = cny("105000")
    assert ORIGINATION_1PCT.amount_on(base) == cny("1050")
    assert Fee(kind=FeeKind.GPS, amount=cny("1500")).amount_on(base) == cny("1500")


def test_fees_are_grouped_by_how_the_borrower_pays_them() -> None:
    fees = (
        ORIGINATION_1PCT,
        Fee(kind=FeeKind.GPS, amount=cny("1500"), financed=True),
        Fee(kind=FeeKind.CREDIT_INSURANCE, amount=cny("2000"), financed=True),
        Fee(kind=FeeKind.CREDIT_INSURANCE, amount=cny("30"), timing=MONTHLY),
        Fee(kind=FeeKind.MONTHLY_SERVICE, rate_of_amount=Decimal("0.0005"), timing=MONTHLY),
    )
    split = split_fees(fees, cny("105000"))
    assert (split.upfront_cash, split.financed, split.monthly) == (
        cny("1050"),
        cny("3500"),
        cny("82.50"),
    )
    assert split.total_over(36) == cny("1050") + cny("3500") + cny("2970")


def test_a_fee_needs_exactly_one_of_an_amount_and_a_rate() -> None:
    with pytest.raises(InvalidInput) as both:
        Fee(kind=FeeKind.OTHER, amount=cny("1"), rate_of_amount=Decimal("0.01"))
    with pytest.raises(InvalidInput) as neither:
        Fee(kind=FeeKind.OTHER)
    assert both.value.field == neither.value.field == "amount"


def test_a_monthly_fee_cannot_be_financed() -> None:
    with pytest.raises(InvalidInput) as error:
        Fee(kind=FeeKind.MONTHLY_SERVICE, amount=cny("10"), timing=MONTHLY, financed=True)
    assert error.value.field == "financed"


def test_a_negative_fee_or_an_out_of_range_rate_is_refused() -> None:
    with pytest.raises(InvalidInput) as negative:
        Fee(kind=FeeKind.GPS, amount=cny("-1"))
    with pytest.raises(InvalidInput) as rate:
        Fee(kind=FeeKind.ORIGINATION, rate_of_amount=Decimal("1.5"))
    with pytest.raises(InvalidInput) as kind:
        Fee(kind="lunch", amount=cny("1"))  # type: ignore[arg-type]
    assert (negative.value.field, rate.value.field, kind.value.field) == (
        "amount",
        "rate_of_amount",
        "kind",
    )


def test_a_fee_in_another_currency_is_refused() -> None:
    with pytest.raises(CurrencyMismatch):
        golden_request(fees=(Fee(kind=FeeKind.GPS, amount=Money.parse("100", "USD")),))


# --- quote request validation ------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"down_payment_ratio": None}, "down_payment"),
        ({"down_payment": cny("45000")}, "down_payment"),
        ({"down_payment_ratio": None, "down_payment": cny("150000")}, "down_payment"),
        ({"down_payment_ratio": None, "down_payment": cny("-1")}, "down_payment"),
        ({"down_payment_ratio": Decimal(1)}, "down_payment_ratio"),
        ({"vehicle_price": cny("0")}, "vehicle_price"),
        ({"annual_rate": Decimal("0.45") * 3}, "annual_rate"),
        ({"term_months": 0}, "term_months"),
        ({"term_months": 481}, "term_months"),
        ({"fees": ("origination",)}, "fees"),
        ({"first_due": date(2024, 3, 1)}, "first_due"),
        ({"method": Method.BALLOON}, "balloon"),
    ],
)
def test_an_invalid_request_is_refused_naming_the_field(
    changes: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInput) as error:
        golden_request(**changes)
    assert error.value.field == field


def test_the_amount_financed_is_price_less_down_payment_plus_financed_fees() -> None:
    gps = Fee(kind=FeeKind.GPS, amount=cny("1500"), financed=True)
    quote = build_quote(golden_request(fees=(gps, ORIGINATION_1PCT)))
    assert quote.down_payment == cny("45000")
    assert quote.vehicle_financed == cny("105000")
    assert quote.amount_financed == quote.loan_principal == cny("106500")
    assert quote.cash_at_signing == cny("46050")


def test_a_down_payment_may_be_given_as_an_amount() -> None:
    quote = build_quote(golden_request(down_payment_ratio=None, down_payment=cny("45000")))
    assert quote.amount_financed == cny("105000")


# --- golden figures and the APR -----------------------------------------------------------


def test_a_fee_free_equal_installment_quote_has_an_apr_equal_to_its_rate() -> None:
    quote = build_quote(golden_request())
    assert quote.installment == cny("3123.43")
    assert quote.apr.nominal_percent() == Decimal("4.50")
    assert quote.total_cost_rate == quote.apr.nominal
    assert quote.total_fees == cny("0")
    assert quote.total_cost_of_credit == quote.total_interest == cny("7443.34")


def test_the_golden_quote_with_a_cash_origination_fee_agrees_with_numpy_financial() -> None:
    quote = build_quote(golden_request(fees=(ORIGINATION_1PCT,)))
    payment = round(float(npf.pmt(0.045 / 12, 36, -105_000)), 2)
    assert quote.installment.to_decimal() == Decimal(str(payment)) == Decimal("3123.43")
    rows = quote.schedule.rows
    flows = [105_000 - 1_050] + [-float(row.payment) / 100 for row in rows]
    reference = float(npf.irr(flows)) * 12 * 100
    assert quote.apr.nominal_percent() == Decimal(f"{reference:.2f}") == Decimal("5.17")
    effective = ((1 + float(npf.irr(flows))) ** 12 - 1) * 100
    assert quote.apr.effective_percent() == Decimal(f"{effective:.2f}") == Decimal("5.29")
    assert quote.total_fees == cny("1050")
    assert quote.total_repayable == cny("7443.34") + cny("105000") + cny("1050")


def test_an_upfront_fee_in_cash_or_financed_raises_the_apr_above_the_rate() -> None:
    plain = build_quote(golden_request()).apr.nominal
    cash = build_quote(golden_request(fees=(ORIGINATION_1PCT,))).apr.nominal
    financed_fee = Fee(kind=FeeKind.ORIGINATION, rate_of_amount=Decimal("0.01"), financed=True)
    financed = build_quote(golden_request(fees=(financed_fee,)))
    assert plain < cash
    assert plain < financed.apr.nominal
    assert financed.amount_financed == cny("106050")
    assert financed.installment > build_quote(golden_request()).installment


def test_a_monthly_fee_is_paid_every_month_and_counted_in_the_apr() -> None:
    fee = Fee(kind=FeeKind.MONTHLY_SERVICE, amount=cny("50"), timing=MONTHLY)
    quote = build_quote(golden_request(fees=(fee,)))
    assert quote.monthly_payment == cny("3173.43")
    assert quote.total_fees == cny("1800")
    assert quote.total_repayable == quote.schedule.total_payment + cny("1800")
    assert quote.apr.nominal > Decimal("0.05")


def test_the_first_payment_is_the_first_row_and_the_monthly_fees_without_an_apr() -> None:
    """100,000.00 financed (a 100,000.00 car, nothing down) over 12 months at 6 %: the
    annuity 100,000 x 0.005 / (1 - 1.005^-12) = 8,606.64 (numpy-financial's pmt agrees
    below), plus a 50.00 monthly GPS fee."""
    gps = Fee(kind=FeeKind.GPS, amount=cny("50"), timing=MONTHLY)
    request = golden_request(vehicle_price=cny("100000"), down_payment_ratio=Decimal(0),
                             annual_rate=Decimal("0.06"), term_months=12, fees=(gps,))  # fmt: skip
    assert round(-npf.pmt(0.005, 12, 100_000), 2) == 8606.64
    assert first_payment(request) == cny("8656.64")
    quote = build_quote(request)
    assert first_payment(request).minor == quote.schedule.rows[0].payment + quote.fees.monthly.minor


def test_a_zero_percent_promotion_with_a_subsidy_costs_the_customer_nothing() -> None:
    promo = golden_request(subsidy=Subsidy(customer_rate=Decimal(0), subsidiser="oem"))
    quote = build_quote(promo)
    assert quote.apr.nominal == 0
    assert quote.total_interest == cny("0")
    assert quote.installment == cny("2916.67")
    assert quote.schedule.total_subsidy > cny("7000")


def test_a_zero_percent_promotion_with_a_fee_is_not_free() -> None:
    promo = golden_request(
        subsidy=Subsidy(customer_rate=Decimal(0), subsidiser="dealer"), fees=(ORIGINATION_1PCT,)
    )
    quote = build_quote(promo)
    assert quote.total_cost_of_credit == cny("1050")
    assert quote.apr.nominal_percent() == Decimal("0.65")


def test_an_irregular_first_period_is_measured_in_months_for_the_apr() -> None:
    quote = build_quote(golden_request(start=date(2024, 1, 10), first_due=date(2024, 2, 20)))
    assert first_period_fraction(quote.schedule) == Fraction(41, 31)
    assert quote.apr.nominal_percent() == Decimal("4.50")
    regular = build_quote(golden_request())
    assert first_period_fraction(regular.schedule) == 1


def test_cash_fees_that_leave_the_borrower_nothing_cannot_be_quoted() -> None:
    fee = Fee(kind=FeeKind.OTHER, amount=cny("105000"))
    with pytest.raises(InvalidInput) as error:
        build_quote(golden_request(fees=(fee,)))
    assert error.value.field == "fees"


def test_a_balloon_quote_uses_the_ratio_of_the_vehicle_price() -> None:
    quote = build_quote(
        golden_request(method=Method.BALLOON, balloon_ratio_of_price=Decimal("0.2"))
    )
    assert quote.schedule.rows[-1].principal >= 3_000_000  # 30,000.00 balloon at least
    assert quote.installment < build_quote(golden_request()).installment
    assert quote.apr.nominal_percent() == Decimal("4.50")


FEE_SETS = st.lists(
    st.one_of(
        st.builds(
            lambda bp, financed: Fee(
                kind=FeeKind.ORIGINATION, rate_of_amount=Decimal(bp).scaleb(-4), financed=financed
            ),
            st.integers(0, 300),
            st.booleans(),
        ),
        st.builds(
            lambda fen: Fee(kind=FeeKind.MONTHLY_SERVICE, amount=Money(fen, CNY), timing=MONTHLY),
            st.integers(0, 10_000),
        ),
        st.builds(
            lambda fen, financed: Fee(kind=FeeKind.GPS, amount=Money(fen, CNY), financed=financed),
            st.integers(0, 300_000),
            st.booleans(),
        ),
    ),
    max_size=4,
).map(tuple)


@settings(max_examples=60, deadline=None)
@given(
    price=st.integers(3_000_000, 100_000_000),
    ratio_pct=st.integers(0, 80),
    rate_bp=st.integers(0, 2400),
    months=st.sampled_from([12, 24, 36, 48, 60]),
    fees=FEE_SETS,
)
def test_quote_totals_reconcile_and_fees_never_lower_the_apr(
    price: int, ratio_pct: int, rate_bp: int, months: int, fees: tuple[Fee, ...]
) -> None:
    request = golden_request(
        vehicle_price=Money(price, CNY),
        down_payment_ratio=Decimal(ratio_pct).scaleb(-2),
        annual_rate=Decimal(rate_bp).scaleb(-4),
        term_months=months,
        fees=fees,
    )
    quote = build_quote(request)
    split = quote.fees
    assert quote.total_fees == split.upfront_cash + split.financed + Money(
        split.monthly.minor * months, CNY
    )
    assert quote.total_cost_of_credit == quote.total_interest + quote.total_fees
    assert quote.total_repayable == quote.vehicle_financed + quote.total_cost_of_credit
    fee_free = build_quote(replace(request, fees=()))
    assert abs(fee_free.apr.nominal - Decimal(rate_bp).scaleb(-4)) < Decimal("0.00005")
    assert quote.apr.nominal >= fee_free.apr.nominal - Decimal("1e-9")


# --- term comparison ----------------------------------------------------------------------


def test_comparing_terms_quotes_each_term_in_order() -> None:
    quotes = compare_terms(golden_request(fees=(ORIGINATION_1PCT,)))
    assert [q.request.term_months for q in quotes] == [12, 24, 36, 48, 60]
    installments = [q.installment for q in quotes]
    interest = [q.total_interest for q in quotes]
    assert installments == sorted(installments, reverse=True)
    assert interest == sorted(interest)
    assert quotes[2].installment == cny("3123.43")
    # A fixed cash fee weighs less in the APR the longer the loan runs.
    aprs = [q.apr.nominal for q in quotes]
    assert aprs == sorted(aprs, reverse=True)


def test_comparing_custom_terms() -> None:
    assert [q.schedule.terms.periods for q in compare_terms(golden_request(), (6, 18))] == [6, 18]


# --- affordability ------------------------------------------------------------------------


def test_installment_to_income_is_the_monthly_payment_over_the_income() -> None:
    quote = build_quote(golden_request())
    with decimal.localcontext(decimal.Context(prec=34)):
        expected = Decimal(312_343) / Decimal(1_200_000)
    assert installment_to_income(quote, cny("12000")) == expected
    with pytest.raises(InvalidInput) as error:
        installment_to_income(quote, cny("0"))
    assert error.value.field == "monthly_income"


def test_the_affordable_price_is_exact_to_the_fen() -> None:
    request = golden_request()
    price = affordable_price(request, cny("10000"), Decimal("0.3"))
    assert price == cny("144072.76")
    assert build_quote(replace(request, vehicle_price=price)).monthly_payment == cny("3000")
    dearer = replace(request, vehicle_price=price + Money(1, CNY))
    assert build_quote(dearer).monthly_payment == cny("3000.01")


def test_the_affordable_price_counts_monthly_fees_and_a_fixed_down_payment() -> None:
    fees = (
        Fee(kind=FeeKind.MONTHLY_SERVICE, rate_of_amount=Decimal("0.001"), timing=MONTHLY),
        Fee(kind=FeeKind.GPS, amount=cny("2000"), financed=True),
    )
    request = golden_request(down_payment_ratio=None, down_payment=cny("40000"), fees=fees)
    price = affordable_price(request, cny("15000"), Decimal("0.35"))
    at = build_quote(replace(request, vehicle_price=price))
    above = build_quote(replace(request, vehicle_price=price + Money(1, CNY)))
    assert at.monthly_payment <= cny("5250") < above.monthly_payment
    assert at.down_payment == cny("40000")


def test_no_price_is_affordable_when_the_fixed_monthly_fees_exceed_the_limit() -> None:
    fee = Fee(kind=FeeKind.MONTHLY_SERVICE, amount=cny("500"), timing=MONTHLY)
    assert affordable_price(golden_request(fees=(fee,)), cny("1000"), Decimal("0.3")) == cny("0")


def test_the_affordable_price_refuses_a_share_outside_zero_to_one() -> None:
    for share in (Decimal(0), Decimal("1.1")):
        with pytest.raises(InvalidInput) as error:
            affordable_price(golden_request(), cny("10000"), share)
        assert error.value.field == "max_share"


def test_the_affordable_price_is_found_in_under_fifty_milliseconds() -> None:
    request = golden_request(term_months=60, fees=(ORIGINATION_1PCT,))
    timings = []
    for income in ("8000", "12345.67", "30000"):
        started = time.perf_counter()
        affordable_price(request, cny(income), Decimal("0.4"))
        timings.append(time.perf_counter() - started)
    assert min(timings) < 0.05


@settings(max_examples=40, deadline=None)
@given(
    income=st.integers(300_000, 10_000_000),
    share_pct=st.integers(10, 60),
    rate_bp=st.integers(0, 2400),
    months=st.sampled_from([12, 24, 36, 60]),
    ratio_pct=st.integers(0, 60),
    method=st.sampled_from([Method.EQUAL_INSTALLMENT, Method.EQUAL_PRINCIPAL]),
)
def test_the_affordable_price_is_the_last_price_within_the_limit(
    income: int, share_pct: int, rate_bp: int, months: int, ratio_pct: int, method: Method
) -> None:
    request = golden_request(
        annual_rate=Decimal(rate_bp).scaleb(-4),
        term_months=months,
        down_payment_ratio=Decimal(ratio_pct).scaleb(-2),
        method=method,
    )
    share = Decimal(share_pct).scaleb(-2)
    price = affordable_price(request, Money(income, CNY), share)
    limit = Money(income * share_pct // 100, CNY)
    assert build_quote(replace(request, vehicle_price=price)).monthly_payment <= limit
    above = replace(request, vehicle_price=price + Money(1, CNY))
    assert build_quote(above).monthly_payment > limit


# --- cost ceiling ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nominal", "status"),
    [
        ("0.0517", CeilingStatus.OK),
        ("0.19994", CeilingStatus.OK),
        ("0.19995", CeilingStatus.WARN),  # disclosed as 20.00 %
        ("0.215", CeilingStatus.WARN),
        ("0.24", CeilingStatus.WARN),
        ("0.24004", CeilingStatus.WARN),  # disclosed as 24.00 %
        ("0.2401", CeilingStatus.BREACH),
        ("0.36", CeilingStatus.BREACH),
    ],
)
def test_the_cost_ceiling_check_grades_the_disclosed_apr(
    nominal: str, status: CeilingStatus
) -> None:
    apr = AnnualisedRate(Decimal(nominal) / 12, 12)
    assert cost_ceiling_check(apr) is status


def test_the_cost_ceiling_limits_come_from_the_caller() -> None:
    apr = AnnualisedRate(Decimal("0.15") / 12, 12)
    assert cost_ceiling_check(apr, ceiling=Decimal("0.14"), warn_at=Decimal("0.10")) == "breach"
    with pytest.raises(InvalidInput) as error:
        cost_ceiling_check(apr, ceiling=Decimal("0.2"), warn_at=Decimal("0.3"))
    assert error.value.field == "warn_at"


def test_a_fee_heavy_zero_percent_deal_can_breach_the_ceiling() -> None:
    promo = golden_request(
        subsidy=Subsidy(customer_rate=Decimal(0), subsidiser="dealer"),
        term_months=12,
        fees=(
            Fee(
                kind=FeeKind.MONTHLY_SERVICE,
                rate_of_amount=Decimal("0.02"),
                timing=MONTHLY,
            ),
        ),
    )
    assert cost_ceiling_check(build_quote(promo).apr) is CeilingStatus.BREACH


# --- docstring examples -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["autolend.domain.fees", "autolend.domain.quote"])
def test_the_docstring_examples_hold(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0
    assert result.failed == 0
