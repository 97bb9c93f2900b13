"""Declarative base shared by every area's SQLAlchemy models (the Alembic target metadata)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Enum, MetaData, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def str_enum(cls: type, name: str) -> Enum:
    """A Python enum stored as its value in a VARCHAR (no PostgreSQL enum type to migrate)."""
    return Enum(cls, name=name, native_enum=False, length=32, validate_strings=True)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Timestamped:
    # Set in Python too, so a freshly inserted row knows it without a reload (async: no lazy IO).
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now(), nullable=False
    )
