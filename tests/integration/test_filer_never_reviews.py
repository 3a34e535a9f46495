"""Whoever filed an application never decides it (segregation of duties), on the API and
on the pages alike: an underwriter who filed for a walk-in borrower is refused (403,
nothing changes; the pages say why in their language) reviewing it, counter-offering it
or giving its second approval, and the pages offer them no such form but say that
another underwriter must; another underwriter decides it. Before, the filer could
approve their own application (and, since a reviewer never accepts an offer, it could
then only be withdrawn). The second approval stays another person's than the first
reviewer's (409). Every application here is referred (no bureau, no model)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Role
from tests.integration.test_application_pages import post
from tests.integration.test_borrower_numbers_agree import _ok
from tests.integration.test_contracts import sms  # noqa: F401 - fixture
from tests.integration.test_loans_api import as_role, sign_in
from tests.integration.test_who_accepts_an_offer import web_sign_in
from tests.support.origination import (
    application_body,
    referring_container,  # noqa: F401 - the container
)

pytestmark = pytest.mark.integration
APPLICATIONS = "/api/v1/applications"
FILER = "underwriter2"  # files for a walk-in borrower
THIRD = "underwriter3"
PASSWORDS = {FILER: "pw-underwriter2-long", THIRD: "pw-underwriter3-long",
             "underwriter": "pw-underwriter-long"}  # fmt: skip
# 350,000.00 financed: above the policy's 300,000.00 for one person.
LARGE = {"vehicle": application_body()["vehicle"] | {"price": "500000.00"},
         "down_payment": "150000.00"}  # fmt: skip
APPROVE = {"action": "approve", "reason": "income and car checked"}
FILED_EN = "you filed this application: another underwriter must decide it"
FILED_ZH = "该申请由您提交：须由另一位审核人员作出决定"


@pytest.fixture
def people(client: TestClient, container: Container, staff: dict[Role, str]) -> dict[str, Any]:
    """API headers of the filer, a third underwriter and ``underwriter``."""
    for name in (FILER, THIRD):
        container.services.users.create(SYSTEM_ACTOR, username=name, password=PASSWORDS[name],
                                        roles=["underwriter"])  # fmt: skip
    return {FILER: sign_in(client, FILER, PASSWORDS[FILER]),
            THIRD: sign_in(client, THIRD, PASSWORDS[THIRD]),
            "underwriter": as_role(client, staff, Role.UNDERWRITER)}  # fmt: skip


def walk_in(client: TestClient, filer: dict[str, str], **changes: Any) -> str:
    """A walk-in's application filed by ``filer`` and referred; its API path."""
    body = application_body(channel="borrower", **changes)
    made = _ok(client.post(APPLICATIONS, json=body, headers=filer), 201)
    app = f"{APPLICATIONS}/{made['id']}"
    assert _ok(client.post(f"{app}/submit", headers=filer))["status"] == "referred"
    return app


def state(client: TestClient, app: str, headers: dict[str, str]) -> tuple[str, list[str]]:
    shown = _ok(client.get(app, headers=headers))
    return shown["status"], [e["action"] for e in shown["events"]]


@pytest.mark.parametrize(
    "decision",
    [APPROVE, {"action": "decline", "reason": "not for me to say"},
     {"action": "counter_offer", "reason": "shorter", "term_months": 24}],
)  # fmt: skip
def test_the_filer_may_not_review_their_own_application_and_nothing_changes(
    client: TestClient, people: dict[str, Any], decision: dict[str, Any]
) -> None:
    app = walk_in(client, people[FILER])
    before = state(client, app, people[FILER])
    answer = client.post(f"{app}/review", json=decision, headers=people[FILER])
    assert answer.status_code == 403, answer.text
    assert FILED_EN in answer.json()["error"]["message"]
    assert state(client, app, people[FILER]) == before == ("referred", ["create", "submit"])
    decided = _ok(client.post(f"{app}/review", json=decision, headers=people["underwriter"]))
    assert decided["status"] != "referred"


def test_the_filer_gives_no_second_approval_and_the_first_reviewer_none_either(
    client: TestClient, people: dict[str, Any]
) -> None:
    app = walk_in(client, people[FILER], **LARGE)
    reviewed = _ok(client.post(f"{app}/review", json=APPROVE, headers=people["underwriter"]))
    assert reviewed["status"] == "pending_second"
    confirm = {"approve": True, "reason": "second look at the file"}
    url = f"{app}/second-approval"
    for refuse in (True, False):
        body = confirm | {"approve": not refuse}
        answer = client.post(url, json=body, headers=people[FILER])
        assert answer.status_code == 403 and FILED_EN in answer.text, answer.text
    same = client.post(url, json=confirm, headers=people["underwriter"])
    assert same.status_code == 409 and "another person" in same.text
    assert state(client, app, people[FILER])[0] == "pending_second"
    assert _ok(client.post(url, json=confirm, headers=people[THIRD]))["status"] == "approved"


def test_the_queue_and_the_page_leave_the_filers_case_to_another_underwriter(
    client: TestClient, people: dict[str, Any]
) -> None:
    """The filer: no review form, a note instead (and the queue's row says so); their
    form post refused in their language. Another underwriter: the form, no note."""
    app = walk_in(client, people[FILER])
    path, app_id = app.removeprefix("/api/v1"), app.rsplit("/", 1)[1]
    assert not _ok(client.get("/api/v1/review-queue", headers=people[FILER]))["items"][0][
        "may_review"
    ]
    web_sign_in(client, FILER, PASSWORDS[FILER])
    client.cookies.set("autolend_lang", "en")
    page = client.get(path).text
    assert 'data-form="review"' not in page and 'data-another-underwriter="decides"' in page
    assert "You filed this application, so another underwriter must decide it." in page
    assert "another underwriter must decide it" in row_of(client.get("/review").text, app_id)
    client.cookies.set("autolend_lang", "zh_CN")
    answer = post(client, f"{path}/review", {"action": "approve", "reason": "my own case"})
    assert answer.status_code == 403 and FILED_ZH in answer.text
    assert state(client, app, people[FILER])[0] == "referred"
    web_sign_in(client, THIRD, PASSWORDS[THIRD])
    page = client.get(path).text
    assert 'data-form="review"' in page and "data-another-underwriter" not in page
    assert "data-another-underwriter" not in row_of(client.get("/review").text, app_id)
    assert post(client, f"{path}/review", APPROVE).status_code == 303


def test_the_second_approval_form_is_for_neither_the_filer_nor_the_first_reviewer(
    client: TestClient, people: dict[str, Any]
) -> None:
    app = walk_in(client, people[FILER], **LARGE)
    _ok(client.post(f"{app}/review", json=APPROVE, headers=people["underwriter"]))
    path = app.removeprefix("/api/v1")
    notes = {FILER: "decides", "underwriter": "confirms"}
    for name in (FILER, "underwriter", THIRD):
        web_sign_in(client, name, PASSWORDS[name])
        page = client.get(path).text
        assert ('data-form="second-approval"' in page) == (name == THIRD), name
        note = re.search(r'data-another-underwriter="(\w+)"', page)
        assert (note and note.group(1)) == notes.get(name), name


def row_of(queue: str, app_id: str) -> str:
    row = re.search(rf'<tr data-application-id="{app_id}">(.*?)</tr>', queue, re.S)
    assert row, app_id
    return row.group(1)
