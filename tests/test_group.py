"""Several daemons on one database, at the store level: document claims, outbox leases,
run-once jobs, heartbeats. Each test runs on SQLite and on PostgreSQL; "daemons" are separate
Store objects (separate connection pools) in threads, or separate processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from conftest import ENGINES, ROOT, wait_for

from watcher.group import Group
from watcher.store import Store

LEASE = timedelta(seconds=30)
MESSAGE = {"entry": "entry-1", "kind": "alert", "entity_id": "kyiv", "title": "t", "body": "b",
           "body_format": "text"}


def _doc(store: Store, n: int, messages: int = 1):
    """A document and `messages` outbox messages about it."""
    doc = store.save_document(path=f"/in/{n}.txt", sha256=f"{n:064x}", size=10, mtime_ns=n,
                              encoding="utf-8", hits=[], pending=[])
    if doc[1]:
        store.add_messages([MESSAGE] * messages)
    return doc


def _threads(n: int, target) -> list:
    errors: list = []

    def run(k: int) -> None:
        try:
            target(k)
        except Exception as exc:  # noqa: BLE001 - collected and asserted by the caller
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@ENGINES
def test_a_document_is_claimed_by_one_daemon_and_taken_over_after_its_lease(db_url):
    a, b = Store(db_url), Store(db_url)
    sha = "f" * 64
    assert a.claim_document(sha, "a", "/in/x.txt", timedelta(seconds=0.5)) == ("mine", None)
    state, expires = b.claim_document(sha, "b", "/in/x.txt", LEASE)
    assert state == "busy" and expires > datetime.now(UTC)
    assert a.claim_document(sha, "a", "/in/x.txt", LEASE)[0] == "mine"  # re-entrant
    a.heartbeat("a", timedelta(seconds=0.5))  # a renews, then dies
    time.sleep(0.7)
    assert b.claim_document(sha, "b", "/in/x.txt", LEASE) == ("mine", None)  # taken over
    assert a.claim_document(sha, "a", "/in/x.txt", LEASE)[0] == "busy"
    b.save_document(path="/in/x.txt", sha256=sha, size=1, mtime_ns=1, encoding="utf-8",
                    hits=[], pending=[])
    b.release_document(sha, "b")
    assert a.claim_document(sha, "a", "/in/y.txt", LEASE) == ("done", None)  # stored already
    # and that look left no claim of a's behind, which would make b wait for its lease
    assert b.claim_document(sha, "b", "/in/z.txt", LEASE) == ("done", None)


@ENGINES
def test_look_and_claim_answers_as_file_seen_and_claim_document(db_url):
    """A file's first two questions in one (one statement on PostgreSQL): what its path had,
    and the claim on its content, in each state a claim can be in."""
    a, b = Store(db_url), Store(db_url)
    sha, short = "e" * 64, timedelta(seconds=0.4)
    assert a.look_and_claim("/in/x.txt", sha, "a", LEASE) == (None, "mine", None)
    assert a.look_and_claim("/in/x.txt", sha, "a", short)[1:] == ("mine", None)  # re-entrant
    seen, state, expires = b.look_and_claim("/in/x.txt", sha, "b", LEASE)
    assert (seen, state) == (None, "busy") and expires > datetime.now(UTC)
    time.sleep(0.6)  # a's lease runs out
    assert b.look_and_claim("/in/x.txt", sha, "b", LEASE) == (None, "mine", None)
    assert a.look_and_claim("/in/x.txt", sha, "a", LEASE)[1] == "busy"
    b.save_document(path="/in/x.txt", sha256=sha, size=7, mtime_ns=11, ctime_ns=13,
                    encoding="utf-8", hits=[], pending=[], claim_owner="b")
    seen, state, _ = a.look_and_claim("/in/x.txt", sha, "a", LEASE)
    assert state == "done"
    assert tuple(seen[:5]) == (7, 11, 13, "processed", sha) == tuple(a.file_seen("/in/x.txt"))
    assert a.look_and_claim("/in/copy.txt", sha, "a", LEASE) == (None, "done", None)
    assert b.claim_document(sha, "b", "/in/y.txt", LEASE) == ("done", None)  # no claim left


@pytest.mark.parametrize("ask", ["claim_document", "look_and_claim"])
@ENGINES
def test_concurrent_claims_give_each_document_exactly_one_owner(db_url, ask):
    stores = [Store(db_url) for _ in range(3)]
    won: list[tuple[str, int]] = []
    lock = threading.Lock()

    def claim(store: Store, sha: str, owner: str, path: str) -> str:
        if ask == "claim_document":
            return store.claim_document(sha, owner, path, LEASE)[0]
        return store.look_and_claim(path, sha, owner, LEASE)[1]

    def daemon(k: int) -> None:
        for n in range(150):
            state = claim(stores[k % 3], f"{n:064x}", f"d{k}", f"/in/{n}")
            if state == "mine":
                with lock:
                    won.append((f"d{k}", n))

    assert _threads(6, daemon) == []
    owners = Counter(n for _, n in won)
    assert len(owners) == 150 and set(owners.values()) == {1}


@ENGINES
def test_concurrent_duplicate_documents_are_one_document(db_url):
    """The same content saved by several daemons at once: one row, created once."""
    stores = [Store(db_url) for _ in range(3)]
    created = []

    def daemon(k: int) -> None:
        for n in range(60):
            created.append(_doc(stores[k % 3], n)[1])

    assert _threads(6, daemon) == []
    assert created.count(True) == 60
    assert stores[0].counts()["documents"] == 60 and stores[0].counts()["pending"] == 60


@ENGINES
def test_outbox_messages_are_leased_to_one_daemon_each(db_url):
    stores = [Store(db_url) for _ in range(3)]
    for n in range(40):
        _doc(stores[0], n, messages=5)
    taken: list[int] = []
    lock = threading.Lock()

    def daemon(k: int) -> None:
        store = stores[k % 3]
        while True:
            rows = store.claim_messages(f"d{k}", LEASE, limit=7)
            if not rows:
                return
            for row in rows:
                store.mark_sent(row.id)
                store.release_message(row.id, f"d{k}")
            with lock:
                taken.extend(r.id for r in rows)

    assert _threads(6, daemon) == []
    assert len(taken) == 200 and len(set(taken)) == 200
    assert stores[0].counts()["sent"] == 200


@ENGINES
def test_a_message_leased_by_a_dead_daemon_is_sent_by_another(db_url):
    a, b = Store(db_url), Store(db_url)
    _doc(a, 1)
    (row,) = a.claim_messages("a", timedelta(seconds=0.5))
    assert b.claim_messages("b", LEASE) == []  # a is sending it
    time.sleep(0.7)  # a died: no heartbeat renewed the lease
    (again,) = b.claim_messages("b", LEASE)
    assert again.id == row.id
    b.mark_failed(again.id, "HTTP 500", retry_at=datetime.now(UTC) + timedelta(seconds=0.3))
    b.release_message(again.id, "b")
    assert a.claim_messages("a", LEASE) == []  # not due yet: the retry time is shared
    time.sleep(0.4)
    assert [r.id for r in a.claim_messages("a", LEASE)] == [row.id]


@ENGINES
def test_a_scheduled_job_runs_once_across_the_group(db_url):
    stores = [Store(db_url) for _ in range(3)]
    for k in range(6):  # six daemons (one job run each), on three connections
        stores[k % 3].register_daemon(f"d{k}", "host", k, datetime.now(UTC))
    due = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    winners = []

    def daemon(k: int) -> None:
        store = stores[k % 3]
        if store.claim_run("digest:desk", due, f"d{k}", LEASE):
            winners.append(k)
            assert store.finish_run("digest:desk", due, f"d{k}",
                                    [{**MESSAGE, "kind": "digest"}])

    assert _threads(6, daemon) == []
    assert len(winners) == 1
    assert stores[0].counts()["pending"] == 1
    # the next schedule time is a new run; the same one never runs again
    assert stores[1].claim_run("digest:desk", due + timedelta(days=1), "d1", LEASE)
    assert not stores[2].claim_run("digest:desk", due, "d2", LEASE)


_CLAIM_AND_HANG = """
import sys, time
from datetime import UTC, datetime, timedelta
from watcher.group import Group
from watcher.store import Store
group = Group(Store(sys.argv[1]), timedelta(seconds=float(sys.argv[2])))
group.join()
assert group.run_once("digest:desk", datetime(2026, 1, 5, 8, 0, tzinfo=UTC))
assert group.acquire("e" * 64, "/in/e.txt")
print(group.id, flush=True)
while True:  # heartbeats until killed mid-run, before finish_run
    group.heartbeat()
    time.sleep(0.2)
"""


@ENGINES
def test_a_daemon_killed_mid_run_has_its_job_and_claims_taken_over(db_url):
    lease = 1.0
    proc = subprocess.Popen([sys.executable, "-c", _CLAIM_AND_HANG, db_url, str(lease)],
                            stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        dead_id = proc.stdout.readline().strip()
        assert dead_id, "the helper did not start"
        group = Group(Store(db_url), timedelta(seconds=lease))
        group.join()
        due = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
        time.sleep(lease + 0.3)
        assert not group.run_once("digest:desk", due)  # its owner is alive and beating
        assert not group.acquire("e" * 64, "/in/e.txt")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        wait_for(lambda: group.run_once("digest:desk", due), timeout=lease * 4,
                 what="the run to be taken over")
        assert group.finish_run("digest:desk", due, [{**MESSAGE, "kind": "digest"}])
        assert group.acquire("e" * 64, "/in/e.txt")  # the claim's lease ran out too
        group.release()
        assert not group.run_once("digest:desk", due)  # done: never again
        assert group.store.counts()["pending"] == 1  # one digest
        states = {d["id"]: d for d in group.store.daemons()}
        assert states[dead_id]["claims"] == 0 and states[group.id]["claims"] == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@ENGINES
def test_heartbeat_renews_claims_and_leave_gives_them_back(db_url):
    store = Store(db_url)
    group = Group(store, timedelta(seconds=0.6))
    group.join()
    assert group.acquire("c" * 64, "/in/c.txt")
    _doc(store, 1)
    assert len(group.claim_messages()) == 1
    for _ in range(4):
        time.sleep(0.3)
        group.heartbeat(processed=3, queue=1)
    other = Store(db_url)
    assert other.claim_document("c" * 64, "x", "/in/c.txt", LEASE)[0] == "busy"
    assert other.claim_messages("x", LEASE) == []
    (me,) = other.daemons()
    assert (me["id"], me["claims"], me["leases"], me["processed"]) == (group.id, 1, 1, 3)
    group.leave()
    assert other.claim_document("c" * 64, "x", "/in/c.txt", LEASE)[0] == "mine"
    assert len(other.claim_messages("x", LEASE)) == 1
    assert other.daemons()[0]["stopped_at"] is not None


def test_lease_is_a_config_key(tmp_path):
    from watcher.config import load_settings

    (tmp_path / "c.yaml").write_text("inbox: i\nwatchlist: w.yaml\nlease: 10s\n")
    assert load_settings(tmp_path / "c.yaml").lease == timedelta(seconds=10)
    with pytest.raises(Exception):  # noqa: B017 - any config error
        (tmp_path / "d.yaml").write_text("inbox: i\nwatchlist: w.yaml\nlease: soon\n")
        load_settings(tmp_path / "d.yaml")


@ENGINES
def test_daemons_split_the_files_of_a_shared_inbox_only(db_url, tmp_path):
    """Daemons on one inbox (they see each other's marker in it) split its files, each
    path to one of them; a daemon on an inbox of its own (a folder per host, on the same
    database) defers none of its files to the others, who cannot see them."""
    shared, own = tmp_path / "shared", tmp_path / "own"
    shared.mkdir()
    own.mkdir()
    stale = shared / ".watcher-daemon-host_1_1"  # of a daemon killed a day ago
    stale.touch()
    os.utime(stale, (time.time() - 86400,) * 2)
    groups = []
    for name, inbox in (("a", shared), ("b", shared), ("c", own)):
        group = Group(Store(db_url), LEASE, inbox)
        group.id = f"{group.id}-{name}"  # three daemons of one process
        group.join()
        groups.append(group)
    a, b, c = groups
    for group in groups:
        group._refresh_members()
    paths = [str(shared / f"f{i}.txt") for i in range(60)]
    assert all(a.elsewhere(p) != b.elsewhere(p) for p in paths)
    assert 10 < sum(a.elsewhere(p) for p in paths) < 50
    assert not any(c.elsewhere(str(own / f"f{i}.txt")) for i in range(60))
    a.leave()
    b._refresh_members()
    assert not any(b.elsewhere(p) for p in paths)  # alone on the inbox now
    assert [m.name for m in shared.iterdir()] == [b._marker(b.id).name]  # the stale swept


@ENGINES
def test_a_daemon_asks_once_per_file_and_holds_no_claim_after_it(db_url, tmp_path):
    """The pipeline of a daemon in a group: a new file is processed, the same version again is
    unchanged, the same content at another path a duplicate; a binary file fails, and the same
    version again is unchanged. No claim is left held: the claim the look takes for content
    never stored (the binary file, unchanged) is let go too."""
    from watcher.matcher import Watch
    from watcher.models import Entity
    from watcher.notify import Notifier
    from watcher.parallel import Analyser
    from watcher.pipeline import Pipeline

    store = Store(db_url)
    group = Group(store, LEASE)
    group.join()
    watch = Watch.compile([Entity(id="putin", name="Vladimir Putin", type="person")])
    notifier = Notifier([], backoff=timedelta(seconds=30), retry_for=timedelta(hours=1))
    pipeline = Pipeline(store, notifier, Analyser(watch), max_size=10**7, claims=group)
    first, copy, binary = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.bin"
    for path in (first, copy):
        path.write_text("Vladimir Putin spoke.\n", encoding="utf-8")
    binary.write_bytes(b"\x00\x01\x02 Vladimir Putin \x00" * 50)
    files = (first, first, copy, binary, binary)
    assert [pipeline.process(str(p)).status for p in files] == [
        "processed", "unchanged", "duplicate", "failed", "unchanged"]
    assert {d["id"]: d["claims"] for d in store.daemons()}[group.id] == 0
    first.write_text("Vladimir Putin spoke again.\n", encoding="utf-8")
    assert pipeline.process(str(first)).status == "processed"
    assert {d["id"]: d["claims"] for d in store.daemons()}[group.id] == 0
    assert store.counts()["documents"] == 2
