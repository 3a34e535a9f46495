"""Sign-in (OAuth2 password form), sign-out and "who am I"."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from autolend.api.deps import ActorDep, ServicesDep, oauth2_scheme
from autolend.api.errors import SIGN_IN_RESPONSES
from autolend.api.schemas import MeResponse, TokenResponse

router = APIRouter(tags=["auth"])


@router.post("/auth/token", response_model=TokenResponse, responses=SIGN_IN_RESPONSES)
def sign_in(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    services: ServicesDep,
) -> TokenResponse:
    """Exchange a user name and password (an OAuth2 password form,
    ``application/x-www-form-urlencoded``) for a short-lived bearer token; send it as
    ``Authorization: Bearer <token>``. No sign-in needed, of course; repeated failures
    lock the user out for a while (429).

    Example: ``curl -d username=servicing -d password=... /api/v1/auth/token``."""
    request_id = getattr(request.state, "request_id", None)  # a lock-out's record carries it
    user = services.auth.authenticate(form.username, form.password, request_id)
    issued = services.auth.issue_token(user)
    return TokenResponse(access_token=issued.access_token, expires_at=issued.expires_at)


@router.post("/auth/logout", status_code=204)
def sign_out(
    _actor: ActorDep, services: ServicesDep, token: Annotated[str, Depends(oauth2_scheme)]
) -> Response:
    """Revoke the bearer token used for this call (204); any signed-in user."""
    services.auth.revoke_token(token)
    return Response(status_code=204)


@router.get("/me", response_model=MeResponse)
def me(actor: ActorDep) -> MeResponse:
    """The signed-in user: roles, the permissions they grant, and the dealer for a dealer
    user. Any signed-in user."""
    return MeResponse(
        id=actor.user_id,
        username=actor.username,
        roles=[r.value for r in actor.roles],
        permissions=sorted(p.value for p in actor.permissions),
        dealer_id=actor.dealer_id,
    )
