"""User administration (admin role)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from autolend.api.deps import ServicesDep, require
from autolend.api.schemas import UserCreate, UserResponse, UserUpdate
from autolend.domain.access import Actor, Permission
from autolend.services.ports import UserRecord

router = APIRouter(tags=["users"])
MAX_ID = 2**63 - 1


def _out(user: UserRecord) -> UserResponse:
    return UserResponse(
        id=user.id,
        username=user.username,
        roles=[r.value for r in user.roles],
        dealer_id=user.dealer_id,
        display_name=user.display_name,
        is_active=user.is_active,
    )


@router.get("/users", response_model=list[UserResponse])
def list_users(
    actor: Annotated[Actor, Depends(require(Permission.USER_READ))], services: ServicesDep
) -> list[UserResponse]:
    """Every user with their roles and whether they may sign in."""
    return [_out(u) for u in services.users.list(actor)]


@router.post("/users", response_model=UserResponse, status_code=201)
def create_user(
    body: UserCreate,
    actor: Annotated[Actor, Depends(require(Permission.USER_ADMIN))],
    services: ServicesDep,
) -> UserResponse:
    """Create a user with ``roles``; a dealer user names its dealer by ``dealer_code``.
    409 when the user name is taken."""
    user = services.users.create(
        actor,
        username=body.username,
        password=body.password,
        roles=body.roles,
        dealer_code=body.dealer_code,
        display_name=body.display_name,
    )
    return _out(user)


@router.patch("/users/{user_id}", response_model=UserResponse)
def update_user(
    body: UserUpdate,
    actor: Annotated[Actor, Depends(require(Permission.USER_ADMIN))],
    services: ServicesDep,
    user_id: Annotated[int, Path(ge=1, le=MAX_ID, description="The user's id", examples=[2])],
) -> UserResponse:
    """Activate or deactivate a user (``is_active``); a deactivated user's tokens stop
    working."""
    return _out(services.users.set_active(actor, user_id, body.is_active))
