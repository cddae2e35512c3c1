"""Several daemons on one database: membership, heartbeat and the claims that share the work.

Every daemon registers itself in `daemons` (id host:pid:start) and stamps a heartbeat every
lease/3; the heartbeat also extends the leases of what it holds. Before matching a document a
daemon claims its SHA-256 (one row per hash: one owner); before sending an outbox message it
leases the row. A daemon that dies stops renewing: its claims and leases expire after `lease`
and another daemon takes the work over. Scheduled jobs that must run once for the whole
group (digests) claim a (job, scheduled time) key first: see `run_once`.

The coordination is all in the database (store.py); nothing here talks to other daemons.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import threading
import time
import zlib
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from .store import Store, utcnow

log = logging.getLogger(__name__)

MARKER_STALE = 3600.0  # seconds untouched after which a daemon's inbox marker is swept
MEMBERS_MAX_AGE = 1.0  # seconds a view of the group's members is used before it is re-read


def daemon_id(started: datetime) -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{int(started.timestamp())}"


class Group:
    """This daemon's membership of the group that shares the database."""

    def __init__(self, store: Store, lease: timedelta, inbox: Path | None = None):
        self.store = store
        self.lease = lease
        self.inbox = inbox  # shared with the daemons whose marker it shows (see _mark)
        self.started = utcnow()
        self.id = daemon_id(self.started)
        self._local = threading.local()  # per worker thread: the claim it holds
        self._unreleased: set[str] = set()  # claims whose release failed: retried on heartbeat
        self._lock = threading.Lock()
        self._unmarked = False  # the inbox could not be marked (told once)
        self.members: list[str] = []  # live daemons on this inbox, refreshed on heartbeats
        self._members_at = 0.0  # time.monotonic() of the last refresh

    @property
    def heartbeat_interval(self) -> timedelta:
        return self.lease / 3

    # -- membership ------------------------------------------------------------------------

    def join(self) -> None:
        self.store.register_daemon(self.id, socket.gethostname(), os.getpid(), self.started)
        self._bury_dead_neighbours()
        self._mark()
        self._sweep_markers()
        self._refresh_members()

    def _marker(self, daemon: str) -> Path | None:
        if self.inbox is None:
            return None
        return self.inbox / (".watcher-daemon-" + re.sub(r"[^\w.-]", "_", daemon))

    def _mark(self) -> None:
        """Leave a hidden file in the inbox that says this daemon watches it: the daemons
        that see each other's markers share one inbox (one folder, or one network share
        mounted anywhere) and split its files; daemons on separate inboxes (a folder per
        host, even at the same path) see none and split nothing. Without write access to
        the inbox, this daemon handles all it sees itself (claims keep that exactly-once).
        Touched on every heartbeat (see _sweep_markers)."""
        marker = self._marker(self.id)
        if marker is None:
            return
        try:
            marker.touch()
        except OSError as exc:
            if not self._unmarked:
                log.info("inbox not marked as watched by this daemon (%s): it shares its "
                         "files with no other daemon", exc)
            self._unmarked = True

    def _sweep_markers(self) -> None:
        """At start: the markers of daemons killed long ago (untouched for MARKER_STALE)
        are removed. (Not on every heartbeat: it lists the whole inbox.)"""
        marker = self._marker(self.id)
        if marker is None:
            return
        stale = time.time() - max(MARKER_STALE, 10 * self.lease.total_seconds())
        for other in marker.parent.glob(".watcher-daemon-*"):
            try:
                if other.lstat().st_mtime < stale:
                    other.unlink()
            except OSError:
                pass  # swept by another daemon meanwhile

    def _bury_dead_neighbours(self) -> None:
        """A daemon of this host whose process is gone (killed, crashed) is dead now, not a
        lease from now: hand its claims and leases back at once, so a restart after SIGKILL
        resumes without waiting for them to expire."""
        host = socket.gethostname()
        for d in self.store.daemons(forget_after=timedelta(days=1)):
            if d["host"] == host and d["stopped_at"] is None and d["id"] != self.id \
                    and not pid_alive(d["pid"]):
                log.info("daemon %s of this host is gone: taking back its work", d["id"])
                self.store.leave(d["id"])

    def heartbeat(self, **stats) -> None:
        with self._lock:
            pending, self._unreleased = self._unreleased, set()
        for sha in pending:
            self._release(sha)
        self.store.heartbeat(self.id, self.lease, **stats)
        self._mark()  # touched (and made again after the inbox was recreated)
        self._refresh_members()

    def _refresh_members(self) -> None:
        self._members_at = time.monotonic()
        live = self.store.live_daemons(self.lease)
        mine = self._marker(self.id)
        if mine is None or not mine.exists():
            self.members = []  # nothing to share (or no way to tell with whom)
            return
        self.members = [d for d in live if d == self.id or self._marker(d).exists()]

    def elsewhere(self, path: str) -> bool:
        """Whether `path` is the share of another live daemon on this inbox.

        Each path hashes to one live member. A daemon handles its own share first and the
        others' only when it has nothing else to do: so daemons on one inbox seldom read the
        same file or race for the same claim, and a dead or slow member's share is still
        picked up (by claims, which decide who really processes a document).
        """
        if time.monotonic() - self._members_at > MEMBERS_MAX_AGE:
            # a daemon that joined since the last heartbeat gets its share at once: views
            # that differ for long leave paths that every daemon thinks another's
            try:
                self._refresh_members()
            except Exception as exc:  # noqa: BLE001 - the heartbeat reports a lost database
                log.debug("group members not refreshed: %s", exc)
        members = self.members
        if len(members) < 2 or self.id not in members:
            return False
        return members[zlib.crc32(path.encode("utf-8", "surrogateescape")) % len(members)] != \
            self.id

    def leave(self, **stats) -> None:
        self.store.leave(self.id, **stats)
        marker = self._marker(self.id)
        if marker is not None:
            marker.unlink(missing_ok=True)

    # -- documents -------------------------------------------------------------------------

    def acquire(self, sha256: str, path: str) -> bool:
        """Claim a document for this worker thread; False when another daemon has it (or
        has finished it): ask again after retry_in() seconds."""
        return self.claim(sha256, path) == "mine"

    def claim(self, sha256: str, path: str) -> str:
        """acquire(), telling why not: "mine", "busy" (another daemon holds it: ask again
        after retry_in() seconds) or "done" (stored already: a duplicate)."""
        return self._took(sha256, *self.store.claim_document(sha256, self.id, path, self.lease))

    def look(self, sha256: str, path: str):
        """What was handled at `path` before (Store.file_seen) and claim()'s answer, in one
        round trip on PostgreSQL: a file's first two questions."""
        seen, state, expires = self.store.look_and_claim(path, sha256, self.id, self.lease)
        return seen, self._took(sha256, state, expires)

    def _took(self, sha256: str, state: str, expires) -> str:
        if state == "mine":
            self._local.sha = sha256
        else:
            self._local.retry_at = expires  # None ("done"): look again at once
        return state

    def stored(self) -> None:
        """This worker thread's claim was let go with its stored document (save_document's
        claim_owner): nothing left to release."""
        self._local.sha = None

    def retry_in(self) -> float:
        """Seconds until the claim that made acquire() fail in this thread may be free."""
        expires = getattr(self._local, "retry_at", None)
        if expires is None:
            return 0.0
        return max(0.5, (expires - utcnow()).total_seconds() + 0.25)

    def release(self) -> None:
        """Let go of this worker thread's claim, if it holds one (after the document was
        stored, or failed, or could not be stored)."""
        sha = getattr(self._local, "sha", None)
        if sha is not None:
            self._local.sha = None
            self._release(sha)

    def _release(self, sha: str) -> None:
        try:
            self.store.release_document(sha, self.id)
        except Exception as exc:  # noqa: BLE001 - the heartbeat tries again
            log.warning("could not release the claim on %s: %s", sha[:12], exc)
            with self._lock:
                self._unreleased.add(sha)

    # -- outbox ----------------------------------------------------------------------------

    def claim_messages(self, limit: int = 100):
        """Due outbox messages leased to this daemon: no other daemon sends them."""
        return self.store.claim_messages(self.id, self.lease, limit=limit)

    def lease_messages(self, message_ids) -> set[int]:
        """Lease these due messages to this daemon; the ids it got."""
        return self.store.lease_messages(message_ids, self.id, self.lease)

    def release_message(self, message_id: int) -> None:
        self.store.release_message(message_id, self.id)

    # -- scheduled jobs that run once for the whole group ----------------------------------

    def run_once(self, job: str, scheduled_for: datetime) -> bool:
        """True for exactly one daemon of the group per (job, scheduled time). A run whose
        daemon died before finish_run() is taken over once its heartbeat is a lease old."""
        return self.store.claim_run(job, scheduled_for, self.id, stale_after=self.lease)

    def finish_run(self, job: str, scheduled_for: datetime,
                   messages: Sequence[dict] = ()) -> bool:
        """Queue a run's messages (e.g. a digest) and mark the run done, atomically."""
        return self.store.finish_run(job, scheduled_for, self.id, messages)


def pid_alive(pid) -> bool:
    """Whether a process with this id runs on this host."""
    try:
        os.kill(int(pid), 0)
    except (ProcessLookupError, TypeError, ValueError):
        return False
    except OSError:
        return True  # it exists, owned by someone else
    return True
