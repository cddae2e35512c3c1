"""Inbox watching: watchdog events, catch-up scans and the work queue.

The watchdog handler only enqueues: work done in the handler thread makes inotify's queue
overflow in bursts, and an exception there kills the dispatch thread while the process stays
up. A file is ready when its writer closed it (IN_CLOSE_WRITE) or it was moved in; for other
events (and for files found by a scan) it must have been left untouched for `settle` seconds,
so a half-written file is never read.
"""

from __future__ import annotations

import heapq
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

from .extract import ignored, walk_files

log = logging.getLogger(__name__)

# The events on_event reads. Asked of watchdog, which then asks inotify for no others: every
# read of a file (this daemon's, and in a group every other daemon's) would otherwise wake the
# watcher thread twice (opened, closed unwritten), and each file queue a folder-modified event.
EVENTS = (FileCreatedEvent, FileModifiedEvent, FileClosedEvent, FileMovedEvent, FileDeletedEvent,
          DirCreatedEvent, DirMovedEvent)


class _StopRace(logging.Filter):
    """watchdog's inotify emitter, stopping, may look for events once more after its watch
    was closed, and logs that at ERROR (watchdog PR #963): harmless, and at every stop."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "called when the thread is inactive" not in record.getMessage()


logging.getLogger("watchdog.observers.inotify").addFilter(_StopRace())

# A file written to since its writer last closed it is still open for writing: a pause in
# the writing (a slow download) is no end of it. It waits for the close up to this long
# without a change, then is read anyway (a writer that never closes, or a lost event).
OPEN_WRITE_SETTLE = 60.0  # seconds
# A file moved in from outside the inbox comes as "created" (inotify pairs a move only
# within the watched tree). Created, then no write event, with content and its mtime this
# old, it arrived whole: it is read without waiting out settle_time.
ARRIVED_WHOLE = 0.1  # seconds
CREATED, WRITING = "created", "writing"  # what the events since the last close say of a file


class WorkQueue:
    """Paths waiting to be processed, each at most once, released when it is due.

    A path handed to a worker is active until done(): queued again meanwhile (a scan, a new
    event), it waits for done(), so two workers never handle one path at once (in move mode
    the second would find the file moved away)."""

    def __init__(self):
        self._due: dict[str, float] = {}
        self._quiet: dict[str, bool] = {}
        self._active: set[str] = set()
        self._again: dict[str, tuple[float, bool]] = {}  # put while active
        self._heap: list[tuple[float, str]] = []
        self._cond = threading.Condition()
        self.closed = False

    def put(self, path: str, delay: float = 0.0, quiet: bool = False) -> None:
        """Queue a path; a path already queued keeps one entry, due at the new time.

        `quiet`: the file must be left untouched for a while before it is read (we saw it
        created or modified, not closed by its writer).
        """
        with self._cond:
            if path in self._active:
                self._again[path] = (delay, quiet)
                return
            self._push(path, delay, quiet)

    def _push(self, path: str, delay: float, quiet: bool) -> None:
        due = time.monotonic() + delay
        self._due[path] = due
        self._quiet[path] = quiet
        heapq.heappush(self._heap, (due, path))
        self._cond.notify()

    def get(self, timeout: float | None = None) -> tuple[str, bool] | None:
        """The next due (path, quiet), or None after `timeout` seconds or once closed."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while not self.closed:
                now = time.monotonic()
                while self._heap and self._due.get(self._heap[0][1]) != self._heap[0][0]:
                    heapq.heappop(self._heap)  # superseded by a later put
                if self._heap and self._heap[0][0] <= now:
                    due, path = heapq.heappop(self._heap)
                    del self._due[path]
                    self._active.add(path)
                    return path, self._quiet.pop(path)
                wait = self._heap[0][0] - now if self._heap else None
                if deadline is not None:
                    left = deadline - now
                    if left <= 0:
                        return None
                    wait = left if wait is None else min(wait, left)
                self._cond.wait(wait)
        return None

    def done(self, path: str) -> None:
        """The worker is through with `path`; a put() that came meanwhile takes effect."""
        with self._cond:
            self._active.discard(path)
            again = self._again.pop(path, None)
            if again is not None:
                self._push(path, *again)

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()

    def __len__(self) -> int:
        """Files waiting or being processed."""
        with self._cond:
            return len(self._due) + len(self._active)


class _Handler(FileSystemEventHandler):
    def __init__(self, inbox: Inbox):
        self.inbox = inbox

    def on_any_event(self, event: FileSystemEvent) -> None:
        try:
            self.inbox.on_event(event)
        except Exception:  # noqa: BLE001 - never let one event kill watchdog's thread
            log.exception("ignoring a filesystem event that could not be handled")


class _OverflowHook(logging.Handler):
    """watchdog reports a lost inotify queue only as a log line; we answer it with a rescan."""

    def __init__(self, on_overflow: Callable[[], None]):
        super().__init__(logging.WARNING)
        self.on_overflow = on_overflow

    def emit(self, record: logging.LogRecord) -> None:
        if "overflow" in record.getMessage().lower():
            self.on_overflow()


class Inbox:
    """Watches a folder tree and feeds complete files to a WorkQueue."""

    def __init__(self, root: Path, queue: WorkQueue, *, settle: float,
                 skip_dirs: tuple[Path, ...] = (), on_overflow: Callable[[], None] | None = None):
        self.root = Path(root)
        self.queue = queue
        self.settle = settle
        self.skip_dirs = tuple(str(d) + os.sep for d in skip_dirs)
        self.observer: Observer | None = None
        self._overflow_hook = _OverflowHook(on_overflow) if on_overflow else None
        self._state: dict[str, str] = {}  # path -> CREATED or WRITING, until closed or read

    def wanted(self, path: str) -> bool:
        return not ignored(path) and not path.startswith(self.skip_dirs)

    def on_event(self, event: FileSystemEvent) -> None:
        if isinstance(event, (DirCreatedEvent, DirMovedEvent)):
            # A folder moved or copied in may already hold files: inotify reports none of them.
            target = event.dest_path if isinstance(event, DirMovedEvent) else event.src_path
            self.enqueue_tree(os.fsdecode(target))
            return
        if isinstance(event, (FileMovedEvent, FileDeletedEvent)):
            self._state.pop(os.fsdecode(event.src_path), None)
        delay = self.settle
        if isinstance(event, FileMovedEvent):
            path, quiet = os.fsdecode(event.dest_path), False
        elif isinstance(event, FileClosedEvent):
            path, quiet = os.fsdecode(event.src_path), False
            self._state.pop(path, None)
        elif isinstance(event, FileCreatedEvent):
            path, quiet, delay = os.fsdecode(event.src_path), True, ARRIVED_WHOLE
            self._state[path] = CREATED
        elif isinstance(event, FileModifiedEvent):
            path, quiet = os.fsdecode(event.src_path), True
            self._state[path] = WRITING
        else:
            return
        if self.wanted(path):
            self.queue.put(path, delay if quiet else 0.0, quiet)

    def enqueue_tree(self, top: str,
                     skip: Callable[[str, os.stat_result], bool] | None = None) -> int:
        """Queue every wanted file below `top` (not following links); return how many.

        Found by a scan, a file may still be being written: it must be quiet first."""
        count = 0
        for path, st in walk_files(top):
            if self.wanted(path) and not (skip and skip(path, st)):
                self.queue.put(path, 0.0, quiet=True)
                count += 1
        return count

    def quiet_wait(self, path: str) -> float:
        """0 when the file was left untouched for `settle` seconds (OPEN_WRITE_SETTLE while
        its writer still has it open; ARRIVED_WHOLE when it came with its content and was
        not written to since), else how long to wait."""
        try:
            st = os.lstat(path)
        except OSError:
            self._state.pop(path, None)
            return 0.0  # gone or unreadable: let the pipeline report it
        state = self._state.get(path)
        settle = self.settle
        if state == CREATED and st.st_size:
            settle = ARRIVED_WHOLE  # moved in whole: no write since it appeared
        elif state == WRITING:
            settle = max(settle, OPEN_WRITE_SETTLE)
        age = time.time() - st.st_mtime
        if age >= settle:
            self._state.pop(path, None)
            return 0.0
        return settle - max(age, 0.0)  # the writer's close queues it at once

    def start(self, create: bool = True) -> None:
        if create and not self.root.is_dir():
            self.root.mkdir(parents=True, exist_ok=True)
            # said once, loudly: a typo in `inbox` would otherwise watch an empty folder forever
            log.warning("inbox %s did not exist: created it (check the `inbox` setting if "
                        "files were expected there)", self.root)
        self.observer = Observer()
        self.observer.schedule(_Handler(self), str(self.root), recursive=True,
                               event_filter=list(EVENTS))
        self.observer.start()
        if self._overflow_hook:
            watchdog_log = logging.getLogger("watchdog")
            # the hook needs the WARNING record to exist, whatever log_level says
            if watchdog_log.getEffectiveLevel() > logging.WARNING:
                watchdog_log.setLevel(logging.WARNING)
            watchdog_log.addHandler(self._overflow_hook)

    def alive(self) -> bool:
        """The observer thread and its emitter: watchdog stops the emitter, not the observer,
        when the watched folder itself is deleted."""
        if self.observer is None or not self.observer.is_alive():
            return False
        emitters = list(self.observer.emitters)
        return bool(emitters) and all(e.is_alive() for e in emitters)

    def restart(self) -> None:
        """Re-create the observer after the inbox folder was deleted and recreated. The
        folder is not created here: one made by the daemon would lack the inbox's group and
        mode (install.sh), and scrapers could not write to it."""
        self.stop()
        self.start(create=False)

    def stop(self) -> None:
        if self._overflow_hook:
            logging.getLogger("watchdog").removeHandler(self._overflow_hook)
        if self.observer is not None:
            self.observer.stop()
            self.observer.join(timeout=5)
            self.observer = None


class _FileHandler(FileSystemEventHandler):
    def __init__(self, target: str, on_change: Callable[[float], None],
                 on_gone: Callable[[], None]):
        self.target = target
        self.on_change = on_change
        self.on_gone = on_gone

    def on_any_event(self, event: FileSystemEvent) -> None:
        kind = event.event_type
        if kind == "moved" and os.fsdecode(event.dest_path) == self.target:
            self.on_change(0.3)  # renamed into place: complete
        elif os.fsdecode(event.src_path) != self.target:
            return
        elif kind == "closed":
            self.on_change(0.3)
        elif kind == "created" and _has_content(self.target):
            # moved in from another folder (ansible, "edit elsewhere, then mv"): complete;
            # a writer's first write would follow as "modified" and wait for its close
            self.on_change(0.3)
        elif kind in ("created", "modified"):
            # a writer still has it open: wait for its close (a half-written list parses
            # too), or a minute without a change for one that never closes
            self.on_change(OPEN_WRITE_SETTLE)
        elif kind in ("deleted", "moved"):
            self.on_gone()


def _has_content(path: str) -> bool:
    try:
        return os.stat(path).st_size > 0
    except OSError:
        return False


def watch_file(path: Path, on_change: Callable[[float], None],
               on_gone: Callable[[], None] = lambda: None) -> Observer:
    """Call on_change(delay) when a file is written, replaced or renamed into place (editors
    save through a temporary file), with how long to wait for more; on_gone when it is
    deleted or renamed away. Watches its folder; returns the started observer."""
    observer = Observer()
    observer.schedule(_FileHandler(str(path), on_change, on_gone), str(path.parent),
                      recursive=False)
    observer.start()
    return observer
