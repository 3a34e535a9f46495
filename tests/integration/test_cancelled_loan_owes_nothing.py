"""A loan cancelled before its payout (its application withdrawn after the offer was
accepted) owes nothing, and says so, on both databases: ``GET /api/v1/loans/{id}`` lists
every installment "cancelled" with nothing outstanding, and the loan page shows no
schedule of unpaid, not-yet-due installments ("未到期", "未还 ¥4,070.75" on every row, as
testers found it) nor a chart of them, but a sentence that the loan was cancelled before
it was paid out.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from tests.integration.test_application_pages import (  # noqa: F401 - container: no bureau
    container,
    web_sign_in,
)
from tests.integration.test_application_withdrawal import accepted
from tests.integration.test_loans_api import as_role

pytestmark = pytest.mark.integration


def cancelled(client: TestClient, staff: dict[Role, str]) -> int:
    """A loan booked on acceptance, its application then withdrawn by the dealer: its id."""
    app, loan_id = accepted(client, staff)
    dealer = as_role(client, staff, Role.DEALER)
    withdrawn = client.post(f"{app}/withdraw", json={"reason": "bought elsewhere"},
                            headers=dealer)  # fmt: skip
    assert withdrawn.status_code == 200, withdrawn.text
    return loan_id


def test_the_api_lists_every_installment_of_a_cancelled_loan_cancelled_with_nothing_owed(
    client: TestClient, container: Container, staff: dict[Role, str],  # noqa: F811
) -> None:  # fmt: skip
    loan_id = cancelled(client, staff)
    servicing = as_role(client, staff, Role.SERVICING)
    loan = client.get(f"/api/v1/loans/{loan_id}", headers=servicing).json()
    assert loan["status"] == "cancelled"
    assert len(loan["schedule"]) == 36
    assert {line["status"] for line in loan["schedule"]} == {"cancelled"}
    assert {line["outstanding"] for line in loan["schedule"]} == {"0.00"}
    assert {line["paid"] for line in loan["schedule"]} == {"0.00"}
    assert loan["overdue"] == {"installments": 0, "amount": "0.00"}
    assert loan["next_due"] is None


def test_the_page_of_a_cancelled_loan_says_it_was_cancelled_before_payout_not_what_is_unpaid(
    client: TestClient, container: Container, staff: dict[Role, str],  # noqa: F811
) -> None:  # fmt: skip
    loan_id = cancelled(client, staff)
    web_sign_in(client, staff, Role.SERVICING)
    page = client.get(f"/loans/{loan_id}").text
    schedule = re.search(r'<section[^>]*data-section="schedule".*?</section>', page, re.S)
    assert schedule, page[:3000]
    assert 'data-table="schedule"' not in page and "data-installment=" not in page
    assert "未到期" not in schedule.group(0) and "未还" not in schedule.group(0)
    assert 'data-schedule-note="cancelled"' in schedule.group(0)
    assert "在放款前取消" in schedule.group(0) and "各期均无需偿还" in schedule.group(0)
    assert 'data-echarts="loan-chart"' not in page  # no bars of what is "outstanding"
    assert 'data-payoff-none="cancelled"' in page
    client.cookies.set("autolend_lang", "en")
    english = client.get(f"/loans/{loan_id}").text
    assert "before it was paid out: nothing was lent, so none of its installments" in english
    assert "nothing was lent, so there is nothing to pay." in english
    assert "Future" not in english and "Outstanding</th>" not in english
