"""The one exception tree of watcher.

Every error we raise on purpose derives from WatcherError, so the CLI can turn any of them
into a one-line message and an exit code without catching unrelated bugs.
"""


class WatcherError(Exception):
    """Base of every error watcher raises on purpose."""

    exit_code = 1


class ConfigError(WatcherError):
    """A config or watchlist file is missing, unreadable or invalid.

    `problems` holds one human-readable line per problem, each naming file, line and key.
    """

    exit_code = 2

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class ExtractError(WatcherError):
    """A document could not be turned into text (binary, too large, unreadable...)."""


class StoreError(WatcherError):
    """The database could not be opened or written."""


class NotifyError(WatcherError):
    """A notification target rejected a message or could not be reached."""


class Stopped(WatcherError):
    """A stop was asked for (SIGTERM, SIGINT) while the work could still be dropped: the
    daemon's first watchlist compile. Nothing is lost; not a failure."""

    exit_code = 0
