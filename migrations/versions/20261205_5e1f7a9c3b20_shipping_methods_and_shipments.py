"""shipping methods with rates, shipments with parcels and lines, promised dates on orders,
order line kinds, stock item unit weights

Revision ID: 5e1f7a9c3b20
Revises: d5e9f3a7b1c2
Create Date: 2026-12-05 21:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "5e1f7a9c3b20"
down_revision: str | None = "d5e9f3a7b1c2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=32)


def _fk(column: str, table: str, ondelete: str, source: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{table}.id"],
        name=op.f(f"fk_{source}_{column}_{table}"),
        ondelete=ondelete,
    )


def _timestamps() -> list[sa.Column[sa.DateTime]]:
    return [
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.add_column("customer_order", sa.Column("promised_dispatch_on", sa.Date(), nullable=True))
    op.add_column("customer_order", sa.Column("promised_delivery_on", sa.Date(), nullable=True))
    op.add_column(
        "order_line",
        sa.Column("kind", sa.String(length=32), server_default="product", nullable=False),
    )
    op.add_column(
        "stock_item",
        sa.Column("unit_weight_g", sa.Integer(), server_default="0", nullable=False),
    )
    op.create_table(
        "shipping_method",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "kind", _enum("shipping_kind", "PICKUP", "OWN_DELIVERY", "CARRIER"), nullable=False
        ),
        sa.Column("carrier", sa.String(length=40), nullable=False),
        sa.Column("carrier_service", sa.String(length=80), nullable=False),
        sa.Column("transit_days", sa.Integer(), nullable=False),
        sa.Column("free_above_net", sa.BigInteger(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("tracking_url_template", sa.Text(), nullable=False),
        *_timestamps(),
        sa.CheckConstraint("transit_days >= 0", name=op.f("ck_shipping_method_transit_days")),
        sa.CheckConstraint(
            "free_above_net IS NULL OR free_above_net >= 0",
            name=op.f("ck_shipping_method_free_above"),
        ),
        _fk("channel_id", "channel", "CASCADE", "shipping_method"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipping_method")),
        sa.UniqueConstraint("channel_id", "code", name=op.f("uq_shipping_method_channel_id_code")),
    )
    op.create_index(
        op.f("ix_shipping_method_channel_id"), "shipping_method", ["channel_id"], unique=False
    )
    op.create_table(
        "shipping_rate",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("method_id", sa.BigInteger(), nullable=False),
        sa.Column("zone", sa.String(length=80), nullable=False),
        sa.Column("countries", postgresql.ARRAY(sa.String(length=2)), nullable=False),
        sa.Column("up_to_weight_g", sa.BigInteger(), nullable=True),
        sa.Column("net_amount", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("net_amount >= 0", name=op.f("ck_shipping_rate_net_amount")),
        sa.CheckConstraint(
            "up_to_weight_g IS NULL OR up_to_weight_g > 0", name=op.f("ck_shipping_rate_weight")
        ),
        _fk("method_id", "shipping_method", "CASCADE", "shipping_rate"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipping_rate")),
    )
    op.create_index(op.f("ix_shipping_rate_method_id"), "shipping_rate", ["method_id"])
    op.create_table(
        "shipment",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("company_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "status",
            _enum("shipment_status", "CREATED", "IN_TRANSIT", "DELIVERED", "FAILED"),
            nullable=False,
        ),
        sa.Column("carrier", sa.String(length=40), nullable=False),
        sa.Column("carrier_service", sa.String(length=80), nullable=False),
        sa.Column("carrier_reference", sa.String(length=120), nullable=False),
        sa.Column("tracking_number", sa.String(length=120), nullable=False),
        sa.Column("tracking_url", sa.Text(), nullable=False),
        sa.Column("delivery_address", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("label_key", sa.String(length=300), nullable=True),
        sa.Column("delivery_note_key", sa.String(length=300), nullable=True),
        sa.Column("created_by_staff_id", sa.BigInteger(), nullable=True),
        sa.Column("source", sa.String(length=80), nullable=False),
        *_timestamps(),
        _fk("order_id", "customer_order", "CASCADE", "shipment"),
        _fk("company_id", "company", "CASCADE", "shipment"),
        _fk("created_by_staff_id", "staff_user", "SET NULL", "shipment"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipment")),
        sa.UniqueConstraint("number", name=op.f("uq_shipment_number")),
    )
    op.create_index(op.f("ix_shipment_order_id"), "shipment", ["order_id"])
    op.create_index(op.f("ix_shipment_company_id"), "shipment", ["company_id"])
    op.create_table(
        "shipment_parcel",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("shipment_id", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("weight_g", sa.BigInteger(), nullable=False),
        sa.Column("tracking_number", sa.String(length=120), nullable=False),
        sa.Column("tracking_url", sa.Text(), nullable=False),
        sa.Column(
            "status",
            _enum("parcel_status", "CREATED", "IN_TRANSIT", "DELIVERED", "FAILED"),
            nullable=False,
        ),
        sa.CheckConstraint("weight_g >= 0", name=op.f("ck_shipment_parcel_weight")),
        _fk("shipment_id", "shipment", "CASCADE", "shipment_parcel"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipment_parcel")),
    )
    op.create_index(op.f("ix_shipment_parcel_shipment_id"), "shipment_parcel", ["shipment_id"])
    op.create_index(
        op.f("ix_shipment_parcel_tracking_number"), "shipment_parcel", ["tracking_number"]
    )
    op.create_table(
        "shipment_line",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("shipment_id", sa.BigInteger(), nullable=False),
        sa.Column("order_line_id", sa.BigInteger(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_shipment_line_quantity_positive")),
        _fk("shipment_id", "shipment", "CASCADE", "shipment_line"),
        _fk("order_line_id", "order_line", "CASCADE", "shipment_line"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipment_line")),
    )
    op.create_index(op.f("ix_shipment_line_shipment_id"), "shipment_line", ["shipment_id"])
    op.create_index(op.f("ix_shipment_line_order_line_id"), "shipment_line", ["order_line_id"])


def downgrade() -> None:
    op.drop_table("shipment_line")
    op.drop_table("shipment_parcel")
    op.drop_table("shipment")
    op.drop_table("shipping_rate")
    op.drop_table("shipping_method")
    op.drop_column("stock_item", "unit_weight_g")
    op.drop_column("order_line", "kind")
    op.drop_column("customer_order", "promised_delivery_on")
    op.drop_column("customer_order", "promised_dispatch_on")
