"""The end-of-day, portfolio and product pages as staff read them (SQLite and PostgreSQL).

A run of one loan that failed once read "3 loans, 1 errors" and a one-day run "1 of 1
days"; a run still going on said "No loan failed in this run."; an empty list of runs
said only "No end-of-day run yet." without saying what to do. On a phone the wide tables
(the runs, a run's partitions and errors, the ECL by stage, the early warnings) scrolled
inside their cards, the ECL and coverage out of sight: they are now one card per row,
each value beside its column's name. A product's rate range read "4.5% – 6%" beside
"4.99% – 8.99%": every contract rate has two decimals."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.services.eod_ports import NewEodRun
from autolend.web.i18n import LANG_COOKIE
from tests.integration.test_eod_page import DAY, book_three, run_with_a_failing_loan, web_sign_in
from tests.integration.test_portfolio import FEB_END, SERVICING, book

pytestmark = pytest.mark.integration


def rows_are_cards(page: str, table: str) -> bool:
    """Whether the table stacks on a phone and each of its body's cells names its column."""
    found = re.search(rf'<table class="([^"]*)" data-table="{table}">(.*?)</table>', page, re.S)
    assert found, f"no table {table}"
    body = found.group(2).split("<tbody>", 1)[1]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)
    return (
        "table--stack" in found.group(1).split()
        and bool(cells)
        and all('class="cell-label"' in cell for cell in cells)
    )


def test_a_run_counts_its_loans_errors_and_days_in_the_singular_where_there_is_one(
    container: Container, client: TestClient, staff: dict[Role, str]
) -> None:
    book_three(container)
    run_id = run_with_a_failing_loan(container)  # 3 loans, 1 error, on one day
    web_sign_in(client, staff, Role.SERVICING)
    client.cookies.set(LANG_COOKIE, "en")

    page = client.get(f"/eod/runs/{run_id}").text

    summary = " ".join(re.sub(r"<[^>]+>", " ", page.split('data-eod-run="')[1]).split())
    assert "3 loans, 1 error," in summary and "1 errors" not in summary
    assert "1 of 1 day" in summary and "1 of 1 days" not in summary
    assert rows_are_cards(page, "eod-partitions") and rows_are_cards(page, "eod-errors")
    listing = client.get("/eod").text
    assert rows_are_cards(listing, "eod-runs")


def test_a_run_still_going_on_says_no_loan_has_failed_so_far(
    container: Container, client: TestClient, staff: dict[Role, str]
) -> None:
    now = container.services.clock.now()
    with container.uow(write=True) as uow:
        run_id = uow.eod.start_run(NewEodRun("through", DAY, date(2026, 10, 23), 2, now, 0))
        uow.commit()
    web_sign_in(client, staff, Role.SERVICING)
    client.cookies.set(LANG_COOKIE, "en")

    page = client.get(f"/eod/runs/{run_id}").text

    assert "No loan has failed so far." in page
    assert "No loan failed in this run." not in page


@pytest.mark.parametrize(
    ("role", "hint"),
    [
        (Role.SERVICING, "Start the first one with “Run end of day” above."),
        (Role.AUDITOR, "Servicing staff start them from this page."),
    ],
)
def test_an_empty_list_of_runs_says_what_to_do(
    container: Container, client: TestClient, staff: dict[Role, str], role: Role, hint: str
) -> None:
    web_sign_in(client, staff, role)
    client.cookies.set(LANG_COOKIE, "en")

    empty = client.get("/eod").text.split('data-empty="runs">')[1].split("</p>")[0]

    assert empty.startswith("No end-of-day run yet.")
    assert hint in empty.replace("&#34;", '"')


def test_the_ecl_by_stage_is_one_card_per_stage_on_a_phone(
    container: Container, client: TestClient, staff: dict[Role, str]
) -> None:
    book(container)
    container.services.portfolio.snapshot(SERVICING, FEB_END)
    web_sign_in(client, staff, Role.RISK)
    client.cookies.set(LANG_COOKIE, "en")

    page = client.get("/portfolio").text

    assert rows_are_cards(page, "stages")
    assert '<span class="cell-label">Coverage</span>' in page
    if 'data-table="warnings"' in page:
        assert rows_are_cards(page, "warnings")
