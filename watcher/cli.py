"""Command line: thin wrappers over the library that turn our errors into messages and exit
codes (0 ok, 1 failure, 2 bad config or usage)."""

from __future__ import annotations

import argparse
import csv
import difflib
import functools
import json
import os
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from . import __version__
from .config import check, load_settings, load_watchlist, parse_duration
from .errors import ConfigError, WatcherError
from .extract import ignored, read_file, walk_files

DEFAULT_CONFIG = os.environ.get("WATCHER_CONFIG", "config/watcher.yaml")
SCAN_MAX_SIZE = 1 << 30
PARALLEL_FROM = 1 << 20  # bytes to scan before a process pool pays for its start


def _out(line: str = "") -> None:
    sys.stdout.write(line + "\n")


def _err(line: str) -> None:
    sys.stderr.write(f"watcher: {line}\n")


# -- scan / explain --------------------------------------------------------------------------

def _scan_paths(paths: Sequence[str]) -> Iterator[str]:
    for p in paths:
        if os.path.isdir(p):
            yield from sorted(f for f, st in walk_files(p) if not ignored(f))
        elif os.path.lexists(p):
            yield p
        else:
            raise FileNotFoundError(p)


def _jobs_for(paths: Sequence[str]) -> int:
    """One process per core for a backlog; forking is not worth it for a few small files."""
    from .parallel import cores

    size = sum(os.lstat(p).st_size for p in paths if os.path.isfile(p))
    return cores() if size > PARALLEL_FROM else 1


def _read_all(paths: Sequence[str]) -> Iterator[tuple[str, bytes]]:
    for path in paths:
        try:
            yield path, read_file(path, SCAN_MAX_SIZE)[0]
        except (WatcherError, OSError) as exc:
            _err(f"{path}: skipped: {exc}")


def cmd_scan(args: argparse.Namespace) -> int:
    from .matcher import Watch, cache_written

    cache = Path(args.cache_dir) if args.cache_dir else None
    watch = Watch.load(Path(args.watchlist), cache)
    status = 0
    for name in args.paths:
        if not os.path.lexists(name):
            _err(f"{name}: no such file or folder")
            status = 1
    paths = list(_scan_paths([p for p in args.paths if os.path.lexists(p)]))
    scan_files(watch, paths, args.jobs or _jobs_for(paths), args.format, args.explain)
    cache_written()  # (a first scan of a new watchlist caches it while it scans)
    return status


def scan_files(watch, paths: Sequence[str], jobs: int, fmt: str, explain: bool = False) -> None:
    """Match files with `jobs` processes and print their hits in order (what `scan` does).

    Without --explain, each worker process also renders its hits as output lines, so the
    parent only reads files and writes what comes back.
    """
    from .parallel import Analyser

    analyser = Analyser(watch, jobs)
    items = _read_all(paths)
    post = None if explain else (_render_jsonl if fmt == "jsonl" else _render_text)
    write = sys.stdout.write
    raw = getattr(sys.stdout, "buffer", None)
    if post is not None and raw is not None:
        # bytes from the workers, written as they come: the output is some 15 times the
        # input, and decoding and encoding it again took a tenth of the parent's time
        sys.stdout.flush()
        post = functools.partial(_encoded, post, sys.stdout.encoding, sys.stdout.errors)
        write = _raw_writer(raw, sys.stdout.line_buffering)
    try:
        for path, future in analyser.map(items, post=post):
            try:
                res = future.result()
            except WatcherError as exc:
                _err(f"{path}: skipped: {exc}")
                continue
            if post is not None:
                write(res)
                continue
            text, _, hits = res
            _print_hits(path, hits, fmt)
            for row in watch.matcher.explain(text):
                if fmt == "jsonl":  # still one JSON object a line, told apart by its keys
                    _out(json.dumps({"file": path, "explain": row}, ensure_ascii=False))
                else:
                    _out(f"  explain {path}: {json.dumps(row, ensure_ascii=False)}")
    finally:
        analyser.close()


def _encoded(render, encoding: str, errors: str, *args) -> bytes:
    return render(*args).encode(encoding, errors)


def _raw_writer(raw, line_buffering: bool):
    if not line_buffering:
        return raw.write

    def write(data: bytes) -> None:  # a terminal: each file's lines as soon as they come
        raw.write(data)
        raw.flush()

    return write


def _render_jsonl(path: str, text: str, encoding: str, hits) -> str:
    """The JSONL lines of `hits`: json.dumps({"file": path, **hit.as_dict()}) each, with the
    strings that repeat (file, entity, alias, method and detail) encoded once."""
    f = _json_str(path)
    return "".join(
        f'{{"file": {f}, {_json_entity(h.entity_id, h.name)}, "start": {h.start}, '
        f'"end": {h.end}, "text": {_json_str(h.text)}, '
        f'{_json_grade(h.alias, h.score, h.method, h.detail)}}}\n' for h in hits)


@functools.lru_cache(maxsize=65536)
def _json_entity(entity_id: str, name: str) -> str:
    return f'"entity_id": {_json_str(entity_id)}, "name": {_json_str(name)}'


@functools.lru_cache(maxsize=65536)
def _json_grade(alias: str, score: float, method: str, detail: str) -> str:
    return (f'"alias": {_json_str(alias)}, "score": {round(score, 1)!r}, '
            f'"method": {_json_str(method)}, "detail": {_json_str(detail)}')


@functools.lru_cache(maxsize=65536)
def _json_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def _render_text(path: str, text: str, encoding: str, hits) -> str:
    return "".join(_text_line(path, hit) + "\n" for hit in hits)


def _text_line(path: str, hit) -> str:
    return (f"{path}:{hit.start}-{hit.end}\t{hit.entity_id}\t{hit.text!r}\t"
            f"alias={hit.alias!r}\t{hit.method}\t{hit.score:.0f}"
            + (f"\t{hit.detail}" if hit.detail else ""))


def _print_hits(path: str, hits, fmt: str) -> None:
    out = _render_jsonl if fmt == "jsonl" else _render_text
    sys.stdout.write(out(path, "", "", hits))


def cmd_explain(args: argparse.Namespace) -> int:
    from .matcher import Watch

    watch = Watch.compile(load_watchlist(args.watchlist))
    text = " ".join(args.text)
    rows = watch.matcher.explain(text)
    for row in rows:
        if args.format == "jsonl":
            _out(json.dumps(row, ensure_ascii=False))
            continue
        verdict = "HIT " if row["accepted"] else "no  "
        why = f"  <- {row['reason']}" if row["reason"] else ""
        _out(f"{verdict}{row['text']!r} [{row['start']}:{row['end']}] {row['entity_id']} "
             f"via {row['alias']!r}: {row['method']}"
             f"{', ' + row['detail'] if row['detail'] else ''}, score {row['score']:.0f}{why}")
    if not rows and args.format != "jsonl":
        _out("no candidate: no word of the text is close to a watched name")
    return 0


# -- daemon ----------------------------------------------------------------------------------

def cmd_run(args: argparse.Namespace) -> int:
    import threading

    from .notify import secrets_of
    from .service import Service, setup_logging, stop_on_signals

    stop = threading.Event()
    stop_on_signals(stop)  # before the (maybe long) watchlist compile
    settings = load_settings(args.config)
    setup_logging(args.log_level or settings.log_level,
                  secrets_of(settings.notify, settings._env_secrets))
    return Service(settings, stop).run()


def cmd_check(args: argparse.Namespace) -> int:
    from .config import notify_entries
    from .service import entry_problems

    settings, problems = check(args.config)
    # every notify entry valid on its own is tried too, so that a wrong key elsewhere does
    # not hide a bad URL or schedule until it is fixed
    problems += entry_problems(Path(args.config).resolve(), notify_entries(args.config))
    if settings is not None:
        problems += _database_problems(settings)
    for p in problems:
        _out(p)
    if problems:
        _err(f"{len(problems)} problem(s) found")
        return 2
    entities = load_watchlist(settings.watchlist)
    inbox = f"inbox {settings.inbox}" + ("" if settings.inbox.is_dir() else
                                         " (does not exist yet: the daemon will create it)")
    _out(f"ok: {settings.config_path}; watchlist {settings.watchlist} with {len(entities)} "
         f"entities; {len(settings.notify)} notify target(s); {inbox}")
    from .notify import Notifier

    notifier = Notifier.from_settings(settings)
    for note in notifier.burst_notes() + notifier.tag_notes(entities):
        _out(f"note: {note}")
    return 0


def _database_problems(settings) -> list[str]:
    """A database server that cannot be reached, or a driver not installed. (A SQLite file
    is made at the daemon's first start.)"""
    from .store import Store, sqlite_path

    if sqlite_path(settings.database_url) is not None:
        return []
    try:
        Store(settings.database_url, migrate=False).schema_version()
    except WatcherError as exc:
        return [f"{settings.config_path}: database: {exc}"]
    return []


def _notifier(settings):
    from .notify import Notifier

    notifier = Notifier.from_settings(settings)
    if notifier.problems:
        raise ConfigError([f"{settings.config_path}: {p}" for p in notifier.problems])
    return notifier


def cmd_notify_test(args: argparse.Namespace) -> int:
    from .notify import Notifier

    # one entry tested (--entry): only its own ${VAR}s need to be set
    settings = load_settings(args.config, notify_secrets=True if args.entry is None
                             else args.entry - 1)
    entries = settings.notify
    if not entries:
        _err("no notify targets configured: alerts go to the log")
        return 1
    if args.entry is not None and not 1 <= args.entry <= len(entries):
        _err(f"--entry {args.entry}: the config has notify entries 1 to {len(entries)}")
        return 2
    chosen = range(len(entries)) if args.entry is None else [args.entry - 1]
    notifier = Notifier.from_settings(settings)
    failed = 0
    for k in chosen:
        key = entries[k].key(k)
        target = notifier.targets.get(key)
        if target is None:
            raise ConfigError([f"{settings.config_path}: {p}" for p in notifier.problems
                               if repr(key) in p] or f"notify entry {k + 1}: not usable")
        title, body = notifier.test_message(target)
        error = notifier.send(key, title, body, target.format)
        failed += error is not None
        _out(f"{k + 1}. {key} {target.display}: " + ("delivered" if error is None
                                                      else f"FAILED: {error}"))
    return 1 if failed else 0


def cmd_hits(args: argparse.Namespace) -> int:
    settings = load_settings(args.config, notify_secrets=False)
    since = _since(args.since, "--since") if args.since else None
    until = _since(args.until, "--until") if args.until else None
    store = _store(settings)
    unknown = [e for e in args.entity or () if not store.hits(entity=e, limit=1)
               and not _warn_unknown_entity(e, settings.watchlist)]
    if unknown:
        return 2  # a typo in an audit script must not look like "no hits"
    if args.limit or args.format == "table":
        rows = store.hits(entity=args.entity, since=since, until=until, limit=args.limit)
        if args.limit and len(rows) == args.limit:
            _err(f"--limit {args.limit}: the newest {args.limit} hits; there may be more")
    else:  # an export: streamed, however many
        rows = store.iter_hits(entity=args.entity, since=since, until=until)
    if args.format == "jsonl":
        for row in rows:
            _out(json.dumps(row, ensure_ascii=False))
    elif args.format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=HIT_FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    else:
        _print_table(rows, ["found_at", "entity_id", "text", "score", "method", "file"])
    return 0


HIT_FIELDS = ["file", "sha256", "entity_id", "name", "start", "end", "text", "alias", "score",
              "method", "detail", "found_at"]


def _since(value: str, flag: str = "--since") -> datetime:
    """--since, --until: a duration back from now (24h, 7d) or a time (2025-03-03T09:14Z,
    as alert messages give it; without a zone, this machine's)."""
    try:
        if not value.strip()[-1:].isdigit():  # "2" is no duration here: 2 what?
            return datetime.now(UTC) - parse_duration(value)
    except OverflowError:
        return datetime.min.replace(tzinfo=UTC)  # 99999999d: since ever
    except ValueError:
        pass
    when, _, zone = value.strip().rpartition(" ")
    try:
        if zone.upper() in ("UTC", "GMT", "Z"):  # "2025-03-03 09:14 UTC", as alerts say
            return datetime.fromisoformat(when).replace(tzinfo=UTC)
        if when and ":" in when and not zone[:1].isdigit():
            return _in_zone(datetime.fromisoformat(when), zone)
        return datetime.fromisoformat(value).astimezone(UTC)
    except ValueError:
        raise ConfigError(f"{flag}: {value!r} is neither a duration (24h, 7d) nor a time "
                          "(2025-03-03T09:14Z, 2025-03-03 09:14 UTC)") from None


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


_positive.__name__ = "positive whole number"  # argparse names it in its error


def _score(value: str) -> float:
    score = float(value)
    if not 0 <= score <= 100:
        raise argparse.ArgumentTypeError(f"{value} is not a score from 0 to 100")
    return score


def _in_zone(when: datetime, zone: str) -> datetime:
    """A local time in `zone`: a time zone name (Europe/Kyiv) or this machine's own
    abbreviation (CET); ValueError for another abbreviation, which could mean several."""
    import time as _time
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if zone in _time.tzname:
        return when.astimezone(UTC)
    try:
        return when.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(zone) from None


def _warn_unknown_entity(entity_id: str, watchlist) -> bool:
    """No hits for --entity: say so when it is no id of the watchlist (a typo, or a name
    given where the id is wanted) and return False; a watched entity may simply have none
    yet (True)."""
    try:
        ids = {e.id for e in load_watchlist(watchlist)}
    except ConfigError:
        return True
    if entity_id in ids:
        return True
    near = difflib.get_close_matches(entity_id, ids, n=1)
    _err(f"no entity {entity_id!r} in {watchlist}"
         + (f": did you mean {near[0]!r}?" if near else ": --entity takes an entity id"))
    return False


def _print_table(rows: list[dict], cols: list[str]) -> None:
    if not rows:
        _out("(none)")
        return
    # one line per row: a line break inside a value (a name across lines) is shown as a space
    cells = [[" ".join(str(r.get(c, "")).split()) for c in cols] for r in rows]
    widths = [min(60, max(len(c), *(len(row[i]) for row in cells))) for i, c in enumerate(cols)]
    _out("  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)))
    for row in cells:
        _out("  ".join(_cut(v, w, c in ("path", "file")).ljust(w)
                       for v, w, c in zip(row, widths, cols, strict=True)))


def _cut(value: str, width: int, keep_end: bool) -> str:
    """A cell at most `width` long; a path keeps its end, where the file name is."""
    if len(value) <= width:
        return value
    return "…" + value[1 - width:] if keep_end else value[:width - 1] + "…"


def _store(settings, writes: bool = False):
    """The daemon's database for a command. One that does not exist yet is not made in a
    folder of another user: a command run as root before the service's first start would
    leave it root's, and the service could not write it. Then a command that only reads
    gets an empty one in memory, and one that writes is an error."""
    from .store import Store, sqlite_path

    url = settings.database_url
    path = sqlite_path(url)
    if path is not None and not path.exists():
        folder = next(p for p in path.parents if p.exists())
        if folder.stat().st_uid != os.geteuid():
            if writes:
                raise WatcherError(f"no database at {path} yet, and {folder} is another "
                                   "user's: run this as that user (the service's), or start "
                                   "the daemon first")
            _err(f"note: no database at {path} yet (the daemon makes it at its first start)")
            return Store("sqlite:///:memory:")
    return Store(url)


def cmd_migrate(args: argparse.Namespace) -> int:
    from .store import Store, _safe_url

    settings = load_settings(args.config, notify_secrets=False)
    store = Store(settings.database_url, migrate=False)
    before, after = store.migrate()
    where = _safe_url(settings.database_url)
    _out(f"{where}: schema at version {after}" if before == after else
         f"{where}: schema migrated from version {before or '(empty)'} to {after}")
    return 0


def _group(store, lease_s: float) -> list[dict]:
    """The daemons sharing the database, with whether each looks alive: one of this host
    whose process is gone is "gone" at once, not alive until its lease runs out."""
    import socket

    from .group import pid_alive

    now, host = datetime.now(UTC), socket.gethostname()
    out = []
    for d in store.daemons():
        age = (now - d["heartbeat_at"]).total_seconds()
        state = "stopped" if d["stopped_at"] else ("alive" if age < lease_s else "dead")
        if state == "alive" and d["host"] == host and not pid_alive(d["pid"]):
            state = "gone"  # killed: its work is taken over after the lease (or at a restart)
        out.append({"id": d["id"], "state": state, "heartbeat_s": round(age, 1),
                    "claims": d["claims"], "sending": d["leases"],
                    "processed": d["processed"], "failed": d["failed"], "queue": d["queue"],
                    "started": d["started_at"].isoformat(timespec="seconds"),
                    "config": d["config_digest"], "last_error": d["last_error"]})
    return out


def cmd_status(args: argparse.Namespace) -> int:
    from .group import pid_alive

    settings = load_settings(args.config, notify_secrets=False)
    store = _store(settings)
    counts = store.counts()
    group = _group(store, settings.lease.total_seconds())
    status_file = settings.data_dir / "status.json"
    daemon = {}
    if status_file.exists():
        daemon = json.loads(status_file.read_text())
        daemon["running"] = pid_alive(daemon.get("pid"))
    info = {**counts, "daemon": daemon or {"running": False}, "group": group}
    if args.format == "json":
        _out(json.dumps(info))
        return 0
    run = daemon.get("running")
    _out(f"daemon: running, pid {daemon['pid']}, up {daemon['uptime_s']}s" if run
         else "daemon: not running")
    if run:
        _out(f"queue: {daemon.get('queue', 0)} file(s); watchlist: {daemon.get('entities')} "
             f"entities; healthy: {daemon.get('healthy')}")
        for problem in daemon.get("problems") or []:
            _out(f"  unhealthy: {problem}")
    listed = " (`watcher files` lists them)" if counts["failed"] else ""
    _out(f"documents: {counts['documents']} processed, {counts['failed']} failed{listed}, "
         f"{counts['vanished']} vanished before they were read; hits: {counts['hits']}")
    retrying = f" ({counts['retrying']} retrying after a failure)" if counts["retrying"] else ""
    _out(f"alerts: {counts['pending']} pending{retrying}, {counts['sent']} sent, "
         f"{counts['dead']} dead; "
         f"{counts['waiting']} notification(s) waiting for their entry's policy")
    if daemon.get("last_error"):
        _out(f"last error: {daemon['last_error']}")
    live = [g for g in group if g["state"] != "stopped"]
    if live or len(group) > 1:
        alive = sum(g["state"] == "alive" for g in group)
        _out(f"group: {alive} daemon(s) alive on this database")
        _print_table(live or group, ["id", "state", "heartbeat_s", "claims", "sending",
                                     "processed", "failed", "queue", "started", "config"])
        if len({g["config"] for g in group if g["state"] == "alive" and g["config"]}) > 1:
            _out("warning: the daemons alive run different watchlists or notify entries "
                 "(column config): each matches and routes what it processes with its own")
    return 0


def cmd_files(args: argparse.Namespace) -> int:
    settings = load_settings(args.config, notify_secrets=False)
    since = _since(args.since) if args.since else None
    rows = _store(settings).files(args.status, since)
    if args.format == "jsonl":
        for row in rows:
            _out(json.dumps(row, ensure_ascii=False))
        return 0
    _print_table(rows, ["seen_at", "path", "size", "error"])
    return 0


def cmd_outbox(args: argparse.Namespace) -> int:
    from .store import as_utc

    settings = load_settings(args.config, notify_secrets=False)
    store = _store(settings, writes=args.action == "retry")
    if args.action == "retry":
        _out(f"{store.retry('dead')} dead message(s) queued again")
        return 0
    if args.format == "table":
        counts = store.outbox_counts()
        _out(", ".join(f"{n} {k}" for k, n in counts.items())
             + f"; {store.counts()['waiting']} notification(s) waiting for their entry's policy")
    rows = store.outbox(None if args.status == "failed" else args.status)
    if args.status == "failed":
        rows = [r for r in rows if r.status == "pending" and r.attempts]
    elif args.status is None and not args.all:
        rows = [r for r in rows if r.status != "sent"]
    table = [{"id": r.id, "status": _shown_status(r), "entry": r.entry, "kind": r.kind,
              "attempts": r.attempts,  # a sent message: when it went; else when it is due
              "when": as_utc(r.sent_at or r.next_attempt_at).strftime("%Y-%m-%d %H:%M:%SZ"),
              "title": r.title, "error": r.last_error} for r in rows]
    if args.format == "jsonl":  # whole errors and titles, for scripts
        for row in table:
            _out(json.dumps(row, ensure_ascii=False))
        return 0
    _print_table(table, ["id", "status", "entry", "kind", "attempts", "when", "title", "error"])
    return 0


def _shown_status(row) -> str:
    return "failed" if row.status == "pending" and row.attempts else row.status


def cmd_silence(args: argparse.Namespace) -> int:
    from .store import as_utc

    settings = load_settings(args.config, notify_secrets=False)
    now = datetime.now(UTC)
    if args.action == "add":
        known = {e.id for e in load_watchlist(settings.watchlist)}
        if args.entity not in known:
            raise ConfigError(f"--entity: {args.entity!r} is not in {settings.watchlist}")
        try:
            if args.duration.strip()[-1:].isdigit():  # "2": 2 seconds to the config parser
                raise ValueError(f"{args.duration!r} has no unit (use e.g. 30m, 2h, 7d)")
            length = parse_duration(args.duration)
        except ValueError as exc:
            raise ConfigError(f"--for: {exc}") from None
        if length <= timedelta(0):
            raise ConfigError(f"--for: {args.duration!r}: a silence must last longer than 0s")
        try:
            until = now + length
        except OverflowError:
            raise ConfigError(f"--for: {args.duration!r}: longer than the calendar goes; "
                              "for ever, remove the entity from the watchlist") from None
        row = _store(settings, writes=True).add_silence(args.entity, until, args.reason or "")
        _out(f"silence {row.id}: {args.entity} until {until:%Y-%m-%d %H:%M} UTC; its hits are "
             "stored, not sent")
        return 0
    if args.action == "remove":
        if not _store(settings, writes=True).remove_silence(args.id):
            _err(f"no silence {args.id}")
            return 1
        _out(f"silence {args.id} removed")
        return 0
    rows = _store(settings).silences(active_at=None if args.all else now)
    _print_table([{"id": r.id, "entity": r.entity_id,
                   "until": f"{r.until:%Y-%m-%d %H:%M} UTC",
                   "state": "active" if as_utc(r.until) > now else "expired",
                   "reason": r.reason} for r in rows],
                 ["id", "entity", "until", "state", "reason"])
    return 0


def cmd_route_test(args: argparse.Namespace) -> int:
    from .models import Alert, Mention
    from .notify import Notifier, route_reasons, routes
    from .policy import Silence, is_silenced
    from .store import as_utc

    settings = load_settings(args.config, notify_secrets=False)  # it sends nothing
    entities = {e.id: e for e in load_watchlist(settings.watchlist)}
    ent = entities.get(args.entity)
    if ent is None:
        raise ConfigError(f"--entity: {args.entity!r} is not in {settings.watchlist}")
    notifier = Notifier.from_settings(settings)  # an entry with an unset ${VAR}: shown as written
    m = Mention(text=ent.name, alias=ent.name, score=args.score, method="exact", detail="",
                start=0, end=len(ent.name), before="", after="")
    alert = Alert(entity_id=ent.id, entity_name=ent.name, entity_type=ent.type, tags=ent.tags,
                  path="route-test", sha256="", found_at="", mentions=(m,))
    _out(f"{ent.id} ({ent.type}, tags {list(ent.tags)}), a mention with score {args.score:g}:")
    if not settings.notify:
        _out("  no notify targets: alerts go to the log")
    now = datetime.now(UTC)
    silences = [Silence(s.entity_id, as_utc(s.created_at), as_utc(s.until))
                for s in _store(settings).silences(active_at=now)]
    silenced = is_silenced(silences, ent.id, now, now)
    for i, entry in enumerate(settings.notify, 1):
        key = entry.key(i - 1)
        target = notifier.targets.get(key)
        shown = target.display if target else notifier.redact(entry.url, parts=True)
        yes = routes(entry, alert)
        how = _policy_words(entry) if yes else ""
        _out(f"  {i}. {key} {shown}: {'RECEIVES' if yes else 'no'} "
             f"({'; '.join(route_reasons(entry, alert))}){how}")
    if silenced:
        _out(f"  silenced now: hits of {ent.id} are stored, not sent (watcher silence list)")
    return 0


def _policy_words(entry) -> str:
    words = [entry.mode]
    if entry.mode == "digest":
        words.append(f"schedule {entry.schedule!r} {entry.timezone}")
    if entry.group_wait:
        words.append(f"group_wait {entry.group_wait.total_seconds():g}s")
    if entry.repeat_interval:
        words.append(f"repeat_interval {entry.repeat_interval.total_seconds():g}s")
    if entry.quiet_hours:
        q = entry.quiet_hours
        words.append(f"quiet {q.start}-{q.end} {q.timezone}")
    return " -> " + ", ".join(words)


# -- parser ----------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="watcher", description=__doc__.split("\n")[0])
    p.add_argument("--version", action="version", version=f"watcher {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    def cmd(name: str, func, help: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help, description=help)
        sp.set_defaults(func=func)
        return sp

    def config(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--config", default=DEFAULT_CONFIG,
                        help=f"daemon config (default: $WATCHER_CONFIG or {DEFAULT_CONFIG})")

    sp = cmd("scan", cmd_scan, "find watched names in files and folders, print the hits")
    sp.add_argument("--watchlist", required=True)
    sp.add_argument("--format", choices=["jsonl", "text"], default="jsonl",
                    help="jsonl: one JSON object per hit (default); text: one line per hit")
    sp.add_argument("--explain", action="store_true", help="also print why candidates matched")
    sp.add_argument("--jobs", "-j", type=int, default=0,
                    help="processes to match with (default: one per core)")
    sp.add_argument("--cache-dir", metavar="DIR",
                    help="keep the compiled watchlist here: a rerun with it unchanged starts fast")
    sp.add_argument("paths", nargs="+", metavar="PATH")

    sp = cmd("explain", cmd_explain, "show how a text matches (or fails to match) the watchlist")
    sp.add_argument("--watchlist", required=True)
    sp.add_argument("--format", choices=["text", "jsonl"], default="text")
    sp.add_argument("text", nargs="+")

    sp = cmd("run", cmd_run, "run the daemon in the foreground")
    config(sp)
    sp.add_argument("--log-level", type=str.upper, choices=["DEBUG", "INFO", "WARNING", "ERROR"])

    config(cmd("check", cmd_check, "validate the config and the watchlist, list every problem"))

    sp = cmd("notify-test", cmd_notify_test, "send a test alert to each notify target")
    config(sp)
    sp.add_argument("--entry", type=int, help="only the N-th entry (1-based)")

    sp = cmd("hits", cmd_hits, "list stored hits")
    config(sp)
    sp.add_argument("--entity", action="append", help="an entity id (repeat for several)")
    sp.add_argument("--since", help="a duration back from now (24h, 7d) or a time "
                    "(2025-03-03T09:14Z)")
    sp.add_argument("--until", help="hits found before this (a duration back or a time)")
    sp.add_argument("--limit", type=_positive, help="the newest N hits")
    sp.add_argument("--format", choices=["table", "jsonl", "csv"], default="table")

    sp = cmd("status", cmd_status, "documents, hits, alerts and the daemon's state")
    config(sp)
    sp.add_argument("--format", choices=["text", "json"], default="text")

    config(cmd("migrate", cmd_migrate, "create or upgrade the database schema to this version "
                                       "(the daemon also does it at start)"))

    sp = cmd("files", cmd_files, "list the files that failed (never screened: binary, too "
             "large, unreadable), with why; or those that vanished or were processed")
    config(sp)
    sp.add_argument("--status", choices=["failed", "vanished", "processed"], default="failed")
    sp.add_argument("--since", help="a duration back from now (24h, 7d) or a time")
    sp.add_argument("--format", choices=["table", "jsonl"], default="table")

    sp = cmd("outbox", cmd_outbox, "list alerts not yet delivered (pending, failed, dead); "
             "'retry' re-queues dead ones")
    config(sp)
    sp.add_argument("action", nargs="?", choices=["list", "retry"], default="list")
    sp.add_argument("--status", choices=["pending", "failed", "sent", "dead"])
    sp.add_argument("--all", action="store_true", help="sent messages too")
    sp.add_argument("--format", choices=["table", "jsonl"], default="table",
                    help="jsonl: one JSON object per message, errors whole")

    sp = cmd("silence", cmd_silence, "silence an entity for a while: its hits are stored, "
             "not sent")
    actions = sp.add_subparsers(dest="action", required=True)
    sa = actions.add_parser("add", help="silence an entity")
    config(sa)
    sa.add_argument("--entity", required=True, help="the entity ID")
    sa.add_argument("--for", dest="duration", default="1d", help="e.g. 2h, 7d (default 1d)")
    sa.add_argument("--reason", help="why (shown by list)")
    sl = actions.add_parser("list", help="active silences")
    config(sl)
    sl.add_argument("--all", action="store_true", help="expired silences too")
    sr = actions.add_parser("remove", help="end a silence now")
    config(sr)
    sr.add_argument("id", type=int, help="the silence ID (see list)")

    sp = cmd("route-test", cmd_route_test, "which notify entries would receive an entity's "
             "alerts, and why")
    config(sp)
    sp.add_argument("--entity", required=True)
    sp.add_argument("--score", type=_score, default=100.0, help="score of the mention, 0-100 "
                    "(100)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ConfigError as exc:
        for problem in exc.problems:
            _err(problem)
        return exc.exit_code
    except WatcherError as exc:
        _err(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
