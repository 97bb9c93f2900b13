"""change log for synchronisation feeds: a row per changed row, written by triggers

Revision ID: 5e1f0c7a9b2d
Revises: 02e42c2da54f
Create Date: 2026-12-05 20:55:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5e1f0c7a9b2d"
down_revision: str | None = "02e42c2da54f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The synchronised tables (domain/changes/feed.py names the kinds they log as).
TABLES = (
    "product",
    "product_version",
    "channel_product",
    "stock_item",
    "stock_movement",
    "purchase_order",
    "purchase_order_line",
    "customer_order",
    "order_line",
)

# Row level: every changed row, whatever code path changed it. The company a row belongs to is
# kept beside it, so a reader's tenant filter needs no join.
FUNCTION = """
CREATE FUNCTION pressroom_change_log() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r jsonb := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
    kind text := TG_TABLE_NAME;
    entity bigint := (r ->> 'id')::bigint;
    company bigint := NULL;
BEGIN
    IF TG_TABLE_NAME IN ('stock_item', 'customer_order') THEN
        company := (r ->> 'company_id')::bigint;
    ELSIF TG_TABLE_NAME = 'stock_movement' THEN
        SELECT company_id INTO company FROM stock_item WHERE id = (r ->> 'stock_item_id')::bigint;
    ELSIF TG_TABLE_NAME = 'order_line' THEN
        SELECT company_id INTO company FROM customer_order WHERE id = (r ->> 'order_id')::bigint;
    ELSIF TG_TABLE_NAME = 'purchase_order_line' THEN
        kind := 'purchase_order';
        entity := (r ->> 'purchase_order_id')::bigint;
    ELSIF TG_TABLE_NAME IN ('product_version', 'channel_product') THEN
        kind := 'product';
        entity := (r ->> 'product_id')::bigint;
    END IF;
    INSERT INTO change_log (xid, kind, entity_id, company_id, operation)
    VALUES (pg_current_xact_id()::text::bigint, kind, entity, company, TG_OP);
    RETURN NULL;
END $$
"""


def upgrade() -> None:
    op.create_table(
        "change_log",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("xid", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.BigInteger(), nullable=False),
        sa.Column("company_id", sa.BigInteger(), nullable=True),
        sa.Column("operation", sa.String(length=8), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_log")),
    )
    op.create_index(op.f("ix_change_log_company_id"), "change_log", ["company_id"], unique=False)
    op.create_index("ix_change_log_xid_id", "change_log", ["xid", "id"], unique=False)
    op.execute(FUNCTION)
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_change_log AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION pressroom_change_log()"
        )


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_change_log ON {table}")
    op.execute("DROP FUNCTION IF EXISTS pressroom_change_log()")
    op.drop_index("ix_change_log_xid_id", table_name="change_log")
    op.drop_index(op.f("ix_change_log_company_id"), table_name="change_log")
    op.drop_table("change_log")
