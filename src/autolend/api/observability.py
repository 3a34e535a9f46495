"""Request ids, structured JSON logs without personal data, and Prometheus metrics.

Access logs record the route template (``/api/v1/customers/{customer_id}``), never the raw
path or query string, and a redaction filter masks anything shaped like a resident ID, a
mobile or a card number in any log message, as a second line of defence.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI, Request
from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_PII_PATTERNS = [
    re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])"),  # resident ID
    re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])"),  # CN mobile
    re.compile(r"(?<![0-9])[0-9]{12,19}(?![0-9])"),  # card / account numbers
]
_STANDARD_ATTRS = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message"}


def redact(text: str) -> str:
    for pattern in _PII_PATTERNS:
        text = pattern.sub("[redacted]", text)
    return text


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
            "request_id": request_id_var.get(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                payload[key] = redact(value) if isinstance(value, str) else value
        if record.exc_info and record.exc_info[0] is not None:
            payload["exception"] = record.exc_info[0].__name__
        return json.dumps(payload, ensure_ascii=False, default=str)


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger("autolend")
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    root.propagate = False


class Metrics:
    """Per-application registry, so that two apps in one process never share counters."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "autolend_http_requests_total",
            "HTTP requests",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "autolend_http_request_duration_seconds",
            "HTTP request latency",
            ["method", "route"],
            registry=self.registry,
        )


def _route_template(request: Request) -> str:
    """The matched route's full template, e.g. ``/api/v1/customers/{customer_id}``.

    FastAPI >= 0.16x includes routers lazily and leaves the route's own path
    (``/customers/{customer_id}``) in the scope, without the router prefix; the prefix is
    recovered as the part of the request path before the suffix the route matches.
    """
    route = request.scope.get("route")
    path = getattr(route, "path", None)
    if not isinstance(path, str):
        return "unmatched"
    regex = getattr(route, "path_regex", None)
    full = request.url.path
    root = request.scope.get("root_path", "")
    if root and full.startswith(root):
        full = full[len(root) :]
    if regex is None or regex.match(full):
        return path
    for cut in range(1, len(full)):
        if full[cut] == "/" and regex.match(full[cut:]):
            return full[:cut] + path
    return path


class _Observe:
    """Pure ASGI middleware (no task and stream per request, as ``@app.middleware`` would
    add): a request id for every request (the client's ``X-Request-ID`` when well formed),
    in the logs' context, in ``request.state`` and on the response; metrics by route
    template; one access-log line."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics
        self.access = logging.getLogger("autolend.access")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = Headers(scope=scope).get("x-request-id", "")
        rid = incoming if _VALID_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", []) if k != b"x-request-id"]
                message = {**message, "headers": [*headers, (b"x-request-id", rid.encode())]}
            await send(message)

        token = request_id_var.set(rid)
        started = time.perf_counter()
        try:
            await self.app(scope, receive, send_with_id)
            self._observe(Request(scope), status, time.perf_counter() - started)
        finally:
            request_id_var.reset(token)

    def _observe(self, request: Request, status: int, elapsed: float) -> None:
        route = _route_template(request)
        self.metrics.requests.labels(request.method, route, str(status)).inc()
        self.metrics.latency.labels(request.method, route).observe(elapsed)
        self.access.info(
            "request",
            extra={
                "method": request.method,
                "route": route,
                "status": status,
                "duration_ms": round(elapsed * 1000, 2),
            },
        )


def install_observability(app: FastAPI, metrics: Metrics) -> None:
    app.add_middleware(_Observe, metrics=metrics)
