"""argon2id password hashing (argon2-cffi).

Parameters meet OWASP's password storage guidance for argon2id (m >= 19 MiB, t >= 2, p = 1);
we use m = 19 MiB, t = 2, p = 1 as the floor and let configuration raise them.
"""

from __future__ import annotations

from argon2 import PasswordHasher as _Argon2
from argon2 import Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

OWASP_MEMORY_KIB = 19 * 1024
OWASP_TIME_COST = 2


class Argon2PasswordHasher:
    def __init__(
        self, memory_kib: int = OWASP_MEMORY_KIB, time_cost: int = OWASP_TIME_COST
    ) -> None:
        if memory_kib < OWASP_MEMORY_KIB or time_cost < OWASP_TIME_COST:
            raise ValueError("argon2id parameters below the OWASP floor (19 MiB, 2 passes)")
        self._argon = _Argon2(
            time_cost=time_cost, memory_cost=memory_kib, parallelism=1, type=Type.ID
        )

    def hash(self, password: str) -> str:
        return self._argon.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._argon.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        try:
            return self._argon.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True
