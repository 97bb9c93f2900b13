"""notifications: templates, preferences, deliveries; user phone and language; HTML mail

Revision ID: d5e9f3a7b1c2
Revises: c4d8e1f0a7b3
Create Date: 2026-12-05 21:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "d5e9f3a7b1c2"
down_revision: str | None = "c4d8e1f0a7b3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _created() -> sa.Column[sa.DateTime]:
    return sa.Column(
        "created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
    )


def upgrade() -> None:
    op.add_column("company", sa.Column("language", sa.String(length=8), nullable=True))
    op.add_column("portal_user", sa.Column("phone", sa.String(length=40), nullable=True))
    op.add_column("portal_user", sa.Column("language", sa.String(length=8), nullable=True))
    op.add_column("mail_outbox", sa.Column("body_html", sa.Text(), nullable=True))
    op.create_table(
        "notification_template",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("event", sa.String(length=60), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=True),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=True),
        sa.Column("sms_text", sa.Text(), nullable=True),
        _created(),
        sa.ForeignKeyConstraint(["channel_id"], ["channel.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event", "language", "channel_id", name="uq_notification_template"),
    )
    op.create_index(
        op.f("ix_notification_template_channel_id"), "notification_template", ["channel_id"]
    )
    op.create_index(
        "uq_notification_template_all_channels",
        "notification_template",
        ["event", "language"],
        unique=True,
        postgresql_where=sa.text("channel_id IS NULL"),
    )
    op.create_table(
        "notification_preference",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("company_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("event", sa.String(length=60), nullable=False),
        sa.Column("email", sa.Boolean(), nullable=False),
        sa.Column("sms", sa.Boolean(), nullable=False),
        _created(),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["portal_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("company_id", "user_id", "event", name="uq_notification_preference"),
    )
    op.create_index(
        op.f("ix_notification_preference_company_id"), "notification_preference", ["company_id"]
    )
    op.create_index(
        op.f("ix_notification_preference_user_id"), "notification_preference", ["user_id"]
    )
    op.create_index(
        "uq_notification_preference_company",
        "notification_preference",
        ["company_id", "event"],
        unique=True,
        postgresql_where=sa.text("user_id IS NULL"),
    )
    op.create_table(
        "notification",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("event_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("recipient", sa.String(length=80), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("company_id", sa.BigInteger(), nullable=True),
        sa.Column("channel_id", sa.BigInteger(), nullable=True),
        sa.Column("address", sa.String(length=254), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("context", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        _created(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "event_id", "kind", "recipient", "channel", name="uq_notification_delivery"
        ),
    )
    op.create_index(op.f("ix_notification_event_id"), "notification", ["event_id"])
    op.create_index(op.f("ix_notification_company_id"), "notification", ["company_id"])


def downgrade() -> None:
    op.drop_table("notification")
    op.drop_table("notification_preference")
    op.drop_table("notification_template")
    op.drop_column("mail_outbox", "body_html")
    op.drop_column("portal_user", "language")
    op.drop_column("portal_user", "phone")
    op.drop_column("company", "language")
