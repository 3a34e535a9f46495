"""The real argon2id hasher, remembering what it has already worked out in this test run.

Nearly every integration test signs staff in: the ``staff`` fixture stores one user per
role (nine argon2id hashes at the OWASP floor, about 80 ms each on this machine) and each
sign-in verifies one (as long again). The same nine passwords are hashed and checked a
thousand times over a run, some 15 CPU-minutes of it. ``remembering`` wraps
:class:`~autolend.adapters.security.passwords.Argon2PasswordHasher` so that a password
hashed once gives the same (real, salted once) argon2id hash again, and a (hash,
password) pair checked once gives the same answer: the first call of each still runs
argon2, and a wrong password is still refused every time. Servers the end-to-end tests
start in their own processes are untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from autolend.adapters.security.passwords import Argon2PasswordHasher


def _remembered(method: Callable[..., Any]) -> Callable[..., Any]:
    seen: dict[tuple[Any, ...], Any] = {}

    def call(self: Argon2PasswordHasher, *args: Any) -> Any:
        key = (self._argon.time_cost, self._argon.memory_cost, *args)
        if key not in seen:
            seen[key] = method(self, *args)
        return seen[key]

    return call


@contextmanager
def remembering() -> Iterator[None]:
    """Within the block, :class:`Argon2PasswordHasher` remembers its hashes and checks."""
    with pytest.MonkeyPatch.context() as patch:
        for name in ("hash", "verify"):
            patch.setattr(
                Argon2PasswordHasher, name, _remembered(getattr(Argon2PasswordHasher, name))
            )
        yield
