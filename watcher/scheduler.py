"""apscheduler jobs: outbox drain (with the notification flush), rescans, digests.

One BackgroundScheduler runs every periodic job. A job never runs twice at once
(max_instances=1): two drains in parallel could send the same message twice.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

log = logging.getLogger(__name__)

# Woken again within this many seconds of a pass, the drain waits out the rest: in a burst
# one pass then takes the alerts of many files (a pass costs about ten transactions however
# little it sends), while a lone drop is still sent at once.
DRAIN_GATHER = 0.1


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
        self._drained_at = float("-inf")  # time.monotonic() the last drain pass started
        self._draining = False  # the drain loop runs and will look at _drain_wanted again

    def every(self, job_id: str, interval: timedelta, func: Callable[[], object],
              first_run: datetime | None = None) -> None:
        self.scheduler.add_job(func, "interval", seconds=interval.total_seconds(), id=job_id,
                               next_run_time=first_run or datetime.now(UTC) + interval)

    def add_drain(self, interval: timedelta, drain_once: Callable[[], object]) -> None:
        """The outbox drain: runs every `interval` and at once when woken."""

        def drain() -> None:
            self._draining = True
            try:
                while True:
                    self._drain_wanted.clear()
                    self._drained_at = time.monotonic()
                    drain_once()
                    # cleared before the last look: a wake after it runs the job again
                    self._draining = False
                    if not self._drain_wanted.is_set():
                        return
                    self._draining = True
                    time.sleep(max(0.0, self._drained_at + DRAIN_GATHER - time.monotonic()))
            finally:
                self._draining = False

        self.every("drain", interval, drain, first_run=datetime.now(UTC))

    def add_digest(self, key: str, schedule: str, timezone: str,
                   func: Callable[[str], object], oldest_waiting: datetime | None) -> None:
        """A digest entry's cron job. One missed while the daemon was down runs at start."""
        trigger = cron(schedule, timezone)
        now = datetime.now(UTC)
        missed = oldest_waiting is not None and (
            trigger.get_next_fire_time(None, oldest_waiting) or now) <= now
        self.scheduler.add_job(func, trigger, args=[key], id=f"digest:{key}",
                               next_run_time=now if missed else trigger.get_next_fire_time(
                                   None, now))
        if missed:
            log.info("digest for %s was due while the daemon was down: sending it now", key)

    def wake_drain(self) -> None:
        self._drain_wanted.set()
        # a running drain loops once more: rescheduling it would wake the scheduler's
        # thread for nothing, once per document in a burst
        if not self._draining:
            self.run_now("drain", after=self._drained_at + DRAIN_GATHER - time.monotonic())

    def run_now(self, job_id: str, after: float = 0.0) -> None:
        """Run a job now, or in `after` seconds."""
        when = datetime.now(UTC) + timedelta(seconds=max(0.0, after))
        try:
            self.scheduler.modify_job(job_id, next_run_time=when)
        except Exception:  # noqa: BLE001 - the job is gone during shutdown
            log.debug("cannot wake %s", job_id)

    def start(self) -> None:
        self.scheduler.start()

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)


def cron(schedule: str, timezone: str) -> CronTrigger:
    """A 5-field cron expression (minute hour day month day-of-week) in a time zone."""
    return CronTrigger.from_crontab(schedule, timezone=timezone)


def next_runs(schedule: str, timezone: str, after: datetime, n: int = 1) -> list[datetime]:
    """The next n times a schedule fires after `after`; ValueError if it is not valid."""
    trigger, out, t = cron(schedule, timezone), [], after
    for _ in range(n):
        t = trigger.get_next_fire_time(None, t)
        if t is None:
            break
        out.append(t)
        t = t + timedelta(seconds=1)
    return out
