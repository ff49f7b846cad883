"""escalation notices: which escalation the agents' Telegram group was told of

``conversations.noticed_at``: the ``escalated_at`` of the escalation whose notice was claimed (by the one
worker that posts it). A worker claims a notice with a conditional UPDATE, so with several workers — or a
new poller taking over from one that died — each escalation is posted once. Existing escalations count as
noticed (they were announced, or not, by the code of their day). Written by hand.

On SQLite the column is added and dropped with plain ``ALTER TABLE`` (see 0006).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 18:00:00.000000
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('conversations', sa.Column('noticed_at', sa.DateTime(timezone=True), nullable=True))
    op.execute('UPDATE conversations SET noticed_at = escalated_at')


def downgrade() -> None:
    op.drop_column('conversations', 'noticed_at')
