"""The portfolio page: principal outstanding by delinquency bucket, the five-tier
distribution, ECL by IFRS 9 stage with coverage, roll rates between month-ends as heat
maps, and the early-warning list, for one risk snapshot (the newest, or ``?date=``).

Staff who read every loan and those who read the metrics see it; dealers and borrowers
get the 403 page; a date without a snapshot is the 404 page.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from autolend.domain.access import Permission
from autolend.domain.errors import InvalidInput, NotFound
from autolend.domain.schedule_input import parse_date
from autolend.services.portfolio import may_read_portfolio
from autolend.services.portfolio_views import PortfolioOverview
from autolend.web.deps import PageForbidden, PageNotFound, SignedIn, SignedInDep, WebStateDep
from autolend.web.loan_views import product_names
from autolend.web.portfolio_charts import (
    bucket_chart,
    bucket_labels,
    class_chart,
    class_labels,
    flag_label,
    roll_chart,
    roll_rows,
    stage_chart,
    unclassified_label,
    yuan,
)

router = APIRouter(include_in_schema=False)
ROLLS_SHOWN = 6


def portfolio_reader(signed: SignedInDep) -> SignedIn:
    """The session, if it may read the portfolio; else the 403 page."""
    if not may_read_portfolio(signed.actor):
        raise PageForbidden(Permission.LOAN_READ_ALL.value)
    return signed


PortfolioReader = Annotated[SignedIn, Depends(portfolio_reader)]


def _context(view: PortfolioOverview, gettext: Any) -> dict[str, Any]:
    rolls = list(reversed(view.rolls))[:ROLLS_SHOWN]  # newest month pair first
    return {
        "nav_section": "portfolio",
        "yuan": yuan,
        "view": view,
        "bucket_names": bucket_labels(gettext),
        "class_names": class_labels(gettext),
        "unclassified_name": unclassified_label(gettext),
        "charts": {
            "buckets": bucket_chart(view, gettext),
            "classes": class_chart(view, gettext),
            "stages": stage_chart(view, gettext),
        },
        "rolls": [
            {"roll": r, "chart": roll_chart(r, gettext), "rows": roll_rows(r)} for r in rolls
        ],
        "warnings": [
            {"row": w.row, "flags": [flag_label(f, gettext) for f in w.flags]}
            for w in view.warnings
        ],
    }


def snapshot_day(text: str | None) -> date | None:
    """The ``?date=`` asked for: None (the newest snapshot) when absent or blank, a date
    for ``YYYY-MM-DD``; anything else (``garbage``, ``2026-02-30``, ``0``) is the 404 page,
    as a date without a snapshot is, never a JSON error. ``snapshot_day("2026-11-30")``
    is 2026-11-30."""
    if text is None or not text.strip():
        return None
    try:
        return parse_date(text.strip()[:40], "date")
    except InvalidInput:
        raise PageNotFound("not a snapshot date") from None


@router.get("/portfolio")
def portfolio(
    request: Request,
    state: WebStateDep,
    signed: PortfolioReader,
    on: Annotated[str | None, Query(alias="date")] = None,
) -> Response:
    """The overview of the newest snapshot, or of ``?date=YYYY-MM-DD``."""
    services = state.services.portfolio
    try:
        view = services.overview(signed.actor, snapshot_day(on))
    except NotFound:
        raise PageNotFound("no portfolio snapshot on that date") from None
    locale = state.renderer.locale_of(request)
    gettext = state.renderer.gettext(locale)
    context = {
        **_context(view, gettext), "dates": services.dates(signed.actor),
        "product_names": product_names(state.services, signed.actor, locale),
    }  # fmt: skip
    return state.renderer.render(request, "portfolio.html", context, signed=signed)
