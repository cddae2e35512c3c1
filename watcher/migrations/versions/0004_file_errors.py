"""files.error: why a file failed

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("files", schema=None) as batch_op:
        # existing rows get '' (a NOT NULL column needs a default on a filled table)
        batch_op.add_column(sa.Column("error", sa.String(), nullable=False, server_default=""))

def downgrade() -> None:
    with op.batch_alter_table("files", schema=None) as batch_op:
        batch_op.drop_column("error")

