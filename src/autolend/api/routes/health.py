"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import hmac
import logging

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from autolend.api.deps import get_services, get_settings
from autolend.api.errors import error_response
from autolend.api.schema_contract_responses import Liveness, Readiness
from autolend.domain.access import Permission
from autolend.domain.errors import DomainError

router = APIRouter(tags=["health"])
log = logging.getLogger("autolend.health")


@router.get("/healthz", response_model=None, responses={200: {"model": Liveness}})
def liveness() -> dict[str, str]:
    """The process is up and serving."""
    return {"status": "ok"}


@router.get("/readyz", responses={200: {"model": Readiness}})
def readiness(request: Request) -> JSONResponse:
    """The database answers; 503 otherwise, so a load balancer stops sending traffic."""
    try:
        get_services(request).readiness.check()
    except Exception as error:  # any failure to reach the database means "not ready"
        log.warning("database not reachable", extra={"error_type": type(error).__name__})
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, 503)
    return JSONResponse({"status": "ok", "database": "ok"})


@router.get("/metrics")
def metrics(request: Request) -> Response:
    """Prometheus exposition; needs the metrics token or a user with ``metrics:read``."""
    header = request.headers.get("authorization", "")
    token = header[7:] if header.lower().startswith("bearer ") else ""
    expected = get_settings(request).metrics_token
    allowed = bool(expected) and bool(token) and hmac.compare_digest(token, expected or "")
    if not allowed and token:
        try:
            actor = get_services(request).auth.actor_for_token(token)
            allowed = actor.can(Permission.METRICS_READ)
        except DomainError:
            allowed = False
    if not allowed:
        status = 403 if token else 401
        return error_response(
            status,
            "forbidden" if token else "unauthorized",
            "metrics need the metrics token or the metrics:read permission",
        )
    body = generate_latest(request.app.state.metrics.registry)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
