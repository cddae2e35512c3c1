#!/usr/bin/env python3
"""Several daemons on one PostgreSQL: throughput of 1 vs 3 daemons on one shared inbox, plus
exactly-once checks.

    .venv/bin/python bench/multi_daemon.py [--files 3000] [--daemons 3] [--size 4000] [--rounds 3]

Starts a throwaway PostgreSQL server (tests/pgserver.py, PostgreSQL's durable defaults unless
--fast), then for 1 and for N daemons (each `workers: 1`, all on the same inbox folder and
database, alerts to a local HTTP endpoint): moves the same set of distinct articles into the
inbox at once and times until every document is stored, and until every alert arrived.
1 and N daemons run alternately --rounds times (the host's speed drifts by tens of percent
over minutes on a shared machine): each round's ratio and the medians are printed.
Prints files/s for each, the ratio, and the checks: documents == files, alerts received ==
alerts queued, duplicates 0, each file matched by exactly one daemon. Also the CPU seconds per
file of each side (the daemons, PostgreSQL, this script: the alert sink and the polling)
while storing and in all: on a small machine the ratio is bounded by the CPU a file costs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "tests"))
import machine  # noqa: E402  (bench/machine.py)
from pgserver import PgServer  # noqa: E402

PROCESSED = re.compile(r"INFO watcher\.pipeline: processed (\S+) ")
FALLBACK_WATCHLIST = {"entities": [
    {"id": "zelensky", "name": "Volodymyr Zelensky", "type": "person",
     "aliases": ["Zelenskyy", "Зеленський"]},
    {"id": "putin", "name": "Vladimir Putin", "type": "person", "aliases": ["Путин"]},
    {"id": "kyiv", "name": "Kyiv", "type": "place", "aliases": ["Kiev"]},
    {"id": "gazprom", "name": "Gazprom", "type": "org"}]}


class Sink:
    """apprise json:// receiver: counts every alert by title. It stands for a remote service
    (Slack, a webhook) yet runs on the cores the daemons are measured on, so it does as little
    as it can: one thread reads each request's bytes and answers 200 (http.server's header
    parsing cost more CPU per alert than PostgreSQL's statements); the bodies are read when
    the titles are asked for, after the timed part."""

    REPLY = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    LENGTH = re.compile(rb"(?im)^content-length:\s*(\d+)")

    def __init__(self):
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.server_port = self._sock.getsockname()[1]
        self._bodies: list[bytes] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:  # shut down
                return
            with conn, contextlib.suppress(OSError):  # (a sender gone: the next one)
                body = self._read(conn)
                if body is not None:
                    self._bodies.append(body)
                    conn.sendall(self.REPLY)

    def _read(self, conn: socket.socket) -> bytes | None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        found = self.LENGTH.search(head)
        length = int(found.group(1)) if found else 0
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            body += chunk
        return body

    def received(self) -> int:
        return len(self._bodies)

    @property
    def titles(self) -> Counter:
        return Counter(json.loads(b)["title"] for b in list(self._bodies))

    def shutdown(self) -> None:
        self._sock.shutdown(socket.SHUT_RDWR)  # wakes the accept()
        self._sock.close()


def texts() -> list[str]:
    """Source articles: the shared evaluation documents and corpus, else a fixed one."""
    found = sorted((SHARED / "eval" / "dev" / "docs").glob("*.txt")) + sorted(
        (SHARED / "corpus").glob("*.txt"))
    out = [p.read_text(encoding="utf-8", errors="replace") for p in found]
    return out or ["Vladimir Putin and Volodymyr Zelensky spoke about Kyiv and Gazprom.\n"]


FILLER = ("the council met on tuesday to discuss the budget for roads schools and water while "
          "analysts said prices for grain and fuel would stay high through the winter and "
          "residents asked for more buses on the northern routes before the holidays").split()


def make_files(folder: Path, n: int, size: int) -> None:
    """n distinct articles of about `size` bytes: one source story (a few watched names, so a
    few alerts) padded with ordinary prose that the matcher still has to read."""
    sources = texts()
    folder.mkdir(parents=True)
    rng = random.Random(7)
    for i in range(n):
        story = sources[i % len(sources)]
        words = [f"Dispatch {i}."]
        while sum(len(w) + 1 for w in words) < max(0, size - len(story)):
            words.append(rng.choice(FILLER))
        (folder / f"a{i:05d}.txt").write_text(" ".join(words) + "\n\n" + story,
                                              encoding="utf-8")


TICK = os.sysconf("SC_CLK_TCK")


def cpu_of(pid: int) -> float:
    """CPU seconds of a process and of its children it has reaped; 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(f) for f in fields[11:15]) / TICK  # utime stime cutime cstime


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def tree_cpu(pid: int) -> float:
    """CPU seconds of a process and all its descendants, live or reaped."""
    return cpu_of(pid) + sum(tree_cpu(c) for c in children(pid))


def postmaster(server: PgServer) -> int | None:
    try:
        return int((server.root / "data" / "postmaster.pid").read_text().split()[0])
    except (OSError, TypeError, ValueError, IndexError):
        return None


def machine_busy() -> float:
    """CPU seconds every process of the machine used (all but idle and iowait)."""
    fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / TICK


def cpu_sample(daemons, server: PgServer) -> dict:
    me = os.times()
    pg = postmaster(server)
    return {"daemons": sum(tree_cpu(p.pid) for p in daemons),
            "postgres": tree_cpu(pg) if pg else 0.0,
            "bench": me.user + me.system, "machine": machine_busy()}


def cpu_per_file(before: dict, after: dict, n_files: int) -> dict:
    """Milliseconds of CPU per file of each side, their total, and `others`: what the rest of
    the machine used meanwhile (other work on a shared machine skews the figures)."""
    out = {k: round((after[k] - before[k]) / n_files * 1000, 2) for k in before}
    machine = out.pop("machine")
    out["total"] = round(sum(out.values()), 2)
    out["others"] = round(machine - out["total"], 2)
    return out


class Poller:
    """One connection for the progress queries: a new connection every 50 ms would cost
    PostgreSQL a backend fork each, CPU taken from the daemons being measured."""

    def __init__(self, url: str):
        import psycopg

        self.conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1),
                                    autocommit=True)

    def count(self, sql: str) -> int:
        return self.conn.execute(sql).fetchone()[0]

    def close(self) -> None:
        self.conn.close()


def run(n_daemons: int, files: Path, n_files: int, server: PgServer, watchlist: Path,
        work: Path, timeout: float) -> dict:
    db = server.create_db("bench")
    sink = Sink()
    base = Path(tempfile.mkdtemp(prefix=f"run-{n_daemons}-", dir=work))  # one per round
    inbox = base / "inbox"
    inbox.mkdir()
    procs, logs = [], []
    for k in range(n_daemons):
        root = base / f"daemon-{k}"
        root.mkdir()
        config = {"inbox": str(inbox), "watchlist": str(watchlist), "data_dir": "data",
                  "database": db, "workers": 1, "rescan_interval": "10m", "settle_time": "1s",
                  "notify": [{"url": f"json://127.0.0.1:{sink.server_port}/hook"}]}
        (root / "watcher.yaml").write_text(yaml.safe_dump(config))
        log = open(root / "daemon.log", "wb")
        logs.append(root / "daemon.log")
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "watcher.cli", "run", "--config", str(root / "watcher.yaml")],
            stdout=log, stderr=subprocess.STDOUT, cwd=ROOT))
    deadline = time.monotonic() + 60
    while not all("watching" in p.read_text(errors="replace") for p in logs):
        if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
            raise SystemExit("a daemon did not start:\n" + "\n".join(
                p.read_text(errors="replace")[-2000:] for p in logs))
        time.sleep(0.1)

    names = sorted(os.listdir(files))
    cpu_start = cpu_sample(procs, server)
    started = time.perf_counter()
    for name in names:  # renamed in, as scrapers do; same filesystem, so instant
        os.link(files / name, inbox / name)
    dropped = time.perf_counter() - started
    stored_at = sent_at = cpu_stored = cpu_sent = None
    deadline = time.monotonic() + timeout
    poll = Poller(db)
    # polled every 0.1 s, the alert counts only once all is stored: each count is a scan
    # PostgreSQL does on the CPU the daemons are measured on (0.1 s is 0.4% of a 25 s run)
    while time.monotonic() < deadline:
        time.sleep(0.1)
        if stored_at is None:
            if poll.count("SELECT count(*) FROM documents") < n_files:
                continue
            stored_at = time.perf_counter() - started
            cpu_stored = cpu_sample(procs, server)
        # every pending notification decided (flushed into a message) and every message in;
        # pending first: a flush between the two counts would hide its messages otherwise
        waiting = poll.count("SELECT count(*) FROM pending WHERE state = 'new'")
        queued = poll.count("SELECT count(*) FROM outbox")
        if waiting == 0 and sink.received() >= queued:
            sent_at = time.perf_counter() - started
            cpu_sent = cpu_sample(procs, server)
            break
    time.sleep(1.0)  # a message sent twice would arrive now
    for p in procs:
        p.terminate()
    for p in procs:
        p.wait(timeout=60)

    docs = poll.count("SELECT count(*) FROM documents WHERE status = 'processed'")
    queued = poll.count("SELECT count(*) FROM outbox")
    poll.close()
    matched = Counter()
    shares = []
    for log in logs:
        found = PROCESSED.findall(log.read_text(errors="replace"))
        matched.update(found)
        shares.append(len(found))
    result = {
        "daemons": n_daemons, "files": n_files, "drop_s": round(dropped, 2),
        "stored_s": stored_at and round(stored_at, 2), "alerted_s": sent_at and round(sent_at, 2),
        "files_per_s": stored_at and round(n_files / stored_at, 1),
        "documents": docs, "alerts_expected": queued, "alerts_received": sink.received(),
        "duplicates": sum(c - 1 for c in sink.titles.values() if c > 1),
        "matched_twice": sum(1 for c in matched.values() if c > 1), "shares": shares,
        "cpu_ms_per_file_storing": cpu_stored and cpu_per_file(cpu_start, cpu_stored, n_files),
        "cpu_ms_per_file_all": cpu_sent and cpu_per_file(cpu_start, cpu_sent, n_files),
    }
    sink.shutdown()
    server.drop_db(db)
    return result


def report(r: dict) -> None:
    print(f"{r['daemons']} daemon(s): {r['files_per_s']} files/s (stored in {r['stored_s']} s, "
          f"alerts done in {r['alerted_s']} s; files per daemon {r['shares']})")
    print(f"  documents {r['documents']} == files {r['files']}: "
          f"{r['documents'] == r['files']}; alerts received {r['alerts_received']} == "
          f"expected {r['alerts_expected']}: "
          f"{r['alerts_received'] == r['alerts_expected']}; duplicates "
          f"{r['duplicates']}; matched twice {r['matched_twice']}")
    print(f"  CPU ms per file while storing {r['cpu_ms_per_file_storing']}, "
          f"until every alert arrived {r['cpu_ms_per_file_all']}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=3000)
    ap.add_argument("--daemons", type=int, default=3)
    ap.add_argument("--size", type=int, default=4000, help="bytes per article")
    ap.add_argument("--watchlist", type=Path, default=SHARED / "eval" / "dev" / "watchlist.yaml")
    ap.add_argument("--fast", action="store_true", help="PostgreSQL with fsync off")
    ap.add_argument("--timeout", type=float, default=900)
    ap.add_argument("--rounds", type=int, default=3,
                    help="1 and N daemons alternately this many times; medians are reported")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="watcher-bench-"))
    server = PgServer(durable=not args.fast).start()
    try:
        watchlist = work / "watchlist.yaml"
        if args.watchlist.exists():
            shutil.copy(args.watchlist, watchlist)
        else:
            watchlist.write_text(yaml.safe_dump(FALLBACK_WATCHLIST, allow_unicode=True))
        make_files(work / "articles", args.files, args.size)
        print(f"{args.files} articles of ~{args.size} bytes, watchlist {args.watchlist.name}, "
              f"{os.cpu_count()} cores, PostgreSQL {'fsync off' if args.fast else 'durable'}")
        results = []
        ratios = []
        for k in range(args.rounds):  # 1 and N alternately: the host's speed drifts
            pair = []
            for n in (1, args.daemons):
                r = run(n, work / "articles", args.files, server, watchlist, work, args.timeout)
                r["round"] = k + 1
                results.append(r)
                pair.append(r)
                report(r)
            one, many = pair
            if one["files_per_s"] and many["files_per_s"]:
                ratios.append(many["files_per_s"] / one["files_per_s"])
                print(f"round {k + 1}: ratio {args.daemons} daemons / 1 daemon: "
                      f"{ratios[-1]:.2f}")
        if ratios:
            rate = {n: statistics.median(r["files_per_s"] for r in results
                                         if r["daemons"] == n and r["files_per_s"])
                    for n in (1, args.daemons)}
            print(f"median of {len(ratios)} rounds: 1 daemon {rate[1]:.1f} files/s, "
                  f"{args.daemons} daemons {rate[args.daemons]:.1f} files/s; ratio "
                  f"{statistics.median(ratios):.2f} (target >= 1.7; each round "
                  f"{', '.join(f'{x:.2f}' for x in ratios)})")
            print(machine.line())
        ok = all(r["documents"] == r["files"] and r["alerts_received"] == r["alerts_expected"]
                 and r["duplicates"] == 0 and r["matched_twice"] == 0 for r in results)
        print("exactly-once checks:", "ok" if ok else "FAILED")
        print(json.dumps(results))
        return 0 if ok else 1
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
