"""The demo SMS inbox, on both databases, showed every message it held to anyone signed
in: a borrower read other people's signing codes, a dealer another dealer's. Now a
message is shown to whoever may sign the contract it names: a borrower those sent to
their own mobile, a dealer those of the applications it filed (not a borrower's own
application that merely names it), servicing every one; other staff none
(test_demo_sms_inbox_signers_only.py).

The cast: the dealer (D001) files 张伟's application (mobile ending 8000); the borrower
user files their own, naming dealer 1 (mobile ending 9000); each has a code sent."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Role
from autolend.services.notifications import _TEMPLATES, contract_named, render
from tests.integration.test_application_pages import (  # noqa: F401 - fixture
    OWN_ID,
    _approved,
    container,
    file_through_the_form,
    post,
    sign_in,
    web_sign_in,
)
from tests.support.origination import another_vin

pytestmark = pytest.mark.integration

DEALERS = "*******8000"  # 张伟, filed by the dealer
OWN = "*******9000"  # the borrower user's own application


def _codes_sent(
    client: TestClient,
    container: Container,  # noqa: F811 - fixture
    staff: dict[Role, str],
) -> None:
    """Both applications approved, accepted and a signing code sent for each."""
    dealers = _approved(client, staff)
    web_sign_in(client, staff, Role.DEALER)
    assert post(client, f"/applications/{dealers}/accept", {"option": "1"}).status_code == 303
    assert post(client, f"/applications/{dealers}/sign").status_code == 303
    own = own_application_accepted(client, staff)  # the borrower signed in
    assert post(client, f"/applications/{own}/sign").status_code == 303
    container.services.users.create(
        SYSTEM_ACTOR, username="dealer2", password="pw-dealer2-long", roles=["dealer"],
        dealer_code="D002",
    )  # fmt: skip


def own_application_accepted(client: TestClient, staff: dict[Role, str]) -> int:
    """The borrower user's own application (naming dealer 1, another car than the dealer's
    application: one car secures one loan) filed through the form, approved by an
    underwriter and its first offer accepted by the borrower, who stays signed in."""
    web_sign_in(client, staff, Role.BORROWER)
    mine = {"applicants[0].id_number": OWN_ID, "applicants[0].name": "王芳",
            "applicants[0].mobile": "13900139000", "vehicle.dealer_id": "1",
            "vehicle.vin": another_vin(1)}  # fmt: skip
    own = file_through_the_form(client, **mine)
    assert post(client, f"/applications/{own}/submit").status_code == 303
    web_sign_in(client, staff, Role.UNDERWRITER)
    decided = post(
        client, f"/applications/{own}/review", {"action": "approve", "reason": "looks fine"}
    )
    assert decided.status_code == 303, decided.text[:2000]
    web_sign_in(client, staff, Role.BORROWER)
    assert post(client, f"/applications/{own}/accept", {"option": "1"}).status_code == 303
    return own


def recipients(page: str) -> list[str]:
    return re.findall(r"<span data-sms-to>([^<]*)</span>", page)


def test_a_borrower_sees_only_the_codes_sent_to_their_own_mobile(
    client: TestClient,
    container: Container,  # noqa: F811 - fixture
    staff: dict[Role, str],
) -> None:
    _codes_sent(client, container, staff)
    web_sign_in(client, staff, Role.BORROWER)
    for lang in ("en", "zh_CN"):
        client.cookies.set("autolend_lang", lang)
        page = client.get("/demo/sms").text
        assert recipients(page) == [OWN], lang
        assert 'data-sms-scope="own"' in page
    client.cookies.set("autolend_lang", "en")
    page = client.get("/demo/sms").text
    assert "Only the messages about your own contracts are shown." in page


def test_a_dealer_sees_the_codes_of_the_applications_it_filed_and_no_other_dealers(
    client: TestClient,
    container: Container,  # noqa: F811 - fixture
    staff: dict[Role, str],
) -> None:
    _codes_sent(client, container, staff)
    web_sign_in(client, staff, Role.DEALER)
    client.cookies.set("autolend_lang", "en")
    page = client.get("/demo/sms").text
    # the borrower's own application names dealer 1, yet dealer 1 did not file it
    assert recipients(page) == [DEALERS]
    assert "Only the messages about the applications your dealership filed are shown." in page
    sign_in(client, "dealer2", "pw-dealer2-long")
    for lang in ("en", "zh_CN"):
        client.cookies.set("autolend_lang", lang)
        page = client.get("/demo/sms").text
        assert recipients(page) == [] and 'data-sms-scope="dealer"' in page, lang
        assert "验证码" not in page


@pytest.mark.parametrize("role", [Role.SERVICING])
def test_servicing_sees_every_code_in_the_inbox(
    client: TestClient,
    container: Container,  # noqa: F811 - fixture
    staff: dict[Role, str],
    role: Role,
) -> None:
    _codes_sent(client, container, staff)
    web_sign_in(client, staff, role)
    page = client.get("/demo/sms").text
    assert recipients(page) == [OWN, DEALERS]  # newest first
    assert "data-sms-scope" not in page


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
@pytest.mark.parametrize("template", sorted(_TEMPLATES))
def test_every_text_names_the_contract_it_is_about(template: str, locale: str) -> None:
    """The inbox keeps only a text: each template must name its contract for the page
    to know whose it is."""
    payload = {"contract_id": 4711, "minutes": 5, "locale": locale, "signed_at": "-"}
    assert contract_named(render(template, payload, "028450")[1]) == 4711
