"""Work done once a test run, shared by every module and every xdist worker.

:func:`once_a_run` keeps the value ``make`` returns pickled in the run's temporary folder (the
folder above each xdist worker's own, or pytest's own without xdist); the first caller makes
it while holding a lock, later callers, in any worker, load it. Only for values that the
tests copy and never change, such as a trained model's registered row: asking twice for
``"model-CNY"`` in one run trains once and gives equal values.
"""

from __future__ import annotations

import fcntl
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

T = TypeVar("T")
_MADE: dict[str, Any] = {}


def once_a_run(factory: pytest.TempPathFactory, key: str, make: Callable[[Path], T]) -> T:
    """``make(folder)``'s value for ``key``, made once this run (``folder`` is a fresh
    temporary folder it may use)."""
    if key not in _MADE:
        base = factory.getbasetemp()
        shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
        path = shared / f"once-{key}.pickle"
        with (shared / f"once-{key}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not path.exists():
                made = make(factory.mktemp(key))
                path.with_suffix(".part").write_bytes(pickle.dumps(made))
                path.with_suffix(".part").replace(path)
            # Written above by this run's own tests, never read from anywhere else.
            _MADE[key] = pickle.loads(path.read_bytes())
    value: T = _MADE[key]
    return value
