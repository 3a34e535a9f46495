"""The portfolio risk snapshot on both databases: loans booked through the services in
different states, snapshots of two month-ends, the buckets, stages and ECL stored, the
roll-rate matrix between them, a rerun replacing the day, and who may do what."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from rich.console import Console
from sqlalchemy import func, select, update

from autolend.adapters.db import tables as t
from autolend.adapters.db.bulk_month_end import read_rows
from autolend.adapters.db.portfolio_tables import portfolio_risk
from autolend.bootstrap import Container
from autolend.cli_portfolio import overview_json, take_snapshot
from autolend.domain.access import SYSTEM_ACTOR, Actor, Role
from autolend.domain.errors import InvalidInput, NotFound, PermissionDenied
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms
from autolend.services.loans import BookingRequest, DisbursementInput
from autolend.services.servicing import MoneyIn
from autolend.web.i18n import LANG_COOKIE
from tests.support.origination import install

pytestmark = pytest.mark.integration

SERVICING = Actor(user_id=1, username="svc", roles=(Role.SERVICING,))
RISK = Actor(user_id=2, username="risk", roles=(Role.RISK,))
DEALER = Actor(user_id=3, username="dealer", roles=(Role.DEALER,), dealer_id=1)
START = date(2026, 1, 5)  # installments fall due on the 5th of each month
FEB_END = date(2026, 2, 28)
MAR_END = date(2026, 3, 31)


def cny(text: str) -> Money:
    return Money.parse(text, "CNY")


def book(container: Container, product: str = "standard") -> int:
    principal = cny("10000.00")
    terms = LoanTerms(principal=principal, annual_rate=Decimal("0.12"), periods=12, start=START)
    loans = container.services.loans
    request = BookingRequest(terms=terms, approved=principal, product_code=product)
    loan_id = loans.book(SERVICING, request)
    loans.disburse(SERVICING, loan_id, DisbursementInput(principal, START))
    return loan_id


def pay(container: Container, loan_id: int, day: date) -> None:
    data = MoneyIn(cny("900.00"), day, "bank_transfer", f"ref-{loan_id}-{day}")
    container.services.servicing.post_repayment(SERVICING, loan_id, data)


def three_loans(container: Container) -> tuple[int, int, int]:
    """``good`` pays every month; ``never`` pays nothing; ``stops`` pays February only."""
    good, never, stops = book(container), book(container), book(container)
    for day in (date(2026, 2, 5), date(2026, 3, 5)):
        pay(container, good, day)
    pay(container, stops, date(2026, 2, 5))
    return good, never, stops


def rows_of(container: Container, day: date) -> dict[int, tuple[int, int, int, int]]:
    c = portfolio_risk.c
    query = select(c.loan_id, c.bucket, c.stage, c.ecl_minor, c.dpd).where(c.as_of == day)
    with container.engine.connect() as conn:
        return {r[0]: tuple(r[1:]) for r in conn.execute(query)}


def test_two_month_end_snapshots_store_buckets_stages_ecl_and_roll_rates(
    container: Container,
) -> None:
    good, never, stops = three_loans(container)
    portfolio = container.services.portfolio

    feb = portfolio.snapshot(SERVICING, FEB_END)
    mar = portfolio.snapshot(SERVICING, MAR_END)

    assert (feb.loans, mar.loans) == (3, 3)
    feb_rows, mar_rows = rows_of(container, FEB_END), rows_of(container, MAR_END)
    # never: due Feb 5 unpaid -> 23 DPD on Feb 28 (1-30), 54 DPD on Mar 31 (31-60, stage 2)
    assert feb_rows[never][0] == 1 and feb_rows[never][3] == 23
    assert mar_rows[never][:2] == (2, 2) and mar_rows[never][3] == 54
    assert mar_rows[never][2] > 0  # a late loan carries an allowance
    # stops: current in February, the March installment unpaid on Mar 31 (26 DPD)
    assert feb_rows[stops][0] == 0 and mar_rows[stops][:2] == (1, 1)
    assert feb_rows[good][:2] == (0, 1) and mar_rows[good][:2] == (0, 1)

    view = portfolio.overview(RISK)
    assert view.as_of == MAR_END
    assert [line.loans for line in view.buckets] == [1, 1, 1, 0, 0, 0]
    assert [s.loans for s in view.stages] == [2, 1, 0]
    assert view.stages[1].coverage > 0
    (roll,) = view.rolls
    assert (roll.start, roll.end) == (FEB_END, MAR_END)
    # of February's current balance (good and stops, equal), half stays, half rolls to 1-30
    assert roll.matrix.rows[0][:2] == (Decimal("0.5000"), Decimal("0.5000"))
    assert roll.matrix.rows[1][2] == Decimal("1.0000")  # never: 1-30 -> 31-60
    flags = {w.row.loan_id: w.flags for w in view.warnings}
    assert "rolled_worse" in flags[never]  # 1-30 at February's end, 31-60 at March's
    assert "missed_first_payment" in flags[never]
    assert all(flags.values())


def test_a_rerun_of_the_same_day_replaces_its_rows(container: Container) -> None:
    three_loans(container)
    portfolio = container.services.portfolio
    first = portfolio.snapshot(SERVICING, MAR_END)
    again = portfolio.snapshot(SERVICING, MAR_END)

    assert (first.loans, first.by_currency) == (again.loans, again.by_currency)
    with container.engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(portfolio_risk)).scalar_one()
        audited = conn.execute(
            select(func.count()).where(t.audit_log.c.action == "portfolio.snapshot")
        ).scalar_one()
    assert (stored, audited) == (3, 2)


def test_the_month_end_read_gives_the_installments_ahead_of_the_asked_loans_as_columns(
    container: Container,
) -> None:
    good, _never, stops = three_loans(container)
    with container.uow() as uow:
        loans = uow.eod.bulk_loans([good, stops], MAR_END, lock=False, rows=True)
        nothing = uow.eod.bulk_loans([good], date(2027, 6, 1), lock=False, rows=True)
    assert loans.rows is not None and nothing.rows is not None
    # 12 monthly installments from Feb 5: Apr 5 2026 .. Jan 5 2027 are due after Mar 31.
    assert loans.rows.loan_id.tolist() == [good] * 10 + [stops] * 10  # not ``never``
    epoch = date(1970, 1, 1)
    assert loans.rows.due_day[:10].tolist() == [
        (date(2026 + (m > 12), (m - 1) % 12 + 1, 5) - epoch).days for m in range(4, 14)
    ]
    with container.engine.connect() as conn:
        c = t.installments.c
        unpaid = conn.execute(
            select(c.principal_due - c.principal_paid, c.interest_due - c.interest_paid)
            .where(c.loan_id == good, c.due_date > MAR_END).order_by(c.n)
        ).all()  # fmt: skip
    assert list(zip(loans.rows.principal[:10].tolist(), loans.rows.interest[:10].tolist(),
                    strict=True)) == [tuple(r) for r in unpaid]  # fmt: skip
    assert loans.product_code == ["standard", "standard"]
    assert nothing.rows.loan_id.size == 0


def test_the_month_end_rows_come_by_loan_and_number_whatever_order_the_table_holds(
    container: Container, db_backend: str
) -> None:
    if db_backend != "postgresql":
        pytest.skip("only PostgreSQL sends the rows unordered (one text value)")
    good, _never, stops = three_loans(container)
    c = t.installments.c
    ahead = select(c.loan_id, c.n).where(c.loan_id.in_([good, stops]), c.due_date >= MAR_END)
    with container.engine.begin() as conn:  # new row versions go after the other rows
        conn.execute(
            update(t.installments).where(c.loan_id == good, c.due_date <= date(2026, 6, 5))
            .values(fee_paid=c.fee_paid)
        )  # fmt: skip
    with container.engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL enable_indexscan = off")
        conn.exec_driver_sql("SET LOCAL enable_bitmapscan = off")
        as_stored = [tuple(r) for r in conn.execute(ahead)]
        rows = read_rows(conn, [good, stops], MAR_END)
    assert as_stored != sorted(as_stored)  # the table's own order is not the one wanted
    assert rows.loan_id.tolist() == [good] * 10 + [stops] * 10
    assert all(np.diff(rows.due_day[:10]) > 0) and all(np.diff(rows.due_day[10:]) > 0)


def test_loans_not_yet_started_or_paid_off_are_left_out(container: Container) -> None:
    three_loans(container)
    assert container.services.portfolio.snapshot(SERVICING, START).loans == 0


def test_a_snapshot_of_a_day_still_to_come_is_refused_and_writes_nothing(
    container: Container,
) -> None:
    # Each loan is projected to the day: 9999-12-31 ran on past two minutes.
    three_loans(container)
    tomorrow = date.fromordinal(container.services.clock.today().toordinal() + 1)
    with pytest.raises(InvalidInput, match="in the future") as refused:
        container.services.portfolio.snapshot(SERVICING, tomorrow)
    assert refused.value.field == "date"
    with container.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(portfolio_risk)).scalar_one() == 0


def test_only_the_batch_takes_snapshots_and_a_dealer_reads_no_overview(
    container: Container,
) -> None:
    portfolio = container.services.portfolio
    with pytest.raises(PermissionDenied):
        portfolio.snapshot(RISK, MAR_END)
    with pytest.raises(PermissionDenied):
        portfolio.overview(DEALER)
    assert portfolio.overview(SYSTEM_ACTOR).as_of is None  # no snapshot yet: empty
    with pytest.raises(NotFound):
        portfolio.overview(RISK, MAR_END)


def web_sign_in(client: TestClient, staff: dict[Role, str], role: Role) -> None:
    page = client.get("/login")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match
    form = {"username": role.value, "password": staff[role], "csrf_token": match.group(1)}
    response = client.post("/login", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text


def chart_option(html: str, key: str) -> dict[str, Any]:
    found = re.search(rf'<script type="application/json" id="portfolio-{key}">(.*?)</script>',
                      html, re.S)  # fmt: skip
    assert found, f"no chart {key}"
    option: dict[str, Any] = json.loads(found.group(1))
    return option


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ("Portfolio", "Special mention", "Roll rates", "Standard new car loan")),
        ("zh_CN", ("资产组合", "关注", "迁徙率", "标准新车贷")),
    ],
)
def test_the_page_shows_the_charts_and_the_warnings_in_both_languages(
    container: Container,
    client: TestClient,
    staff: dict[Role, str],
    lang: str,
    words: tuple[str, ...],
) -> None:
    _good, never, _stops = three_loans(container)
    install(container, None)  # the demo catalogue, for the product's name
    late = book(container, "STD_NEW")  # never pays, like ``never``
    for day in (FEB_END, MAR_END):
        container.services.portfolio.snapshot(SERVICING, day)
    web_sign_in(client, staff, Role.RISK)

    client.cookies.set(LANG_COOKIE, lang)
    page = client.get("/portfolio")

    assert page.status_code == 200
    for word in words:
        assert word in page.text
    assert 'data-nav="portfolio"' in page.text
    buckets = chart_option(page.text, "buckets")
    assert len(buckets["series"][0]["data"]) == 6
    assert sum(Decimal(x) for x in buckets["series"][0]["data"]) > 0
    assert chart_option(page.text, "classes")["series"][0]["type"] == "pie"
    heat = chart_option(page.text, "roll-1")
    assert heat["series"][0]["type"] == "heatmap"
    assert [2, 1, "100.00", "100"] in heat["series"][0]["data"]  # (to 31-60, from 1-30): all
    assert f'href="/loans/{never}"' in page.text
    warning = page.text.split(f'data-warning="{late}"')[1].split("</tr>")[0]
    assert re.search(r"(标准新车贷|Standard new car loan) <span[^>]*>STD_NEW<", warning)
    earlier = client.get(f"/portfolio?date={FEB_END.isoformat()}")
    assert earlier.status_code == 200 and 'data-empty="rolls"' in earlier.text


def test_a_dealer_gets_403_and_a_date_without_snapshot_404(
    container: Container, client: TestClient, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    assert client.get("/portfolio").status_code == 403
    client.cookies.clear()
    web_sign_in(client, staff, Role.AUDITOR)
    assert client.get("/portfolio").status_code == 200  # no snapshot yet: the empty page
    assert client.get("/portfolio?date=2026-03-31").status_code == 404


def test_the_command_line_snapshot_prints_its_table_and_show_json_reads_it(
    container: Container,
) -> None:
    three_loans(container)
    text = io.StringIO()
    out = Console(file=text, width=120)

    summary = take_snapshot(container, MAR_END, out)
    data = overview_json(container.services.portfolio.overview(SYSTEM_ACTOR))

    printed = text.getvalue()
    assert "all     │     3" in printed and "ECL " in printed
    assert "3/3" not in printed  # the progress bar is drawn on a terminal's stderr only
    assert data["as_of"] == "2026-03-31" and data["loans"] == summary.loans == 3
    assert [b["loans"] for b in data["buckets"]] == [1, 1, 1, 0, 0, 0]
    assert json.loads(json.dumps(data)) == data  # JSON-ready as it is


def test_roll_rates_run_between_ended_months_only_not_into_a_month_under_way(
    container: Container,
) -> None:
    """The newest period ran from March's end to a snapshot two days into April (a roll of
    two days, under "Roll rates between month-ends")."""
    three_loans(container)
    portfolio = container.services.portfolio
    for day in (FEB_END, MAR_END, date(2026, 4, 2)):
        portfolio.snapshot(SERVICING, day)
    view = portfolio.overview(RISK)
    assert view.as_of == date(2026, 4, 2)
    assert [(roll.start, roll.end) for roll in view.rolls] == [(FEB_END, MAR_END)]
