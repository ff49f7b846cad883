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
