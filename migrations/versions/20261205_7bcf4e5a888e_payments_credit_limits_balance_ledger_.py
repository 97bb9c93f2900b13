"""payments credit limits balance ledger staff review

Revision ID: 7bcf4e5a888e
Revises: 01d01aec208d
Create Date: 2026-12-05 21:16:07.427653
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "7bcf4e5a888e"
down_revision: str | None = "01d01aec208d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "provider_event_seen",
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("event_id", sa.String(length=120), nullable=False),
        sa.Column("event_type", sa.String(length=80), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("provider", "event_id", name=op.f("pk_provider_event_seen")),
    )
    op.create_table(
        "payment_method_offer",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=True),
        sa.Column("customer_group_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["channel.id"],
            name=op.f("fk_payment_method_offer_channel_id_channel"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["customer_group_id"],
            ["customer_group.id"],
            name=op.f("fk_payment_method_offer_customer_group_id_customer_group"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_method_offer")),
        sa.UniqueConstraint(
            "method",
            "channel_id",
            "customer_group_id",
            name=op.f("uq_payment_method_offer_method_channel_id_customer_group_id"),
        ),
    )
    op.create_table(
        "company_credit",
        sa.Column("company_id", sa.BigInteger(), nullable=False),
        sa.Column("credit_limit", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_company_credit_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("company_id", name=op.f("pk_company_credit")),
    )
    op.create_table(
        "online_payment",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("company_id", sa.BigInteger(), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=True),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("intent_id", sa.String(length=120), nullable=False),
        sa.Column("client_secret", sa.Text(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_online_payment_company_id_company"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["customer_order.id"],
            name=op.f("fk_online_payment_order_id_customer_order"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_online_payment")),
        sa.UniqueConstraint("intent_id", name=op.f("uq_online_payment_intent_id")),
        sa.UniqueConstraint("order_id", name=op.f("uq_online_payment_order_id")),
    )
    op.create_index(
        op.f("ix_online_payment_company_id"), "online_payment", ["company_id"], unique=False
    )
    op.create_table(
        "payment",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("company_id", sa.BigInteger(), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=True),
        sa.Column("invoice_id", sa.BigInteger(), nullable=True),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("refunded_amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("provider_reference", sa.String(length=120), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("recorded_by_staff_id", sa.BigInteger(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payment_amount_positive")),
        sa.CheckConstraint(
            "refunded_amount >= 0 AND refunded_amount <= amount", name=op.f("ck_payment_refunds")
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_payment_company_id_company"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["customer_order.id"],
            name=op.f("fk_payment_order_id_customer_order"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_staff_id"],
            ["staff_user.id"],
            name=op.f("fk_payment_recorded_by_staff_id_staff_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["invoice.id"],
            name=op.f("fk_payment_invoice_id_invoice"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment")),
        sa.UniqueConstraint(
            "provider", "provider_reference", name=op.f("uq_payment_provider_provider_reference")
        ),
    )
    op.create_index(op.f("ix_payment_company_id"), "payment", ["company_id"], unique=False)
    op.create_index(op.f("ix_payment_order_id"), "payment", ["order_id"], unique=False)
    op.create_index(op.f("ix_payment_invoice_id"), "payment", ["invoice_id"], unique=False)
    op.create_table(
        "balance_entry",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("company_id", sa.BigInteger(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=True),
        sa.Column("payment_id", sa.BigInteger(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_balance_entry_company_id_company"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["customer_order.id"],
            name=op.f("fk_balance_entry_order_id_customer_order"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payment.id"],
            name=op.f("fk_balance_entry_payment_id_payment"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_balance_entry")),
    )
    op.create_index(
        op.f("ix_balance_entry_company_id"), "balance_entry", ["company_id"], unique=False
    )
    op.create_table(
        "payment_refund",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("payment_id", sa.BigInteger(), nullable=False),
        sa.Column("company_id", sa.BigInteger(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("provider_reference", sa.String(length=120), nullable=True),
        sa.Column("staff_user_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payment_refund_amount_positive")),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_payment_refund_company_id_company"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payment.id"],
            name=op.f("fk_payment_refund_payment_id_payment"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["staff_user_id"],
            ["staff_user.id"],
            name=op.f("fk_payment_refund_staff_user_id_staff_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_refund")),
    )
    op.create_index(
        op.f("ix_payment_refund_company_id"), "payment_refund", ["company_id"], unique=False
    )
    op.create_index(
        op.f("ix_payment_refund_payment_id"), "payment_refund", ["payment_id"], unique=False
    )
    op.add_column(
        "customer_order", sa.Column("staff_review_reason", sa.String(length=40), nullable=True)
    )

    op.add_column(
        "customer_group",
        sa.Column(
            "price_change_tolerance_percent",
            sa.Numeric(precision=5, scale=2),
            server_default="0",
            nullable=False,
        ),
    )
    op.create_table(
        "order_adjustment",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("company_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("staff_user_id", sa.BigInteger(), nullable=True),
        sa.Column("decided_by_id", sa.BigInteger(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("original_net", sa.BigInteger(), nullable=False),
        sa.Column("original_gross", sa.BigInteger(), nullable=False),
        sa.Column("final_net", sa.BigInteger(), nullable=False),
        sa.Column("final_vat", sa.BigInteger(), nullable=False),
        sa.Column("final_gross", sa.BigInteger(), nullable=False),
        sa.Column("changes", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_order_adjustment_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["portal_user.id"],
            name=op.f("fk_order_adjustment_decided_by_id_portal_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["customer_order.id"],
            name=op.f("fk_order_adjustment_order_id_customer_order"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_user_id"],
            ["staff_user.id"],
            name=op.f("fk_order_adjustment_staff_user_id_staff_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_adjustment")),
    )
    op.create_index(
        op.f("ix_order_adjustment_company_id"), "order_adjustment", ["company_id"], unique=False
    )
    op.create_index(
        op.f("ix_order_adjustment_order_id"), "order_adjustment", ["order_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_order_adjustment_order_id"), table_name="order_adjustment")
    op.drop_index(op.f("ix_order_adjustment_company_id"), table_name="order_adjustment")
    op.drop_table("order_adjustment")
    op.drop_column("customer_group", "price_change_tolerance_percent")
    op.drop_column("customer_order", "staff_review_reason")
    op.drop_index(op.f("ix_payment_refund_payment_id"), table_name="payment_refund")
    op.drop_index(op.f("ix_payment_refund_company_id"), table_name="payment_refund")
    op.drop_table("payment_refund")
    op.drop_index(op.f("ix_balance_entry_company_id"), table_name="balance_entry")
    op.drop_table("balance_entry")
    op.drop_index(op.f("ix_payment_invoice_id"), table_name="payment")
    op.drop_index(op.f("ix_payment_order_id"), table_name="payment")
    op.drop_index(op.f("ix_payment_company_id"), table_name="payment")
    op.drop_table("payment")
    op.drop_index(op.f("ix_online_payment_company_id"), table_name="online_payment")
    op.drop_table("online_payment")
    op.drop_table("company_credit")
    op.drop_table("payment_method_offer")
    op.drop_table("provider_event_seen")
