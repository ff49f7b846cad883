"""agents' work: who holds a chat, and the audit trail

``conversations.agent_id`` / ``assigned_at`` (the agent holding a chat, and since when) and
``agent_actions`` (one row for everything an agent does). Written by hand; constraint names follow
models._base.NAMING_CONVENTION.

On SQLite the column is added with a plain ``ALTER TABLE ... ADD COLUMN ... REFERENCES`` rather than
batch mode: batch mode rebuilds ``conversations``, and with foreign keys on, dropping the old table
would cascade-delete every message, order and dispute that refers to it. SQLite's reflection does not
read options of a foreign key declared on a column, so ``agent_id``'s has none (accounts are disabled,
never deleted).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 19:20:00.000000
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        present = {column['name'] for column in sa.inspect(bind).get_columns('conversations')}
        if 'agent_id' in present:  # kept by a downgrade (see there): the upgrade only has the rest to do
            op.create_index(op.f('ix_conversations_agent_id'), 'conversations', ['agent_id'], unique=False)
            _create_actions()
            return
        op.execute(
            'ALTER TABLE conversations ADD COLUMN agent_id INTEGER '
            'CONSTRAINT fk_conversations_agent_id_users REFERENCES users (id)'
        )
        op.add_column('conversations', sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=True))
    else:
        op.add_column('conversations', sa.Column('agent_id', sa.Integer(), nullable=True))
        op.add_column('conversations', sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=True))
        op.create_foreign_key(
            op.f('fk_conversations_agent_id_users'), 'conversations', 'users', ['agent_id'], ['id'],
        )
    op.create_index(op.f('ix_conversations_agent_id'), 'conversations', ['agent_id'], unique=False)
    _create_actions()


def _create_actions() -> None:
    op.create_table('agent_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_agent_actions_user_id_users')),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_agent_actions_conversation_id_conversations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agent_actions'))
    )
    op.create_index(op.f('ix_agent_actions_user_id'), 'agent_actions', ['user_id'], unique=False)
    op.create_index(op.f('ix_agent_actions_conversation_id'), 'agent_actions', ['conversation_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_agent_actions_conversation_id'), table_name='agent_actions')
    op.drop_index(op.f('ix_agent_actions_user_id'), table_name='agent_actions')
    op.drop_table('agent_actions')
    op.drop_index(op.f('ix_conversations_agent_id'), table_name='conversations')
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite cannot drop a column that has a foreign key, and rebuilding the table would cascade-delete
        # its messages (see above): the two nullable columns stay, emptied and unused by the older code.
        op.execute('UPDATE conversations SET agent_id = NULL, assigned_at = NULL')
    else:
        op.drop_constraint(op.f('fk_conversations_agent_id_users'), 'conversations', type_='foreignkey')
        op.drop_column('conversations', 'assigned_at')
        op.drop_column('conversations', 'agent_id')
