"""The daemon under a fake systemd: READY, WATCHDOG and STOPPING on a NOTIFY_SOCKET, live
reload by edit and SIGHUP, and `watcher status`."""

from __future__ import annotations

import json
import os
import signal
import time
from datetime import UTC, datetime, timedelta

import pytest
import yaml
from conftest import run_cli, wait_for

from watcher import matcher

# Runs in the daemon process before the CLI (Daemon.start(preload=...)): a file named hang*
# blocks its worker until <root>/release exists; a file named die* ends its worker thread.
FAULTS = """
import os, time
from pathlib import Path
import watcher.parallel as parallel
_extract = parallel.extract
RELEASE = Path({release!r})
def extract(name, data):
    base = os.path.basename(name)
    if base.startswith("hang"):
        while not RELEASE.exists():
            time.sleep(0.05)
    if base.startswith("die"):
        raise SystemExit("worker thread ended by the test")
    return _extract(name, data)
parallel.extract = extract
"""


def pings(d) -> int:
    return d.read_notifications().count("WATCHDOG=1")


def test_ready_after_catch_up_is_queued_then_pings_then_stopping(make_daemon):
    d = make_daemon()
    for i in range(3):
        (d.inbox / f"early-{i}.txt").write_text(f"Kyiv report {i}")  # before the start
    d.start(env={"WATCHDOG_USEC": "400000"})  # WatchdogSec=0.4s: a ping every 0.2 s
    log = d.log()
    assert "3 file(s) to catch up" in log  # the scan ran before READY=1
    notes = d.read_notifications()
    # more start time asked for while the watchlist loads (a big one may outlast
    # TimeoutStartSec), then READY=1
    assert notes.startswith("EXTEND_TIMEOUT_USEC=30000000\nSTATUS=loading the watchlist ")
    assert notes.index("READY=1") > 0
    d.drop("late.txt", "Kyiv late report")  # the inbox is watched as soon as READY=1
    wait_for(lambda: d.count("documents") == 4, what="catch-up and new file processed")

    before = pings(d)
    time.sleep(2.0)
    got = pings(d) - before
    assert 6 <= got <= 14, f"{got} pings in 2 s, expected about 10 (every WATCHDOG_USEC/2)"

    started = time.monotonic()
    assert d.stop() == 0
    took = time.monotonic() - started
    assert "STOPPING=1" in "\n".join(d.notifications)
    assert took < 5, f"SIGTERM to exit took {took:.1f} s (TimeoutStopSec=30)"
    assert d.notify_pids == {d.proc.pid}  # only the main process notifies (NotifyAccess=main)


def test_pings_stop_while_a_worker_is_stuck_and_resume_when_it_moves(make_daemon, tmp_path):
    release = tmp_path / "release"
    d = make_daemon(workers=1, stall_timeout="1s")
    d.start(env={"WATCHDOG_USEC": "200000"}, preload=FAULTS.format(release=str(release)))
    wait_for(lambda: pings(d) >= 3, what="watchdog pings")
    d.drop("hang.txt", "Kyiv, stuck")
    wait_for(lambda: "unhealthy, not pinging" in d.log(), timeout=10, what="the stall")
    assert "worker-0 made no progress" in d.log()
    before = pings(d)
    time.sleep(1.5)
    assert pings(d) == before, "pinged systemd while the only worker was stuck"
    status = json.loads((d.data / "status.json").read_text())
    assert status["healthy"] is False and "worker-0" in status["problems"][0]

    release.touch()  # the worker gets going again: healthy, pings resume
    wait_for(lambda: d.count("documents") == 1, what="the held file processed")
    wait_for(lambda: pings(d) > before + 2, what="pings again")
    assert "healthy again" in d.log()
    assert d.stop() == 0


# A database that cannot be written (a full disk, a read-only file system; root cannot make
# one here): save_document fails for files named full* until <root>/release exists.
STORE_FAULTS = """
import os
from pathlib import Path
import watcher.service as service
from watcher.errors import StoreError
from watcher.store import Store
service.STORE_RETRY = 0.2
RELEASE = Path({release!r})
_save = Store.save_document
def save_document(self, **kw):
    if os.path.basename(kw["path"]).startswith("full") and not RELEASE.exists():
        raise StoreError("database error while storing: OperationalError: disk I/O error")
    return _save(self, **kw)
Store.save_document = save_document
"""


def test_a_database_that_cannot_be_written_makes_the_daemon_unhealthy(make_daemon, tmp_path):
    release = tmp_path / "release"
    d = make_daemon(workers=1)
    d.start(env={"WATCHDOG_USEC": "200000"}, preload=STORE_FAULTS.format(release=str(release)))
    d.drop("full.txt", "Kyiv, on a full disk")

    def unhealthy():
        status = json.loads((d.data / "status.json").read_text())
        return not status["healthy"] and status["problems"]

    problems = wait_for(unhealthy, what="the daemon unhealthy")
    assert "storing fails" in problems[0] and "disk I/O error" in problems[0]
    release.touch()  # the disk has room again: stored, healthy
    wait_for(lambda: d.count("documents") == 1, what="the document stored")
    wait_for(lambda: json.loads((d.data / "status.json").read_text())["healthy"],
             what="healthy again")
    assert d.stop() == 0


def test_pings_stop_when_a_worker_died_and_stop_stays_quick(make_daemon, tmp_path):
    d = make_daemon(workers=2)
    d.start(env={"WATCHDOG_USEC": "200000"},
            preload=FAULTS.format(release=str(tmp_path / "never")))
    wait_for(lambda: pings(d) >= 3, what="watchdog pings")
    d.drop("die.txt", "Kyiv")
    wait_for(lambda: "died" in d.log(), what="the dead worker noticed")
    before = pings(d)
    time.sleep(1.0)
    assert pings(d) == before
    d.drop("other.txt", "Gazprom still flows")  # the surviving worker still works
    wait_for(lambda: d.count("documents") == 1, what="the other worker processing")
    assert d.stop() == 0
    assert "STOPPING=1" in "\n".join(d.notifications)


@pytest.mark.parametrize("workers", [1, 2])  # 1: analysed inline, 2: in a process pool
def test_stop_with_a_hung_worker_exits_within_the_stop_timeout(make_daemon, tmp_path, workers):
    d = make_daemon(workers=workers)
    d.start(preload=FAULTS.format(release=str(tmp_path / "never")))
    d.drop("hang.txt", "Kyiv")
    time.sleep(1.0)  # settle_time 0.3 s, then the worker blocks
    started = time.monotonic()
    assert d.stop(timeout=30) == 0
    assert time.monotonic() - started < 15  # STOP_GRACE 10 s < TimeoutStopSec=30


def _children(pid: int) -> list[int]:
    """The processes a process forked, from any of its threads."""
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                out += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return out


def _syllables(n: int) -> str:
    out = ""
    for _ in range(4):
        n, k = divmod(n, 100)
        out += "bdfgklmnprstvz"[k % 14] + "aeiou"[k // 20]
    return out.capitalize()


def test_a_stop_during_the_first_compile_ends_it_at_once(make_daemon):
    """systemd's stop (SIGTERM to every process of the unit) while a large watchlist compiles
    at start: the daemon exits cleanly without finishing the compile (a restart compiles
    again), instead of compiling its child's half itself first."""
    n = matcher.PARALLEL_COMPILE_MIN + 5000  # (compiled on two cores: a forked child)
    names = [{"id": f"p{i}", "name": f"{_syllables(i)} {_syllables(i * 7 + 3)}",
              "type": "person"} for i in range(n)]
    d = make_daemon(watchlist={"entities": names})
    d.start(wait_ready=False)
    wait_for(lambda: _children(d.proc.pid) or d._dead(), timeout=60, what="the compile child")
    for pid in [*_children(d.proc.pid), d.proc.pid]:
        os.kill(pid, signal.SIGTERM)
    assert d.proc.wait(timeout=60) == 0
    d._close()
    assert "stopped while compiling the watchlist" in d.log(), d.log()
    assert "watching" not in d.log()
    assert not list((d.data / "cache").glob("watchlist-*"))


def test_an_edit_undone_while_the_edit_compiles_leaves_the_undone_version_serving(make_daemon):
    """A large watchlist edited, then put back while the edit still compiles: the put-back
    version (cached: read at once) serves, and the edit's compile is dropped instead of
    finishing last and serving what the file no longer says."""
    n = matcher.PARALLEL_COMPILE_MIN + 5000
    names = [{"id": f"p{i}", "name": f"{_syllables(i)} {_syllables(i * 7 + 3)}",
              "type": "person"} for i in range(n)]
    d = make_daemon(watchlist={"entities": names}, workers=1)
    d.start()
    original = d.watchlist.read_bytes()
    wait_for(lambda: list((d.data / "cache").glob("watchlist-*.marshal")), timeout=60,
             what="the compiled watchlist cached")
    wait_for(lambda: not _children(d.proc.pid), timeout=60, what="the cache writer done")
    edited = {"entities": [*names, {"id": "zq", "name": "Zyxo Quorrazan", "type": "person"}]}
    d.watchlist.write_text(yaml.safe_dump(edited), encoding="utf-8")
    wait_for(lambda: _children(d.proc.pid), timeout=30, what="the edit's compile")
    d.watchlist.write_bytes(original)  # undone
    wait_for(lambda: "watchlist compile dropped" in d.log(), timeout=30, what="the drop")
    wait_for(lambda: "watchlist reloaded" in d.log().split("watchlist compile dropped")[-1],
             timeout=30, what="the undone version reloaded")
    time.sleep(1.0)  # (an edit's compile not dropped would be done by now)
    d.drop("a.txt", "Zyxo Quorrazan met Ba" + _syllables(5)[2:] + " today.")
    wait_for(lambda: d.count("documents") == 1, timeout=30, what="the document stored")
    assert d.count("hits", "entity_id = 'zq'") == 0
    assert d.log().count("watchlist reloaded") == 1, d.log()
    assert d.stop() == 0


def test_sighup_and_edits_reload_within_2s_and_a_bad_edit_raises_a_health_alert(
        make_daemon, http_sink):
    d = make_daemon(notify=[{"url": http_sink.url("alerts"), "name": "desk"},
                            {"url": http_sink.url("health"), "name": "ops", "health": True}])
    d.start()
    wl = yaml.safe_load(d.watchlist.read_text())

    # 1. an edit, then SIGHUP: each reloads within 2 s
    wl["entities"].append({"id": "lavrov", "name": "Sergei Lavrov", "type": "person"})
    d.watchlist.write_text(yaml.safe_dump(wl, allow_unicode=True), encoding="utf-8")
    reloads = d.log().count("watchlist reloaded")
    started = time.monotonic()
    wait_for(lambda: d.log().count("watchlist reloaded") > reloads, timeout=2,
             what="reload after the edit")
    edit_latency = time.monotonic() - started
    reloads = d.log().count("watchlist reloaded")
    started = time.monotonic()
    d.proc.send_signal(signal.SIGHUP)
    wait_for(lambda: d.log().count("watchlist reloaded") > reloads, timeout=2,
             what="reload after SIGHUP")
    hup_latency = time.monotonic() - started
    print(f"reload latency: edit {edit_latency:.2f} s, SIGHUP {hup_latency:.2f} s")
    d.drop("a.txt", "Sergei Lavrov met his counterpart.")
    wait_for(lambda: any("Lavrov" in b["title"] for b in http_sink.received()),
             timeout=2, what="an alert for the added entity")

    # 2. an invalid edit: the old list serves, file and line logged, a health alert sent
    d.watchlist.write_text("entities:\n  - id: x\n    name: X\n  - id: x\n    name: Y\n",
                           encoding="utf-8")
    d.proc.send_signal(signal.SIGHUP)
    wait_for(lambda: "previous one keeps serving" in d.log(), timeout=2, what="the rejection")
    assert "watchlist.yaml:4: entity 'x': duplicate id" in d.log()
    health = wait_for(lambda: [b for b in http_sink.received()
                               if "rejected" in b["title"]], what="a health alert")
    assert "watchlist.yaml:4" in health[0]["message"]
    d.drop("b.txt", "Sergei Lavrov spoke again.")
    wait_for(lambda: sum("Lavrov" in b["title"] for b in http_sink.received()) == 2,
             what="the previous watchlist still serving")
    # health alerts go to the health entry only, alerts to the desk only
    rows = d.query("SELECT entry, kind FROM outbox ORDER BY id")
    assert {r for r in rows} == {("desk", "alert"), ("ops", "health")}
    assert d.stop() == 0


def test_a_database_deleted_under_the_daemon_makes_it_unhealthy(make_daemon):
    """SQLite goes on writing to a deleted file, and all of it is lost at the next start:
    the daemon says so (status, and the systemd watchdog pings stop)."""
    d = make_daemon().start()
    d.drop("a.txt", "Vladimir Putin spoke.")
    wait_for(lambda: d.count("documents") == 1, what="the document stored")
    for name in ("watcher.db", "watcher.db-wal", "watcher.db-shm"):
        (d.data / name).unlink(missing_ok=True)

    def unhealthy():
        status = json.loads((d.data / "status.json").read_text())
        return not status["healthy"] and status["problems"]

    problems = wait_for(unhealthy, what="the daemon unhealthy")
    assert any("was deleted or replaced while running" in p for p in problems), problems
    assert d.stop() == 0


def test_status_reports_queue_counts_last_error_and_uptime(make_daemon, http_sink):
    http_sink.status = 500  # alerts stay pending
    d = make_daemon(notify=[{"url": http_sink.url()}]).start()
    d.drop("a.txt", "Vladimir Putin and Gazprom.")
    d.drop("bad.bin", b"\x00\x01binary\x00")
    wait_for(lambda: d.count("files") == 2, what="both files handled")
    wait_for(lambda: "bad.bin" in (d.data / "status.json").read_text(), what="status written")
    out = run_cli("status", "--config", str(d.config), "--format", "json")
    assert out.returncode == 0, out.stderr
    info = json.loads(out.stdout)
    assert info["documents"] == 1 and info["hits"] == 2 and info["failed"] == 1
    assert info["pending"] == 1 and info["dead"] == 0  # one message for the document
    daemon = info["daemon"]
    assert daemon["running"] and daemon["queue"] == 0 and daemon["uptime_s"] >= 0
    assert "bad.bin" in daemon["last_error"] and daemon["healthy"] is True
    when = datetime.strptime(daemon["last_error"][:23], "%Y-%m-%d %H:%M:%S UTC")
    assert abs(when.replace(tzinfo=UTC) - datetime.now(UTC)) < timedelta(minutes=5)
    text = run_cli("status", "--config", str(d.config)).stdout
    for words in ("running", "queue: 0", "1 processed, 1 failed", "hits: 2", "1 pending",
                  "0 dead", "last error:", "up "):
        assert words in text, (words, text)
    failed = run_cli("files", "--config", str(d.config), "--format", "jsonl")
    (row,) = [json.loads(line) for line in failed.stdout.splitlines()]
    assert row["path"].endswith("bad.bin") and "binary" in row["error"]
    table = run_cli("files", "--config", str(d.config), "--status", "processed").stdout
    assert "a.txt" in table and "bad.bin" not in table
    assert d.stop() == 0
    text = run_cli("status", "--config", str(d.config)).stdout
    assert "daemon: not running" in text


def test_prometheus_metrics_on_localhost(make_daemon):
    import urllib.request

    from conftest import free_port

    port = free_port()
    d = make_daemon(metrics_port=port).start()
    d.drop("a.txt", "Vladimir Putin visited Kyiv.")
    d.drop("b.bin", b"\x00\x01binary\x00")
    wait_for(lambda: d.count("files") == 2, what="both files handled")
    expected = ('watcher_documents{status="processed"} 1.0',
                'watcher_documents{status="failed"} 1.0', "watcher_hits 2.0",
                "watcher_queue_files 0.0", "watcher_healthy 1.0",
                'watcher_files_handled_total{outcome="processed"} 1.0',
                'watcher_outbox_messages{state="pending"} 0.0', "watcher_up_seconds ")

    def missing() -> list[str]:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as resp:
            text = resp.read().decode()
        return [line for line in expected if line not in text]

    # the counters follow the database by a moment (a worker counts after its commit)
    wait_for(lambda: not missing(), what=f"metrics lines {expected}")
    assert d.stop() == 0
