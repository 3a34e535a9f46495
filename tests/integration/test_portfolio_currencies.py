"""A book holding CNY and USD loans never adds the two currencies up, on both databases:
the portfolio overview, its page and the home page show each currency's total in its own
currency, the CNY one (the book's main currency: the most loans) without the USD loan,
and the charts, tables and roll rates are the CNY loans', saying the USD loan is left out.

Two CNY loans of 10,000.00 and one USD loan of 12,000.00 from 2026-01-05, nothing paid:
on Feb 28 CNY 20,000.00 (2 loans) and USD 12,000.00 (1 loan) outstanding; the sum that
was shown before, "CN¥32,000.00", appears nowhere. The snapshot's summary, its audit
record and ``autolend portfolio`` (its lines, tables and JSON) total each currency apart
too; a book all in CNY audits as it always did and prints its amounts naming CNY."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from rich.console import Console
from sqlalchemy import select

from autolend.adapters.db import tables as t
from autolend.batch.ecl_parameters import EclParameters
from autolend.batch.eod_runner import EodRunner
from autolend.bootstrap import Container
from autolend.cli_format import minor_amount
from autolend.cli_portfolio import overview_json, overview_tables, take_snapshot
from autolend.domain.access import SYSTEM_ACTOR, Role
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms
from autolend.services.loans import BookingRequest, DisbursementInput
from autolend.web.i18n import LANG_COOKIE
from tests.integration.test_portfolio import (
    FEB_END,
    RISK,
    SERVICING,
    START,
    book,
    chart_option,
    web_sign_in,
)

pytestmark = pytest.mark.integration

JAN_END = date(2026, 1, 31)


def usd_loan(container: Container) -> int:
    """12,000.00 USD at 7.3 % over 12 months from 2026-01-05 under the US pack, paid out."""
    principal = Money.parse("12000.00", "USD")
    terms = LoanTerms(principal=principal, annual_rate=Decimal("0.073"), periods=12,
                      start=START)  # fmt: skip
    loans = container.services.loans
    request = BookingRequest(terms=terms, approved=principal, pack_code="US")
    loan_id = loans.book(SERVICING, request)
    loans.disburse(SERVICING, loan_id, DisbursementInput(principal, START))
    return loan_id


def mixed_book(container: Container) -> None:
    book(container), book(container), usd_loan(container)
    for day in (JAN_END, FEB_END):
        container.services.portfolio.snapshot(SERVICING, day)


def test_the_overview_holds_one_total_per_currency_and_its_figures_are_the_main_ones(
    container: Container,
) -> None:
    mixed_book(container)
    view = container.services.portfolio.overview(RISK)
    totals = [(t.currency, t.loans, t.balance_minor) for t in view.totals]
    assert totals == [("CNY", 2, 2_000_000), ("USD", 1, 1_200_000)]
    assert (view.currency, view.loans, view.balance_minor) == ("CNY", 2, 2_000_000)
    assert [t.currency for t in view.left_out] == ["USD"]
    assert sum(line.balance_minor for line in view.buckets) == 2_000_000
    assert sum(s.balance_minor for s in view.stages) == 2_000_000
    assert sum(view.rolls[0].matrix.balance) == 2_000_000  # Jan 31 -> Feb 28, CNY only


def line(page: str, currency: str) -> str:
    found = re.search(rf'<li data-currency="{currency}">(.*?)</li>', page, re.S)
    assert found, page[:3000]
    return " ".join(found.group(1).split())


def test_the_portfolio_page_shows_each_currency_on_its_own_line(
    container: Container, client: TestClient, staff: dict[Role, str]
) -> None:
    mixed_book(container)
    web_sign_in(client, staff, Role.RISK)
    client.cookies.set(LANG_COOKIE, "en")
    page = client.get("/portfolio").text
    assert "Principal outstanding ¥20,000.00" in line(page, "CNY")
    assert "Principal outstanding $12,000.00" in line(page, "USD")
    assert "32,000.00" not in page
    assert 'data-note="currencies"' in page
    bars = chart_option(page, "buckets")["series"][0]["data"]
    assert sum(Decimal(x) for x in bars) == Decimal("20000.00")


def test_the_home_page_says_the_usd_loan_apart_from_the_cny_total(
    container: Container, client: TestClient, staff: dict[Role, str]
) -> None:
    mixed_book(container)
    web_sign_in(client, staff, Role.SERVICING)
    client.cookies.set(LANG_COOKIE, "en")
    home = client.get("/").text
    facts = re.search(r"data-chart-facts>(.*?)<", home, re.S)
    other = re.search(r'data-chart-other="USD">(.*?)<', home, re.S)
    assert facts and other, home[:3000]
    assert "2 loans, ¥20,000.00 outstanding" in " ".join(facts.group(1).split())
    assert "1 loans, $12,000.00 outstanding" in other.group(1)
    assert "32,000.00" not in home


NO_PAST_DUE_PD = {
    f"{kind}_pd_dpd_{days}": "none"
    for kind in ("behavioural", "past_due")
    for days in ("1_30", "31_60", "61_90")
}
"""No history and no floor: the audit states no past-due bucket PD."""


def snapshot_audits(container: Container) -> list[dict[str, object]]:
    """The summaries of the ``portfolio.snapshot`` audit records, oldest first."""
    log = t.audit_log
    query = select(log.c.summary).where(log.c.action == "portfolio.snapshot").order_by(log.c.seq)
    with container.engine.connect() as conn:
        return [json.loads(text) for text in conn.execute(query).scalars()]


def printed(*tables: object) -> str:
    text = io.StringIO()
    out = Console(file=text, width=160)  # its own width: the tables are wide
    for table in tables:
        out.print(table)
    return text.getvalue()


def test_the_snapshot_summary_and_its_audit_record_total_each_currency_apart(
    container: Container,
) -> None:
    book(container), book(container), usd_loan(container)
    summary = container.services.portfolio.snapshot(SERVICING, FEB_END)
    totals = [(t.currency, t.loans, t.balance_minor) for t in summary.by_currency]
    assert totals == [("CNY", 2, 2_000_000), ("USD", 1, 1_200_000)]
    assert summary.loans == 3 and all(t.ecl_minor > 0 for t in summary.by_currency)
    ecl = {t.currency: t.ecl_minor for t in summary.by_currency}
    (audited,) = snapshot_audits(container)
    assert audited == {
        "loans": 3, "ecl_minor_CNY": ecl["CNY"], "ecl_minor_USD": ecl["USD"], "skipped": 0,
        "ecl_parameters_sha256": EclParameters().sha256(), **NO_PAST_DUE_PD,
    }  # fmt: skip


def test_the_command_line_prints_a_balance_and_ecl_line_and_a_row_per_currency(
    container: Container,
) -> None:
    book(container), book(container), usd_loan(container)
    text = io.StringIO()
    summary = take_snapshot(container, FEB_END, Console(file=text, width=120))
    ecl = {t.currency: minor_amount(t.ecl_minor, t.currency) for t in summary.by_currency}
    lines = text.getvalue().splitlines()
    assert f"balance 20,000.00 CNY  ECL {ecl['CNY']} CNY" in lines
    assert f"balance 12,000.00 USD  ECL {ecl['USD']} USD" in lines
    view = container.services.portfolio.overview(RISK)
    shown = printed(*overview_tables(view))
    rows = [" ".join(line.split()) for line in shown.splitlines()]
    assert any(row.startswith("│ CNY │ 2 │ 20,000.00 │") for row in rows), shown
    assert any(row.startswith("│ USD │ 1 │ 12,000.00 │") for row in rows), shown
    assert "portfolio on 2026-02-28 (CNY)" in shown
    assert "32,000.00" not in text.getvalue() + shown


def test_the_overview_json_names_its_currency_and_keys_the_totals_by_currency(
    container: Container,
) -> None:
    mixed_book(container)
    data = overview_json(container.services.portfolio.overview(RISK))
    assert (data["currency"], data["loans"], data["balance_minor"]) == ("CNY", 2, 2_000_000)
    assert {code: (v["loans"], v["balance_minor"]) for code, v in data["totals"].items()} == {
        "CNY": (2, 2_000_000), "USD": (1, 1_200_000),
    }  # fmt: skip
    assert json.loads(json.dumps(data)) == data


def test_a_book_all_in_cny_names_its_currency_and_audits_as_before(
    container: Container,
) -> None:
    """Its amounts say CNY as any other book's say theirs (they were bare numbers)."""
    book(container), book(container)
    text = io.StringIO()
    summary = take_snapshot(container, FEB_END, Console(file=text, width=120))
    (cny,) = summary.by_currency
    ecl = minor_amount(cny.ecl_minor, "CNY")
    assert f"balance 20,000.00 CNY  ECL {ecl} CNY" in text.getvalue().splitlines()
    shown = printed(*overview_tables(container.services.portfolio.overview(RISK)))
    assert "portfolio on 2026-02-28 (CNY)" in shown and "ECL by stage (CNY)" in shown
    assert "by currency" not in shown  # one currency: no table of currencies
    (audited,) = snapshot_audits(container)
    assert audited == {
        "loans": 2, "ecl_minor": cny.ecl_minor, "skipped": 0,
        "ecl_parameters_sha256": EclParameters().sha256(),  # the built-in set
        **NO_PAST_DUE_PD,
    }  # fmt: skip


def test_the_month_end_run_audits_its_snapshot_ecl_per_currency(container: Container) -> None:
    """End of day through Jan 31 takes the month-end snapshot itself: its audit record
    states each currency's ECL apart, equal to the stored rows', never their sum."""
    book(container), book(container), usd_loan(container)
    runner = EodRunner(container.uow, container.services.clock, partition_size=2)
    assert runner.run_through(SYSTEM_ACTOR, JAN_END).errors == 0
    stored = container.services.portfolio.overview(RISK, as_of=JAN_END)
    ecl = {t.currency: t.ecl_minor for t in stored.totals}
    assert set(ecl) == {"CNY", "USD"} and all(v > 0 for v in ecl.values())
    (audited,) = [a for a in snapshot_audits(container) if a.get("taken_by") == "eod"]
    assert audited == {
        "loans": 3, "taken_by": "eod", "ecl_minor_CNY": ecl["CNY"], "ecl_minor_USD": ecl["USD"],
        "ecl_parameters_sha256": EclParameters().sha256(), **NO_PAST_DUE_PD,
    }  # fmt: skip
