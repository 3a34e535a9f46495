"""A second person refusing an underwriter's approval sends the case back to review; it
never declines the customer (SQLite and PostgreSQL, no bureau: every case is referred and
priced at the top of STD_NEW's range, 8.99 %).

Found walking the pages (2027-02): underwriter approved at a rate below the priced one,
underwriter2 pressed "Decline" on the "Second approval" form, and the application was
declined with an adverse-action notice to the customer, both underwriters' notes in the
dealer's status history. Now:

* the refusal makes the case ``referred`` again at its priced rate, no offers, what was
  refused and why kept for staff (``proposed``), and an underwriter (the first one too)
  approves it at the priced rate, counter-offers or declines it with a reason of their own;
* the second-approval form says what its buttons do ("Confirm the approval", "Send back
  to review");
* the underwriters' notes (review and second-approval reasons) are not in what the dealer
  reads;
* an "Approve" given counter-offer terms, and a rate with more than 2 decimal places in
  percent, are refused naming the field, in both languages, what was typed kept."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from tests.integration.test_application_pages import post, sign_in, web_sign_in
from tests.integration.test_counter_offer_pages import (  # noqa: F401 - container: no bureau
    container,
    referred,
)
from tests.integration.test_loans_api import as_role
from tests.integration.test_loans_api import sign_in as api_sign_in
from tests.integration.test_rate_override import (
    APPLICATIONS,
    SECOND,
    application,
    filed,
    reviewed,
    second_underwriter,
)

pytestmark = pytest.mark.integration

REFUSAL = "the rate given away is not justified"
FIRST_NOTE = "long-standing customer, rate matched"


def sent_back(client: TestClient, app_id: int) -> Any:
    refuse = {"approve": False, "reason": REFUSAL}
    return client.post(f"{APPLICATIONS}/{app_id}/second-approval", json=refuse,
                       headers=api_sign_in(client, **SECOND))  # fmt: skip


def test_the_second_persons_refusal_sends_the_case_back_to_review_and_declines_no_one(
    client: TestClient,
    container: Container,  # noqa: F811
    staff: dict[Role, str],
) -> None:
    app_id = filed(client, staff)
    first = as_role(client, staff, Role.UNDERWRITER)
    waiting = reviewed(client, first, app_id, action="approve", annual_rate="0.0549")
    assert waiting.json()["status"] == "pending_second", waiting.text
    second_underwriter(container)
    done = sent_back(client, app_id)
    assert done.status_code == 200 and done.json()["status"] == "referred", done.text
    seen = application(client, staff, app_id)
    decision = seen["decision"]
    assert decision["outcome"] == "refer" and decision["annual_rate"] == "0.0899"
    assert decision["adverse_action"] is None and seen["offers"] == []
    assert "rate_override" not in decision and decision["reasons"][0]["code"] == (
        "returned_to_review"
    )
    proposed = decision["proposed"]
    assert (proposed["annual_rate"], proposed["reason"]) == ("0.0549", REFUSAL)
    assert (proposed["proposed_by_name"], proposed["declined_by_name"]) == (
        "underwriter", "underwriter2")  # fmt: skip
    assert seen["events"][-1]["detail"]["proposed"] == proposed
    queue = client.get("/api/v1/review-queue", headers=first).json()
    [item] = [i for i in queue["items"] if i["id"] == app_id]
    assert item["status"] == "referred" and item["may_review"] is True
    # The first underwriter decides it again, at the priced rate: no second person.
    again = reviewed(client, first, app_id, action="approve")
    assert again.status_code == 200 and again.json()["status"] == "approved", again.text
    offers = application(client, staff, app_id)["offers"]
    assert offers and {o["annual_rate"] for o in offers} == {"0.0899"}


def test_the_dealer_reads_the_case_referred_again_without_the_underwriters_notes(
    client: TestClient,
    container: Container,  # noqa: F811
    staff: dict[Role, str],
) -> None:
    app_id = filed(client, staff)
    first = as_role(client, staff, Role.UNDERWRITER)
    reviewed(client, first, app_id, action="approve", annual_rate="0.0549")
    second_underwriter(container)
    assert sent_back(client, app_id).status_code == 200
    dealer = as_role(client, staff, Role.DEALER)
    theirs = client.get(f"{APPLICATIONS}/{app_id}", headers=dealer).json()
    assert theirs["status"] == "referred" and "proposed" not in theirs["decision"]
    moves = [e for e in theirs["events"] if e["action"] in ("review", "second_approval")]
    assert [e["reason"] for e in moves] == [None, None]
    for lang in ("en", "zh_CN"):
        web_sign_in(client, staff, Role.DEALER)
        client.cookies.set("autolend_lang", lang)
        page = client.get(f"/applications/{app_id}").text
        assert REFUSAL not in page and FIRST_NOTE not in page
        assert 'data-section="adverse-action"' not in page and "data-proposed" not in page
    sign_in(client, SECOND["username"], SECOND["password"])
    client.cookies.set("autolend_lang", "en")
    page = client.get(f"/applications/{app_id}").text
    said = re.search(r"data-declined-by>([^<]*)<", page)
    assert said and said.group(1) == f"Sent back by underwriter2: {REFUSAL}", page[:3000]
    assert REFUSAL in page.split('data-section="history"')[1]  # staff read the notes


def test_the_second_approval_form_says_what_its_buttons_do_and_sends_back_from_the_page(
    client: TestClient,
    container: Container,  # noqa: F811
    staff: dict[Role, str],
) -> None:
    app_id = referred(client, staff)
    fields = {"action": "approve", "reason": FIRST_NOTE, "annual_rate": "5.49"}
    assert post(client, f"/applications/{app_id}/review", fields).status_code == 303
    second_underwriter(container)
    for lang, confirm, back in (("en", "Confirm the approval", "Send back to review"),
                                ("zh_CN", "确认批准", "退回重新审核")):  # fmt: skip
        sign_in(client, SECOND["username"], SECOND["password"])
        client.cookies.set("autolend_lang", lang)
        form = client.get(f"/applications/{app_id}").text.split(
            'data-form="second-approval"')[1].split("</form>")[0]  # fmt: skip
        assert f'data-action="confirm">{confirm}</button>' in form
        assert f'data-action="send-back">{back}</button>' in form
    answer = post(client, f"/applications/{app_id}/second-approval",
                  {"approve": "false", "reason": REFUSAL})  # fmt: skip
    assert answer.headers["location"] == f"/applications/{app_id}?done=sent_back"
    page = client.get(answer.headers["location"]).text
    assert 'data-application-status="referred"' in page and 'data-notice="sent_back"' in page
    assert 'data-form="review"' in page  # the one who sent it back may decide it too
    web_sign_in(client, staff, Role.UNDERWRITER)
    page = client.get(f"/applications/{app_id}").text
    assert 'data-form="review"' in page and 'data-proposed="sent-back"' in page


def test_an_approval_given_counter_offer_terms_is_refused_naming_the_field_and_kept(
    client: TestClient,
    container: Container,  # noqa: F811
    staff: dict[Role, str],
) -> None:
    """It approved the terms applied for and dropped the 24 months typed."""
    app_id = referred(client, staff)
    fields = {"action": "approve", "reason": "a shorter term", "term_months": "24"}
    for lang, said in (("en", "choose Counter-offer to change the terms"),
                       ("zh_CN", "如需变更首付或期限，请选择“附条件审批”")):  # fmt: skip
        client.cookies.set("autolend_lang", lang)
        answer = post(client, f"/applications/{app_id}/review", fields)
        assert answer.status_code == 422 and said in answer.text
        assert 'data-error-field="term_months"' in answer.text
        assert re.search(r'id="review-term" name="term_months" inputmode="numeric" value="24"',
                         answer.text)  # fmt: skip
    api = as_role(client, staff, Role.UNDERWRITER)
    body = {"action": "approve", "reason": "more down", "down_payment": "80000.00"}
    refused = client.post(f"{APPLICATIONS}/{app_id}/review", json=body, headers=api)
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "down_payment"
    assert application(client, staff, app_id)["status"] == "referred"


def test_a_rate_with_more_than_two_decimal_places_in_percent_is_refused_not_rounded(
    client: TestClient,
    container: Container,  # noqa: F811
    staff: dict[Role, str],
) -> None:
    """4.999 was stored as 0.04999 and shown (and put in the contract) as 5.00 %."""
    app_id = referred(client, staff)
    fields = {"action": "approve", "reason": "rate matched", "annual_rate": "4.999"}
    for lang, said in (("en", "the rate has at most 2 decimal places"),
                       ("zh_CN", "利率最多保留两位小数")):  # fmt: skip
        client.cookies.set("autolend_lang", lang)
        answer = post(client, f"/applications/{app_id}/review", fields)
        assert answer.status_code == 422 and said in answer.text
        assert 'data-error-field="annual_rate"' in answer.text and 'value="4.999"' in answer.text
    api = as_role(client, staff, Role.UNDERWRITER)
    body = {"action": "approve", "reason": "rate matched", "annual_rate": "0.04999"}
    refused = client.post(f"{APPLICATIONS}/{app_id}/review", json=body, headers=api)
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "annual_rate"
    assert application(client, staff, app_id)["status"] == "referred"
