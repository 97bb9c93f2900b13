"""read cache invalidation: NOTIFY pressroom_cache with the table name on commit

Revision ID: b7c1e5a2d9f0
Revises: 4a6dcecf17c7
Create Date: 2026-11-23 17:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "b7c1e5a2d9f0"
down_revision: str | None = "4a6dcecf17c7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A copy of domain/shared/read_cache.py's WATCHED_TABLES as of this revision (a migration must
# not change when the code does); tests/integration/test_read_cache.py compares the two.
ALL = "INSERT OR UPDATE OR DELETE OR TRUNCATE"
TABLES: dict[str, str] = {
    "auth_session": "UPDATE OR DELETE OR TRUNCATE",
    "portal_user": ALL,
    "portal_user_group": ALL,
    "permission_group": ALL,
    "staff_user": ALL,
    "company": ALL,
    "customer_group": ALL,
    "channel": ALL,
    "channel_product": ALL,
    "product": ALL,
    "product_version": ALL,
    "laser_material": ALL,
    "laser_thickness": ALL,
    "laser_machine": ALL,
}

# Statement level: one NOTIFY per statement, and PostgreSQL folds identical notifications of a
# transaction into one, delivered on commit only (never for a rollback).
FUNCTION = """
CREATE FUNCTION pressroom_cache_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('pressroom_cache', TG_TABLE_NAME);
    RETURN NULL;
END $$
"""


def upgrade() -> None:
    op.execute(FUNCTION)
    for table, events in TABLES.items():
        op.execute(
            f"CREATE TRIGGER {table}_cache_notify AFTER {events} ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION pressroom_cache_notify()"
        )


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_cache_notify ON {table}")
    op.execute("DROP FUNCTION IF EXISTS pressroom_cache_notify()")
