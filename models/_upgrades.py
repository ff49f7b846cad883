"""What data migrations share: bringing the shipped phrase texts a shop never edited up to date.

A shop's phrase whose variants are still exactly an earlier shipped text gets the new one; a phrase the shop
edited is left as the shop wrote it. Downgrading swaps the other way, by the same rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

_phrases = sa.table("phrases", sa.column("key", sa.String), sa.column("variants", sa.JSON))


def swap_shipped_phrases(bind: Connection, phrases: Mapping[str, Sequence[Sequence[str]]], old_index: int) -> None:
    """For each key: (old shipped variants, new shipped variants); ``old_index`` 0 upgrades, 1 downgrades."""
    for key, pair in phrases.items():
        row = bind.execute(sa.select(_phrases.c.variants).where(_phrases.c.key == key)).first()
        if row is not None and list(row.variants) == list(pair[old_index]):
            bind.execute(_phrases.update().where(_phrases.c.key == key).values(variants=list(pair[1 - old_index])))
