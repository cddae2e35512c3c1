"""The outbox drain's wake-ups: a lone one runs at once, a burst is gathered into few passes."""

import threading
import time
from datetime import timedelta
from itertools import pairwise

from watcher import scheduler
from watcher.scheduler import Jobs


def _wait(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_a_lone_wake_drains_at_once_and_a_burst_shares_passes(monkeypatch):
    # a long gather window makes the two behaviours far apart, whatever the machine's speed
    monkeypatch.setattr(scheduler, "DRAIN_GATHER", 1.0)
    passes: list[float] = []
    lock = threading.Lock()

    def drain_once():
        with lock:
            passes.append(time.monotonic())

    jobs = Jobs()
    jobs.add_drain(timedelta(hours=1), drain_once)
    jobs.start()
    try:
        _wait(lambda: len(passes) == 1)  # the pass at start
        time.sleep(1.2)  # the window is over: the next wake is a lone one

        woken = time.monotonic()
        jobs.wake_drain()
        _wait(lambda: len(passes) == 2)
        assert passes[1] - woken < 0.5

        burst_start = time.monotonic()
        for _ in range(40):  # a burst of documents, each waking the drain
            jobs.wake_drain()
            time.sleep(0.02)
        last_wake = time.monotonic()
        _wait(lambda: passes[-1] > last_wake)  # no wake-up is lost
        during = [t for t in passes if t >= burst_start]
        # 0.8 s of wake-ups every 20 ms: one pass per window, not forty
        assert len(during) <= 3
        assert all(b - a >= 0.9 for a, b in pairwise(passes[1:]))
    finally:
        jobs.shutdown()


def test_wakes_during_a_pass_make_one_more_pass_without_rescheduling(monkeypatch):
    monkeypatch.setattr(scheduler, "DRAIN_GATHER", 0.05)
    passes: list[float] = []
    in_pass, release = threading.Event(), threading.Event()

    def drain_once():
        passes.append(time.monotonic())
        if len(passes) == 2:  # the second pass is a long one
            in_pass.set()
            release.wait(10)

    jobs = Jobs()
    jobs.add_drain(timedelta(hours=1), drain_once)
    jobs.start()
    try:
        _wait(lambda: len(passes) == 1)
        time.sleep(0.1)
        jobs.wake_drain()
        assert in_pass.wait(10)
        rescheduled = []
        monkeypatch.setattr(jobs, "run_now", lambda *a, **k: rescheduled.append(a))
        for _ in range(20):  # documents stored while the pass sends
            jobs.wake_drain()
        release.set()
        _wait(lambda: len(passes) == 3)  # the loop saw them: one more pass
        assert rescheduled == []
        time.sleep(0.3)
        assert len(passes) == 3
        jobs.wake_drain()  # the loop is over: a wake reschedules the job again
        assert len(rescheduled) == 1
    finally:
        jobs.shutdown()
