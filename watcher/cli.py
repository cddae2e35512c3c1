"""Command line: thin wrappers over the library that turn our errors into messages and exit
codes (0 ok, 1 failure, 2 bad config or usage)."""

from __future__ import annotations

import argparse
import csv
import functools
import json
import os
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
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
    from .matcher import Watch

    cache = Path(args.cache_dir) if args.cache_dir else None
    watch = Watch.load(Path(args.watchlist), cache)
    status = 0
    for name in args.paths:
        if not os.path.lexists(name):
            _err(f"{name}: no such file or folder")
            status = 1
    paths = list(_scan_paths([p for p in args.paths if os.path.lexists(p)]))
    scan_files(watch, paths, args.jobs or _jobs_for(paths), args.format, args.explain)
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
    try:
        for path, future in analyser.map(items, post=post):
            try:
                res = future.result()
            except WatcherError as exc:
                _err(f"{path}: skipped: {exc}")
                continue
            if post is not None:
                sys.stdout.write(res)
                continue
            text, _, hits = res
            _print_hits(path, hits, fmt)
            for row in watch.matcher.explain(text):
                _out(f"  explain {path}: {json.dumps(row, ensure_ascii=False)}")
    finally:
        analyser.close()


def _render_jsonl(path: str, text: str, encoding: str, hits) -> str:
    """The JSONL lines of `hits`: json.dumps({"file": path, **hit.as_dict()}) each, with the
    strings that repeat (file, entity, alias, method and detail) encoded once."""
    out = []
    f = _json_str(path)
    for h in hits:
        out.append(f'{{"file": {f}, "entity_id": {_json_str(h.entity_id)}, '
                   f'"name": {_json_str(h.name)}, "start": {h.start}, "end": {h.end}, '
                   f'"text": {_json_str(h.text)}, "alias": {_json_str(h.alias)}, '
                   f'"score": {round(h.score, 1)!r}, "method": {_json_str(h.method)}, '
                   f'"detail": {_json_str(h.detail)}}}\n')
    return "".join(out)


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
    from .matcher import Matcher

    matcher = Matcher.compile(load_watchlist(args.watchlist))
    text = " ".join(args.text)
    if not hasattr(matcher, "explain"):
        for hit in matcher.match(text):
            _out(json.dumps(hit.as_dict(), ensure_ascii=False))
        return 0
    for row in matcher.explain(text):
        _out(json.dumps(row, ensure_ascii=False))
    return 0


# -- daemon ----------------------------------------------------------------------------------

def cmd_run(args: argparse.Namespace) -> int:
    from .notify import secrets_of
    from .service import Service, setup_logging

    settings = load_settings(args.config)
    setup_logging(args.log_level or settings.log_level, secrets_of(settings.notify))
    return Service(settings).run()


def cmd_check(args: argparse.Namespace) -> int:
    settings, problems = check(args.config)
    if settings is not None:
        from .notify import Notifier

        notifier = Notifier(settings.notify, backoff=settings.retry_backoff,
                            retry_for=settings.retry_for)
        problems += [f"{settings.config_path}: {p}" for p in notifier.problems]
    for p in problems:
        _out(p)
    if problems:
        _err(f"{len(problems)} problem(s) found")
        return 2
    entities = load_watchlist(settings.watchlist)
    _out(f"ok: {settings.config_path}; watchlist {settings.watchlist} with {len(entities)} "
         f"entities; {len(settings.notify)} notify target(s); inbox {settings.inbox}")
    return 0


def _notifier(settings):
    from .notify import Notifier

    notifier = Notifier(settings.notify, backoff=settings.retry_backoff,
                        retry_for=settings.retry_for)
    if notifier.problems:
        raise ConfigError([f"{settings.config_path}: {p}" for p in notifier.problems])
    return notifier


def cmd_notify_test(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    notifier = _notifier(settings)
    if not notifier.targets:
        _err("no notify targets configured: alerts go to the log")
        return 1
    failed = 0
    for i, (key, target) in enumerate(notifier.targets.items(), 1):
        if args.entry and args.entry != i:
            continue
        title, body = notifier.test_message(target)
        error = notifier.send(key, title, body, target.format)
        failed += error is not None
        _out(f"{i}. {key} {target.display}: " + ("delivered" if error is None
                                                  else f"FAILED: {error}"))
    return 1 if failed else 0


def cmd_hits(args: argparse.Namespace) -> int:
    from .store import Store

    settings = load_settings(args.config)
    since = None
    if args.since:
        try:
            since = datetime.now(UTC) - parse_duration(args.since)
        except ValueError as exc:
            raise ConfigError(f"--since: {exc}") from None
    rows = Store(settings.database_url).hits(entity=args.entity, since=since, limit=args.limit)
    if args.format == "jsonl":
        for row in rows:
            _out(json.dumps(row, ensure_ascii=False))
    elif args.format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["file"])
        writer.writeheader()
        writer.writerows(rows)
    else:
        _print_table(rows, ["found_at", "entity_id", "text", "score", "method", "file"])
    return 0


def _print_table(rows: list[dict], cols: list[str]) -> None:
    if not rows:
        _out("(none)")
        return
    cells = [[str(r.get(c, "")) for c in cols] for r in rows]
    widths = [min(60, max(len(c), *(len(row[i]) for row in cells))) for i, c in enumerate(cols)]
    _out("  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)))
    for row in cells:
        _out("  ".join(v[:w].ljust(w) for v, w in zip(row, widths, strict=True)))


def cmd_status(args: argparse.Namespace) -> int:
    from .store import Store

    settings = load_settings(args.config)
    counts = Store(settings.database_url).counts()
    status_file = settings.data_dir / "status.json"
    daemon = {}
    if status_file.exists():
        daemon = json.loads(status_file.read_text())
        daemon["running"] = _pid_alive(daemon.get("pid"))
    info = {**counts, "daemon": daemon or {"running": False}}
    if args.format == "json":
        _out(json.dumps(info))
        return 0
    run = daemon.get("running")
    _out(f"daemon: running, pid {daemon['pid']}, up {daemon['uptime_s']}s" if run
         else "daemon: not running")
    if run:
        _out(f"queue: {daemon.get('queue', 0)} file(s); watchlist: {daemon.get('entities')} "
             f"entities; healthy: {daemon.get('healthy')}")
    _out(f"documents: {counts['documents']} processed, {counts['failed']} failed; "
         f"hits: {counts['hits']}")
    _out(f"alerts: {counts['pending']} pending, {counts['sent']} sent, {counts['dead']} dead")
    if daemon.get("last_error"):
        _out(f"last error: {daemon['last_error']}")
    return 0


def _pid_alive(pid) -> bool:
    try:
        os.kill(int(pid), 0)
        return True
    except (OSError, TypeError, ValueError):
        return False


def cmd_outbox(args: argparse.Namespace) -> int:
    from .store import Store

    settings = load_settings(args.config)
    store = Store(settings.database_url)
    if args.action == "retry":
        _out(f"{store.retry('dead')} dead message(s) queued again")
        return 0
    rows = store.outbox(args.status)
    _print_table([{"id": r.id, "status": r.status, "entry": r.entry, "kind": r.kind,
                   "attempts": r.attempts, "next": r.next_attempt_at.strftime("%m-%d %H:%M:%S"),
                   "title": r.title, "error": r.last_error} for r in rows],
                 ["id", "status", "entry", "kind", "attempts", "next", "title", "error"])
    return 0


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
    sp.add_argument("--format", choices=["jsonl", "text"], default="text")
    sp.add_argument("--explain", action="store_true", help="also print why candidates matched")
    sp.add_argument("--jobs", "-j", type=int, default=0,
                    help="processes to match with (default: one per core)")
    sp.add_argument("--cache-dir", metavar="DIR",
                    help="keep the compiled watchlist here: a rerun with it unchanged starts fast")
    sp.add_argument("paths", nargs="+", metavar="PATH")

    sp = cmd("explain", cmd_explain, "show how a text matches (or fails to match) the watchlist")
    sp.add_argument("--watchlist", required=True)
    sp.add_argument("text", nargs="+")

    sp = cmd("run", cmd_run, "run the daemon in the foreground")
    config(sp)
    sp.add_argument("--log-level", choices=["DEBUG", "INFO", "WARNING", "ERROR"])

    config(cmd("check", cmd_check, "validate the config and the watchlist, list every problem"))

    sp = cmd("notify-test", cmd_notify_test, "send a test alert to each notify target")
    config(sp)
    sp.add_argument("--entry", type=int, help="only the N-th entry (1-based)")

    sp = cmd("hits", cmd_hits, "list stored hits")
    config(sp)
    sp.add_argument("--entity")
    sp.add_argument("--since", help="e.g. 24h, 7d")
    sp.add_argument("--limit", type=int)
    sp.add_argument("--format", choices=["table", "jsonl", "csv"], default="table")

    sp = cmd("status", cmd_status, "documents, hits, alerts and the daemon's state")
    config(sp)
    sp.add_argument("--format", choices=["text", "json"], default="text")

    sp = cmd("outbox", cmd_outbox, "list queued alerts; 'retry' re-queues dead ones")
    config(sp)
    sp.add_argument("action", nargs="?", choices=["list", "retry"], default="list")
    sp.add_argument("--status", choices=["pending", "sent", "dead"])
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
