"""Declarative base, shared column shapes and the naming convention Alembic relies on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any

from sqlalchemy import JSON, DateTime, MetaData, Numeric, String, func
from sqlalchemy.orm import DeclarativeBase, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """The current time, timezone-aware, in UTC."""
    return dt.datetime.now(dt.UTC)


def as_utc(value: dt.datetime) -> dt.datetime:
    """A stored time as aware UTC: SQLite hands back naive datetimes, and kefu stores UTC, so naive means UTC."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


Clock = Callable[[], dt.datetime]


intpk = Annotated[int, mapped_column(primary_key=True)]
created = Annotated[dt.datetime, mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())]
updated = Annotated[
    dt.datetime,
    mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow, server_default=func.now()),
]
money = Annotated[Decimal, mapped_column(Numeric(10, 2))]
short_text = Annotated[str, mapped_column(String(64))]
json_obj = Annotated[dict[str, Any], mapped_column(JSON, default=dict)]
json_list = Annotated[list[Any], mapped_column(JSON, default=list)]


class Base(DeclarativeBase):
    """Base of every kefu table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
