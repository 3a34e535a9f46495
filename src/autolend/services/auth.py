"""Sign-in, bearer tokens and web sessions.

Rules:
- A wrong password counts a failure; after ``max_failures`` in a row the account is locked
  for ``lockout`` (e.g. 5 failures -> locked 15 minutes). A locked account answers "too many
  attempts" even with the right password, so the lock cannot be used to guess.
- An unknown user name costs the same hashing work as a known one (no user enumeration by
  timing) and answers the same message.
- A disabled user, a revoked token or an ended session is refused.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from autolend.domain.access import Actor
from autolend.domain.errors import AuthenticationFailed, TooManyAttempts
from autolend.services.audit import record_change
from autolend.services.ports import (
    Clock,
    PasswordHasher,
    TokenIssuer,
    UnitOfWorkFactory,
    UserRecord,
    WebSessionRecord,
)

BAD_CREDENTIALS = "user name or password is wrong"


@dataclass(frozen=True)
class SignInPolicy:
    max_failures: int = 5
    lockout: timedelta = timedelta(minutes=15)
    session_ttl: timedelta = timedelta(hours=8)


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_at: datetime


@dataclass(frozen=True)
class WebSession:
    token: str
    csrf_token: str
    expires_at: datetime


def actor_of(user: UserRecord, request_id: str | None = None) -> Actor:
    return Actor(
        user_id=user.id,
        username=user.username,
        roles=user.roles,
        dealer_id=user.dealer_id,
        request_id=request_id,
    )


def _session_key(token: str) -> str:
    # Only a hash of the cookie value is stored, so a database read does not yield sessions.
    return hashlib.sha256(token.encode()).hexdigest()


class AuthService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        hasher: PasswordHasher,
        tokens: TokenIssuer,
        clock: Clock,
        policy: SignInPolicy,
    ) -> None:
        self._uow = uow_factory
        self._hasher = hasher
        self._tokens = tokens
        self._clock = clock
        self._policy = policy
        self._dummy_hash = hasher.hash(secrets.token_urlsafe(16))

    def authenticate(
        self, username: str, password: str, request_id: str | None = None
    ) -> UserRecord:
        """Check a password; count failures and lock out; one transaction either way. A
        lock-out's audit record carries ``request_id``, the sign-in request's."""
        now = self._clock.now()
        with self._uow(write=True) as uow:
            user = uow.users.by_username(username, for_update=True)
            if user is None or not user.is_active:
                self._hasher.verify(self._dummy_hash, password)
                raise AuthenticationFailed(BAD_CREDENTIALS)
            if user.locked_until is not None and user.locked_until > now:
                raise TooManyAttempts("too many failed sign-ins; try again later")
            if not self._hasher.verify(user.password_hash, password):
                failed = user.failed_sign_ins + 1
                locked = now + self._policy.lockout if failed >= self._policy.max_failures else None
                uow.users.record_failure(user.id, 0 if locked else failed, locked)
                if locked is not None:
                    record_change(
                        uow,
                        self._clock,
                        actor_of(user, request_id),
                        action="user.locked",
                        object_type="user",
                        object_id=user.id,
                        summary={"failures": failed},
                    )
                uow.commit()
                raise AuthenticationFailed(BAD_CREDENTIALS)
            if user.failed_sign_ins or user.locked_until is not None:
                uow.users.record_success(user.id)
            if self._hasher.needs_rehash(user.password_hash):
                uow.users.set_password(user.id, self._hasher.hash(password), now)
            uow.commit()
            return user

    def issue_token(self, user: UserRecord) -> IssuedToken:
        token, expires_at = self._tokens.issue(user.id, user.roles, self._clock.now())
        return IssuedToken(access_token=token, expires_at=expires_at)

    def actor_for_token(self, token: str, request_id: str | None = None) -> Actor:
        claims = self._tokens.read(token, self._clock.now())
        with self._uow() as uow:
            user, revoked = uow.users.for_token(claims.user_id, claims.jti)
        if revoked:
            raise AuthenticationFailed("token has been revoked")
        if user is None or not user.is_active:
            raise AuthenticationFailed("user is disabled or unknown")
        return actor_of(user, request_id)

    def revoke_token(self, token: str) -> None:
        claims = self._tokens.read(token, self._clock.now())
        with self._uow(write=True) as uow:
            uow.tokens.revoke(claims.jti, claims.user_id, claims.expires_at)
            uow.commit()

    def start_session(self, user: UserRecord, request_id: str | None = None) -> WebSession:
        """A web session for ``user``, recorded (``session.start``) with ``request_id``,
        the sign-in request's, as every other record carries its request's."""
        now = self._clock.now()
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        expires = now + self._policy.session_ttl
        with self._uow(write=True) as uow:
            uow.sessions.add(
                _session_key(token), WebSessionRecord(user.id, csrf, expires, None), now
            )
            record_change(
                uow,
                self._clock,
                actor_of(user, request_id),
                action="session.start",
                object_type="user",
                object_id=user.id,
            )
            uow.commit()
        return WebSession(token=token, csrf_token=csrf, expires_at=expires)

    def session_actor(self, token: str, request_id: str | None = None) -> tuple[Actor, str]:
        """The actor of a live web session and its CSRF token."""
        now = self._clock.now()
        with self._uow() as uow:
            record = uow.sessions.get(_session_key(token))
            if record is None or record.revoked_at is not None or record.expires_at <= now:
                raise AuthenticationFailed("session has ended; please sign in again")
            user = uow.users.by_id(record.user_id)
        if user is None or not user.is_active:
            raise AuthenticationFailed("user is disabled or unknown")
        return actor_of(user, request_id), record.csrf_token

    def end_session(self, token: str, actor: Actor) -> None:
        with self._uow(write=True) as uow:
            uow.sessions.revoke(_session_key(token), self._clock.now())
            record_change(
                uow,
                self._clock,
                actor,
                action="session.end",
                object_type="user",
                object_id=actor.user_id,
            )
            uow.commit()
