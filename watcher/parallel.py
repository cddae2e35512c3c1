"""Extract and match on every core: a process pool forked after the watchlist is compiled.

Forked children share the parent's compiled matcher copy-on-write instead of each loading
its own copy; gc.freeze() first keeps the collector from touching (and so copying) those pages
in every child. A reloaded watchlist gets a fresh pool; the old one finishes what it holds.
"""

from __future__ import annotations

import collections
import gc
import logging
import os
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future

from .extract import extract
from .matcher import load_tables
from .models import Hit

_watch = None  # the compiled watchlist (anything with .matcher) a forked child inherits


# A long text is matched a chunk at a time, so the matcher's memory stays bounded (a 200 MB
# one-line file). Context on both sides of a chunk, longer than any name: a name across a
# border is found whole, in exactly one chunk, and word boundaries at a border are seen as in
# the full text.
MATCH_CHUNK = 1 << 20  # characters
MATCH_OVERLAP = 4096
MAP_BATCH = 8  # files per pool task in Analyser.map (a scan's backlog)
# Mentions kept per entity in one long text: a 48 MB file naming Kyiv every 20 bytes would
# otherwise take gigabytes (hits, their context, the alert) for nothing anyone reads.
MAX_MENTIONS = 10_000

log = logging.getLogger(__name__)


def analyse(watch, name: str, data: bytes) -> tuple[str, str, list[Hit]]:
    """Bytes -> (text, encoding, hits). Raises ExtractError for what is not text."""
    text, encoding = extract(name, data)
    return text, encoding, match_text(watch.matcher, text)


def match_text(matcher, text: str) -> list[Hit]:
    """matcher.match(text), a chunk at a time for long texts; offsets into the whole text.

    A hit belongs to the chunk it starts in, and counts only if it ends before the piece the
    matcher saw was cut (else the next chunk sees it whole)."""
    if len(text) <= MATCH_CHUNK + MATCH_OVERLAP:
        return matcher.match(text)
    hits: list[Hit] = []
    counts: collections.Counter[str] = collections.Counter()
    for start in range(0, len(text), MATCH_CHUNK):
        lo = max(0, start - MATCH_OVERLAP)
        hi = start + MATCH_CHUNK + MATCH_OVERLAP
        for hit in matcher.match(text[lo:hi]):
            begin, end = hit.start + lo, hit.end + lo
            if start <= begin < start + MATCH_CHUNK and (end < hi or hi >= len(text)):
                counts[hit.entity_id] += 1
                if counts[hit.entity_id] <= MAX_MENTIONS:
                    hits.append(hit._replace(start=begin, end=end))
    for entity_id, n in counts.items():
        if n > MAX_MENTIONS:
            log.warning("%d mentions of %s in one text: the first %d kept", n, entity_id,
                        MAX_MENTIONS)
    return sorted(hits, key=lambda h: h.start)


def _analyse_in_child(name: str, data: bytes, post=None):
    res = analyse(_watch, name, data)
    return post(name, *res) if post else res


def _analyse_batch_in_child(batch: list[tuple[str, bytes]], post=None) -> list[tuple]:
    """(ok, result or exception) per item: one unreadable file fails only itself."""
    out = []
    for name, data in batch:
        try:
            out.append((True, _analyse_in_child(name, data, post)))
        except Exception as exc:  # noqa: BLE001 - delivered through the item's future
            out.append((False, exc))
    return out


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _exit_with_parent(parent: int) -> None:
    """In each pool child: exit once the daemon is gone. A SIGKILLed daemon otherwise leaves
    its children behind for good, blocked on their queue, each holding the watchlist.
    (Not PR_SET_PDEATHSIG: it fires when the forking *thread* ends, e.g. a reload's.)"""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class Analyser:
    """analyse() inline with one process, or spread over a forked pool with more.

    Every call says which watchlist produced the hits: after a reload, work submitted before
    it still reports the entities of the watchlist it was matched against.
    """

    def __init__(self, watch, processes: int = 1):
        self.processes = processes
        self._lock = threading.Lock()
        self.watch = watch
        self._pool = self._new_pool(watch)

    def _new_pool(self, watch):
        """A ProcessPoolExecutor of forked children, or None to analyse inline."""
        if self.processes <= 1:
            return None
        import multiprocessing  # only when there is a pool: a small scan starts faster
        from concurrent.futures import ProcessPoolExecutor

        if "fork" not in multiprocessing.get_all_start_methods():
            return None
        global _watch
        _watch = watch
        load_tables()
        gc.freeze()
        pool = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_exit_with_parent, initargs=(os.getpid(),))
        # fork every child now, while _watch is this one: children forked later would
        # inherit whatever _watch is then.
        for f in [pool.submit(os.getpid) for _ in range(self.processes * 2)]:
            f.result()
        # no gc.unfreeze(): the watchlist stays out of the collector's reach in this process
        # too (matcher.Watch froze it already; a full collection over it costs a second)
        return pool

    def submit(self, name: str, data: bytes, post=None) -> tuple[object, Future]:
        """(the watchlist used, a future of (text, encoding, hits)), or of
        post(name, text, encoding, hits) computed where the matching ran: a module-level
        function, so that a worker process can turn hits into output itself."""
        with self._lock:
            pool, watch = self._pool, self.watch
        if pool is None:
            future: Future = Future()
            try:
                res = analyse(watch, name, data)
                future.set_result(post(name, *res) if post else res)
            except Exception as exc:  # noqa: BLE001 - delivered through the future
                future.set_exception(exc)
            return watch, future
        return watch, pool.submit(_analyse_in_child, name, data, post)

    def __call__(self, name: str, data: bytes) -> tuple[object, str, str, list[Hit]]:
        """(watchlist, text, encoding, hits); a crashed pool is replaced and tried once more."""
        watch, future = self.submit(name, data)
        from concurrent.futures.process import BrokenProcessPool

        try:
            return (watch, *future.result())
        except BrokenProcessPool:
            if self._pool is None:  # closed: stopping, not crashed
                raise
            self.replace(self.watch)
            watch, future = self.submit(name, data)
            return (watch, *future.result())

    def map(self, items: Iterable[tuple[str, bytes]], window: int = 64,
            post=None) -> Iterator[tuple[str, Future]]:
        """(name, future) for items in order, at most `window` in flight (bounded memory).

        With a pool, items go to the children MAP_BATCH at a time: a task costs the parent
        a pickling and two thread hand-offs, as much as matching a small file."""
        pending: collections.deque[tuple[str, Future]] = collections.deque()
        for batch in _batches(items, MAP_BATCH if self._pool is not None else 1):
            if len(batch) == 1:
                name, data = batch[0]
                pending.append((name, self.submit(name, data, post)[1]))
            else:
                pending.extend(self._submit_batch(batch, post))
            while len(pending) >= window:
                yield pending.popleft()
        yield from pending

    def _submit_batch(self, batch: list[tuple[str, bytes]], post) -> list[tuple[str, Future]]:
        """One task for several items; a future per item, failing alone (a bad file) or with
        the task (a crashed pool)."""
        with self._lock:
            pool = self._pool
        futures = [(name, Future()) for name, _ in batch]
        task = pool.submit(_analyse_batch_in_child, batch, post)

        def spread(done: Future) -> None:
            try:
                results = done.result()
            except BaseException as exc:  # noqa: BLE001 - every item of the task failed
                for _, f in futures:
                    f.set_exception(exc)
                return
            for (_, f), (ok, value) in zip(futures, results, strict=True):
                (f.set_result if ok else f.set_exception)(value)

        task.add_done_callback(spread)
        return futures

    def replace(self, watch) -> None:
        """Serve a new watchlist; work already submitted finishes on the old one."""
        pool = self._new_pool(watch)
        with self._lock:
            old, self._pool, self.watch = self._pool, pool, watch
        if old is not None:
            old.shutdown(wait=False)

    def close(self, wait: bool = True) -> None:
        """wait=False: a child stuck on a file is killed (its file, not recorded, is read
        again at the next start); else concurrent.futures' exit hook would wait for it."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is None:
            return
        if not wait:
            # no public way before Python 3.14 (terminate_workers)
            for proc in list(getattr(pool, "_processes", {}).values()):
                proc.kill()
        pool.shutdown(wait=wait, cancel_futures=True)
