"""The application form's body and pack: a date of birth goes only when typed (the CN form
has none, so a CN body is as before), and the form asks under the chosen product's pack,
else the lender's: its data, whatever its code."""

from __future__ import annotations

from dataclasses import replace

import pytest

from autolend.domain.product_catalogue import STANDARD_NEW
from autolend.domain.regulation import CN_PACK, US_PACK
from autolend.web.application_form import application_body, form_pack
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
