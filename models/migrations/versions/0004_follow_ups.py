"""follow-ups: the bot's question after an agent resolved a chat, and the customer's score

One new table, ``follow_ups``; nothing existing is altered (so none of 0003's SQLite caveats apply).
An agent's resolution itself is kept on the dispute rows (``status='resolved'`` and
``details["resolution"]``). Written by hand; constraint names follow models._base.NAMING_CONVENTION.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 19:45:00.000000
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('follow_ups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('dispute_ids', sa.JSON(), nullable=False),
    sa.Column('remedy', sa.String(length=32), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_follow_ups_conversation_id_conversations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_follow_ups_customer_id_customers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_ups'))
    )
    op.create_index(op.f('ix_follow_ups_conversation_id'), 'follow_ups', ['conversation_id'], unique=False)
    op.create_index('ix_follow_ups_due', 'follow_ups', ['sent_at', 'due_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_follow_ups_due', table_name='follow_ups')
    op.drop_index(op.f('ix_follow_ups_conversation_id'), table_name='follow_ups')
    op.drop_table('follow_ups')
