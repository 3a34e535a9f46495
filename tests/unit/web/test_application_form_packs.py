"""The application form's body and pack: a date of birth goes only when typed (the CN form
has none, so a CN body is as before), and the form asks under the chosen product's pack,
else the lender's: its data, whatever its code."""

from __future__ import annotations

from dataclasses import replace

import pytest

from autolend.domain.errors import InvalidInput
from autolend.domain.product_catalogue import STANDARD_NEW
from autolend.domain.regulation import CN_PACK, US_PACK
from autolend.web.application_form import application_body, form_pack
from autolend.web.problem_text import localized_detail
from tests.support.third_pack import register


def test_a_typed_birth_date_is_sent_and_a_cn_body_has_none() -> None:
    us, _slots = application_body(
        {"applicants[0].name": "John Smith", "applicants[0].birth_date": "1985-04-12"},
        channel="dealer",
    )
    assert us["applicants"][0]["birth_date"] == "1985-04-12"
    cn, _slots = application_body({"applicants[0].name": "张伟"}, channel="dealer")
    assert "birth_date" not in cn["applicants"][0]


def test_the_form_follows_the_chosen_product_else_the_jurisdiction() -> None:
    assert form_pack([STANDARD_NEW], "STD_NEW", "US") is CN_PACK  # a CN product, US lender
    assert form_pack([STANDARD_NEW], None, "US") is US_PACK
    assert form_pack([STANDARD_NEW], "NOT_LISTED", "CN") is CN_PACK
    assert form_pack([], None, "XX") is CN_PACK  # a code no pack has: CN's form, as before
    assert US_PACK.form_look.asks_birth_date and not CN_PACK.form_look.asks_birth_date


def test_the_form_under_a_third_pack_takes_that_packs_look(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    us_copy = register(monkeypatch, replace(US_PACK, code="UZ"))
    assert form_pack([], None, "UZ") is us_copy
    assert form_pack([], None, "UZ").form_look == US_PACK.form_look  # SSN, birth date, $


def test_amounts_typed_with_digit_group_commas_are_sent_without_them() -> None:
    body, _slots = application_body(
        {"applicants[0].name": "John Smith", "applicants[0].monthly_income": "9,000.00",
         "applicants[0].monthly_obligations": "1,300", "vehicle.price": "34,000.00",
         "vehicle.reference_price": "1,234,567.5", "down_payment": "8,000", "amount": "26000"},
        channel="dealer",
    )  # fmt: skip
    party, vehicle = body["applicants"][0], body["vehicle"]
    assert (party["monthly_income"], party["monthly_obligations"]) == ("9000.00", "1300")
    assert (vehicle["price"], vehicle["reference_price"]) == ("34000.00", "1234567.5")
    assert (body["down_payment"], body["amount"]) == ("8000", "26000")


@pytest.mark.parametrize(
    ("path", "typed"),
    [("vehicle.price", "3,40.00"), ("vehicle.price", "1.234,56"), ("down_payment", "34,0000"),
     ("applicants[2].monthly_income", ",500"), ("amount", "1,234,56.00")],
)  # fmt: skip
def test_misplaced_digit_group_commas_are_refused_naming_the_forms_field(
    path: str, typed: str
) -> None:
    fields = {"applicants[0].name": "John Smith", "applicants[2].name": "Jane Roe", path: typed}
    with pytest.raises(InvalidInput) as caught:
        application_body(fields, channel="dealer")
    assert caught.value.field == path
    assert caught.value.message == f"{path} {typed!r} has misplaced digit-group separators"


def test_a_misplaced_separator_reads_in_the_pages_language() -> None:
    wanted = "group the digits in threes, such as 34,000.00, or write 34000.00"
    zh = {wanted: "数字请每三位一组用逗号分隔，例如 34,000.00，或直接写 34000.00"}
    problem = {"detail": "vehicle.price '3,40.00' has misplaced digit-group separators"}
    shown = localized_detail(problem, "zh_CN", lambda message: zh.get(message, message))
    assert (shown.text, shown.lang) == (zh[wanted], "zh_CN")
