"""A US lender's origination pages write dates the American way in English, on both
databases. The application page said the signing code was valid "until 04:35" and dated
a decline's adverse action notice "(2026-11-28)" on a page whose other dates read
``11/28/2026 4:30 AM``; it now says "until 4:35 AM" and "(11/28/2026)". The review queue
and the audit trail (its portfolio snapshot, "Portfolio 11/28/2026") write theirs the
same way. In Chinese, and for a CN lender, they stay ISO and 24-hour.

The US demo's lender is in New York: the tests' 09:30 UTC is 4:30 AM there, and a code
asked then lasts until 4:35 AM."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from autolend.bootstrap import Container
from autolend.domain.access import Role
from tests.integration.test_application_pages import post, sign_in
from tests.integration.test_demo_us import container  # noqa: F401 - the US demo's

pytestmark = pytest.mark.integration


def demo_sign_in(client: TestClient, role: Role, lang: str) -> None:
    sign_in(client, role.value, f"demo-{role.value}")
    client.cookies.set("autolend_lang", lang)


def referred(container: Container) -> list[int]:  # noqa: F811
    """The demo's applications a person decides (no bureau: every one), oldest first."""
    with container.engine.connect() as conn:
        query = "SELECT id FROM applications WHERE status = 'referred' ORDER BY id"
        return [row[0] for row in conn.execute(text(query))]


def review(client: TestClient, app_id: int, action: str) -> None:
    demo_sign_in(client, Role.UNDERWRITER, "en")
    done = post(client, f"/applications/{app_id}/review", {"action": action, "reason": "seen"})
    assert done.status_code == 303, done.text[:2000]


def code_notice(page: str) -> str:
    found = re.search(r'data-notice="code_(?:sent|queued)"[^>]*>(.*?)</div>', page, re.S)
    assert found is not None, page[:3000]
    return found.group(1)


def adverse_notice_heading(page: str) -> str:
    found = re.search(r'data-section="adverse-action">([^\n]*)\n', page)
    assert found is not None, page[:3000]
    return found.group(1)


def test_the_application_page_says_the_codes_expiry_on_the_12_hour_clock_in_english(
    client: TestClient,
    container: Container,  # noqa: F811
) -> None:
    app_id = referred(container)[0]
    review(client, app_id, "approve")
    demo_sign_in(client, Role.DEALER, "en")
    assert post(client, f"/applications/{app_id}/accept", {"option": "1"}).status_code == 303
    asked = post(client, f"/applications/{app_id}/sign")
    assert asked.status_code == 303, asked.text[:2000]
    done = asked.headers["location"]
    page = client.get(done).text
    assert "it is valid until 4:35 AM (5 minutes)" in code_notice(page)
    assert 'data-code-until="2026-11-28T04:35-05:00"' in page  # the attribute stays ISO
    assert re.search(r"· Filed \d\d/\d\d/2026 \d{1,2}:\d\d [AP]M\s", page), page[:3000]
    client.cookies.set("autolend_lang", "zh_CN")
    chinese = client.get(done).text
    assert "有效期至 04:35（5 分钟）" in code_notice(chinese)
    assert "AM" not in code_notice(chinese)


def test_a_declines_adverse_action_notice_is_dated_month_first_in_english(
    client: TestClient,
    container: Container,  # noqa: F811
) -> None:
    app_id = referred(container)[0]
    review(client, app_id, "decline")
    page = client.get(f"/applications/{app_id}").text
    assert adverse_notice_heading(page).endswith("(11/28/2026)")
    client.cookies.set("autolend_lang", "zh_CN")
    chinese = client.get(f"/applications/{app_id}").text
    assert adverse_notice_heading(chinese).endswith("(2026-11-28)")


def test_the_review_queue_and_the_audit_trail_write_us_dates_in_english(
    client: TestClient,
    container: Container,  # noqa: F811
) -> None:
    demo_sign_in(client, Role.UNDERWRITER, "en")
    queue = client.get("/review").text
    waiting = re.findall(r'<td class="nowrap">([^<]*)</td>', queue)
    assert waiting and all(re.fullmatch(r"\d\d/\d\d/\d{4} \d{1,2}:\d\d [AP]M", w) for w in waiting)
    client.cookies.set("autolend_lang", "zh_CN")
    chinese = re.findall(r'<td class="nowrap">([^<]*)</td>', client.get("/review").text)
    assert chinese and all(w.startswith("2026年") for w in chinese)
    demo_sign_in(client, Role.AUDITOR, "en")
    trail = client.get("/audit").text
    assert 'data-object="portfolio:2026-11-28">Portfolio 11/28/2026<' in trail
    client.cookies.set("autolend_lang", "zh_CN")
    assert 'data-object="portfolio:2026-11-28">资产组合 2026-11-28<' in client.get("/audit").text
