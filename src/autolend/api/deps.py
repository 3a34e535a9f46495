"""Who is calling: one dependency resolves the actor, one checks a permission."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from autolend.config import Settings
from autolend.domain.access import Actor, Permission
from autolend.domain.errors import AuthenticationFailed, PermissionDenied
from autolend.services.registry import Services

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def _services(request: Request) -> Services:
    # async: FastAPI runs a plain ``def`` dependency in the thread pool, a hand-off per
    # dependency per request, which is not worth it for an attribute read.
    return get_services(request)


ServicesDep = Annotated[Services, Depends(_services)]


def current_actor(
    request: Request,
    services: ServicesDep,
    token: Annotated[str | None, Depends(oauth2_scheme)],
) -> Actor:
    """The signed-in user behind the bearer token, or 401."""
    if not token:
        raise AuthenticationFailed("sign in first: send 'Authorization: Bearer <token>'")
    return services.auth.actor_for_token(token, getattr(request.state, "request_id", None))


ActorDep = Annotated[Actor, Depends(current_actor)]


def require(permission: Permission) -> Callable[[Actor], Awaitable[Actor]]:
    """Dependency factory: the actor, if their roles grant ``permission``; else 403."""

    async def check(actor: ActorDep) -> Actor:  # async: no thread hand-off for a set lookup
        if not actor.can(permission):
            raise PermissionDenied(f"this needs the permission '{permission.value}'")
        return actor

    return check
