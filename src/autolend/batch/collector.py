"""Python's cyclic garbage collector held off while a partition is read, computed and
written in bulk.

A bulk partition creates a few million small container objects (the rows read, the
book's lists, the entries' tuples) that hold no reference cycles: reference counting
frees every one of them when the partition is done. The cyclic collector does not know
that; it runs every 700 allocations and traverses the young objects each time, which
cost about a fifth of a 100,000-loan day on PostgreSQL (13.3 s with it, 10.7 s without,
measured 2026-11-28, docs/benchmarks.md). :func:`cyclic_gc_paused` switches automatic
collection off for the block and back on when the last block running in the process
leaves (partitions may run on several threads at once, and ``gc`` is per process);
it never turns on a collector that was off before the first block entered.

Example::

    with cyclic_gc_paused():
        write = bulk_day(loans, loan_ids)  # no collector pauses in here
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["cyclic_gc_paused"]

_LOCK = threading.Lock()
_state = {"inside": 0, "was_enabled": False}


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Automatic cyclic collection off for the block (module docstring)."""
    with _LOCK:
        if _state["inside"] == 0:
            _state["was_enabled"] = gc.isenabled()
            gc.disable()
        _state["inside"] += 1
    try:
        yield
    finally:
        with _LOCK:
            _state["inside"] -= 1
            if _state["inside"] == 0 and _state["was_enabled"]:
                gc.enable()
