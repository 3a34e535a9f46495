"""The FastAPI application: JSON API under /api/v1, health and metrics at the root."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

import autolend
from autolend.api.errors import install_error_handlers
from autolend.api.observability import Metrics, configure_logging, install_observability
from autolend.api.routes import audit, auth, customers, health, users
from autolend.config import Settings
from autolend.services.registry import Services

API_PREFIX = "/api/v1"


def build_api(services: Services, settings: Settings) -> FastAPI:
    configure_logging(settings.log_level)
    app = FastAPI(
        title="autolend API",
        version=autolend.__version__,
        description="Auto-finance lending platform: origination, servicing, risk, reporting.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    app.state.services = services
    app.state.settings = settings
    app.state.metrics = Metrics()
    install_error_handlers(app)
    install_observability(app, app.state.metrics)
    app.include_router(health.router)
    api = APIRouter(prefix=API_PREFIX)
    for module in (auth, users, customers, audit):
        api.include_router(module.router)
    app.include_router(api)
    return app
