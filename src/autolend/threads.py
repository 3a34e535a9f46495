"""Thread budgets of a server process: one for the platform's own blocking work, one for
requests that wait on the credit bureau.

Plain ``def`` routes run on anyio's default thread pool, bounded to
``AUTOLEND_WORKER_THREADS`` (8) per process. A bureau query can take its whole timeout and
retries (2 s x 3 attempts + back-off = 6.6 s with the defaults) before the circuit breaker
opens; on the shared pool, 8 submits waiting on a hanging bureau would leave no thread for a
loan page, a repayment or a sign-in. So the routes that call the bureau (an application's
submit, a bureau query) run their blocking part on a pool of their own,
``AUTOLEND_BUREAU_THREADS`` (8) per process: a hanging bureau then holds up only the requests
that need it. Example: worker threads 2, bureau threads 8, the bureau answering after 3 s:
five submits in flight and a loan list answers at once, not after the first submit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import anyio.to_thread

__all__ = ["BUREAU_LIMITER", "calling_the_bureau"]

BUREAU_LIMITER = "bureau_limiter"  # the attribute of ``app.state`` that holds it
T = TypeVar("T")


async def calling_the_bureau(app_state: Any, call: Callable[[], T]) -> T:
    """Run ``call`` (blocking: it queries the bureau) on the bureau's threads; on the
    default pool when the app was not started through its lifespan (no limiter set)."""
    limiter = getattr(app_state, BUREAU_LIMITER, None)
    return await anyio.to_thread.run_sync(call, limiter=limiter)
