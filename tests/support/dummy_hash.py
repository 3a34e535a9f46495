"""The sign-in service's dummy hash, made once a test run instead of once per container.

:class:`~autolend.services.auth.AuthService` hashes a random secret with argon2id when it is
built, so that signing in as an unknown user costs the same work as a known one (no user
enumeration by timing). Every integration test builds a container, so a run did that some
2,000 times (28 ms of CPU each). Within :func:`one_dummy_hash_a_run` a service gets a hash
made, by its own hasher, of one random secret drawn per run and per argon2 parameters: still
a real argon2id hash of a secret nobody knows, so an unknown user is still checked against
it and still refused. Only the building of the service is touched; every later call goes to
the service's hasher as given.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from autolend.adapters.security.passwords import Argon2PasswordHasher
from autolend.services.auth import AuthService

_DUMMIES: dict[tuple[int, int], str] = {}


class _WhileBuilding:
    """A hasher that, until ``built`` is set, hashes with the run's dummy secret; then it
    passes every call to ``hasher`` unchanged."""

    def __init__(self, hasher: Any) -> None:
        self._hasher = hasher
        self.built = False

    def hash(self, password: str) -> str:
        if self.built or not isinstance(self._hasher, Argon2PasswordHasher):
            return str(self._hasher.hash(password))
        argon = self._hasher._argon
        key = (argon.time_cost, argon.memory_cost)
        if key not in _DUMMIES:
            _DUMMIES[key] = self._hasher.hash(secrets.token_urlsafe(16))
        return _DUMMIES[key]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._hasher, name)


@contextmanager
def one_dummy_hash_a_run() -> Iterator[None]:
    """Within the block, each :class:`AuthService` built gets the run's dummy hash."""
    build = AuthService.__init__

    def building(self: AuthService, uow_factory: Any, hasher: Any, *rest: Any) -> None:
        wrapped = _WhileBuilding(hasher)
        build(self, uow_factory, wrapped, *rest)
        wrapped.built = True

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(AuthService, "__init__", building)
        yield
