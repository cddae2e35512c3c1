"""apscheduler jobs: outbox drain, rescans (and, later, digests).

One BackgroundScheduler runs every periodic job. A job never runs twice at once
(max_instances=1): two drains in parallel could send the same message twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler

log = logging.getLogger(__name__)


class _DropSkipped(logging.Filter):
    """A wake-up that finds the drain running is not a problem: the drain loops until done."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances" not in record.getMessage()


logging.getLogger("apscheduler").addFilter(_DropSkipped())
logging.getLogger("apscheduler.scheduler").addFilter(_DropSkipped())
logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
logging.getLogger("apscheduler.scheduler").setLevel(logging.WARNING)


class Jobs:
    """Periodic work of the daemon, plus an immediate wake-up for the outbox drain."""

    def __init__(self):
        self.scheduler = BackgroundScheduler(timezone=UTC, job_defaults={
            "coalesce": True, "max_instances": 1, "misfire_grace_time": None})
        self._drain_wanted = threading.Event()

    def every(self, job_id: str, interval: timedelta, func: Callable[[], object],
              first_run: datetime | None = None) -> None:
        self.scheduler.add_job(func, "interval", seconds=interval.total_seconds(), id=job_id,
                               next_run_time=first_run or datetime.now(UTC) + interval)

    def add_drain(self, interval: timedelta, drain_once: Callable[[], object]) -> None:
        """The outbox drain: runs every `interval` and at once when woken."""

        def drain() -> None:
            while True:
                self._drain_wanted.clear()
                drain_once()
                if not self._drain_wanted.is_set():
                    return

        self.every("drain", interval, drain, first_run=datetime.now(UTC))

    def wake_drain(self) -> None:
        self._drain_wanted.set()
        self.run_now("drain")

    def run_now(self, job_id: str) -> None:
        try:
            self.scheduler.modify_job(job_id, next_run_time=datetime.now(UTC))
        except Exception:  # noqa: BLE001 - the job is gone during shutdown
            log.debug("cannot wake %s", job_id)

    def start(self) -> None:
        self.scheduler.start()

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)
