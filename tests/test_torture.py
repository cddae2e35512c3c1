"""Bursts and crashes: the bench/ tortures at CI size (slow ones marked `slow`; CI runs them).

bench/burst.py and bench/killloop.py run the full sizes and print the figures."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import burst  # noqa: E402
import killloop  # noqa: E402

from watcher.ingest import Inbox, WorkQueue  # noqa: E402


def test_inotify_overflow_log_line_triggers_a_rescan_even_at_log_level_error(tmp_path):
    """watchdog reports a lost inotify queue only by logging; the hook must see that line
    whatever the configured log level (the real overflow runs in bench/burst.py
    --queue-limit, which needs a global sysctl)."""
    calls = []
    root = logging.getLogger()
    old_level = root.level
    root.setLevel(logging.ERROR)  # log_level: ERROR
    inbox = Inbox(tmp_path / "inbox", WorkQueue(), settle=0.1, on_overflow=lambda: calls.append(1))
    inbox.start()
    try:
        for name in ("watchdog.observers.inotify_c", "watchdog.observers.inotify"):
            logging.getLogger(name).warning("Inotify queue overflowed; filesystem events "
                                            "were lost")
        assert len(calls) == 2
        logging.getLogger("watchdog.observers").warning("some other warning")
        assert len(calls) == 2
    finally:
        inbox.stop()
        root.setLevel(old_level)
    logging.getLogger("watchdog.observers.inotify_c").warning("Inotify queue overflowed")
    assert len(calls) == 2  # unhooked when stopped


@pytest.mark.slow
def test_burst_of_10000_files_in_2s_each_processed_exactly_once(tmp_path):
    result = burst.run(10_000, workers=0, root=tmp_path)
    print(result)
    assert result["drop_s"] < 2.0
    assert result["missing"] == 0 and result["extra"] == 0
    assert result["documents"] == result["distinct_documents"] == 10_000
    assert result["file_rows"] == 10_000
    assert result["integrity"] == "ok" and result["exit_code"] == 0


def test_sigkill_at_random_moments_loses_nothing(tmp_path):
    """3 SIGKILLs during a 300-file run, alerts to a local HTTP endpoint (move mode)."""
    result = killloop.run(files=300, kills=3, root=tmp_path, seed=1)
    print(result)
    assert result["ok"], result
