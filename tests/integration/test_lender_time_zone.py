"""The business day follows the lender's time zone (``AUTOLEND_TIMEZONE``), not a fixed
Beijing: an application is dated, checked and later re-read as of the lender's day, a
contract is issued on it, and a policy simulation's period starts and ends at the
lender's midnights. At 2026-11-29 02:00 UTC it is still the 28th (21:00) in New York and
already the 29th (10:00) in Beijing; a US-pack lender's applications were dated in
Beijing time before."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from autolend.adapters.clock import FixedClock
from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.domain.errors import InvalidInput
from autolend.domain.identity import resident_id_check_character
from autolend.services.policy_simulation import period_bounds
from tests.integration.test_loans_api import as_role
from tests.support.origination import application_body, origination_container

pytestmark = pytest.mark.integration
AT = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
NEW_YORK, BEIJING = "America/New_York", "Asia/Shanghai"


def born_on(day: date) -> str:
    """A valid resident ID (Beijing Chaoyang) of someone born on ``day``."""
    first17 = f"110105{day:%Y%m%d}123"
    return first17 + resident_id_check_character(first17)


@pytest.fixture(params=[NEW_YORK, BEIJING])
def clock(request: pytest.FixtureRequest) -> FixedClock:
    return FixedClock(AT, zone=request.param)


@pytest.fixture
def container(db_url: str, tmp_path: Path, clock: FixedClock) -> Iterator[Container]:
    with origination_container(db_url, tmp_path, clock, None) as built:
        yield built


def test_an_application_is_dated_on_the_lenders_day_in_its_time_zone(
    client: TestClient, clock: FixedClock, staff: dict[Role, str]
) -> None:
    # A resident ID of someone born on the 29th: a birth date in the future on New York's
    # 28th (refused as impossible), a valid ID on Beijing's 29th (age is decided later).
    borrower = application_body()["applicants"][0] | {"id_number": born_on(date(2026, 11, 29))}
    body = application_body(applicants=[borrower])
    dealer = as_role(client, staff, Role.DEALER)
    made = client.post("/api/v1/applications", json=body, headers=dealer)
    if clock.today() == date(2026, 11, 28):
        assert made.status_code == 422, made.text
        assert made.json()["error"]["field"] == "applicants[0].id_number"
        assert "not plausible" in made.json()["error"]["message"]
    else:
        assert clock.today() == date(2026, 11, 29)
        assert made.status_code == 201, made.text


def test_the_clock_tells_a_stored_instants_day_and_a_days_first_instant(
    clock: FixedClock,
) -> None:
    local = {NEW_YORK: date(2026, 11, 28), BEIJING: date(2026, 11, 29)}
    zone = NEW_YORK if clock.today() == local[NEW_YORK] else BEIJING
    assert clock.day_of(AT) == local[zone]
    first, after = period_bounds(date(2026, 11, 1), date(2026, 11, 30), clock)
    if zone == NEW_YORK:  # daylight saving ends on 1 November 2026: EDT, then EST
        assert (first, after) == (datetime(2026, 11, 1, 4, tzinfo=UTC),
                                  datetime(2026, 12, 1, 5, tzinfo=UTC))  # fmt: skip
    else:
        assert (first, after) == (datetime(2026, 10, 31, 16, tzinfo=UTC),
                                  datetime(2026, 11, 30, 16, tzinfo=UTC))  # fmt: skip


def test_a_simulation_period_past_the_calendars_ends_is_refused_naming_the_option(
    clock: FixedClock,
) -> None:
    # It failed with "OverflowError: date value out of range".
    with pytest.raises(InvalidInput, match="on or after 0001-01-02") as early:
        period_bounds(date(1, 1, 1), date(2026, 11, 30), clock)
    with pytest.raises(InvalidInput, match="on or before 9999-12-30") as late:
        period_bounds(date(2026, 11, 1), date(9999, 12, 31), clock)
    assert (early.value.field, late.value.field) == ("from", "to")
    assert period_bounds(date(1, 1, 2), date(9999, 12, 30), clock)[0].year == 1
