"""The loan page's reversal form says what it reverses, and a borrower reads a payment's
reference but not the lender's own; both databases.

The loan is tests/integration/test_loans_api's (the borrower user's own): 12,000.00 at
12 % over 12 months from 2026-01-05; the test clock's day is 2026-11-28.

A written-off loan's reversal form reverses its recoveries, yet it was headed "Reverse a
repayment" with a "Repayment to reverse" to choose (冲正一笔还款): now "Reverse a
recovery", "Recovery to reverse" (冲正一笔核销后回收, 要冲正的核销后回收), also where a
refused choice is named. A loan in repayment keeps "Reverse a repayment".

The transactions a borrower read (``GET /api/v1/loans/{id}/transactions`` and their
page) carried every reference staff put on an event: a fee waiver's ``approval:1`` names
the maker-checker request behind it, the lender's own. The borrower now reads the
references of payments (1,066.19 paid as "BANK-77") and no other; servicing and the
auditor read every one as before.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.services.servicing import MoneyIn
from tests.integration.test_application_pages import csrf, web_sign_in
from tests.integration.test_fees_and_waivers import CHECKER, ask_waiver, charge
from tests.integration.test_loan_services import (
    SERVICING,
    cny,
    invariants_hold,  # noqa: F401 - autouse: verify after every test
)
from tests.integration.test_loans_api import as_role, loan_id  # noqa: F401 - fixture
from tests.support.loan_pages import form_html
from tests.support.write_off import written_off

pytestmark = pytest.mark.integration
TODAY = date(2026, 11, 28)


def page(client: TestClient, staff: dict[Role, str], role: Role, loan: int, lang: str) -> str:
    web_sign_in(client, staff, role)
    client.cookies.set("autolend_lang", lang)
    answer = client.get(f"/loans/{loan}")
    assert answer.status_code == 200, answer.text[:2000]
    return str(answer.text)


def words(html: str) -> str:
    """What a form says: its text, without tags (an action's name is no word)."""
    return re.sub(r"<[^>]+>", " ", html)


def recovered(container: Container, loan: int) -> int:
    """Written off today, 500.00 recovered today: the recovery's id."""
    written_off(container, loan, TODAY)
    data = MoneyIn(cny("500.00"), TODAY, "bank_transfer", "AGENCY-1")
    return int(container.services.servicing.recover(SERVICING, loan, data).body["id"])


def test_a_written_off_loans_reversal_form_reverses_a_recovery_in_both_languages(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    recovery = recovered(container, loan_id)
    english = form_html(page(client, staff, Role.SERVICING, loan_id, "en"), "reversal")
    assert "<h2>Reverse a recovery</h2>" in english
    assert ">Recovery to reverse</label>" in english
    assert "epayment" not in words(english)  # neither "Repayment" nor "repayment"
    assert f'<option value="{recovery}" data-event-kind="recovery"' in english
    chinese = form_html(page(client, staff, Role.SERVICING, loan_id, "zh_CN"), "reversal")
    assert "<h2>冲正一笔核销后回收</h2>" in chinese and ">要冲正的核销后回收</label>" in chinese
    assert "还款" not in words(chinese)


def test_a_refused_choice_on_a_written_off_loan_is_named_a_recovery(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    recovered(container, loan_id)
    for lang, label, problem in (
        ("en", "Recovery to reverse", "choose a recovery to reverse"),
        ("zh_CN", "要冲正的核销后回收", "请选择要冲正的核销后回收"),
    ):
        shown = page(client, staff, Role.SERVICING, loan_id, lang)
        data = {"csrf_token": csrf(shown), "idempotency_key": f"k-{lang}", "event_id": "",
                "reason": "bounced"}  # fmt: skip
        refused = client.post(f"/loans/{loan_id}/reversals", data=data)
        assert refused.status_code == 422
        banner = re.search(r'role="alert" data-form-error="event_id">(.*?)</div>',
                           refused.text, re.S)  # fmt: skip
        assert banner and label in banner.group(1), refused.text[:3000]
        assert problem in form_html(refused.text, "reversal")


def test_a_loan_in_repayment_still_reverses_a_repayment(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    data = MoneyIn(cny("1066.19"), date(2026, 2, 5), "bank_transfer", "BANK-77")
    container.services.servicing.post_repayment(SERVICING, loan_id, data)
    english = form_html(page(client, staff, Role.SERVICING, loan_id, "en"), "reversal")
    assert "<h2>Reverse a repayment</h2>" in english and ">Repayment to reverse</label>" in english
    chinese = form_html(page(client, staff, Role.SERVICING, loan_id, "zh_CN"), "reversal")
    assert "<h2>冲正一笔还款</h2>" in chinese and ">要冲正的还款</label>" in chinese


def paid_and_waived(container: Container, loan: int) -> int:
    """A GPS fee of 30.00 on installment 1, 20.00 of it waived (a second person approved
    it: the waiver's reference is "approval:<request>"), 1,096.19 paid as "BANK-77"."""
    charge(container, loan, "30.00")
    request = ask_waiver(container, loan, "20.00")
    container.services.approvals.decide(CHECKER, request, approve=True)
    data = MoneyIn(cny("1096.19"), date(2026, 2, 5), "bank_transfer", "BANK-77")
    container.services.servicing.post_repayment(SERVICING, loan, data)
    return request


def references(client: TestClient, headers: dict[str, str], loan: int) -> dict[str, object]:
    answer = client.get(f"/api/v1/loans/{loan}/transactions", headers=headers)
    assert answer.status_code == 200, answer.text
    return {row["kind"]: row["reference"] for row in answer.json()["items"]}


def test_a_borrower_reads_the_payments_reference_but_not_the_lenders_own(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    request = paid_and_waived(container, loan_id)
    internal = f"approval:{request}"
    borrower = references(client, as_role(client, staff, Role.BORROWER), loan_id)
    assert borrower == {"fee": None, "fee_waiver": None, "repayment": "BANK-77"}
    for role in (Role.SERVICING, Role.AUDITOR):
        staff_read = references(client, as_role(client, staff, role), loan_id)
        assert staff_read == {"fee": None, "fee_waiver": internal, "repayment": "BANK-77"}, role
    own = page(client, staff, Role.BORROWER, loan_id, "en")
    assert "approval:" not in own
    assert 'data-reference="BANK-77"' in own
    servicing = page(client, staff, Role.SERVICING, loan_id, "en")
    assert f'data-reference="{internal}"' in servicing
