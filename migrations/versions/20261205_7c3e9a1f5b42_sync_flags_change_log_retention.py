"""sync flags on products and stock items; change log retention watermark

Revision ID: 7c3e9a1f5b42
Revises: a7c3e5f1b9d2
Create Date: 2026-12-05 23:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7c3e9a1f5b42"
down_revision: str | None = "a7c3e5f1b9d2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("product", "stock_item"):
        op.add_column(
            table,
            sa.Column("purchasable", sa.Boolean(), server_default=sa.true(), nullable=False),
        )
        op.add_column(
            table,
            sa.Column("ignore_for_sync", sa.Boolean(), server_default=sa.false(), nullable=False),
        )
    op.create_table(
        "change_log_pruned",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("xid", sa.BigInteger(), nullable=False),
        sa.Column("entry_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "pruned_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("id = 1", name=op.f("ck_change_log_pruned_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_log_pruned")),
    )
    op.create_index("ix_change_log_created_at", "change_log", ["created_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_change_log_created_at", table_name="change_log")
    op.drop_table("change_log_pruned")
    for table in ("product", "stock_item"):
        op.drop_column(table, "ignore_for_sync")
        op.drop_column(table, "purchasable")
