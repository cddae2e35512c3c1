"""Wiring of the daemon: threads, signals, live reload and systemd notification."""

from __future__ import annotations

import collections
import json
import logging
import os
import signal
import socket
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from .alerting import Dispatcher
from .config import Settings
from .errors import ConfigError, StoreError
from .group import Group
from .ingest import Inbox, WorkQueue
from .matcher import Watch
from .notify import Notifier, RedactFilter
from .parallel import Analyser, cores
from .pipeline import Pipeline, printable
from .scheduler import Jobs, next_runs
from .store import Store

log = logging.getLogger("watcher")

PARKED_MAX = 20_000
STORE_RETRY = 5.0  # seconds before a file whose hits could not be stored is tried again


def sd_notify(message: str) -> bool:
    """Send a state line to systemd ($NOTIFY_SOCKET); a no-op outside systemd."""
    address = os.environ.get("NOTIFY_SOCKET")
    if not address:
        return False
    if address.startswith("@"):
        address = "\0" + address[1:]  # abstract namespace
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            # never block the main loop on a receiver that does not read
            sock.sendto(message.encode(), socket.MSG_DONTWAIT, address)
        return True
    except OSError as exc:
        log.debug("sd_notify failed: %s", exc)
        return False


def stop_on_signals(stop: threading.Event) -> None:
    """SIGTERM and SIGINT ask for a clean stop, also while the daemon is still starting."""
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())


def setup_logging(level: str = "INFO", secrets: list[str] | None = None) -> None:
    """Log lines to stderr; no timestamp under journald, which adds its own."""
    handler = logging.StreamHandler(sys.stderr)
    fmt = "%(levelname)s %(name)s: %(message)s"
    if not os.environ.get("JOURNAL_STREAM"):
        fmt = "%(asctime)s " + fmt
    handler.setFormatter(logging.Formatter(fmt))
    handler.addFilter(RedactFilter(secrets or []))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


class Service:
    def __init__(self, settings: Settings, stop_event: threading.Event | None = None):
        self.settings = settings
        self.started = time.time()
        self.stop_event = stop_event or threading.Event()
        self.store = Store(settings.database_url)
        self.group = Group(self.store, settings.lease)  # several daemons on one database
        # other daemons' share of a shared inbox, done when idle; the oldest are dropped past
        # the cap (their owner does them, or the periodic rescan finds what it could not)
        self.parked: collections.deque[str] = collections.deque(maxlen=PARKED_MAX)
        self.notifier = Notifier(settings.notify, backoff=settings.retry_backoff,
                                 max_backoff=settings.retry_max_backoff,
                                 retry_for=settings.retry_for)
        if self.notifier.problems:  # a typo in a URL must not silently lose every alert
            raise ConfigError([f"{settings.config_path}: {p}" for p in self.notifier.problems])
        for key, target in self.notifier.targets.items():
            if target.entry.schedule:  # a bad cron stops the start, before any thread runs
                try:
                    next_runs(target.entry.schedule, target.entry.timezone, datetime.now(UTC))
                except ValueError as exc:
                    raise ConfigError(f"notify entry {key!r}: schedule "
                                      f"{target.entry.schedule!r}: {exc}") from None
        self.processes = settings.workers or cores()
        self.cache_dir = settings.data_dir / "cache"
        self.analyser = Analyser(Watch.load(settings.watchlist, self.cache_dir), self.processes)
        self.queue = WorkQueue()
        self.jobs = Jobs()
        inbox = settings.inbox
        skip = tuple(d for d in (settings.processed_dir, settings.failed_dir)
                     if d and inbox in d.parents)
        self.inbox = Inbox(inbox, self.queue, settle=settings.settle_time.total_seconds(),
                           skip_dirs=skip, on_overflow=self.request_rescan)
        move = ((settings.processed_dir, settings.failed_dir)
                if settings.after_processing == "move" else None)
        self.dispatcher = Dispatcher(self.store, self.notifier, on_health=self._health,
                                     group=self.group)
        self.pipeline = Pipeline(self.store, self.notifier, self.analyser,
                                 max_size=settings.max_file_size, inbox=inbox, move_to=move,
                                 on_messages=self.jobs.wake_drain, claims=self.group)
        self.workers: list[threading.Thread] = []
        self.heartbeats: dict[str, float] = {}
        self.stats = {"processed": 0, "failed": 0, "duplicate": 0, "hits": 0,
                      "last_error": "", "reloads": 0}
        self._reload_timer: threading.Timer | None = None
        self._watchlist_observer: Observer | None = None
        self._inbox_id = None
        self.watchdog_enabled = bool(os.environ.get("WATCHDOG_USEC"))

    # -- watchlist -------------------------------------------------------------------------

    def watch(self) -> Watch:
        return self.analyser.watch

    def reload(self) -> bool:
        """Load and compile the watchlist; on any error keep the one that is serving."""
        path = self.settings.watchlist
        try:
            watch = Watch.load(path, self.cache_dir)
        except ConfigError as exc:
            for problem in exc.problems:
                log.error("watchlist not reloaded, the previous one keeps serving: %s", problem)
            self.stats["last_error"] = exc.problems[0]
            self._health("watchlist edit rejected",
                         "The watchlist was not reloaded; the previous one keeps serving.\n"
                         + "\n".join(exc.problems))
            return False
        self.analyser.replace(watch)
        self.stats["reloads"] += 1
        log.info("watchlist reloaded from %s: %d entities", path, len(watch.entities))
        return True

    def schedule_reload(self, delay: float = 0.3) -> None:
        """Editors save in several steps: wait until the writes settle, then reload once."""
        if self._reload_timer is not None:
            self._reload_timer.cancel()
        self._reload_timer = threading.Timer(delay, self.reload)
        self._reload_timer.daemon = True
        self._reload_timer.start()

    def _watch_watchlist(self) -> None:
        target = str(self.settings.watchlist)
        service = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                paths = {os.fsdecode(event.src_path), os.fsdecode(getattr(event, "dest_path", ""))}
                if target in paths and event.event_type in ("modified", "closed", "created",
                                                            "moved"):
                    service.schedule_reload()

        self._watchlist_observer = Observer()
        self._watchlist_observer.schedule(Handler(), str(self.settings.watchlist.parent),
                                          recursive=False)
        self._watchlist_observer.start()

    def _health(self, title: str, body: str) -> None:
        try:
            self.dispatcher.queue_health(title, body)
            self.jobs.wake_drain()
        except Exception:  # noqa: BLE001
            log.exception("could not queue a health alert")

    # -- work ------------------------------------------------------------------------------

    def _worker(self, name: str) -> None:
        while not self.stop_event.is_set():
            self.heartbeats[name] = time.monotonic()
            item = self.queue.get(timeout=0.1 if self.parked else 1.0)
            if item is None:
                if self.parked:  # idle: help with the other daemons' share (see Group)
                    self._process(self.parked.popleft())
                continue
            path, quiet = item
            wait = self.inbox.quiet_wait(path) if quiet else 0.0
            if wait > 0:
                self.queue.put(path, wait, quiet=True)
                continue
            if self.group.elsewhere(path):
                self.parked.append(path)
                continue
            self._process(path)

    def _process(self, path: str) -> None:
        try:
            outcome = self.pipeline.process(path)
        except Exception as exc:  # noqa: BLE001 - the worker must outlive any one file
            if not isinstance(exc, StoreError):
                log.exception("error while processing %s", printable(path))
            log.error("%s; will retry in %.0f s", exc, STORE_RETRY)
            self.stats["last_error"] = str(exc)
            self.queue.put(path, STORE_RETRY)
            return
        if outcome.status == "busy":  # claimed by another daemon: look again when it may end
            self.queue.put(path, self.group.retry_in())
            return
        if outcome.status in ("processed", "failed", "duplicate"):
            self.stats[outcome.status] += 1
        self.stats["hits"] += outcome.hits
        if outcome.status == "failed":
            self.stats["last_error"] = f"{outcome.path}: {outcome.error}"

    def drain_outbox(self) -> int:
        """Due pending notifications become messages (notify policy); due messages are sent."""
        self.dispatcher.flush()
        return self.dispatcher.drain(stop=self.stop_event)

    def run_digest(self, key: str) -> None:
        """A digest entry's scheduled run: once for the whole group of daemons."""
        job, slot = f"digest:{key}", datetime.now(UTC).replace(second=0, microsecond=0)
        if not self.group.run_once(job, slot):
            return  # another daemon has it
        try:
            if self.dispatcher.digest(key):
                self.jobs.wake_drain()
        finally:
            self.group.finish_run(job, slot)

    def heartbeat(self) -> None:
        """Tell the group we are alive; extends the leases of our claims and messages."""
        try:
            self.group.heartbeat(**self._group_stats())
        except Exception as exc:  # noqa: BLE001 - the next beat tries again
            log.warning("heartbeat failed: %s", exc)

    def _group_stats(self) -> dict:
        return {"processed": self.stats["processed"], "failed": self.stats["failed"],
                "queue": len(self.queue) + len(self.parked),
                "last_error": str(self.stats["last_error"])[:500]}

    def request_rescan(self) -> None:
        self.jobs.run_now("rescan")

    def rescan(self) -> int:
        """Queue every file in the inbox that was not handled as it is now."""
        known = self.store.known_files()
        count = self.inbox.enqueue_tree(
            str(self.settings.inbox),
            skip=lambda p, st: known.get(printable(p)) == (st.st_size, st.st_mtime_ns))
        if count:
            log.info("scan found %d new or changed file(s) in %s", count, self.settings.inbox)
        return count

    # -- life cycle ------------------------------------------------------------------------

    def start(self) -> None:
        self.group.join()
        self.jobs.every("heartbeat", self.group.heartbeat_interval, self.heartbeat)
        self.inbox.start()
        self._inbox_id = _identity(self.settings.inbox)
        self._watch_watchlist()
        self.jobs.add_drain(self.settings.outbox_interval, self.drain_outbox)
        self.jobs.every("rescan", self.settings.rescan_interval, self.rescan)
        for key, target in self.notifier.targets.items():
            if target.entry.mode == "digest":
                self.jobs.add_digest(key, target.entry.schedule, target.entry.timezone,
                                     self.run_digest, self.dispatcher.oldest_waiting(key))
        n = self.processes  # one thread feeding each matching process
        for i in range(n):
            t = threading.Thread(target=self._worker, args=(f"worker-{i}",),
                                 name=f"worker-{i}", daemon=True)
            t.start()
            self.workers.append(t)
        self.jobs.start()
        found = self.rescan()  # catch-up: what arrived while we were down
        log.info("watching %s (%d entities, %d notify target(s), %d worker(s)); "
                 "%d file(s) to catch up", self.settings.inbox, len(self.watch().entities),
                 len(self.notifier.targets), n, found)
        sd_notify("READY=1\nSTATUS=watching " + str(self.settings.inbox))

    def healthy(self) -> bool:
        """Ingest and workers alive; a worker busy for minutes on one file is not."""
        now = time.monotonic()
        workers_ok = all(t.is_alive() for t in self.workers) and all(
            now - beat < 120 for beat in self.heartbeats.values())
        return workers_ok and self.inbox.alive()

    def tick(self) -> None:
        """Once a second: inbox still there, status file, systemd watchdog."""
        ident = _identity(self.settings.inbox)
        if ident != self._inbox_id or not self.inbox.alive():
            log.warning("inbox %s was removed or replaced; watching it again",
                        self.settings.inbox)
            try:
                self.inbox.restart()
                self._inbox_id = _identity(self.settings.inbox)
                self.request_rescan()
            except OSError as exc:
                log.error("cannot watch %s: %s", self.settings.inbox, exc)
        self.write_status()
        if self.watchdog_enabled and self.healthy():
            sd_notify("WATCHDOG=1")

    def status(self) -> dict:
        return {"pid": os.getpid(), "started": datetime.fromtimestamp(self.started, UTC)
                .isoformat(timespec="seconds"), "uptime_s": round(time.time() - self.started),
                "queue": len(self.queue), "entities": len(self.watch().entities),
                "healthy": self.healthy(), "daemon_id": self.group.id, **self.stats}

    def write_status(self) -> None:
        path = self.settings.data_dir / "status.json"
        try:
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.status()))
            tmp.replace(path)
        except OSError:
            pass  # status is a convenience; a full disk must not stop the daemon

    def run(self) -> int:
        """Run until SIGTERM/SIGINT; return the exit code."""
        stop_on_signals(self.stop_event)
        signal.signal(signal.SIGHUP, lambda *_: self.schedule_reload(0))
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.start()
        try:
            while not self.stop_event.wait(1.0):
                self.tick()
        finally:
            sd_notify("STOPPING=1")
            log.info("stopping")
            self.shutdown()
        return 0

    def shutdown(self) -> None:
        self.stop_event.set()
        self.inbox.stop()
        if self._watchlist_observer:
            self._watchlist_observer.stop()
        self.queue.close()
        for t in self.workers:
            t.join(timeout=10)
        self.jobs.shutdown()
        self.analyser.close()
        try:
            self.group.leave(**self._group_stats())  # hand back claims and leases now
        except Exception as exc:  # noqa: BLE001 - they expire after the lease anyway
            log.warning("could not leave the group cleanly: %s", exc)
        self.write_status()
        self.store.close()


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino
