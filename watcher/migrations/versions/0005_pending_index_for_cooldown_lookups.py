"""pending: an index with decided_at for cooldown lookups

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pending", schema=None) as batch_op:
        batch_op.drop_index("ix_pending_entry_entity")
        batch_op.create_index("ix_pending_last_alert",
                              ["entry", "entity_id", "state", "decided_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pending", schema=None) as batch_op:
        batch_op.drop_index("ix_pending_last_alert")
        batch_op.create_index("ix_pending_entry_entity", ["entry", "entity_id", "state"],
                              unique=False)
