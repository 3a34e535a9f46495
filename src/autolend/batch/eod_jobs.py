"""End of day started from the end-of-day page (:class:`~autolend.services.eod_ports.EodJobs`).

The run goes on in a thread of the serving process, as ``autolend eod --through D``
would run it, under the same run lock (one run at a time, whoever starts it). The page
gets the run's id as soon as the run is recorded and then follows it by its
checkpoints, like a run started anywhere else; what stops a run before it begins (the
permission, a date after today, another run going on) is raised to the page instead.

Example: a servicing officer presses "Run end of day" for 2026-11-30 with loans
serviced through 2026-11-27: run 12 is recorded at once and the page shows its progress
while 2026-11-28, 29 and 30 are run one after the other.
"""

from __future__ import annotations

import logging
import queue
import threading
from datetime import date

from autolend.batch.eod_runner import PARTITION_SIZE, EodRunner
from autolend.batch.portfolio_kernels import ColumnRiskAssessor
from autolend.domain.access import Actor
from autolend.domain.errors import Busy
from autolend.services.eod_ports import RunLock
from autolend.services.ports import Clock, UnitOfWorkFactory

__all__ = ["BackgroundEod"]

_log = logging.getLogger(__name__)
START_WAIT_S = 30.0  # SQLite may make the run's first write wait for another writer


class BackgroundEod:
    """Starts end-of-day runs in the background (module docstring)."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        lock: RunLock,
        *,
        partition_size: int = PARTITION_SIZE,
        assessor: ColumnRiskAssessor | None = None,
    ) -> None:
        """``assessor``: the month-end's kernels, with the lender's ECL parameters."""
        self._uow, self._clock, self._lock = uow_factory, clock, lock
        self._size, self._assessor = partition_size, assessor

    def start_through(self, actor: Actor, through: date) -> int:
        """The id of the run started to catch up through ``through``."""
        started: queue.Queue[int | BaseException] = queue.Queue()
        announced = threading.Event()

        def announce(run_id: int) -> None:
            announced.set()
            started.put(run_id)

        runner = EodRunner(
            self._uow, self._clock, partition_size=self._size, lock=self._lock,
            announce=announce, assessor=self._assessor,
        )  # fmt: skip

        def run() -> None:
            try:
                runner.run_through(actor, through)
            except BaseException as error:
                if not announced.is_set():  # refused before it began: the page says why
                    started.put(error)
                    return
                # Recorded as failed with its checkpoints; the runs page shows it.
                _log.exception("end-of-day run through %s stopped", through)

        threading.Thread(target=run, name=f"eod-through-{through}", daemon=True).start()
        try:
            first = started.get(timeout=START_WAIT_S)
        except queue.Empty:
            raise Busy("the end-of-day run did not start in time; try again") from None
        if isinstance(first, BaseException):
            raise first
        return first
