"""Bureau vocabulary, report summaries and consent validity; the sandbox's generator."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from autolend.bureau_sandbox.reports import build_report, profile_of
from autolend.domain.bureau import HISTORY_MONTHS, STATUS_CODES, parse_purpose, summarize
from autolend.domain.consent import ConsentKind, default_expiry, is_active, parse_kind
from autolend.domain.errors import InvalidInput
from autolend.domain.identity import resident_id_check_character

AS_OF = date(2026, 11, 28)


def resident_ids(n: int) -> list[str]:
    ids = []
    for seq in range(n):
        first17 = f"3201021985{seq // 1000 % 12 + 1:02d}15{seq % 1000:03d}"
        ids.append(first17 + resident_id_check_character(first17))
    return ids


def test_the_same_id_always_gets_the_same_report() -> None:
    for id_number in resident_ids(30):
        assert build_report(id_number, "甲", AS_OF) == build_report(id_number, "甲", AS_OF)


def test_every_report_is_well_formed_and_summarizes() -> None:
    for id_number in resident_ids(300):
        report = build_report(id_number, "甲", AS_OF)
        if report is None:
            continue
        for account in report["accounts"]:
            assert len(account["history"]) == HISTORY_MONTHS
            assert set(account["history"]) <= set(STATUS_CODES)
        summary = summarize(report)
        assert summary.inquiries_6m <= summary.inquiries_12m
        assert summary.total_outstanding_minor == report["totals"]["outstanding"] * 100


def test_profiles_come_in_the_documented_shares_roughly() -> None:
    shares = Counter(profile_of(i) for i in resident_ids(2000))
    assert 100 <= shares["no_record"] <= 300  # 10 %
    assert 200 <= shares["thin_file"] <= 400  # 15 %
    assert 100 <= shares["red_flag"] <= 300  # 10 %


def test_a_red_flag_file_summarizes_to_180_plus_days_and_written_off() -> None:
    red = next(i for i in resident_ids(200) if profile_of(i) == "red_flag")
    report = build_report(red, "乙", AS_OF)
    assert report is not None
    summary = summarize(report)
    assert summary.worst_months_overdue == 7
    assert {"overdue_180_plus", "written_off"} <= set(summary.red_flags)


def test_a_thin_file_has_at_most_one_account_and_no_delinquency() -> None:
    thin = [i for i in resident_ids(200) if profile_of(i) == "thin_file"]
    for id_number in thin:
        report = build_report(id_number, "丙", AS_OF)
        assert report is not None
        summary = summarize(report)
        assert summary.thin_file and summary.accounts <= 1 and summary.worst_months_overdue == 0


def test_a_malformed_report_is_an_error_naming_the_report() -> None:
    with pytest.raises(InvalidInput) as caught:
        summarize({"accounts": [{"history": "N", "status": "open"}]})
    assert caught.value.field == "history"
    with pytest.raises(InvalidInput) as caught:
        summarize({"accounts": []})
    assert caught.value.field == "report"


def test_an_unknown_purpose_or_consent_kind_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(InvalidInput, match="loan_application"):
        parse_purpose("marketing")
    with pytest.raises(InvalidInput, match="bureau_query"):
        parse_kind("everything")


def test_a_consent_is_active_from_grant_until_expiry_or_revocation() -> None:
    granted = datetime(2026, 1, 1, tzinfo=UTC)
    expiry = default_expiry(ConsentKind.BUREAU_QUERY, granted)
    assert expiry == granted + timedelta(days=90)
    assert default_expiry(ConsentKind.DATA_PROCESSING, granted) is None
    assert not is_active(granted, expiry, None, at=granted - timedelta(seconds=1))
    assert is_active(granted, None, None, at=granted + timedelta(days=3650))
    revoked = granted + timedelta(days=10)
    assert is_active(granted, expiry, revoked, at=revoked - timedelta(seconds=1))
    assert not is_active(granted, expiry, revoked, at=revoked)
