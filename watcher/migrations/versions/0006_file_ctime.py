"""files.ctime_ns: a copy that keeps its mtime (cp -p, rsync -a, tar) is a new version

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("files", schema=None) as batch_op:
        # existing rows get 0: "not recorded", size and mtime alone decide for them
        batch_op.add_column(sa.Column("ctime_ns", sa.BigInteger(), nullable=False,
                                      server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("files", schema=None) as batch_op:
        batch_op.drop_column("ctime_ns")
