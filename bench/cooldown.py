"""Cooldown lookup on a long-running database: how long Store.last_alerts takes when the
looked-up entities were alerted thousands of times before.

    python bench/cooldown.py [--rows 200000] [--entities 20] [--runs 50]

Fills the pending table of a fresh SQLite file (and of a throwaway PostgreSQL database when
the server binaries are installed) with `rows` sent alerts, one a minute back in time, spread
over `entities` entities, then times last_alerts for five of them with a one-hour window, the
lookup every alert flush makes. Prints the median per engine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from pgserver import PgServer  # noqa: E402

from watcher.store import Store, utcnow  # noqa: E402


def fill(store: Store, rows: int, entities: int) -> None:
    now = utcnow()
    with store.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO documents (sha256, path, size, encoding, status, error, hit_count, "
            "processed_at) VALUES ('x', '/x', 1, 'utf-8', 'processed', '', 0, :t)"), {"t": now})
        doc = conn.execute(text("SELECT id FROM documents")).scalar()
        conn.execute(text(
            "INSERT INTO pending (entry, entity_id, entity_name, entity_type, document_id, "
            "mentions, score, state, created_at, decided_at) VALUES (:entry, :entity, 'n', "
            "'person', :doc, 1, 90, 'sent', :t, :t)"),
            [{"entry": "slack", "entity": f"ent{i % entities}", "doc": doc,
              "t": now - timedelta(minutes=i)} for i in range(rows)])
        if store.postgres:
            conn.execute(text("ANALYZE pending"))


def lookup_ms(store: Store, runs: int) -> float:
    since = utcnow() - timedelta(hours=1)
    wanted = [f"ent{i}" for i in range(5)]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        store.last_alerts(["slack"], wanted, since=since)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--entities", type=int, default=20)
    ap.add_argument("--runs", type=int, default=50)
    args = ap.parse_args()
    print(f"{args.rows} sent alerts over {args.entities} entities; last_alerts for 5, 1 h window")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'bench.db'}")
        fill(store, args.rows, args.entities)
        print(f"sqlite      median {lookup_ms(store, args.runs):.2f} ms")
        store.engine.dispose()
    if not PgServer.available():
        print("postgresql  (server binaries not installed: skipped)")
        return
    server = PgServer().start()
    try:
        store = Store(server.create_db("bench"))
        fill(store, args.rows, args.entities)
        print(f"postgresql  median {lookup_ms(store, args.runs):.2f} ms")
        store.engine.dispose()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
