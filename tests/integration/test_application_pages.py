"""The origination pages over the real services (SQLite and PostgreSQL): the application form
shows a problem next to its field with what was typed kept and nothing stored; a dealer
reaches only its own dealer's applications; a referred case waits in the review queue and
an underwriter decides it; offers, signing with the code from the demo SMS inbox and
disbursement through the pages; both languages render."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from autolend.adapters.clock import FixedClock
from autolend.adapters.db import application_tables as at
from autolend.bootstrap import Container, build_container
from autolend.domain.access import SYSTEM_ACTOR, Role
from autolend.domain.identity import resident_id_check_character
from tests.conftest import test_settings as settings_for
from tests.support.origination import BORROWER_ID, VIN, install

pytestmark = pytest.mark.integration

# 11010519491231002X with its check character changed: GB 11643 MOD 11-2 gives X, not 3.
BAD_ID = "110105194912310023"


def resident_id(first15: str, serial: int) -> str:
    first17 = f"{first15}{serial:02d}"
    return first17 + resident_id_check_character(first17)


OWN_ID = resident_id("110105198805060", 21)  # the signed-in borrower's own


@pytest.fixture
def container(db_url: str, tmp_path: Path, clock: FixedClock) -> Iterator[Container]:
    """Demo mode (so signing codes land in the demo SMS inbox), no bureau configured (so
    every decision is referred to a person), the demo products, no credit model."""
    settings = settings_for(db_url, tmp_path).model_copy(update={"demo": True})
    built = build_container(settings, clock=clock)
    install(built, None)
    yield built
    built.engine.dispose()


def sign_in(client: TestClient, username: str, password: str) -> None:
    """Sign in afresh (whoever was signed in before is forgotten)."""
    client.cookies.clear()
    token = csrf(client.get("/login").text)
    form = {"username": username, "password": password, "csrf_token": token}
    assert client.post("/login", data=form, follow_redirects=False).status_code == 303


def web_sign_in(client: TestClient, staff: dict[Role, str], role: Role) -> None:
    sign_in(client, role.value, staff[role])


def csrf(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, page[:2000]
    return match.group(1)


def form(**changes: str) -> dict[str, str]:
    """The application form as a dealer fills it (the body of tests/support/origination)."""
    fields = {
        "product_code": "STD_NEW", "term_months": "36", "down_payment": "60000.00",
        "vehicle.make": "BYD", "vehicle.model": "Han", "vehicle.vin": VIN,
        "vehicle.energy": "nev", "vehicle.condition": "new", "vehicle.price": "200000.00",
        "applicants[0].name": "张伟", "applicants[0].id_number": BORROWER_ID,
        "applicants[0].mobile": "13800138000", "applicants[0].address": "北京市朝阳区建国路1号",
        "applicants[0].employment": "salaried", "applicants[0].monthly_income": "30000.00",
        "applicants[0].monthly_obligations": "1000.00", "applicants[0].income_documented": "on",
        "consent.bureau_query": "on", "consent.data_processing": "on",
        "consent.sensitive_data": "on",
    }  # fmt: skip
    return fields | changes


def stored(container: Container) -> int:
    with container.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(at.applications)).scalar_one())


def file_through_the_form(client: TestClient, **changes: str) -> int:
    token = csrf(client.get("/applications/new").text)
    made = client.post(
        "/applications/new", data=form(**changes) | {"csrf_token": token}, follow_redirects=False
    )
    assert made.status_code == 303, made.text[:3000]
    match = re.fullmatch(r"/applications/(\d+)\?done=created", made.headers["location"])
    assert match
    return int(match.group(1))


def post(client: TestClient, path: str, fields: dict[str, Any] | None = None) -> Any:
    page_path = re.sub(
        r"/(submit|accept|sign|disburse|review|second-approval|vin|withdraw)$", "", path
    )
    token = csrf(client.get(page_path).text)
    return client.post(path, data=(fields or {}) | {"csrf_token": token}, follow_redirects=False)


def test_a_wrong_id_number_is_shown_next_to_its_field_with_the_typed_values_kept(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    token = csrf(client.get("/applications/new").text)
    fields = form(**{"applicants[0].id_number": BAD_ID, "applicants[2].name": "李娜"})
    answer = client.post("/applications/new", data=fields | {"csrf_token": token})
    assert answer.status_code == 422
    page = answer.text
    assert 'data-field-error="applicants[0].id_number"' in page
    error_at = page.index('data-field-error="applicants[0].id_number"')
    assert page.rindex('name="applicants[0].id_number"', 0, error_at) > page.rindex(
        'name="applicants[0].name"', 0, error_at
    )  # the message sits right after the ID input, not elsewhere on the form
    assert "请检查此项： 身份证号码的校验位不正确" in page  # the page's language, not the API's
    assert f'value="{BAD_ID}"' in page and 'value="张伟"' in page and 'value="李娜"' in page
    assert 'name="consent.bureau_query" checked' in page
    assert stored(container) == 0


def test_the_form_preselects_no_product_and_filing_without_one_asks_for_it(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    """The first product of the list (a balloon loan in the demo) used to be chosen for a
    dealer who did not pick one."""
    web_sign_in(client, staff, Role.DEALER)
    page = client.get("/applications/new").text
    select = page[page.index('name="product_code"') :].split("</select>")[0]
    assert '<option value="" selected>' in select
    assert select.count(" selected") == 1
    unchosen = form(product_code="") | {"csrf_token": csrf(page)}
    answer = client.post("/applications/new", data=unchosen)
    assert answer.status_code == 422
    assert 'data-field-error="product_code"' in answer.text
    assert stored(container) == 0


def test_a_term_beyond_the_product_is_refused_in_chinese_with_the_products_own_rule_text(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    token = csrf(client.get("/applications/new").text)
    answer = client.post("/applications/new", data=form(term_months="72") | {"csrf_token": token})
    assert answer.status_code == 422
    assert 'data-field-error="term_months"' in answer.text
    # the product's own rule, with the terms it offers, as in English (found 2027-02: the
    # Chinese left out "(offered: 12, 24, 36, 48, 60)")
    said = "所申请的期限不在产品范围内（可选期限：12、24、36、48、60 个月）（STD_NEW）"
    assert said in answer.text
    assert stored(container) == 0


def test_a_vehicle_the_product_does_not_finance_is_shown_next_to_its_vehicle_input(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    """The product's rule names ``vehicle.condition``, the form's input (it named
    ``condition``, which no input has: the form said to check a field and marked none)."""
    web_sign_in(client, staff, Role.DEALER)
    token = csrf(client.get("/applications/new").text)
    used = form(**{"vehicle.condition": "used"}) | {"csrf_token": token}
    answer = client.post("/applications/new", data=used)
    assert answer.status_code == 422
    page = answer.text
    error_at = page.index('data-field-error="vehicle.condition"')
    assert page.rindex('name="vehicle.condition"', 0, error_at) > page.rindex(
        'name="vehicle.energy"', 0, error_at
    )  # right after the condition's input
    assert "请检查此项： 该产品不支持此类车辆（新车/二手车）（二手车）（STD_NEW）" in page
    assert stored(container) == 0


def test_an_error_on_the_guarantor_lands_on_the_guarantor_slot_when_no_co_borrower_is_given(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    token = csrf(client.get("/applications/new").text)
    guarantor = {"applicants[2].name": "李娜", "applicants[2].id_number": "11010519491231002X",
                 "applicants[2].mobile": "1380013", "applicants[2].address": "北京"}  # fmt: skip
    answer = client.post("/applications/new", data=form(**guarantor) | {"csrf_token": token})
    assert answer.status_code == 422
    assert 'data-field-error="applicants[2].mobile"' in answer.text
    assert stored(container) == 0


def test_a_dealer_cannot_see_another_dealers_application(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    container.services.users.create(
        SYSTEM_ACTOR, username="dealer2", password="pw-dealer2-long", roles=["dealer"],
        dealer_code="D002",
    )  # fmt: skip
    web_sign_in(client, staff, Role.DEALER)
    app_id = file_through_the_form(client)
    assert client.get(f"/applications/{app_id}").status_code == 200
    listing = client.get("/applications").text
    assert f'data-application-id="{app_id}"' in listing
    row = listing.split(f'data-application-id="{app_id}"')[1].split("</tr>")[0]
    assert re.search(r"(标准新车贷|Standard new car loan) <span[^>]*>STD_NEW</span>", row), row

    sign_in(client, "dealer2", "pw-dealer2-long")
    assert client.get("/applications/new").status_code == 200
    assert "dealer2" in client.get("/applications").text
    assert client.get(f"/applications/{app_id}").status_code == 404
    assert f'data-application-id="{app_id}"' not in client.get("/applications").text
    assert client.get(f"/applications/{app_id}/contract.pdf").status_code == 404


def test_a_referred_case_waits_in_the_review_queue_and_an_underwriter_approves_it(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    app_id = file_through_the_form(client)
    submitted = post(client, f"/applications/{app_id}/submit")
    assert submitted.headers["location"] == f"/applications/{app_id}?done=submitted"
    page = client.get(f"/applications/{app_id}").text
    assert 'data-application-status="referred"' in page
    assert 'data-table="rule-hits"' not in page and "data-pd" not in page  # staff only
    assert 'data-form="review"' not in page
    assert 'data-section="bureau"' not in page  # the credit report is the underwriter's
    assert client.get("/review").status_code == 403

    web_sign_in(client, staff, Role.UNDERWRITER)
    queue = client.get("/review")
    assert queue.status_code == 200
    row = re.search(rf'<tr data-application-id="{app_id}">(.*?)</tr>', queue.text, re.S)
    assert row and "data-reason" in row.group(1)
    client.cookies.set("autolend_lang", "zh_CN")  # the reasons follow the page's language
    zh_queue = client.get("/review").text
    zh_row = re.search(rf'<tr data-application-id="{app_id}">(.*?)</tr>', zh_queue, re.S)
    chips = re.findall(r"data-reason>([^<]+)<", zh_row.group(1) if zh_row else "")
    assert chips and all(re.search(r"[\u4e00-\u9fff]", chip) for chip in chips), chips
    assert zh_row and re.search(r"标准新车贷 <span[^>]*>STD_NEW</span>", zh_row.group(1))
    client.cookies.set("autolend_lang", "en")
    page = client.get(f"/applications/{app_id}").text
    assert 'data-table="rule-hits"' in page and "data-model-version" in page
    assert re.search(r'data-effect="refer">Refer to a person<', page)  # said, not coded
    bureau = re.search(r'data-bureau-outcome="([a-z_]+)">([^<]+)<', page)  # none configured
    assert bureau and bureau.group(1) == "unavailable", page[page.find("bureau") :][:500]
    assert bureau.group(2) == "The bureau could not be reached"  # said, not coded
    form = page.split('data-form="review"')[1].split("</form>")[0]
    assert '<option value="" selected>' in form  # no decision preselected
    unchosen = post(client, f"/applications/{app_id}/review", {"action": "", "reason": "ok then"})
    assert unchosen.status_code == 422 and "choose a decision: approve" in unchosen.text
    refused = post(client, f"/applications/{app_id}/review", {"action": "approve", "reason": ""})
    assert refused.status_code == 422 and "3 to 500 characters" in refused.text
    approved = post(client, f"/applications/{app_id}/review",
                    {"action": "approve", "reason": "documents checked by phone"})  # fmt: skip
    assert approved.status_code == 303
    page = client.get(f"/applications/{app_id}").text
    assert 'data-application-status="approved"' in page
    assert f'<tr data-application-id="{app_id}">' not in client.get("/review").text


def _approved(client: TestClient, staff: dict[Role, str], **changes: str) -> int:
    web_sign_in(client, staff, Role.DEALER)
    app_id = file_through_the_form(client, **changes)
    post(client, f"/applications/{app_id}/submit")
    web_sign_in(client, staff, Role.UNDERWRITER)
    post(client, f"/applications/{app_id}/review", {"action": "approve", "reason": "looks fine"})
    return app_id


def test_a_dealer_accepts_an_offer_signs_with_the_code_from_the_demo_inbox_and_it_is_paid(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    app_id = _approved(client, staff)
    web_sign_in(client, staff, Role.DEALER)
    page = client.get(f"/applications/{app_id}").text
    offers = re.findall(r'data-offer="(\d)"', page)
    assert 1 <= len(offers) <= 4
    assert len(re.findall(r"data-apr>\d+(\.\d+)?%<", page)) == len(offers)
    assert "data-disclosure" in page
    # each offer says what paying late costs: the penalty rate its contract will state
    assert len(re.findall(r'data-late-terms="[\d.]+"', page)) == len(offers)
    assert post(client, f"/applications/{app_id}/accept", {"option": "1"}).status_code == 303
    assert post(client, f"/applications/{app_id}/sign").status_code == 303
    page = client.get(f"/applications/{app_id}").text
    assert 'data-application-status="signing"' in page
    assert f'href="/demo/sms?application={app_id}"' in page
    inbox = client.get("/demo/sms").text
    assert "*******8000" in inbox and "13800138000" not in inbox
    code = re.search(r"验证码为 (\d{6})", inbox)
    assert code is not None, inbox
    wrong = post(client, f"/applications/{app_id}/sign", {"code": "000000"})
    assert wrong.status_code in (409, 422)
    signed = post(client, f"/applications/{app_id}/sign", {"code": code.group(1)})
    assert signed.status_code == 303, signed.text[:2000]
    pdf = client.get(f"/applications/{app_id}/contract.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    web_sign_in(client, staff, Role.SERVICING)
    page = client.get(f"/applications/{app_id}").text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page)
    assert key
    for _twice in range(2):  # the same form sent twice pays once
        paid = post(client, f"/applications/{app_id}/disburse", {"idempotency_key": key.group(1)})
        assert paid.status_code in (303, 409)
    page = client.get(f"/applications/{app_id}").text
    assert 'data-application-status="disbursed"' in page
    loan = re.search(r'href="/loans/(\d+)" data-action="open-loan"', page)
    assert loan and client.get(f"/loans/{loan.group(1)}").status_code == 200


def test_the_application_page_shows_the_financed_fees_and_the_total_its_offer_finances(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    """200,000.00 less 60,000.00 down is the car's 140,000.00; the standard product finances
    its 1,500.00 GPS fee too, so the offer and the loan are 141,500.00 (the page said
    "Amount financed 140,000.00" beside an offer of 141,500.00)."""
    app_id = _approved(client, staff)
    for role in (Role.DEALER, Role.UNDERWRITER):
        web_sign_in(client, staff, role)
        client.cookies.set("autolend_lang", "en")
        page = client.get(f"/applications/{app_id}").text
        start = page.index("data-application=")
        header = page[start : page.index("</div>", start)]
        amounts = dict(re.findall(r'data-amount="([\w-]+)">([^<]+)<', header))
        assert {k: re.sub(r"[^\d.]", "", v) for k, v in amounts.items()} == {
            "vehicle": "140000.00", "financed-fees": "1500.00", "total": "141500.00",
        }  # fmt: skip
        assert "Vehicle amount financed" in header and "Total amount financed" in header
        offer = re.search(r'data-offer="1".*?<dt>Amount financed</dt><dd>([^<]+)<', page, re.S)
        assert offer and offer.group(1) == amounts["total"]


def test_a_referred_case_given_its_vin_keeps_its_place_in_the_review_queue(
    client: TestClient, container: Container, staff: dict[Role, str], clock: FixedClock
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    app_id = file_through_the_form(client, **{"vehicle.vin": ""})
    post(client, f"/applications/{app_id}/submit")  # no bureau here: referred

    def waiting_since() -> object:
        with container.engine.connect() as conn:
            query = select(at.applications.c.updated_at).where(at.applications.c.id == app_id)
            return conn.execute(query).scalar_one()

    before = waiting_since()
    clock.advance(timedelta(hours=3))
    added = post(client, f"/applications/{app_id}/vin", {"vin": VIN})
    assert added.status_code == 303 and waiting_since() == before


def test_a_subsidised_offer_shows_the_borrowers_rate_beside_the_contract_rate(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    """The NEV green loan's car-maker subsidy: the installments are at the borrower's rate."""
    app_id = _approved(client, staff, product_code="NEV_GREEN")
    web_sign_in(client, staff, Role.DEALER)
    page = client.get(f"/applications/{app_id}").text
    offers = len(re.findall(r'data-offer="(\d)"', page))
    assert offers and page.count('data-subsidy="oem"') == offers
    yours = re.findall(r'data-subsidy="oem"><dt>您的利率</dt><dd>([\d.]+)%<', page)
    aprs = re.findall(r"data-apr>([\d.]+)%<", page)
    assert yours and yours == aprs  # no fees on the product: the APR is the borrower's rate
    assert "利率差额由汽车厂商向贷款机构支付" in page and "<dt>贴息前利率</dt>" in page
    # penalty interest runs at the contract rate (the note said the contract was at the
    # borrower's rate, though it states both and its penalty is on the contract rate)
    assert "罚息按合同利率计算" in page and "您的合同" not in page
    # The loan, and so its contract and its page, carry both rates: the installments are
    # the borrower's, the penalty runs on the contract rate.
    assert post(client, f"/applications/{app_id}/accept", {"option": "1"}).status_code == 303
    with container.engine.connect() as conn:
        loan_id = conn.execute(select(at.applications.c.loan_id).where(
            at.applications.c.id == app_id)).scalar_one()  # fmt: skip
    web_sign_in(client, staff, Role.SERVICING)  # staff read the customer's rate
    before = re.findall(r"<dt>贴息前利率</dt><dd>([\d.]+)%<", page)
    assert (
        f"客户利率 {yours[0]}%（合同利率 {before[0]}%，贴息）"
        in client.get(f"/loans/{loan_id}").text
    )


def test_an_application_without_a_vin_asks_for_it_on_its_page_before_an_offer_is_taken(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    app_id = _approved(client, staff, **{"vehicle.vin": ""})
    web_sign_in(client, staff, Role.DEALER)
    page = client.get(f"/applications/{app_id}").text
    assert 'data-form="vin"' in page
    refused = post(client, f"/applications/{app_id}/accept", {"option": "1"})
    assert refused.status_code == 422 and "请先补充车架号" in refused.text
    wrong = post(client, f"/applications/{app_id}/vin", {"vin": VIN[:-1] + "0"})
    assert wrong.status_code == 422 and 'data-error-field="vin"' in wrong.text
    added = post(client, f"/applications/{app_id}/vin", {"vin": VIN})
    assert added.headers["location"] == f"/applications/{app_id}?done=vin_added"
    page = client.get(added.headers["location"]).text
    assert 'data-form="vin"' not in page and f">{VIN}<" in page
    assert 'data-notice="vin_added"' in page
    assert post(client, f"/applications/{app_id}/accept", {"option": "1"}).status_code == 303


def test_the_application_pages_render_in_both_languages(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    app_id = file_through_the_form(client)
    client.cookies.set("autolend_lang", "en")
    assert "Application no. " in client.get(f"/applications/{app_id}").text
    assert "New application" in client.get("/applications/new").text
    client.cookies.set("autolend_lang", "zh_CN")
    assert "申请编号" in client.get(f"/applications/{app_id}").text
    assert "居民身份证号码" in client.get("/applications/new").text
    assert "贷款申请" in client.get("/applications").text


def test_the_demo_sms_inbox_is_not_there_outside_demo_mode(
    db_url: str, tmp_path: Path, clock: FixedClock
) -> None:
    from autolend.bootstrap import create_app

    built = build_container(settings_for(db_url, tmp_path), clock=clock)
    try:
        built.services.users.create(
            SYSTEM_ACTOR, username="servicing", password="pw-servicing-long", roles=["servicing"]
        )
        with TestClient(create_app(container=built)) as client:
            web_sign_in(client, {Role.SERVICING: "pw-servicing-long"}, Role.SERVICING)
            assert client.get("/demo/sms").status_code == 404
    finally:
        built.engine.dispose()


def test_a_borrower_applies_for_themselves_and_sees_only_their_own_applications(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    dealers = file_through_the_form(client)
    web_sign_in(client, staff, Role.BORROWER)
    page = client.get("/applications/new").text
    assert 'name="channel"' not in page
    # Dealers are chosen by name (a borrower does not know a dealer's number).
    chooser = re.search(r'<select id="f-vehicle-dealer_id" name="vehicle.dealer_id">(.*?)</select>',
                        page, re.S)  # fmt: skip
    assert chooser and '<option value="1">' in chooser.group(1)
    mine = {"applicants[0].id_number": OWN_ID, "applicants[0].name": "王芳"}
    own = file_through_the_form(client, **mine, **{"vehicle.dealer_id": "1"})
    # Their own application shows them what they typed, unmasked (a dealer's stays masked).
    assert f">{OWN_ID}<" in client.get(f"/applications/{own}").text
    listing = client.get("/applications").text
    assert f'data-application-id="{own}"' in listing
    assert f'data-application-id="{dealers}"' not in listing
    assert client.get(f"/applications/{dealers}").status_code == 404
    assert f'data-application-id="{own}"' in client.get("/applications?status=draft").text
    assert f'data-application-id="{own}"' not in client.get("/applications?status=signed").text
    # It names dealer 1, but it is not the dealer's: neither its list nor its page shows it
    # (the list showed it and the page answered 404).
    web_sign_in(client, staff, Role.DEALER)
    assert f'data-application-id="{own}"' not in client.get("/applications").text
    assert f'data-application-id="{dealers}"' in client.get("/applications").text
    assert client.get(f"/applications/{own}").status_code == 404


def test_a_borrower_cannot_apply_as_someone_else_and_their_form_starts_from_their_details(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    """Naming the dealer's customer made that person the borrower: their bureau report
    queried on consents they never gave, the decision read by whoever typed the ID."""
    web_sign_in(client, staff, Role.DEALER)
    file_through_the_form(client)  # BORROWER_ID is now the dealer's customer
    web_sign_in(client, staff, Role.BORROWER)
    before = stored(container)
    token = csrf(client.get("/applications/new").text)
    taken = client.post("/applications/new", data=form() | {"csrf_token": token})
    assert taken.status_code == 422 and stored(container) == before
    assert 'data-field-error="applicants[0].id_number"' in taken.text
    assert "该身份证号属于其他客户" in taken.text
    file_through_the_form(client, **{"applicants[0].id_number": OWN_ID})
    # From now on the form starts from the borrower's details, name and ID read-only ...
    page = client.get("/applications/new").text
    filled = rf'name="applicants\[0\]\.id_number" type="text" value="{OWN_ID}"[^>]*readonly'
    assert re.search(filled, page)
    assert "data-own-profile" in page
    # What the borrower typed anew (a higher income) is kept when the form comes back.
    typed = {"applicants[0].id_number": OWN_ID, "applicants[0].monthly_income": "45000.00",
             "vehicle.vin": VIN[:-1] + "0", "csrf_token": csrf(page)}  # fmt: skip
    again = client.post("/applications/new", data=form(**typed)).text
    assert 'value="45000.00"' in again and re.search(filled, again)
    # ... and another new person is refused too (the API says the same).
    other = resident_id("110105199203040", 15)
    token = csrf(page)
    fields = form(**{"applicants[0].id_number": other}) | {"csrf_token": token}
    refused = client.post("/applications/new", data=fields)
    assert refused.status_code == 422 and "请使用“我的资料”中的身份证号" in refused.text
    assert stored(container) == before + 1


def test_a_staff_form_folds_the_optional_parties_until_one_is_typed_into(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    page = client.get("/applications/new").text
    assert '<details class="fold" data-fold="applicant-1">' in page
    assert "data-own-profile" not in page and " readonly" not in page
    token = csrf(page)
    guarantor = {"applicants[2].name": "李娜", "applicants[2].mobile": "1380013"}
    answer = client.post("/applications/new", data=form(**guarantor) | {"csrf_token": token})
    assert answer.status_code == 422
    assert '<details class="fold" data-fold="applicant-2" open>' in answer.text
    assert '<details class="fold" data-fold="applicant-1">' in answer.text


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_document_is_uploaded_with_its_kind_and_a_wrong_file_type_is_refused(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    app_id = file_through_the_form(client)
    token = csrf(client.get(f"/applications/{app_id}").text)
    path = f"/applications/{app_id}/documents"
    upload = {"file": ("id.png", PNG, "image/png")}
    sent = client.post(path, data={"kind": "id_front", "csrf_token": token}, files=upload,
                       follow_redirects=False)  # fmt: skip
    assert sent.status_code == 303, sent.text[:2000]
    page = client.get(f"/applications/{app_id}").text
    document = re.search(rf'href="(/applications/{app_id}/documents/\d+)"', page)
    assert document and 'data-document="' in page
    assert client.get(document.group(1)).content == PNG
    wrong = client.post(path, data={"kind": "id_back", "csrf_token": token},
                        files={"file": ("id.png", b"plain text", "image/png")})  # fmt: skip
    assert wrong.status_code == 422 and 'data-error="uploaded"' in wrong.text
    assert len(re.findall(r"data-document=", client.get(f"/applications/{app_id}").text)) == 1


def test_the_demo_inbox_is_shared_by_every_worker_process_and_masks_the_recipient(
    tmp_path: Path, clock: FixedClock
) -> None:
    from autolend.adapters.notify.demo_inbox import DemoSmsInbox
    from autolend.services.contract_ports import OutgoingMessage

    one, other = (DemoSmsInbox(tmp_path / "inbox.jsonl", clock) for _ in range(2))
    one.send(OutgoingMessage("13800138000", "", "验证码为 123456"))
    other.send(OutgoingMessage("13900139000", "", "验证码为 654321"))
    seen = other.delivered()
    assert [m["to"] for m in seen] == ["*******9000", "*******8000"]  # newest first
    assert seen == one.delivered()
    assert seen[1]["text"] == "验证码为 123456"


def test_the_module_examples_hold() -> None:
    import doctest

    from autolend.adapters.notify import demo_inbox
    from autolend.web import application_form, routes_review

    for module in (demo_inbox, application_form, routes_review):
        assert doctest.testmod(module).failed == 0, module.__name__


def test_a_decline_shows_the_adverse_action_notice_in_the_pages_language_and_no_offer(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    """One resident ID on five applications in 30 days: the fifth declines (velocity)."""
    web_sign_in(client, staff, Role.DEALER)
    ids = [file_through_the_form(client) for _ in range(5)]
    post(client, f"/applications/{ids[-1]}/submit")
    client.cookies.set("autolend_lang", "en")
    page = client.get(f"/applications/{ids[-1]}").text
    assert 'data-application-status="declined"' in page
    notice = re.search(r'data-section="adverse-action">(.*?)</pre>', page, re.S)
    assert notice and notice.group(1).startswith("Notice of credit decision")
    assert 'data-form="accept"' not in page and "data-offer=" not in page
    client.cookies.set("autolend_lang", "zh_CN")
    page = client.get(f"/applications/{ids[-1]}").text
    notice = re.search(r'data-section="adverse-action">(.*?)</pre>', page, re.S)
    assert notice and notice.group(1).startswith("信贷审批结果通知")


def test_a_large_approval_waits_for_a_second_underwriter_and_never_the_same_one(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    """350,000.00 financed is above the policy's 300,000.00 limit for one person."""
    web_sign_in(client, staff, Role.DEALER)
    big = {"vehicle.price": "500000.00", "down_payment": "150000.00"}
    app_id = file_through_the_form(client, **big)
    post(client, f"/applications/{app_id}/submit")
    web_sign_in(client, staff, Role.UNDERWRITER)
    review = {"action": "approve", "reason": "salary slips and bank statements checked"}
    assert post(client, f"/applications/{app_id}/review", review).status_code == 303
    queue = client.get("/review").text
    row = re.search(rf'<tr data-application-id="{app_id}">(.*?)</tr>', queue, re.S)
    assert row and 'data-application-status="pending_second"' in row.group(1)
    waiting = client.get(f"/applications/{app_id}").text  # the card said "Approved"
    heading = re.search(r'data-section="decision".*?<h2>(.*?)</h2>', waiting, re.S)
    assert heading and "拟批准，等待双人复核" in heading.group(1), waiting[:3000]
    confirm = {"approve": "true", "reason": "second look at the file"}
    same = post(client, f"/applications/{app_id}/second-approval", confirm)
    assert same.status_code == 409 and "双人复核须由另一位审核人员确认" in same.text
    container.services.users.create(
        SYSTEM_ACTOR, username="underwriter2", password="pw-underwriter2-long",
        roles=["underwriter"],
    )  # fmt: skip
    sign_in(client, "underwriter2", "pw-underwriter2-long")
    assert post(client, f"/applications/{app_id}/second-approval", confirm).status_code == 303
    page = client.get(f"/applications/{app_id}").text
    assert 'data-application-status="approved"' in page and "data-offer=" in page
    heading = re.search(r'data-section="decision".*?<h2>(.*?)</h2>', page, re.S)
    assert heading and "拟批准" not in heading.group(1) and "已批准" in heading.group(1)
