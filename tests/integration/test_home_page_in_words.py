"""The home page speaks to staff in words: the permissions their roles grant are named
("Approve fee waivers", 批准费用减免; the code only in the title), never listed as codes
such as ``fee:waive_approve``, and every shortcut says what it is for, the approvals
queue included, in both languages."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from autolend.domain.access import Permission, Role, permissions_of
from autolend.web.i18n import LANG_COOKIE, LOCALES, translations
from autolend.web.permission_names import PERMISSION_NAMES
from tests.integration.test_portfolio import web_sign_in

pytestmark = pytest.mark.integration

STAFF = [role for role in Role if role not in (Role.BORROWER, Role.DEALER)]
APPROVALS_TEXT = "Fee waivers and write-offs waiting for a second person's decision."


def home(client: TestClient, staff: dict[Role, str], role: Role, lang: str) -> str:
    client.cookies.clear()
    web_sign_in(client, staff, role)
    client.cookies.set(LANG_COOKIE, lang)
    page = client.get("/")
    assert page.status_code == 200
    return str(page.text)


def permission_chips(page: str) -> dict[str, str]:
    """The permissions listed: code (from the chip's data) -> the words shown."""
    chips = re.findall(r'<span class="chip" data-permission="([^"]+)" title="\1">([^<]+)</span>',
                       page)  # fmt: skip
    return {code: html.unescape(words) for code, words in chips}


def shortcuts(page: str) -> dict[str, str]:
    """Each shortcut's key -> its description, whitespace folded."""
    found = re.findall(r'data-shortcut="([\w-]+)">.*?<span class="shortcut__text[^"]*">(.*?)'
                       r"</span>", page, re.S)  # fmt: skip
    return {key: " ".join(html.unescape(text).split()) for key, text in found}


@pytest.mark.parametrize("lang", LOCALES)
def test_each_staff_roles_permissions_are_named_in_words_not_codes(
    client: TestClient, staff: dict[Role, str], lang: str
) -> None:
    gettext = translations(lang).gettext
    for role in STAFF:
        page = home(client, staff, role, lang)
        held = permissions_of([role])
        chips = permission_chips(page)
        assert set(chips) == {p.value for p in held}, role
        assert chips == {p.value: gettext(PERMISSION_NAMES[p]) for p in held}, role
        assert not any(f">{p.value}<" in page for p in Permission), role
    assert permission_chips(page)["fee:waive_approve"] == gettext("Approve fee waivers")


@pytest.mark.parametrize("lang", LOCALES)
def test_every_shortcut_of_every_role_says_what_it_is_for(
    client: TestClient, staff: dict[Role, str], lang: str
) -> None:
    for role in Role:
        found = shortcuts(home(client, staff, role, lang))
        assert found, role
        assert all(found.values()), (role, found)
    admin = shortcuts(home(client, staff, Role.ADMIN, lang))
    assert admin["approvals"] == translations(lang).gettext(APPROVALS_TEXT)
