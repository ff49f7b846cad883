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
        ("0010", "0009", set()),  # data only: disputes' resolutions in one shape
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


# The two shapes of a resolution before 0010: the bot's own remedy, and an agent's in the console.
_AT = "2026-11-30T08:00:00+00:00"
_BOT_OLD = {"remedy": "coupon", "amount": "5", "note": "晚到补偿", "by": "bot", "at": _AT}
_AGENT_OLD = {"remedy": "refund", "amount": "30.00", "note": "破洞", "resolved_by": "alice", "resolved_by_id": 1,
              "resolved_at": _AT, "follow_up_id": 7, "follow_up_at": "2026-12-01T08:00:00+00:00"}


async def test_0010_puts_every_dispute_record_in_one_shape_and_back(db_url: str) -> None:
    """Records the bot and the console wrote in their own shapes read alike after the upgrade — the report still
    tells the bot's coupon from alice's refund — and the downgrade gives each its old shape back."""
    import datetime as dt

    from sqlalchemy import select

    from bot.admin.report import read_disputes, read_recent
    from bot.engine.records import DisputeRecord
    from models import Conversation, Customer, Dispute

    facts = {"facts": [{"text": "衣服破了", "at": _AT}], "intake": "done", "subtype": "damaged",
             "emotion": {"score": 1, "level": "calm", "label": "平静", "signals": ["exclamations"]}}
    stored = {
        "bot": {**facts, "resolution": _BOT_OLD, "csat": {"score": 4, "comment": None, "at": _AT}},
        "agent": {**facts, "resolution": _AGENT_OLD},
        "open": dict(facts),
    }
    db = Database(db_url)
    try:
        await db.migrate()

        def seed_at_0009(session: Session) -> None:
            config = alembic_config()
            config.attributes["connection"] = session.connection()
            command.downgrade(config, "0009")
            customer = Customer(channel="rest", external_id="c-0010")
            session.add(customer)
            session.flush()
            conversation = Conversation(customer_id=customer.id, slots={})
            session.add(conversation)
            session.flush()
            for words, details in stored.items():
                session.add(Dispute(conversation_id=conversation.id, customer_id=customer.id, type="product",
                                    status="open" if words == "open" else "resolved", opening_message=words,
                                    details=details))

        await db.run(seed_at_0009)

        def migrate(session: Session, revision: str) -> dict[str, dict[str, Any]]:
            config = alembic_config()
            config.attributes["connection"] = session.connection()
            (command.upgrade if revision == "head" else command.downgrade)(config, revision)
            session.expire_all()
            rows = session.execute(select(Dispute.opening_message, Dispute.details))
            return {words: details for words, details in rows}

        upgraded = await db.run(lambda session: migrate(session, "head"))
        records = {words: DisputeRecord.of(details) for words, details in upgraded.items()}
        bot, agent = records["bot"].resolution, records["agent"].resolution
        assert bot is not None and agent is not None
        assert (bot.by, bot.resolved_by, bot.remedy, bot.amount, bot.note) == ("bot", None, "coupon", "5", "晚到补偿")
        assert bot.resolved_at == dt.datetime(2026, 11, 30, 8, tzinfo=dt.UTC) and bot.follow_up_id is None
        assert (agent.by, agent.resolved_by, agent.resolved_by_id, agent.follow_up_id) == ("agent", "alice", 1, 7)
        assert records["open"].resolution is None and upgraded["open"] == stored["open"]
        assert {words: record.as_json() for words, record in records.items()} == upgraded, "stored as written"
        assert upgraded["bot"]["csat"] == stored["bot"]["csat"] and upgraded["agent"]["facts"] == facts["facts"]

        since = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
        rows = await db.run(lambda session: read_disputes(session, since))
        assert sorted((r.remedy or "", r.by_bot) for r in rows) == [("", False), ("coupon", True), ("refund", False)]
        recent = await db.run(lambda session: read_recent(session, since))
        assert sorted((r.remedy, r.resolved_by) for r in recent if r.remedy) == [("coupon", "bot"), ("refund", "alice")]

        downgraded = await db.run(lambda session: migrate(session, "0009"))
        assert downgraded == stored, "the downgrade gives each record its old shape back"
    finally:
        await db.dispose()
