"""Repayment schedules for signed-in users (any role): the calculator behind
``autolend schedule``, same fields, same numbers, same errors (422 naming the field)."""

from __future__ import annotations

from fastapi import APIRouter

from autolend.api.deps import ActorDep
from autolend.api.schema_loanmath import ScheduleRequest, ScheduleResponse
from autolend.domain.schedule_input import ScheduleInput, build_input_schedule, schedule_wire

router = APIRouter(tags=["calculators"])


@router.post("/schedules", response_model=ScheduleResponse)
def create_schedule(body: ScheduleRequest, actor: ActorDep) -> ScheduleResponse:
    """Build the repayment schedule of the terms in ``body``; nothing is stored."""
    del actor  # signing in is the only requirement
    wire = schedule_wire(build_input_schedule(ScheduleInput(**body.model_dump())))
    return ScheduleResponse.model_validate(wire)
