"""An underwriter's counter-offer through the pages (SQLite and PostgreSQL): the
application says it was approved on changed terms and shows what was applied for beside
what was counter-offered; a counter-offer above the second-approval limit waits for
another underwriter like any approval; a counter-offer the product's rules refuse at its
own structure is refused, not replaced by other terms."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.adapters.clock import FixedClock
from autolend.bootstrap import Container, build_container
from autolend.domain.access import SYSTEM_ACTOR, Role
from tests.conftest import test_settings as settings_for
from tests.integration.test_application_pages import (
    file_through_the_form,
    post,
    resident_id,
    sign_in,
    web_sign_in,
)
from tests.support.origination import install

pytestmark = pytest.mark.integration


@pytest.fixture
def container(db_url: str, tmp_path: Path, clock: FixedClock) -> Iterator[Container]:
    """Demo mode, no bureau (every decision is referred to a person), the demo products."""
    settings = settings_for(db_url, tmp_path).model_copy(update={"demo": True})
    built = build_container(settings, clock=clock)
    install(built, None)
    yield built
    built.engine.dispose()


def referred(client: TestClient, staff: dict[Role, str], **changes: str) -> int:
    """A dealer's application, referred; the underwriter signed in afterwards."""
    web_sign_in(client, staff, Role.DEALER)
    app_id = file_through_the_form(client, **changes)
    post(client, f"/applications/{app_id}/submit")
    web_sign_in(client, staff, Role.UNDERWRITER)
    return app_id


def counter(client: TestClient, app_id: int, down: str, term: str) -> Any:
    fields = {"action": "counter_offer", "reason": "a larger down payment, a shorter term",
              "down_payment": down, "term_months": term}  # fmt: skip
    return post(client, f"/applications/{app_id}/review", fields)


def section(page: str, name: str) -> str:
    found = re.search(rf'data-section="{name}"(.*?)</section>', page, re.S)
    assert found, name
    return found.group(1)


def test_a_counter_offered_application_says_approved_on_changed_terms_with_both_structures(
    client: TestClient, staff: dict[Role, str]
) -> None:
    """200,000.00 car, 60,000.00 down over 36 months applied for; 80,000.00 down over 24
    months counter-offered: 120,000.00 financed, not 140,000.00."""
    app_id = referred(client, staff)
    assert counter(client, app_id, "80000", "24").status_code == 303
    for who in (Role.UNDERWRITER, Role.DEALER):
        web_sign_in(client, staff, who)
        client.cookies.set("autolend_lang", "en")
        page = client.get(f"/applications/{app_id}").text
        decision = section(page, "decision")
        assert decision.startswith(' data-outcome="counter_offer"'), who
        assert "Decision: Approved on changed terms (counter-offer)</h2>" in decision
        assert "Decision: Approved</h2>" not in page
        rows = dict(re.findall(r'<tr data-counter="(\w+)">(.*?)</tr>', decision, re.S))
        assert re.findall(r"¥[\d,.]+", rows["down_payment"]) == ["¥60,000.00", "¥80,000.00"]
        assert re.findall(r"\d+ months", rows["term_months"]) == ["36 months", "24 months"]
        assert re.findall(r"¥[\d,.]+", rows["amount"]) == ["¥140,000.00", "¥120,000.00"]
        assert "a larger down payment, a shorter term" in decision  # the underwriter's reason
        header = page.split('data-section="actions"')[0]
        assert "data-applied-for>Applied for:</span> Term 36 months" in header
        summary = re.search(r"data-counter-offer-summary>(.*?)</p>", header, re.S)
        assert summary and "Term 24 months" in summary.group(1)
        assert 'data-counter-amount="vehicle">¥120,000.00<' in summary.group(1)
        badge = re.search(r'data-offer="(\d+)"[^>]*>\s*<h3>[^\n]*data-counter-offer-option', page)
        assert badge, "the offer that is the counter-offer is marked"
        card = page.split(f'data-offer="{badge.group(1)}"')[1].split("</article>")[0]
        assert "24 months" in card and "¥80,000.00" in card
    listing = client.get("/applications").text  # the dealer's list says what its figures are
    assert "Amount applied for</th>" in listing and "Term applied for (months)</th>" in listing


def test_an_ordinary_approval_keeps_its_plain_decision_and_header(
    client: TestClient, staff: dict[Role, str]
) -> None:
    app_id = referred(client, staff)
    post(client, f"/applications/{app_id}/review", {"action": "approve", "reason": "fine"})
    client.cookies.set("autolend_lang", "en")
    page = client.get(f"/applications/{app_id}").text
    assert "Decision: Approved</h2>" in page and 'data-outcome="approve"' in page
    assert "data-applied-for" not in page and "data-counter-offer-summary" not in page
    assert "data-counter-offer-option" not in page


def test_a_counter_offer_above_the_limit_waits_for_a_second_underwriter_then_stands(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    """A 500,000.00 car with 160,000.00 down finances 340,000.00: above the policy's
    300,000.00 for one person, whether approved as applied for or on changed terms."""
    app_id = referred(client, staff, **{"vehicle.price": "500000.00", "down_payment": "150000.00"})
    assert counter(client, app_id, "160000", "48").status_code == 303
    page = client.get(f"/applications/{app_id}").text
    assert 'data-application-status="pending_second"' in page
    assert 'data-form="accept"' not in page  # nothing to accept before the second person
    client.cookies.set("autolend_lang", "en")
    queue = client.get("/review").text
    row = re.search(rf'<tr data-application-id="{app_id}">(.*?)</tr>', queue, re.S)
    assert row and "pending_second" in row.group(1)
    # the amount the second person approves, with the amount applied for under it
    assert "data-counter-amount>¥340,000.00<" in row.group(1)
    assert "applied for ¥350,000.00" in row.group(1)
    confirm = {"approve": "true", "reason": "second look at the file"}
    client.cookies.set("autolend_lang", "zh_CN")
    same = post(client, f"/applications/{app_id}/second-approval", confirm)
    assert same.status_code == 409 and "双人复核须由另一位审核人员确认" in same.text
    container.services.users.create(
        SYSTEM_ACTOR, username="underwriter2", password="pw-underwriter2-long",
        roles=["underwriter"],
    )  # fmt: skip
    sign_in(client, "underwriter2", "pw-underwriter2-long")
    assert post(client, f"/applications/{app_id}/second-approval", confirm).status_code == 303
    client.cookies.set("autolend_lang", "en")
    page = client.get(f"/applications/{app_id}").text
    assert 'data-application-status="counter_offered"' in page
    assert "Approved on changed terms (counter-offer)" in page
    assert 'data-counter-amount="vehicle">¥340,000.00<' in page


def test_a_counter_offer_whose_own_structure_breaks_the_dsr_cap_is_refused_not_swapped(
    client: TestClient, staff: dict[Role, str]
) -> None:
    """The young buyer's loan caps debt payments at 45 % of income: 60,000.00 over 24
    months (about 2,700.00 a month) and 2,500.00 of other debts on 9,000.00 a month is
    above it. The offers would have been 48 and 60 months instead."""
    young = {"product_code": "YOUNG_FIRST", "vehicle.price": "90000.00",
             "down_payment": "18000.00", "term_months": "60",
             "applicants[0].id_number": resident_id("110105199901030", 21),
             "applicants[0].monthly_income": "9000.00",
             "applicants[0].monthly_obligations": "2500.00",
             "applicants[0].first_time_buyer": "on"}  # fmt: skip
    app_id = referred(client, staff, **young)
    client.cookies.set("autolend_lang", "en")
    refused = counter(client, app_id, "30000", "24")
    assert refused.status_code == 422, refused.text[:2000]
    assert 'data-error-field="term_months"' in refused.text
    assert "no offer can be made on this counter-offer" in refused.text
    assert 'id="review-term" name="term_months" inputmode="numeric" value="24" aria-invalid' in (
        refused.text
    )
    page = client.get(f"/applications/{app_id}").text
    assert 'data-application-status="referred"' in page and "data-offer=" not in page
    assert counter(client, app_id, "30000", "60").status_code == 303


@pytest.mark.parametrize("typed", ["nan", "Infinity"])
def test_a_rate_that_is_no_number_is_refused_as_such_not_an_error_page(
    client: TestClient, staff: dict[Role, str], typed: str
) -> None:
    app_id = referred(client, staff)
    fields = {"action": "approve", "reason": "checked", "annual_rate": typed}
    client.cookies.set("autolend_lang", "zh_CN")
    refused = post(client, f"/applications/{app_id}/review", fields)
    assert refused.status_code == 422, refused.text[:500]
    assert 'data-error-field="annual_rate"' in refused.text and "年利率须为数字" in refused.text
    no_reason = post(client, f"/applications/{app_id}/review", {"action": "approve", "reason": ""})
    assert no_reason.status_code == 422 and "请填写 3 至 500 个字符的理由" in no_reason.text


def test_a_rate_outside_the_products_range_is_said_in_percent_in_the_pages_language(
    client: TestClient, staff: dict[Role, str]
) -> None:
    """The form takes percent a year; the range is said so (STD_NEW: 3.99 % to 8.99 %),
    not as the fractions 0.0399 to 0.0899, and in Chinese on a Chinese page."""
    app_id = referred(client, staff)
    fields = {"action": "approve", "reason": "checked", "annual_rate": "12"}
    client.cookies.set("autolend_lang", "zh_CN")
    chinese = post(client, f"/applications/{app_id}/review", fields)
    assert chinese.status_code == 422
    assert "STD_NEW 的年利率须在 3.99% 至 8.99% 之间" in chinese.text
    client.cookies.set("autolend_lang", "en")
    english = post(client, f"/applications/{app_id}/review", fields).text
    assert "3.99 % to 8.99 % a year under STD_NEW" in english
    assert 'id="review-rate" name="annual_rate" inputmode="decimal" value="12"' in english
