"""The demo SMS inbox shows a signing code only to whoever may sign its contract, on both
databases. A collector, an underwriter, risk, compliance, an auditor and the
administrator sign nothing (the borrower, their dealer or servicing does), yet each read
every code in the inbox: now each sees none, and the page says who does. A servicing
user who reviewed an application may not sign its contract (segregation of duties), so
its code is not theirs to read either."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Actor, Role
from autolend.services.notifications import contract_named
from tests.integration.test_application_pages import (  # noqa: F401 - fixture
    container,
    web_sign_in,
)
from tests.integration.test_demo_sms_inbox_scope import DEALERS, OWN, _codes_sent, recipients

pytestmark = pytest.mark.integration

NON_SIGNERS = (Role.COLLECTOR, Role.UNDERWRITER, Role.RISK, Role.COMPLIANCE, Role.AUDITOR,
               Role.ADMIN)  # fmt: skip


def test_staff_who_sign_nothing_see_no_code_and_are_told_who_does(
    client: TestClient,
    container: Container,  # noqa: F811 - fixture
    staff: dict[Role, str],
) -> None:
    _codes_sent(client, container, staff)
    for role in NON_SIGNERS:
        web_sign_in(client, staff, role)
        client.cookies.set("autolend_lang", "en")
        page = client.get("/demo/sms").text
        assert recipients(page) == [] and 'data-sms-scope="none"' in page, role
        assert "Signing codes are shown only to whoever may sign the contract: the borrower, " \
               "their dealer or servicing." in page  # fmt: skip
        assert not re.search(r"\b\d{6}\b", page), role  # no code anywhere on the page
        client.cookies.set("autolend_lang", "zh_CN")
        page = client.get("/demo/sms").text
        assert "签署验证码仅向可签署该合同的人显示" in page and "验证码为" not in page, role
    web_sign_in(client, staff, Role.SERVICING)  # the one who may sign for the borrower
    assert recipients(client.get("/demo/sms").text) == [OWN, DEALERS]


def test_a_servicing_user_who_reviewed_the_application_does_not_read_its_code(
    client: TestClient,
    container: Container,  # noqa: F811 - fixture
    staff: dict[Role, str],
) -> None:
    _codes_sent(client, container, staff)
    web_sign_in(client, staff, Role.SERVICING)
    texts = re.findall(r"<span data-sms-text>([^<]*)</span>", client.get("/demo/sms").text)
    contracts = [contract_named(text) for text in texts]
    assert len(contracts) == 2 and None not in contracts
    with container.uow() as uow:
        reviewer = uow.users.by_username("underwriter")  # approved both
        servicing = uow.users.by_username("servicing")
    assert reviewer is not None and servicing is not None
    both = Actor(reviewer.id, "underwriter", (Role.UNDERWRITER, Role.SERVICING))
    other = Actor(servicing.id, "servicing", (Role.SERVICING,))
    service = container.services.contracts
    assert [service.may_read_texts(both, c) for c in contracts if c] == [False, False]
    assert [service.may_read_texts(other, c) for c in contracts if c] == [True, True]
