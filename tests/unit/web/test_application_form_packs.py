"""The application form's body and pack: a date of birth goes only when typed (the CN form
has none, so a CN body is as before), and the form asks under the chosen product's pack,
else the lender's."""

from __future__ import annotations

from autolend.domain.product_catalogue import STANDARD_NEW
from autolend.web.application_form import FORM_LOOKS, application_body, form_pack


def test_a_typed_birth_date_is_sent_and_a_cn_body_has_none() -> None:
    us, _slots = application_body(
        {"applicants[0].name": "John Smith", "applicants[0].birth_date": "1985-04-12"},
        channel="dealer",
    )
    assert us["applicants"][0]["birth_date"] == "1985-04-12"
    cn, _slots = application_body({"applicants[0].name": "张伟"}, channel="dealer")
    assert "birth_date" not in cn["applicants"][0]


def test_the_form_follows_the_chosen_product_else_the_jurisdiction() -> None:
    assert form_pack([STANDARD_NEW], "STD_NEW", "US") == "CN"  # a CN product under a US lender
    assert form_pack([STANDARD_NEW], None, "US") == "US"
    assert form_pack([STANDARD_NEW], "NOT_LISTED", "CN") == "CN"
    assert FORM_LOOKS["US"].asks_birth_date and not FORM_LOOKS["CN"].asks_birth_date
