"""When pending notifications become messages: grouping, cooldown, silences, quiet hours.

Pure functions of their inputs and `now`: no clock, no database, no third-party library, so
every rule is testable without sleeping. `alerting.Dispatcher` feeds them rows from the
store and writes back what they decide.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .config import NotifyEntry, QuietHours


@dataclass(frozen=True)
class Item:
    """One entity in one document for one entry, as the policy sees it."""

    id: int
    entity_id: str
    document_id: int
    created_at: datetime
    mentions: int = 1
    held: bool = False  # already counted into a cooldown, waiting for the next message


@dataclass(frozen=True)
class Silence:
    entity_id: str
    start: datetime
    until: datetime


@dataclass(frozen=True)
class Batch:
    """What one message reports: `items` in full, `rolled` only counted ("N more since")."""

    items: tuple[Item, ...]
    rolled: tuple[Item, ...] = ()


@dataclass
class Plan:
    messages: list[Batch] = field(default_factory=list)
    held: list[int] = field(default_factory=list)
    silenced: list[int] = field(default_factory=list)
    wake_at: datetime | None = None  # when a waiting item becomes due (None: nothing waits)


# -- quiet hours and silences ----------------------------------------------------------------

def _hhmm(s: str) -> time:
    hours, minutes = s.split(":")
    return time(int(hours) % 24, int(minutes))


def quiet_until(quiet: QuietHours | None, now: datetime) -> datetime | None:
    """The end (UTC) of the quiet period `now` falls in, or None outside quiet hours."""
    if quiet is None:
        return None
    tz = ZoneInfo(quiet.timezone)
    local = now.astimezone(tz)
    start, end = _hhmm(quiet.start), _hhmm(quiet.end)
    t = local.time().replace(tzinfo=None)
    if start == end:
        return None
    if start < end:  # e.g. 12:00-14:00, same day
        inside, day = start <= t < end, local.date()
    else:  # overnight, e.g. 22:00-07:00
        inside = t >= start or t < end
        day = local.date() + timedelta(days=1) if t >= start else local.date()
    if not inside:
        return None
    return datetime.combine(day, end, tzinfo=tz).astimezone(UTC)


def is_silenced(silences: Iterable[Silence], entity_id: str, found: datetime,
                now: datetime) -> bool:
    """A silence covers a hit if it was active at any time between the hit and now."""
    return any(s.entity_id == entity_id and s.start <= now and s.until > found
               for s in silences)


# -- immediate entries -----------------------------------------------------------------------

def plan_immediate(entry: NotifyEntry, items: Sequence[Item],
                   last_alert: dict[str, datetime], silences: Sequence[Silence],
                   now: datetime) -> Plan:
    """Decide what an immediate entry sends now.

    - silenced items are dropped from sending (they stay stored);
    - an item of an entity alerted less than `repeat_interval` ago is held and counted;
    - the rest wait until the oldest is `group_wait` old, and until quiet hours end;
    - held items ride along (counted, "N more mentions since ...") with the next message
      about their entity, or, when their entity's cooldown ends with no such message, go
      out on their own: a cooldown spaces messages out, it never loses one.
    """
    plan = Plan()
    live = []
    for item in items:
        if is_silenced(silences, item.entity_id, item.created_at, now):  # held ones too
            plan.silenced.append(item.id)
        else:
            live.append(item)
    held = [i for i in live if i.held]
    eligible = []
    for item in (i for i in live if not i.held):
        last = last_alert.get(item.entity_id)
        if entry.repeat_interval and last and item.created_at < last + entry.repeat_interval:
            held.append(item)
            plan.held.append(item.id)
        else:
            eligible.append(item)
    ripe = _cooled_down(entry, held, {i.entity_id for i in eligible}, last_alert, now)
    plan.messages = [Batch((first, ), tuple(rest)) for first, *rest in ripe.values()]
    if not eligible:
        return plan
    due = min(i.created_at for i in eligible) + entry.group_wait
    quiet_end = quiet_until(entry.quiet_hours, now)
    if quiet_end is not None or now < due:
        plan.wake_at = max(due, quiet_end or due)
        return plan
    ripe_ids = {i.id for items in ripe.values() for i in items}
    plan.messages += _batches(entry, eligible, [i for i in held if i.id not in ripe_ids])
    return plan


def _cooled_down(entry: NotifyEntry, held: list[Item], busy: set[str],
                 last_alert: dict[str, datetime], now: datetime) -> dict[str, list[Item]]:
    """Held items, by entity, whose entity's cooldown is over with no new item of it to
    carry them (`busy`), oldest first: they make a message of their own now."""
    out: dict[str, list[Item]] = {}
    for item in sorted(held, key=lambda i: i.created_at):
        last = last_alert.get(item.entity_id)
        if item.entity_id not in busy and not (
                entry.repeat_interval and last and now < last + entry.repeat_interval):
            out.setdefault(item.entity_id, []).append(item)
    return out


def _batches(entry: NotifyEntry, eligible: list[Item], held: list[Item]) -> list[Batch]:
    """Split due items into messages: one per group window, else per entity (cooldowns) or
    per document (a document is what the reader opens, however many names it holds)."""
    deferred = any(quiet_until(entry.quiet_hours, i.created_at) for i in eligible)
    if entry.group_wait or deferred:
        groups = [eligible]  # one message for the window (or for the night)
    elif entry.repeat_interval:
        groups = list(_group(eligible, lambda i: i.entity_id).values())
    else:  # plain immediate: one message per document, naming every entity found in it
        groups = list(_group(eligible, lambda i: i.document_id).values())
    rolled = _group(held, lambda i: i.entity_id)
    batches = []
    for group in groups:
        entities = dict.fromkeys(i.entity_id for i in group)
        counted = tuple(i for e in entities for i in rolled.pop(e, ()))
        batches.append(Batch(tuple(group), counted))
    return batches


def _group(items: Iterable[Item], key) -> dict:
    out: dict = {}
    for item in items:
        out.setdefault(key(item), []).append(item)
    return out


# -- digests ---------------------------------------------------------------------------------

def plan_digest(items: Sequence[Item], silences: Sequence[Silence], now: datetime) -> Plan:
    """Everything waiting for a digest entry, in one message; nothing to say, no message."""
    plan = Plan()
    live = []
    for item in items:
        if is_silenced(silences, item.entity_id, item.created_at, now):
            plan.silenced.append(item.id)
        else:
            live.append(item)
    if live:
        plan.messages = [Batch(tuple(live))]
    return plan
