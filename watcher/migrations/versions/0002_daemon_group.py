"""A group of daemons on one database: daemons, document claims, outbox leases, job runs.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('claims',
    sa.Column('sha256', sa.String(), nullable=False),
    sa.Column('owner', sa.String(), nullable=False),
    sa.Column('path', sa.String(), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sha256')
    )
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claims_owner'), ['owner'], unique=False)
    op.create_table('daemons',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('host', sa.String(), nullable=False),
    sa.Column('pid', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('stopped_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('processed', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=False),
    sa.Column('queue', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('daemons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_daemons_heartbeat_at'), ['heartbeat_at'], unique=False)
    op.create_table('job_runs',
    sa.Column('job', sa.String(), nullable=False),
    sa.Column('scheduled_for', sa.DateTime(timezone=True), nullable=False),
    sa.Column('owner', sa.String(), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('job', 'scheduled_for')
    )
    op.create_table('outbox_leases',
    sa.Column('message_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('owner', sa.String(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('message_id')
    )
    with op.batch_alter_table('outbox_leases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_leases_owner'), ['owner'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outbox_leases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_leases_owner'))
    op.drop_table('outbox_leases')
    op.drop_table('job_runs')
    with op.batch_alter_table('daemons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_daemons_heartbeat_at'))
    op.drop_table('daemons')
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claims_owner'))
    op.drop_table('claims')
