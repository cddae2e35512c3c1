"""The store on a real SQLite file and a real PostgreSQL server: one transaction per
document, concurrent writers."""

from __future__ import annotations

import hashlib
import threading
from datetime import datetime, timedelta, timezone

from conftest import ENGINES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from watcher.models import Entity, Hit, Mention
from watcher.store import Store


def _hit(i: int) -> tuple[Hit, Mention]:
    hit = Hit("kyiv", "Kyiv", i, i + 4, "Kyiv", "Kyiv", 100.0)
    return hit, Mention("Kyiv", "Kyiv", 100.0, "exact", "", i, i + 4, "in ", " today")


def _save(store: Store, n: int) -> tuple[int, bool]:
    return store.save_document(path=f"/in/{n}.txt", sha256=f"{n:064x}", size=10, mtime_ns=n,
                               encoding="utf-8", hits=[_hit(0), _hit(10)],
                               pending=[{"entry": "entry-1", "entity_id": "kyiv",
                                         "entity_name": "Kyiv", "entity_type": "place",
                                         "mentions": 2, "score": 100.0}])


def test_sqlite_runs_in_wal_mode_with_full_sync(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'w.db'}")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


@ENGINES
def test_same_content_is_one_document(db_url):
    store = Store(db_url)
    first = _save(store, 1)
    again = _save(store, 1)
    assert first[1] is True and again == (first[0], False)
    assert store.counts() == {"documents": 1, "failed": 0, "hits": 2, "pending": 0,
                              "retrying": 0, "sent": 0, "dead": 0, "waiting": 1,
                              "vanished": 0}
    store.add_messages([{"entry": "e", "title": "t", "body": "b"}] * 2)
    first_id = store.outbox()[0].id
    store.mark_failed(first_id, "HTTP 500", retry_at=store.clock())
    assert (store.counts()["pending"], store.counts()["retrying"]) == (2, 1)


@ENGINES
def test_outbox_counts_tell_never_tried_from_failed(db_url):
    """What `watcher outbox` prints first, on both engines (PostgreSQL refused the grouping
    by an expression SQLAlchemy bound twice)."""
    store = Store(db_url)
    store.add_messages([{"entry": "e", "title": f"t{k}", "body": "b"} for k in range(5)])
    ids = [m.id for m in store.outbox()]
    store.mark_failed(ids[0], "HTTP 500", retry_at=store.clock())
    store.mark_failed(ids[1], "HTTP 500", retry_at=None)
    store.mark_sent(ids[2])
    assert store.outbox_counts() == {"pending": 2, "failed": 1, "sent": 1, "dead": 1}


@ENGINES
def test_concurrent_writers_lose_nothing(db_url):
    """Eight threads, two store objects (like two processes): every row lands."""
    stores = [Store(db_url), Store(db_url)]
    errors = []

    def writer(k: int) -> None:
        try:
            for n in range(k * 40, k * 40 + 40):
                _save(stores[k % 2], n)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with stores[0].engine.connect() as conn:
        count = lambda table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()  # noqa: E731
        assert (count("documents"), count("hits"), count("pending")) == (320, 640, 320)
    assert stores[0].integrity_ok()


@ENGINES
def test_outbox_retry_and_dead_letters(db_url):
    store = Store(db_url)
    store.add_messages([{"entry": "entry-1", "kind": "alert", "entity_id": "kyiv",
                         "title": "t", "body": "b", "body_format": "text"}])
    (row,) = store.due_messages()
    store.mark_failed(row.id, "HTTP 500", retry_at=None)
    assert store.due_messages() == [] and store.counts()["dead"] == 1
    assert store.retry("dead") == 1
    (again,) = store.due_messages()
    store.mark_sent(again.id)
    assert store.counts()["sent"] == 1 and store.due_messages() == []


def test_a_postgresql_restart_between_calls_goes_unnoticed():
    """Pooled connections cut by a server restart are checked before use and replaced."""
    import os

    import pytest
    from pgserver import PgServer

    if not PgServer.available() or os.environ.get("WATCHER_TEST_PG_URL"):
        pytest.skip("needs a PostgreSQL server of its own to restart")
    server = PgServer().start()
    try:
        store = Store(server.create_db())
        _save(store, 1)
        server.restart()
        _save(store, 2)  # no error: the stale connection was pinged and replaced
        assert store.counts()["documents"] == 2
        store.close()
    finally:
        server.stop()


_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                max_size=40)  # NUL: no text column takes it, and extract refuses such files


@ENGINES
@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=_TEXT, alias=_TEXT, detail=_TEXT, before=_TEXT, after=_TEXT,
       score=st.floats(0, 100))
def test_hits_come_back_as_they_were_stored(db_url, words, alias, detail, before, after,
                                            score):
    """Tabs, newlines, backslashes, quotes, any script: the PostgreSQL path sends the hits
    as JSON (its own escaping, read back by json_populate_recordset); what comes back must be
    what went in."""
    store = Store(db_url)
    hit = Hit("e1", "Name", 3, 3 + len(words), words, alias, score, "fuzzy", detail)
    mention = Mention(words, alias, score, "fuzzy", detail, hit.start, hit.end, before, after)
    sha = hashlib.sha256(repr((words, alias, detail, before, after, score)).encode()).hexdigest()
    doc_id, created = store.save_document(path="/in/x.txt", sha256=sha, size=1, mtime_ns=1,
                                          encoding="utf-8", hits=[(hit, mention)], pending=[])
    if not created:
        return  # the same example again: stored by its first run
    _, by_pair = store.alert_sources([(doc_id, "e1")])
    [row] = by_pair[(doc_id, "e1")]
    assert (row.text, row.alias, row.detail, row.before, row.after, row.method) == (
        words, alias, detail, before, after, "fuzzy")
    assert (row.start, row.end) == (hit.start, hit.end) and row.score == score


@ENGINES
def test_a_nul_deep_in_a_text_is_no_part_of_a_stored_hit(db_url, tmp_path):
    """Only a text's first 8 KB are looked at for binary data: a NUL or an ESC after them,
    beside a name, must not reach the database (PostgreSQL refuses a NUL) nor an alert."""
    from watcher.matcher import Watch
    from watcher.notify import Notifier
    from watcher.parallel import Analyser
    from watcher.pipeline import Pipeline

    store = Store(db_url)
    watch = Watch.compile([Entity(id="putin", name="Vladimir Putin", type="person")])
    notifier = Notifier([], backoff=timedelta(seconds=30), retry_for=timedelta(hours=1))
    pipeline = Pipeline(store, notifier, Analyser(watch), max_size=10**7)
    path = tmp_path / "deep.txt"
    path.write_text("Words and more words. " * 500 + "\x00 Vladimir Putin \x1b[31msaid.\x00",
                    encoding="utf-8")
    pipeline.process(str(path))
    with store.engine.connect() as conn:
        [(name, before, after)] = conn.execute(text("SELECT text, before, after FROM hits"))
    assert name == "Vladimir Putin"
    assert before.endswith("words. ") and after == " [31msaid. "


@ENGINES
def test_a_hit_is_stamped_with_the_time_in_utc(db_url):
    """The clock may give any zone; the stored time is the same instant (on PostgreSQL the
    document's one statement binds it once, with its offset, for a timestamptz column)."""
    berlin = timezone(timedelta(hours=2))
    at = datetime(2026, 6, 1, 14, 30, tzinfo=berlin)
    store = Store(db_url, clock=lambda: at)
    _save(store, 1)
    found = {h["found_at"] for h in store.hits(entity="kyiv")}
    assert found == {"2026-06-01T12:30:00+00:00"}
