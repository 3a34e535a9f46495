"""The sandbox bureau's HTTP service: reports, an error model like a real bureau, controls.

======================  ======  ====================================================
request                 status  answer
======================  ======  ====================================================
``POST /v1/reports``    200     the report (see :mod:`autolend.bureau_sandbox.reports`)
                        400     malformed: bad resident ID or SSN/ITIN, no name, unknown
                                purpose, or no consent reference
                                (``{"error": {"code", "message"}}``)
                        404     ``no_record``: the bureau has never seen this person
                        429/503 when told to fail (``fail_next`` or ``fail_rate``)
``GET /_control``       200     settings and counters (``requests``, ``served``, ``failed``)
``POST /_control``      200     change settings: ``latency_ms``, ``fail_rate`` (0..1),
                                ``fail_status`` (429 or 503), ``fail_next`` (the next N
                                report requests fail), ``report_date``, ``reset_counters``
======================  ======  ====================================================

The subject is a CN resident ID (18 characters) or a US SSN or ITIN (9 digits, with or
without hyphens: ``123-45-6789``; its never-issued forms refused as the platform refuses
them); the report of a US subject is in dollars (see :mod:`autolend.bureau_sandbox.reports`).

Every report request is counted on arrival, before the latency and any injected failure, so
a test can prove that the platform did (or did not) call.
"""

from __future__ import annotations

import asyncio
import random
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from autolend.bureau_sandbox.reports import build_report
from autolend.domain.bureau import QueryPurpose
from autolend.domain.errors import InvalidInput
from autolend.domain.identity import validate_resident_id
from autolend.domain.identity_us import validate_us_tin

# Nine digits, bare or as 123-45-6789: the shape of a US taxpayer ID, never a resident ID.
_TIN_SHAPE = re.compile(r"[0-9]{3}-?[0-9]{2}-?[0-9]{4}")


@dataclass
class Counters:
    requests: int = 0
    served: int = 0
    no_record: int = 0
    rejected: int = 0
    failed: int = 0


@dataclass
class Control:
    """How the sandbox behaves now; changed through ``POST /_control``."""

    latency_ms: int = 0
    fail_rate: float = 0.0
    fail_status: int = 503
    fail_next: int = 0
    report_date: date | None = None  # None: today (UTC)
    seed: int = 20261128
    counters: Counters = field(default_factory=Counters)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)  # noqa: S311 - failure injection, not security

    def should_fail(self) -> bool:
        if self.fail_next > 0:
            self.fail_next -= 1
            return True
        return self.fail_rate > 0 and self._rng.random() < self.fail_rate

    def as_of(self) -> date:
        return self.report_date or datetime.now(UTC).date()

    def view(self) -> dict[str, Any]:
        return {
            "latency_ms": self.latency_ms,
            "fail_rate": self.fail_rate,
            "fail_status": self.fail_status,
            "fail_next": self.fail_next,
            "report_date": self.as_of().isoformat(),
            "counters": asdict(self.counters),
        }


class ReportRequest(BaseModel):
    id_number: str = ""
    name: str = ""
    purpose: str = ""
    consent_reference: str = ""


class ControlChange(BaseModel):
    latency_ms: int | None = Field(None, ge=0, le=600_000)
    fail_rate: float | None = Field(None, ge=0, le=1)
    fail_status: int | None = Field(None, ge=429, le=504)
    fail_next: int | None = Field(None, ge=0)
    report_date: date | None = None
    reset_counters: bool = False


def _error_response(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def subject_id(id_number: str, as_of: date) -> str:
    """The subject's ID as the bureau files it: a US SSN or ITIN as its 9 digits, a
    resident ID upper-cased; InvalidInput when it is neither.

    >>> subject_id("123-45-6788", date(2026, 11, 28)), subject_id("11010519491231002x",
    ...     date(2026, 11, 28))
    ('123456788', '11010519491231002X')
    """
    text = id_number.strip()
    if _TIN_SHAPE.fullmatch(text):
        return validate_us_tin(text)
    validate_resident_id(text, as_of=as_of)
    return text.upper()


def _malformed(body: ReportRequest, as_of: date) -> str | None:
    """Why the bureau refuses the request (HTTP 400), or None."""
    try:
        subject_id(body.id_number, as_of)
    except InvalidInput as error:
        return f"id_number: {error.message}"
    if not body.name.strip():
        return "name is required"
    if body.purpose not in {p.value for p in QueryPurpose}:
        return f"purpose {body.purpose!r} is not a permitted query reason"
    if not body.consent_reference.strip():
        return "consent_reference is required: no query without the subject's authorisation"
    return None


def create_sandbox_app(control: Control | None = None) -> FastAPI:
    """The sandbox application around a :class:`Control` (one per process)."""
    app = FastAPI(title="bureau sandbox", docs_url=None, redoc_url=None)
    app.state.control = control or Control()

    @app.exception_handler(RequestValidationError)
    async def bad_body(_request: Request, _error: Exception) -> JSONResponse:
        return _error_response(400, "malformed_request", "the request body is not a report query")

    @app.post("/v1/reports")
    async def report(body: ReportRequest, request: Request) -> JSONResponse:
        ctl: Control = request.app.state.control
        ctl.counters.requests += 1
        if ctl.latency_ms:
            await asyncio.sleep(ctl.latency_ms / 1000)
        if ctl.should_fail():
            ctl.counters.failed += 1
            busy = "the bureau is busy; try again later"
            return _error_response(ctl.fail_status, "unavailable", busy)
        return _answer(ctl, body)

    @app.get("/_control")
    async def show(request: Request) -> dict[str, Any]:
        ctl: Control = request.app.state.control
        return ctl.view()

    @app.post("/_control")
    async def change(body: ControlChange, request: Request) -> dict[str, Any]:
        ctl: Control = request.app.state.control
        for name in ("latency_ms", "fail_rate", "fail_status", "fail_next", "report_date"):
            value = getattr(body, name)
            if value is not None:
                setattr(ctl, name, value)
        if body.reset_counters:
            ctl.counters = Counters()
        return ctl.view()

    return app


def _answer(ctl: Control, body: ReportRequest) -> JSONResponse:
    as_of = ctl.as_of()
    problem = _malformed(body, as_of)
    if problem is not None:
        ctl.counters.rejected += 1
        return _error_response(400, "malformed_request", problem)
    found = build_report(subject_id(body.id_number, as_of), body.name.strip(), as_of)
    if found is None:
        ctl.counters.no_record += 1
        return _error_response(404, "no_record", "the bureau holds no record for this person")
    ctl.counters.served += 1
    return JSONResponse(found)


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    latency_ms: int = 0,
    fail_rate: float = 0.0,
    fail_status: int = 503,
) -> None:
    """Run the sandbox with uvicorn until interrupted."""
    import uvicorn  # noqa: PLC0415 - only the server process needs it

    control = Control(latency_ms=latency_ms, fail_rate=fail_rate, fail_status=fail_status)
    uvicorn.run(create_sandbox_app(control), host=host, port=port, log_level="warning")
