"""A contract's number carries the instant it was issued on the lender's clock, so that
it tells the same day as the contract's issue date: it was built from UTC, and a CN
contract issued at 12:45 in Beijing was numbered ``...044526``; a US one issued late on
the 1st in New York was numbered with the 2nd."""

from __future__ import annotations

from datetime import UTC, datetime

from autolend.adapters.clock import FixedClock
from autolend.services.contract_facts import contract_number

AT = datetime(2026, 12, 2, 4, 45, 26, tzinfo=UTC)


def test_the_number_is_the_loan_and_the_lenders_local_time_of_issue() -> None:
    assert contract_number(310, AT, "Asia/Shanghai") == "AL-310-20261202124526"
    assert contract_number(310, AT, "America/New_York") == "AL-310-20261201234526"
    assert contract_number(310, AT, "UTC") == "AL-310-20261202044526"


def test_a_stored_instant_without_a_zone_is_read_as_utc() -> None:
    """SQLite hands instants back without their zone."""
    naive = AT.replace(tzinfo=None)
    assert contract_number(7, naive, "Asia/Shanghai") == "AL-7-20261202124526"


def test_the_clock_names_the_lenders_zone_that_the_contract_tells_the_time_in() -> None:
    assert FixedClock(AT).zone == "Asia/Shanghai"
    assert FixedClock(AT, zone="America/New_York").zone == "America/New_York"
