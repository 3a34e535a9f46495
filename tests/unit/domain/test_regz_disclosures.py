"""US-pack quotes and offers disclose Regulation Z's figures; CN quotes stay as they were.

Golden numbers and where they come from:

* 9.69 %: 12 CFR 1026 Appendix J (c)(1)(i), the example REGULATION.md quotes (5,000.00
  financed, 24 monthly payments of 230.00, the first one month after the advance).
* The odd-first-period APR (32.57 %): worked here by :func:`appendix_j_apr`, written
  from Appendix J (b)(5)(ii) and (b)(8) alone (full months counted back from each payment,
  the odd days over 30, the general equation solved by bisection in exact fractions),
  sharing no code with ``autolend.domain.regz``.
* The 25,000.00 deal: amounts worked by hand in the test's docstring; its APR cross-checked
  with numpy-financial's ``rate`` (a regular schedule has no odd days, so Appendix J's
  equation is the plain annuity one).
"""

from __future__ import annotations

import calendar
from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy_financial as npf  # type: ignore[import-untyped]
import pytest

from autolend.domain.borrower_apr import disclosed_apr
from autolend.domain.deal_ceiling import quote_within_ceiling
from autolend.domain.decision_rules import deal_request
from autolend.domain.errors import InvalidInput
from autolend.domain.fees import Fee, FeeKind
from autolend.domain.money import Money
from autolend.domain.product_catalogue import STANDARD_NEW
from autolend.domain.product_codec import product_from_dict, product_to_dict
from autolend.domain.quote import Quote, QuoteRequest, build_quote
from autolend.domain.quote_input import FeeInput, QuoteInput, price_quote, quote_wire
from autolend.domain.regulation import CN_PACK, US_PACK
from autolend.domain.regz import closed_end_disclosures


def usd(text: str) -> Money:
    return Money.parse(text, "USD")


def _months_before(day: date, months: int) -> date:
    """``day`` moved back ``months`` months; a day the month lacks becomes its last day."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _unit_periods(advance: date, due: date) -> tuple[int, Fraction]:
    """App. J (b)(5)(ii): full months counted back from ``due`` to no earlier than the
    advance (t), and the remaining days over 30 (f)."""
    months = 0
    while _months_before(due, months + 1) >= advance:
        months += 1
    return months, Fraction((_months_before(due, months) - advance).days, 30)


def appendix_j_apr(
    financed: Fraction, payments: list[tuple[date, Fraction]], advance: date
) -> Decimal:
    """The monthly-unit-period APR of App. J (b)(8): ``A = sum P / ((1 + f i)(1 + i)^t)``,
    solved by bisection to 1e-12 a month, percent rounded half-up to 2 places."""
    terms = [(amount, *_unit_periods(advance, due)) for due, amount in payments]

    def excess(i: Fraction) -> Fraction:
        return sum((p / ((1 + f * i) * (1 + i) ** t) for p, t, f in terms), Fraction(0)) - financed

    low, high = Fraction(0), Fraction(1)
    while high - low > Fraction(1, 10**12):
        middle = (low + high) / 2
        low, high = (middle, high) if excess(middle) > 0 else (low, middle)
    percent = Decimal(low.numerator) / Decimal(low.denominator) * 1200
    return percent.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _flows(quote: Quote) -> list[tuple[date, Fraction]]:
    monthly = quote.monthly_fees.minor
    return [(row.due_date, Fraction(row.payment + monthly, 100)) for row in quote.schedule.rows]


ODD_FIRST_PERIOD = QuoteRequest(
    vehicle_price=usd("5000"), down_payment=usd("0"), annual_rate=Decimal("0.20"),
    term_months=12, start=date(2026, 2, 3), first_due=date(2026, 3, 2),
    fees=(Fee(kind=FeeKind.ORIGINATION, amount=usd("300")),), pack="US",
)  # fmt: skip


def test_the_independent_appendix_j_computation_gives_the_regulations_worked_example() -> None:
    payments = [(_months_before(date(1980, 1, 10), 23 - k), Fraction(230)) for k in range(24)]
    assert appendix_j_apr(Fraction(5000), payments, date(1978, 1, 10)) == Decimal("9.69")


def test_the_disclosed_apr_of_the_regulations_worked_example_is_9_69_percent() -> None:
    """App. J (c)(1)(i): 5,000.00 financed, 24 monthly payments of 230.00 from 1978-02-10."""
    payments = [(_months_before(date(1980, 1, 10), 23 - k), usd("230")) for k in range(24)]
    figures = closed_end_disclosures(usd("5000"), payments, date(1978, 1, 10), "monthly")
    assert figures.apr == Decimal("9.69")
    assert (figures.total_of_payments, figures.finance_charge) == (usd("5520"), usd("520"))


def test_a_us_quote_with_an_odd_first_period_discloses_the_appendix_j_apr() -> None:
    """27 days from 2026-02-03 to 2026-03-02: 27/30 of a unit-period under App. J (the CN
    rule's 27/28 gave 32.23 %, an understatement 1026.22(a)(2) forbids)."""
    quote = build_quote(ODD_FIRST_PERIOD)
    golden = appendix_j_apr(Fraction(4700), _flows(quote), date(2026, 2, 3))
    assert golden == Decimal("32.57")
    assert quote.apr.nominal_percent() == golden
    assert quote.regz is not None and quote.regz.apr == golden
    assert quote.regz.rate.odd_days_fraction == Fraction(9, 10)


def test_the_same_deal_under_the_cn_pack_keeps_the_pboc_rate() -> None:
    quote = build_quote(replace(ODD_FIRST_PERIOD, pack="CN"))
    assert (quote.apr.nominal_percent(), quote.regz) == (Decimal("32.23"), None)


def test_a_us_quote_without_fees_discloses_the_appendix_j_apr_the_cli_example_misses() -> None:
    """The audit's schedule: 5,000.00 at 20 % over 12 months, first due 2026-03-02."""
    quote = build_quote(replace(ODD_FIRST_PERIOD, fees=()))
    golden = appendix_j_apr(Fraction(5000), _flows(quote), date(2026, 2, 3))
    assert golden == Decimal("20.21")
    assert quote.apr.nominal_percent() == golden


def test_a_us_quote_states_the_truth_in_lending_figures() -> None:
    """A 25,000.00 car, nothing down, 60 months at 6 %, first due a month after the
    advance, a 595.00 fee paid in cash at signing.

    * installment: 25,000.00 x 0.005 / (1 - 1.005^-60) = 483.3201 -> 483.32; the last
      one clears the cents left by rounding each month's interest: 483.35;
    * amount financed (1026.18(b)): 25,000.00 - 595.00 prepaid finance charge = 24,405.00;
    * total of payments (1026.18(h)): 59 x 483.32 + 483.35 = 28,515.88 + 483.35 = 28,999.23;
    * finance charge (1026.18(d)): 28,999.23 - 24,405.00 = 4,594.23
      (= interest 3,999.23 + the 595.00 fee);
    * total sale price (1026.18(j)): cash price 25,000.00 + finance charge 4,594.23 =
      29,594.23 (= 0.00 down + 28,999.23 + the 595.00 paid at signing);
    * APR: 60 payments of 483.32 against 24,405.00 is 7.01 % (numpy-financial ``rate``).
    """
    request = QuoteRequest(
        vehicle_price=usd("25000"), down_payment=usd("0"), annual_rate=Decimal("0.06"),
        term_months=60, start=date(2026, 1, 15),
        fees=(Fee(kind=FeeKind.ORIGINATION, amount=usd("595")),), pack="US",
    )  # fmt: skip
    quote = build_quote(request)
    rows = quote.schedule.rows
    assert [rows[0].payment, rows[-1].payment] == [48332, 48335]
    assert {row.payment for row in rows[:-1]} == {48332}
    regz = quote.regz
    assert regz is not None
    assert regz.amount_financed == usd("24405")
    assert regz.total_of_payments == usd("28999.23")
    assert regz.finance_charge == usd("4594.23")
    assert regz.total_sale_price == usd("29594.23")
    assert quote.total_interest == usd("3999.23")
    rate = npf.rate(60, -483.32, 24405, 0) * 1200
    assert regz.apr == Decimal("7.01") == Decimal(f"{rate:.2f}")


def test_a_down_payment_and_a_financed_fee_move_the_figures_as_reg_z_says() -> None:
    """30,000.00 car, 5,000.00 down, 595.00 financed: the note is 25,595.00, the fee is
    withheld, so the amount financed is 25,000.00 and the total sale price is the down
    payment plus the total of payments (no fee paid in cash)."""
    request = QuoteRequest(
        vehicle_price=usd("30000"), down_payment=usd("5000"), annual_rate=Decimal("0.06"),
        term_months=60, start=date(2026, 1, 15),
        fees=(Fee(kind=FeeKind.ORIGINATION, amount=usd("595"), financed=True),), pack="US",
    )  # fmt: skip
    quote = build_quote(request)
    regz = quote.regz
    assert regz is not None
    assert quote.loan_principal == usd("25595")
    assert regz.amount_financed == usd("25000")
    assert regz.total_of_payments == Money(
        sum(r.payment for r in quote.schedule.rows), usd("0").currency
    )
    assert regz.finance_charge == regz.total_of_payments - usd("25000")
    assert regz.total_sale_price == usd("5000") + regz.total_of_payments


def test_the_quote_wire_carries_the_regz_figures_under_the_us_pack_only() -> None:
    data = QuoteInput(
        vehicle_price="5000", down_payment="0", annual_rate="20", term_months=12,
        start="2026-02-03", first_due="2026-03-02", currency="USD",
        fees=(FeeInput(kind="origination", amount="300"),),
    )  # fmt: skip
    wire = quote_wire(price_quote(data, date(2026, 2, 3), US_PACK))
    assert wire["regz"] == {
        "amount_financed": "4700.00", "finance_charge": "854.51",
        "total_of_payments": "5554.51", "total_sale_price": "5854.51", "apr": "32.57",
    }  # fmt: skip
    assert wire["apr"] == {"nominal": "32.57", "effective": "37.90"}
    cn = quote_wire(price_quote(replace(data, currency="CNY"), date(2026, 2, 3), CN_PACK))
    assert cn["regz"] is None
    assert cn["apr"] == {"nominal": "32.23", "effective": "37.44"}  # as before the fix


def test_a_us_products_offer_is_priced_with_the_appendix_j_apr() -> None:
    data = product_to_dict(STANDARD_NEW) | {"pack": "US", "currency": "USD", "code": "US_NEW"}
    data["fees"] = [fee for fee in data["fees"] if fee["amount"] is None]  # the CNY gps fee
    del data["penalty_uplift"]
    data["eligibility"] |= {"max_age": None, "max_age_at_maturity": None}  # Reg B 1002.6
    product = product_from_dict(data)
    request = deal_request(
        product, price=usd("30000"), down_payment=usd("6000"), term_months=36,
        rate=product.rate_max, start=date(2026, 2, 3),
    )  # fmt: skip
    assert request.pack == "US"
    quote = quote_within_ceiling(request, product.pack)
    assert quote is not None and quote.regz is not None
    golden = appendix_j_apr(
        Fraction(quote.regz.amount_financed.minor, 100), _flows(quote), date(2026, 2, 3)
    )
    assert quote.apr.nominal_percent() == quote.regz.apr == golden


def test_an_unknown_pack_is_refused_naming_the_jurisdiction() -> None:
    with pytest.raises(InvalidInput) as caught:
        replace(ODD_FIRST_PERIOD, pack="XX")
    assert caught.value.field == "jurisdiction"


def test_disclosed_apr_leaves_the_cn_rule_to_borrower_apr() -> None:
    quote = build_quote(replace(ODD_FIRST_PERIOD, pack="CN"))
    flows = [(r.due_date, Money(r.payment, usd("0").currency)) for r in quote.schedule.rows]
    rate, figures = disclosed_apr("CN", usd("4700"), flows, quote.schedule)
    assert (rate, figures) == (quote.apr, None)
