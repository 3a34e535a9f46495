"""The home page's chart: the picture of each role's own work.

- audit readers (auditor, compliance, administrator): audit records per action;
- underwriters: the applications by status, with how many wait for review;
- staff who read every loan (servicing, collections, risk): the newest portfolio snapshot,
  loans by days past due, in the book's main currency; the loans in other currencies are
  said beside it with their own totals (two currencies are never added up);
- dealers and borrowers: their own applications by status;
- anyone else: their permissions by area.

Example: a dealer with 3 referred and 5 approved applications sees two bars, "Approved 5"
and "Referred 3", in the workflow's order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from autolend.domain.access import Actor, Permission
from autolend.domain.application_status import ApplicationStatus
from autolend.services.portfolio import may_read_portfolio
from autolend.services.registry import Services
from autolend.services.review import WAITING
from autolend.web.charts import (
    JsonObject,
    Translate,
    audit_actions_chart,
    bar_chart,
    permissions_chart,
)
from autolend.web.portfolio_charts import bucket_labels, yuan
from autolend.web.status_names import APPLICATION_STATUS_NAMES

AUDIT_CHART_WINDOW = 500


@dataclass(frozen=True)
class HomeChart:
    """The chart's kind (``audit``, ``applications``, ``portfolio``, ``permissions``), its
    ECharts option and the figures said beside it."""

    kind: str
    option: JsonObject
    facts: dict[str, Any] = field(default_factory=dict)


def home_chart(actor: Actor, services: Services, gettext: Translate) -> HomeChart:
    """The chart of the actor's own work (see the module docstring)."""
    if actor.can(Permission.AUDIT_READ):
        records = services.audit.recent(AUDIT_CHART_WINDOW)
        return HomeChart("audit", audit_actions_chart(records, gettext))
    if actor.can(Permission.APPLICATION_REVIEW) or (
        actor.can(Permission.APPLICATION_READ) and not may_read_portfolio(actor)
    ):
        return applications_chart(services.applications.status_counts(actor), gettext)
    if may_read_portfolio(actor):
        view = services.portfolio.overview(actor)
        if view.as_of is not None:
            facts = {"as_of": view.as_of.isoformat(), "loans": view.loans,
                     "balance": yuan(view.balance_minor, view.currency),
                     "currency": view.currency,
                     "others": [(t.currency, t.loans, yuan(t.balance_minor, t.currency))
                                for t in view.left_out]}  # fmt: skip
            loans = [line.loans for line in view.buckets]
            option = bar_chart(bucket_labels(gettext), loans, gettext("Loans"))
            return HomeChart("portfolio", option, facts)
    return HomeChart("permissions", permissions_chart(actor, gettext))


def applications_chart(counts: Mapping[str, int], gettext: Translate) -> HomeChart:
    """Applications by status in the workflow's order, statuses with none left out."""
    shown = [status.value for status in ApplicationStatus if counts.get(status.value)]
    option = bar_chart(
        [gettext(APPLICATION_STATUS_NAMES.get(s, s)) for s in shown],
        [counts[s] for s in shown],
        gettext("Applications"),
    )
    facts = {"total": sum(counts.values()),
             "waiting": sum(counts.get(s, 0) for s in WAITING)}  # fmt: skip
    return HomeChart("applications", option, facts)
