"""SIGKILL torture: files keep arriving while the daemon is killed at random moments.

    python bench/killloop.py [--files 5000] [--kills 20] [--mode move|keep] [--seed N]

A thread drops the files (renamed in, or written in place) at a steady pace, also while the
daemon is down; the daemon is SIGKILLed `--kills` times at random moments (some before it
said READY=1, during the catch-up scan), then runs until everything is done. Alerts go to a
local HTTP endpoint. Checked against what the files contain: 0 files missed, 0 hits missed,
every (document, entity) notification in a message that was received (the alert policy may
group several into one message), duplicate messages at most one per kill,
`PRAGMA integrity_check` ok. Prints the figures; exit 1 on any loss.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))
from conftest import WATCHLIST, Daemon, HttpSink  # noqa: E402 - the tests' real harness

from watcher.matcher import Matcher  # noqa: E402
from watcher.models import Entity  # noqa: E402

NAMES = ["Vladimir Putin", "Kyiv", "Gazprom", "Volodymyr Zelensky", "Kiev", "nobody"]


def content(i: int, rng: random.Random) -> bytes:
    names = rng.sample(NAMES, rng.randint(0, 3))
    return (f"Report {i}. " + " ".join(f"{n} was mentioned." for n in names) + "\n").encode()


def expected(files: dict[str, bytes]) -> tuple[int, int]:
    """(hits, alerts) the files must produce: the matcher run here on their text."""
    entities = [Entity(id=e["id"], name=e["name"], type=e["type"],
                       aliases=tuple(e.get("aliases", ())), tags=tuple(e.get("tags", ())))
                for e in WATCHLIST["entities"]]
    matcher = Matcher.compile(entities)
    hits = alerts = 0
    for data in files.values():
        found = matcher.match(data.decode())
        hits += len(found)
        alerts += len({h.entity_id for h in found})
    return hits, alerts


class Dropper(threading.Thread):
    """Drops `n` files over `seconds`: two in three renamed in, one in three written in place."""

    def __init__(self, d: Daemon, n: int, seconds: float, rng: random.Random):
        super().__init__(daemon=True)
        self.d, self.n, self.seconds, self.rng = d, n, seconds, rng
        self.files: dict[str, bytes] = {}

    def run(self) -> None:
        outside = self.d.root / "outside"
        outside.mkdir(exist_ok=True)
        started = time.monotonic()
        for i in range(self.n):
            data = content(i, self.rng)
            dest = self.d.inbox / f"d{i % 7}" / f"doc-{i:05d}.txt"
            dest.parent.mkdir(parents=True, exist_ok=True)
            if i % 3:
                tmp = outside / dest.name
                tmp.write_bytes(data)
                os.replace(tmp, dest)
            else:
                dest.write_bytes(data)
            self.files[str(dest)] = data
            lag = started + self.seconds * (i + 1) / self.n - time.monotonic()
            if lag > 0:
                time.sleep(lag)


def run(files: int, kills: int, root: Path, mode: str = "move", seed: int = 0,
        drop_seconds: float | None = None, timeout: float = 900) -> dict:
    rng = random.Random(seed)
    sink = HttpSink()
    d = Daemon(root, notify=[{"url": sink.url(), "name": "hook"}], after_processing=mode,
               rescan_interval="5s", settle_time="0.3s")
    dropper = Dropper(d, files, drop_seconds or max(3.0, files / 250), rng)
    started = time.monotonic()
    try:
        d.start()
        dropper.start()
        killed_before_ready = 0
        for k in range(kills):
            time.sleep(rng.uniform(0.1, 1.5))
            killed_before_ready += "READY=1" not in d.read_notifications()
            d.kill()
            # a third of the restarts are not waited for: that kill may land during the
            # start-up and catch-up scan
            d.start(wait_ready=k == kills - 1 or rng.random() > 0.3)
        dropper.join()
        n = len(dropper.files)
        deadline = time.monotonic() + timeout

        def done() -> bool:
            return (d.count("documents") >= n and d.count("outbox", "status = 'pending'") == 0
                    and d.count("pending", "state IN ('new', 'held')") == 0
                    and (mode == "keep" or not any(d.inbox.rglob("*.txt"))))

        while not done() and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1.0)  # late duplicates would arrive now
        elapsed = time.monotonic() - started
        shas = {r[0] for r in d.query("SELECT sha256 FROM documents WHERE status='processed'")}
        import hashlib

        want = {hashlib.sha256(b).hexdigest() for b in dropper.files.values()}
        want_hits, want_alerts = expected(dropper.files)
        bodies = Counter(b["message"] for b in sink.received())
        sent_bodies = {r[0] for r in d.query("SELECT body FROM outbox WHERE status = 'sent'")}
        moved = sum(1 for _ in (d.data / "processed").rglob("*.txt")) if mode == "move" else n
        result = {
            "files": n, "kills": kills, "killed_before_ready": killed_before_ready,
            "mode": mode, "seconds": round(elapsed, 1),
            "files_missed": len(want - shas), "documents": d.count("documents"),
            "hits_expected": want_hits, "hits_stored": d.count("hits"),
            # one notification per document and entity; the alert policy may group several
            # into one message, so each must be in a sent message, and each message received
            "notifications_expected": want_alerts,
            "notifications_stored": d.count("pending"),
            "notifications_in_sent_messages": d.count(
                "pending", "state = 'sent' AND message_id IN "
                           "(SELECT id FROM outbox WHERE status = 'sent')"),
            "messages_sent": len(sent_bodies),
            "messages_received_distinct": len(bodies),
            "messages_not_received": len(sent_bodies - set(bodies)),
            "messages_received_total": sum(bodies.values()),
            "duplicates": sum(bodies.values()) - len(bodies),
            "left_in_inbox": sum(1 for _ in d.inbox.rglob("*.txt")) if mode == "move" else 0,
            "moved_to_processed": moved,
            "integrity": d.query("PRAGMA integrity_check")[0][0],
            "exit_code": d.stop(),
        }
    finally:
        d.ensure_stopped()
        sink.close()
    result["ok"] = (result["files_missed"] == 0 and result["documents"] == n
                    and result["hits_stored"] == want_hits
                    and result["notifications_stored"] == want_alerts
                    and result["notifications_in_sent_messages"] == want_alerts
                    and result["messages_not_received"] == 0
                    and result["messages_received_distinct"] == result["messages_sent"]
                    and result["duplicates"] <= kills
                    and result["left_in_inbox"] == 0 and result["moved_to_processed"] >= n
                    and result["integrity"] == "ok" and result["exit_code"] == 0)
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--files", type=int, default=5000)
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--mode", choices=["move", "keep"], default="move")
    ap.add_argument("--seed", type=int, default=int(time.time()))
    args = ap.parse_args()
    print(f"seed {args.seed}")
    with tempfile.TemporaryDirectory(prefix="watcher-kill-") as tmp:
        result = run(args.files, args.kills, Path(tmp), args.mode, args.seed)
    for key, value in result.items():
        print(f"{key:>24}: {value}")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
