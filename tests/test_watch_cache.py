"""The compiled watchlist cache: keyed on content, rebuilt on any edit."""

from __future__ import annotations

import dataclasses
import gc
import logging
import os
import pickle
import select
import signal
import threading
import time

import pytest
import yaml
from conftest import WATCHLIST

from watcher import matcher
from watcher.matcher import Watch
from watcher.models import Entity
from watcher.parallel import Analyser


@pytest.fixture
def wl(tmp_path):
    path = tmp_path / "wl.yaml"
    path.write_text(yaml.safe_dump(WATCHLIST, allow_unicode=True), encoding="utf-8")
    return path


def test_unchanged_watchlist_is_loaded_from_the_cache(tmp_path, wl, monkeypatch):
    cache = tmp_path / "cache"
    first = Watch.load(wl, cache)
    assert matcher.cache_written(timeout=60)
    assert len(list(cache.glob("watchlist-*.marshal"))) == 1

    def no_compile(entities):
        raise AssertionError("compiled although the cache was valid")

    monkeypatch.setattr(matcher.Watch, "compile", classmethod(lambda cls, e: no_compile(e)))
    again = Watch.load(wl, cache)
    text = "Gazprom said Kyiv and Vladimir Putin."
    assert again.matcher.match(text) == first.matcher.match(text)
    assert again.entities == first.entities


def _edited(wl, *names: str) -> None:
    data = yaml.safe_load(wl.read_text())
    data["entities"].extend({"id": name.split()[-1].lower(), "name": name, "type": "person"}
                            for name in names)
    wl.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_an_edit_compiles_afresh_and_is_cached_beside_the_version_before(tmp_path, wl):
    cache = tmp_path / "cache"
    Watch.load(wl, cache)
    _edited(wl, "Sergei Lavrov")
    watch = Watch.load(wl, cache)
    assert [h.entity_id for h in watch.matcher.match("Sergei Lavrov spoke.")] == ["lavrov"]
    assert matcher.cache_written(timeout=60)
    assert len(list(cache.glob("watchlist-*.marshal"))) == 2


def test_an_edit_undone_starts_from_the_cache_and_the_least_used_versions_go(
        tmp_path, wl, monkeypatch):
    cache = tmp_path / "cache"
    original = wl.read_bytes()
    Watch.load(wl, cache)
    for name in ("Sergei Lavrov", "Dmitry Peskov", "Maria Zakharova"):
        _edited(wl, name)
        Watch.load(wl, cache)
        assert matcher.cache_written(timeout=60)
    # four versions compiled, three kept: the first, used least lately, went
    assert len(list(cache.glob("watchlist-*.marshal"))) == matcher.KEEP_CACHES == 3
    assert not matcher.compiled_before(original, cache)

    wl.write_bytes(original)
    _edited(wl, "Sergei Lavrov")  # the second version, again: from its cache
    monkeypatch.setattr(matcher.Watch, "compile", classmethod(
        lambda cls, e, cancel=None: pytest.fail("compiled although its cache was kept")))
    again = Watch.load(wl, cache)
    assert [h.entity_id for h in again.matcher.match("Sergei Lavrov spoke.")] == ["lavrov"]
    monkeypatch.undo()
    # ... which its load marked as used: the next version written drops the third instead
    second = matcher._cache_file(wl.read_bytes(), cache)
    _edited(wl, "Anton Siluanov")
    Watch.load(wl, cache)
    assert matcher.cache_written(timeout=60)
    assert second.is_file()
    assert len(list(cache.glob("watchlist-*.marshal"))) == 3


def test_a_corrupt_cache_file_is_ignored(tmp_path, wl):
    cache = tmp_path / "cache"
    Watch.load(wl, cache)
    assert matcher.cache_written(timeout=60)
    (cached,) = cache.glob("watchlist-*.marshal")
    cached.write_bytes(b"not marshal data")
    assert Watch.load(wl, cache).matcher.match("Kyiv")[0].entity_id == "kyiv"


def _tables_built(name, text, encoding, hits) -> int:
    return matcher.given_spellings.cache_info().currsize


def test_pool_workers_share_the_word_tables_built_before_the_fork(wl):
    watch = Watch.load(wl)
    matcher.given_spellings.cache_clear()
    pooled = Analyser(watch, 2)
    try:
        # a text without words: the match itself builds nothing
        _, future = pooled.submit("digits.txt", b"2024 123 456", post=_tables_built)
        assert future.result() == 1
    finally:
        pooled.close()


def test_a_watchlist_from_the_cache_matches_without_the_frequent_words_keys(tmp_path):
    """The keys of 19,000 frequent words (65 ms to build) are the compiler's
    business: a scan that loads a compiled watchlist never builds them, and the Latin reading
    of a Cyrillic name that is a frequent word still keeps its own vowels (Путин: Puten is no
    variant)."""
    wl = tmp_path / "wl.yaml"
    wl.write_text("entities:\n  - {id: putin, name: Путин, type: person}\n")
    Watch.load(wl, tmp_path / "cache")
    assert matcher.cache_written(timeout=60)
    matcher._word_keys.cache_clear()
    watch = Watch.load(wl, tmp_path / "cache")
    text = "Путина видели. Puten said."
    assert [h.text for h in watch.matcher.match(text)] == ["Путина"]
    assert [n["reason"] for n in watch.matcher.explain(text) if n["text"] == "Puten"] == [
        matcher.WORD_NAME]
    assert matcher._word_keys.cache_info().currsize == 0


def test_process_pool_gives_the_same_hits_as_inline_matching(wl):
    watch = Watch.load(wl)
    docs = [(f"d{i}.txt", f"Document {i}: Kyiv, then Gazprom and Zelenskyy.".encode())
            for i in range(20)] + [("bin.dat", b"\x00\x01\x02")]
    inline, pooled = Analyser(watch, 1), Analyser(watch, 2)
    try:
        for (name, a), (_, b) in zip(inline.map(docs), pooled.map(docs), strict=True):
            if name == "bin.dat":
                assert type(a.exception()) is type(b.exception())
            else:
                assert a.result() == b.result()
    finally:
        pooled.close()


def test_an_entity_is_stored_with_every_field():
    """Entity is turned into a tuple by hand (as_tuple, for speed): a field added to it must be
    added there too, or the cached watchlist would lose it."""
    ent = Entity(**{f.name: f"value {k}" for k, f in enumerate(dataclasses.fields(Entity))})
    assert Entity(*ent.as_tuple()) == ent
    assert pickle.loads(pickle.dumps(ent)) == ent


def test_forget_leaves_no_memo_of_words_and_the_same_hits(wl):
    """Matcher.forget: a benchmark's every run starts as a fresh process would."""
    from watcher.normalize import phonetic_keys

    m = Watch.load(wl).matcher
    text = "Zelenskyy met Putin in Kyiv; Власти Києва молчат."
    before = m.match(text)
    m.forget()
    assert not m._cache and not m._meta and phonetic_keys.cache_info().currsize == 0
    assert m.match(text) == before


@pytest.fixture
def held_writer(tmp_path, monkeypatch):
    """The cache writer (a forked child) waits for the file this returns to exist."""
    gate = tmp_path / "go"
    write = matcher._write

    def held(*args):
        deadline = time.monotonic() + 60
        while not gate.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        write(*args)

    monkeypatch.setattr(matcher, "_write", held)
    yield gate
    gate.touch()
    matcher.cache_written(timeout=60)


def test_the_watchlist_serves_while_a_child_writes_its_cache(tmp_path, wl, held_writer):
    cache = tmp_path / "cache"
    watch = Watch.load(wl, cache)
    assert watch.matcher.match("Kyiv")[0].entity_id == "kyiv"
    assert not list(cache.glob("*.marshal"))
    assert matcher.compiled_before(wl.read_bytes(), cache)  # (a valid version: keep it)
    assert not matcher.cache_written(timeout=0.2)
    held_writer.touch()
    assert matcher.cache_written(timeout=60)
    assert [p.suffix for p in cache.iterdir()] == [".marshal"]
    assert Watch.load(wl, cache).matcher.match("Kyiv")[0].entity_id == "kyiv"


def test_the_cache_writer_holds_none_of_the_parents_files(tmp_path, wl, held_writer):
    """Else a reader of the daemon's output would wait for the writer to end, and a lock
    would outlive the daemon."""
    r, w = os.pipe()
    try:
        Watch.load(wl, tmp_path / "cache")
        os.close(w)
        assert select.select([r], [], [], 10)[0] == [r]  # at once: no copy of `w` is left
        assert os.read(r, 1) == b""
        assert not matcher.cache_written(timeout=0)  # (the writer was still there)
    finally:
        os.close(r)


def test_a_stop_kills_the_cache_writer_not_runs_the_daemons_handler(tmp_path, wl, held_writer,
                                                                    monkeypatch, caplog):
    in_child = matcher._write_in_child

    def slow_start(*args):  # the stop arrives before the child lets go of the handlers
        time.sleep(0.3)
        return in_child(*args)

    monkeypatch.setattr(matcher, "_write_in_child", slow_start)
    before = signal.signal(signal.SIGTERM, lambda *_: None)
    try:
        with caplog.at_level(logging.INFO, logger="watcher.matcher"):
            Watch.load(wl, tmp_path / "cache")
            (pid,) = matcher._writing
            os.kill(pid, signal.SIGTERM)
            assert matcher.cache_written(timeout=10)
    finally:
        signal.signal(signal.SIGTERM, before)
    assert list((tmp_path / "cache").iterdir()) == []  # (its temporary file removed)
    (record,) = [r for r in caplog.records if "could not cache" in r.getMessage()]
    assert "its writer was stopped (signal 15)" in record.getMessage()
    assert record.levelno == logging.INFO  # a stop, no failure to warn of


def test_a_failed_cache_write_is_told_and_the_next_load_compiles(tmp_path, wl, monkeypatch,
                                                                 caplog):
    def full_disk(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(matcher, "_write", full_disk)
    cache = tmp_path / "cache"
    assert Watch.load(wl, cache).matcher.match("Kyiv")
    assert matcher.cache_written(timeout=60)
    assert list(cache.iterdir()) == []
    assert "could not cache the compiled watchlist" in caplog.text
    assert "(its writer failed: exit status 1)" in caplog.text  # (its wait status is 256)
    monkeypatch.undo()
    Watch.load(wl, cache)
    assert matcher.cache_written(timeout=60)
    assert len(list(cache.glob("*.marshal"))) == 1


@pytest.mark.parametrize("fails", [False, True])
def test_a_writer_reaped_elsewhere_is_judged_by_the_file_it_left(tmp_path, wl, monkeypatch,
                                                                 caplog, fails):
    """With SIGCHLD ignored (a host program may set it so), the kernel reaps the writer and
    its exit status is lost: a cache file in place means it succeeded, its temporary file
    left behind that it did not."""
    if fails:
        monkeypatch.setattr(matcher, "_write", lambda *args: os._exit(3))
    cache = tmp_path / "cache"
    old = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        Watch.load(wl, cache)
        assert matcher.cache_written(timeout=60)
    finally:
        signal.signal(signal.SIGCHLD, old)
    assert [p.suffix for p in cache.iterdir()] == ([] if fails else [".marshal"])
    assert ("its writer left its file unfinished" in caplog.text) is fails


def test_temporary_files_of_killed_writers_are_removed(tmp_path, wl):
    cache = tmp_path / "cache"
    cache.mkdir()
    old, recent = cache / "watchlist-0a.tmp4242", cache / "watchlist-0b.tmp4343"
    for f in (old, recent):
        f.write_bytes(b"half")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    Watch.load(wl, cache)
    assert matcher.cache_written(timeout=60)
    assert not old.exists() and recent.exists()  # (recent: a writer may still be at it)


def test_an_unwritable_cache_folder_is_told_and_the_watchlist_serves(tmp_path, wl, caplog):
    cache = tmp_path / "cache"
    cache.write_text("a file where the folder should be")
    assert Watch.load(wl, cache).matcher.match("Kyiv")[0].entity_id == "kyiv"
    assert "could not cache the compiled watchlist" in caplog.text


def test_a_watchlist_compiled_in_another_thread_is_cached(tmp_path, wl):
    """The daemon reloads in a thread of its own: the forked child then has only that one."""
    cache = tmp_path / "cache"
    loader = threading.Thread(target=Watch.load, args=(wl, cache))
    loader.start()
    loader.join()
    assert matcher.cache_written(timeout=60)
    assert len(list(cache.glob("*.marshal"))) == 1


def test_no_collection_walks_the_watchlist_while_it_loads(tmp_path):
    """From the file to the frozen watchlist the collector stays off: at 100k names each run
    between the steps would walk everything built so far (about half a second in all)."""
    wl = tmp_path / "wl.yaml"
    wl.write_text(yaml.safe_dump({"entities": [
        {"id": f"p{i}", "name": f"Name{i} Surname{i}", "type": "person",
         "aliases": [f"N. Surname{i}", f"Surname{i}"]} for i in range(500)]}))
    runs = []

    def count(phase, info):
        if phase == "start":
            runs.append(info["generation"])

    gc.callbacks.append(count)
    try:
        Watch.load(wl, tmp_path / "cache")
        Watch.load(wl)
    finally:
        gc.callbacks.remove(count)
    assert matcher.cache_written(timeout=60)
    assert runs == []
