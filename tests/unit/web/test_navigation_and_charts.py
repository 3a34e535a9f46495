"""Navigation by permission and the home page chart options."""

from __future__ import annotations

import doctest
import json
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest

from autolend.domain.access import Actor, Role
from autolend.domain.audit import AuditEvent, AuditRecord
from autolend.web import status_names
from autolend.web.charts import MAX_BARS, audit_actions_chart, permissions_chart
from autolend.web.home_view import applications_chart, home_chart
from autolend.web.render import active_section, visible_navigation


def actor(*roles: Role) -> Actor:
    return Actor(user_id=1, username="u", roles=roles)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (
            Role.ADMIN,
            [
                "home",
                "products",
                "models",
                "monitoring",
                "policy",
                "eod",
                "approvals",
                "audit",
                "users",
            ],
        ),
        (
            Role.AUDITOR,
            ["home", "customers", "loans", "products", "models", "monitoring", "eod", "audit"],
        ),
        (Role.SERVICING, ["home", "customers", "loans", "products", "eod", "approvals"]),
        (Role.DEALER, ["home", "customers", "loans"]),
        (Role.RISK, ["home", "loans", "products", "models", "monitoring", "policy", "approvals"]),
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
    assert active_section("/risk/policy") == "policy"


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


class Sources:
    """Stand-ins for the services the home chart reads; a read it must not make fails."""

    def __init__(self, **allowed: Any) -> None:
        self.audit = SimpleNamespace(recent=allowed.get("recent", self._refuse))
        self.applications = SimpleNamespace(status_counts=allowed.get("counts", self._refuse))
        self.portfolio = SimpleNamespace(overview=allowed.get("overview", self._refuse))

    @staticmethod
    def _refuse(*_args: Any) -> Any:
        raise AssertionError("this role's home page must not read this")


def kind(role: Role, sources: Sources) -> str:
    return home_chart(actor(role), sources, str).kind  # type: ignore[arg-type]


def test_each_role_sees_the_chart_of_its_own_work_and_reads_nothing_else() -> None:
    counts = Sources(counts=lambda _actor: {"referred": 2})
    assert kind(Role.DEALER, counts) == kind(Role.UNDERWRITER, counts) == "applications"
    assert kind(Role.AUDITOR, Sources(recent=lambda _n: [record(1, "x")])) == "audit"
    # No snapshot taken yet: servicing sees its permissions rather than an empty chart.
    empty = Sources(overview=lambda _actor: SimpleNamespace(as_of=None))
    assert kind(Role.SERVICING, empty) == "permissions"


def test_the_applications_chart_follows_the_workflow_and_counts_those_waiting() -> None:
    chart = applications_chart({"referred": 3, "approved": 5, "pending_second": 1}, str)
    waiting = "Waiting for a second approval"
    assert chart.option["yAxis"]["data"] == ["Approved", "Referred", waiting]
    assert chart.option["series"][0]["data"] == [5, 3, 1]
    assert chart.facts == {"total": 9, "waiting": 4, "steps": []}


def test_the_status_names_example_holds() -> None:
    assert doctest.testmod(status_names).failed == 0
