"""Versioned schema: fresh databases, databases from before migrations, daemons racing to
migrate, and models that must agree with the migrations."""

from __future__ import annotations

import threading

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from conftest import ENGINES, run_cli
from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel

from watcher.migrations import head
from watcher.store import DocumentRow, FileRow, HitRow, OutboxRow, Store

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
def test_a_database_from_before_migrations_is_stamped_and_upgraded(db_url):
    legacy = [DocumentRow.__table__, FileRow.__table__, HitRow.__table__, OutboxRow.__table__]
    engine = create_engine(db_url)
    SQLModel.metadata.create_all(engine, tables=legacy)  # what the first release did
    engine.dispose()
    old = Store(db_url, migrate=False)
    old.save_document(path="/in/a.txt", sha256="a" * 64, size=1, mtime_ns=1, encoding="utf-8",
                      hits=[], pending=[])
    store = Store(db_url)
    assert store.schema_version() == head()
    assert GROUP_TABLES <= set(inspect(store.engine).get_table_names())
    assert store.counts()["documents"] == 1  # the data is still there


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
