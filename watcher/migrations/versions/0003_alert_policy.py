"""alert policy: pending notifications and silences

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('silences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity_id', sa.String(), nullable=False),
    sa.Column('until', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('silences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_silences_entity_id'), ['entity_id'], unique=False)

    op.create_table('pending',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry', sa.String(), nullable=False),
    sa.Column('entity_id', sa.String(), nullable=False),
    sa.Column('entity_name', sa.String(), nullable=False),
    sa.Column('entity_type', sa.String(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('mentions', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('state', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('pending', schema=None) as batch_op:
        batch_op.create_index('ix_pending_entry_entity', ['entry', 'entity_id', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_pending_state'), ['state'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('pending', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_state'))
        batch_op.drop_index('ix_pending_entry_entity')

    op.drop_table('pending')
    with op.batch_alter_table('silences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_silences_entity_id'))

    op.drop_table('silences')
