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

Dealers and borrowers are told, above the chart, what waits on *them*
(:func:`applicant_steps`): 5 approved applications are 5 offers to choose.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from autolend.domain.access import Actor, Permission, Role
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
# What waits on the applicant (the dealer, or the borrower themself), in the order a deal
# moves; every other open status waits on the lender (a review, the payout).
APPLICANT_STEPS = ("draft", "approved", "counter_offered", "accepted", "signing")
# Users outside the lender: the raw permission codes on the home page are for staff.
OUTSIDE_ROLES = frozenset({Role.BORROWER, Role.DEALER})


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
        counts = services.applications.status_counts(actor)
        return applications_chart(counts, gettext, applicant_steps(actor, counts))
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


def applications_chart(
    counts: Mapping[str, int], gettext: Translate, steps: list[tuple[str, int]] | None = None
) -> HomeChart:
    """Applications by status in the workflow's order, statuses with none left out;
    ``steps`` (:func:`applicant_steps`) are said beside it."""
    shown = [status.value for status in ApplicationStatus if counts.get(status.value)]
    option = bar_chart(
        [gettext(APPLICATION_STATUS_NAMES.get(s, s)) for s in shown],
        [counts[s] for s in shown],
        gettext("Applications"),
    )
    facts = {"total": sum(counts.values()),
             "waiting": sum(counts.get(s, 0) for s in WAITING), "steps": steps or []}  # fmt: skip
    return HomeChart("applications", option, facts)


def files_own_applications(actor: Actor) -> bool:
    """Whether the actor files applications and sees only their own (a dealer its
    dealership's, a borrower theirs); an underwriter, who reads every one, does not."""
    return actor.can(Permission.APPLICATION_CREATE) and not actor.can(
        Permission.APPLICATION_READ_ALL
    )


def outside_user(actor: Actor) -> bool:
    """A dealer or a borrower, not lender staff: ``dealer`` yes, ``dealer,servicing`` no."""
    return bool(actor.roles) and set(actor.roles) <= OUTSIDE_ROLES


def applicant_steps(actor: Actor, counts: Mapping[str, int]) -> list[tuple[str, int]]:
    """The statuses that wait on the actor and how many applications are in each, in the
    order a deal moves; none for staff, who do not file their own.

    >>> dealer = Actor(1, "d", (Role.DEALER,), dealer_id=7)
    >>> applicant_steps(dealer, {"signing": 1, "referred": 3, "approved": 2})
    [('approved', 2), ('signing', 1)]
    """
    if not files_own_applications(actor):
        return []
    return [(status, counts[status]) for status in APPLICANT_STEPS if counts.get(status)]
