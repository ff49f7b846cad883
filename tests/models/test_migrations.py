"""Every migration, on SQLite and PostgreSQL: downgrading removes what it added, upgrading again leaves
the schema exactly as the models describe it (so a deployed database and the code never drift)."""

from __future__ import annotations

from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.orm import Session

from models import Base, Database, alembic_config


@pytest.mark.parametrize(
    ("revision", "previous", "added"),
    [
        ("0002", "0001", {"users", "login_sessions"}),
        ("0003", "0002", {"agent_actions"}),
        ("0004", "0003", {"follow_ups"}),
        ("0005", "0004", {"attachments"}),
        ("0006", "0005", set()),  # a column: customers.delivered_seq (the round trip re-adds it exactly)
        ("0007", "0006", {"invoice_requests"}),
        ("0008", "0007", set()),  # phrase texts only
        ("0009", "0008", set()),  # a column: conversations.noticed_at
    ],
)
async def test_a_migration_downgrades_and_upgrades_back_to_the_models(
    db_url: str, revision: str, previous: str, added: set[str]
) -> None:
    db = Database(db_url)
    try:
        await db.migrate()

        def roundtrip(session: Session) -> list[Any]:
            connection = session.connection()
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, previous)
            assert not added & set(connection.dialect.get_table_names(connection))
            command.upgrade(config, "head")
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, Base.metadata))

        assert await db.run(roundtrip) == []
    finally:
        await db.dispose()


async def test_0007_and_0008_bring_unedited_shipped_phrases_up_to_date_and_keep_a_shops_edits(db_url: str) -> None:
    """Phrases that promised 运费险, "1到3个工作日" or a remote surcharge with no setting behind them: a shop that never edited them gets
    the shipped texts that take those promises from settings; a shop that wrote its own keeps them."""
    import importlib

    from sqlalchemy import select, update

    from models import Phrase
    from replies import PhraseBank

    migration = importlib.import_module("models.migrations.versions.0007_invoices_and_promises")
    old_quality, new_quality = migration._PHRASES["objection.quality"]
    remote = importlib.import_module("models.migrations.versions.0008_honest_remote_shipping")
    old_remote, new_remote = remote._PHRASES["shipping.remote"]
    db = Database(db_url)
    try:
        await db.migrate()

        def seed_old(session: Session) -> None:
            for entry in PhraseBank.from_yaml().entries():
                session.add(Phrase(key=entry.key, title=entry.title, shortcut=entry.shortcut, variants=list(entry.variants)))
            session.flush()
            session.execute(update(Phrase).where(Phrase.key == "objection.quality").values(variants=old_quality))
            session.execute(update(Phrase).where(Phrase.key == "shipping.remote").values(variants=old_remote))
            session.execute(update(Phrase).where(Phrase.key == "returns.policy").values(variants=["本店自己写的退货说明"]))

        await db.run(seed_old)

        def down_and_up(session: Session) -> dict[str, list[str]]:
            config = alembic_config()
            config.attributes["connection"] = session.connection()
            command.downgrade(config, "0006")
            command.upgrade(config, "head")
            rows = session.execute(select(Phrase).where(
                Phrase.key.in_(["objection.quality", "returns.policy", "shipping.remote"])))
            return {p.key: list(p.variants) for p in rows.scalars()}

        phrases = await db.run(down_and_up)
        assert phrases["objection.quality"] == new_quality and not any("运费险" in v for v in new_quality)
        assert phrases["returns.policy"] == ["本店自己写的退货说明"], "an edited phrase is the shop's own"
        assert phrases["shipping.remote"] == new_remote and not any("3到5天" in v for v in new_remote)
    finally:
        await db.dispose()
