"""Versioned schema: fresh databases, databases of an older version, daemons racing to
migrate, and models that must agree with the migrations."""

from __future__ import annotations

import threading

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from conftest import ENGINES, run_cli
from sqlalchemy import create_engine, inspect, text
from sqlmodel import SQLModel

from watcher.migrations import config, head
from watcher.store import Store

GROUP_TABLES = {"daemons", "claims", "outbox_leases", "job_runs"}


@ENGINES
def test_a_fresh_database_is_migrated_to_the_newest_version(db_url):
    store = Store(db_url)
    assert store.schema_version() == head()
    tables = set(inspect(store.engine).get_table_names())
    assert {"documents", "files", "hits", "outbox", "alembic_version"} | GROUP_TABLES <= tables


@ENGINES
def test_models_and_migrations_agree(db_url):
    """A model changed in store.py without a migration fails here: write one with
    `python -m watcher.migrations revision "what changed"`."""
    store = Store(db_url)
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                SQLModel.metadata)
    assert diff == []


@ENGINES
def test_a_database_of_the_first_version_is_upgraded_with_its_data(db_url):
    engine = create_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(config(conn), "0001")  # the schema of the first version
        conn.execute(text("INSERT INTO documents (sha256, path, size, encoding, status, "
                          "error, hit_count, processed_at) VALUES ('a', '/in/a.txt', 1, "
                          "'utf-8', 'processed', '', 0, CURRENT_TIMESTAMP)"))
        conn.execute(text("INSERT INTO files (path, size, mtime_ns, sha256, status, seen_at) "
                          "VALUES ('/in/a.txt', 1, 1, 'a', 'processed', CURRENT_TIMESTAMP)"))
    engine.dispose()
    store = Store(db_url)
    assert store.schema_version() == head()
    assert GROUP_TABLES <= set(inspect(store.engine).get_table_names())
    assert store.counts()["documents"] == 1  # the data is still there
    assert store.known_files() == {"/in/a.txt": (1, 1, 0)}


@ENGINES
def test_daemons_started_together_migrate_once(db_url):
    errors, versions = [], []

    def start() -> None:
        try:
            versions.append(Store(db_url).schema_version())
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and versions == [head()] * 6


@ENGINES
def test_watcher_migrate_command(tmp_path, db_url):
    (tmp_path / "wl.yaml").write_text("entities:\n  - id: kyiv\n    name: Kyiv\n")
    config = tmp_path / "watcher.yaml"
    config.write_text(f"inbox: inbox\nwatchlist: wl.yaml\ndatabase: {db_url}\n")
    first = run_cli("migrate", "--config", str(config))
    assert first.returncode == 0, first.stderr
    assert f"from version (empty) to {head()}" in first.stdout
    again = run_cli("migrate", "--config", str(config))
    assert again.returncode == 0 and f"schema at version {head()}" in again.stdout
