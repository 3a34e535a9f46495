"""Navigation by permission and the home page chart options."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from autolend.domain.access import Actor, Role
from autolend.domain.audit import AuditEvent, AuditRecord
from autolend.web.charts import MAX_BARS, audit_actions_chart, home_chart, permissions_chart
from autolend.web.render import active_section, visible_navigation


def actor(*roles: Role) -> Actor:
    return Actor(user_id=1, username="u", roles=roles)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.ADMIN, ["home", "products", "models", "monitoring", "eod", "audit", "users"]),
        (
            Role.AUDITOR,
            ["home", "customers", "loans", "products", "models", "monitoring", "eod", "audit"],
        ),
        (Role.SERVICING, ["home", "customers", "loans", "products", "eod"]),
        (Role.DEALER, ["home", "customers", "loans"]),
        (Role.RISK, ["home", "loans", "products", "models", "monitoring"]),
        (Role.BORROWER, ["home", "customers", "loans"]),
    ],
)
def test_navigation_shows_only_what_the_permissions_allow(role: Role, expected: list[str]) -> None:
    assert [item.key for item in visible_navigation(actor(role))] == expected


def test_the_active_section_follows_the_path() -> None:
    assert active_section("/") == "home"
    assert active_section("/customers/12") == "customers"
    assert active_section("/customersx") == "home"
    assert active_section("/audit") == "audit"
    assert active_section("/eod/runs/3") == "eod"
    assert active_section("/risk/models/default/v/2") == "models"
    assert active_section("/risk/monitoring") == "monitoring"


def record(seq: int, action: str) -> AuditRecord:
    event = AuditEvent(datetime(2025, 1, 1, tzinfo=UTC), 1, "u", "admin", action, "user", "1")
    return AuditRecord(seq=seq, event=event, prev_hash="0" * 64, hash=f"{seq:064d}")


def test_the_audit_chart_counts_actions_most_frequent_first() -> None:
    records = [record(1, "a"), record(2, "b"), record(3, "b")]
    option = audit_actions_chart(records, str.upper)
    assert option["yAxis"]["data"] == ["b", "a"]
    assert option["series"][0]["data"] == [2, 1]
    assert option["series"][0]["name"] == "RECORDS"
    json.dumps(option)  # embeddable as JSON


def test_the_audit_chart_keeps_at_most_the_top_actions() -> None:
    records = [record(i, f"action.{i}") for i in range(MAX_BARS + 5)]
    assert len(audit_actions_chart(records, str)["series"][0]["data"]) == MAX_BARS


def test_the_permissions_chart_counts_permissions_per_area() -> None:
    option = permissions_chart(actor(Role.AUDITOR), str)
    counts = dict(zip(option["yAxis"]["data"], option["series"][0]["data"], strict=True))
    assert counts == {"Customers": 3, "Personal data": 0, "Users": 0, "Audit": 2, "Metrics": 0}


def test_the_home_chart_reads_the_audit_trail_only_for_audit_readers() -> None:
    def forbidden() -> list[AuditRecord]:
        raise AssertionError("a dealer's home page must not read the audit trail")

    assert home_chart(actor(Role.DEALER), str, forbidden)[0] == "permissions"
    assert home_chart(actor(Role.AUDITOR), str, lambda: [record(1, "x")])[0] == "audit"
