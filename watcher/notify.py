"""Routing, rendering and delivery of alerts: the only module that imports apprise.

apprise is our plugin system for targets (Slack, email, any apprise URL); this module decides
what to send to which entry, renders it in the entry's native format with every value from a
document escaped, and delivers one outbox message at a time. URLs carry secrets: they are
never logged, stored or shown; an entry is named by `NotifyEntry.key()` and shown through
apprise's own privacy form of its URL.
"""

from __future__ import annotations

import html
import logging
import random
import re
import shlex
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import apprise

from .config import NotifyEntry
from .models import Alert, Hit, Mention, Rollup

log = logging.getLogger(__name__)

CONTEXT_CHARS = 100  # about this much context around matched words, split before/after

# apprise at DEBUG (and urllib3 under it) prints full webhook URLs: keep both out of our
# logs. apprise's warnings are captured per send (see _Capture) and reported, redacted, by us.
logging.getLogger("urllib3").setLevel(logging.WARNING)
logging.getLogger("apprise").setLevel(logging.WARNING)
logging.getLogger("apprise").propagate = False
MAX_MENTIONS = 5  # per entity in one message; the rest are counted, `watcher hits` lists them
MAX_DOCUMENTS = 5  # per entity in a grouped message or digest, likewise


# -- mentions and routing --------------------------------------------------------------------

def mention(text: str, hit: Hit, width: int = CONTEXT_CHARS) -> Mention:
    """A hit with about `width` characters of context, cut at word boundaries."""
    side = max(0, (width - (hit.end - hit.start)) // 2)
    before = text[max(0, hit.start - side):hit.start]
    after = text[hit.end:hit.end + side]
    if hit.start - side > 0:
        before = "…" + before.split(" ", 1)[-1] if " " in before else "…" + before
    if hit.end + side < len(text):
        after = after.rsplit(" ", 1)[0] + "…" if " " in after else after + "…"
    return Mention(text=hit.text, alias=hit.alias, score=hit.score, method=hit.method,
                   detail=hit.detail, start=hit.start, end=hit.end,
                   before=_one_line(before), after=_one_line(after))


def _one_line(s: str) -> str:
    """Context on one line, clean()ed: a NUL deep in a text (its first 8 KB are checked for
    binary data) would make PostgreSQL refuse the hit, an ESC drive a terminal."""
    return re.sub(r"\s+", " ", clean(s))


def routes(entry: NotifyEntry, alert: Alert) -> bool:
    """Whether this entry wants this alert (tags, types, minimum score)."""
    if entry.health:
        return False
    if entry.tags and not set(entry.tags) & set(alert.tags):
        return False
    if entry.types and alert.entity_type not in entry.types:
        return False
    return alert.best_score >= entry.min_score


def route_reasons(entry: NotifyEntry, alert: Alert) -> list[str]:
    """Why an entry does or does not receive an alert, for `watcher route-test`."""
    reasons = []
    if entry.health:
        reasons.append("health-only entry")
    if entry.tags:
        common = sorted(set(entry.tags) & set(alert.tags))
        reasons.append(f"tags {common} match" if common else
                       f"no tag in common with {sorted(entry.tags)}")
    if entry.types:
        ok = alert.entity_type in entry.types
        reasons.append(f"type {alert.entity_type} {'in' if ok else 'not in'} {entry.types}")
    if entry.min_score:
        reasons.append(f"min_score {entry.min_score:g}")
    return reasons or ["receives every alert"]


# -- rendering -------------------------------------------------------------------------------

TEXT, MARKDOWN, HTML = "text", "markdown", "html"
# dialects: who reads the text and how (a webhook: a program, which may post it to a chat)
SLACK, EMAIL, CHAT, WEBHOOK = "slack", "email", "chat", "webhook"

# Characters a document may use to reorder what a reader sees (a disguised link or name).
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# CommonMark punctuation that could make markup out of a document's words: emphasis, code,
# links ([label](url)) and autolinks or Slack sequences (<...>). A backslash escape makes each
# literal; apprise's Slack converter turns \< and \> into &lt; &gt; and & into &amp;.
# An underscore inside a word (snake_case, file_names) is never emphasis: left as it is.
_MD_SPECIAL = re.compile(r"([\\`*~\[\]<>]|(?<!\w)_|_(?!\w))")
WORD_JOINER = "\u2060"  # invisible: "@\u2060everyone" reads as @everyone but pings no one


def clean(s: str) -> str:
    """Document text minus control and bidi-override characters (never shown, never sent)."""
    return _BIDI.sub("", _CONTROL.sub(" ", s))


def escape(s: str, fmt: str, dialect: str = CHAT) -> str:
    """Make a value from a document inert for the target's body format and dialect.

    Slack: <!channel>, <@U123> and <url|label> exist only through literal < and >, which
    never reach Slack unescaped. Discord/Telegram/Slack @-mentions (@everyone, @here) are
    broken with an invisible word joiner. HTML is escaped for email and Telegram.
    """
    s = clean(s)
    if fmt == HTML:
        s = html.escape(s, quote=True)
    elif fmt == MARKDOWN:
        s = _MD_SPECIAL.sub(r"\\\1", s)
    return s if dialect == EMAIL else _unmention(s)


def _unmention(s: str) -> str:
    """An @ that starts a word (@everyone, @here, @name), or any before channel, here or
    everyone, joined to what follows by an invisible word joiner: read the same, pings no
    one. Not other ones inside a word (x@evil.org, desk@reuters/): no chat reads those as
    mentions, and an address or path copied from an alert must still work."""
    return _MENTION.sub("@" + WORD_JOINER, s)


_MENTION = re.compile(r"(?<!\w)@|@(?=(?:channel|here|everyone)\b)", re.IGNORECASE)


def header_safe(s: str) -> str:
    """A title goes into email headers and chat titles: no CR/LF or control characters."""
    return re.sub(r"[\r\n\x00-\x1f\x7f\x85\u2028\u2029]+", " ", clean(s)).strip()[:200]


def escape_title(s: str, dialect: str) -> str:
    """Titles are plain text in every plugin (apprise escapes Slack's & < > itself)."""
    s = header_safe(s)
    return s if dialect == EMAIL else _unmention(s)


@dataclass(frozen=True)
class Style:
    """How a target's messages are written: format, dialect, length cap, time zone."""

    format: str = TEXT
    dialect: str = CHAT
    cap: int = 3500  # characters of body, well under what the channel accepts
    tz: str = "UTC"
    config: str = ""  # the daemon's config file, for the commands a message names

    def e(self, s: str) -> str:
        return escape(s, self.format, self.dialect)

    def bold(self, s: str) -> str:
        if self.format == HTML:
            return f"<b>{s}</b>"
        return f"**{s}**" if self.format == MARKDOWN else s

    def mark(self, s: str) -> str:
        if self.format == HTML:
            return f"<mark><b>{s}</b></mark>"
        return f"**{s}**" if self.format == MARKDOWN else f"[{s}]"

    def small(self, s: str) -> str:
        return f"<small>{s}</small>" if self.format == HTML else s

    def code(self, s: str) -> str:
        """A command to copy (our own text, never a document's)."""
        if self.format == HTML:
            return f"<code>{html.escape(s)}</code>"
        return f"`{s}`" if self.format == MARKDOWN else s

    def local(self, iso: str, fmt: str = "%H:%M") -> str:
        when = datetime.fromisoformat(iso)
        when = when if when.tzinfo else when.replace(tzinfo=UTC)
        return when.astimezone(ZoneInfo(self.tz)).strftime(fmt)


def _method(m: Mention) -> str:
    """How it matched: "inflection, case ending -а"; "exact name", not "exact, exact name"."""
    if not m.detail or m.detail.startswith(m.method):
        return m.detail or m.method
    return f"{m.method}, {m.detail}"


def _hits_command(st: Style, entity_id: str | None, since: str) -> str:
    """The command that lists what a message could not show, from `since` on: a time, not a
    duration, so it lists the same hits when it is run a day later."""
    start = datetime.fromisoformat(since).astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")
    config = f" --config {st.config}" if st.config else ""
    entity = f" --entity {entity_id}" if entity_id else ""
    return st.code(f"watcher hits{config}{entity} --since {start}")


def render_alert(alert: Alert, st: Style, rollup: Rollup | None = None) -> str:
    """One entity in one document: who, where, each mention in context."""
    e = st.e
    n = len(alert.mentions)
    head = (f"{st.bold(e(alert.entity_name))} ({e(alert.entity_type)}): {n} "
            f"mention{'s' * (n != 1)} in {e(Path(alert.path).name)}")
    lines = [f"“{_snippet(m, st)}” — alias {e(m.alias)}, {e(_method(m))}, score {m.score:.0f}"
             for m in alert.mentions[:MAX_MENTIONS]]
    if n > MAX_MENTIONS:
        lines.append(f"+{n - MAX_MENTIONS} more: "
                     f"{_hits_command(st, alert.entity_id, alert.found_at)}")
    if rollup:
        lines.append(rollup_line(rollup, st))
    foot = st.small(f"file {e(alert.path)} · sha256 {alert.sha256[:12]} · found "
                    f"{st.local(alert.found_at, '%Y-%m-%d %H:%M %Z')}")
    return _block(st, head, lines, foot)


def render_entity(alerts: Sequence[Alert], st: Style, rollup: Rollup | None = None) -> str:
    """One entity in several documents: a line per document, the first few in full."""
    if len(alerts) == 1:
        return render_alert(alerts[0], st, rollup)
    e, first = st.e, alerts[0]
    n = sum(len(a.mentions) for a in alerts)
    head = (f"{st.bold(e(first.entity_name))} ({e(first.entity_type)}): {n} "
            f"mention{'s' * (n != 1)} in {len(alerts)} documents")
    # file names, and their folder once below; whole paths when they lie in several
    folders = {str(Path(a.path).parent) for a in alerts}
    lines = []
    for a in alerts[:MAX_DOCUMENTS]:
        m, more = a.mentions[0], len(a.mentions) - 1
        name = Path(a.path).name if len(folders) == 1 else a.path
        lines.append(f"{e(name)}: “{_snippet(m, st)}” — score {m.score:.0f}"
                     + (f" (+{more} more in it)" if more > 0 else ""))
    if len(alerts) > MAX_DOCUMENTS:
        more = len(alerts) - MAX_DOCUMENTS
        lines.append(f"+{more} more document{'s' * (more != 1)}: "
                     f"{_hits_command(st, first.entity_id, first.found_at)}")
    if rollup:
        lines.append(rollup_line(rollup, st))
    when = list(dict.fromkeys(st.local(a.found_at, "%Y-%m-%d %H:%M") for a in (first, alerts[-1])))
    where = f" · in {e(folders.pop())}" if len(folders) == 1 else ""
    foot = st.small(f"found {' – '.join(when)} {st.local(first.found_at, '%Z')}{where}")
    return _block(st, head, lines, foot)


def _snippet(m: Mention, st: Style) -> str:
    return f"{st.e(m.before)}{st.mark(st.e(m.text))}{st.e(m.after)}"


def _block(st: Style, head: str, lines: list[str], foot: str) -> str:
    if st.format == HTML:
        items = "".join(f"<li>{line}</li>" for line in lines)
        return f"<p>{head}</p><ul>{items}</ul><p>{foot}</p>"
    bullet = "\n".join(f"• {line}" for line in lines)
    return f"{head}\n{bullet}\n{foot}"


def rollup_line(r: Rollup, st: Style) -> str:
    """'12 more mentions in 9 documents since 09:14' (held back by the cooldown)."""
    docs = f" in {r.documents} documents" if r.documents > 1 else ""
    return (f"{r.mentions} more mention{'s' * (r.mentions != 1)}{docs} since "
            f"{st.local(r.since)} (cooldown): {_hits_command(st, r.entity_id, r.since)}")


def _by_entity(alerts: Sequence[Alert]) -> dict[str, list[Alert]]:
    """Alerts grouped by entity, the most mentioned first (then in order of appearance):
    what a cap on the length cuts, and a title leaves out, are the least mentioned."""
    groups: dict[str, list[Alert]] = {}
    for alert in alerts:
        groups.setdefault(alert.entity_id, []).append(alert)
    ranked = sorted(groups.items(), key=lambda kv: -sum(len(a.mentions) for a in kv[1]))
    return dict(ranked)


def default_title(alerts: Sequence[Alert], kind: str = "alert") -> str:
    names = [group[0].entity_name for group in _by_entity(alerts).values()]
    files = list(dict.fromkeys(Path(a.path).name for a in alerts))
    title = "watcher digest: " if kind == "digest" else "watcher: "
    title += f"{', '.join(names[:3])}{f' +{len(names) - 3} more' if len(names) > 3 else ''}"
    return title + (f" in {files[0]}" if len(files) == 1 else f" in {len(files)} files")


def render(alerts: Sequence[Alert], st: Style, rollups: Sequence[Rollup] = (),
           kind: str = "alert") -> tuple[str, str]:
    """(title, body) for a message about one or more alerts, within the style's cap.

    One section per entity, the most mentioned first. What does not fit is counted at the
    end, with the command that lists it.
    """
    rolled = {r.entity_id: r for r in rollups}
    by_entity = _by_entity(alerts)
    sep = "<hr>" if st.format == HTML else "\n\n"
    parts: list[str] = []
    size, left = 0, []
    for entity_id, group in by_entity.items():
        part = render_entity(group, st, rolled.pop(entity_id, None))
        if left or (parts and size + len(part) + len(sep) > st.cap - 300):
            left.append(group)
            continue
        parts.append(part)
        size += len(part) + len(sep)
    parts += [rollup_line(r, st) for r in rolled.values()]
    if left:
        docs = len({a.sha256 for g in left for a in g})
        oldest = min(a.found_at for g in left for a in g)
        parts.append(f"+{len(left)} more entit{'ies' if len(left) != 1 else 'y'} in {docs} "
                     f"document{'s' * (docs != 1)}: {_hits_command(st, None, oldest)}")
    body = sep.join(parts)
    if len(body) > st.cap:  # one huge section: cut it, say so
        oldest = min(a.found_at for a in alerts)
        body = (body[:st.cap - 100].rsplit("\n", 1)[0] + "\n… (cut: "
                + _hits_command(st, None, oldest) + ")")
    return default_title(alerts, kind), body


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(template: str, values: dict[str, str]) -> str:
    """`{name}` placeholders from `values`; an unknown name is left as written.

    Plain substitution, not str.format: a template can reach no attribute or index.
    """
    return _PLACEHOLDER.sub(lambda m: values.get(m[1], m[0]), template)


def template_values(alerts: Sequence[Alert], st: Style, title: str, body: str,
                    kind: str) -> dict[str, str]:
    names = list(dict.fromkeys(a.entity_name for a in alerts))
    files = list(dict.fromkeys(Path(a.path).name for a in alerts))
    return {"title": title, "body": body, "kind": kind,
            "entities": st.e(", ".join(names)), "entity_count": str(len(names)),
            "files": st.e(", ".join(files)), "file_count": str(len(files)),
            "mentions": str(sum(len(a.mentions) for a in alerts))}


# -- targets and delivery --------------------------------------------------------------------

@dataclass
class Target:
    key: str
    entry: NotifyEntry
    apprise: apprise.Apprise
    style: Style  # the plugin's native body format, dialect and length cap
    display: str  # the URL with secrets masked

    @property
    def format(self) -> str:
        return self.style.format


# Readable length of one message body per dialect; never above what the plugin accepts.
CAPS = {SLACK: 3500, EMAIL: 100_000, CHAT: 3500, WEBHOOK: 100_000}
_WEBHOOKS = {"json", "jsons", "xml", "xmls", "form", "forms"}  # apprise's generic ones


def _dialect(plugin) -> str:
    names: set[str] = set()
    for attr in ("protocol", "secure_protocol"):
        value = getattr(plugin, attr, None)
        names.update([value] if isinstance(value, str) else value or ())
    if names & {"slack"}:
        return SLACK
    if names & {"mailto", "mailtos"}:
        return EMAIL
    return WEBHOOK if names & _WEBHOOKS else CHAT


def make_target(key: str, entry: NotifyEntry, config: str = "") -> Target:
    """Instantiate an entry's apprise plugin; raise ValueError (no URL in it) if invalid."""
    with _apprise_log() as capture:
        plugin = apprise.Apprise.instantiate(entry.url)
    if plugin is None:
        scheme = entry.url.split("://", 1)[0] if "://" in entry.url else "?"
        # apprise's reason ("Invalid ~From~ email specified"), without the URLs it quotes: its
        # privacy form still shows a password's first and last letters
        why = "; ".join(_URL.sub("<the URL>", line) for line in capture.lines)
        raise ValueError(f"notify entry {key!r}: not a valid apprise URL (scheme {scheme!r})"
                         + (f": {mask(why, secrets_of([entry]))}" if why else ""))
    fmt = plugin.notify_format
    fmt = fmt[0] if isinstance(fmt, tuple) else fmt
    dialect = _dialect(plugin)
    cap = CAPS[dialect]
    if getattr(plugin, "body_maxlen", 0) and plugin.body_maxlen > 0:
        cap = min(cap, plugin.body_maxlen - 100)
    client = apprise.Apprise()
    client.add(plugin)
    style = Style(format=str(getattr(fmt, "value", fmt)), dialect=dialect, cap=cap,
                  tz=entry.timezone, config=config)
    return Target(key=key, entry=entry, apprise=client, style=style,
                  display=plugin.url(privacy=True))


class _Capture(logging.Filter):
    """On apprise's logger during one send: collects its warnings and the exception lines
    it logs at DEBUG ("Socket Exception: (535, b'Authentication failed')"), which say why a
    send failed. Passes on only the records the logger's own level would."""

    def __init__(self, level: int):
        super().__init__()
        self.level = level
        self.lines: list[str] = []

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.levelno >= logging.WARNING or _CAUSE.match(message):
            self.lines.append(message.strip().replace("\r\n", " ")[:300])
        return record.levelno >= self.level


_URL = re.compile(r"\S+://\S*")


@contextmanager
def _apprise_log() -> Iterator[_Capture]:
    """What apprise says meanwhile, DEBUG lines with a cause included (the reason of a
    failure is often only there); its log output stays as configured."""
    logger = logging.getLogger("apprise")
    level = logger.level
    capture = _Capture(logger.getEffectiveLevel())
    logger.addFilter(capture)
    logger.setLevel(logging.DEBUG)
    try:
        yield capture
    finally:
        logger.setLevel(level)
        logger.removeFilter(capture)


_CAUSE = re.compile(r"[\w ]{0,40}(?:Exception|Error)\b")  # "Socket Exception: ...", not a payload


class Notifier:
    """The configured targets; renders alerts into messages and delivers them."""

    def __init__(self, entries: Sequence[NotifyEntry], *, backoff: timedelta,
                 max_backoff: timedelta = timedelta(hours=1), retry_for: timedelta,
                 config_path: Path | None = None, env_secrets: Sequence[str] = ()):
        self.secrets = secrets_of(entries, env_secrets)
        # the config file in the commands a message names: a service host has no default
        config = shlex.quote(str(config_path)) if config_path else ""
        self.config_arg = f" --config {config}" if config else ""
        self.targets: dict[str, Target] = {}
        self.problems: list[str] = []
        for i, entry in enumerate(entries):
            key = entry.key(i)
            try:
                self.targets[key] = make_target(key, entry, config)
            except ValueError as exc:
                self.problems.append(self.redact(str(exc)))
                continue
            # apprise's privacy form hides passwords, not a token in a path or a query
            self.targets[key].display = self.redact(self.targets[key].display, parts=True)
        self.backoff, self.max_backoff, self.retry_for = backoff, max_backoff, retry_for
        self._sent_at: dict[str, float] = {}  # entry -> time.monotonic() of its last request

    @classmethod
    def from_settings(cls, settings) -> Notifier:
        """The daemon config's targets, retry policy and config file (named in messages);
        problems (an invalid URL) are in .problems."""
        return cls(settings.notify, backoff=settings.retry_backoff,
                   max_backoff=settings.retry_max_backoff, retry_for=settings.retry_for,
                   config_path=settings.config_path, env_secrets=settings._env_secrets)

    def pending_for(self, alerts: Sequence[Alert]) -> list[dict]:
        """Pending notifications for these alerts: one per alert and receiving entry."""
        return [{"entry": t.key, "entity_id": a.entity_id, "entity_name": a.entity_name,
                 "entity_type": a.entity_type, "mentions": len(a.mentions),
                 "score": a.best_score}
                for t in self.targets.values() for a in alerts if routes(t.entry, a)]

    def message(self, key: str, alerts: Sequence[Alert], rollups: Sequence[Rollup] = (),
                kind: str = "alert") -> dict:
        """An outbox row for an entry: default or templated title and body."""
        target = self.targets[key]
        st = target.style
        title, body = render(alerts, st, rollups, kind)
        title = escape_title(title, st.dialect)
        if target.entry.title or target.entry.body:
            values = template_values(alerts, st, title, body, kind)
            # a title is never markup: its values are the plain, header-safe ones
            plain = template_values(alerts, Style(TEXT, st.dialect), title, body, kind)
            if target.entry.title:
                title = escape_title(fill(target.entry.title, plain), st.dialect)
            if target.entry.body:
                body = fill(target.entry.body, values)
        return {"entry": key, "kind": kind,
                "entity_id": ",".join(dict.fromkeys(a.entity_id for a in alerts))[:200],
                "title": title, "body": body, "body_format": st.format}

    def health_messages(self, title: str, body: str) -> list[dict]:
        return [{"entry": t.key, "kind": "health", "title": escape_title(title, t.style.dialect),
                 "body": t.style.e(body), "body_format": t.format}
                for t in self.targets.values() if t.entry.health]

    def test_message(self, target: Target) -> tuple[str, str]:
        return "watcher: test alert", target.style.e(
            f"This is a test from watcher to entry {target.key!r}. If you read this, "
            "alerts will reach you.")

    def spacing(self, entry_key: str) -> float:
        """Seconds apprise keeps between two requests to this entry's service."""
        target = self.targets.get(entry_key)
        if target is None:
            return 0.0
        return max((float(p.request_rate_per_sec or 0) for p in target.apprise), default=0.0)

    def burst_notes(self) -> list[str]:
        """Entries that send one message per document at apprise's pace: a burst of drops
        takes long to reach them (200 emails at 5.5 s: 18 minutes), and floods the reader."""
        notes = []
        for key, target in self.targets.items():
            entry, pace = target.entry, self.spacing(key)
            if entry.mode == "immediate" and not entry.group_wait and \
                    not entry.repeat_interval and pace >= 1:
                notes.append(f"notify entry {key!r}: one message per document, one every "
                             f"{pace:g} s: 200 documents in a burst take {200 * pace / 60:.0f}"
                             " min; group_wait (e.g. 1m) makes a burst one message")
        return notes

    def tag_notes(self, entities) -> list[str]:
        """Entries routed by tags no entity of the watchlist has (a typo: `russsia`): such an
        entry receives nothing, without any error."""
        known = {t for e in entities for t in e.tags}
        notes = []
        for key, target in self.targets.items():
            missing = [t for t in target.entry.tags if t not in known]
            if missing and not target.entry.health:
                alone = len(missing) == len(target.entry.tags)
                notes.append(f"notify entry {key!r}: tag(s) {', '.join(map(repr, missing))} "
                             f"on no entity of the watchlist" +
                             (": it receives no alert" if alone else ""))
        return notes

    def wait_before_send(self, entry_key: str) -> float:
        """Seconds until the entry's service may be sent to again. apprise spaces requests to
        one service (Slack 1.2 s, email 5.5 s) by sleeping in notify(): the drain sends the
        other entries' messages meanwhile, rather than sleep with it."""
        last = self._sent_at.get(entry_key)
        if last is None:
            return 0.0
        return max(0.0, self.spacing(entry_key) - (time.monotonic() - last))

    def send(self, entry_key: str, title: str, body: str, body_format: str,
             kind: str = "alert") -> str | None:
        """Deliver one message; return None on success or a reason (no secrets in it). A
        health message goes as a warning: chats colour it apart from the hits."""
        target = self.targets.get(entry_key)
        if target is None:
            return f"notify entry {entry_key!r} is no longer configured"
        notify_type = apprise.NotifyType.WARNING if kind == "health" else apprise.NotifyType.INFO
        with _apprise_log() as capture:
            try:
                ok = target.apprise.notify(title=title, body=body, body_format=body_format,
                                           notify_type=notify_type)
            except Exception as exc:  # noqa: BLE001 - a plugin bug must not kill delivery
                ok, capture.lines = False, [f"{type(exc).__name__}: {exc}"]
            finally:
                self._sent_at[entry_key] = time.monotonic()
        if ok:
            return None
        return self.redact("; ".join(capture.lines) or "delivery failed")[:500]

    def retry_at(self, attempts: int, created_at: datetime, now: datetime) -> datetime | None:
        """When to try again after `attempts` failures; None once retry_for has passed."""
        if now - created_at >= self.retry_for:
            return None
        delay = min(self.backoff * (2 ** max(0, attempts - 1)), self.max_backoff)
        return now + delay * random.uniform(0.8, 1.2)

    def redact(self, s: str, parts: bool = False) -> str:
        """`s` with every secret masked; `parts`: only the secret parts of URLs, for a URL
        shown to say which target is meant."""
        return mask(s, [x for x in self.secrets if not (parts and "://" in x)])


def mask(s: str, secrets: Sequence[str]) -> str:
    """`s` with each of `secrets` (longest first: see secrets_of) replaced by ****."""
    for secret in secrets:
        s = s.replace(secret, "****")
    return s


def secrets_of(entries: Sequence[NotifyEntry], env_secrets: Sequence[str] = ()) -> list[str]:
    """Every URL, the secret-looking parts of it and what ${VAR}s put into it (as they are
    and URL-quoted, as apprise may show them), longest first, for redaction."""
    found: set[str] = {s for v in env_secrets for s in (v, quote(v, safe=""))}
    for entry in entries:
        found.add(entry.url)
        rest = entry.url.split("://", 1)[-1]
        authority = re.split(r"[/?#]", rest, maxsplit=1)[0]  # an @ in the query is no user
        userinfo = authority.rpartition("@")[0]
        found.update(p for p in userinfo.split(":") if len(p) >= 4)
        path = rest[len(authority):]  # the host is not a secret
        found.update(p for p in re.split(r"[/?&=#]", path) if len(p) >= 8 and "." not in p)
    return sorted(found, key=len, reverse=True)


class RedactFilter(logging.Filter):
    """Masks configured secrets in every log record that passes through a handler."""

    def __init__(self, secrets: Sequence[str]):
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        masked = mask(msg, self.secrets)
        if masked != msg:
            record.msg, record.args = masked, None
        return True
