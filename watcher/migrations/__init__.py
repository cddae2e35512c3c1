"""Versioned schema migrations (alembic), shipped in the package, for SQLite and PostgreSQL.

`upgrade(engine)` brings a database to the newest revision under a lock, so that daemons
started together migrate once: a transaction-scoped advisory lock on PostgreSQL, the write
lock of BEGIN IMMEDIATE on SQLite (see store.py).

A change to the tables in store.py needs a new revision in versions/; tests/test_store.py
fails while the models and the migrations disagree. To write one:

    python -m watcher.migrations revision "add a column to outbox"

autogenerates it against a scratch SQLite database at the current head; review it (SQLite
alters tables through alembic's batch mode, which env.py turns on) and commit it.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

HERE = Path(__file__).parent
logging.getLogger("alembic").setLevel(logging.WARNING)  # each step is logged by us
# a fixed key for pg_advisory_xact_lock: the first 8 bytes of a hash of our name
LOCK_KEY = int.from_bytes(hashlib.sha256(b"watcher schema migration").digest()[:8], "big",
                          signed=True)


def config(connection=None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.attributes["connection"] = connection
    return cfg


def head() -> str:
    return ScriptDirectory.from_config(config()).get_current_head()


def current(conn) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine) -> tuple[str | None, str]:
    """Migrate to head; return (revision before, revision after)."""
    target = head()
    with engine.connect() as conn:  # the common case, without taking any lock
        before = current(conn)
        conn.rollback()
    if before == target:
        return before, target
    with engine.begin() as conn:  # SQLite: BEGIN IMMEDIATE, so one migrator at a time
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
        before = current(conn)  # again, under the lock: another daemon may have done it
        if before != target:
            command.upgrade(config(conn), "head")
        after = current(conn)
    if before != after:
        logging.getLogger("watcher.store").info("database schema migrated from version %s to %s",
                                                before or "(empty)", after)
    return before, after
