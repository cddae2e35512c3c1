"""From pending notifications to delivered messages: flush, digests, outbox drain.

The pipeline stores what each entry should hear about (pending rows, in the document's
transaction). `flush` applies each immediate entry's policy (policy.py) and turns what is due
into outbox messages, in one transaction; `digest` does the same for a digest entry on its
schedule; `drain` delivers due outbox messages, one apprise call per message and entry.
Every decision reads its state from the database and takes `now` from one clock, so
cooldowns, groups and silences survive restarts and reloads, and tests need no sleeps.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from .models import Alert, Mention, Rollup
from .notify import Notifier
from .policy import Item, Plan, Silence, plan_digest, plan_immediate, quiet_until
from .store import PendingRow, Store, as_utc, utcnow

log = logging.getLogger(__name__)

# A target down for longer than retry_for loses its backlog one message per drain pass: one
# health alert per entry in this time says so, and the next one counts those since.
DEAD_NOTICE_EVERY = timedelta(hours=1)


def _item(row: PendingRow) -> Item:
    return Item(id=row.id, entity_id=row.entity_id, document_id=row.document_id,
                created_at=as_utc(row.created_at), mentions=row.mentions,
                held=row.state == "held")


class Dispatcher:
    def __init__(self, store: Store, notifier: Notifier,
                 clock: Callable[[], datetime] = utcnow,
                 on_health: Callable[[str, str], None] | None = None, group=None):
        self.store = store
        self.notifier = notifier
        self.clock = clock
        self.on_health = on_health or self.queue_health
        self.group = group  # several daemons: a message is leased before it is sent
        self._lock = threading.Lock()  # one flush or digest at a time
        self._dead: dict[str, tuple[datetime, int]] = {}  # entry -> last notice, dead since

    # -- policy ----------------------------------------------------------------------------

    def _silences(self, rows: list[PendingRow]) -> list[Silence]:
        """The silences that may cover these rows: those that end after the oldest was found
        (not every silence ever set, read again on every flush)."""
        if not rows:
            return []
        oldest = min(as_utc(r.created_at) for r in rows)
        return [Silence(s.entity_id, as_utc(s.created_at), as_utc(s.until))
                for s in self.store.silences(active_at=oldest)]

    def flush(self, now: datetime | None = None) -> int:
        """Turn due pending notifications of immediate entries into outbox messages."""
        now = now or self.clock()
        keys = [k for k, t in self.notifier.targets.items() if t.entry.mode == "immediate"]
        if not keys:
            return 0
        # one daemon of a group flushes at a time: others would render the same rows into
        # messages, then find them decided (store.decide) and throw their work away
        with self._lock, self.store.group_lock("flush"):
            rows = self.store.pending(("new", "held"), entries=keys)
            if not rows:
                return 0
            silences = self._silences(rows)
            last = self._last_alerts(keys, rows)
            added = 0
            for key in keys:
                mine = [r for r in rows if r.entry == key]
                if not mine:
                    continue
                entry = self.notifier.targets[key].entry
                last_alert = {ent: t for (k, ent), t in last.items() if k == key}
                plan = plan_immediate(entry, [_item(r) for r in mine], last_alert, silences,
                                      now)
                added += self._apply(key, plan, mine, "alert")
            return added

    def _last_alerts(self, keys: list[str], rows: list[PendingRow]
                     ) -> dict[tuple[str, str], datetime]:
        """The last alert of each waiting entity, for the entries with a cooldown
        (repeat_interval): only one within the cooldown of the oldest waiting row can hold a
        row back, so older history is not read."""
        cooled = [k for k in keys if self.notifier.targets[k].entry.repeat_interval]
        if not cooled:
            return {}
        longest = max(self.notifier.targets[k].entry.repeat_interval for k in cooled)
        oldest = min(as_utc(r.created_at) for r in rows)
        return self.store.last_alerts(cooled, entities={r.entity_id for r in rows},
                                      since=oldest - longest)

    def digest(self, key: str, now: datetime | None = None) -> int:
        """Everything a digest entry is waiting for, in one message (none if nothing)."""
        now = now or self.clock()
        with self._lock:
            rows = self.store.pending(("new", "held"), entries=[key])
            plan = plan_digest([_item(r) for r in rows], self._silences(rows), now)
            added = self._apply(key, plan, rows, "digest")
        if added:
            log.info("digest for %s: %d item(s)", key, len(rows))
        return added

    def oldest_waiting(self, key: str) -> datetime | None:
        rows = self.store.pending(("new",), entries=[key])
        return as_utc(rows[0].created_at) if rows else None

    def _apply(self, key: str, plan: Plan, rows: list[PendingRow], kind: str) -> int:
        by_id = {r.id: r for r in rows}
        sources = self.store.alert_sources(list(dict.fromkeys(
            (by_id[i.id].document_id, by_id[i.id].entity_id)
            for batch in plan.messages for i in batch.items)))
        messages = []
        for batch in plan.messages:
            items = [by_id[i.id] for i in batch.items]
            rolled = [by_id[i.id] for i in batch.rolled]
            message = self.notifier.message(key, _alerts(items, *sources), _rollups(rolled),
                                            kind)
            messages.append((message, [r.id for r in items + rolled]))
        if not (messages or plan.held or plan.silenced):
            return 0
        return self.store.decide(messages=messages,
                                 states={"held": plan.held, "silenced": plan.silenced})

    # -- delivery --------------------------------------------------------------------------

    def drain(self, now: datetime | None = None, stop: threading.Event | None = None) -> int:
        """Send every due message once; failed ones get a later retry time or die.

        After a failure, the entry's other due messages wait for the next pass: a target
        that is down costs one attempt per pass, and never delays or repeats another's. So
        do those of an entry whose service apprise would make us wait for (a burst of
        emails): the other entries' messages go out meanwhile.
        """
        now = now or self.clock()
        self._tell_dead(now)
        sent, failed_entries, quiet, last_id = 0, set(), {}, 0
        me = self.group.id if self.group else None
        while rows := self.store.due_messages(now, skip_entries=sorted(failed_entries),
                                              after_id=last_id, free_for=me):
            mine = self.group.lease_messages([r.id for r in rows]) if self.group else None
            for row in rows:
                if stop is not None and stop.is_set():
                    return sent
                last_id = row.id
                if row.entry in failed_entries or (mine is not None and row.id not in mine):
                    continue
                if self.notifier.wait_before_send(row.entry) > 0:
                    failed_entries.add(row.entry)  # spaced out by apprise: a later pass
                    if self.group:
                        self.group.release_message(row.id)
                    continue
                delivered = 0
                try:
                    delivered = self._deliver(row, now, quiet, failed_entries)
                    sent += delivered
                finally:
                    if self.group and not delivered:  # a sent one let go in mark_sent
                        self.group.release_message(row.id)
        return sent

    def _deliver(self, row, now: datetime, quiet: dict, failed_entries: set) -> int:
        """Send one message (or defer it for quiet hours); 1 if it was delivered."""
        target = self.notifier.targets.get(row.entry)
        if target is not None:
            if row.entry not in quiet:
                quiet[row.entry] = quiet_until(target.entry.quiet_hours, now)
            if quiet[row.entry] is not None:  # quiet hours: later, not an attempt
                self.store.defer([row.id], quiet[row.entry])
                return 0
        error = self.notifier.send(row.entry, row.title, row.body, row.body_format, row.kind)
        if error is None:
            # with its lease: one commit per message sent, not two
            self.store.mark_sent(row.id, self.group.id if self.group else None)
            if row.attempts:  # the failures were logged: say that it got through
                log.info("message %d (%s) delivered to %s at attempt %d", row.id, row.kind,
                         row.entry, row.attempts + 1)
            else:
                log.debug("message %d (%s) delivered to %s", row.id, row.kind, row.entry)
            return 1
        failed_entries.add(row.entry)
        self._failed(row, error, now)
        return 0

    def _failed(self, row, error: str, now: datetime) -> None:
        retry_at = self.notifier.retry_at(row.attempts + 1, as_utc(row.created_at), now)
        self.store.mark_failed(row.id, error, retry_at)
        if retry_at is not None:
            self.store.defer_entry(row.entry, retry_at)
            log.warning("message %d to %s failed (attempt %d), retry at %s: %s", row.id,
                        row.entry, row.attempts + 1, retry_at.strftime("%H:%M:%S"), error)
            return
        log.error("gave up on message %d to %s after %d attempts: %s", row.id, row.entry,
                  row.attempts + 1, error)
        if row.kind == "health":
            return
        told = self._dead.get(row.entry)
        if told is not None and now - told[0] < DEAD_NOTICE_EVERY:
            self._dead[row.entry] = (told[0], told[1] + 1)  # told in _tell_dead, later
            return
        self._dead[row.entry] = (now, 0)
        self.on_health("alert delivery failed",
                       f"Message {row.id} ({row.title}) to {row.entry} is dead after "
                       f"{row.attempts + 1} attempts: {error}. {self._retry_hint()}")

    def _tell_dead(self, now: datetime) -> None:
        """One health alert for the messages of each entry that died since its last one,
        once DEAD_NOTICE_EVERY has passed."""
        for entry, (told, count) in list(self._dead.items()):
            if now - told < DEAD_NOTICE_EVERY:
                continue
            if count:
                self.on_health("alert delivery failed",
                               f"{count} more message(s) to {entry} died since "
                               f"{told:%Y-%m-%d %H:%M} UTC. {self._retry_hint()}")
                self._dead[entry] = (now, 0)
            else:
                del self._dead[entry]

    def _retry_hint(self) -> str:
        config = self.notifier.config_arg
        return (f"`watcher outbox{config} --status dead` lists the dead messages; `watcher "
                f"outbox retry{config}` sends them again.")

    def queue_health(self, title: str, body: str) -> None:
        messages = self.notifier.health_messages(title, body)
        if messages:
            self.store.add_messages(messages)




def _alerts(rows: list[PendingRow], docs: dict, hits: dict) -> list[Alert]:
    """Rebuild what each pending row reports from the stored document and hits."""
    alerts = []
    for r in rows:
        doc, found = docs.get(r.document_id), hits.get((r.document_id, r.entity_id), [])
        mentions = tuple(Mention(text=h.text, alias=h.alias, score=h.score,
                                 method=h.method, detail=h.detail, start=h.start,
                                 end=h.end, before=h.before, after=h.after)
                         for h in found)
        alerts.append(Alert(
            entity_id=r.entity_id, entity_name=r.entity_name, entity_type=r.entity_type,
            tags=(), path=doc.path if doc else "?", sha256=doc.sha256 if doc else "",
            found_at=as_utc(r.created_at).isoformat(timespec="seconds"),
            mentions=mentions))
    return alerts


def _rollups(rows: list[PendingRow]) -> list[Rollup]:
    out: dict[str, list[PendingRow]] = {}
    for r in rows:
        out.setdefault(r.entity_id, []).append(r)
    return [Rollup(entity_id=e, mentions=sum(r.mentions for r in rs),
                   documents=len({r.document_id for r in rs}),
                   since=min(as_utc(r.created_at) for r in rs).isoformat(timespec="seconds"))
            for e, rs in out.items()]
