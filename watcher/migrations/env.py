"""alembic's entry point: runs on the connection that watcher.migrations.upgrade() holds."""

from alembic import context

from watcher.store import SQLModel

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `watcher migrate` (or Store), not alembic's CLI")
context.configure(connection=connection, target_metadata=SQLModel.metadata,
                  render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
with context.begin_transaction():
    context.run_migrations()
