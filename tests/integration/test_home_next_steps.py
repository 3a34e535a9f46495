"""The home page of a dealer or a borrower says what waits on them, on both databases: the
applications whose next step is theirs (a draft to submit, an offer to choose, a contract
to sign), each linking to the list filtered by its status; what waits on the lender (a
referred case) is not theirs to do. Dealers and borrowers, who are not the lender's staff,
see no raw permission codes; a borrower with no application is shown where to start."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from tests.integration.test_application_pages import file_through_the_form, post, web_sign_in
from tests.support.origination import install

pytestmark = pytest.mark.integration


def next_steps(page: str) -> dict[str, str]:
    """Each step shown: its status -> the link it leads to."""
    section = re.search(r'data-section="next-steps">(.*?)</section>', page, re.S)
    if section is None:
        return {}
    found = re.findall(r'<a href="([^"]+)" class="shortcut" data-next-step="([a-z_]+)"',
                       section.group(1))  # fmt: skip
    return {status: href for href, status in found}


def test_a_dealer_is_told_which_applications_wait_on_it_and_where_they_are(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    install(container, None)
    web_sign_in(client, staff, Role.DEALER)
    assert next_steps(client.get("/").text) == {}  # nothing filed, nothing to do
    first = file_through_the_form(client)
    file_through_the_form(client)
    home = client.get("/").text
    assert next_steps(home) == {"draft": "/applications?status=draft"}
    assert re.search(r'data-next-step="draft">\s*<span class="shortcut__title">[^<]*：2 笔<', home)
    # No bureau and no model here: the case is referred, and that waits on an underwriter.
    assert post(client, f"/applications/{first}/submit").status_code == 303
    home = client.get("/").text
    assert next_steps(home) == {"draft": "/applications?status=draft"}
    assert re.search(r'data-next-step="draft">\s*<span class="shortcut__title">[^<]*：1 笔<', home)
    listed = client.get("/applications?status=draft").text
    assert listed.count("data-application-id=") == 1


def test_staff_who_read_every_application_are_given_no_applicants_steps(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    install(container, None)
    web_sign_in(client, staff, Role.DEALER)
    file_through_the_form(client)
    web_sign_in(client, staff, Role.UNDERWRITER)
    assert next_steps(client.get("/").text) == {}


def test_a_dealer_sees_no_permission_codes_and_staff_still_do(
    client: TestClient, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    home = client.get("/").text
    assert "application:create" not in home and "customer:read" not in home
    web_sign_in(client, staff, Role.UNDERWRITER)
    assert "application:review" in client.get("/").text


def test_a_borrower_without_applications_is_shown_where_to_apply(
    client: TestClient, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.BORROWER)
    home = client.get("/").text
    empty = re.search(r"data-chart-empty>(.*?)</p>", home, re.S)
    assert empty, home[:3000]
    assert 'href="/applications/new"' in empty.group(1)
    web_sign_in(client, staff, Role.AUDITOR)  # may not apply: told nothing of the kind
    assert 'data-action="first-application"' not in client.get("/").text
