"""Server-rendered web UI (placeholder until the web shell lands)."""

from __future__ import annotations

from fastapi import FastAPI

from autolend.config import Settings
from autolend.services.registry import Services


def mount_web(app: FastAPI, services: Services, settings: Settings) -> None:
    """Mount the web UI routes and static files on ``app``."""
    del app, services, settings
