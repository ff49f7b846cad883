"""Alembic environment: kefu runs migrations on a connection it hands over (see models._db.migrate);
the ``alembic`` command line works too, with ``-x url=...`` or DATABASE_URL."""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy.engine import Connection

from models import _tables  # noqa: F401  (registers the tables on Base.metadata)
from models._base import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _online_from_url() -> None:
    from models._db import Database

    url = context.get_x_argument(as_dictionary=True).get("url") or os.environ.get("DATABASE_URL")
    if not url:
        raise SystemExit("set DATABASE_URL or pass -x url=... to run kefu's migrations by hand")

    async def go() -> None:
        database = Database(url)
        try:
            await database.migrate()
        finally:
            await database.dispose()

    asyncio.run(go())


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    _online_from_url()
