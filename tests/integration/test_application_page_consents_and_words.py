"""What the application page says of an application's consents, its documents and its
form, in words, on both databases (found walking the pages, 2027-02):

* staff who read an application see the consents recorded with it (the kind in words,
  the text's version, when it was recorded in the lender's time zone); the dealer does
  not;
* without a bureau-query consent the submit card does not say the report is queried with
  the customer's consent ("经客户授权查询征信"), and the referral says no consent was given;
* a document's type reads in words ("PNG image"), not "image/png"; an empty file is
  refused in Chinese on a Chinese page;
* the application form shown again with the used-car loan chosen offers its own terms
  (12, 24, 36), not 48 and 60 months it refuses."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from tests.integration.test_application_pages import (
    PNG,
    csrf,
    file_through_the_form,
    form,
    post,
    web_sign_in,
)
from tests.integration.test_counter_offer_pages import container  # noqa: F401 - no bureau
from tests.integration.test_us_application_form import term_options

pytestmark = pytest.mark.integration


def consents_card(page: str) -> str:
    found = re.search(r'data-section="consents">(.*?)</section>', page, re.S)
    assert found, page[:3000]
    return found.group(1)


def test_staff_read_the_consents_recorded_with_their_version_and_time_the_dealer_does_not(
    client: TestClient,
    container: Container,  # noqa: F811
    staff: dict[Role, str],
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    app_id = file_through_the_form(client)
    assert 'data-section="consents"' not in client.get(f"/applications/{app_id}").text
    web_sign_in(client, staff, Role.UNDERWRITER)
    client.cookies.set("autolend_lang", "en")
    page = client.get(f"/applications/{app_id}").text
    found = re.search(r"Filed ([^·<]+?)\s*·", page)
    assert found, page[:3000]
    filed = re.sub(r"\s+", " ", found.group(1))
    card = consents_card(page)
    rows = dict(re.findall(r'<tr data-consent="(\w+)">(.*?)</tr>', card, re.S))
    assert list(rows) == ["bureau_query", "data_processing", "sensitive_data"]
    said = {kind: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)) for kind, row in rows.items()}
    assert "Credit report query at the credit reference centre" in said["bureau_query"]
    assert "Separate consent to processing sensitive personal information" in said[
        "sensitive_data"]  # fmt: skip
    assert all(filed in row for row in said.values()), (filed, said)
    assert "data-no-bureau-consent" not in card
    client.cookies.set("autolend_lang", "zh_CN")
    assert "向征信中心查询信用报告" in consents_card(client.get(f"/applications/{app_id}").text)


def test_without_a_bureau_query_consent_no_page_says_the_report_is_queried_with_consent(
    client: TestClient,
    container: Container,  # noqa: F811
    staff: dict[Role, str],
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    client.cookies.set("autolend_lang", "zh_CN")
    token = csrf(client.get("/applications/new").text)
    fields = {k: v for k, v in form().items() if k != "consent.bureau_query"}
    made = client.post("/applications/new", data=fields | {"csrf_token": token},
                       follow_redirects=False)  # fmt: skip
    assert made.status_code == 303, made.text[:3000]
    app_id = int(made.headers["location"].split("/")[2].split("?")[0])
    page = client.get(f"/applications/{app_id}").text
    submit = page.split('data-form="submit"')[1].split("</form>")[0]
    assert "经客户授权查询征信" not in submit and "客户未授权查询征信" in submit
    assert post(client, f"/applications/{app_id}/submit").status_code == 303
    reasons = client.get(f"/applications/{app_id}").text.split('data-list="reasons"')[1]
    assert "客户未授权查询征信，未查询征信报告，将转人工审核" in reasons.split("</ol>")[0]
    web_sign_in(client, staff, Role.UNDERWRITER)
    card = consents_card(client.get(f"/applications/{app_id}").text)
    assert "data-no-bureau-consent" in card and 'data-consent="bureau_query"' not in card


def test_a_document_reads_its_type_in_words_and_an_empty_file_is_refused_in_chinese(
    client: TestClient,
    container: Container,  # noqa: F811
    staff: dict[Role, str],
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    app_id = file_through_the_form(client)
    token = csrf(client.get(f"/applications/{app_id}").text)
    path = f"/applications/{app_id}/documents"
    png = {"file": ("id.png", PNG, "image/png")}
    sent = client.post(path, data={"kind": "id_front", "csrf_token": token}, files=png,
                       follow_redirects=False)  # fmt: skip
    assert sent.status_code == 303, sent.text[:2000]
    for lang, words in (("en", "PNG image"), ("zh_CN", "PNG 图片")):
        client.cookies.set("autolend_lang", lang)
        page = client.get(f"/applications/{app_id}").text
        assert f'data-content-type="image/png">{words}</span>' in page
    empty = client.post(path, data={"kind": "id_back", "csrf_token": token},
                        files={"file": ("id.png", b"", "image/png")})  # fmt: skip
    assert empty.status_code == 422 and "请选择大小为 1 字节至 10 MiB 的文件" in empty.text


def test_the_form_shown_again_with_the_used_car_loan_offers_its_own_terms(
    client: TestClient,
    container: Container,  # noqa: F811
    staff: dict[Role, str],
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    page = client.get("/applications/new").text
    assert term_options(page) == [12, 18, 24, 36, 48, 60]
    assert '"USED_CAR": "12 24 36"' in page  # each product's own, for the page's script
    token = csrf(page)
    used = form(product_code="USED_CAR", term_months="24", **{"applicants[0].id_number": "1"})
    again = client.post("/applications/new", data=used | {"csrf_token": token})
    assert again.status_code == 422, again.text[:2000]
    assert term_options(again.text) == [12, 24, 36]
    assert '<option value="24" selected>' in again.text
    assert 'data-terms="12 18 24 36 48 60"' in again.text  # for another product chosen
