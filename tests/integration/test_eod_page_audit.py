"""The end-of-day pages as servicing staff read them: a run id typed wrong is the 404
page (never a JSON error); a refused date names its input and marks it; a date too long
to be one is "not a date" in the page's language; a one-day run names one business day,
and a run that had no loan to go through says so rather than "no partition finished yet"."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from autolend.batch.eod_runner import EodRunner
from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Role
from autolend.web.i18n import LANG_COOKIE
from tests.integration.test_eod_page import DAY, book_three, web_sign_in
from tests.integration.test_eod_run_from_the_page import chinese_form_token

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("odd", ["abc", "0", "-1", "１", "99999999999999999999"])
@pytest.mark.parametrize("tail", ["", "/progress"])
def test_a_run_id_that_is_no_id_shows_the_not_found_page_not_a_json_error(
    container: Container, client: TestClient, staff: dict[Role, str], odd: str, tail: str
) -> None:
    web_sign_in(client, staff, Role.SERVICING)

    page = client.get(f"/eod/runs/{odd}{tail}")

    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert 'data-problem="not_found"' in page.text


def test_a_day_after_today_names_and_marks_the_through_input(
    container: Container, client: TestClient, staff: dict[Role, str]
) -> None:
    token = chinese_form_token(container, client, staff)

    ahead = client.post("/eod/runs", data={"through": "2026-11-29", "csrf_token": token})

    assert ahead.status_code == 422
    alert = ahead.text.split('role="alert"')[1].split("</div>")[0]
    assert 'data-error-field="through"' in alert and "截至营业日" in alert
    assert re.search(r'id="eod-through"[^>]*aria-invalid="true" aria-describedby="eod-error"',
                     ahead.text)  # fmt: skip


def test_a_through_date_too_long_to_be_one_is_not_a_date_in_chinese(
    container: Container, client: TestClient, staff: dict[Role, str]
) -> None:
    token = chinese_form_token(container, client, staff)

    long = client.post("/eod/runs", data={"through": "9" * 300, "csrf_token": token})

    assert long.status_code == 422
    assert "不是有效日期" in long.text and "40 characters" not in long.text
    assert 'data-error-field="through"' in long.text


def test_a_run_with_no_loan_to_go_through_says_so_and_names_its_one_day(
    container: Container, client: TestClient, staff: dict[Role, str]
) -> None:
    book_three(container)
    runner = EodRunner(container.uow, container.services.clock)
    runner.run_date(SYSTEM_ACTOR, DAY)
    again = runner.run_date(SYSTEM_ACTOR, DAY)  # every loan is already through DAY
    assert again.loans == 0
    web_sign_in(client, staff, Role.SERVICING)
    client.cookies.set(LANG_COOKIE, "en")

    page = client.get(f"/eod/runs/{again.run_id}").text

    assert "No partition finished yet." not in page
    assert 'data-empty="partitions"' in page
    assert f"Business day {DAY.isoformat()}" in page
    assert f"Business days {DAY.isoformat()} to" not in page
