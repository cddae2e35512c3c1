"""Burst torture: N files dropped into the inbox within ~2 s; every one processed exactly once.

    python bench/burst.py [--files 10000] [--workers 0]

The periodic rescan is set to 1 h, so only inotify events and the overflow answer (a rescan
when watchdog reports "Inotify queue overflowed") can find the files. Prints the figures and
exits 1 if any file is missing or duplicated.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from conftest import Daemon  # noqa: E402 - the tests' real-subprocess harness

NAMES = ["Vladimir Putin", "Kyiv", "Gazprom", "Volodymyr Zelensky", "nobody in particular"]


def drop_burst(d: Daemon, n: int) -> tuple[set[str], float]:
    """Half written in place, half written outside beforehand and renamed in (as careful
    scrapers do); returns the paths and how long the drop took."""
    outside = d.root / "outside"
    outside.mkdir(exist_ok=True)
    jobs = []
    for i in range(n):
        data = f"Report {i}: {NAMES[i % len(NAMES)]} was mentioned.\n".encode()
        dest = str(d.inbox / f"d{i % 10}" / f"burst-{i:05d}.txt")
        src = None
        if i % 2:
            src = str(outside / f"burst-{i:05d}.txt")
            with open(src, "wb") as f:
                f.write(data)
        jobs.append((src, dest, data))
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    started = time.monotonic()
    for src, dest, data in jobs:
        if src:
            os.rename(src, dest)
        else:
            fd = os.open(dest, flags, 0o644)
            os.write(fd, data)
            os.close(fd)
    return {dest for _, dest, _ in jobs}, time.monotonic() - started


QUEUE_LIMIT = Path("/proc/sys/fs/inotify/max_queued_events")


def start_with_queue_limit(d: Daemon, limit: int | None) -> None:
    """Start the daemon; with `limit`, its inotify instance gets a queue that small (the
    kernel reads the sysctl at inotify_init; restored right after, so other processes are
    affected only during the start)."""
    if not limit:
        d.start()
        return
    old = QUEUE_LIMIT.read_text()
    QUEUE_LIMIT.write_text(str(limit))
    try:
        d.start()
    finally:
        QUEUE_LIMIT.write_text(old)


def run(n: int, workers: int, root: Path, queue_limit: int | None = None,
        timeout: float = 600) -> dict:
    d = Daemon(root, rescan_interval="1h", workers=workers, settle_time="0.5s")
    for i in range(10):
        (d.inbox / f"d{i}").mkdir(parents=True, exist_ok=True)
    start_with_queue_limit(d, queue_limit)
    try:
        paths, drop_s = drop_burst(d, n)
        started = time.monotonic()
        deadline = started + timeout
        while d.count("files") < n and time.monotonic() < deadline:
            time.sleep(0.1)
        all_s = time.monotonic() - started + drop_s
        time.sleep(1.0)  # anything processed twice would show up now
        docs = [r[0] for r in d.query("SELECT path FROM documents")]
        files = [r[0] for r in d.query("SELECT path FROM files")]
        log = d.log()
        result = {
            "files": n, "drop_s": round(drop_s, 2), "all_processed_s": round(all_s, 2),
            "files_per_s": round(n / all_s), "documents": len(docs),
            "distinct_documents": len(set(docs)), "missing": len(paths - set(docs)),
            "extra": len(set(docs) - paths), "file_rows": len(files),
            "overflows": log.count("Inotify queue overflowed; filesystem events were lost"),
            "overflow_rescans": log.count("inotify queue overflowed: rescanning"),
            "integrity": d.query("PRAGMA integrity_check")[0][0],
            "exit_code": d.stop(),
        }
    finally:
        d.ensure_stopped()
    result["ok"] = (result["missing"] == 0 and result["extra"] == 0
                    and result["documents"] == n == result["distinct_documents"]
                    and result["integrity"] == "ok" and result["exit_code"] == 0)
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--workers", type=int, default=0)
    ap.add_argument("--queue-limit", type=int, metavar="N",
                    help="give the daemon an inotify queue of N events (root), to force "
                         "overflows: the files must still all be processed")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="watcher-burst-") as tmp:
        result = run(args.files, args.workers, Path(tmp), args.queue_limit)
    for key, value in result.items():
        print(f"{key:>20}: {value}")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
