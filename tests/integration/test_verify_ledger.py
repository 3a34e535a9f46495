"""``autolend verify`` over the ledger: tampering is reported naming the invariant."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Connection, insert

from autolend.adapters.db import tables as t
from autolend.bootstrap import Container
from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms
from autolend.services.loans import BookingRequest, DisbursementInput
from autolend.services.servicing import MoneyIn
from tests.integration.test_audit_chain import run_cli_verify
from tests.integration.test_loan_services import SERVICING, book

pytestmark = pytest.mark.integration


Line = tuple[str, str, int, int | None, str | None]


def _entry(
    conn: Connection, lines: list[Line], kind: str = "fee_charge", loan_id: int | None = None
) -> int:
    entry_id = conn.execute(
        insert(t.journal_entries).values(
            kind=kind,
            value_date=date(2026, 1, 6),
            description="tampered",
            loan_id=loan_id,
            fingerprint="f" * 64,
            booked_at=datetime(2026, 1, 6, tzinfo=UTC),
            booked_by=0,
        )
    ).inserted_primary_key[0]  # type: ignore[index]
    for side, gl, amount, loan, sub in lines:
        conn.execute(
            insert(t.postings).values(
                entry_id=entry_id,
                gl_code=gl,
                side=side,
                amount_minor=amount,
                currency="CNY",
                value_date=date(2026, 1, 6),
                loan_id=loan,
                sub_ledger=sub,
            )
        )
    return int(entry_id)


def broken(container: Container) -> set[int]:
    return {c.invariant for c in container.services.verify.run().checks if not c.ok}


def test_verify_passes_on_a_serviced_loan_and_fails_naming_an_unbalanced_entry(
    container: Container, tmp_path: Path
) -> None:
    loan_id = book(container)
    container.services.servicing.accrue_loan(SERVICING, loan_id, date(2026, 2, 10))
    done = run_cli_verify(container, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    with container.engine.begin() as conn:
        _entry(conn, [("D", "1000", 500, None, None), ("C", "4120", 400, None, None)])
    assert broken(container) == {1, 2}
    done = run_cli_verify(container, tmp_path)
    assert done.returncode == 1
    assert "balanced entries" in done.stdout and "does not balance" in done.stdout
    trial = next(c for c in container.services.verify.run().checks if c.invariant == 2)
    # named in minor units, as check 1 says it (the bare 100 had no unit)
    assert trial.violations == ("trial balance off in CNY: debits - credits = 100 minor units",)


def test_a_control_account_posting_without_a_loan_breaks_sub_ledger_equals_gl(
    container: Container,
) -> None:
    with container.engine.begin() as conn:
        _entry(conn, [("D", "1100", 500, None, None), ("C", "4120", 500, None, None)])
    assert broken(container) == {3}


def test_a_second_accrual_for_the_same_day_is_a_duplicate(container: Container) -> None:
    loan_id = book(container)
    container.services.servicing.accrue_loan(SERVICING, loan_id, date(2026, 1, 6))
    assert broken(container) == set()
    lines: list[Line] = [("D", "1110", 387, loan_id, "interest"), ("C", "4100", 387, None, None)]
    with container.engine.begin() as conn:
        _entry(conn, lines, kind="accrual_interest", loan_id=loan_id)
    report = container.services.verify.run()
    assert [c.invariant for c in report.checks if not c.ok] == [4]
    assert "accrual_interest entries for 2026-01-06" in report.checks[3].violations[0]


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_an_edited_posting_is_caught_once_the_triggers_are_dropped(container: Container) -> None:
    loan_id = book(container)
    with container.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER postings_no_update")
        conn.exec_driver_sql(
            f"UPDATE postings SET amount_minor = amount_minor + 1 WHERE loan_id = {loan_id}"
        )
    assert {1, 2} <= broken(container)


def test_negative_principal_and_accrual_lag_are_bounds_violations(container: Container) -> None:
    first, second = book(container), book(container)
    container.services.servicing.accrue_loan(SERVICING, first, date(2026, 1, 20))
    container.services.servicing.accrue_loan(SERVICING, second, date(2026, 1, 10))
    assert broken(container) == {7}
    with container.engine.begin() as conn:
        _entry(
            conn,
            [("D", "1000", 2_000_000, None, None), ("C", "1100", 2_000_000, first, "principal")],
        )
    assert broken(container) == {5, 7}


def test_verify_refuses_a_business_date_after_today_naming_the_date(container: Container) -> None:
    loan_id = book(container)
    container.services.servicing.accrue_loan(SERVICING, loan_id, date(2026, 1, 20))
    today = container.services.clock.today()
    assert container.services.verify.run(today).checks  # today itself is a business date
    with pytest.raises(InvalidInput) as refused:
        container.services.verify.run(today + timedelta(days=1))
    assert refused.value.field == "date" and "future" in refused.value.message


def test_a_paid_off_loan_that_still_holds_a_fee_breaks_bounds_naming_the_sub_ledger(
    container: Container,
) -> None:
    loan_id = book(container)
    on = date(2026, 1, 20)
    quote = container.services.loans.payoff_quote(SERVICING, loan_id, on)
    money = MoneyIn(Money.parse(quote["total"], "CNY"), on, "bank_transfer", "po", "payoff")
    container.services.servicing.prepay(SERVICING, loan_id, money)
    assert broken(container) == set()
    lines: list[Line] = [("D", "1130", 8000, loan_id, "fees"), ("C", "4120", 8000, None, None)]
    with container.engine.begin() as conn:
        _entry(conn, lines, loan_id=loan_id)
    report = container.services.verify.run()
    assert [c.invariant for c in report.checks if not c.ok] == [5]
    assert f"loan {loan_id} is paid off but its fees sub-ledger holds 8000" in (
        report.checks[4].violations
    )


def _started_on(container: Container, start: date) -> int:
    principal = Money.parse("12000", "CNY")
    terms = LoanTerms(principal=principal, annual_rate=Decimal("0.12"), periods=12, start=start)
    loans = container.services.loans
    loan_id = loans.book(SERVICING, BookingRequest(terms, principal))
    loans.disburse(SERVICING, loan_id, DisbursementInput(principal, start))
    return loan_id


def test_a_loan_paid_out_on_the_business_date_is_up_to_it_and_one_paid_out_after_is_not_judged(
    container: Container,
) -> None:
    """A loan not accrued yet stands at its start: verify failed ("accrued through None")
    after any same-day disbursement until the night's end of day."""
    business_date = date(2026, 3, 10)
    accrued = _started_on(container, date(2026, 1, 5))
    container.services.servicing.accrue_loan(SERVICING, accrued, business_date)
    _started_on(container, business_date)  # paid out on the day: nothing to accrue yet
    assert container.services.verify.run(business_date).ok
    _started_on(container, date(2026, 3, 12))  # after that end of day
    assert container.services.verify.run(business_date).ok
    behind = _started_on(container, date(2026, 3, 1))  # never accrued: 9 days behind
    checks = container.services.verify.run(business_date).checks
    assert [c.invariant for c in checks if not c.ok] == [7]
    assert checks[6].violations == (
        f"active loan {behind} is accrued through None, not the business date 2026-03-10",
    )
