"""What the application pages give back after a refused action (SQLite and PostgreSQL): the
underwriter's review form and the VIN form come back filled in as typed, the erring input
marked; the demo SMS inbox leads back to the application whose code it shows; a dealer's
home page offers to file for a customer, not for themselves."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from autolend.domain.access import Role
from tests.integration.test_application_pages import (  # noqa: F401 - container: the demo one
    container,
    csrf,
    file_through_the_form,
    form,
    post,
    web_sign_in,
)

pytestmark = pytest.mark.integration


def _referred(client: TestClient, staff: dict[Role, str], **changes: str) -> int:
    """An application filed and submitted by the dealer: with no bureau, it is referred."""
    web_sign_in(client, staff, Role.DEALER)
    app_id = file_through_the_form(client, **changes)
    post(client, f"/applications/{app_id}/submit")
    return app_id


def _form(page: str, name: str) -> str:
    return page.split(f'data-form="{name}"')[1].split("</form>", 1)[0]


def test_a_refused_counter_offer_comes_back_as_the_underwriter_typed_it_with_the_field_marked(
    client: TestClient, staff: dict[Role, str]
) -> None:
    app_id = _referred(client, staff)
    web_sign_in(client, staff, Role.UNDERWRITER)
    typed = {"action": "counter_offer", "reason": "收入证明不足，提高首付",
             "annual_rate": "5.5", "down_payment": "250000.00", "term_months": "24"}  # fmt: skip
    refused = post(client, f"/applications/{app_id}/review", typed)
    assert refused.status_code == 422
    form = _form(refused.text, "review")
    assert '<option value="counter_offer" selected>' in form
    assert '<option value="" selected>' not in form
    for value in ("收入证明不足，提高首付", "5.5", "250000.00", "24"):
        assert f'value="{value}"' in form, value
    assert re.search(r'name="down_payment"[^>]*aria-invalid="true"', form)
    assert not re.search(r'name="reason"[^>]*aria-invalid', form)
    fresh = _form(client.get(f"/applications/{app_id}").text, "review")
    assert '<option value="" selected>' in fresh and "250000.00" not in fresh


def test_a_refused_vin_stays_in_its_input_marked(
    client: TestClient, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    app_id = file_through_the_form(client, **{"vehicle.vin": ""})
    bad_vin = "LGXCE6CB3N0123458"  # the check digit (9th) no longer fits
    refused = post(client, f"/applications/{app_id}/vin", {"vin": bad_vin})
    assert refused.status_code == 422
    form = _form(refused.text, "vin")
    assert re.search(rf'name="vin"[^>]*value="{bad_vin}"[^>]*aria-invalid="true"', form)


def test_the_demo_sms_inbox_leads_back_to_the_application_the_code_is_for(
    client: TestClient, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    inbox = client.get("/demo/sms?application=12").text
    assert 'href="/applications/12" data-action="back-to-application"' in inbox
    assert 'data-nav="applications" class="is-active" aria-current="page"' in inbox
    odd = client.get("/demo/sms?application=%22%3E%3Cscript%3E").text
    assert 'href="/applications" data-action="back-to-application"' in odd
    assert "<script>" not in odd.split("<main", 1)[1]


def test_a_dealers_home_page_offers_to_file_for_a_customer_not_for_themselves(
    client: TestClient, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    client.cookies.set("autolend_lang", "en")
    home = client.get("/").text
    assert "File a car-loan application for a customer of the dealership." in home
    assert "or for yourself" not in home


def test_missing_consents_are_said_once_beside_the_consents_not_again_at_the_top(
    client: TestClient, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    token = csrf(client.get("/applications/new").text)
    fields = form() | {"csrf_token": token}
    del fields["consent.sensitive_data"]
    refused = client.post("/applications/new", data=fields)
    assert refused.status_code == 422
    assert 'data-field-error="consents"' in refused.text
    assert refused.text.count("提交申请须取得申请人对个人信息处理的授权") == 1


def test_offers_waiting_for_a_second_underwriter_say_so_to_the_dealer(
    client: TestClient, staff: dict[Role, str]
) -> None:
    app_id = _referred(client, staff, **{"vehicle.price": "500000.00",
                                         "down_payment": "150000.00"})  # fmt: skip
    web_sign_in(client, staff, Role.UNDERWRITER)
    review = {"action": "approve", "reason": "salary slips and bank statements checked"}
    assert post(client, f"/applications/{app_id}/review", review).status_code == 303
    web_sign_in(client, staff, Role.DEALER)
    page = client.get(f"/applications/{app_id}").text
    assert 'data-application-status="pending_second"' in page and "data-offer=" in page
    assert "data-offers-wait" in page and "/accept" not in page


def test_months_of_stable_income_typed_on_the_form_are_kept_and_a_wrong_one_named_in_chinese(
    client: TestClient, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    app_id = file_through_the_form(client, **{"applicants[0].income_stability_months": "48"})
    page = client.get(f"/applications/{app_id}").text
    assert re.search(r"data-income-stability>\s*48\s*<", page), page
    token = csrf(client.get("/applications/new").text)
    # born 1989-01-01: 262 months since 16 on the tests' day; 300 is more than that
    typed = form(**{"applicants[0].income_stability_months": "300"}) | {"csrf_token": token}
    refused = client.post("/applications/new", data=typed)
    assert refused.status_code == 422
    assert 'data-field-error="applicants[0].income_stability_months"' in refused.text
    assert "最多 262 个月" in refused.text
    assert 'value="300"' in refused.text
