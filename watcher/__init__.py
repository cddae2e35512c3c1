"""watcher: an entity-watchlist alerting daemon."""

__version__ = "0.1.0"
