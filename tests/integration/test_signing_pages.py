"""Signing on the application page, as the dealer and the borrower meet it, on both
databases: a wrong, short or repeated code is explained in the page's language (the
Chinese page said "the code is wrong: 4 attempts left" in English), a code typed with a
Chinese input method's full-width digits signs, and signing again says the contract is
already signed (it said an offer must be accepted first); an underwriter is neither offered
nor allowed the borrower's signature, and is told so in the page's language."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from tests.integration.test_application_pages import (  # noqa: F401 - the fixture
    _approved,
    container,
    post,
    web_sign_in,
)

pytestmark = pytest.mark.integration


def _code_sent(client: TestClient, staff: dict[Role, str]) -> tuple[int, str]:
    """An approved application, its offer accepted and a code sent: its id and the code."""
    app_id = _approved(client, staff)
    web_sign_in(client, staff, Role.DEALER)
    assert post(client, f"/applications/{app_id}/accept", {"option": "1"}).status_code == 303
    assert post(client, f"/applications/{app_id}/sign").status_code == 303
    found = re.search(r"验证码为 (\d{6})", client.get("/demo/sms").text)
    assert found is not None
    return app_id, found.group(1)


def _problem(page: str) -> str:
    found = re.search(r'role="alert"[^>]*>(.*?)</div>', page, re.S)
    assert found is not None, page[:2000]
    return re.sub(r"<[^>]+>", "", found.group(1))


def test_a_wrong_short_or_repeated_code_is_explained_in_the_pages_language(
    client: TestClient, container: Container, staff: dict[Role, str],  # noqa: F811
) -> None:  # fmt: skip
    app_id, code = _code_sent(client, staff)
    path = f"/applications/{app_id}/sign"
    wrong = "000000" if code != "000000" else "111111"
    client.cookies.set("autolend_lang", "zh_CN")
    refused = post(client, path, {"code": wrong})
    assert refused.status_code == 422
    assert "验证码错误，还可尝试 4 次" in _problem(refused.text)
    short = post(client, path, {"code": "123"})
    assert short.status_code == 422 and "验证码为 6 位数字" in _problem(short.text)
    client.cookies.set("autolend_lang", "en")
    refused = post(client, path, {"code": wrong})
    assert "the code is wrong; 3 attempts left" in _problem(refused.text)
    client.cookies.set("autolend_lang", "zh_CN")
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)  # "０４２９１７"
    assert post(client, path, {"code": full_width}).status_code == 303
    again = post(client, path, {"code": code})  # the form sent once more
    assert again.status_code == 409
    assert "合同已签署（状态：已签署）" in _problem(again.text)
    client.cookies.set("autolend_lang", "en")
    again = post(client, path, {"code": code})
    assert "the contract is already signed (status: signed)" in _problem(again.text)


def test_an_underwriter_is_not_offered_the_borrowers_contract_and_is_refused_in_both_languages(
    client: TestClient, container: Container, staff: dict[Role, str],  # noqa: F811
) -> None:  # fmt: skip
    """The underwriter's page offered "send signing code" and "sign", and both worked
    (the contracts API refuses them: only the borrower, their dealer or servicing)."""
    app_id, code = _code_sent(client, staff)
    web_sign_in(client, staff, Role.UNDERWRITER)
    page = client.get(f"/applications/{app_id}").text
    assert 'data-form="signing"' not in page and 'data-action="sign"' not in page
    path = f"/applications/{app_id}/sign"
    client.cookies.set("autolend_lang", "zh_CN")
    asked = post(client, path)
    assert asked.status_code == 403
    assert "只有借款人、其经销商或贷后服务人员可以签署合同" in _problem(asked.text)
    client.cookies.set("autolend_lang", "en")
    refused = post(client, path, {"code": code})
    assert refused.status_code == 403
    assert "only the borrower, their dealer or servicing may sign" in _problem(refused.text)
    assert 'data-application-status="signing"' in client.get(f"/applications/{app_id}").text
    web_sign_in(client, staff, Role.SERVICING)  # servicing may, as on the contracts API
    assert 'data-action="sign"' in client.get(f"/applications/{app_id}").text
    assert post(client, path, {"code": code}).status_code == 303
    assert 'data-application-status="signed"' in client.get(f"/applications/{app_id}").text
