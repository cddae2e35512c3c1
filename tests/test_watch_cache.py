"""The compiled watchlist cache: keyed on content, rebuilt on any edit."""

from __future__ import annotations

import dataclasses
import pickle

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
    assert len(list(cache.glob("watchlist-*.pickle"))) == 1

    def no_compile(entities):
        raise AssertionError("compiled although the cache was valid")

    monkeypatch.setattr(matcher.Watch, "compile", classmethod(lambda cls, e: no_compile(e)))
    again = Watch.load(wl, cache)
    text = "Gazprom said Kyiv and Vladimir Putin."
    assert again.matcher.match(text) == first.matcher.match(text)
    assert again.entities == first.entities


def test_an_edit_compiles_afresh_and_replaces_the_cache(tmp_path, wl):
    cache = tmp_path / "cache"
    Watch.load(wl, cache)
    data = yaml.safe_load(wl.read_text())
    data["entities"].append({"id": "lavrov", "name": "Sergei Lavrov", "type": "person"})
    wl.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    watch = Watch.load(wl, cache)
    assert [h.entity_id for h in watch.matcher.match("Sergei Lavrov spoke.")] == ["lavrov"]
    assert len(list(cache.glob("watchlist-*.pickle"))) == 1


def test_a_corrupt_cache_file_is_ignored(tmp_path, wl):
    cache = tmp_path / "cache"
    Watch.load(wl, cache)
    (cached,) = cache.glob("watchlist-*.pickle")
    cached.write_bytes(b"not a pickle")
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


def test_an_entity_is_pickled_with_every_field():
    """Entity pickles by hand (__reduce__, for speed): a field added to it must be added there
    too, or the cached watchlist would lose it."""
    ent = Entity(**{f.name: f"value {k}" for k, f in enumerate(dataclasses.fields(Entity))})
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
