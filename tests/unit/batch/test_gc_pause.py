"""The cyclic collector is held off during bulk partitions and restored after
(autolend.batch.collector)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from autolend.batch.collector import cyclic_gc_paused


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_the_collector_is_off_inside_the_block_and_back_on_after_it() -> None:
    gc.enable()
    with cyclic_gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_comes_back_when_the_block_raises() -> None:
    gc.enable()
    with pytest.raises(RuntimeError), cyclic_gc_paused():
        raise RuntimeError("a partition failed")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with cyclic_gc_paused():
        pass
    assert not gc.isenabled()


def test_the_collector_stays_off_until_the_last_of_two_threads_leaves() -> None:
    gc.enable()
    first_in, second_left = threading.Event(), threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with cyclic_gc_paused():
            first_in.set()
            second_left.wait(5)
            seen.append(gc.isenabled())  # the other thread has left: still off for us

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with cyclic_gc_paused():
        pass
    second_left.set()
    thread.join(5)
    assert seen == [False]
    assert gc.isenabled()
