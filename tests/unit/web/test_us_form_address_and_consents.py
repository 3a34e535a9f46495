"""The US application form asks the address in parts and only the US consents: the body
sent to the service keeps its one ``address`` line, written from street, city, state and
ZIP, and a wrong part is refused by the form's own input; a CN body is as before."""

from __future__ import annotations

import pytest

from autolend.domain.errors import InvalidInput
from autolend.domain.regulation import CN_PACK, US_PACK
from autolend.web.application_form import application_body, form_consents, state_choices

BORROWER = {"applicants[0].name": "John Smith", "applicants[0].street": "123 Main St",
            "applicants[0].city": "Springfield", "applicants[0].state": "IL",
            "applicants[0].zip": "62701"}  # fmt: skip


def test_the_us_form_writes_each_partys_address_as_one_line() -> None:
    guarantor = {"applicants[2].name": "Jane Roe", "applicants[2].street": "9 Elm Ave",
                 "applicants[2].city": "Washington", "applicants[2].state": "DC",
                 "applicants[2].zip": "20001-1234"}  # fmt: skip
    body, slots = application_body(BORROWER | guarantor, channel="dealer", postal_address="us")
    assert slots == (0, 2)
    assert [a["address"] for a in body["applicants"]] == [
        "123 Main St, Springfield, IL 62701", "9 Elm Ave, Washington, DC 20001-1234",
    ]  # fmt: skip


def test_a_cn_body_sends_the_address_as_typed_and_ignores_any_parts() -> None:
    fields = BORROWER | {"applicants[0].address": "北京市朝阳区建国路1号"}
    body, _slots = application_body(fields, channel="dealer")
    assert body["applicants"][0]["address"] == "北京市朝阳区建国路1号"


def test_every_wrong_address_part_of_every_slot_is_named_by_the_forms_input() -> None:
    """The co-borrower's slot (1) is left empty: it is not sent, so not checked."""
    guarantor = {"applicants[2].name": "Jane Roe", "applicants[2].street": "9 Elm Ave",
                 "applicants[2].city": "Washington", "applicants[2].state": "PR",
                 "applicants[2].zip": "2000"}  # fmt: skip
    wrong_zip = BORROWER | {"applicants[0].zip": "62701-12"} | guarantor
    with pytest.raises(InvalidInput) as caught:
        application_body(wrong_zip, channel="dealer", postal_address="us")
    assert [e.field for e in caught.value.every()] == [
        "applicants[0].zip", "applicants[2].state", "applicants[2].zip",
    ]  # fmt: skip


def test_the_us_form_shows_the_bureau_and_privacy_consents_only() -> None:
    assert form_consents(US_PACK) == ("bureau_query", "data_processing")
    assert form_consents(CN_PACK) == ("bureau_query", "data_processing", "sensitive_data")


def test_the_state_menu_names_each_state_in_the_pages_language() -> None:
    english, chinese = dict(state_choices("en")), dict(state_choices("zh_CN"))
    assert list(english) == list(chinese) and len(english) == 51
    assert (english["DC"], chinese["DC"]) == ("District of Columbia (DC)", "哥伦比亚特区（DC）")
    assert (english["NY"], chinese["NY"]) == ("New York (NY)", "纽约州（NY）")
