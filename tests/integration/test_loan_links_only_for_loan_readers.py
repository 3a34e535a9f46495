"""A page links a loan only for whom may open it. The administrator reads the portfolio
and the end-of-day runs but no loan (``/loans/3`` is their 403 page), so the early
warnings of a month-end and a run's failed loans name the loan unlinked for them; risk
and servicing, who read every loan, follow the link to the loan's page."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from tests.integration.test_eod_page import book_three, run_with_a_failing_loan
from tests.integration.test_portfolio import (
    FEB_END,
    MAR_END,
    SERVICING,
    three_loans,
    web_sign_in,
)

pytestmark = pytest.mark.integration


def as_role(client: TestClient, staff: dict[Role, str], role: Role) -> None:
    client.cookies.clear()
    web_sign_in(client, staff, role)


def warning_cells(page: str) -> dict[int, str]:
    """The early-warning rows: loan id -> its first cell (the loan, linked or not)."""
    rows = re.findall(r'<tr data-warning="(\d+)"><td class="mono">(.*?)</td>', page)
    return {int(loan_id): cell for loan_id, cell in rows}


def test_the_early_warnings_link_a_loan_for_risk_and_name_it_unlinked_for_the_admin(
    container: Container, client: TestClient, staff: dict[Role, str]
) -> None:
    _good, never, _stops = three_loans(container)
    for day in (FEB_END, MAR_END):
        container.services.portfolio.snapshot(SERVICING, day)
    month_end = f"/portfolio?date={MAR_END.isoformat()}"

    as_role(client, staff, Role.ADMIN)
    page = client.get(month_end)
    assert page.status_code == 200
    cells = warning_cells(page.text)
    assert never in cells, page.text[:2000]
    assert all("<a " not in cell and str(loan) in cell for loan, cell in cells.items())
    assert 'href="/loans/' not in page.text
    assert client.get(f"/loans/{never}").status_code == 403  # why it may not link

    as_role(client, staff, Role.RISK)
    page = client.get(month_end)
    linked = warning_cells(page.text)
    assert set(linked) == set(cells)
    assert all(f'<a href="/loans/{loan}">{loan}</a>' in cell for loan, cell in linked.items())
    assert client.get(f"/loans/{never}").status_code == 200


def test_a_runs_failed_loan_is_linked_for_servicing_and_unlinked_for_the_admin(
    container: Container, client: TestClient, staff: dict[Role, str]
) -> None:
    book_three(container)
    run = f"/eod/runs/{run_with_a_failing_loan(container)}"

    as_role(client, staff, Role.ADMIN)
    page = client.get(run)
    assert page.status_code == 200 and '<tr data-loan="3">' in page.text
    assert 'href="/loans/' not in page.text
    assert client.get("/loans/3").status_code == 403

    as_role(client, staff, Role.SERVICING)
    page = client.get(run)
    assert '<a href="/loans/3">3</a>' in page.text
