"""A contract tells the time on the lender's clock (``AUTOLEND_TIMEZONE``), naming its
zone, on both databases. The tester's contracts, issued at 04:44 UTC on 2 December 2026:
the CN one read "同意时间 2026-12-02 04:44 UTC" (12:44 in Beijing) under the number
``AL-310-20261202044526（loan:310）``, built in UTC and showing the loan's raw code; the
US one said "issued 12/01/2026" (New York's day) but "given 12/02/2026 4:48 AM UTC":
two dates on one document. Now the number, the issue date and every consent's time are
the lender's, the loan is named by its number, and the registry still holds the
reference ``loan:310``: contracts issued before verify as they were stored."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.adapters.clock import FixedClock
from autolend.bootstrap import Container
from autolend.domain.access import Role
from tests.integration import test_contracts
from tests.integration.test_contracts import contract_check, issue
from tests.integration.test_loan_services import SERVICING
from tests.integration.test_loans_api import as_role
from tests.integration.test_us_contract import DOC_FEE, customer, issued, us_loan

pytestmark = pytest.mark.integration
loan_id = test_contracts.loan_id  # the fixture: a booked CN loan with a consent

AT = datetime(
    2026, 12, 2, 4, 44, 26, tzinfo=UTC
)  # Beijing 12:44 on the 2nd, New York 23:44 on the 1st
BEIJING, NEW_YORK = "Asia/Shanghai", "America/New_York"


@pytest.fixture
def clock(request: pytest.FixtureRequest) -> FixedClock:
    """The lender's clock at :data:`AT`, in the zone the test names (Beijing unless)."""
    return FixedClock(AT, zone=getattr(request, "param", BEIJING))


def text_of(container: Container, contract: dict[str, Any]) -> str:
    return container.services.contracts.text(SERVICING, contract["id"])


def test_a_cn_contract_states_beijing_time_and_names_its_loan_by_number(
    client: TestClient, container: Container, staff: dict[Role, str], loan_id: int
) -> None:
    zh = issue(client, staff, loan_id)
    lines = text_of(container, zh).splitlines()
    number = f"AL-{loan_id}-20261202124426"
    assert lines[2] == f"合同编号：{number}（贷款编号 {loan_id}），签发日期 2026-12-02"
    assert "个人信息处理同意（文本版本 dp-2026.1），同意时间 2026-12-02 12:44（北京时间）" in lines
    en = text_of(container, issue(client, staff, loan_id, locale="en")).splitlines()
    assert en[2] == f"Contract no. {number} (loan {loan_id}), issued 2026-12-02"
    assert "Processing of personal data (text version dp-2026.1), given 2026-12-02 12:44 " \
           "(Beijing time)" in en  # fmt: skip
    for line in (*lines, *en):
        assert "UTC" not in line and "loan:" not in line and "04:44" not in line, line
    assert zh["reference"] == f"loan:{loan_id}"  # the registry's reference is as it was


@pytest.mark.parametrize("clock", [NEW_YORK], indirect=True)
def test_a_us_contract_is_issued_and_consented_on_one_day_in_eastern_time(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan = us_loan(container, customer(client, staff, "John Smith"))
    _, lines = issued(client, container, staff, loan, upfront_fees=DOC_FEE)
    assert lines[2] == ("Creditor: autolend auto finance; contract no. "
                        f"AL-{loan}-20261201234426 (loan {loan}), issued 12/01/2026")  # fmt: skip
    given = [line for line in lines if "(text version v1)" in line]
    assert sorted(given) == [
        "Authorization to obtain your credit report (text version v1), given 12/01/2026 "
        "11:44 PM (Eastern Time)",
        "Use of your personal information (text version v1), given 12/01/2026 11:44 PM "
        "(Eastern Time)",
    ]
    text = "\n".join(lines)
    assert "12/02/2026" not in text and "UTC" not in text and "loan:" not in text
    _, chinese = issued(client, container, staff, loan, locale="zh_CN", upfront_fees=DOC_FEE)
    assert "信用报告查询授权（文本版本 v1），同意时间 2026-12-01 23:44（美国东部时间）" in chinese


def test_a_contract_drawn_by_an_older_layout_verifies_as_stored(
    client: TestClient, container: Container, staff: dict[Role, str], loan_id: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """``autolend verify`` hashes the stored PDF against the registry and never draws it
    again, so the new layout leaves every contract issued before as it verified."""
    contracts = container.services.contracts
    old = b"%PDF-1.4 drawn before: AL-1-20261202044426 (loan:1), given 2026-12-02 04:44 UTC"

    class OlderLayout:
        def render(self, document: Any, *, created_at: datetime) -> bytes:
            return old

    with monkeypatch.context() as patched:
        patched.setattr(contracts, "_renderer", OlderLayout())
        before = issue(client, staff, loan_id)
    after = issue(client, staff, loan_id)
    assert before["sha256"] == hashlib.sha256(old).hexdigest() != after["sha256"]
    borrower = as_role(client, staff, Role.BORROWER)
    assert client.get(f"/api/v1/contracts/{before['id']}/pdf", headers=borrower).content == old
    assert contract_check(container) == ()
