"""A US lender's end-of-day run page writes its business days month first in English, on
both databases. The run's heading, its progress ("business day 2026-10-21"), its
partitions and its loan errors were ISO beside instants on the 12-hour clock; a US
English page now says "Business days 10/20/2026 to 10/23/2026". In Chinese, and for a CN
lender, they stay ISO."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms
from autolend.services.eod_ports import EodCheckpoint, EodLoanError, NewEodRun
from autolend.services.loans import BookingRequest
from tests.integration.test_application_pages import web_sign_in
from tests.integration.test_loan_services import SERVICING
from tests.support.jurisdiction import jurisdiction_container  # noqa: F401 - the container

pytestmark = pytest.mark.integration

FIRST, SECOND, THROUGH = date(2026, 10, 20), date(2026, 10, 21), date(2026, 10, 23)


def running_run(container: Container, pack: str) -> int:
    """A run from FIRST through THROUGH, still going: two partitions of FIRST and one of
    SECOND done, one loan failed on SECOND."""
    amount = Money.parse("12000", "USD" if pack == "US" else "CNY")
    terms = LoanTerms(principal=amount, annual_rate=Decimal("0.073"), periods=12, start=FIRST)
    loan = container.services.loans.book(SERVICING, BookingRequest(terms, amount, pack_code=pack))
    now = container.services.clock.now()
    with container.uow(write=True) as uow:
        run_id = uow.eod.start_run(NewEodRun("through", FIRST, THROUGH, 2, now, 0))
        for day, partition in ((FIRST, 0), (FIRST, 1), (SECOND, 0)):
            uow.eod.save_checkpoint(EodCheckpoint(run_id, day, partition, 2, 0, 5, now))
        uow.eod.add_errors([EodLoanError(run_id, SECOND, 0, loan, "broken", now)])
        uow.commit()
    return run_id


def shown_days(page: str) -> list[str]:
    """The heading's days, the progress's day and each table row's business day."""
    heading = re.search(r"<h1>.*?</h1>\s*<p[^>]*>([^<]*)</p>", page, re.S)
    progress = re.search(r"business day ([^ ]+) ·", page)
    cells = re.findall(r'<td class="mono nowrap"><span class="cell-label">[^<]*</span>([^<]*)<',
                       page)  # fmt: skip
    assert heading and progress and len(cells) == 4, page[:3000]
    return [heading.group(1).strip(), progress.group(1), *cells]


@pytest.mark.parametrize("container", ["US"], indirect=True)
def test_a_us_lenders_run_page_writes_its_business_days_month_first_in_english(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    run_id = running_run(container, "US")
    web_sign_in(client, staff, Role.SERVICING)
    client.cookies.set("autolend_lang", "en")
    assert shown_days(client.get(f"/eod/runs/{run_id}").text) == [
        "Business days 10/20/2026 to 10/23/2026", "10/21/2026",
        "10/20/2026", "10/20/2026", "10/21/2026", "10/21/2026",
    ]  # fmt: skip
    client.cookies.set("autolend_lang", "zh_CN")
    chinese = client.get(f"/eod/runs/{run_id}").text
    assert "10/20/2026" not in chinese and "10/21/2026" not in chinese
    assert chinese.count("2026-10-20") >= 3 and "2026-10-23" in chinese


def test_a_cn_lenders_english_run_page_keeps_iso_days(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    run_id = running_run(container, "CN")
    web_sign_in(client, staff, Role.SERVICING)
    client.cookies.set("autolend_lang", "en")
    days = shown_days(client.get(f"/eod/runs/{run_id}").text)
    assert days[:3] == ["Business days 2026-10-20 to 2026-10-23", "2026-10-21", "2026-10-20"]
