"""The credit policy page (``policy:simulate``: risk and the administrator): the policy in
force in words, and a form that replays the applications submitted in a period under a
proposed policy, as ``autolend policy simulate`` does
(:class:`~autolend.services.policy_simulation.PolicySimulationService`).

The text box starts from the policy in force (the JSON ``autolend policy show`` prints);
the period from the last 90 days. A proposal that is no policy, or a period that is no
period, is shown beside its input (422) and nothing is replayed; every run is audited.
Example: lowering ``approve_max_pd`` from 0.06 to 0.01 over a month whose one approval
had a PD of 1.8 % shows it moving from approved to referred.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from autolend.domain.access import Permission
from autolend.domain.errors import InvalidInput
from autolend.services.policy_simulation import Simulation
from autolend.web.deps import CsrfCheckedDep, PageForbidden, SignedIn, WebStateDep, needs
from autolend.web.policy_views import (
    figure_rows,
    moves_view,
    outcome_chart,
    policy_rows,
    policy_text,
    proposed_policy,
)
from autolend.web.problem_text import page_status, problem_of

router = APIRouter(include_in_schema=False)
PolicyReader = Annotated[SignedIn, Depends(needs(Permission.POLICY_SIMULATE))]
DEFAULT_DAYS = 90
"""The period the form starts with: this many days through today."""


def _day(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            f"{field} must be a date YYYY-MM-DD, not {text!r}",
            field=field,
            message_zh=f"须为日期 YYYY-MM-DD，而不是 {text!r}",
        ) from None


def _period(start: str, end: str) -> tuple[date, date]:
    first, last = _day(start, "from"), _day(end, "to")
    if first > last:
        raise InvalidInput("the first day must be on or before the last", field="from",
                           message_zh="起始日须不晚于截止日")  # fmt: skip
    return first, last


def _page(
    request: Request, state: WebStateDep, signed: SignedIn, form: dict[str, str], *,
    result: Simulation | None = None, error: dict[str, Any] | None = None, status: int = 200,
) -> Response:  # fmt: skip
    gettext = state.renderer.gettext(state.renderer.locale_of(request))
    context: dict[str, Any] = {
        "rules": policy_rows(state.services.policies.current, gettext),
        "form": form, "error": error, "result": result,
    }  # fmt: skip
    if result is not None and result.replayed:
        context |= {"figures": figure_rows(result, gettext), "moves": moves_view(result, gettext),
                    "chart": outcome_chart(result, gettext)}  # fmt: skip
    return state.renderer.render(request, "risk_policy.html", context, signed=signed,
                                 status=status)  # fmt: skip


@router.get("/risk/policy")
def policy_page(request: Request, state: WebStateDep, signed: PolicyReader) -> Response:
    """The policy in force and the simulation form, filled with it and the last 90 days."""
    today = state.services.clock.today()
    form = {"policy": policy_text(state.services.policies.current),
            "from": (today - timedelta(days=DEFAULT_DAYS - 1)).isoformat(),
            "to": today.isoformat()}  # fmt: skip
    return _page(request, state, signed, form)


@router.post("/risk/policy")
async def simulate_policy(request: Request, state: WebStateDep, signed: CsrfCheckedDep) -> Response:
    """Replay the period under the proposed policy and show both side by side."""
    if not signed.actor.can(Permission.POLICY_SIMULATE):
        raise PageForbidden(Permission.POLICY_SIMULATE.value)
    posted = await request.form()
    form = {name: str(posted.get(name) or "") for name in ("policy", "from", "to")}
    try:
        first, last = _period(form["from"], form["to"])
        proposed = proposed_policy(form["policy"])
        result = state.services.policies.simulate(signed.actor, proposed, first, last)
    except InvalidInput as problem:
        return _page(request, state, signed, form, error=problem_of(problem),
                     status=page_status(problem))  # fmt: skip
    return _page(request, state, signed, form, result=result)
