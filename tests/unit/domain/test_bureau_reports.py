"""Bureau vocabulary, report summaries and consent validity; the sandbox's generator."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from autolend.bureau_sandbox import reports
from autolend.bureau_sandbox.reports import build_report, late_prone, profile_of
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


def test_late_months_belong_to_about_one_ordinary_file_in_five_not_to_most() -> None:
    ordinary = [i for i in resident_ids(2000) if profile_of(i) == "ordinary"]
    late = [i for i in ordinary if summarize(build_report(i, "丁", AS_OF) or {}).months_overdue_any]
    # One holder in four is late-prone (late_prone); some of them happen to have no late
    # month in their window. Before, three files in four had one (a 4 % chance a month).
    assert 0.12 <= len(late) / len(ordinary) <= 0.25
    assert all(late_prone(i) for i in late)


_CARD_USE = ("history", "balance", "monthly_payment")


def _without_delinquency(report: dict[str, Any]) -> dict[str, Any]:
    """The report less what lateness moves: the histories and the cards' balances."""
    accounts = [
        {k: v for k, v in a.items() if k not in (_CARD_USE if a["type"] == "credit_card"
                                                  else ("history",))}
        for a in report["accounts"]
    ]  # fmt: skip
    return {**report, "accounts": accounts, "delinquencies": None, "totals": None}


def test_a_holder_who_is_not_late_prone_has_a_clean_history_and_the_same_accounts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ordinary = [i for i in resident_ids(400) if profile_of(i) == "ordinary"]
    prone = [i for i in ordinary if late_prone(i)]
    for id_number in (i for i in ordinary if not late_prone(i)):
        assert summarize(build_report(id_number, "戊", AS_OF) or {}).months_overdue_any == 0
    as_prone = {i: build_report(i, "戊", AS_OF) for i in prone}
    assert any(summarize(r or {}).months_overdue_any for r in as_prone.values())
    # Being late-prone changes the late months and how full the cards are only, never the
    # accounts, the loans' balances or the inquiries: the generator draws the same numbers.
    monkeypatch.setattr(reports, "late_prone", lambda _id: False)
    for id_number, report in as_prone.items():
        steady = build_report(id_number, "戊", AS_OF)
        assert report is not None and steady is not None
        assert summarize(steady).months_overdue_any == 0
        assert _without_delinquency(report) == _without_delinquency(steady)


def _utilisation(report: dict[str, Any] | None) -> float | None:
    summary = summarize(report or {})
    if not summary.card_limit_minor:
        return None
    return summary.card_balance_minor / summary.card_limit_minor


def test_a_late_prone_holder_runs_their_cards_fuller_as_in_the_synthetic_population(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prone = [i for i in resident_ids(800) if profile_of(i) == "ordinary" and late_prone(i)]
    fuller = [_utilisation(build_report(i, "己", AS_OF)) for i in prone]
    monkeypatch.setattr(reports, "late_prone", lambda _id: False)
    steady = [_utilisation(build_report(i, "己", AS_OF)) for i in prone]
    pairs = [(f, s) for f, s in zip(fuller, steady, strict=True) if f is not None]
    assert len(pairs) >= 20  # most ordinary files hold a card
    assert all(s is not None and f >= s for f, s in pairs)
    # 60-100 % of each limit against 0-80 %: the average moves well over 0.3
    assert sum(f for f, _ in pairs) / len(pairs) >= 0.75
    assert sum(s for _, s in pairs if s is not None) / len(pairs) <= 0.5


def test_card_totals_count_open_cards_that_state_a_limit_only() -> None:
    def card(status: str, limit: int | None, balance: int) -> dict[str, Any]:
        found = {"type": "credit_card", "status": status, "history": "N" * HISTORY_MONTHS,
                 "balance": balance, "monthly_payment": balance // 10}  # fmt: skip
        return found | ({} if limit is None else {"credit_limit": limit})

    loan = card("open", 200_000, 150_000) | {"type": "auto_loan"}
    report = {
        "accounts": [card("open", 40_000, 12_600), card("closed", 30_000, 0),
                     card("open", None, 5_000), loan],
        "inquiries": {"last_6_months": 0, "last_12_months": 0}, "thin_file": False,
    }  # fmt: skip
    summary = summarize(report)
    # 12,600 of 40,000: the closed card, the one without a limit and the loan are not counted
    assert (summary.card_limit_minor, summary.card_balance_minor) == (4_000_000, 1_260_000)
    with pytest.raises(InvalidInput) as refused:
        summarize(report | {"accounts": [card("open", -1, 0)]})
    assert refused.value.field == "credit_limit"
