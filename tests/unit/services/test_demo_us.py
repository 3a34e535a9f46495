"""The US demo's data: loans drawn from the US catalogue at rates and terms it allows, in
every servicing state the CN demo has; people with taxpayer IDs and phones the US checks
accept, from the advertising and fiction ranges, none shared; applications in dollars
under US products; the CN demo left as it was."""

from __future__ import annotations

import doctest
from datetime import date
from decimal import Decimal

import pytest

from autolend.domain.identity_us import validate_us_phone, validate_us_tin
from autolend.domain.product_catalogue import DEMO_HISTORY
from autolend.domain.product_catalogue_us import US_DEMO_PRODUCTS
from autolend.domain.regulation.packs import US_PACK
from autolend.domain.vin import check_digit
from autolend.services import demo, demo_applications_us, demo_us
from autolend.services.demo import demo_set
from autolend.services.demo_applications import demo_applications
from autolend.services.demo_applications_us import US_DEMO_APPLICANTS
from autolend.services.demo_loans import CN_DEMO_BOOK, DEMO_LOANS, DemoLoan
from autolend.services.demo_us import US_DEMO_BOOK, US_DEMO_CUSTOMERS

PRODUCTS = {product.code: product for product in US_DEMO_PRODUCTS}


@pytest.mark.parametrize("module", [demo, demo_us, demo_applications_us])
def test_the_module_examples_hold(module: object) -> None:
    assert doctest.testmod(module).failed == 0  # type: ignore[arg-type]


@pytest.mark.parametrize("plan", US_DEMO_BOOK.loans, ids=lambda p: f"{p.product}-{p.rate}")
def test_each_us_demo_loan_is_a_us_product_at_a_rate_and_term_it_allows(plan: DemoLoan) -> None:
    product = PRODUCTS[plan.product]
    assert product.rate_min <= Decimal(plan.rate) <= product.rate_max
    assert plan.periods in product.terms
    assert product.min_amount.minor <= plan.principal <= product.max_amount.minor


def test_the_us_loans_cover_the_cn_demos_servicing_states_in_dollars_by_a_us_channel() -> None:
    def states(loans: tuple[DemoLoan, ...]) -> set[tuple[int, bool, bool, bool]]:
        return {(plan.late, plan.extra > 0, plan.payoff, plan.written_off) for plan in loans}

    assert states(US_DEMO_BOOK.loans) == states(DEMO_LOANS)
    assert len(US_DEMO_BOOK.loans) == len(DEMO_LOANS)  # the demo book counts on it
    assert US_DEMO_BOOK.currency == "USD" and US_DEMO_BOOK.channel in US_PACK.repayment_channels
    assert US_DEMO_BOOK.fee_percent == 0


def test_the_us_people_have_valid_distinct_taxpayer_ids_and_fiction_phones() -> None:
    ids = [c.id_number for c in US_DEMO_CUSTOMERS] + [a[1] for a in US_DEMO_APPLICANTS]
    phones = [c.phone for c in US_DEMO_CUSTOMERS] + [
        demo_applications_us.us_demo_application_body(n, 1)["applicants"][0]["mobile"]
        for n in range(len(US_DEMO_APPLICANTS))
    ]
    digits = [validate_us_tin(tin) for tin in ids]  # raises on one the US check refuses
    assert len(set(digits)) == len(digits)
    assert all(987654320 <= int(tin) <= 987654329 for tin in digits)  # the advertising range
    for phone in phones:
        assert 100 <= int(validate_us_phone(phone)[-4:]) <= 199  # 555-0100..0199
        assert validate_us_phone(phone)[5:8] == "555"
    assert {c.pack for c in US_DEMO_CUSTOMERS} == {"US"}
    assert {c.monthly_income.currency.code for c in US_DEMO_CUSTOMERS if c.monthly_income} == {
        "USD"
    }


def test_each_us_application_is_in_dollars_under_a_us_product_with_a_valid_vin() -> None:
    count, body_of = demo_applications("US")
    assert count == len(US_DEMO_APPLICANTS) == 6
    for serial in range(count):
        body = body_of(serial, 1)
        assert body["product_code"] in PRODUCTS
        assert body["term_months"] in PRODUCTS[body["product_code"]].terms
        applicant = body["applicants"][0]
        assert date.fromisoformat(applicant["birth_date"]) < date(2008, 1, 1)
        vin = body["vehicle"]["vin"]
        assert len(vin) == 17 and vin[8] == check_digit(vin)


def test_the_cn_demo_is_the_cn_catalogue_people_and_loans_as_before() -> None:
    cn = demo_set("CN")
    assert cn.catalogue == DEMO_HISTORY and cn.book is CN_DEMO_BOOK
    assert cn.book.loans == DEMO_LOANS and cn.book.currency == "CNY"
    assert (cn.book.channel, cn.book.fee_percent) == ("bank_transfer", 1)
    assert [c.name for c in cn.customers] == [row[0] for row in demo.DEMO_CUSTOMERS]
    assert demo_applications("CN")[0] == 6
    us = demo_set("US")
    assert {p.pack for p in us.catalogue} == {"US"} and us.customers == US_DEMO_CUSTOMERS
    assert {code for code, _name, _city in us.dealers} == {"D001", "D002"}
