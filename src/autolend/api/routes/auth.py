"""Sign-in (OAuth2 password form), sign-out and "who am I"."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response
from fastapi.security import OAuth2PasswordRequestForm

from autolend.api.deps import ActorDep, ServicesDep, oauth2_scheme
from autolend.api.schemas import MeResponse, TokenResponse

router = APIRouter(tags=["auth"])


@router.post("/auth/token", response_model=TokenResponse)
def sign_in(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], services: ServicesDep
) -> TokenResponse:
    """Exchange a user name and password for a short-lived bearer token."""
    user = services.auth.authenticate(form.username, form.password)
    issued = services.auth.issue_token(user)
    return TokenResponse(access_token=issued.access_token, expires_at=issued.expires_at)


@router.post("/auth/logout", status_code=204)
def sign_out(
    _actor: ActorDep, services: ServicesDep, token: Annotated[str, Depends(oauth2_scheme)]
) -> Response:
    """Revoke the bearer token used for this call."""
    services.auth.revoke_token(token)
    return Response(status_code=204)


@router.get("/me", response_model=MeResponse)
def me(actor: ActorDep) -> MeResponse:
    return MeResponse(
        id=actor.user_id,
        username=actor.username,
        roles=[r.value for r in actor.roles],
        permissions=sorted(p.value for p in actor.permissions),
        dealer_id=actor.dealer_id,
    )
