"""pipeline.Pipeline on a real SQLite file and real files: what move mode moves."""

from __future__ import annotations

import os
from datetime import timedelta

from watcher.matcher import Watch
from watcher.models import Entity
from watcher.notify import Notifier
from watcher.parallel import Analyser
from watcher.pipeline import Pipeline
from watcher.store import Store


def _pipeline(tmp_path) -> tuple[Pipeline, Store]:
    store = Store(f"sqlite:///{tmp_path / 'watcher.db'}")
    watch = Watch.compile([Entity(id="putin", name="Vladimir Putin", type="person"),
                           Entity(id="zelensky", name="Volodymyr Zelensky", type="person")])
    notifier = Notifier([], backoff=timedelta(seconds=30), retry_for=timedelta(hours=1))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    pipeline = Pipeline(store, notifier, Analyser(watch), max_size=10**7, inbox=inbox,
                        move_to=(tmp_path / "processed", tmp_path / "failed"))
    return pipeline, store


def _documents(store: Store) -> list[tuple[str, str]]:
    """(path, entity) of each stored hit: each document here names one entity."""
    return sorted((h["file"], h["entity_id"]) for h in store.hits())


def test_a_file_written_over_while_it_is_handled_is_not_moved_unread(tmp_path):
    """A scraper saves same.txt again while the first same.txt is being stored: move mode
    must not move the new content away as the old document (it was never read: lost);
    the file stays, and its next turn reads it as a new version of same.txt, recorded and
    moved there (as a file rewritten in place keeps its name: the hits say which version,
    by sha256)."""
    pipeline, store = _pipeline(tmp_path)
    path = tmp_path / "inbox" / "same.txt"
    path.write_text("Vladimir Putin arrived.", encoding="utf-8")
    save = store.save_document

    def save_then_overwrite(**kwargs):
        out = save(**kwargs)
        path.write_text("Volodymyr Zelensky arrived.", encoding="utf-8")  # (new size too)
        return out

    store.save_document = save_then_overwrite
    first = pipeline.process(str(path))
    store.save_document = save
    assert first.status == "processed"
    assert path.read_text(encoding="utf-8") == "Volodymyr Zelensky arrived."  # not moved
    assert not (tmp_path / "processed" / "same.txt").exists()
    second = pipeline.process(str(path))
    assert second.status == "processed" and not path.exists()
    moved = tmp_path / "processed" / "same.txt"
    assert moved.read_text(encoding="utf-8") == "Volodymyr Zelensky arrived."
    assert _documents(store) == [(str(moved), "putin"), (str(moved), "zelensky")]
    assert second.sha256 != first.sha256


def test_a_file_replaced_by_a_rename_with_the_same_size_and_time_is_not_moved(tmp_path):
    """The same size and modification time, but another file (renamed into place): its
    inode tells them apart."""
    pipeline, store = _pipeline(tmp_path)
    path = tmp_path / "inbox" / "same.txt"
    path.write_text("Vladimir Putin arrived.", encoding="utf-8")
    st = path.stat()
    save = store.save_document

    def save_then_replace(**kwargs):
        out = save(**kwargs)
        other = tmp_path / "other.txt"
        other.write_text("Vladimir Putin left!!", encoding="utf-8")
        os.truncate(other, st.st_size)
        os.utime(other, ns=(st.st_atime_ns, st.st_mtime_ns))
        os.replace(other, path)
        return out

    store.save_document = save_then_replace
    assert pipeline.process(str(path)).status == "processed"
    assert path.exists() and not (tmp_path / "processed" / "same.txt").exists()


def test_a_file_handled_is_moved(tmp_path):
    """The common case: processed, moved where the document says it is."""
    pipeline, store = _pipeline(tmp_path)
    path = tmp_path / "inbox" / "one.txt"
    path.write_text("Vladimir Putin arrived.", encoding="utf-8")
    assert pipeline.process(str(path)).status == "processed"
    moved = tmp_path / "processed" / "one.txt"
    assert not path.exists() and moved.exists()
    assert _documents(store) == [(str(moved), "putin")]
