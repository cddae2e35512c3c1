"""Inbox watching with real inotify: what reaches the handler, and what is queued."""

from __future__ import annotations

import os
import time

import pytest

from watcher.ingest import Inbox, WorkQueue


@pytest.fixture
def inbox(tmp_path):
    """A started Inbox whose handler calls are recorded (event class names)."""
    box = Inbox(tmp_path / "inbox", WorkQueue(), settle=0.2)
    seen: list[str] = []
    handle = box.on_event
    box.on_event = lambda event: (seen.append(type(event).__name__), handle(event))
    box.start()
    box.seen = seen
    yield box
    box.stop()


def _settled(seen: list, quiet: float = 0.3, limit: float = 5.0) -> None:
    """Wait until no event came for `quiet` seconds."""
    deadline = time.monotonic() + limit
    count = -1
    while time.monotonic() < deadline and count != len(seen):
        count = len(seen)
        time.sleep(quiet)


def test_a_written_file_is_queued_when_its_writer_closes_it(inbox):
    path = inbox.root / "a.txt"
    with open(path, "w") as f:
        f.write("Kyiv")
    _settled(inbox.seen)
    assert inbox.queue.get(timeout=2) == (str(path), False)  # closed: read at once
    assert "FileClosedEvent" in inbox.seen


def test_a_file_moved_in_is_queued(inbox, tmp_path):
    """From outside the tree, a move in is a creation to inotify: queued to be read once
    its mtime says it arrived whole (ARRIVED_WHOLE)."""
    source = tmp_path / "draft.txt"
    source.write_text("Kyiv")
    os.rename(source, inbox.root / "b.txt")
    assert inbox.queue.get(timeout=2) == (str(inbox.root / "b.txt"), True)
    assert inbox.quiet_wait(str(inbox.root / "b.txt")) == 0.0


def test_reading_a_file_wakes_no_handler(inbox):
    """Every read of an inbox file (the daemon's own; in a group, every other daemon's too)
    would otherwise bring an opened and a closed-unwritten event, and each new file a
    folder-modified one: watchdog is asked for the events the inbox reads, inotify for
    no others."""
    path = inbox.root / "c.txt"
    path.write_text("Kyiv")
    _settled(inbox.seen)
    before = list(inbox.seen)
    assert "DirModifiedEvent" not in before
    for _ in range(20):
        path.read_bytes()
    _settled(inbox.seen)
    assert inbox.seen == before
