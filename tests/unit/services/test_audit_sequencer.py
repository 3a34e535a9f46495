"""The audit sequencer's thread: it chains after being told, keeps going after a failed
step, and chains what is left when it stops."""

from __future__ import annotations

import threading

import pytest

from autolend.services.audit_sequencer import AuditSequencer


class Chain:
    """Stands in for ``AuditService.chain_queued``: counts calls, can fail once."""

    def __init__(self, *, fail_first: bool = False) -> None:
        self.calls = 0
        self.fail_next = fail_first
        self.called = threading.Event()

    def __call__(self) -> int:
        self.calls += 1
        self.called.set()
        if self.fail_next:
            self.fail_next = False
            raise RuntimeError("database went away")
        return 0


def test_the_sequencer_chains_once_at_start_again_when_told_and_once_more_at_stop() -> None:
    chain = Chain()
    sequencer = AuditSequencer(chain, gather_seconds=0)
    sequencer.start()
    assert chain.called.wait(5), "leftovers of an earlier process are chained at start"
    chain.called.clear()
    sequencer.notify()
    assert chain.called.wait(5)
    calls = chain.calls
    sequencer.stop()
    assert chain.calls == calls + 1


def test_a_failed_step_is_logged_and_the_next_notice_chains_again(
    caplog: pytest.LogCaptureFixture,
) -> None:
    chain = Chain(fail_first=True)
    sequencer = AuditSequencer(chain, gather_seconds=0)
    sequencer.start()
    assert chain.called.wait(5)
    chain.called.clear()
    sequencer.notify()
    assert chain.called.wait(5), "the thread survived the failed step"
    sequencer.stop()
    assert "chaining the audit queue failed" in caplog.text
