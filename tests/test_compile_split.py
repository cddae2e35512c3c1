"""A large watchlist compiles on two cores: the later entities in a forked child, merged as if
added in one process. The result must be the one-process compile's, whatever the split."""

from __future__ import annotations

import dataclasses
import logging
import os
import signal
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from watcher import matcher
from watcher.config import load_watchlist
from watcher.errors import Stopped
from watcher.matcher import Matcher, Watch
from watcher.models import Entity

HERE = Path(__file__).parent
BASE = list(load_watchlist(HERE / "matching_watchlist.yaml"))
# names both halves hold (namesakes, shared surnames and spellings: one form, members from
# both), and what only a later entity brings (new forms, marks, declined names, first names)
LATER = [
    Entity("putin-2", "Vladimir Putin", "person", ("Путин", "V. Putin")),
    Entity("putina", "Ludmila Putina", "person"),
    Entity("kyiv-2", "Kyiv", "place", ("Kiev", "Київ", "Kijów")),
    Entity("kyiv-oblast", "Kyiv Oblast", "place"),
    Entity("st-pete", "St. Petersburg", "place", ("Санкт-Петербург",)),
    Entity("dc", "Washington, D.C.", "place"),
    Entity("kim", "Kim Jong Un", "person", ("Kim", "Ким Чен Ын")),
    Entity("xi", "Xi Jinping", "person"),
    Entity("ivanov", "Иванов Иван Иванович", "person"),
    Entity("le-pen", "Marine Le Pen", "person"),
    Entity("nord-2", "Nord Stream 2", "org"),
    Entity("strict", "Ivan Petrov", "person", threshold=96, exclude=("Ivan Petrov Street",)),
    Entity("nato-2", "NATO", "org", ("North Atlantic Treaty Organization", "НАТО")),
    Entity("exact", "Gazprom Neft", "org", exact=True),
    Entity("rih", "Kryvyi Rih", "place", ("Кривий Ріг",)),
    Entity("polska", "Polska", "place"),
    Entity("barnier", "Michel Barnier", "person"),
    # a French name spelt as Russian writes it (forms of their own), and listed so by hand
    Entity("lagarde", "Christine Lagarde", "person"),
    Entity("lagarde-2", "Christine Lagarde", "person", ("Кристин Лагард",)),
    Entity("john-kerry", "John Kerry", "person"),
    # Arabic names: forms of their own romanisations (a spelling both halves have, new ones)
    Entity("gaddafi-2", "Muammar Gaddafi", "person", ("Muammar al-Qadhafi",)),
    Entity("qaeda-2", "al-Qaeda", "org", ("al-Qaida", "Tanzim Qaidat al-Jihad")),
]
POOL = BASE + LATER


def state(m: Matcher) -> dict:
    """The compiled state, comparable: the order of the form indexes' keys (lookups only) is
    the one thing a merge may change."""
    def canon(x, loose=False):
        if isinstance(x, dict):
            items = [(repr(k), canon(v)) for k, v in x.items()]
            return sorted(items) if loose else items
        if isinstance(x, set | frozenset):
            return sorted(map(repr, x))
        if isinstance(x, list | tuple):
            return [canon(v) for v in x]
        return x

    loose = {*matcher._FORM_INDEXES, "_by_first"}
    out = {k: canon(v, k in loose) for k, v in m.to_state().items() if k != "_mw"}
    out["_mw"] = state(m._mw) if m._mw is not None else None
    return out


@pytest.fixture
def split_all(monkeypatch):
    monkeypatch.setattr(matcher, "PARALLEL_COMPILE_MIN", 2)


def whole(entities) -> dict:
    """The state of the one-process compile."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(matcher, "PARALLEL_COMPILE_MIN", 10**9)
        return state(Matcher.compile(entities))


@settings(max_examples=120, deadline=None)
@given(picks=st.lists(st.sampled_from(POOL), min_size=2, max_size=40), data=st.data())
def test_any_split_gives_the_one_process_compile(picks, data):
    entities = [dataclasses.replace(e, id=f"{e.id}-{i}") for i, e in enumerate(picks)]
    split = data.draw(st.integers(1, len(entities) - 1))
    expected = whole(entities)
    with pytest.MonkeyPatch.context() as mp:  # (each part in this process: the merge alone)
        mp.setattr(matcher, "PARALLEL_COMPILE_MIN", 2)
        mp.setattr(matcher, "_halfway", lambda ents: split)
        mp.setattr(matcher, "_forked", lambda work, what: lambda **_: work())
        assert state(Matcher.compile(entities)) == expected


def test_the_same_names_in_both_parts_merge_as_in_one_process(monkeypatch):
    """Every name again after the split: one form with members from both parts, marks and
    first-two-words lengths united, a declined name once."""
    first = [*POOL, Entity("nac", "North Atlantic Council", "org")]
    again = [dataclasses.replace(e, id=f"{e.id}-again") for e in POOL]
    expected = whole(first + again)
    monkeypatch.setattr(matcher, "PARALLEL_COMPILE_MIN", 2)
    monkeypatch.setattr(matcher, "_halfway", lambda ents: len(first))
    compiled = Matcher.compile(first + again)
    assert state(compiled) == expected
    assert compiled._marks[("st", "petersburg")] == ("..",)  # (one from each part)
    assert compiled._exact_next[("north", "atlantic")] == (3, 4)
    assert compiled._declined_names["ким"] == (("ким", "чен", "ын"),)


def test_the_later_entities_are_compiled_in_a_child_process(split_all, monkeypatch):
    parts = []
    part_state, merge = Matcher._part_state, Matcher._merge
    monkeypatch.setattr(Matcher, "_part_state",
                        lambda self, start: {**part_state(self, start), "pid": os.getpid()})
    monkeypatch.setattr(Matcher, "_merge", lambda self, part: (parts.append(part),
                                                               merge(self, part)))
    compiled = Matcher.compile(POOL)
    (part,) = parts
    assert part["pid"] != os.getpid()
    assert 0 < part["_f_key"].__len__() < len(compiled._f_key)
    assert state(compiled) == whole(POOL)
    text = "Путина и Ким Чен Ына видели в Киеве; Kijów, St. Petersburg, V. Putin, NATO."
    monkeypatch.setattr(matcher, "PARALLEL_COMPILE_MIN", 10**9)
    assert compiled.match(text) == Matcher.compile(POOL).match(text)
    assert len({h.entity_id for h in compiled.match(text)}) >= 6


def test_a_small_watchlist_compiles_in_one_process(monkeypatch):
    forks = []
    monkeypatch.setattr(matcher, "_forked", lambda work, what: forks.append(work) or work)
    Matcher.compile(POOL)
    assert len(POOL) < matcher.PARALLEL_COMPILE_MIN and forks == []


def test_a_failed_child_is_told_and_its_part_compiled_here(split_all, monkeypatch, caplog):
    monkeypatch.setattr(Matcher, "_part_state", lambda self, start: os._exit(9))
    with caplog.at_level(logging.WARNING, logger="watcher.matcher"):
        compiled = Matcher.compile(POOL)
    assert "compiling the watchlist's later entities in a child process failed (exit status " \
        "9): doing it here" in caplog.text
    monkeypatch.undo()
    assert state(compiled) == whole(POOL)


def test_a_killed_child_is_told_and_its_part_compiled_here(split_all, monkeypatch, caplog):
    monkeypatch.setattr(Matcher, "_part_state",
                        lambda self, start: os.kill(os.getpid(), signal.SIGKILL))
    compiled = Matcher.compile(POOL)
    assert "failed (killed by signal 9): doing it here" in caplog.text
    monkeypatch.undo()
    assert state(compiled) == whole(POOL)


def test_a_child_stopped_with_the_service_is_no_failure(split_all, monkeypatch, caplog):
    """systemd's stop signals every process of the unit, a compiling child too: said at INFO,
    not warned of as a failure; its part is compiled here all the same."""
    monkeypatch.setattr(Matcher, "_part_state",
                        lambda self, start: os.kill(os.getpid(), signal.SIGTERM))
    with caplog.at_level(logging.INFO, logger="watcher.matcher"):
        compiled = Matcher.compile(POOL)
    (record,) = [r for r in caplog.records if "child process" in r.getMessage()]
    assert record.levelno == logging.INFO
    assert "was stopped (signal 15): doing it here" in record.getMessage()
    monkeypatch.undo()
    assert state(compiled) == whole(POOL)


def test_an_error_here_leaves_no_child_behind(split_all, monkeypatch):
    pids = []
    fork, add = matcher._fork, Matcher._add_entity

    def failing(self, idx, ent):
        if idx == 1 and os.getpid() == parent:
            raise RuntimeError("boom")
        add(self, idx, ent)

    parent = os.getpid()
    monkeypatch.setattr(matcher, "_fork", lambda: pids.append(fork()) or pids[-1])
    monkeypatch.setattr(Matcher, "_add_entity", failing)
    with pytest.raises(RuntimeError, match="boom"):
        Matcher.compile(POOL)
    (pid,) = pids
    with pytest.raises(ChildProcessError):  # (waited for: no zombie)
        os.waitpid(pid, os.WNOHANG)


def test_a_stop_ends_the_compile_and_kills_its_child(split_all, monkeypatch):
    """A stop asked for while the daemon compiles its first watchlist: the compile ends at
    once (errors.Stopped), its child is killed and waited for, not its half awaited."""
    pids, asked = [], []
    fork = matcher._fork
    monkeypatch.setattr(matcher, "CANCEL_EVERY", 1)
    monkeypatch.setattr(matcher, "_fork", lambda: pids.append(fork()) or pids[-1])
    monkeypatch.setattr(Matcher, "_part_state", lambda self, start: time.sleep(60))
    with pytest.raises(Stopped):
        Watch.compile(POOL, cancel=lambda: asked.append(1) or len(asked) > 3)
    (pid,) = pids
    with pytest.raises(ChildProcessError):  # (killed and waited for: no zombie)
        os.waitpid(pid, os.WNOHANG)
    assert len(asked) == 4


def test_a_stop_while_waiting_for_the_child_kills_it(split_all, monkeypatch):
    """The parent's half done, a stop asked for while the child still compiles: the wait
    ends (errors.Stopped), the child is killed and reaped rather than waited for."""
    pids, asked = [], []
    fork = matcher._fork
    monkeypatch.setattr(matcher, "CANCEL_EVERY", 10**9)  # (the parent's half: one look)
    monkeypatch.setattr(matcher, "_fork", lambda: pids.append(fork()) or pids[-1])
    monkeypatch.setattr(Matcher, "_part_state", lambda self, start: time.sleep(60))
    started = time.monotonic()
    with pytest.raises(Stopped):
        Watch.compile(POOL, cancel=lambda: asked.append(1) or len(asked) > 2)
    assert time.monotonic() - started < 30  # (not the child's 60 s)
    (pid,) = pids
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def test_without_fork_both_parts_compile_here(split_all, monkeypatch):
    monkeypatch.setattr(matcher, "_fork", lambda: None)
    assert state(Matcher.compile(POOL)) == whole(POOL)


def test_a_split_compile_in_a_thread_is_the_same(split_all):
    """The daemon recompiles an edited watchlist in a thread while the old one serves."""
    out = []
    t = threading.Thread(target=lambda: out.append(Matcher.compile(POOL)))
    t.start()
    t.join()
    assert state(out[0]) == whole(POOL)


def test_a_split_compile_is_cached_and_read_back(split_all, tmp_path):
    wl = HERE / "matching_watchlist.yaml"
    compiled = Watch.load(wl, tmp_path)
    assert matcher.cache_written(timeout=60)
    cached = Watch.load(wl, tmp_path)
    assert state(cached.matcher) == state(compiled.matcher)
    assert cached.entities == compiled.entities


def test_every_table_adding_an_entity_fills_is_merged():
    """A table added to _add_entity but not to the merge would be lost in the child's part."""
    m = Matcher()
    before = {k: repr(v) for k, v in m.__dict__.items()}
    for idx, ent in enumerate(POOL):
        m._add_entity(idx, ent)
    filled = {k for k, v in m.__dict__.items() if repr(v) != before[k]}
    assert filled - {"_form_ids", "_part_fids"} == set(matcher._ADDED)


def test_every_table_of_the_multi_word_names_is_taken_from_the_child():
    m = Matcher()
    before = {k: repr(v) for k, v in m.__dict__.items()}
    m._mw_compile(matcher._multi_word_names(POOL))
    filled = {k for k, v in m.__dict__.items() if repr(v) != before[k]}
    assert filled == {"_mw", *matcher._MW_MADE}
