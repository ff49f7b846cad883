"""delivery cursor: what a pushing channel (Telegram) has already sent each customer

``customers.delivered_seq``: every outbound message with ``seq <= delivered_seq`` has been delivered (or needs
no delivery); the Telegram sender sends those after it, in seq order, and moves it on after each one.
Existing customers start at their ``last_seq``: everything before this migration was delivered by the channel
it was written on (the REST and web channels are pulled by the customer, not pushed), so nothing old is
re-sent. Written by hand.

On SQLite the column is added and dropped with plain ``ALTER TABLE`` (SQLite 3.35+ drops a column that has
no index or key): batch mode would rebuild ``customers`` and, with foreign keys on, cascade-delete every
conversation and message (see 0003).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 10:00:00.000000
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('customers', sa.Column('delivered_seq', sa.Integer(), server_default='0', nullable=False))
    op.execute('UPDATE customers SET delivered_seq = last_seq')


def downgrade() -> None:
    op.drop_column('customers', 'delivered_seq')
