"""Who is calling: one dependency resolves the actor, one checks a permission."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Header, Request
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


class Require:
    """Dependency: the actor, if their roles grant ``permission``; else 403. A class, not a
    closure, so the OpenAPI document can name the permission (and the roles holding it)
    on every operation that depends on it: ``Depends(Require(Permission.LOAN_BOOK))``."""

    def __init__(self, permission: Permission) -> None:
        self.permission = permission

    async def __call__(self, actor: ActorDep) -> Actor:  # async: no thread hand-off
        if not actor.can(self.permission):
            raise PermissionDenied(f"this needs the permission '{self.permission.value}'")
        return actor


def require(permission: Permission) -> Callable[[Actor], Awaitable[Actor]]:
    """Dependency factory: the actor, if their roles grant ``permission``; else 403."""
    return Require(permission)


IDEMPOTENCY_KEY_REQUIRED = (
    "Required (every money-moving POST): a value unique to this request, such as a UUID; "
    "at most 128 characters. A retry with the same key and body answers the first "
    "response again, with the header `Idempotent-Replayed: true`, and moves nothing "
    "twice; the same key with another body is refused (422 `idempotency_key_reused`). "
    "A request without one is refused (422, `field` `Idempotency-Key`)."
)
_KEY_EXAMPLE = "5f0c3a8e-2b7d-4e61-9c1a-8d2f4b6e7a90"
# Optional to FastAPI on purpose: the route reports a missing key in the same 422 as the
# body's other wrong fields; the OpenAPI document marks it required (api/openapi_doc).
KeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=128,
        description=IDEMPOTENCY_KEY_REQUIRED,
        examples=[_KEY_EXAMPLE],
    ),
]
OptionalKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=128,
        description="Optional: with one, a retry answers the first response again "
        "(`Idempotent-Replayed: true`) instead of a 409 for a decision already taken.",
        examples=[_KEY_EXAMPLE],
    ),
]
