"""A US application's page as the underwriter and the dealer walk it, on both databases:
the applicant's SSN or ITIN and phone used to show as stored (``123456788``,
``+16145550100``) where the customers page and the form write ``123-45-6788`` and
``(614) 555-0100``; and once the signing code was sent, the notice said it went to the
borrower's "mobile" where the signing card, above it, says "phone". Now both read as a
US borrower's details are written."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from autolend.adapters.clock import FixedClock
from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.services.model_ports import NewModelVersion
from tests.integration.test_application_pages import post, web_sign_in
from tests.integration.test_bureau_sandbox import (  # noqa: F401 - fixtures
    control,
    sandbox,
    sandbox_url,
)
from tests.integration.test_us_bureau import bureau, model  # noqa: F401 - fixtures
from tests.integration.test_us_offers import offered
from tests.integration.test_us_origination import us_body, us_product  # noqa: F401 - fixture
from tests.support.bureau_ids import us_tins
from tests.support.messaging import SmsSandbox, sms_gateway
from tests.support.origination import origination_container

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("us_product")]


@pytest.fixture
def sms() -> Iterator[SmsSandbox]:
    with sms_gateway() as box:
        yield box


@pytest.fixture
def container(db_url: str, tmp_path: Path, clock: FixedClock, bureau: str,  # noqa: F811
              model: NewModelVersion, sms: SmsSandbox) -> Iterator[Container]:  # noqa: F811  # fmt: skip
    """A US lender on the sandbox bureau with the dollar model, SMS to the sandbox."""
    with origination_container(
        db_url, tmp_path, clock, model, bureau_url=bureau, bureau_retries=0,
        jurisdiction="US", timezone="America/New_York", sms_url=sms.url,
    ) as built:  # fmt: skip
        yield built


def borrower_details(page: str) -> tuple[str, str]:
    """The borrower's ID number and phone as the application page shows them."""
    party = re.search(r'data-party="borrower">(.*?)</dl>', page, re.S)
    assert party is not None, page[:2000]
    id_number = re.search(r"data-id-number>([^<]*)<", party.group(1))
    phone = re.search(r"data-phone>([^<]*)<", party.group(1))
    assert id_number is not None and phone is not None, party.group(1)
    return id_number.group(1).strip(), phone.group(1).strip()


@pytest.mark.usefixtures("container")
def test_a_us_application_page_writes_the_ssn_and_phone_as_people_write_them(
    client: TestClient, staff: dict[Role, str]
) -> None:
    app_id, _ = offered(client, staff)
    tin = us_tins("clean", 1, 1)[0]  # the applicant offered() files, phone 6145550100
    web_sign_in(client, staff, Role.UNDERWRITER)
    client.cookies.set("autolend_lang", "en")
    shown = borrower_details(client.get(f"/applications/{app_id}").text)
    assert shown == (f"{tin[:3]}-{tin[3:5]}-{tin[5:]}", "(614) 555-0100")


@pytest.mark.usefixtures("container")
def test_the_signing_notice_says_the_code_went_to_the_us_borrowers_phone(
    client: TestClient, staff: dict[Role, str], sms: SmsSandbox
) -> None:
    app_id, _ = offered(client, staff)
    web_sign_in(client, staff, Role.DEALER)
    client.cookies.set("autolend_lang", "en")
    assert post(client, f"/applications/{app_id}/accept", {"option": "1"}).status_code == 303
    asked = post(client, f"/applications/{app_id}/sign")
    assert asked.status_code == 303, asked.text[:2000]
    page = client.get(asked.headers["location"]).text
    notice = re.search(r'data-notice="code_sent"[^>]*>(.*?)</div>', page, re.S)
    assert notice is not None and len(sms.received) == 1, page[:3000]
    assert notice.group(1).startswith("A signing code was sent to the borrower's phone ending in")
    assert "mobile" not in notice.group(1)
