"""User administration: creating users with roles, listing and disabling them.

Passwords are hashed with argon2id before they reach a repository; there is no default
password outside demo mode.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from autolend.domain.access import Actor, Permission, Role, parse_roles
from autolend.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from autolend.services.audit import record_change
from autolend.services.ports import Clock, NewUser, PasswordHasher, UnitOfWorkFactory, UserRecord

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
MIN_PASSWORD = 8
MAX_PASSWORD = 128


def check_password_policy(password: str, username: str) -> None:
    """At least 8 and at most 128 characters, and not the user name (OWASP ASVS 2.1)."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InvalidInput(
            f"password must have {MIN_PASSWORD} to {MAX_PASSWORD} characters", field="password"
        )
    if password.lower() == username.lower():
        raise InvalidInput("password must differ from the user name", field="password")


class UserService:
    def __init__(self, uow_factory: UnitOfWorkFactory, hasher: PasswordHasher, clock: Clock):
        self._uow = uow_factory
        self._hasher = hasher
        self._clock = clock

    def create(
        self,
        actor: Actor,
        *,
        username: str,
        password: str,
        roles: Sequence[str],
        dealer_code: str | None = None,
        display_name: str | None = None,
    ) -> UserRecord:
        if not actor.can(Permission.USER_ADMIN):
            raise PermissionDenied("only an administrator may create users")
        if not USERNAME.fullmatch(username):
            raise InvalidInput(
                "user name: 2-64 lower-case letters, digits, '.', '_' or '-'", field="username"
            )
        check_password_policy(password, username)
        parsed = parse_roles(roles)
        with self._uow(write=True) as uow:
            if uow.users.by_username(username) is not None:
                raise Conflict(f"user {username!r} already exists", field="username")
            dealer_id = self._dealer_id(uow.dealers.by_code, parsed, dealer_code)
            user_id = uow.users.add(
                NewUser(
                    username,
                    self._hasher.hash(password),
                    parsed,
                    dealer_id,
                    display_name,
                    self._clock.now(),
                )
            )
            record_change(
                uow,
                self._clock,
                actor,
                action="user.create",
                object_type="user",
                object_id=user_id,
                summary={"username": username, "roles": ",".join(r.value for r in parsed)},
            )
            user = uow.users.by_id(user_id)
            uow.commit()
        assert user is not None
        return user

    @staticmethod
    def _dealer_id(
        lookup: Callable[[str], int | None], roles: tuple[Role, ...], dealer_code: str | None
    ) -> int | None:
        if Role.DEALER not in roles:
            if dealer_code:  # it was dropped without a word: the operator meant something
                raise InvalidInput("only a dealer user has a dealer code", field="dealer_code")
            return None
        if not dealer_code:
            raise InvalidInput("a dealer user needs a dealer code", field="dealer_code")
        dealer_id = lookup(dealer_code)
        if dealer_id is None:
            raise InvalidInput(f"unknown dealer code {dealer_code!r}", field="dealer_code")
        return int(dealer_id)

    def list(self, actor: Actor) -> list[UserRecord]:
        if not actor.can(Permission.USER_READ):
            raise PermissionDenied("your role may not list users")
        with self._uow() as uow:
            return uow.users.list_all()

    def dealer_names(self, actor: Actor, users: Sequence[UserRecord]) -> dict[int, str]:
        """The names of the dealers the ``users`` work for, by dealer id, for the users
        page to say "Columbus Auto Mall" where it said 1; a dealer since removed has none.
        Example: users ``dealer`` (dealer 1) and ``admin`` (none) give ``{1: "Columbus
        Auto Mall"}``."""
        if not actor.can(Permission.USER_READ):
            raise PermissionDenied("your role may not list users")
        wanted = sorted({user.dealer_id for user in users if user.dealer_id is not None})
        with self._uow() as uow:
            names = {dealer_id: uow.dealers.name_of(dealer_id) for dealer_id in wanted}
        return {dealer_id: name for dealer_id, name in names.items() if name is not None}

    def set_active(self, actor: Actor, user_id: int, active: bool) -> UserRecord:
        if not actor.can(Permission.USER_ADMIN):
            raise PermissionDenied("only an administrator may enable or disable users")
        with self._uow(write=True) as uow:
            user = uow.users.by_id(user_id)
            if user is None:
                raise NotFound("user not found")
            uow.users.set_active(user_id, active)
            record_change(
                uow,
                self._clock,
                actor,
                action="user.enable" if active else "user.disable",
                object_type="user",
                object_id=user_id,
                summary={"before": user.is_active, "after": active},
            )
            updated = uow.users.by_id(user_id)
            uow.commit()
        assert updated is not None
        return updated
