"""The audit trail names the platform's own steps as the platform's. The system actor
(user 0: demo set-up, command-line jobs, key rotation) holds the administrator role so
that it may do them, and the page read "system Administrator", as if a person with that
role had acted. It now reads "The platform · automatic" (平台 · 自动执行), with no role."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from autolend.adapters.clock import FixedClock
from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Role
from autolend.services.audit import record_change
from tests.integration.test_application_pages import web_sign_in

pytestmark = pytest.mark.integration


def _row_text(page: str, action: str) -> str:
    row = page.split(f'data-action="{action}"', maxsplit=1)[0].rsplit("<tr", 1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", row).split())


def test_a_step_of_the_platform_itself_is_named_as_the_platform_without_a_role(
    client: TestClient, container: Container, clock: FixedClock, staff: dict[Role, str]
) -> None:
    with container.uow(write=True) as uow:
        record_change(
            uow, clock, SYSTEM_ACTOR, action="keys.rotate", object_type="key",
            object_id="pii", summary={},
        )  # fmt: skip
        uow.commit()
    web_sign_in(client, staff, Role.AUDITOR)
    for lang, said, unsaid in (("en", "The platform automatic", "Administrator"),
                               ("zh_CN", "平台 自动执行", "管理员")):  # fmt: skip
        client.cookies.set("autolend_lang", lang)
        row = _row_text(client.get("/audit?limit=100").text, "keys.rotate")
        assert said in row, row
        assert unsaid not in row and "system" not in row, row
