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
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import apprise

from .config import NotifyEntry
from .models import Alert, Hit, Mention

log = logging.getLogger(__name__)

CONTEXT_CHARS = 100  # about this much context around matched words, split before/after

# apprise at DEBUG (and urllib3 under it) prints full webhook URLs: keep both out of our
# logs. apprise's warnings are captured per send (see _Capture) and reported, redacted, by us.
logging.getLogger("urllib3").setLevel(logging.WARNING)
logging.getLogger("apprise").setLevel(logging.WARNING)
logging.getLogger("apprise").propagate = False
MAX_MENTIONS = 5  # per entity in one message; the rest are counted, `watcher hits` lists them


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
    return re.sub(r"\s+", " ", s)


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


def escape_markdown(s: str) -> str:
    """Neutralise Slack/Discord control sequences and markdown in untrusted text.

    Slack reads `<!channel>`, `<@U123>` and `<url|label>` only through literal < and >;
    as &lt; and &gt; they are plain text. Mentions by @ are broken with a zero-width joiner.
    """
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = re.sub(r"([*_~`|\\\[\]])", r"\\\1", s)
    return s.replace("@", "@\u2060")


def escape(s: str, fmt: str) -> str:
    if fmt == HTML:
        return html.escape(s, quote=True)
    if fmt == MARKDOWN:
        return escape_markdown(s)
    return s


def _highlight(m: Mention, fmt: str) -> str:
    word = escape(m.text, fmt)
    if fmt == HTML:
        return f"<mark><b>{word}</b></mark>"
    if fmt == MARKDOWN:
        return f"*{word}*"
    return f"[{word}]"


def _method(m: Mention) -> str:
    return f"{m.method}, {m.detail}" if m.detail else m.method


def render_alert(alert: Alert, fmt: str) -> str:
    """One entity in one document: who, where, each mention in context."""
    e = lambda s: escape(s, fmt)  # noqa: E731 - short local alias keeps the lines readable
    n = len(alert.mentions)
    head = (f"{e(alert.entity_name)} ({alert.entity_type}): {n} mention{'s' * (n != 1)} "
            f"in {e(alert.path)}")
    lines = []
    for m in alert.mentions[:MAX_MENTIONS]:
        snippet = f"{e(m.before)}{_highlight(m, fmt)}{e(m.after)}"
        lines.append(f"“{snippet}” — alias {e(m.alias)}, {_method(m)}, score {m.score:.0f}")
    if n > MAX_MENTIONS:
        lines.append(f"+{n - MAX_MENTIONS} more (watcher hits --entity {e(alert.entity_id)})")
    foot = f"file {e(alert.path)} · sha256 {alert.sha256[:12]} · found {alert.found_at}"
    if fmt == HTML:
        items = "".join(f"<li>{line}</li>" for line in lines)
        return f"<p><b>{head}</b></p><ul>{items}</ul><p><small>{foot}</small></p>"
    bullet = "\n".join(f"• {line}" for line in lines)
    return f"{head}\n{bullet}\n{foot}"


def render(alerts: Sequence[Alert], fmt: str) -> tuple[str, str]:
    """(title, body) for a message about one or more alerts."""
    names = list(dict.fromkeys(a.entity_name for a in alerts))
    files = list(dict.fromkeys(Path(a.path).name for a in alerts))
    title = f"watcher: {', '.join(names[:3])}{' +more' if len(names) > 3 else ''}"
    title += f" in {files[0]}" if len(files) == 1 else f" in {len(files)} files"
    sep = "<hr>" if fmt == HTML else "\n\n"
    return _header_safe(title), sep.join(render_alert(a, fmt) for a in alerts)


def _header_safe(s: str) -> str:
    """A title goes into email headers: no CR/LF, ever."""
    return re.sub(r"[\r\n\x00-\x1f\x7f]+", " ", s)[:200]


# -- targets and delivery --------------------------------------------------------------------

@dataclass
class Target:
    key: str
    entry: NotifyEntry
    apprise: apprise.Apprise
    format: str  # the plugin's native body format
    display: str  # the URL with secrets masked


def make_target(key: str, entry: NotifyEntry) -> Target:
    """Instantiate an entry's apprise plugin; raise ValueError (no URL in it) if invalid."""
    plugin = apprise.Apprise.instantiate(entry.url)
    if plugin is None:
        scheme = entry.url.split("://", 1)[0] if "://" in entry.url else "?"
        raise ValueError(f"notify entry {key!r}: not a valid apprise URL (scheme {scheme!r})")
    fmt = plugin.notify_format
    fmt = fmt[0] if isinstance(fmt, tuple) else fmt
    client = apprise.Apprise()
    client.add(plugin)
    return Target(key=key, entry=entry, apprise=client, format=str(getattr(fmt, "value", fmt)),
                  display=plugin.url(privacy=True))


class _Capture(logging.Handler):
    """Collects apprise's own warnings during one send: they say why it failed."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


class Notifier:
    """The configured targets; renders alerts into messages and delivers them."""

    def __init__(self, entries: Sequence[NotifyEntry], *, backoff: timedelta,
                 max_backoff: timedelta = timedelta(hours=1), retry_for: timedelta):
        self.targets: dict[str, Target] = {}
        self.problems: list[str] = []
        for i, entry in enumerate(entries):
            key = entry.key(i)
            try:
                self.targets[key] = make_target(key, entry)
            except ValueError as exc:
                self.problems.append(str(exc))
        self.backoff, self.max_backoff, self.retry_for = backoff, max_backoff, retry_for
        self.secrets = secrets_of(entries)

    def messages_for(self, alerts: Sequence[Alert]) -> list[dict]:
        """Outbox rows for these alerts: one per alert and receiving entry."""
        out = []
        for target in self.targets.values():
            for alert in alerts:
                if routes(target.entry, alert):
                    title, body = render([alert], target.format)
                    out.append({"entry": target.key, "kind": "alert",
                                "entity_id": alert.entity_id, "title": title, "body": body,
                                "body_format": target.format})
        return out

    def health_messages(self, title: str, body: str) -> list[dict]:
        return [{"entry": t.key, "kind": "health", "title": _header_safe(title),
                 "body": escape(body, t.format), "body_format": t.format}
                for t in self.targets.values() if t.entry.health]

    def test_message(self, target: Target) -> tuple[str, str]:
        return "watcher: test alert", escape(
            f"This is a test from watcher to entry {target.key!r}. If you read this, "
            "alerts will reach you.", target.format)

    def send(self, entry_key: str, title: str, body: str, body_format: str) -> str | None:
        """Deliver one message; return None on success or a reason (no secrets in it)."""
        target = self.targets.get(entry_key)
        if target is None:
            return f"notify entry {entry_key!r} is no longer configured"
        capture = _Capture()
        logger = logging.getLogger("apprise")
        logger.addHandler(capture)
        try:
            ok = target.apprise.notify(title=title, body=body, body_format=body_format)
        except Exception as exc:  # noqa: BLE001 - a plugin bug must not kill delivery
            ok, capture.lines = False, [f"{type(exc).__name__}: {exc}"]
        finally:
            logger.removeHandler(capture)
        if ok:
            return None
        return self.redact("; ".join(capture.lines) or "delivery failed")[:500]

    def retry_at(self, attempts: int, created_at: datetime, now: datetime) -> datetime | None:
        """When to try again after `attempts` failures; None once retry_for has passed."""
        if now - created_at >= self.retry_for:
            return None
        delay = min(self.backoff * (2 ** max(0, attempts - 1)), self.max_backoff)
        return now + delay * random.uniform(0.8, 1.2)

    def redact(self, s: str) -> str:
        for secret in self.secrets:
            s = s.replace(secret, "****")
        return s


def secrets_of(entries: Sequence[NotifyEntry]) -> list[str]:
    """Every URL and the secret-looking parts of it, longest first, for redaction."""
    found: set[str] = set()
    for entry in entries:
        found.add(entry.url)
        rest = entry.url.split("://", 1)[-1]
        userinfo, _, rest = rest.rpartition("@")
        found.update(p for p in userinfo.split(":") if len(p) >= 4)
        path = rest.split("/", 1)[1] if "/" in rest else ""  # the host is not a secret
        found.update(p for p in re.split(r"[/?&=#]", path) if len(p) >= 8 and "." not in p)
    return sorted(found, key=len, reverse=True)


class RedactFilter(logging.Filter):
    """Masks configured secrets in every log record that passes through a handler."""

    def __init__(self, secrets: Sequence[str]):
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        masked = msg
        for secret in self.secrets:
            masked = masked.replace(secret, "****")
        if masked != msg:
            record.msg, record.args = masked, None
        return True
