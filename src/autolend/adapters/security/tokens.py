"""Short-lived signed bearer tokens (JWT, HS256, PyJWT).

Only HS256 is accepted when reading, so ``alg: none`` and algorithm-confusion tokens fail;
audience, issuer, expiry and issued-at are required.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import jwt

from autolend.domain.access import Role
from autolend.domain.errors import AuthenticationFailed
from autolend.services.ports import TokenClaims

ISSUER = "autolend"
ALGORITHM = "HS256"


class JwtTokenIssuer:
    def __init__(self, secret: str, *, audience: str, ttl: timedelta) -> None:
        if len(secret.encode()) < 32:
            raise ValueError("the token secret must be at least 32 bytes")
        self._secret = secret
        self._audience = audience
        self._ttl = ttl

    def issue(self, user_id: int, roles: Sequence[Role], now: datetime) -> tuple[str, datetime]:
        expires = now + self._ttl
        claims = {
            "sub": str(user_id),
            "roles": [r.value for r in roles],
            "aud": self._audience,
            "iss": ISSUER,
            "iat": int(now.timestamp()),
            "exp": int(expires.timestamp()),
            "jti": secrets.token_hex(16),
        }
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM), expires

    def read(self, token: str, now: datetime) -> TokenClaims:
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                audience=self._audience,
                issuer=ISSUER,
                options={
                    "require": ["exp", "iat", "sub", "aud", "iss", "jti"],
                    "verify_exp": False,
                },
            )
        except jwt.PyJWTError as error:
            raise AuthenticationFailed(f"invalid token: {error}") from None
        expires_at = datetime.fromtimestamp(int(claims["exp"]), tz=UTC)
        # Expiry is checked against the injected clock, not the wall clock, so tests and
        # the business date stay in control of time.
        if expires_at <= now:
            raise AuthenticationFailed("token has expired")
        try:
            user_id = int(claims["sub"])
        except (TypeError, ValueError):
            raise AuthenticationFailed("invalid token subject") from None
        return TokenClaims(user_id=user_id, jti=str(claims["jti"]), expires_at=expires_at)
