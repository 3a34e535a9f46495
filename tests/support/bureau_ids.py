"""Resident IDs and US SSNs with a chosen bureau-sandbox profile, for tests that need an
applicant the sandbox answers in a known way (no record, thin file, red flag, a clean file)."""

from __future__ import annotations

from datetime import UTC, datetime

from autolend.bureau_sandbox.reports import build_report, profile_of
from autolend.domain.bureau import summarize
from autolend.domain.identity import resident_id_check_character

__all__ = ["resident_ids", "us_tins"]


def _clean(id_number: str) -> bool:
    """An ordinary sandbox file without a late month or many inquiries."""
    report = build_report(id_number, "张伟", datetime.now(UTC).date())
    assert report is not None
    summary = summarize(report)
    return summary.months_overdue_any == 0 and summary.inquiries_6m < 4


def resident_ids(profile: str, count: int, start: int) -> list[str]:
    """Valid resident IDs (GB 11643 check character) whose sandbox file has ``profile``
    ("clean": an ordinary one with nothing late)."""
    found: list[str] = []
    serial = start
    while len(found) < count:
        first17 = f"11010519{80 + serial % 15}0{1 + serial % 9}1{serial % 10}{serial:03d}"[:17]
        candidate = first17 + resident_id_check_character(first17)
        kind = profile_of(candidate)
        if kind == profile or (profile == "clean" and kind == "ordinary" and _clean(candidate)):
            found.append(candidate)
        serial += 1
    return found


def us_tins(profile: str, count: int, start: int) -> list[str]:
    """SSNs (as their 9 digits: area 123, group 45) whose sandbox file has ``profile``
    ("clean": an ordinary one with nothing late)."""
    found: list[str] = []
    serial = max(1, start)  # serial 0000 is never issued
    while len(found) < count:
        candidate = f"12345{serial:04d}"
        kind = profile_of(candidate)
        if kind == profile or (profile == "clean" and kind == "ordinary" and _clean(candidate)):
            found.append(candidate)
        serial += 1
    return found
