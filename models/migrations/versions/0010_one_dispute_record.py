"""one dispute record: every ``disputes.details`` resolution in one shape

Before, the bot's own remedy wrote ``resolution: {remedy, amount, note, by: "bot", at}`` and the console wrote
``resolution: {remedy, amount, note, resolved_by, resolved_by_id, resolved_at, follow_up_id, follow_up_at}``.
Now both write (bot.engine.records.Resolution)::

    {remedy, amount, note, by: "bot" | "agent", resolved_by, resolved_by_id, resolved_at, follow_up_id, follow_up_at}

with ``resolved_by*`` and ``follow_up*`` null when the bot settled it. The upgrade rewrites the resolutions stored
in either old shape; the downgrade writes each back in the old shape of whoever settled it. The rest of the record
(facts, intake, subtype, expectation, emotion, csat) was written alike by everyone and stays. A data migration
only; the rows are read and written here, without the application's code (which may change later). Written by
hand.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 20:00:00.000000
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

_DISPUTES = sa.table('disputes', sa.column('id', sa.Integer), sa.column('details', sa.JSON))


def one_shape(resolution: dict[str, Any]) -> dict[str, Any]:
    """A resolution in the one shape, from either old shape (one already in it is returned as it is)."""
    if resolution.get('by') == 'agent' or (resolution.get('by') == 'bot' and 'resolved_at' in resolution):
        return resolution
    base = {'remedy': resolution.get('remedy'), 'amount': resolution.get('amount'), 'note': resolution.get('note', '')}
    if resolution.get('by') == 'bot':
        return {**base, 'by': 'bot', 'resolved_by': None, 'resolved_by_id': None,
                'resolved_at': resolution.get('at'), 'follow_up_id': None, 'follow_up_at': None}
    return {**base, 'by': 'agent', 'resolved_by': resolution.get('resolved_by'),
            'resolved_by_id': resolution.get('resolved_by_id'), 'resolved_at': resolution.get('resolved_at'),
            'follow_up_id': resolution.get('follow_up_id'), 'follow_up_at': resolution.get('follow_up_at')}


def old_shape(resolution: dict[str, Any]) -> dict[str, Any]:
    """A resolution in the old shape of whoever settled it (one already old is returned as it is)."""
    if resolution.get('by') == 'bot' and 'resolved_at' in resolution:
        return {'remedy': resolution.get('remedy'), 'amount': resolution.get('amount'), 'note': resolution.get('note'),
                'by': 'bot', 'at': resolution.get('resolved_at')}
    if resolution.get('by') == 'agent':
        return {key: value for key, value in resolution.items() if key != 'by'}
    return resolution


def _rewrite(change: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(_DISPUTES.c.id, _DISPUTES.c.details)).all()
    for ident, details in rows:
        resolution = details.get('resolution') if isinstance(details, dict) else None
        if not isinstance(resolution, dict):
            continue
        changed = change(resolution)
        if changed != resolution:
            connection.execute(
                _DISPUTES.update().where(_DISPUTES.c.id == ident).values(details={**details, 'resolution': changed})
            )


def upgrade() -> None:
    _rewrite(one_shape)


def downgrade() -> None:
    _rewrite(old_shape)
