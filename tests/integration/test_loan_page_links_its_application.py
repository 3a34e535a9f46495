"""The loan page links to the application it was booked from, for whoever may open that
application, on both databases.

Who reads a loan is wider than who reads its application, on purpose (docs/origination.md,
``services/application_records.booking_application``): the dealer a borrower's own
application names (the showroom selling the car, paid at disbursement) reads the loan,
not the application, which did not come through it; a collector reads loans and no
application. Before, the loan page named no application at all, and a dealer that
followed the application's number from elsewhere met a 404 it could not explain; now
the link is there exactly when the application opens.

The cast: the dealer (D001) files 张伟's application and accepts its offer; the borrower
user files their own, naming dealer 1, and accepts its offer; a second user of dealer 1
(``dealer1b``) did neither.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Role
from tests.integration.test_application_pages import (  # noqa: F401 - fixture
    _approved,
    container,
    post,
    sign_in,
    web_sign_in,
)
from tests.integration.test_demo_sms_inbox_scope import own_application_accepted

pytestmark = pytest.mark.integration


def _booked(
    client: TestClient,
    container: Container,  # noqa: F811 - fixture
    staff: dict[Role, str],
) -> dict[str, int]:
    """Both applications accepted: their ids and the loans they booked."""
    dealers = _approved(client, staff)
    web_sign_in(client, staff, Role.DEALER)
    assert post(client, f"/applications/{dealers}/accept", {"option": "1"}).status_code == 303
    own = own_application_accepted(client, staff)
    container.services.users.create(
        SYSTEM_ACTOR, username="dealer1b", password="pw-dealer1b-long", roles=["dealer"],
        dealer_code="D001",
    )  # fmt: skip
    read = container.services.applications.get
    loans = {f"{name}_loan": int(read(SYSTEM_ACTOR, app)["loan_id"])
             for name, app in (("dealers", dealers), ("own", own))}  # fmt: skip
    return {"dealers": dealers, "own": own, **loans}


def _link(client: TestClient, loan_id: int, application_id: int) -> bool:
    page = client.get(f"/loans/{loan_id}")
    assert page.status_code == 200, page.text[:2000]
    return f'href="/applications/{application_id}" data-action="open-application"' in page.text


def test_a_dealer_reads_the_loan_of_a_borrowers_own_application_naming_it_without_a_link_to_it(
    client: TestClient,
    container: Container,  # noqa: F811 - fixture
    staff: dict[Role, str],
) -> None:
    ids = _booked(client, container, staff)
    assert ids["own_loan"] and ids["dealers_loan"]
    web_sign_in(client, staff, Role.DEALER)
    # the loan names dealer 1, so the dealer reads it; the application did not come
    # through the dealer, so the dealer does not, and the loan page does not link it
    assert not _link(client, ids["own_loan"], ids["own"])
    assert client.get(f"/applications/{ids['own']}").status_code == 404
    # its own application's loan links back to the application, which opens
    assert _link(client, ids["dealers_loan"], ids["dealers"])
    assert client.get(f"/applications/{ids['dealers']}").status_code == 200


def test_every_user_of_the_dealer_opens_the_application_another_of_its_users_filed(
    client: TestClient,
    container: Container,  # noqa: F811 - fixture
    staff: dict[Role, str],
) -> None:
    ids = _booked(client, container, staff)
    sign_in(client, "dealer1b", "pw-dealer1b-long")
    assert _link(client, ids["dealers_loan"], ids["dealers"])
    assert client.get(f"/applications/{ids['dealers']}").status_code == 200
    assert not _link(client, ids["own_loan"], ids["own"])


def test_the_borrower_and_staff_who_read_applications_follow_the_link_a_collector_has_none(
    client: TestClient,
    container: Container,  # noqa: F811 - fixture
    staff: dict[Role, str],
) -> None:
    ids = _booked(client, container, staff)
    web_sign_in(client, staff, Role.BORROWER)
    assert _link(client, ids["own_loan"], ids["own"])
    assert client.get(f"/applications/{ids['own']}").status_code == 200
    for role in (Role.UNDERWRITER, Role.SERVICING):
        web_sign_in(client, staff, role)
        assert _link(client, ids["own_loan"], ids["own"]), role
        assert _link(client, ids["dealers_loan"], ids["dealers"]), role
    web_sign_in(client, staff, Role.COLLECTOR)  # reads loans, not applications
    assert not _link(client, ids["own_loan"], ids["own"])
    client.cookies.set("autolend_lang", "zh_CN")
    web_sign_in(client, staff, Role.UNDERWRITER)
    assert f"来自申请编号 {ids['own']}" in client.get(f"/loans/{ids['own_loan']}").text
