#!/usr/bin/env python3
"""Drop-to-alert latency: a 5 KB article dropped into the inbox of a running daemon, until its
alert reaches a local HTTP endpoint (apprise json://).

    .venv/bin/python bench/latency.py [--drops 50] [--watchlist FILE | --entities 100000]
                                      [--corpus DIR]

Prints p50 / p90 / p99 / max over the drops. Each drop is a distinct article (a numbered line
makes its SHA-256 unique) written under a temporary name and renamed into the inbox, as
scrapers do. The clock starts just before the rename and stops when the HTTP request arrives.
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


class Sink(http.server.ThreadingHTTPServer):
    def __init__(self):
        self.arrivals: dict[str, float] = {}
        self.event = threading.Condition()
        sink = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                now = time.perf_counter()
                with sink.event:
                    sink.arrivals.setdefault(body["title"].rsplit(" in ", 1)[-1], now)
                    sink.event.notify_all()
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def wait(self, name: str, timeout: float = 30.0) -> float:
        with self.event:
            if not self.event.wait_for(lambda: name in self.arrivals, timeout):
                raise TimeoutError(f"no alert for {name}")
            return self.arrivals[name]


def corpus_text(folder: Path) -> str:
    """The articles are cut from these texts; without them every drop would be a few words
    long and the figures those of a daemon matching nothing."""
    found = sorted(folder.glob("*.txt"))
    if not found:
        raise SystemExit(f"no .txt files in {folder}: pass --corpus DIR (e.g. ../shared/corpus)")
    return " ".join(p.read_text(encoding="utf-8") for p in found)


def article(text: str, n: int, size: int = 5000) -> str:
    start = (n * 977) % max(1, len(text) - size)
    body = "Kyiv: " + text[start:start + size - 40]
    return f"Article number {n}\n{body}\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--drops", type=int, default=50)
    ap.add_argument("--watchlist", default=str(ROOT / "config" / "watchlist.yaml"))
    ap.add_argument("--entities", type=int, default=0,
                    help="watch bench/scale.py's synthetic list of this many entities instead "
                         "(plus the dev-set entities; needs the bench extra)")
    ap.add_argument("--corpus", type=Path, default=CORPUS,
                    help="folder of .txt files the articles are cut from")
    ap.add_argument("--pause", type=float, default=0.2, help="seconds between drops")
    args = ap.parse_args()
    text = corpus_text(args.corpus)

    sink = Sink()
    work = Path(tempfile.mkdtemp(prefix="watcher-latency-"))
    if args.entities:
        sys.path.insert(0, str(ROOT / "bench"))
        from scale import write_watchlist

        args.watchlist = str(work / f"watchlist-{args.entities}.yaml")
        print(f"{write_watchlist(args.entities, Path(args.watchlist))} entities", flush=True)
    (work / "inbox").mkdir()
    config = work / "watcher.yaml"
    config.write_text(json.dumps({
        "inbox": "inbox", "watchlist": str(Path(args.watchlist).resolve()), "data_dir": "data",
        "notify": [{"url": f"json://127.0.0.1:{sink.server_port}/hook"}]}))
    log = open(work / "daemon.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "watcher.cli", "run", "--config", str(config)],
                            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 300
        while b"watching" not in (work / "daemon.log").read_bytes():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"daemon did not start; see {work / 'daemon.log'}")
            time.sleep(0.05)
        latencies = []
        for n in range(args.drops):
            name = f"article-{n:03d}.txt"
            tmp = work / "inbox" / (name + ".part")
            tmp.write_text(article(text, n), encoding="utf-8")
            t0 = time.perf_counter()
            os.rename(tmp, work / "inbox" / name)
            latencies.append((sink.wait(name) - t0) * 1000)
            time.sleep(args.pause)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    print(f"drop-to-alert latency, {len(latencies)} drops of ~5 KB, watchlist {args.watchlist}")
    print(f"  p50 {statistics.median(latencies):7.1f} ms")
    print(f"  p90 {q[89]:7.1f} ms")
    print(f"  p99 {q[98]:7.1f} ms")
    print(f"  min {min(latencies):7.1f} ms   max {max(latencies):7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
