"""A US application's page, as the underwriter and the dealer read it: it used to label a
US applicant's SSN or ITIN "Resident ID number" and their phone "Mobile", and to print the
CN penalty sentence under each US offer ("Penalty interest at 10.24 % a year on overdue
principal ...; overdue interest bears it too"), although the US pack charges no penalty
interest and never interest on interest: its late rate is the contract rate. Now the
labels are the US form's and each offer says interest on overdue principal runs at the
contract rate, with no penalty interest."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from autolend.domain.access import Role
from tests.integration.test_application_pages import web_sign_in
from tests.integration.test_bureau_sandbox import (  # noqa: F401 - fixtures
    control,
    sandbox,
    sandbox_url,
)
from tests.integration.test_loans_api import as_role
from tests.integration.test_us_bureau import bureau, container, model  # noqa: F401 - fixtures
from tests.integration.test_us_offers import offered
from tests.integration.test_us_origination import us_body, us_product  # noqa: F401 - fixture

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("us_product")]


@pytest.mark.usefixtures("container")
def test_a_us_application_page_labels_the_ssn_and_phone_and_charges_no_penalty_interest(
    client: TestClient, staff: dict[Role, str]
) -> None:
    app_id, offers = offered(client, staff)
    for late, rate in ((o["late"], o["annual_rate"]) for o in offers):
        assert late["penalty_rate"] is None and late["overdue_interest_rate"] == rate
    web_sign_in(client, staff, Role.UNDERWRITER)
    client.cookies.set("autolend_lang", "en")
    page = client.get(f"/applications/{app_id}").text
    party = re.search(r'data-party="borrower">(.*?)</dl>', page, re.S)
    assert party is not None
    assert "SSN or ITIN" in party.group(1) and "Phone" in party.group(1)
    assert "Resident ID" not in party.group(1) and "Mobile" not in party.group(1)
    late = re.findall(r"<p[^>]*data-late-terms[^>]*>(.*?)</p>", page, re.S)
    assert len(late) == len(offers)
    for sentence in late:
        assert "no penalty interest" in sentence and "at the contract rate" in sentence
        assert "Penalty interest" not in sentence and "bears it too" not in sentence


@pytest.mark.usefixtures("container")
def test_a_us_application_page_says_loan_amount_shows_the_reg_z_apr_alone_and_a_phone(
    client: TestClient, staff: dict[Role, str]
) -> None:
    """The header said "Vehicle amount financed ... Total amount financed" beside Reg Z's
    own "Amount financed", each offer showed "APR (nominal)" and "APR (effective)" beside
    the Reg Z APR, and the signing form sent the code to the borrower's "mobile"."""
    app_id, offers = offered(client, staff)
    accepted = client.post(f"/api/v1/applications/{app_id}/accept", json={"option": 1},
                           headers=as_role(client, staff, Role.DEALER))  # fmt: skip
    assert accepted.status_code == 200, accepted.text
    web_sign_in(client, staff, Role.DEALER)
    client.cookies.set("autolend_lang", "en")
    page = client.get(f"/applications/{app_id}").text
    header = re.search(r"<h1>.*?</p>", page, re.S)
    assert header is not None
    assert "Vehicle loan amount" in header.group(0) and "amount financed" not in header.group(0)
    assert "data-apr>" not in page and "APR (nominal)" not in page and "APR (effective)" not in page
    assert page.count("data-regz-apr>") == len(offers)
    # the signing card says where the code goes, above its forms
    signing = re.search(r'data-form="signing">(.*?)data-form="send-code"', page, re.S)
    assert signing is not None and "borrower's phone" in signing.group(1)
