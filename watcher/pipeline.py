"""process(path): read -> extract -> match -> store, in one place.

Every per-file problem becomes a failure record and a log line, and the loop goes on; only a
database error escapes (the caller retries the file later), because then nothing could be
recorded and dropping the file would lose it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .errors import ExtractError, StoreError
from .extract import extract, read_file
from .matcher import Watch
from .models import Alert, Hit
from .notify import Notifier, mention
from .store import Store, is_transient

log = logging.getLogger(__name__)

# Analysing slower than this is a stuck worker (the watchdog pings stop), not a big file:
# a 200 MB file may take 800 s on top of stall_timeout.
MIN_RATE = 256 * 1024  # bytes per second

@dataclass(frozen=True)
class Outcome:
    path: str
    status: str  # processed | duplicate | unchanged | failed | vanished | gone | busy
    sha256: str = ""
    hits: int = 0
    notifications: int = 0  # pending notifications stored (entity x entry)
    entities: tuple[str, ...] = ()
    error: str = ""
    recorded: str = ""  # unchanged: the status stored when this file was handled
    move_to: Path | None = None  # move mode: where the document was recorded to be
    read: os.stat_result | None = None  # the version handled: move mode moves only that one


EMPTY = "empty file"


def printable(path: str) -> str:
    """A path safe for logs, terminals and the database: undecodable bytes escaped, and a
    name with a control character (a newline; ESC, which would drive the terminal that
    shows a log line) escaped whole."""
    raw = os.fsencode(path).decode("utf-8", "backslashreplace")
    return raw.encode("unicode_escape").decode("ascii") if _CONTROL.search(raw) else raw


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def alerts_for(watch: Watch, doc_path: str, sha256: str, text: str,
               hits: Sequence[Hit]) -> tuple[list[Alert], list[tuple[Hit, object]]]:
    """Group hits by entity into alerts; return the alerts and (hit, mention) pairs."""
    found_at = datetime.now(UTC).isoformat(timespec="seconds")
    pairs = [(h, mention(text, h)) for h in hits]
    alerts = []
    for entity_id in dict.fromkeys(h.entity_id for h in hits):
        ent = watch.entities[entity_id]
        mentions = tuple(m for h, m in pairs if h.entity_id == entity_id)
        alerts.append(Alert(entity_id=ent.id, entity_name=ent.name, entity_type=ent.type,
                            tags=ent.tags, path=doc_path, sha256=sha256, found_at=found_at,
                            mentions=mentions))
    return alerts, pairs


class Pipeline:
    def __init__(self, store: Store, notifier: Notifier,
                 analyse: Callable[[str, bytes], tuple[Watch, str, str, list[Hit]]], *,
                 max_size: int, inbox: Path | None = None, move_to: tuple[Path, Path] | None = None,
                 on_messages: Callable[[], None] = lambda: None,
                 on_progress: Callable[[float], None] = lambda allow=0.0: None, claims=None):
        self.store = store
        self.claims = claims  # group.Group: one daemon of several processes each document
        self.notifier = notifier
        self.analyse = analyse  # bytes -> (watchlist used, text, encoding, hits)
        self.max_size = max_size
        self.inbox = inbox
        self.move_to = move_to  # (processed_dir, failed_dir), or None to keep files in place
        self.on_messages = on_messages
        # a sign of life for the watchdog, from the worker thread, with the time the next
        # step may take (analysis runs in a pool process, which cannot report progress)
        self.progress = on_progress

    def process(self, path: str) -> Outcome:
        """Process one file. Raises StoreError only when the database cannot be written."""
        started = time.monotonic()
        shown = printable(path)
        try:
            outcome = self._process(path, shown)
        except StoreError:
            raise
        except Exception as exc:  # noqa: BLE001 - one bad file must never stop the others
            if is_transient(exc):
                # one line: SQLAlchemy's own message adds a "Background on this error" line
                cause = getattr(exc, "orig", None) or exc
                raise StoreError(f"database error while storing {shown}: "
                                 f"{type(cause).__name__}: {cause}") from exc
            log.exception("failed %s: unexpected error", shown)
            outcome = self._fail(path, shown, "", None, f"unexpected error: {exc!r}")
        finally:
            if self.claims is not None:
                self.claims.release()
        self._log(outcome, time.monotonic() - started)
        if outcome.status in ("processed", "duplicate", "failed"):
            self._move(path, outcome.move_to or self._destination(
                path, failed=outcome.status == "failed"), outcome.read)
        elif outcome.status == "unchanged" and self.move_to:
            # handled, but killed before the move: the restart scan finds it still here
            self._move(path, self._destination(path, failed=outcome.recorded == "failed"),
                       outcome.read)
        return outcome

    def _process(self, path: str, shown: str) -> Outcome:
        try:
            data, st = read_file(path, self.max_size)
        except FileNotFoundError:
            # recorded (status vanished, size 0, mtime 0: a new file there is still read)
            if self.store.record_vanished(shown, "deleted before it could be read"):
                return Outcome(shown, "vanished", error="deleted before it could be read")
            # handled before and moved away since: a stale queue entry, not news
            return Outcome(shown, "gone")
        except ExtractError as exc:
            return self._fail(path, shown, "", _lstat(path), str(exc))
        except OSError as exc:
            return self._fail(path, shown, "", _lstat(path), f"cannot read: {exc.strerror}")
        self.progress(len(data) / MIN_RATE)
        if not data:
            seen = self.store.file_seen(shown)
            if same_version(seen, st):
                return Outcome(shown, "unchanged", recorded=seen.status, read=st)
            # no sha256 stored: an empty file is not a document every later empty file
            # would be a "duplicate" of
            return self._fail(path, shown, "", st, EMPTY)
        sha = hashlib.sha256(data).hexdigest()
        # in a group the claim tells whether the document is stored already: no lookup first;
        # it comes with the path's record (one round trip on PostgreSQL)
        seen, state = (self.store.file_seen(shown), "mine") if self.claims is None \
            else self.claims.look(sha, shown)
        if same_version(seen, st):  # (a claim taken meanwhile is let go by process())
            return Outcome(shown, "unchanged", recorded=seen.status, read=st)
        if state == "busy":
            return Outcome(shown, "busy", sha)  # another daemon of the group has it
        if state == "done" or (self.claims is None and self.store.has_document(sha)):
            self.store.record_file(shown, st.st_size, st.st_mtime_ns, sha, "processed",
                                   st.st_ctime_ns)
            return Outcome(shown, "duplicate", sha, read=st)
        try:
            watch, text, encoding, hits = self.analyse(path, data)
        except ExtractError as exc:
            return self._fail(path, shown, sha, st, str(exc))
        if " (" in encoding:  # processed, but say so: a truncated scrape, a damaged PDF
            log.warning("%s: %s", shown, encoding)
        old = _grown_from(path, seen, data, text)
        if old:  # the earlier version's mentions are stored and alerted already
            hits = [h for h in hits if h.end > old]
        alerts, pairs = alerts_for(watch, shown, sha, text, hits)
        # what each notify entry should hear about; its policy decides when (alerting.py)
        pending = self.notifier.pending_for(alerts)
        owner = self.claims.id if self.claims is not None else None
        # move mode: the document is recorded where it will be, so that alerts name it there
        # (same.1.txt when a same.txt was processed before)
        dest = self._destination(path, failed=False)
        _, created = self.store.save_document(
            path=shown, sha256=sha, size=st.st_size, mtime_ns=st.st_mtime_ns,
            ctime_ns=st.st_ctime_ns,
            encoding=encoding, hits=pairs, pending=pending, claim_owner=owner,
            location=printable(str(dest)) if dest else None)
        if self.claims is not None:
            self.claims.stored()  # the claim went with the document: one commit less
        if not created:
            return Outcome(shown, "duplicate", sha, move_to=dest, read=st)
        if pending:
            self.on_messages()
        elif alerts and not self.notifier.targets:
            for alert in alerts:
                log.warning("ALERT %s", _alert_line(alert))
        return Outcome(shown, "processed", sha, len(hits), len(pending),
                       tuple(a.entity_id for a in alerts), move_to=dest, read=st)

    def _fail(self, path: str, shown: str, sha: str, st: os.stat_result | None,
              error: str) -> Outcome:
        dest = self._destination(path, failed=True)  # move mode: recorded where it will be
        self.store.save_failure(path=shown, sha256=sha, size=st.st_size if st else 0,
                                mtime_ns=st.st_mtime_ns if st else 0,
                                ctime_ns=st.st_ctime_ns if st else 0, error=error,
                                location=printable(str(dest)) if dest else None)
        return Outcome(shown, "failed", sha, error=error, move_to=dest, read=st)

    def _log(self, o: Outcome, elapsed: float) -> None:
        ms = f"{elapsed * 1000:.0f} ms"
        moved = f"; moved to {printable(str(o.move_to))}" if o.move_to else ""
        if o.status == "processed":
            log.info("processed %s sha256=%s hits=%d entities=%s notifications=%d in %s%s",
                     o.path, o.sha256[:12], o.hits, ",".join(o.entities) or "-",
                     o.notifications, ms, moved)
        elif o.status == "failed" and o.error == EMPTY:  # touched, to be written: no error
            log.info("skipped %s: %s (read when it is written)%s", o.path, o.error, moved)
        elif o.status == "failed":
            log.error("failed %s: %s%s", o.path, o.error, moved)
        elif o.status == "vanished":
            log.warning("skipped %s: %s", o.path, o.error)
        elif o.status == "gone":
            log.debug("skipped %s: handled before, no longer there", o.path)
        elif o.status == "unchanged":  # a rescan after the inbox moved finds thousands
            log.debug("skipped %s: unchanged", o.path)
        else:
            log.info("skipped %s: %s%s", o.path, o.status,
                     f" (same content as a stored document, sha256={o.sha256[:12]})"
                     if o.status == "duplicate" else "")

    def _destination(self, path: str, failed: bool) -> Path | None:
        """Where move mode puts this file (a free name: same.1.txt after same.txt); None in
        keep mode."""
        if self.move_to is None or self.inbox is None:
            return None
        dest_root = self.move_to[1] if failed else self.move_to[0]
        try:
            rel = Path(path).relative_to(self.inbox)
        except ValueError:
            rel = Path(Path(path).name)
        return _free_name(dest_root / rel)

    def _move(self, path: str, dest: Path | None, read: os.stat_result | None) -> None:
        """Move the file handled to `dest`, if it is still the version `read`: one written
        over it meanwhile (a scraper saving same.txt again) stays, to be read in its turn
        (the queue runs a path put while it was handled again: ingest.WorkQueue)."""
        if dest is None:
            return
        if read is not None and not _same_file(path, read):
            log.info("not moved %s: written over or removed while it was handled (a new "
                     "version is read in its turn)", printable(path))
            return
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(path, dest)
        except OSError as exc:
            log.warning("could not move %s to %s: %s", printable(path), dest, exc)


def _same_file(path: str, read: os.stat_result) -> bool:
    """Whether the file at `path` is the one `read` (a stat of it): the same inode, size and
    modification time (of a symbolic link itself: lstat). (Gone: no; nothing to move.)"""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return (st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns) == \
        (read.st_ino, read.st_dev, read.st_size, read.st_mtime_ns)


def same_version(seen, st: os.stat_result) -> bool:
    """Whether a file is the version handled before: seen is (size, mtime_ns, ctime_ns) as
    stored, or None (never handled). ctime too: a copy that keeps its mtime (cp -p, rsync -a,
    tar) is a new file, and a chmod that makes an unreadable file readable changes it. A
    ctime of 0 was stored before ctimes were: size and mtime decide."""
    if seen is None:
        return False
    size, mtime, ctime = seen[0], seen[1], seen[2]
    return (size, mtime) == (st.st_size, st.st_mtime_ns) and ctime in (0, st.st_ctime_ns)


def _grown_from(path: str, seen, data: bytes, text: str) -> int:
    """The length of the text this path had when it was last processed, if `data` is that
    text with more added (a writer appending, closing the file after each part): its
    mentions were alerted then. 0 for anything else."""
    if seen is None or seen.status != "processed" or not 0 < seen.size < len(data) or \
            hashlib.sha256(data[:seen.size]).hexdigest() != seen.sha256:
        return 0
    try:
        before, _ = extract(path, data[:seen.size])
    except ExtractError:
        return 0
    return len(before) if text.startswith(before) else 0


def _lstat(path: str) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except OSError:
        return None


def _free_name(dest: Path) -> Path:
    if not dest.exists():
        return dest
    for n in range(1, 10_000):
        candidate = dest.with_name(f"{dest.stem}.{n}{dest.suffix}")
        if not candidate.exists():
            return candidate
    return dest.with_name(f"{dest.name}.{time.time_ns()}")


def _alert_line(alert: Alert) -> str:
    words = ", ".join(f"{m.text!r} ({m.method} {m.score:.0f})" for m in alert.mentions[:5])
    more = len(alert.mentions) - 5
    if more > 0:  # (`watcher hits` lists them all)
        words += f" and {more} more mention{'s' * (more != 1)}"
    return f"{alert.entity_name} ({alert.entity_type}) in {alert.path}: {words}"
