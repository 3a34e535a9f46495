"""The lender's time zone defaults to its jurisdiction's pack (CN Asia/Shanghai, US
America/New_York) when ``AUTOLEND_TIMEZONE`` is not given; a given one wins. Before, a
US lender's business day turned over at Beijing's midnight, 16:00 UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from autolend.adapters.clock import FixedClock
from autolend.config import Settings

AFTERNOON = datetime(2026, 11, 28, 17, 0, tzinfo=UTC)  # 12:00 in New York, 01:00 Beijing


@pytest.fixture(autouse=True)
def no_zone_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUTOLEND_TIMEZONE", raising=False)
    monkeypatch.delenv("AUTOLEND_JURISDICTION", raising=False)


def test_a_cn_lender_keeps_beijing_time() -> None:
    assert Settings().timezone == "Asia/Shanghai"
    assert Settings(jurisdiction="CN").timezone == "Asia/Shanghai"


def test_a_us_lender_without_a_time_zone_gets_new_york_time() -> None:
    settings = Settings(jurisdiction="US")
    assert settings.timezone == "America/New_York"
    # At 17:00 UTC on the 28th it is still the 28th in New York (the 29th in Beijing).
    assert FixedClock(AFTERNOON, zone=settings.timezone).today() == date(2026, 11, 28)


def test_the_jurisdiction_from_the_environment_sets_the_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AUTOLEND_JURISDICTION", "US")
    assert Settings().timezone == "America/New_York"


@pytest.mark.parametrize("how", ["argument", "environment"])
def test_a_time_zone_that_is_given_wins_over_the_jurisdictions(
    monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    if how == "environment":
        monkeypatch.setenv("AUTOLEND_TIMEZONE", "Asia/Shanghai")
        settings = Settings(jurisdiction="US")
    else:
        settings = Settings(jurisdiction="US", timezone="America/Chicago")
    assert settings.timezone == ("Asia/Shanghai" if how == "environment" else "America/Chicago")
    cn = Settings(jurisdiction="CN", timezone="America/New_York")
    assert cn.timezone == "America/New_York"
