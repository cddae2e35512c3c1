"""The README's configuration examples are valid: what a user copies from it loads as shown."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from watcher.config import load_settings, load_watchlist
from watcher.notify import Notifier

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCKS = re.findall(r"^```yaml\n(.*?)^```", README.read_text("utf-8"), re.S | re.M)


def block(key: str) -> str:
    """The README's YAML example whose top level has `key`."""
    found = [b for b in BLOCKS if isinstance(yaml.safe_load(b), dict) and key in yaml.safe_load(b)]
    assert found, f"no yaml example with {key!r} in README.md"
    return found[0]


def test_watchlist_example_loads_with_every_documented_field(tmp_path):
    path = tmp_path / "watchlist.yaml"
    path.write_text(block("entities"), "utf-8")
    (ent,) = load_watchlist(path)
    assert (ent.id, ent.type, ent.threshold, ent.exact) == ("zelensky", "person", 90, False)
    assert ent.aliases == ("Zelenskyy", "Зеленський") and ent.exclude == ("Zelenska",)


@pytest.fixture
def secrets(monkeypatch):
    for name in ("SLACK_TOKEN_A", "SLACK_TOKEN_B", "SMTP_USER", "SMTP_PASSWORD",
                 "WATCHER_DB_PASSWORD"):
        monkeypatch.setenv(name, "x" * 9)
    monkeypatch.setenv("SLACK_TOKEN_C", "x" * 24)


def test_notify_example_is_valid_settings_and_valid_apprise_urls(tmp_path, secrets):
    (tmp_path / "wl.yaml").write_text(block("entities"), "utf-8")
    config = tmp_path / "watcher.yaml"
    config.write_text("inbox: in\nwatchlist: wl.yaml\n" + block("notify"), "utf-8")
    settings = load_settings(config)
    notifier = Notifier(settings.notify, backoff=settings.retry_backoff,
                        retry_for=settings.retry_for)
    assert notifier.problems == []
    assert [t.entry.mode for t in notifier.targets.values()] == ["immediate", "digest",
                                                                 "immediate"]
    assert list(notifier.targets) == ["slack-leaders", "desk-digest", "ops"]


def test_postgresql_example_is_valid_settings(tmp_path, secrets):
    (tmp_path / "wl.yaml").write_text(block("entities"), "utf-8")
    text = block("database").replace("/etc/watcher/watchlist.yaml", "wl.yaml")
    config = tmp_path / "watcher.yaml"
    config.write_text(text, "utf-8")
    settings = load_settings(config)
    assert settings.database_url.startswith("postgresql+psycopg://watcher:")
    assert settings.lease.total_seconds() == 30
