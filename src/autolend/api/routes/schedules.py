"""Repayment schedules for signed-in users (any role): the calculator behind
``autolend schedule``, same fields, same numbers, same errors (422 naming the field); the
APR is the one the ``jurisdiction`` pack discloses (by default the currency's)."""

from __future__ import annotations

from fastapi import APIRouter

from autolend.api.deps import ActorDep
from autolend.api.schema_loanmath import ScheduleCalculationRequest, ScheduleResponse
from autolend.domain.schedule_input import (
    ScheduleInput,
    build_input_schedule,
    schedule_pack,
    schedule_wire,
)

router = APIRouter(tags=["calculators"])


@router.post("/schedules", response_model=ScheduleResponse)
def create_schedule(body: ScheduleCalculationRequest, actor: ActorDep) -> ScheduleResponse:
    """Build the repayment schedule of the terms in ``body``; nothing is stored. Any
    signed-in user; 422 naming the field of a bad value."""
    del actor  # signing in is the only requirement
    data = ScheduleInput(**body.model_dump())
    wire = schedule_wire(build_input_schedule(data), schedule_pack(data))
    return ScheduleResponse.model_validate(wire)
