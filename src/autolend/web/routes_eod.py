"""The end-of-day runs page: every job run (days, status, loans, errors, seconds), one
run's partitions and per-loan errors, and a progress bar that polls while a run goes on.

Servicing and administrators (who run end of day) and, read-only, auditors and compliance
(who read the audit trail) see it; anyone else gets the 403 page.

Progress of a running run is estimated from its checkpoints: the days before the latest
checkpointed day are finished, and that day is as far along as its partitions so far
over the most partitions an earlier day of the run had. Example: a run of Nov 25..27
with checkpoints for 4 partitions on Nov 25 and 2 on Nov 26 is (1 + 2/4) / 3 = 50 %.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from autolend.domain.access import Permission
from autolend.domain.errors import Busy, Conflict, InvalidInput, NotFound
from autolend.domain.schedule_input import parse_date
from autolend.services.eod import EodRunDetail, may_read_runs
from autolend.services.eod_ports import EodCheckpoint, EodRunRecord
from autolend.web.deps import (
    CsrfCheckedDep,
    PageForbidden,
    PageNotFound,
    SignedIn,
    SignedInDep,
    WebState,
    WebStateDep,
    is_htmx,
)
from autolend.web.paging import Pager, offset_of, page_number, uncounted_page
from autolend.web.problem_text import page_status, problem_of

router = APIRouter(include_in_schema=False)
RUNS_SHOWN = 50
MAX_ID = 2**63 - 1
LONGEST_DATE = len("2026-11-30")


def eod_reader(signed: SignedInDep) -> SignedIn:
    """The session, if it may read the end-of-day runs; else the 403 page."""
    if not may_read_runs(signed.actor):
        raise PageForbidden(Permission.LOAN_ACCRUE.value)
    return signed


EodReader = Annotated[SignedIn, Depends(eod_reader)]


@dataclass(frozen=True)
class RunProgress:
    """How far a run is: ``percent`` (0..100), the day in progress, days finished."""

    run_id: int
    running: bool
    percent: int
    day: date | None
    days_done: int
    days: int


def progress_of(run: EodRunRecord, checkpoints: list[EodCheckpoint]) -> RunProgress:
    """The progress of ``run`` from its checkpoints (see the module docstring)."""
    days = (run.through_day - run.first_day).days + 1
    if run.status != "running":
        finished = days if run.status == "done" else 0
        return RunProgress(run.id, False, 100 if run.status == "done" else 0, None, finished, days)
    per_day = Counter(c.business_day for c in checkpoints)
    if not per_day:
        return RunProgress(run.id, True, 0, run.first_day, 0, days)
    current = max(per_day)
    done = (current - run.first_day).days
    earlier = [n for day, n in per_day.items() if day != current]
    part = min(per_day[current] / max(earlier), 1.0) if earlier else 0.0
    percent = min(int(100 * (done + part) / days), 99)
    return RunProgress(run.id, True, percent, current, done, days)


def seconds_of(run: EodRunRecord, now: datetime) -> float:
    """Wall-clock seconds of a run: to its end, or so far while it runs."""
    return max(((run.finished_at or now) - run.started_at).total_seconds(), 0.0)


def run_number(text: str) -> int:
    """A run id typed into the address: 1 to 2**63 - 1 in ASCII digits; anything else
    (``abc``, ``0``, ``-1``, ``１``) is the 404 page, as a run that does not exist, not
    a JSON error. ``run_number("12")`` is 12."""
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_ID:
        raise PageNotFound("not an end-of-day run id")
    return int(text)


def through_date(text: str) -> date:
    """The form's business day, ``YYYY-MM-DD``. A text longer than any date is refused
    as not a date (not as "longer than 40 characters", which names the field by its
    code and has no translation): ``through_date("2026-11-30")`` is 2026-11-30."""
    if len(text) > LONGEST_DATE:
        raise InvalidInput(f"through {text[:LONGEST_DATE]!r} is not a date such as 2026-11-30",
                           field="through")  # fmt: skip
    return parse_date(text, "through")


def _detail(state: WebStateDep, signed: SignedIn, run_id: str) -> EodRunDetail:
    try:
        return state.services.eod.run(signed.actor, run_number(run_id))
    except NotFound:
        raise PageNotFound("end-of-day run not found") from None


def _rows(state: WebStateDep, signed: SignedIn, number: int) -> tuple[list[dict[str, Any]], Pager]:
    """Page ``number`` of the runs, newest first (one run more is read to know whether
    older ones follow)."""
    now = state.services.clock.now()
    found = state.services.eod.runs(signed.actor, RUNS_SHOWN + 1, offset_of(number, RUNS_SHOWN))
    runs, pager = uncounted_page(found, number, RUNS_SHOWN, "/eod")
    rows = []
    for run in runs:
        progress = None
        if run.status == "running":
            progress = progress_of(run, _detail(state, signed, str(run.id)).partitions)
        rows.append({"run": run, "seconds": seconds_of(run, now), "progress": progress})
    return rows, pager


def _runs_page(
    request: Request,
    state: WebState,
    signed: SignedIn,
    number: int,
    status: int = 200,
    **extra: Any,
) -> Response:
    rows, pager = _rows(state, signed, number)
    today = state.services.clock.today()
    context = {"rows": rows, "pager": pager, "today": today, "through": today, "error": None,
               "idle": None,
               "may_run": signed.actor.can(Permission.LOAN_ACCRUE), **extra}  # fmt: skip
    return state.renderer.render(request, "eod.html", context, signed=signed, status=status)


@router.get("/eod")
def eod_runs(
    request: Request, state: WebStateDep, signed: EodReader, page: str | None = None
) -> Response:
    """The end-of-day runs, newest first, a page at a time (a run a business day: the
    first page is about two months); for those who run end of day, the form to start one."""
    return _runs_page(request, state, signed, page_number(page))


@router.post("/eod/runs")
async def start_eod_run(request: Request, state: WebStateDep, signed: CsrfCheckedDep) -> Response:
    """Start catching up through the business date given (today by default) in the
    background (:mod:`autolend.batch.eod_jobs`) and show the run as it goes; a date
    after today, another run going on, or a day before any loan had started (nothing
    to run: no run is recorded, as on the command line) is shown on the runs page."""
    if not signed.actor.can(Permission.LOAN_ACCRUE):
        raise PageForbidden(Permission.LOAN_ACCRUE.value)
    form = await request.form()
    text = str(form.get("through") or "").strip() or state.services.clock.today().isoformat()
    try:
        through = through_date(text)
        if state.services.eod.nothing_to_run(signed.actor, through) is not None:
            return _runs_page(request, state, signed, 1, idle=through, through=text)
        run_id = state.services.eod_jobs.start_through(signed.actor, through)
    except (InvalidInput, Conflict, Busy) as problem:
        # The form has one input: a refused date is that input's, whatever the service
        # called it ("date"), so the page marks it and names it; another run going on is not.
        error = problem_of(problem)
        if isinstance(problem, InvalidInput):
            error["field"] = "through"
        return _runs_page(request, state, signed, 1, page_status(problem), error=error,
                          through=text)  # fmt: skip
    return RedirectResponse(f"/eod/runs/{run_id}", status_code=303)


@router.get("/eod/runs/{run_id}")
def eod_run(run_id: str, request: Request, state: WebStateDep, signed: EodReader) -> Response:
    """One run: its summary, its partitions by day and its per-loan errors."""
    detail = _detail(state, signed, run_id)
    context = {
        "detail": detail,
        "seconds": seconds_of(detail.run, state.services.clock.now()),
        "progress": progress_of(detail.run, detail.partitions),
    }
    return state.renderer.render(request, "eod_run.html", context, signed=signed)


@router.get("/eod/runs/{run_id}/progress")
def eod_progress(run_id: str, request: Request, state: WebStateDep, signed: EodReader) -> Response:
    """The progress bar fragment; it polls again every 2 s only while the run goes on.
    The poll that finds the run ended reloads the page (``HX-Refresh``), so its status,
    loans, partitions and errors show as they ended, not as they were when it opened."""
    detail = _detail(state, signed, run_id)
    progress = progress_of(detail.run, detail.partitions)
    response = state.renderer.render(
        request, "_eod_progress.html", {"progress": progress}, signed=signed
    )
    if not progress.running and is_htmx(request):
        response.headers["HX-Refresh"] = "true"
    return response
