"""Prometheus endpoint on localhost: the only module that imports prometheus_client.

Nothing is counted twice: at each scrape a collector reads the daemon's own status (queue,
health, counters since the start) and the database's totals, the same figures
`watcher status` shows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from prometheus_client import start_http_server
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector, CollectorRegistry

log = logging.getLogger(__name__)


class _StatusCollector(Collector):
    def __init__(self, status: Callable[[], dict], counts: Callable[[], dict]):
        self.status = status
        self.counts = counts

    def collect(self):
        s = self.status()
        yield _gauge("watcher_up_seconds", "Seconds since the daemon started", s["uptime_s"])
        yield _gauge("watcher_healthy", "1 while every thread is alive and progressing",
                     int(bool(s["healthy"])))
        yield _gauge("watcher_queue_files", "Files waiting or being processed", s["queue"])
        yield _gauge("watcher_watchlist_entities", "Entities in the serving watchlist",
                     s["entities"])
        files = CounterMetricFamily("watcher_files_handled", "Files handled since the start, "
                                    "by outcome", labels=["outcome"])
        for outcome in ("processed", "failed", "duplicate"):
            files.add_metric([outcome], s.get(outcome, 0))
        yield files
        yield _counter("watcher_inotify_overflows", "Inotify queue overflows (each answered "
                       "with a rescan)", s.get("overflows", 0))
        yield _counter("watcher_watchlist_reloads", "Watchlist reloads", s.get("reloads", 0))
        try:
            c = self.counts()
        except Exception as exc:  # noqa: BLE001 - a locked or full database: skip these
            log.debug("metrics: no database counts: %s", exc)
            return
        docs = GaugeMetricFamily("watcher_documents", "Documents in the database, by status",
                                 labels=["status"])
        for status in ("processed", "failed", "vanished"):
            docs.add_metric([status], c["documents" if status == "processed" else status])
        yield docs
        yield _gauge("watcher_hits", "Hits in the database", c["hits"])
        outbox = GaugeMetricFamily("watcher_outbox_messages", "Alert messages, by state",
                                   labels=["state"])
        for state in ("pending", "sent", "dead"):
            outbox.add_metric([state], c[state])
        yield outbox


def _gauge(name: str, doc: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, doc, value=value)


def _counter(name: str, doc: str, value: float) -> CounterMetricFamily:
    return CounterMetricFamily(name, doc, value=value)


def serve(port: int, status: Callable[[], dict], counts: Callable[[], dict]) -> None:
    """Serve /metrics on 127.0.0.1:port (localhost only: the figures name no secrets, but
    nobody else needs them) from a daemon thread."""
    registry = CollectorRegistry()
    registry.register(_StatusCollector(status, counts))
    start_http_server(port, addr="127.0.0.1", registry=registry)
    log.info("metrics on http://127.0.0.1:%d/metrics", port)
