"""Wiring of the daemon: threads, signals, live reload and systemd notification."""

from __future__ import annotations

import collections
import hashlib
import json
import logging
import os
import re
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from .alerting import Dispatcher
from .config import Settings, notify_entries
from .errors import ConfigError, Stopped, StoreError
from .group import Group
from .ingest import Inbox, WorkQueue, watch_file
from .matcher import Watch, cache_written, compiled_before
from .notify import Notifier, RedactFilter, make_target
from .parallel import Analyser, cores
from .pipeline import EMPTY, Pipeline, printable, same_version
from .scheduler import Jobs, next_runs
from .store import Store, is_transient, sqlite_path

log = logging.getLogger("watcher")

LAST_GOOD = "watchlist.last-good.yaml"  # in data_dir: see Service._first_watchlist

PARKED_MAX = 20_000
ADOPT_BATCH = 64  # parked paths taken back at once when idle; own new files wait behind them
STORE_RETRY = 5.0  # seconds before a file whose hits could not be stored is tried again,
STORE_RETRY_MAX = 120.0  # doubling up to this (a disk full for hours: not a line every 5 s)
UNSCREENED_EVERY = 3600.0  # seconds between health alerts about files not screened
GONE_GRACE = 3.0  # seconds a deleted watchlist may take to be replaced before it is told
STORE_FAILS_UNHEALTHY = 3  # failed tries of one file to store it that make the daemon unhealthy
STOP_GRACE = 10.0  # seconds, in all, for workers to finish their file at shutdown (< 30 s
#                    TimeoutStopSec, so systemd never has to SIGKILL a clean stop)


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


EXTEND_EVERY = 10.0  # seconds between two requests for more start time
EXTEND_FOR = 3600.0  # the most start time asked for, in all


@contextmanager
def more_start_time(status: str) -> Iterator[None]:
    """Ask systemd for more start time (EXTEND_TIMEOUT_USEC) while the block runs.

    The first compile of a large watchlist can outlast the unit's TimeoutStartSec, and a start
    killed there never writes the cache that makes the next one fast: Restart= would loop.
    Only the watchlist load is covered, so a start stuck anywhere else still times out."""
    if not os.environ.get("NOTIFY_SOCKET"):
        yield
        return
    done = threading.Event()

    def ask() -> None:
        deadline = time.monotonic() + EXTEND_FOR
        while not done.is_set() and time.monotonic() < deadline:
            sd_notify(f"EXTEND_TIMEOUT_USEC={int(3 * EXTEND_EVERY * 1e6)}\nSTATUS={status}")
            done.wait(EXTEND_EVERY)

    asker = threading.Thread(target=ask, name="start-time", daemon=True)
    asker.start()
    try:
        yield
    finally:
        done.set()
        asker.join()


def watchdog_interval() -> float | None:
    """Seconds between WATCHDOG=1 pings: half of systemd's WatchdogSec, as
    sd_watchdog_enabled(3) advises; None when systemd does not watch this process."""
    usec, pid = os.environ.get("WATCHDOG_USEC"), os.environ.get("WATCHDOG_PID")
    if not usec or (pid and pid != str(os.getpid())):
        return None
    try:
        return max(int(usec) / 2e6, 0.05)
    except ValueError:
        return None


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
    # alembic (1.20) logs its plugins at INFO when it is imported, which is after this
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # watchdog logs every inotify event at DEBUG: a log file in a watched folder (the
    # watchlist's) would make a line per line, for ever
    logging.getLogger("watchdog").setLevel(max(root.level, logging.INFO))


def entry_problems(path: Path, entries) -> list[str]:
    """What apprise (the URL) and the scheduler (a digest's cron) say of each notify entry,
    with its line."""
    problems = []
    for i, entry, lines in entries:
        where = {key: f"{path}:{line}" for key, line in lines.items()}
        try:
            make_target(entry.key(i), entry)
        except ValueError as exc:
            problems.append(f"{where.get('url', path)}: {exc}")
        if entry.schedule:
            try:
                next_runs(entry.schedule, entry.timezone, datetime.now(UTC))
            except ValueError as exc:
                problems.append(f"{where.get('schedule', path)}: notify entry "
                                f"{entry.key(i)!r}: schedule {entry.schedule!r}: {exc}")
    return problems


class Service:
    def __init__(self, settings: Settings, stop_event: threading.Event | None = None):
        self.settings = settings
        self.started = time.time()
        self.stop_event = stop_event or threading.Event()
        # notify entries and the watchlist first: a bad one stops the start before the
        # database is made (and the pool is forked before any database connection exists)
        # a typo in a URL must not silently lose every alert, nor a bad cron a digest
        problems = entry_problems(settings.config_path, notify_entries(settings.config_path))
        if problems:
            raise ConfigError(problems)
        self.notifier = Notifier.from_settings(settings)
        self.processes = settings.workers or cores()
        self.cache_dir = settings.data_dir / "cache"
        self._start_problems: list[str] = []  # the watchlist was invalid: told once running
        self._watchlist_told = False  # the health entries heard of a watchlist problem
        self._digest: tuple[object, str] = (None, "")  # (watch, its config digest)
        self._told_config: set[str] = set()  # daemons told to run another config
        self._gone_timer: threading.Timer | None = None
        with more_start_time(f"loading the watchlist {settings.watchlist}"):
            watch = self._first_watchlist()
        self.analyser = Analyser(watch, self.processes)
        self.store = _open_store(settings.database_url, self.stop_event)
        self._db_file = sqlite_path(settings.database_url)
        self._db_identity = _identity(self._db_file) if self._db_file else None
        # several daemons on one database (and perhaps one inbox)
        self.group = Group(self.store, settings.lease, settings.inbox)
        # other daemons' share of a shared inbox, done when idle; the oldest are dropped past
        # the cap (their owner does them, or the periodic rescan finds what it could not)
        self.parked: collections.deque[str] = collections.deque(maxlen=PARKED_MAX)
        self.adopted: set[str] = set()  # parked paths taken back when idle
        self.queue = WorkQueue()
        self.jobs = Jobs()
        inbox = settings.inbox
        skip = tuple(d for d in (settings.processed_dir, settings.failed_dir)
                     if d and inbox in d.parents)
        self.inbox = Inbox(inbox, self.queue, settle=settings.settle_time.total_seconds(),
                           skip_dirs=skip, on_overflow=self._overflowed)
        move = ((settings.processed_dir, settings.failed_dir)
                if settings.after_processing == "move" else None)
        self.dispatcher = Dispatcher(self.store, self.notifier, on_health=self._health,
                                     group=self.group)
        self.pipeline = Pipeline(self.store, self.notifier, self.analyser,
                                 max_size=settings.max_file_size, inbox=inbox, move_to=move,
                                 on_messages=self.jobs.wake_drain, on_progress=self._beat,
                                 claims=self.group)
        self.workers: list[threading.Thread] = []
        # worker name -> last sign of progress (monotonic): an idle worker beats once a
        # second, a busy one at each step of its file (read, each chunk matched, stored)
        self.heartbeats: dict[str, float] = {}
        self._store_failures: dict[str, int] = {}  # path -> database errors in a row
        self._unscreened_since: list[str] = []  # files failed since the health entries heard
        self._unscreened_told = -UNSCREENED_EVERY  # time.monotonic() they last did
        self._unscreened_lock = threading.Lock()
        self._db_down: set[str] = set()  # jobs (outbox, heartbeat) the database fails
        self.stall_timeout = settings.stall_timeout.total_seconds()
        self.stats = {"processed": 0, "failed": 0, "duplicate": 0, "hits": 0,
                      "last_error": "", "reloads": 0, "overflows": 0}
        self._reload_timer: threading.Timer | None = None
        # one reload at a time, each of the newest version: an older compile still running
        # when the file changes again is dropped (else it could finish last and serve)
        self._reload_lock = threading.Lock()
        self._edits = 0  # watchlist changes seen (and SIGHUPs)
        self._watchlist_observer = None  # started with the daemon (ingest.watch_file)
        self._rescan_wanted = threading.Event()
        self.rescanner: threading.Thread | None = None
        self._inbox_id = None
        self._inbox_gone: datetime | None = None  # since when the inbox folder is missing
        self.watchdog_interval = watchdog_interval()
        self._last_ping = 0.0

    # -- watchlist -------------------------------------------------------------------------

    def watch(self) -> Watch:
        return self.analyser.watch

    def _first_watchlist(self) -> Watch:
        """The watchlist to start with. When the file is invalid (an edit made while the
        daemon was down), the last one that was valid here serves until it is fixed: a bad
        edit must not stop the service (nor make systemd restart it for ever)."""
        path, kept = self.settings.watchlist, self.settings.data_dir / LAST_GOOD
        try:  # (a stop meanwhile ends the compile: errors.Stopped, exit status 0)
            watch = Watch.load(path, self.cache_dir, cancel=self.stop_event.is_set)
        except ConfigError as exc:
            if not kept.is_file():
                raise
            self._start_problems = exc.problems
            for problem in exc.problems:
                log.error("watchlist invalid: %s", problem)
            log.warning("serving the last valid watchlist (%s, from %s) until %s is fixed",
                        kept, datetime.fromtimestamp(kept.stat().st_mtime, UTC)
                        .strftime("%Y-%m-%d %H:%M UTC"), path)
            return Watch.load(kept, self.cache_dir, cancel=self.stop_event.is_set)
        self._keep_last_good()
        return watch

    def _keep_last_good(self) -> None:
        """A copy of the watchlist, if the file now holds a version that compiled here."""
        kept = self.settings.data_dir / LAST_GOOD
        try:
            data = self.settings.watchlist.read_bytes()
            if compiled_before(data, self.cache_dir):  # not an edit made since the load
                kept.parent.mkdir(parents=True, exist_ok=True)
                tmp = kept.with_suffix(".tmp")
                tmp.write_bytes(data)
                tmp.replace(kept)
        except OSError as exc:
            log.warning("could not keep a copy of the watchlist in %s: %s", kept, exc)

    def reload(self) -> bool:
        """Load and compile the watchlist; on any error keep the one that is serving. Reloads
        run one at a time; a compile the file changed under is dropped (a newer reload is
        scheduled), and so is one a stop interrupts."""
        with self._reload_lock:
            edit = self._edits
            try:
                watch = Watch.load(self.settings.watchlist, self.cache_dir, cancel=lambda: (
                    self._edits != edit or self.stop_event.is_set()))
            except Stopped:
                log.info("watchlist compile dropped: the file changed again, or a stop")
                return False
            except ConfigError as exc:
                self._rejected(exc)
                return False
            self._serve(watch)
            return True

    def _rejected(self, exc: ConfigError) -> None:
        for problem in exc.problems:
            log.error("watchlist not reloaded, the previous one keeps serving: %s", problem)
        self._error(exc.problems[0])
        self._health("watchlist edit rejected",
                     "The watchlist was not reloaded; the previous one keeps serving.\n"
                     + "\n".join(exc.problems))
        self._watchlist_told = True

    def _serve(self, watch: Watch) -> None:
        path = self.settings.watchlist
        before = len(self.watch().entities)
        self.analyser.replace(watch)
        self._keep_last_good()
        self.stats["reloads"] += 1
        log.info("watchlist reloaded from %s: %d entities", path, len(watch.entities))
        if self._watchlist_told:  # the all-clear for what the health entries heard
            self._watchlist_told = False
            self._health("watchlist fixed", f"The watchlist {path} was reloaded with "
                         f"{len(watch.entities)} entities; it serves now.")
        if not watch.entities or len(watch.entities) < before / 2:
            # valid, so served; but an emptied or halved list is more often an accident
            what = f"{len(watch.entities)} entities now, {before} before"
            log.warning("the watchlist %s has %s: is that meant?", path, what)
            self._health("watchlist shrank",
                         f"The watchlist {path} was reloaded with {what}. Alerts only come for "
                         "the entities in it.")

    def watchlist_gone(self) -> None:
        """Deleted or renamed away: told if no new file is there a little later (an editor
        saves by renaming the old file away and writing a new one)."""
        if self._gone_timer is not None:
            self._gone_timer.cancel()
        self._gone_timer = threading.Timer(GONE_GRACE, self._watchlist_still_gone)
        self._gone_timer.daemon = True
        self._gone_timer.start()

    def _watchlist_still_gone(self) -> None:
        path = self.settings.watchlist
        if path.exists():
            return
        log.warning("the watchlist %s was deleted or renamed: the loaded one keeps serving "
                    "until a new file is put there", path)
        self._health("watchlist deleted", f"The watchlist {path} was deleted or renamed; the "
                     "loaded one keeps serving until a new file is put there.")
        self._watchlist_told = True

    def schedule_reload(self, delay: float = 0.3) -> None:
        """Editors save in several steps: wait until the writes settle, then reload once."""
        self._edits += 1  # (a compile of an older version under way stops: see reload)
        if self._reload_timer is not None:
            self._reload_timer.cancel()
        self._reload_timer = threading.Timer(delay, self.reload)
        self._reload_timer.daemon = True
        self._reload_timer.start()

    def _health(self, title: str, body: str) -> None:
        try:
            self.dispatcher.queue_health(title, body)
            self.jobs.wake_drain()
        except Exception:  # noqa: BLE001
            log.exception("could not queue a health alert")

    # -- work ------------------------------------------------------------------------------

    def _beat(self, allow: float = 0.0) -> None:
        """A sign of progress from a worker; `allow`: extra seconds its next step may take."""
        self.heartbeats[threading.current_thread().name] = time.monotonic() + allow

    def _worker(self, name: str) -> None:
        while not self.stop_event.is_set():
            self._beat()
            item = self.queue.get(timeout=0.1 if self.parked else 1.0)
            if item is None:
                if self.parked:  # idle: help with the other daemons' share (see Group)
                    self._adopt()
                continue
            path, quiet = item
            try:
                wait = self.inbox.quiet_wait(path) if quiet else 0.0
                if wait > 0:
                    self.queue.put(path, wait, quiet=True)  # takes effect at done()
                    continue
                # a file this daemon failed to store is retried here, not parked: else it
                # would stay a storing failure (unhealthy) after another daemon took it
                if path not in self.adopted and path not in self._store_failures and \
                        self.group.elsewhere(path):
                    self.parked.append(path)
                    continue
                self.adopted.discard(path)
                self._process(path)
            finally:
                self.queue.done(path)

    def _adopt(self) -> None:
        """Take back a batch of parked paths: one at a time, each after an idle wait, a
        daemon would help at ten files a second while another's share is still waiting.
        Those their owner has handled already are dropped with one query for the batch."""
        batch = []
        while self.parked and len(batch) < ADOPT_BATCH:
            try:
                batch.append(self.parked.popleft())
            except IndexError:  # another worker took the last ones
                break
        try:
            seen = self.store.files_seen([printable(p) for p in batch])
        except Exception as exc:  # noqa: BLE001 - then each is looked at on its own
            log.debug("parked files not checked: %s", exc)
            seen = {}
        for path in batch:
            st = _stat(path)
            if st is not None and same_version(seen.get(printable(path)), st):
                self._store_failures.pop(path, None)
                continue  # handled by its owner, as it is now
            self.adopted.add(path)
            self.queue.put(path)  # through the queue: one worker per path

    def _process(self, path: str) -> None:
        try:
            outcome = self.pipeline.process(path)
        except Exception as exc:  # noqa: BLE001 - the worker must outlive any one file
            if not isinstance(exc, StoreError):
                log.exception("error while processing %s", printable(path))
            tries = self._store_failures.get(path, 0) + 1
            self._store_failures[path] = tries
            delay = min(STORE_RETRY * 2 ** (tries - 1), STORE_RETRY_MAX)
            log.error("%s; will retry in %.0f s", exc, delay)
            self._error(str(exc))
            self.queue.put(path, delay)  # the file stays; a restart's scan finds it too
            return
        self._store_failures.pop(path, None)
        if outcome.status == "busy":  # claimed by another daemon: look again when it may end
            self.queue.put(path, self.group.retry_in())
            return
        if outcome.status in ("processed", "failed", "duplicate"):
            self.stats[outcome.status] += 1
        self.stats["hits"] += outcome.hits
        if outcome.status == "failed":
            self._error(f"{outcome.path}: {outcome.error}")
            if outcome.error != EMPTY:  # (an empty file is read when it is written)
                self._unscreened(f"{outcome.path}: {outcome.error}")

    def _unscreened(self, what: str) -> None:
        """A file that could not be screened (binary, too large, unreadable) is news to
        the health entries: at once, then at most once every UNSCREENED_EVERY with how many
        more there were (see tell_unscreened)."""
        with self._unscreened_lock:
            self._unscreened_since.append(what)
        self.tell_unscreened()

    def tell_unscreened(self) -> None:
        now = time.monotonic()
        with self._unscreened_lock:
            files = self._unscreened_since
            if not files or now - self._unscreened_told < UNSCREENED_EVERY:
                return
            self._unscreened_since, self._unscreened_told = [], now
        config = self.notifier.config_arg
        self._health("files not screened",
                     f"{len(files)} file(s) could not be screened for the watchlist, e.g. "
                     f"{files[0]}. `watcher files{config}` lists them with why.")

    def _error(self, message: str) -> None:
        """The last error, for status: with its time, as it may have been fixed since."""
        self.stats["last_error"] = f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC: {message}"

    def drain_outbox(self) -> int:
        """Due pending notifications become messages (notify policy); due messages are sent."""
        try:
            self.dispatcher.flush()
            sent = self.dispatcher.drain(stop=self.stop_event)
        except Exception as exc:
            if not is_transient(exc):
                raise
            self._database_fails("outbox", exc)  # the next run (a second) tries again
            return 0
        self._database_works("outbox")
        return sent

    def _database_fails(self, job: str, exc: BaseException) -> None:
        """One line when a job first finds the database gone (not a traceback a second)."""
        if job in self._db_down:
            log.debug("%s: database still unreachable: %s", job, exc)
            return
        self._db_down.add(job)
        cause = getattr(exc, "orig", None) or exc
        log.warning("%s: database unreachable (%s: %s); trying again", job,
                    type(cause).__name__, str(cause).strip().splitlines()[0])

    def _database_works(self, job: str) -> None:
        if job in self._db_down:
            self._db_down.discard(job)
            log.info("%s: database reachable again", job)

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
            if not is_transient(exc):
                log.warning("heartbeat failed: %s", exc)
            else:
                self._database_fails("heartbeat", exc)
            return
        self._database_works("heartbeat")
        try:
            self._check_group_config()
        except Exception as exc:  # noqa: BLE001 - a warning only; the next beat tries again
            log.debug("group config not compared: %s", exc)

    def _group_stats(self) -> dict:
        return {"processed": self.stats["processed"], "failed": self.stats["failed"],
                "queue": len(self.queue) + len(self.parked),
                "last_error": str(self.stats["last_error"])[:500],
                "config_digest": self._config_digest()}

    def _config_digest(self) -> str:
        """What this daemon matches and routes with, the same across a group as it should
        be: its watchlist's entities and its notify entries' routing (no URL: no secret)."""
        watch = self.watch()
        if self._digest[0] is not watch:
            ents = [(e.id, e.name, e.type, e.aliases, e.tags, e.threshold, e.exact, e.exclude)
                    for e in sorted(watch.entities.values(), key=lambda e: e.id)]
            routes = [(k, t.entry.tags, t.entry.types, t.entry.min_score, t.entry.mode,
                       t.entry.health) for k, t in sorted(self.notifier.targets.items())]
            digest = hashlib.sha256(repr((ents, routes)).encode()).hexdigest()[:12]
            self._digest = (watch, digest)
        return self._digest[1]

    def _check_group_config(self) -> None:
        """Warn once for each daemon of the group that runs another watchlist or notify
        entries: a hit it processes is matched and routed with its own, silently."""
        mine = self._config_digest()
        others = {d["id"] for d in self.store.daemons(forget_after=self.settings.lease)
                  if d["id"] != self.group.id and d["stopped_at"] is None
                  and d["config_digest"] not in ("", mine)}
        for daemon in sorted(others - self._told_config):
            log.warning("daemon %s runs another watchlist or other notify entries than this "
                        "one: each matches and routes what it processes with its own",
                        daemon)
        self._told_config = others

    def request_rescan(self) -> None:
        self._rescan_wanted.set()

    def _rescanner(self) -> None:
        """Runs the scans one after another. A request during a scan means one more scan:
        an overflow in the middle of a scan may have hidden files it had passed already.
        (Not an apscheduler job: a job already running drops a run_now() request.)"""
        while not self.stop_event.is_set():
            if self._rescan_wanted.wait(1.0):
                self._rescan_wanted.clear()
                try:
                    self.rescan()
                except Exception as exc:  # noqa: BLE001 - e.g. the database briefly locked
                    log.error("rescan failed, retrying: %s", exc)
                    time.sleep(1.0)
                    self._rescan_wanted.set()

    def _overflowed(self) -> None:
        """The kernel dropped inotify events (a burst): only a scan can find those files."""
        log.warning("inotify queue overflowed: rescanning %s", self.settings.inbox)
        self.stats["overflows"] += 1
        self.request_rescan()

    def rescan(self) -> int:
        """Queue every file in the inbox that was not handled as it is now."""
        # In move mode every file in the inbox is queued: one already handled is a file the
        # daemon was killed before moving; the pipeline finds it unchanged and moves it.
        known = {} if self.settings.after_processing == "move" else self.store.known_files()
        count = self.inbox.enqueue_tree(
            str(self.settings.inbox),
            skip=lambda p, st: same_version(known.get(printable(p)), st))
        if count:
            log.info("scan found %d new or changed file(s) in %s", count, self.settings.inbox)
        return count

    # -- life cycle ------------------------------------------------------------------------

    def start(self) -> None:
        self.inbox.start()  # (made first if missing: the group marks it as watched)
        self._inbox_id = _identity(self.settings.inbox)
        self.group.join()
        self.heartbeat()  # the group knows this daemon's config digest at once
        self.jobs.every("heartbeat", self.group.heartbeat_interval, self.heartbeat)
        self._watchlist_observer = watch_file(self.settings.watchlist, self.schedule_reload,
                                              self.watchlist_gone)
        self.jobs.add_drain(self.settings.outbox_interval, self.drain_outbox)
        self.jobs.every("rescan", self.settings.rescan_interval, self.request_rescan)
        self.rescanner = threading.Thread(target=self._rescanner, name="rescanner", daemon=True)
        self.rescanner.start()
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
        self._serve_metrics()
        if self._start_problems:
            self._watchlist_told = True
            self._health("watchlist invalid at start",
                         "The watchlist file is invalid; the last valid one serves until it is "
                         "fixed.\n" + "\n".join(self._start_problems))
        for note in self.notifier.tag_notes(self.watch().entities.values()):
            log.warning("%s", note)
        found = self.rescan()  # catch-up: what arrived while we were down
        log.info("watching %s (%d entities, %d notify target(s), %d worker(s)); "
                 "%d file(s) to catch up", self.settings.inbox, len(self.watch().entities),
                 len(self.notifier.targets), n, found)
        self.write_status()
        sd_notify("READY=1\nSTATUS=watching " + str(self.settings.inbox))

    def problems(self, restart_helps: bool = False) -> list[str]:
        """Why the daemon is not healthy: a dead thread, or a worker without progress for
        stall_timeout. Empty when healthy. A timer thread alone would keep pinging systemd
        while a dead worker ignores every file; this is what the pings depend on, with
        `restart_helps`: only the problems a restart can cure."""
        now = time.monotonic()
        threads = [*self.workers, *([self.rescanner] if self.rescanner else [])]
        found = [f"{t.name} died" for t in threads if not t.is_alive()]
        found += [f"{name} made no progress for {now - beat:.0f} s"
                  for name, beat in list(self.heartbeats.items())
                  if now - beat > self.stall_timeout]
        if self._inbox_gone is not None:
            # unhealthy, but no reason for the watchdog to restart the daemon: no restart
            # brings the folder (a mount) back, and the daemon watches for it itself
            if not restart_helps:
                found.append(f"the inbox {self.settings.inbox} is gone (since "
                             f"{self._inbox_gone:%Y-%m-%d %H:%M:%S} UTC)")
        elif not self.inbox.alive():
            found.append("the inbox observer is not running")
        if not self.jobs.scheduler.running:
            found.append("the scheduler is not running")
        fails = max(list(self._store_failures.values()), default=0)
        if fails >= STORE_FAILS_UNHEALTHY:  # a full disk, a read-only or broken database
            found.append(f"storing fails ({fails} tries of a file): "
                         f"{self.stats['last_error']}")
        if self._db_file and _identity(self._db_file) != self._db_identity:
            # SQLite goes on writing to the deleted file: all of it lost at the next start
            found.append(f"the database {self._db_file} was deleted or replaced while "
                         "running: what is stored now is lost; restart the daemon")
        return found

    def _serve_metrics(self) -> None:
        port = self.settings.metrics_port
        if not port:
            return
        from .metrics import serve

        try:
            serve(port, self.status, self.store.counts)
        except OSError as exc:  # e.g. the port is taken: alerts matter more than metrics
            log.error("no metrics endpoint on 127.0.0.1:%d: %s", port, exc)
            self._error(f"metrics port {port}: {exc}")

    def healthy(self) -> bool:
        return not self.problems()

    def ping_watchdog(self) -> None:
        """WATCHDOG=1 every watchdog_interval, only while healthy: systemd then restarts a
        daemon whose worker hangs or died (Restart=on-failure after WatchdogSec)."""
        now = time.monotonic()
        if self.watchdog_interval is None or now - self._last_ping < self.watchdog_interval:
            return
        problems = self.problems(restart_helps=True)
        if problems:
            if self._last_ping >= 0:  # log once per unhealthy spell, not at every tick
                log.error("unhealthy, not pinging the systemd watchdog: %s", "; ".join(problems))
                self._error("unhealthy: " + "; ".join(problems))
            self._last_ping = -1.0
            return
        if self._last_ping < 0:
            log.info("healthy again: pinging the systemd watchdog")
        sd_notify("WATCHDOG=1")
        self._last_ping = now

    def check_inbox(self) -> None:
        """Watch the inbox again when it was deleted and recreated, or replaced (a folder
        moved over it): the old watch follows the old folder, or stopped with it."""
        ident = _identity(self.settings.inbox)
        if ident is None:
            if self._inbox_gone is None:  # said once: the health entries hear it too
                self._inbox_gone = datetime.now(UTC)
                log.error("inbox %s is gone; waiting for it to be created again",
                          self.settings.inbox)
                self._error(f"inbox {self.settings.inbox} is gone")
                self._health("inbox gone", f"The inbox {self.settings.inbox} is gone: no file "
                             "is screened until it is back (a mount lost, a folder moved?).")
            return
        if self._inbox_gone is not None:
            log.warning("inbox %s is back", self.settings.inbox)
            self._health("inbox back", f"The inbox {self.settings.inbox} is back; what "
                         "arrived meanwhile is screened now.")
            self._inbox_gone = None
            self.request_rescan()
        if ident == self._inbox_id and self.inbox.alive():
            return  # (moved away and back: the watch followed it)
        log.warning("inbox %s was removed or replaced; watching it again",
                    self.settings.inbox)
        try:
            self.inbox.restart()
        except OSError as exc:
            log.error("cannot watch %s: %s", self.settings.inbox, exc)
            return
        self._inbox_id = ident
        self.request_rescan()  # what was dropped before the new watch

    def tick(self) -> None:
        """Every loop turn: inbox still there, status file, systemd watchdog."""
        self.check_inbox()
        self.tell_unscreened()
        self.write_status()
        self.ping_watchdog()

    def status(self) -> dict:
        return {"pid": os.getpid(), "started": datetime.fromtimestamp(self.started, UTC)
                .isoformat(timespec="seconds"), "uptime_s": round(time.time() - self.started),
                "queue": len(self.queue), "entities": len(self.watch().entities),
                "healthy": self.healthy(), "problems": self.problems(),
                "daemon_id": self.group.id, **self.stats}

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
        step = min(1.0, self.watchdog_interval or 1.0)
        try:
            while not self.stop_event.wait(step):
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
        deadline = time.monotonic() + STOP_GRACE
        for t in self.workers:  # a hung worker must not hold the exit: threads are daemons
            t.join(timeout=max(0.0, deadline - time.monotonic()))
        stuck = [t.name for t in self.workers if t.is_alive()]
        if stuck:
            log.warning("stopping without waiting for %s, still on a file", ", ".join(stuck))
        self.jobs.shutdown()
        self.analyser.close(wait=not stuck)
        if not cache_written(timeout=max(1.0, deadline - time.monotonic())):
            log.warning("stopping while the compiled watchlist is still being cached: the "
                        "next start compiles it again")
        try:
            self.group.leave(**self._group_stats())  # hand back claims and leases now
        except Exception as exc:  # noqa: BLE001 - they expire after the lease anyway
            log.warning("could not leave the group cleanly: %s", exc)
        self.write_status()
        self.store.close()


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path, follow_symlinks=False)
    except OSError:
        return None


DB_WAIT_FOR = 600.0  # seconds a starting daemon waits for a database server not reachable yet
_UNREACHABLE = re.compile(r"refused|timeout expired|timed out|starting up|shutting down|"
                          r"could not translate host name|no route to host|network is "
                          r"unreachable|server closed the connection", re.IGNORECASE)


def _open_store(url: str, stop: threading.Event) -> Store:
    """The store. A database server not reachable yet (booting beside this host, restarting)
    is waited for, up to DB_WAIT_FOR, with systemd told: exiting would make systemd give up
    after its StartLimitBurst, within half a minute. A wrong password or database name is
    no reason to wait."""
    deadline, delay = time.monotonic() + DB_WAIT_FOR, 1.0
    while True:
        try:
            return Store(url)
        except StoreError as exc:
            if not _UNREACHABLE.search(str(exc)) or stop.is_set() or \
                    time.monotonic() + delay > deadline:
                raise
            if delay == 1.0:
                log.warning("%s; waiting for it (up to %.0f s)", exc, DB_WAIT_FOR)
            with more_start_time("waiting for the database"):
                stop.wait(delay)
            delay = min(delay * 2, 30.0)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino
